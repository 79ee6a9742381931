package doctor

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

func TestRealTree(t *testing.T) {
	dir := testkernel.Dir(t)
	tr, err := kernel.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := Run(t.Context(), Input{Tree: tr, WorkspaceDir: t.TempDir()})
	var text bytes.Buffer
	r.WriteText(&text, false)
	t.Logf("\n%s", text.String())
	if !r.OK() {
		t.Fatal("doctor fails on the real tree")
	}
	for _, id := range []string{"kernel-tree", "tree-configured", "config-rust", "rust-metadata", "llvm", "rustc", "rust-src", "bindgen", "libclang", "workspace", "boot-stage"} {
		c := r.Check(id)
		if c == nil || c.Status != OK {
			t.Errorf("check %s: %+v, want ok", id, c)
		}
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		mode := os.FileMode(0o644)
		if strings.HasPrefix(c, "#!") {
			mode = 0o755
		}
		if err := os.WriteFile(full, []byte(c), mode); err != nil {
			t.Fatal(err)
		}
	}
}

// fakeTree is a built, Rust-ready tree; mutate breaks it the way a test needs.
func fakeTree(t *testing.T, mutate func(dir string)) *kernel.Tree {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Makefile":                      "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\n",
		"include/config/kernel.release": "6.12.117\n",
		".config": "CONFIG_RUST=y\nCONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=190107\n" +
			`CONFIG_RUSTC_VERSION_TEXT="rustc 1.80.0 (fake)"` + "\n",
		"rust/libkernel.rmeta":  "",
		"rust/libmacros.so":     "",
		"Module.symvers":        "",
		"arch/x86/boot/bzImage": "",
	})
	if mutate != nil {
		mutate(dir)
	}
	tr, err := kernel.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestBrokenTrees(t *testing.T) {
	tests := []struct {
		name       string
		mutate     func(dir string)
		id         string
		detail     string // in the failing check's Detail
		fix        string // in its Fix
		notChecked []string
	}{
		{"no .config", func(d string) { os.Remove(filepath.Join(d, ".config")) },
			"tree-configured", "never configured", "rfl-tutor kernel prepare", []string{"config-rust", "rust-metadata"}},
		{"CONFIG_RUST off", func(d string) {
			os.WriteFile(filepath.Join(d, ".config"), []byte("# CONFIG_RUST is not set\nCONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=190107\n"), 0o644)
			os.RemoveAll(filepath.Join(d, "rust"))
		}, "config-rust", "E0463", "rfl-tutor kernel prepare", nil},
		{"no rmeta", func(d string) { os.Remove(filepath.Join(d, "rust/libkernel.rmeta")) },
			"rust-metadata", "missing rust/libkernel.rmeta: module builds would fail with error[E0463]", "make -C ", nil},
		{"modules_prepare only", func(d string) { os.Remove(filepath.Join(d, "Module.symvers")) },
			"rust-metadata", "Module.symvers is missing", "-j$(nproc)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := fakeTree(t, tt.mutate)
			r := Run(t.Context(), Input{Tree: tr})
			if r.OK() {
				t.Fatal("report is OK for a broken tree")
			}
			c := r.Check(tt.id)
			if c == nil || c.Status != Fail {
				t.Fatalf("check %s = %+v, want fail", tt.id, c)
			}
			if !strings.Contains(c.Detail, tt.detail) || !strings.Contains(c.Fix, tt.fix) {
				t.Errorf("detail %q fix %q, want %q / %q", c.Detail, c.Fix, tt.detail, tt.fix)
			}
			for _, id := range tt.notChecked {
				if r.Check(id) != nil {
					t.Errorf("check %s makes no sense here but was reported", id)
				}
			}
		})
	}
}

func TestNoTree(t *testing.T) {
	findErr := errors.New("no kernel tree found; looked at: --kdir: not given")
	r := Run(t.Context(), Input{FindErr: findErr})
	c := r.Check("kernel-tree")
	if c == nil || c.Status != Fail || c.Detail != findErr.Error() || !strings.Contains(c.Fix, "kernel prepare") {
		t.Fatalf("kernel-tree = %+v", c)
	}
	if r.OK() {
		t.Fatal("OK without a tree")
	}
}

// fakeEnv is a PATH holding only the given scripts, and an empty root.
func fakeEnv(t *testing.T, tools map[string]string) toolchain.Env {
	bin := t.TempDir()
	for name, body := range tools {
		writeFiles(t, bin, map[string]string{name: "#!/bin/sh\n" + body + "\n"})
	}
	return toolchain.Env{Path: bin, Root: t.TempDir()}
}

func TestLLVMMismatch(t *testing.T) {
	tr := fakeTree(t, nil)
	tr.LLVM = "-19"
	r := run(t.Context(), Input{Tree: tr}, fakeEnv(t, nil))
	c := r.Check("llvm")
	if c == nil || c.Status != Fail || !strings.Contains(c.Detail, "clang-19") ||
		c.Fix != "sudo apt-get install clang-19 lld-19 llvm-19" {
		t.Fatalf("llvm = %+v", c)
	}
}

func TestRustcChecks(t *testing.T) {
	sysroot := t.TempDir()
	rustc := func(version string) string {
		return `case "$1" in --version) echo "` + version + `";; --print) echo "` + sysroot + `";; esac`
	}
	t.Run("no rustc matches the tree", func(t *testing.T) {
		tr := fakeTree(t, nil)
		tr.Rustc = ""
		r := run(t.Context(), Input{Tree: tr}, fakeEnv(t, map[string]string{"rustc": rustc("rustc 1.81.0 (other)")}))
		c := r.Check("rustc")
		if c == nil || c.Status != Fail || !strings.Contains(c.Detail, "E0514") || !strings.Contains(c.Detail, "1.81.0") {
			t.Fatalf("rustc = %+v", c)
		}
	})
	t.Run("PATH rustc differs from the tree's", func(t *testing.T) {
		own := t.TempDir()
		writeFiles(t, own, map[string]string{"rustc": "#!/bin/sh\n" + rustc("rustc 1.80.0 (fake)")})
		tr := fakeTree(t, nil)
		tr.Rustc = filepath.Join(own, "rustc")
		r := run(t.Context(), Input{Tree: tr}, fakeEnv(t, map[string]string{"rustc": rustc("rustc 1.95.0 (rustup)")}))
		if c := r.Check("rustc"); c == nil || c.Status != OK {
			t.Errorf("rustc = %+v, want ok", c)
		}
		c := r.Check("rustc-path")
		if c == nil || c.Status != Warn || !strings.Contains(c.Detail, "E0514") || !strings.Contains(c.Fix, "RUSTC="+tr.Rustc) {
			t.Fatalf("rustc-path = %+v", c)
		}
		// rust-src is missing in this sysroot, but the tree is ready: only a warning.
		if c := r.Check("rust-src"); c == nil || c.Status != Warn {
			t.Errorf("rust-src = %+v, want warn", c)
		}
	})
	t.Run("too old for the kernel", func(t *testing.T) {
		tr := fakeTree(t, func(d string) {
			os.WriteFile(filepath.Join(d, ".config"), []byte(`CONFIG_RUST=y`+"\n"+`CONFIG_RUSTC_VERSION_TEXT="rustc 1.70.0 (old)"`+"\n"), 0o644)
		})
		own := t.TempDir()
		writeFiles(t, own, map[string]string{"rustc": "#!/bin/sh\n" + rustc("rustc 1.70.0 (old)")})
		tr.Rustc = filepath.Join(own, "rustc")
		r := run(t.Context(), Input{Tree: tr}, fakeEnv(t, nil))
		c := r.Check("rustc")
		if c == nil || c.Status != Fail || !strings.Contains(c.Detail, ">= 1.78.0") {
			t.Fatalf("rustc = %+v", c)
		}
	})
}

func TestBindgenAndLibclang(t *testing.T) {
	tr := fakeTree(t, func(d string) { os.Remove(filepath.Join(d, "Module.symvers")) }) // not ready: prepare tools matter
	env := fakeEnv(t, map[string]string{"bindgen": "echo bindgen 0.60.1"})
	r := run(t.Context(), Input{Tree: tr}, env)
	if c := r.Check("bindgen"); c == nil || c.Status != OK || !strings.Contains(c.Detail, "wrapper") {
		t.Errorf("bindgen = %+v", c)
	}
	if c := r.Check("libclang"); c == nil || c.Status != Fail || c.Fix != "sudo apt-get install libclang1-14" {
		t.Errorf("libclang = %+v", c)
	}
	writeFiles(t, env.Root, map[string]string{"usr/lib/llvm-14/lib/libclang.so.1": ""})
	r = run(t.Context(), Input{Tree: tr}, env)
	if c := r.Check("libclang"); c == nil || c.Status != OK {
		t.Errorf("libclang with llvm-14 = %+v", c)
	}
	r = run(t.Context(), Input{Tree: tr}, fakeEnv(t, nil))
	if c := r.Check("bindgen"); c == nil || c.Status != Fail || c.Fix != "sudo apt-get install bindgen" {
		t.Errorf("no bindgen = %+v", c)
	}
}

func TestBootStageChecks(t *testing.T) {
	tr := fakeTree(t, func(d string) { os.Remove(filepath.Join(d, "arch/x86/boot/bzImage")) })
	r := run(t.Context(), Input{Tree: tr}, fakeEnv(t, nil))
	for id, fix := range map[string]string{
		"qemu":       "sudo apt-get install qemu-system-x86",
		"busybox":    "sudo apt-get install busybox-static",
		"boot-image": "bzImage",
	} {
		if c := r.Check(id); c == nil || c.Status != Warn || !strings.Contains(c.Fix, fix) {
			t.Errorf("%s = %+v", id, c)
		}
	}
	// The summary names everything the boot stage lacks, and that checks will skip it.
	c := r.Check("boot-stage")
	if c == nil || c.Status != Warn || !strings.Contains(c.Detail, "checks skip it") ||
		!strings.Contains(c.Detail, "qemu-system-x86_64 is not installed") || !strings.Contains(c.Detail, "no bzImage") {
		t.Errorf("boot-stage = %+v", c)
	}
}

func TestWorkspace(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	r := run(t.Context(), Input{WorkspaceDir: filepath.Join(file, "ws")}, fakeEnv(t, nil))
	if c := r.Check("workspace"); c == nil || c.Status != Fail || !strings.Contains(c.Fix, "RFL_TUTOR_WORKSPACE") {
		t.Fatalf("workspace = %+v", c)
	}
	dir := filepath.Join(t.TempDir(), "new", "ws")
	r = run(t.Context(), Input{WorkspaceDir: dir}, fakeEnv(t, nil))
	if c := r.Check("workspace"); c == nil || c.Status != OK {
		t.Fatalf("workspace = %+v", c)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the probe left files: %v", ents)
	}
}

func TestUnavailableExercises(t *testing.T) {
	snip := func(constraint string, cfg ...string) *course.Snippet {
		s := &course.Snippet{KernelRaw: constraint}
		if constraint != "" {
			c, err := semver.NewConstraint(constraint)
			if err != nil {
				t.Fatal(err)
			}
			s.Kernel = c
		}
		for _, n := range cfg {
			s.Config = append(s.Config, course.ConfigOption{Name: n})
		}
		return s
	}
	c := &course.Course{Lessons: []*course.Lesson{
		{Exercises: []*course.Exercise{
			{ID: "hello", Snippet: snip(">= 6.12, < 6.17")},
			{ID: "authors", Snippet: snip(">= 6.15")},
		}},
		{Exercises: []*course.Exercise{{ID: "phy", Snippet: snip("", "PHYLIB")}}},
	}}
	r := run(t.Context(), Input{Tree: fakeTree(t, nil), Course: c}, fakeEnv(t, nil))
	want := []Unavailable{
		{"authors", "needs kernel >= 6.15, tree is 6.12.117"},
		{"phy", "needs CONFIG_PHYLIB (not set)"},
	}
	if len(r.Unavailable) != len(want) {
		t.Fatalf("unavailable %+v, want %+v", r.Unavailable, want)
	}
	for i := range want {
		if r.Unavailable[i] != want[i] {
			t.Errorf("unavailable[%d] = %+v, want %+v", i, r.Unavailable[i], want[i])
		}
	}
}

func TestOtherTrees(t *testing.T) {
	c := &course.Course{Lessons: []*course.Lesson{{Exercises: []*course.Exercise{
		{ID: "hello", Snippet: &course.Snippet{}},
		{ID: "phy", Snippet: &course.Snippet{Config: []course.ConfigOption{{Name: "PHYLIB"}}}},
	}}}}
	judged := fakeTree(t, nil)
	other := fakeTree(t, func(dir string) {
		writeFiles(t, dir, map[string]string{".config": "CONFIG_RUST=y\nCONFIG_PHYLIB=y\n", "Makefile": "VERSION = 7\nPATCHLEVEL = 3\nSUBLEVEL = 4\nEXTRAVERSION =\n",
			"include/config/kernel.release": "7.3.4\n"})
	})
	broken := fakeTree(t, func(dir string) { _ = os.Remove(filepath.Join(dir, "rust/libkernel.rmeta")) })
	r := run(t.Context(), Input{Tree: judged, Course: c, Others: []*kernel.Tree{judged, other, broken}}, fakeEnv(t, nil))
	if len(r.OtherTrees) != 2 {
		t.Fatalf("other trees %+v: want the two besides the judged one", r.OtherTrees)
	}
	if o := r.OtherTrees[0]; o.Release != "7.3.4" || o.Dir != other.Dir || o.NotReady != "" || o.Available != 2 || o.Exercises != 2 {
		t.Errorf("7.3 tree listed as %+v", o)
	}
	if o := r.OtherTrees[1]; !strings.Contains(o.NotReady, "rust/libkernel.rmeta is missing") || o.Available != 1 {
		t.Errorf("broken tree listed as %+v", o)
	}
	var text bytes.Buffer
	if err := r.WriteText(&text, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Other kernel trees (switch with `rfl-tutor kernel use VERSION`, or K in the tutor):",
		"  Linux 7.3.4  2/2 exercises  " + other.Dir, "cannot build modules: "} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
}

func TestRender(t *testing.T) {
	r := &Report{
		Tree: "/k",
		Checks: []Check{
			{ID: "kernel-tree", Title: "kernel tree", Status: OK, Detail: "Linux 6.12.117 at /k"},
			{ID: "qemu", Title: "QEMU (boot stage)", Status: Warn, Detail: "not found", Fix: "sudo apt-get install qemu-system-x86"},
			{ID: "rust-metadata", Title: "Rust metadata", Status: Fail, Detail: "missing rust/libkernel.rmeta", Fix: "rfl-tutor kernel prepare"},
		},
		Unavailable: []Unavailable{{"phy", "needs CONFIG_PHYLIB (not set)"}},
	}
	var plain bytes.Buffer
	if err := r.WriteText(&plain, false); err != nil {
		t.Fatal(err)
	}
	want := `[ok]   kernel tree        Linux 6.12.117 at /k
[warn] QEMU (boot stage)  not found
       fix: sudo apt-get install qemu-system-x86
[FAIL] Rust metadata      missing rust/libkernel.rmeta
       fix: rfl-tutor kernel prepare

Exercises this tree cannot build:
  phy: needs CONFIG_PHYLIB (not set)

1 ok, 1 warnings, 1 failures
`
	if plain.String() != want {
		t.Errorf("plain text:\n%s\nwant:\n%s", plain.String(), want)
	}
	var colored bytes.Buffer
	r.WriteText(&colored, true)
	if !strings.Contains(colored.String(), "\x1b[31m") || strings.Contains(plain.String(), "\x1b") {
		t.Error("colour only when asked")
	}

	var js bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Checks []struct {
			ID, Status, Fix string
		}
		Unavailable []struct{ Exercise, Reason string }
	}
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Checks) != 3 || back.Checks[2].Status != "fail" || back.Checks[2].Fix == "" || back.Unavailable[0].Exercise != "phy" {
		t.Errorf("json: %s", js.String())
	}
}

func TestSandbox(t *testing.T) {
	sandboxCheck := func(in Input) *Check {
		t.Helper()
		c := run(t.Context(), in, fakeEnv(t, nil)).Check("sandbox")
		if c == nil {
			t.Fatal("no sandbox check")
		}
		return c
	}
	if _, err := exec.LookPath("bwrap"); err == nil {
		if c := sandboxCheck(Input{}); c.Status != OK || !strings.Contains(c.Detail, "works") {
			t.Errorf("with bubblewrap: %+v", c)
		}
	} else if testkernel.Required() {
		t.Fatalf("CI installs bubblewrap: %v", err)
	}

	// A bwrap that cannot start a sandbox, as where user namespaces are disabled.
	broken := t.TempDir()
	if err := os.WriteFile(filepath.Join(broken, "bwrap"), []byte("#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", broken+string(filepath.ListSeparator)+os.Getenv("PATH"))
	builtin := &course.Course{Trusted: true}
	if c := sandboxCheck(Input{Course: builtin}); c.Status != Warn || !strings.Contains(c.Detail, "uid map: Permission denied") ||
		!strings.Contains(c.Detail, "built-in course run unsandboxed") || !strings.Contains(c.Fix, "apt-get install bubblewrap") {
		t.Errorf("broken bwrap, built-in course: %+v", c)
	}

	t.Setenv("PATH", t.TempDir())
	if c := sandboxCheck(Input{Course: builtin}); c.Status != Warn || !strings.Contains(c.Detail, "not installed") {
		t.Errorf("no bwrap, built-in course: %+v", c)
	}
	if c := sandboxCheck(Input{Course: &course.Course{}}); c.Status != Fail || !strings.Contains(c.Fix, "--trust") {
		t.Errorf("no bwrap, untrusted pack: %+v", c)
	}
}
