package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rfl-tutor/rfl-tutor/internal/boot"
	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// isolate points every XDG directory and the progress file at a fresh temp dir, so tests never
// touch the developer's own progress or workspace.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	for _, v := range []string{"XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, filepath.Join(home, strings.ToLower(v)))
	}
	t.Setenv("RFL_TUTOR_PROGRESS", "")
	t.Setenv("RFL_TUTOR_WORKSPACE", "")
	t.Setenv("KDIR", "")
	t.Setenv("NO_COLOR", "")
	return home
}

// cli runs rfl-tutor in-process, as a non-terminal caller sees it.
func cli(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestHelpEverywhere(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"--help"}, {"list", "--help"}, {"show", "--help"}, {"hint", "--help"}, {"solution", "--help"}, {"progress", "--help"},
		{"check", "--help"}, {"reset", "--help"}, {"doctor", "--help"}, {"kernel", "--help"},
		{"kernel", "prepare", "--help"}, {"kernel", "make-cmd", "--help"}, {"snippets", "check", "--help"}, {"course", "check", "--help"},
	} {
		out, errOut, code := cli(t, args...)
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, code := cli(t, "--version")
	if code != 0 || !strings.HasPrefix(out, "rfl-tutor ") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"--no-such-flag"}, {"list", "extra"}, {"show"}, {"show", "no-such-lesson"},
		{"hint", "no-such-exercise"}, {"list", "--course", filepath.Join(t.TempDir(), "missing")},
	} {
		_, errOut, code := cli(t, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

func TestListShowsLessonsInOrder(t *testing.T) {
	isolate(t)
	out, errOut, code := cli(t, "list")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("plain output carries escape sequences")
	}
	// A lesson with exercises and questions shows both counts.
	for _, want := range []string{"why-rust", "first-module", "hello-module", "Your exercise files:", "0/2 exercises passed · 0/3 questions answered"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "why-rust") > strings.Index(out, "first-module") {
		t.Errorf("lessons out of order:\n%s", out)
	}
	var l listing
	jout, _, code := cli(t, "list", "--json")
	if err := json.Unmarshal([]byte(jout), &l); err != nil || code != 0 {
		t.Fatalf("list --json: exit %d, %v\n%s", code, err, jout)
	}
	if len(l.Lessons) < 2 || l.Course == "" {
		t.Errorf("list --json: %+v", l)
	}
}

func TestShowRendersAtWidths(t *testing.T) {
	home := isolate(t)
	// Code is never wrapped: a line of it is the same at every width. Prose must fit.
	wide, _, _ := cli(t, "show", "first-module", "--width", "400")
	unwrapped := map[string]bool{}
	for _, line := range strings.Split(wide, "\n") {
		unwrapped[strings.TrimSpace(line)] = true
	}
	for _, width := range []string{"60", "120"} {
		out, errOut, code := cli(t, "show", "first-module", "--width", width)
		if code != 0 {
			t.Fatalf("show --width %s: exit %d: %s", width, code, errOut)
		}
		w := map[string]int{"60": 60, "120": 120}[width]
		for _, line := range strings.Split(out, "\n") {
			if n := len([]rune(line)); n > w && !unwrapped[strings.TrimSpace(line)] {
				t.Errorf("show --width %s: a line of text is %d columns wide: %q", width, n, line)
			}
		}
		if !strings.Contains(out, "module!") || !strings.Contains(out, "rfl-tutor check hello-module") {
			t.Errorf("show --width %s lacks the included code or the exercise:\n%s", width, out)
		}
	}
	// Without a tree the code is for the kernel `kernel prepare` builds by default (7.3): show
	// created the learner's copy of that kernel's starter and printed where it is.
	matches, _ := filepath.Glob(filepath.Join(home, "xdg_data_home", "rfl-tutor", "workspace", "*", "hello-module@linux-7", "*.rs"))
	if len(matches) == 0 {
		t.Fatal("show did not create the exercise's workspace copy for Linux 7.3")
	}
	out, _, _ := cli(t, "show", "first-module", "--width", "200")
	if !strings.Contains(out, `authors: ["rfl-tutor"]`) || strings.Contains(out, `author: "rfl-tutor"`) {
		t.Errorf("show without a tree does not show 7.x's module! code:\n%s", out)
	}
	if old, _ := filepath.Glob(filepath.Join(home, "xdg_data_home", "rfl-tutor", "workspace", "*", "hello-module")); len(old) != 0 {
		t.Errorf("show made a 6.12 copy too: %v", old)
	}
}

func TestShowNamesTheOtherKernelsCopy(t *testing.T) {
	home := isolate(t)
	// A copy made for 6.12 earlier (the base variant's folder) is kept and pointed at.
	old := filepath.Join(home, "ws", "rfl-course", "hello-module")
	if err := os.MkdirAll(old, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "hello_module.rs"), []byte("// mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := cli(t, "--workspace", filepath.Join(home, "ws"), "show", "first-module", "--width", "200")
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Your copy for kernels ~6.12") || !strings.Contains(out, old) {
		t.Errorf("show does not point at the 6.12 copy:\n%s", out)
	}
	if data, _ := os.ReadFile(filepath.Join(old, "hello_module.rs")); string(data) != "// mine\n" {
		t.Errorf("the 6.12 copy was changed: %q", data)
	}
}

func TestHintRevealsOneAtATimeAndRecords(t *testing.T) {
	isolate(t)
	out1, _, code := cli(t, "hint", "hello-module")
	if code != 0 || !strings.Contains(out1, "Hint 1 of") {
		t.Fatalf("first hint: exit %d: %s", code, out1)
	}
	// Inline code reads as in a rendered lesson: no literal backticks.
	if first, _, _ := strings.Cut(out1, "\n"); strings.Contains(first, "`") || !strings.Contains(first, "the macro says Missing required key and names it") {
		t.Errorf("the hint's inline code is not rendered: %q", out1)
	}
	out2, _, _ := cli(t, "hint", "hello-module")
	if !strings.Contains(out2, "Hint 2 of") {
		t.Fatalf("second hint: %s", out2)
	}
	var rep progressReport
	jout, _, _ := cli(t, "progress", "--json")
	if err := json.Unmarshal([]byte(jout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Exercises {
		if e.ID == "hello-module" && e.HintsRevealed != 2 {
			t.Errorf("progress records %d hints, want 2", e.HintsRevealed)
		}
	}
}

func TestCorruptProgressIsKeptAside(t *testing.T) {
	home := isolate(t)
	path := filepath.Join(home, "progress.json")
	t.Setenv("RFL_TUTOR_PROGRESS", path)
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := cli(t, "progress")
	if code != 0 || !strings.Contains(errOut, "corrupt") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	kept, _ := filepath.Glob(path + ".corrupt-*")
	if len(kept) != 1 {
		t.Errorf("corrupt file not kept aside: %v", kept)
	}
}

func TestResetNeedsConfirmation(t *testing.T) {
	isolate(t)
	_, errOut, code := cli(t, "reset", "hello-module")
	if code != 2 || !strings.Contains(errOut, "--yes") {
		t.Errorf("reset without a terminal: exit %d, %q", code, errOut)
	}
	out, errOut, code := cli(t, "reset", "hello-module", "--yes")
	if code != 0 {
		t.Fatalf("reset --yes: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "starter again") {
		t.Errorf("reset --yes: %s", out)
	}
}

// TestPlantedDefectsExitTwo runs `list` on the course package's pack with ten planted defects
// (one of each kind the loader validates) and expects ten problems, each naming its file and
// line (the escaping symlink, a path-level problem, names its file), and exit status 2.
func TestPlantedDefectsExitTwo(t *testing.T) {
	isolate(t)
	tmp := t.TempDir()
	pack := filepath.Join(tmp, "pack")
	if err := os.CopyFS(pack, os.DirFS(filepath.Join("..", "..", "internal", "course", "testdata", "defects"))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "outside.rs"), []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../outside.rs", filepath.Join(pack, "snippets/hello/src/leak.rs")); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := cli(t, "list", "--course", pack)
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != 11 || !strings.Contains(lines[0], "10 problem(s)") {
		t.Fatalf("want a header and 10 problems:\n%s", errOut)
	}
	withLine := regexp.MustCompile(`^  (lessons|snippets)/[^:]+:\d+: `)
	for _, l := range lines[1:] {
		if !withLine.MatchString(l) && !strings.Contains(l, "symlink points outside") {
			t.Errorf("problem without file:line: %q", l)
		}
	}
}

// TestCheckAgainstRealTree is the headless end-to-end check: the starter as shipped fails
// (exit 1), the solution passes (exit 0), and the attempt is recorded.
func TestCheckAgainstRealTree(t *testing.T) {
	kdir := testkernel.Dir(t)
	isolate(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	out, errOut, code := cli(t, "check", "hello-module", "--kdir", kdir)
	if code != 1 || !strings.Contains(out, "FAIL") || !strings.Contains(errOut, "created your copy") {
		t.Fatalf("starter: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = cli(t, "check", "hello-module", "--kdir", kdir, "--solution", "--json")
	if code != 0 {
		t.Fatalf("solution: exit %d\n%s\n%s", code, out, errOut)
	}
	var v check.Verdict
	if err := json.Unmarshal([]byte(out), &v); err != nil || !v.Passed || len(v.Stages) != 5 {
		t.Fatalf("solution verdict: %v %+v", err, v)
	}
	// The boot stage ran in a real kernel and its log is in the verdict.
	if b := v.Stage(course.StageBoot); b == nil || b.Status != check.Pass || !strings.Contains(strings.Join(b.Log, "\n"), "hello_module: Goodbye from Rust!") {
		t.Errorf("boot stage: %+v", b)
	}
	var rep progressReport
	jout, _, _ := cli(t, "progress", "--json")
	if err := json.Unmarshal([]byte(jout), &rep); err != nil {
		t.Fatal(err)
	}
	for _, e := range rep.Exercises {
		if e.ID == "hello-module" && (e.Attempts != 1 || e.Passed) {
			t.Errorf("progress: %+v (the --solution check must not count as the learner's attempt)", e)
		}
	}
	_, errOut, code = cli(t, "check", "hello-module", "--kdir", filepath.Join(t.TempDir(), "nowhere"))
	if code != 2 || errOut == "" {
		t.Errorf("missing tree: exit %d, %q", code, errOut)
	}
}

func TestNoCommandWithoutTerminalLists(t *testing.T) {
	isolate(t)
	out, errOut, code := cli(t)
	if code != 0 || !strings.Contains(errOut, "needs a terminal") || !strings.Contains(out, "first-module") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}

// kernel prepare leaves the boot stage's initramfs next to the tree, and says plainly when it
// cannot (the boot stage is then skipped by checks).
func TestPrepareBootMakesTheInitramfs(t *testing.T) {
	kdir := testkernel.Dir(t)
	isolate(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	p, err := prepareBoot(kdir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p) != boot.BootDir(kdir) {
		t.Errorf("initramfs at %s, want it in %s", p, boot.BootDir(kdir))
	}
	if st, err := os.Stat(p); err != nil || st.Size() < 100<<10 {
		t.Errorf("initramfs %s: %v", p, err)
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := prepareBoot(kdir); err == nil || !strings.Contains(err.Error(), "qemu-system-x86") || !strings.Contains(err.Error(), "busybox-static") {
		t.Errorf("without QEMU and busybox: %v", err)
	}
}

// The shortcut rustc itself suggests for an unused Result, `let _ = …`, silences the warning
// but loses the error: errors-must-use fails it at the boot stage, where the module is given
// more readings than it has room for, and names the line the module did not print.
func TestErrorsMustUseRefusesLetUnderscore(t *testing.T) {
	for _, kdir := range testkernel.Dirs(t) {
		t.Run(filepath.Base(kdir), func(t *testing.T) { letUnderscoreFailsTheBoot(t, kdir) })
	}
}

func letUnderscoreFailsTheBoot(t *testing.T, kdir string) {
	isolate(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	ws := t.TempDir()
	t.Setenv("RFL_TUTOR_WORKSPACE", ws)
	if _, errOut, code := cli(t, "check", "errors-must-use", "--kdir", kdir, "--no-boot"); code != 1 {
		t.Fatalf("starter: exit %d, %s", code, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(ws, "*", "errors-must-use*", "errors_must_use.rs"))
	if len(files) != 1 {
		t.Fatalf("the learner's copy: %v", files)
	}
	src, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	shortcut := strings.Replace(string(src), "log.record(value);", "let _ = log.record(value);", 1)
	if shortcut == string(src) {
		t.Fatal("the starter no longer drops record's Result the way this test expects")
	}
	if err := os.WriteFile(files[0], []byte(shortcut), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := cli(t, "check", "errors-must-use", "--kdir", kdir, "--json")
	var v check.Verdict
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s\n%s", code, err, out, errOut)
	}
	for _, st := range v.Stages {
		want := check.Pass
		if st.Stage == course.StageBoot {
			want = check.Fail
		}
		if st.Status != want {
			t.Errorf("%s: %s (%s), want %s", st.Stage, st.Status, st.Reason, want)
		}
	}
	if b := v.Stage(course.StageBoot); b == nil || !strings.Contains(b.Reason, "six readings refused") {
		t.Errorf("the boot stage does not name the missing refusal: %+v", b)
	}
}
