package toolchain

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"

	"github.com/Masterminds/semver/v3"
)

// Tool is a program or file a build needs and the Debian package that provides it.
type Tool struct {
	Name    string
	Package string
}

// llvmTools are the binaries `make LLVM=-NN` runs (see the kernel's top Makefile), each with the
// Debian package that ships its versioned name (clang-NN, lld-NN or llvm-NN).
var llvmTools = []Tool{
	{"clang", "clang"}, {"ld.lld", "lld"}, {"llvm-ar", "llvm"}, {"llvm-nm", "llvm"},
	{"llvm-objcopy", "llvm"}, {"llvm-objdump", "llvm"}, {"llvm-readelf", "llvm"}, {"llvm-strip", "llvm"},
}

// LLVM is a versioned LLVM toolchain (clang-NN and friends) found in PATH.
type LLVM struct {
	Major       int
	Clang       string // path of clang-NN
	VersionText string // first line of `clang-NN --version`
	Version     *semver.Version
}

// Suffix is the value of make's LLVM= variable that selects this toolchain.
func (l *LLVM) Suffix() string { return fmt.Sprintf("-%d", l.Major) }

// MissingLLVM lists the tools of LLVM major that are not in PATH (e.g. "ld.lld-19" from lld-19).
func (e Env) MissingLLVM(major int) []Tool {
	var missing []Tool
	for _, t := range llvmTools {
		name := fmt.Sprintf("%s-%d", t.Name, major)
		if _, err := e.LookPath(name); err != nil {
			missing = append(missing, Tool{name, fmt.Sprintf("%s-%d", t.Package, major)})
		}
	}
	return missing
}

var clangNameRe = regexp.MustCompile(`^clang-(\d+)$`)

// FindLLVMs returns every complete versioned LLVM toolchain in PATH, newest first.
func (e Env) FindLLVMs(ctx context.Context) []*LLVM {
	majors := map[int]bool{}
	for _, dir := range filepath.SplitList(e.path()) {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, ent := range ents {
			if m := clangNameRe.FindStringSubmatch(ent.Name()); m != nil {
				n, _ := strconv.Atoi(m[1])
				majors[n] = true
			}
		}
	}
	var out []*LLVM
	for n := range majors {
		if len(e.MissingLLVM(n)) > 0 {
			continue
		}
		if l, err := e.ProbeLLVM(ctx, n); err == nil {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Major > out[j].Major })
	return out
}

// ProbeLLVM asks clang-NN for its version.
func (e Env) ProbeLLVM(ctx context.Context, major int) (*LLVM, error) {
	p, err := e.LookPath(fmt.Sprintf("clang-%d", major))
	if err != nil {
		return nil, err
	}
	v, err := output(ctx, e.cmdEnv(), p, "--version")
	if err != nil {
		return nil, err
	}
	l := &LLVM{Major: major, Clang: p, VersionText: firstLine(v), Version: ParseVersion(firstLine(v))}
	if l.Version == nil {
		return nil, fmt.Errorf("%s --version printed %q, not a version", p, l.VersionText)
	}
	return l, nil
}

// ProbeClang asks the unversioned clang in PATH for its version (for trees built with LLVM=1).
func (e Env) ProbeClang(ctx context.Context) (path string, version *semver.Version, err error) {
	p, err := e.LookPath("clang")
	if err != nil {
		return "", nil, err
	}
	v, err := output(ctx, e.cmdEnv(), p, "--version")
	if err != nil {
		return "", nil, err
	}
	if version = ParseVersion(firstLine(v)); version == nil {
		return "", nil, fmt.Errorf("%s --version printed %q, not a version", p, firstLine(v))
	}
	return p, version, nil
}

// ErrNoLibclang means no libclang shared library was found.
var ErrNoLibclang = errors.New("libclang not found")

// Libclang is a libclang shared library of one LLVM major version.
type Libclang struct {
	Major int
	Dir   string // e.g. /usr/lib/llvm-14/lib, what LIBCLANG_PATH takes
	File  string
}

// FindLibclang finds libclang of the given major version where Debian installs it.
func (e Env) FindLibclang(major int) (*Libclang, error) {
	dir := e.File(fmt.Sprintf("/usr/lib/llvm-%d/lib", major))
	for _, name := range []string{"libclang.so.1", fmt.Sprintf("libclang-%d.so.1", major), "libclang.so"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return &Libclang{Major: major, Dir: dir, File: p}, nil
		}
	}
	return nil, fmt.Errorf("libclang %d in %s: %w", major, dir, ErrNoLibclang)
}

// Libclangs lists every libclang found under /usr/lib/llvm-*/lib, newest first.
func (e Env) Libclangs() []*Libclang {
	dirs, _ := filepath.Glob(e.File("/usr/lib/llvm-*"))
	var out []*Libclang
	for _, d := range dirs {
		n, err := strconv.Atoi(filepath.Base(d)[len("llvm-"):])
		if err != nil {
			continue
		}
		if l, err := e.FindLibclang(n); err == nil {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Major > out[j].Major })
	return out
}
