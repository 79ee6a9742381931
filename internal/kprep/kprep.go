// Package kprep prepares a Rust-enabled kernel tree from a kernel source (tarball or directory):
// unpack, configure (tinyconfig plus a fragment, verified), build, and record what it used, in an
// O= build directory that is then the KDIR for module builds. It is the engine of
// `rfl-tutor kernel prepare`: resumable, cached by (kernel, configuration, toolchain), and never
// writing into a directory it did not make.
package kprep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"golang.org/x/sys/unix"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// Options says what to prepare and where.
type Options struct {
	// Source is a kernel tarball (.tar.xz, .tar.gz, …) or an unpacked, never-built source tree,
	// e.g. /usr/src/linux-source-6.12.tar.xz. A directory is only read: the build goes to Out.
	Source string
	// Out is the build directory (the future KDIR). "" means CacheDir/<release>-<key12>.
	Out string
	// CacheDir holds prepared trees; "" means kernel.CacheDir().
	CacheDir string
	// Jobs is make's -j; 0 means the number of CPUs.
	Jobs int
	// Fragment gives the kernel options to enable on top of tinyconfig for the source's
	// version (the course's KernelFragment); nil means none. Base is always added.
	Fragment func(*semver.Version) []course.ConfigOption
	// Progress, if set, is called for each build step Kbuild reports (and once per phase such
	// as unpacking) with the steps done and the expected total.
	Progress func(done, total int, line string)
	// Log, if set, receives everything written to <out>/.rfl-tutor/prepare.log.
	Log io.Writer
}

// defaultExpectedLines estimates the progress lines of a full preparation when no earlier one
// recorded its count: a 6.12.117 tinyconfig with Rust, boot options, NET/PHYLIB/BLOCK/KUNIT
// printed 1496 in the recipe run (1503 with the Rust samples).
const defaultExpectedLines = 1500

// Free space a preparation needs before it starts, with some margin: for 6.12.117 the unpacked
// source took 1.7 GB and the build 0.23 GB.
const (
	needSpaceTarball = 2500 << 20
	needSpaceDir     = 512 << 20
)

// plan is everything decided before touching the disk.
type plan struct {
	src      *source
	tc       *Toolchain
	fragment []course.ConfigOption
	key      string
	out      string
	cacheDir string
}

func makePlan(ctx context.Context, o Options, env toolchain.Env) (*plan, error) {
	src, err := openSource(ctx, env, o.Source)
	if err != nil {
		return nil, err
	}
	minDir := ""
	if !src.tarball() {
		minDir = src.path
	}
	kver := toolchain.ParseVersion(src.release)
	tc, err := probeToolchain(ctx, env, kver, toolchain.MinVersions(ctx, minDir, kver), src.decompressor)
	if err != nil {
		return nil, err
	}
	if src.release == "" {
		return nil, fmt.Errorf("kernel source %s: could not read its version", src.path)
	}
	var want []course.ConfigOption
	if o.Fragment != nil {
		want = o.Fragment(kver)
	}
	frag, err := Fragment(want)
	if err != nil {
		return nil, err
	}
	p := &plan{src: src, tc: tc, fragment: frag, key: Key(src.release, frag, tc), cacheDir: o.CacheDir}
	if p.cacheDir == "" {
		p.cacheDir = kernel.CacheDir()
	}
	p.out = o.Out
	if p.out == "" {
		p.out = DefaultOut(p.cacheDir, src.release, p.key)
	}
	if p.out, err = filepath.Abs(p.out); err != nil {
		return nil, err
	}
	return p, nil
}

// ready returns the tree at p.out if it is complete for p's key and can build Rust modules.
func (p *plan) ready() *kernel.Tree {
	m, err := kernel.ReadMeta(p.out)
	if err != nil || m == nil || m.Key != p.key {
		return nil
	}
	t, err := kernel.Open(p.out)
	if err != nil || t.RustReady() != nil {
		return nil
	}
	return t
}

// Prepare makes (or finishes, or reuses) a Rust-enabled kernel tree and returns it. A complete
// tree with the same key is returned at once; an interrupted one is continued.
func Prepare(ctx context.Context, o Options) (*kernel.Tree, error) {
	return prepare(ctx, o, toolchain.Env{})
}

func prepare(ctx context.Context, o Options, env toolchain.Env) (*kernel.Tree, error) {
	start := time.Now()
	p, err := makePlan(ctx, o, env)
	if err != nil {
		return nil, err
	}
	if t := p.ready(); t != nil {
		return t, nil
	}
	if err := claim(p.out); err != nil {
		return nil, err
	}
	unlock, err := lockTree(p.out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if t := p.ready(); t != nil { // finished by another process while we waited
		return t, nil
	}

	logPath := filepath.Join(p.out, privDir, logFile)
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	var log io.Writer = lf
	if o.Log != nil {
		log = io.MultiWriter(lf, o.Log)
	}

	st, err := p.resumeState(log)
	if err != nil {
		return nil, err
	}
	t, err := p.build(ctx, o, env, st, log)
	if err != nil {
		var ce *CommandError
		if errors.As(err, &ce) {
			ce.LogPath = logPath
		}
		fmt.Fprintf(log, "\n== %s  failed: %v\n", time.Now().Format(time.RFC3339), err)
		return nil, err
	}
	fmt.Fprintf(log, "\n== %s  complete in %s: %s\n", time.Now().Format(time.RFC3339), time.Since(start).Round(time.Second), p.out)
	t.Meta.Duration = time.Since(start)
	if err := kernel.WriteMeta(p.out, t.Meta); err != nil {
		return nil, err
	}
	return kernel.Open(p.out)
}

// resumeState loads the in-progress marker, starting over for a new key but keeping an unpacked
// source from the same tarball, and refuses to turn a tree of one kernel into another.
func (p *plan) resumeState(log io.Writer) (*state, error) {
	st, err := loadState(p.out)
	if err != nil {
		return nil, err
	}
	meta, err := kernel.ReadMeta(p.out)
	if err != nil {
		return nil, err
	}
	want := toolchain.ParseVersion(p.src.release)
	for _, have := range []string{stRelease(st), metaRelease(meta)} {
		if v := toolchain.ParseVersion(have); v != nil && !v.Equal(want) {
			return nil, fmt.Errorf("%s holds a Linux %s tree and cannot become %s; choose another --out", p.out, have, p.src.release)
		}
	}
	if st == nil || st.Key != p.key || st.Source != p.src.path {
		fresh := &state{Key: p.key, Source: p.src.path, Release: p.src.release, Started: time.Now()}
		if st != nil && st.Source == p.src.path {
			fresh.SrcDir = st.SrcDir
		}
		if st != nil || meta != nil {
			fmt.Fprintf(log, "\n== reconfiguring %s for key %s\n", p.out, p.key)
		}
		st = fresh
	}
	// From here on the tree changes: it is not complete until a new record is written.
	if err := os.Remove(filepath.Join(p.out, kernel.MetaFile)); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	return st, saveState(p.out, st)
}

func stRelease(st *state) string {
	if st == nil {
		return ""
	}
	return st.Release
}

func metaRelease(m *kernel.Meta) string {
	if m == nil {
		return ""
	}
	return m.Release
}

// build runs the remaining steps and returns the finished tree with its (unsaved) record.
func (p *plan) build(ctx context.Context, o Options, env toolchain.Env, st *state, log io.Writer) (*kernel.Tree, error) {
	tc := p.tc
	fmt.Fprintf(log, "\n== %s  rfl-tutor kernel prepare\nsource   %s (Linux %s)\nout      %s\nkey      %s\nfragment %v\nclang    %s (%s)\nrustc    %s (%s)\nbindgen  %s (%s, wrapper %v)\n",
		time.Now().Format(time.RFC3339), p.src.path, p.src.release, p.out, p.key, fragmentStrings(p.fragment),
		tc.LLVM.Clang, tc.LLVM.VersionText, tc.Rustc.Path, tc.Rustc.VersionText, tc.Bindgen.Path, tc.Bindgen.Version, tc.NeedsWrapper)

	binDir := filepath.Join(p.out, privDir, "bin")
	bindgen := tc.Bindgen.Path
	var libclangDir string
	if tc.NeedsWrapper {
		libclangDir = tc.Libclang.Dir
		script, err := wrapperFor(tc.Bindgen.Path, libclangDir)
		if err != nil {
			return nil, err
		}
		bindgen = filepath.Join(binDir, "bindgen")
		if err := installWrapper(bindgen, p.out, script); err != nil {
			return nil, fmt.Errorf("installing the bindgen wrapper: %w", err)
		}
	} else {
		binDir = ""
	}
	makeBin, err := env.LookPath("make")
	if err != nil {
		return nil, err
	}
	r := &runner{
		// The wrapper first (scripts that run plain `bindgen` get it too), then the rustc's
		// directory so nothing picks the rustup proxy that has no rust-src.
		env:  buildEnv(os.Environ(), env.PathList(), binDir, filepath.Dir(tc.Rustc.Path)),
		log:  log,
		prog: &progress{done: st.Lines, total: p.expectedLines(), report: o.Progress},
	}
	r.prog.persist = func(done int) {
		st.Lines = done
		_ = saveState(p.out, st)
	}
	defer func() { r.prog.persist(r.prog.done) }()
	phase := func(s string) {
		fmt.Fprintf(log, "\n== %s\n", s)
		if o.Progress != nil {
			o.Progress(r.prog.done, r.prog.total, s)
		}
	}

	if p.src.tarball() && (st.SrcDir == "" || !fileExists(filepath.Join(st.SrcDir, "Makefile"))) {
		if err := checkSpace(p.out, needSpaceTarball); err != nil {
			return nil, err
		}
		phase("unpacking " + filepath.Base(p.src.path))
		dir, err := unpack(ctx, r.env, p.src.path, filepath.Join(p.out, privDir, "src"), log)
		if err != nil {
			return nil, err
		}
		st.SrcDir, st.Configured = dir, false
		if err := saveState(p.out, st); err != nil {
			return nil, err
		}
	} else if !p.src.tarball() {
		if err := checkPristine(p.src.path); err != nil {
			return nil, err
		}
		if st.SrcDir == "" {
			if err := checkSpace(p.out, needSpaceDir); err != nil {
				return nil, err
			}
		}
		st.SrcDir = p.src.path
	}

	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	makeArgs := []string{"-C", st.SrcDir, "O=" + p.out, "LLVM=" + tc.LLVM.Suffix(),
		"RUSTC=" + tc.Rustc.Path, "HOSTRUSTC=" + tc.Rustc.Path, "BINDGEN=" + bindgen}
	mk := func(step string, extra ...string) error {
		return r.run(ctx, step, makeBin, append(slices.Clone(makeArgs), extra...)...)
	}

	if !st.Configured {
		phase("configuring")
		if err := mk("make tinyconfig", "tinyconfig"); err != nil {
			return nil, err
		}
		cfgArgs := append([]string{"--file", filepath.Join(p.out, ".config")}, configArgs(p.fragment)...)
		if err := r.run(ctx, "scripts/config", filepath.Join(st.SrcDir, "scripts", "config"), cfgArgs...); err != nil {
			return nil, err
		}
		if err := mk("make olddefconfig", "olddefconfig"); err != nil {
			return nil, err
		}
		if err := p.verifyConfig(ctx, mk); err != nil {
			return nil, err
		}
		st.Configured = true
		if err := saveState(p.out, st); err != nil {
			return nil, err
		}
	}

	phase("building")
	if err := mk("make", fmt.Sprintf("-j%d", jobs)); err != nil {
		return nil, err
	}
	if o.Progress != nil {
		o.Progress(r.prog.done, r.prog.done, "done")
	}

	t, err := kernel.Open(p.out)
	if err != nil {
		return nil, err
	}
	if err := t.RustReady(); err != nil {
		return nil, fmt.Errorf("the build finished but: %w", err)
	}
	if t.RustcVersionText != tc.Rustc.VersionText {
		return nil, fmt.Errorf("the tree records rustc %q but was built with %s (%q)", t.RustcVersionText, tc.Rustc.Path, tc.Rustc.VersionText)
	}
	libclang := ""
	if tc.Libclang != nil {
		libclang = tc.Libclang.Dir
	}
	t.Meta = &kernel.Meta{
		Release: t.Release, Key: p.key, Source: p.src.path, SourceDir: st.SrcDir,
		Fragment: fragmentStrings(p.fragment), LLVM: tc.LLVM.Suffix(), ClangVersion: tc.LLVM.VersionText,
		Rustc: tc.Rustc.Path, RustcVersion: tc.Rustc.VersionText,
		Bindgen: bindgen, BindgenReal: tc.Bindgen.Path, BindgenVersion: tc.Bindgen.Version.String(), Libclang: libclang,
		Lines: r.prog.done, Jobs: jobs, Date: time.Now().UTC(),
	}
	return t, nil
}

// configArgs turns the fragment into scripts/config arguments.
func configArgs(frag []course.ConfigOption) []string {
	var args []string
	for _, o := range frag {
		switch o.Value {
		case "", "y":
			args = append(args, "--enable", o.Name)
		case "m":
			args = append(args, "--module", o.Name)
		case "n":
			args = append(args, "--disable", o.Name)
		default:
			args = append(args, "--set-val", o.Name, o.Value)
		}
	}
	return args
}

// ConfigError lists requested options that olddefconfig dropped or changed.
type ConfigError struct {
	Missing []string
	// Detail is extra evidence, such as `make rustavailable`'s complaint when RUST did not stick.
	Detail string
}

func (e *ConfigError) Error() string {
	s := fmt.Sprintf("kernel options did not stick after olddefconfig: %v\n"+
		"their dependencies are off or they conflict with others; add what they depend on to the course's kernel_config "+
		"(`make menuconfig`, then `/NAME`, shows the dependencies)", e.Missing)
	if e.Detail != "" {
		s += "\n" + e.Detail
	}
	return s
}

// verifyConfig checks that every requested option is in .config as asked. When RUST is not,
// the usual cause is the toolchain check, so `make rustavailable` is run for its explanation.
func (p *plan) verifyConfig(ctx context.Context, mk func(string, ...string) error) error {
	cfg, err := kernel.ReadConfigFile(filepath.Join(p.out, ".config"))
	if err != nil {
		return err
	}
	missing := kernel.MissingConfig(&kernel.Tree{Config: cfg}, p.fragment)
	if len(missing) == 0 {
		return nil
	}
	ce := &ConfigError{Missing: missing}
	if !kernel.OptionSatisfied(course.ConfigOption{Name: "RUST"}, cfg["RUST"], cfg["RUST"] != "") {
		var cmdErr *CommandError
		if err := mk("make rustavailable", "rustavailable"); errors.As(err, &cmdErr) {
			ce.Detail = "make rustavailable says:\n  " + strings.Join(cmdErr.Tail, "\n  ")
		}
	}
	return ce
}

// expectedLines is the progress total: the line count recorded by an earlier preparation of the
// same release and fragment (any toolchain), else defaultExpectedLines.
func (p *plan) expectedLines() int {
	want := fragmentStrings(p.fragment)
	release := toolchain.ParseVersion(p.src.release)
	dirs, _ := filepath.Glob(filepath.Join(p.cacheDir, "*"))
	for _, d := range append([]string{p.out}, dirs...) {
		m, err := kernel.ReadMeta(d)
		if err != nil || m == nil || m.Lines == 0 || !slices.Equal(m.Fragment, want) {
			continue
		}
		if v := toolchain.ParseVersion(m.Release); v != nil && release != nil && v.Equal(release) {
			return m.Lines
		}
	}
	return defaultExpectedLines
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// checkSpace fails early, with numbers, rather than half-way through unpacking or linking.
func checkSpace(dir string, need uint64) error {
	var fs unix.Statfs_t
	if err := unix.Statfs(dir, &fs); err != nil {
		return nil // cannot tell; the build will say if it runs out
	}
	free := fs.Bavail * uint64(fs.Bsize)
	if free < need {
		return fmt.Errorf("not enough free space in %s: %.1f GB free, preparing a tree needs about %.1f GB",
			dir, float64(free)/1e9, float64(need)/1e9)
	}
	return nil
}
