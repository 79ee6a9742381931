// Package kernel reads a Linux kernel build tree: its version, configuration, the compilers it
// was built with, and whether out-of-tree Rust modules can be built against it. It also finds
// the tree to use (--kdir, $KDIR, the user's config, the prepared-tree cache, the running
// kernel's build directory).
package kernel

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// Tree is a kernel build directory (KDIR): the directory `make -C` is given, which for an O=
// build is the output directory, not the source.
type Tree struct {
	Dir string // absolute
	// SourceDir is the source tree: Dir itself for in-tree builds, else the one Dir's Makefile
	// includes.
	SourceDir string
	// Release is the full release string (include/config/kernel.release, e.g. "6.12.117"),
	// or the Makefile's version when the tree has not been built.
	Release string
	// Version is Release's numeric part only ("6.1.0-18-amd64" → 6.1.0): distro and -rc
	// suffixes would read as semver prereleases and fail every plain constraint.
	Version *semver.Version
	// Config maps option names without CONFIG_ to values (strings unquoted); nil when the tree
	// is not configured. ConfigFile is where it came from: include/config/auto.conf once built,
	// else .config.
	Config     map[string]string
	ConfigFile string
	// ConfigStale says .config changed after the last build: module builds still see the old
	// configuration (auto.conf) until the tree is rebuilt.
	ConfigStale bool
	// RustcVersionText is CONFIG_RUSTC_VERSION_TEXT: the `rustc --version` of the rustc that
	// built the tree. Modules need a rustc printing exactly this (else E0514).
	RustcVersionText string
	CCVersionText    string // CONFIG_CC_VERSION_TEXT
	// ClangVersion is CONFIG_CLANG_VERSION (e.g. 190107); 0 for GCC-built trees.
	ClangVersion int
	// LLVM is the make LLVM= value for module builds: "-19" when clang-19 is installed, "1" when
	// the unversioned clang is the tree's version, "" for GCC-built trees.
	LLVM string
	// Rustc is the rustc to build modules with: one whose --version matches RustcVersionText
	// (PreferredRustc first). Empty when none does.
	Rustc string
	// Bindgen is the bindgen the tree was prepared with (kprep's wrapper); empty otherwise.
	// Module builds do not need it; `make rust-analyzer` and `rustavailable` do.
	Bindgen string
	// Meta is kprep's record when the tree was prepared by rfl-tutor; nil otherwise.
	Meta *Meta
}

// Artifacts an out-of-tree Rust module build reads from KDIR: the kernel crate's metadata, the
// macros proc-macro, and the symbol versions a full build leaves (modpost needs them).
var Artifacts = []string{"rust/libkernel.rmeta", "rust/libmacros.so", "Module.symvers"}

// Open reads the kernel tree in dir.
func Open(dir string) (*Tree, error) {
	return open(context.Background(), toolchain.Env{}, dir)
}

func open(ctx context.Context, env toolchain.Env, dir string) (*Tree, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("kernel tree: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("kernel tree %s: not a directory", abs)
	}
	t := &Tree{Dir: abs}
	mkRelease, src, err := makefileRelease(abs)
	if err != nil {
		return nil, fmt.Errorf("%s is not a kernel tree: %w", abs, err)
	}
	t.SourceDir = src
	t.Release = mkRelease
	if b, err := os.ReadFile(filepath.Join(abs, "include", "config", "kernel.release")); err == nil {
		if r := strings.TrimSpace(string(b)); r != "" {
			t.Release = r
		}
	}
	if t.Version = toolchain.ParseVersion(t.Release); t.Version == nil {
		return nil, fmt.Errorf("kernel tree %s: release %q has no version number", abs, t.Release)
	}

	if t.Meta, err = ReadMeta(abs); err != nil {
		return nil, err
	}
	// auto.conf is what the last build derived from .config, and what module builds read; a
	// tree that was configured but never built has only .config.
	for _, name := range []string{"include/config/auto.conf", ".config"} {
		p := filepath.Join(abs, name)
		cfg, err := ReadConfigFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("kernel tree: %w", err)
		}
		t.Config, t.ConfigFile = cfg, p
		break
	}
	if auto, err := os.Stat(filepath.Join(abs, "include", "config", "auto.conf")); err == nil {
		if cfg, err := os.Stat(filepath.Join(abs, ".config")); err == nil {
			t.ConfigStale = cfg.ModTime().After(auto.ModTime())
		}
	}
	if t.Config != nil {
		t.RustcVersionText = t.Config["RUSTC_VERSION_TEXT"]
		t.CCVersionText = t.Config["CC_VERSION_TEXT"]
		t.ClangVersion, _ = strconv.Atoi(t.Config["CLANG_VERSION"])
	}
	t.LLVM = chooseLLVM(ctx, env, t)
	t.Rustc = chooseRustc(ctx, env, t)
	if t.Meta != nil {
		t.Bindgen = t.Meta.Bindgen
	}
	return t, nil
}

// ClangMajor is the major version of the clang that built the tree, 0 for GCC.
func (t *Tree) ClangMajor() int {
	if t.Config == nil || t.Config["CC_IS_CLANG"] != "y" {
		return 0
	}
	if t.ClangVersion > 0 {
		return t.ClangVersion / 10000
	}
	if v := toolchain.ParseVersion(t.CCVersionText); v != nil {
		return int(v.Major())
	}
	return 0
}

// chooseLLVM picks the LLVM= value matching the tree's compiler: kprep's record when it has one,
// else clang-NN if installed, else the unversioned clang if it is the same major version.
func chooseLLVM(ctx context.Context, env toolchain.Env, t *Tree) string {
	if t.Meta != nil && t.Meta.LLVM != "" {
		return t.Meta.LLVM
	}
	major := t.ClangMajor()
	if major == 0 {
		return ""
	}
	versioned := fmt.Sprintf("-%d", major)
	if _, err := env.LookPath("clang" + versioned); err == nil {
		return versioned
	}
	if _, v, err := env.ProbeClang(ctx); err == nil && int(v.Major()) == major {
		return "1"
	}
	// Nothing matches: keep the versioned form so the failure names the missing clang-NN.
	return versioned
}

// chooseRustc finds the rustc whose --version is the tree's: kprep's record first, then
// toolchain.PreferredRustc, then PATH.
func chooseRustc(ctx context.Context, env toolchain.Env, t *Tree) string {
	if t.RustcVersionText == "" {
		return ""
	}
	matches := func(r *toolchain.Rustc) bool { return r.VersionText == t.RustcVersionText }
	if t.Meta != nil && t.Meta.Rustc != "" {
		if r, err := env.ProbeRustc(ctx, t.Meta.Rustc); err == nil && matches(r) {
			return r.Path
		}
	}
	if r, _ := env.FindRustc(ctx, matches); r != nil {
		return r.Path
	}
	return ""
}

// MakeArgs are the make variables an out-of-tree module build against t needs, e.g.
// ["LLVM=-19", "RUSTC=/usr/bin/rustc"]. RUSTC goes on the command line because as an
// environment variable the kernel Makefile's own default wins.
func (t *Tree) MakeArgs() []string {
	var args []string
	if t.LLVM != "" {
		args = append(args, "LLVM="+t.LLVM)
	}
	if t.Rustc != "" {
		args = append(args, "RUSTC="+t.Rustc)
	}
	return args
}

// MissingArtifacts lists the Artifacts that are not in the tree.
func (t *Tree) MissingArtifacts() []string {
	var missing []string
	for _, a := range Artifacts {
		if _, err := os.Stat(filepath.Join(t.Dir, a)); err != nil {
			missing = append(missing, a)
		}
	}
	return missing
}

// NotReadyError says why Rust modules cannot be built against a tree.
type NotReadyError struct {
	Dir      string
	Problems []string
}

func (e *NotReadyError) Error() string {
	return fmt.Sprintf("kernel tree %s cannot build Rust modules: %s (prepare one with `rfl-tutor kernel prepare`)",
		e.Dir, strings.Join(e.Problems, "; "))
}

// ModulesReady is RustReady and, for a tree that names its rustc, an installed rustc that is
// that one: everything a module build needs before it can say anything about the module. What
// it reports is the environment's fault, never the learner's.
func (t *Tree) ModulesReady() error {
	if err := t.RustReady(); err != nil {
		return err
	}
	if t.RustcVersionText != "" && t.Rustc == "" {
		return &NotReadyError{t.Dir, []string{fmt.Sprintf("no installed rustc is the tree's %q (modules would fail with E0514)", t.RustcVersionText)}}
	}
	return nil
}

// RustReady returns nil when Rust modules can be built against t, else a *NotReadyError
// listing what is missing.
func (t *Tree) RustReady() error {
	if t.Config == nil {
		return &NotReadyError{t.Dir, []string{"not configured (no .config)"}}
	}
	var problems []string
	if t.Config["RUST"] != "y" {
		problems = append(problems, "CONFIG_RUST is not enabled")
	}
	for _, a := range t.MissingArtifacts() {
		problems = append(problems, a+" is missing")
	}
	if len(problems) > 0 {
		return &NotReadyError{t.Dir, problems}
	}
	return nil
}
