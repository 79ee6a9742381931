package toolchain

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// PreferredRustc is tried before PATH: on Debian 12 it is rustc-web with rust-src, while the
// rustup proxy usually first in PATH has no rust-src and cannot build a kernel.
const PreferredRustc = "/usr/bin/rustc"

// Rustc is one rustc binary as it describes itself.
type Rustc struct {
	Path string
	// VersionText is the first line of `rustc --version`, the same text the kernel records in
	// CONFIG_RUSTC_VERSION_TEXT; modules must be built by a rustc printing exactly this.
	VersionText string
	Version     *semver.Version
	Sysroot     string
}

// SrcFile is where the kernel looks for the core library's source (rust-src); see
// scripts/rust_is_available.sh.
func (r *Rustc) SrcFile() string {
	return filepath.Join(r.Sysroot, "lib", "rustlib", "src", "rust", "library", "core", "src", "lib.rs")
}

// HasSrc reports whether rust-src is installed for this rustc.
func (r *Rustc) HasSrc() bool {
	_, err := os.Stat(r.SrcFile())
	return err == nil
}

// ProbeRustc asks the rustc at path for its version and sysroot.
func (e Env) ProbeRustc(ctx context.Context, path string) (*Rustc, error) {
	env := e.cmdEnv()
	v, err := output(ctx, env, path, "--version")
	if err != nil {
		return nil, err
	}
	r := &Rustc{Path: path, VersionText: firstLine(v)}
	if r.Version = ParseVersion(r.VersionText); r.Version == nil {
		return nil, fmt.Errorf("%s --version printed %q, not a version", path, r.VersionText)
	}
	s, err := output(ctx, env, path, "--print", "sysroot")
	if err != nil {
		return nil, err
	}
	r.Sysroot = firstLine(s)
	return r, nil
}

// RustcCandidates lists the rustc binaries worth trying, best first: PreferredRustc, then every
// rustc in PATH order.
func (e Env) RustcCandidates() []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		id := p
		if r, err := filepath.EvalSymlinks(p); err == nil {
			id = r
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, p)
		}
	}
	if isExecutable(e.File(PreferredRustc)) {
		add(e.File(PreferredRustc))
	}
	for _, p := range e.LookPathAll("rustc") {
		add(p)
	}
	return out
}

// FindRustc returns the first candidate for which ok is true, and every candidate it probed
// (so callers can say what they rejected).
func (e Env) FindRustc(ctx context.Context, ok func(*Rustc) bool) (found *Rustc, probed []*Rustc) {
	for _, p := range e.RustcCandidates() {
		r, err := e.ProbeRustc(ctx, p)
		if err != nil {
			continue
		}
		probed = append(probed, r)
		if ok(r) {
			return r, probed
		}
	}
	return nil, probed
}

// Bindgen is a bindgen binary and the version it reports.
type Bindgen struct {
	Path    string
	Version *semver.Version
}

// ProbeBindgen runs `bindgen --version`.
func (e Env) ProbeBindgen(ctx context.Context, path string) (*Bindgen, error) {
	v, err := output(ctx, e.cmdEnv(), path, "--version")
	if err != nil {
		return nil, err
	}
	b := &Bindgen{Path: path, Version: ParseVersion(v)}
	if b.Version == nil {
		return nil, fmt.Errorf("%s --version printed %q, not a version", path, firstLine(v))
	}
	return b, nil
}

// FindBindgen finds bindgen in PATH and asks its version.
func (e Env) FindBindgen(ctx context.Context) (*Bindgen, error) {
	p, err := e.LookPath("bindgen")
	if err != nil {
		return nil, err
	}
	return e.ProbeBindgen(ctx, p)
}

// cmdEnv is the environment probes run with: the process's, with PATH replaced when the Env
// has its own (so a probed tool finds its helpers where the caller looks for tools).
func (e Env) cmdEnv() []string {
	if e.Path == "" {
		return nil
	}
	env := os.Environ()
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "PATH=") {
			out = append(out, kv)
		}
	}
	return append(out, "PATH="+e.Path)
}
