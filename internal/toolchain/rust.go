package toolchain

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// DefaultPrefix is where scripts/install-toolchain.sh puts what Debian 12 has no package for
// (Linux 7.3's source, a bindgen new enough for it); $RFL_TUTOR_PREFIX moves it.
const DefaultPrefix = "/opt/rfl-tutor"

// Prefix is the project's install prefix on this machine.
func (e Env) Prefix() string {
	if p := os.Getenv("RFL_TUTOR_PREFIX"); p != "" {
		return p
	}
	return e.File(DefaultPrefix)
}

// ownBindgen is the project's launcher under Prefix (trixie's bindgen 0.71, which Debian 12
// cannot install as a package), or "" when it is not installed.
func (e Env) ownBindgen() string {
	own := filepath.Join(e.Prefix(), "bin", "bindgen")
	if !isExecutable(own) {
		return ""
	}
	return own
}

// Wrapped is the bindgen release kprep's wrapper script can stand in for (Debian 12's 0.60),
// and WrapperAnnounces the version the wrapper reports: a kernel whose minimum is newer than
// that cannot use the wrapper at all (Linux 7.x asks for 0.71.1).
var (
	Wrapped          = semver.MustParse("0.60.0")
	WrapperAnnounces = semver.MustParse("0.65.1")
)

// BindgenChoice is the bindgen a kernel of some minimum is prepared with.
type BindgenChoice struct {
	Bindgen *Bindgen   // nil when none fits
	Wrapper bool       // run through kprep's wrapper (Bindgen is then a 0.60.x)
	Probed  []*Bindgen // every candidate that answered, to say what was rejected
}

// SelectBindgen decides which bindgen prepares a kernel needing at least min; kernel prepare
// and doctor both decide through it. In order: the first bindgen in PATH that is new enough; a
// 0.60.x in PATH through the wrapper when min allows it (what every 6.12 tree was built with,
// so their cache keys stay); the project's launcher when it is new enough.
func (e Env) SelectBindgen(ctx context.Context, min *semver.Version) BindgenChoice {
	var c BindgenChoice
	for _, p := range e.LookPathAll("bindgen") {
		if b, err := e.ProbeBindgen(ctx, p); err == nil {
			c.Probed = append(c.Probed, b)
		}
	}
	for _, b := range c.Probed {
		if !b.Version.LessThan(min) {
			c.Bindgen = b
			return c
		}
	}
	if !min.GreaterThan(WrapperAnnounces) {
		for _, b := range c.Probed {
			if b.Version.Major() == Wrapped.Major() && b.Version.Minor() == Wrapped.Minor() {
				c.Bindgen, c.Wrapper = b, true
				return c
			}
		}
	}
	if own := e.ownBindgen(); own != "" && !slices.ContainsFunc(c.Probed, func(b *Bindgen) bool { return b.Path == own }) {
		if b, err := e.ProbeBindgen(ctx, own); err == nil {
			c.Probed = append(c.Probed, b)
			if !b.Version.LessThan(min) {
				c.Bindgen = b
			}
		}
	}
	return c
}

// Describe lists the probed binaries with their versions ("" when none answered).
func (c BindgenChoice) Describe() string {
	var parts []string
	for _, b := range c.Probed {
		parts = append(parts, fmt.Sprintf("%s is %s", b.Path, b.Version))
	}
	return strings.Join(parts, "; ")
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
