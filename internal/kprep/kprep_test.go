package kprep

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

func opts(t *testing.T, m *fakeMachine, frag ...string) Options {
	var f []course.ConfigOption
	for _, s := range frag {
		name, val, _ := strings.Cut(s, "=")
		f = append(f, course.ConfigOption{Name: name, Value: val})
	}
	return Options{Source: m.src, Out: filepath.Join(t.TempDir(), "tree"), CacheDir: t.TempDir(), Jobs: 2, Fragment: always(f...)}
}

// always is a fragment that asks for the same options on every kernel version.
func always(f ...course.ConfigOption) func(*semver.Version) []course.ConfigOption {
	return func(*semver.Version) []course.ConfigOption { return f }
}

func TestMissingTools(t *testing.T) {
	empty := toolchain.Env{Path: t.TempDir(), Root: t.TempDir()}
	_, err := probeToolchain(t.Context(), empty, semver.MustParse("6.12.117"),
		toolchain.MinVersions(t.Context(), "", semver.MustParse("6.12.117")), toolchain.Tool{Name: "xz", Package: "xz-utils"})
	var mt *MissingToolsError
	if !errors.As(err, &mt) {
		t.Fatalf("err = %v, want *MissingToolsError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"make", "flex", "bison", "bc", "cpio", "tar", "xz-utils", "libelf-dev",
		"clang-19", "ld.lld-19", "lld-19", "llvm-ar-19", "llvm-19", "rustc with rust-src", "rust-web-src", "bindgen",
		"sudo apt-get install",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestToolchainChoices(t *testing.T) {
	min := toolchain.MinVersions(t.Context(), "", semver.MustParse("6.12.117"))
	kver := semver.MustParse("6.12.117")
	t.Run("bindgen 0.60 needs the wrapper and libclang 14", func(t *testing.T) {
		m := newFakeMachine(t)
		tc, err := probeToolchain(t.Context(), m.env, kver, min, toolchain.Tool{})
		if err != nil {
			t.Fatal(err)
		}
		if !tc.NeedsWrapper || tc.Libclang == nil || tc.Libclang.Major != 14 || tc.LLVM.Suffix() != "-19" {
			t.Fatalf("toolchain %+v", tc)
		}
		os.Remove(filepath.Join(m.root, "usr/lib/llvm-14/lib/libclang.so.1"))
		_, err = probeToolchain(t.Context(), m.env, kver, min, toolchain.Tool{})
		if err == nil || !strings.Contains(err.Error(), "libclang1-14") {
			t.Fatalf("without libclang 14: err = %v", err)
		}
	})
	t.Run("new bindgen is used directly", func(t *testing.T) {
		m := newFakeMachine(t)
		m.setBindgen(t, "0.69.4")
		os.Remove(filepath.Join(m.root, "usr/lib/llvm-14/lib/libclang.so.1"))
		tc, err := probeToolchain(t.Context(), m.env, kver, min, toolchain.Tool{})
		if err != nil {
			t.Fatal(err)
		}
		if tc.NeedsWrapper {
			t.Fatal("bindgen 0.69.4 does not need the wrapper")
		}
	})
	t.Run("old bindgen the wrapper does not know", func(t *testing.T) {
		m := newFakeMachine(t)
		m.setBindgen(t, "0.59.2")
		_, err := probeToolchain(t.Context(), m.env, kver, min, toolchain.Tool{})
		if err == nil || !strings.Contains(err.Error(), "bindgen >= 0.65.1") || !strings.Contains(err.Error(), "0.59.2") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("a 7.x minimum takes the project's launcher over PATH's 0.60", func(t *testing.T) {
		m := newFakeMachine(t)
		min7 := min
		min7.Bindgen = semver.MustParse("0.71.1")
		_, err := probeToolchain(t.Context(), m.env, kver, min7, toolchain.Tool{})
		if err == nil || !strings.Contains(err.Error(), "bindgen >= 0.71.1") || !strings.Contains(err.Error(), "install-toolchain.sh") {
			t.Fatalf("only bindgen 0.60.1: err = %v (the wrapper cannot announce 0.71.1)", err)
		}
		script(t, filepath.Join(m.root, toolchain.DefaultPrefix, "bin/bindgen"), "#!/bin/sh\necho 'bindgen 0.71.1'\n")
		tc, err := probeToolchain(t.Context(), m.env, kver, min7, toolchain.Tool{})
		if err != nil {
			t.Fatal(err)
		}
		if tc.NeedsWrapper || tc.Bindgen.Path != filepath.Join(m.root, toolchain.DefaultPrefix, "bin/bindgen") {
			t.Fatalf("bindgen %+v wrapper %v", tc.Bindgen, tc.NeedsWrapper)
		}
		// A 6.12 minimum keeps what its trees were built with: PATH's 0.60.1 through the wrapper.
		tc, err = probeToolchain(t.Context(), m.env, kver, min, toolchain.Tool{})
		if err != nil || !tc.NeedsWrapper || tc.Bindgen.Version.String() != "0.60.1" {
			t.Fatalf("6.12 minimum: %+v %v", tc, err)
		}
	})
	t.Run("rustc without rust-src", func(t *testing.T) {
		m := newFakeMachine(t)
		os.RemoveAll(filepath.Join(m.root, "usr/lib/rustlib"))
		_, err := probeToolchain(t.Context(), m.env, kver, min, toolchain.Tool{})
		if err == nil || !strings.Contains(err.Error(), "rustc with rust-src") || !strings.Contains(err.Error(), "has no rust-src") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestFragment(t *testing.T) {
	got, err := Fragment([]course.ConfigOption{{Name: "PHYLIB", Value: "y"}, {Name: "CONFIG_KUNIT"}, {Name: "RUST"}, {Name: "PHYLIB"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"64BIT", "KUNIT", "MODULES", "MODULE_UNLOAD", "PHYLIB=y", "RUST"}
	if s := fragmentStrings(got); !slices.Equal(s, want) {
		t.Fatalf("Fragment = %v, want %v", s, want)
	}
	if _, err := Fragment([]course.ConfigOption{{Name: "KUNIT", Value: "y"}, {Name: "KUNIT", Value: "m"}}); err == nil {
		t.Fatal("conflicting values must be an error")
	}
}

func TestKey(t *testing.T) {
	tc := func(rustc, clang string) *Toolchain {
		return &Toolchain{
			LLVM:    &toolchain.LLVM{VersionText: clang},
			Rustc:   &toolchain.Rustc{Path: "/usr/bin/rustc", VersionText: rustc},
			Bindgen: &toolchain.Bindgen{Path: "/usr/bin/bindgen", Version: semver.MustParse("0.60.1")},
		}
	}
	frag := func(names ...string) []course.ConfigOption {
		var f []course.ConfigOption
		for _, n := range names {
			f = append(f, course.ConfigOption{Name: n})
		}
		out, err := Fragment(f)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	base := Key("6.12.117", frag("PHYLIB", "KUNIT"), tc("rustc 1.96.0", "clang 19.1.7"))
	// The key names cached trees on disk: a change here orphans every user's cache, so it
	// must be deliberate (bump keyVersion and this value together).
	if want := "36d8d7986f5f"; base[:12] != want {
		t.Errorf("key changed: %s, was %s", base[:12], want)
	}
	other := tc("rustc 1.96.0", "clang 19.1.7")
	other.Rustc.Path = "/opt/rust/bin/rustc" // paths do not matter, versions do
	same := []string{
		Key("6.12.117", frag("KUNIT", "PHYLIB"), tc("rustc 1.96.0", "clang 19.1.7")),
		Key("6.12.117", frag("PHYLIB", "KUNIT", "RUST"), tc("rustc 1.96.0", "clang 19.1.7")),
		Key("6.12.117", frag("PHYLIB", "KUNIT"), other),
	}
	for i, k := range same {
		if k != base {
			t.Errorf("same[%d]: key %s differs from %s", i, k, base)
		}
	}
	different := []string{
		Key("6.12.118", frag("PHYLIB", "KUNIT"), tc("rustc 1.96.0", "clang 19.1.7")),
		Key("6.12.117", frag("PHYLIB"), tc("rustc 1.96.0", "clang 19.1.7")),
		Key("6.12.117", frag("PHYLIB", "KUNIT"), tc("rustc 1.97.0", "clang 19.1.7")),
		Key("6.12.117", frag("PHYLIB", "KUNIT"), tc("rustc 1.96.0", "clang 20.1.0")),
	}
	for i, k := range different {
		if k == base {
			t.Errorf("different[%d]: same key %s", i, k)
		}
	}
	if got := DefaultOut("/c", "6.12.117", base); got != "/c/6.12.117-"+base[:12] {
		t.Errorf("DefaultOut = %s", got)
	}
}

func TestPrepareFake(t *testing.T) {
	m := newFakeMachine(t)
	o := opts(t, m, "PHYLIB", "KUNIT=m")
	var seen []string
	var lastDone, lastTotal int
	o.Progress = func(done, total int, line string) {
		seen = append(seen, line)
		lastDone, lastTotal = done, total
	}
	tr, err := prepare(t.Context(), o, m.env)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.RustReady(); err != nil {
		t.Fatal(err)
	}
	if tr.Meta == nil || tr.Meta.Key == "" || tr.Meta.LLVM != "-19" || tr.Meta.RustcVersion != fakeRustcVersion {
		t.Fatalf("meta %+v", tr.Meta)
	}
	if !slices.Equal(tr.Meta.Fragment, []string{"64BIT", "KUNIT=m", "MODULES", "MODULE_UNLOAD", "PHYLIB", "RUST"}) {
		t.Errorf("fragment %v", tr.Meta.Fragment)
	}
	if tr.Config["KUNIT"] != "m" || tr.Config["PHYLIB"] != "y" {
		t.Errorf("config %v", tr.Config)
	}
	if got := calls(t, o.Out); !slices.Equal(got, []string{"tinyconfig", "olddefconfig", "-j2"}) {
		t.Errorf("make calls %v", got)
	}
	// The tree carries its own wrapper, pointing at the bindgen and libclang found.
	wrapper := filepath.Join(o.Out, ".rfl-tutor/bin/bindgen")
	if tr.Meta.Bindgen != wrapper || tr.Bindgen != wrapper {
		t.Errorf("bindgen %q / %q, want %s", tr.Meta.Bindgen, tr.Bindgen, wrapper)
	}
	w, err := os.ReadFile(wrapper)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{filepath.Join(m.bin, "bindgen") + "}", filepath.Join(m.root, "usr/lib/llvm-14/lib") + "}"} {
		if !strings.Contains(string(w), want) {
			t.Errorf("wrapper lacks default %q", want)
		}
	}
	// Progress: the quiet lines, phases, and a final full bar.
	if !slices.Contains(seen, "CC      init/main.o") || !slices.Contains(seen, "configuring") || lastDone != lastTotal {
		t.Errorf("progress %v (last %d/%d)", seen, lastDone, lastTotal)
	}
	if tr.Meta.Lines != 5 { // the fake make prints one HOSTCC, three CC and one RUSTC line
		t.Errorf("lines %d, want 5", tr.Meta.Lines)
	}
	log, err := os.ReadFile(filepath.Join(o.Out, ".rfl-tutor/prepare.log"))
	if err != nil || !strings.Contains(string(log), "make tinyconfig") || !strings.Contains(string(log), "complete in") {
		t.Errorf("log: %v\n%s", err, log)
	}

	// Preparing again is a no-op that returns the same tree.
	tr2, err := prepare(t.Context(), o, m.env)
	if err != nil {
		t.Fatal(err)
	}
	if tr2.Dir != tr.Dir || len(calls(t, o.Out)) != 3 {
		t.Errorf("second prepare rebuilt: calls %v", calls(t, o.Out))
	}
	// The plan finds it ready without building, and a different fragment does not.
	o.Progress = nil
	ready := func() bool {
		t.Helper()
		p, err := makePlan(t.Context(), o, m.env)
		if err != nil {
			t.Fatal(err)
		}
		return p.ready() != nil
	}
	if !ready() {
		t.Errorf("the prepared tree is not ready for the same options")
	}
	o.Fragment = always(append(o.Fragment(nil), course.ConfigOption{Name: "BLOCK"})...)
	if ready() {
		t.Errorf("the prepared tree is ready for another fragment")
	}
}

func TestPrepareDefaultOutInCache(t *testing.T) {
	m := newFakeMachine(t)
	o := opts(t, m)
	o.Out = ""
	tr, err := prepare(t.Context(), o, m.env)
	if err != nil {
		t.Fatal(err)
	}
	if want := DefaultOut(o.CacheDir, "6.12.117", tr.Meta.Key); tr.Dir != want {
		t.Fatalf("tree at %s, want %s", tr.Dir, want)
	}
	// kernel.Find's cache search sees it.
	found := kernel.Prepared(o.CacheDir)
	if len(found) != 1 || found[0].Dir != tr.Dir {
		t.Fatalf("Prepared = %v", found)
	}
}

func TestConfigVerification(t *testing.T) {
	m := newFakeMachine(t)
	os.WriteFile(filepath.Join(m.src, "DROP"), []byte("PHYLIB\n"), 0o644)
	o := opts(t, m, "PHYLIB", "KUNIT")
	_, err := prepare(t.Context(), o, m.env)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want *ConfigError", err)
	}
	if !slices.Equal(ce.Missing, []string{"CONFIG_PHYLIB (not set)"}) || ce.Detail != "" {
		t.Fatalf("missing %v detail %q", ce.Missing, ce.Detail)
	}
	if fileExists(filepath.Join(o.Out, kernel.MetaFile)) {
		t.Fatal("a failed preparation must not look complete")
	}

	// When RUST itself does not stick, rustavailable's explanation comes with the error.
	os.WriteFile(filepath.Join(m.src, "DROP"), []byte("RUST\n"), 0o644)
	_, err = prepare(t.Context(), o, m.env)
	if !errors.As(err, &ce) || !slices.Contains(ce.Missing, "CONFIG_RUST (not set)") ||
		!strings.Contains(ce.Detail, "'bindgen' is too old") {
		t.Fatalf("err = %v", err)
	}
}

func TestClobberRefusal(t *testing.T) {
	m := newFakeMachine(t)
	o := opts(t, m)
	os.MkdirAll(o.Out, 0o755)
	os.WriteFile(filepath.Join(o.Out, "notes.txt"), []byte("mine"), 0o644)
	_, err := prepare(t.Context(), o, m.env)
	if err == nil || !strings.Contains(err.Error(), "refusing to clobber "+o.Out) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(o.Out, "notes.txt")); string(b) != "mine" {
		t.Fatal("the foreign directory was touched")
	}
	if fileExists(filepath.Join(o.Out, ".rfl-tutor")) {
		t.Fatal("the foreign directory got our marker")
	}
	// An empty directory is fine.
	o.Out = t.TempDir()
	if _, err := prepare(t.Context(), o, m.env); err != nil {
		t.Fatal(err)
	}
}

func TestNotPristineSource(t *testing.T) {
	m := newFakeMachine(t)
	os.WriteFile(filepath.Join(m.src, ".config"), []byte("CONFIG_RUST=y\n"), 0o644)
	_, err := prepare(t.Context(), opts(t, m), m.env)
	if err == nil || !strings.Contains(err.Error(), "mrproper") {
		t.Fatalf("err = %v", err)
	}
}

func TestResume(t *testing.T) {
	m := newFakeMachine(t)
	o := opts(t, m)
	fail := filepath.Join(m.src, "FAIL")
	os.WriteFile(fail, nil, 0o644)
	_, err := prepare(t.Context(), o, m.env)
	var ce *CommandError
	if !errors.As(err, &ce) || ce.LogPath == "" || !slices.Contains(ce.Tail, "init/main.c:1: error: boom") {
		t.Fatalf("err = %v", err)
	}
	st, err := loadState(o.Out)
	if err != nil || st == nil || !st.Configured || st.Lines == 0 {
		t.Fatalf("state %+v %v", st, err)
	}
	os.Remove(fail)
	var first int
	o.Progress = func(done, total int, line string) {
		if first == 0 {
			first = done
		}
	}
	if _, err := prepare(t.Context(), o, m.env); err != nil {
		t.Fatal(err)
	}
	// Configuration is not redone; the build continues, and so does the progress count.
	if got := calls(t, o.Out); !slices.Equal(got, []string{"tinyconfig", "olddefconfig", "-j2", "-j2"}) {
		t.Errorf("make calls %v", got)
	}
	if first < st.Lines {
		t.Errorf("resumed progress started at %d, want >= %d", first, st.Lines)
	}
}

func TestReconfigureOnNewFragment(t *testing.T) {
	m := newFakeMachine(t)
	o := opts(t, m)
	tr, err := prepare(t.Context(), o, m.env)
	if err != nil {
		t.Fatal(err)
	}
	o.Fragment = always(course.ConfigOption{Name: "KUNIT"})
	tr2, err := prepare(t.Context(), o, m.env)
	if err != nil {
		t.Fatal(err)
	}
	if tr2.Meta.Key == tr.Meta.Key || tr2.Config["KUNIT"] != "y" {
		t.Fatalf("keys %s %s config %v", tr.Meta.Key, tr2.Meta.Key, tr2.Config)
	}
	if got := calls(t, o.Out); !slices.Equal(got, []string{"tinyconfig", "olddefconfig", "-j2", "tinyconfig", "olddefconfig", "-j2"}) {
		t.Errorf("make calls %v", got)
	}
	// A different kernel never goes into the same directory.
	os.WriteFile(filepath.Join(m.src, "Makefile"), []byte("VERSION = 6\nPATCHLEVEL = 13\nSUBLEVEL = 0\n"), 0o644)
	if _, err := prepare(t.Context(), o, m.env); err == nil || !strings.Contains(err.Error(), "cannot become 6.13.0") {
		t.Fatalf("err = %v", err)
	}
}

func TestTarballSource(t *testing.T) {
	m := newFakeMachine(t)
	tarball := filepath.Join(t.TempDir(), "linux-source-6.12.tar.gz")
	cmd := exec.Command("tar", "-czf", tarball, "-C", filepath.Dir(m.src), filepath.Base(m.src))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	o := opts(t, m)
	o.Source = tarball
	tr, err := prepare(t.Context(), o, m.env)
	if err != nil {
		t.Fatal(err)
	}
	wantSrc := filepath.Join(o.Out, ".rfl-tutor/src", filepath.Base(m.src))
	if tr.Meta.SourceDir != wantSrc || tr.SourceDir != wantSrc {
		t.Fatalf("source dir %q / %q, want %s", tr.Meta.SourceDir, tr.SourceDir, wantSrc)
	}
	// The release is read from the tarball without unpacking it.
	src, err := openSource(t.Context(), m.env, tarball)
	if err != nil || src.release != "6.12.117" {
		t.Fatalf("release %+v %v", src, err)
	}
	// Without gzip the error says which package to install, together with the other checks.
	os.Remove(filepath.Join(m.bin, "gzip"))
	o.Out = t.TempDir()
	var mt *MissingToolsError
	if _, err := prepare(t.Context(), o, m.env); !errors.As(err, &mt) || !strings.Contains(err.Error(), "gzip") {
		t.Fatalf("err = %v", err)
	}
}

func TestCancelKillsTheBuild(t *testing.T) {
	m := newFakeMachine(t)
	os.WriteFile(filepath.Join(m.src, "SLEEP"), nil, 0o644)
	o := opts(t, m)
	ctx, cancel := context.WithCancel(t.Context())
	pidFile := filepath.Join(o.Out, "child.pid")
	go func() {
		for !fileExists(pidFile) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	_, err := prepare(ctx, o, m.env)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("cancel took %s", d)
	}
	b, _ := os.ReadFile(pidFile)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if alive(pid) {
		t.Fatalf("make's child %d survived the cancel", pid)
	}
}

// alive reports whether pid runs; a zombie waiting for an init that does not reap it is dead.
func alive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z")
}

func TestSecondPrepareNamesTheFirst(t *testing.T) {
	out := t.TempDir()
	if err := claim(out); err != nil {
		t.Fatal(err)
	}
	release, err := lockTree(out)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lockTree(out)
	if err == nil || !strings.Contains(err.Error(), "another `rfl-tutor kernel prepare` is working on "+out) ||
		!strings.Contains(err.Error(), "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("second lock: %v, want it to name this process", err)
	}
	release()
	release, err = lockTree(out)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	release()
}
