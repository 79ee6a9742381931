package tui

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

// openHello opens the hello-module exercise pane and waits until its folder is set up.
func openHello(t testing.TB, h *harness) *exercisePane {
	t.Helper()
	h.send(openExerciseMsg{ex: h.c.Course.Exercise("hello-module")})
	p := h.m.pane
	h.waitFor("the workspace", 5*time.Second, func() bool { return p.ready })
	return p
}

func exerciseProgress(t *testing.T, h *harness, id string) progress.ExerciseProgress {
	t.Helper()
	st, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	return st.Lookup("tui-test").ExerciseStatus(id)
}

func TestExerciseOpenCopiesStarterOnce(t *testing.T) {
	h := newHarness(t, 80, 24)
	p := openHello(t, h)
	got, err := os.ReadFile(p.file)
	if err != nil {
		t.Fatalf("starter not copied: %v", err)
	}
	if !strings.Contains(string(got), `name: "hello",`) || strings.Contains(string(got), "license") {
		t.Fatalf("the workspace file is not the starter:\n%s", got)
	}
	mine := []byte("// my own work\n")
	if err := os.WriteFile(p.file, mine, 0o644); err != nil {
		t.Fatal(err)
	}
	h.key("esc")
	h.send(openExerciseMsg{ex: h.c.Course.Exercise("hello-module")})
	if got, _ := os.ReadFile(p.file); string(got) != string(mine) {
		t.Fatal("reopening the exercise overwrote the learner's file")
	}
	if pos, _ := func() (progress.Position, bool) {
		st, _ := h.store.Load()
		return st.Lookup("tui-test").LastPosition()
	}(); pos.Exercise != "hello-module" {
		t.Errorf("last position %+v", pos)
	}
}

func TestCheckFailureShowsStagesDiagnosticsAndIsRecorded(t *testing.T) {
	h := newHarness(t, 100, 30)
	openHello(t, h)
	h.key("c")
	h.waitFor("the verdict", 5*time.Second, func() bool { return h.m.pane.verdict != nil })
	h.contains("✗ build")
	h.contains("– warnings  needs a successful build")
	h.contains("✓ style")
	h.contains("FAIL 1 of 4 stages failed · attempt 1")
	// The failure moved the pane to the diagnostics, each with file:line and the source line.
	h.contains("Diagnostics 2")
	h.contains(`› error: Missing required key "license".`)
	h.contains("--> hello.rs:7:1")
	h.contains("7 | module! {")
	h.contains("error[E0425]: cannot find value `__LOG_PREFIX` in this scope")
	h.contains("--> hello.rs:16:9")
	h.contains(`16 |         pr_info!("Hello\n");`)
	h.contains("^^^^^^^^^^^^^^^^^^^ not found in this scope")

	ep := exerciseProgress(t, h, "hello-module")
	want := failingVerdict(h.m.pane.dir).Summary()
	if ep.Attempts != 1 || ep.Passed || ep.LastSummary != want {
		t.Fatalf("recorded %+v, want 1 failed attempt with summary %q", ep, want)
	}

	// The selection moves with the keys; enter would open the editor at its line.
	h.key("j")
	if h.m.pane.diagSel != 1 {
		t.Fatalf("selection %d after j", h.m.pane.diagSel)
	}
	h.contains("› error[E0425]")
	_, cmd := h.m.Update(keyPress("enter"))
	if cmd == nil || !h.m.pane.editing {
		t.Fatal("enter on a diagnostic did not start the editor")
	}
}

func TestOutputStreamsSanitized(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.checker.events = []check.Event{
		check.StageStarted{Stage: course.StageBuild},
		check.Output{Data: []byte("\x1b]0;make\x07\x1b[2J\x1b[H  RUSTC [M] hello.o\r\n\x1b[1m\x1b[31merr")},
		check.Output{Data: []byte("or\x1b[0m: split\tacross\r\n50%\r100%\r\n")},
	}
	openHello(t, h)
	h.key("c")
	h.waitFor("the verdict", 5*time.Second, func() bool { return h.m.pane.verdict != nil })
	h.key("tab", "tab", "tab", "tab") // diagnostics → hints → solution → task → output
	if h.m.pane.tab != tabOutput {
		t.Fatalf("on tab %d", h.m.pane.tab)
	}
	h.contains("  RUSTC [M] hello.o")
	h.contains("error: split    across")
	h.contains("\n100%")
	raw := h.m.View().Content
	if !strings.Contains(raw, "\x1b[1m\x1b[31merror\x1b[0m") {
		t.Error("colour of the build output was not kept")
	}
	for _, bad := range []string{"\x1b]0;", "\x1b[2J", "\x1b[H"} {
		if strings.Contains(raw, bad) {
			t.Errorf("escape %q reached the screen", bad)
		}
	}
}

func TestCheckPassUnlocksSolution(t *testing.T) {
	h := newHarness(t, 100, 40)
	h.checker.events = nil
	h.checker.verdict = passingVerdict
	p := openHello(t, h)
	h.key("s")
	h.contains("The solution unlocks once your exercise passes.")
	h.contains("Solution (locked)")

	h.key("c")
	h.waitFor("the verdict", 5*time.Second, func() bool { return p.verdict != nil })
	h.contains("PASS all 4 stages passed in 3.1 s · s solution · n next")
	if ep := exerciseProgress(t, h, "hello-module"); !ep.Passed || ep.Attempts != 1 || ep.LastSummary != "passed" {
		t.Fatalf("recorded %+v", ep)
	}
	h.key("s")
	h.waitFor("the solution", 5*time.Second, func() bool { return strings.Contains(h.screen(), "The whole solution") })
	h.contains("Solution: hello.rs")
	h.contains("How your file differs (- yours, + solution):")
	h.contains(`+    license: "GPL",`)
	h.lacks("Solution: Kbuild") // the same in both
	h.key("esc")
	if !strings.Contains(rowLine(t, h, "Say hello"), "✓") {
		t.Error("the exercise is not marked done in the list")
	}
}

func TestRevealPolicy(t *testing.T) {
	for _, tc := range []struct {
		policy course.RevealPolicy
		want   string
	}{
		{course.RevealAlways, "The whole solution"},
		{course.RevealNever, "This course does not show solutions."},
	} {
		t.Run(string(tc.policy), func(t *testing.T) {
			h := newHarness(t, 100, 40, func(o *Options) { o.Course.Reveal = tc.policy })
			openHello(t, h)
			h.key("s")
			h.waitFor(tc.want, 5*time.Second, func() bool { return strings.Contains(h.screen(), tc.want) })
		})
	}
}

func TestHintsOneAtATime(t *testing.T) {
	h := newHarness(t, 100, 30)
	openHello(t, h)
	h.key("h")
	h.contains("Hint 1 of 3  Read the first error, not the last ones.")
	h.lacks("Hint 2 of 3")
	h.contains("2 more hint(s)")
	h.key("h", "h")
	h.contains("Hint 3 of 3")
	h.contains(`Rust modules must be GPL: license: "GPL".`) // inline code without its backticks
	h.contains("That was the last hint.")
	h.key("h")
	h.contains("Every hint is shown.")
	if ep := exerciseProgress(t, h, "hello-module"); ep.HintsRevealed != 3 {
		t.Fatalf("hints revealed %d, want 3", ep.HintsRevealed)
	}
}

// Cancelled while the module boots, the pane says the guest was stopped, not the build.
func TestCancelDuringTheBoot(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.checker.block = true
	h.checker.events = []check.Event{
		check.StageStarted{Stage: course.StageBuild},
		check.StageDone{Result: check.StageResult{Stage: course.StageBuild, Status: check.Pass, Reason: "built hello.ko"}},
		check.StageStarted{Stage: course.StageBoot},
	}
	p := openHello(t, h)
	h.key("c")
	h.waitFor("the boot stage", 5*time.Second, func() bool { st := p.stage(course.StageBoot); return st != nil && st.running })
	h.key("esc")
	h.waitFor("the cancellation", 5*time.Second, func() bool { return !p.Busy() })
	h.contains("Check cancelled: the booted guest was stopped.")
}

func TestCancelRunningCheck(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.checker.block = true
	p := openHello(t, h)
	h.key("c")
	if !p.Busy() {
		t.Fatal("no check running")
	}
	h.contains("Checking…")
	h.key("esc")
	h.waitFor("the cancellation", 5*time.Second, func() bool { return !p.Busy() })
	h.contains("Check cancelled: the build was stopped.")
	if h.m.screen != screenExercise {
		t.Fatal("esc during a build left the pane instead of cancelling")
	}
	if ep := exerciseProgress(t, h, "hello-module"); ep.Attempts != 0 {
		t.Fatalf("a cancelled check was recorded as an attempt: %+v", ep)
	}
	// ctrl+c cancels too, and does not quit while a build runs.
	h.key("c", "ctrl+c")
	if h.m.quitting {
		t.Fatal("ctrl+c during a build quit instead of cancelling")
	}
	h.waitFor("the cancellation", 5*time.Second, func() bool { return !p.Busy() })
}

func TestNewCheckReplacesRunningOne(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.checker.block = true
	p := openHello(t, h)
	h.key("c")
	first := p.run
	h.checker.mu.Lock()
	h.checker.block = false
	h.checker.mu.Unlock()
	h.key("c")
	if !first.wait(5 * time.Second) {
		t.Fatal("the replaced check was not cancelled")
	}
	h.waitFor("the second verdict", 5*time.Second, func() bool { return p.verdict != nil })
	// A late message of the first run changes nothing.
	before := p.verdict
	h.send(checkMsg{forPane: forPane{"hello-module"}, run: first.id, result: &runResult{err: context.Canceled}})
	if p.verdict != before || strings.Contains(h.screen(), "cancelled") {
		t.Fatal("a message of a replaced run was applied")
	}
}

// slowChecker blocks until cancelled, then takes a while to return, like a build whose process
// group gets SIGTERM and then SIGKILL.
type slowChecker struct {
	started  chan struct{}
	returned atomic.Bool
}

func (s *slowChecker) Check(ctx context.Context, _ *course.Exercise, _ string, _ check.Options) (*check.Verdict, error) {
	close(s.started)
	<-ctx.Done()
	time.Sleep(300 * time.Millisecond)
	s.returned.Store(true)
	return nil, ctx.Err()
}

func TestQuitWaitsForTheBuild(t *testing.T) {
	sc := &slowChecker{started: make(chan struct{})}
	h := newHarness(t, 80, 24, func(o *Options) { o.Checker = sc })
	openHello(t, h)
	_, cmd := h.m.Update(keyPress("c"))
	h.exec(cmd)
	<-sc.started
	_, quit := h.m.Update(keyPress("q"))
	if quit == nil || !h.m.quitting {
		t.Fatal("q did not start quitting")
	}
	h.contains("stopping the build")
	msg := quit()
	if _, ok := msg.(quitNowMsg); !ok {
		t.Fatalf("quit command returned %T", msg)
	}
	if !sc.returned.Load() {
		t.Fatal("the program quit before the build had stopped")
	}
	if _, cmd := h.m.Update(msg); cmd == nil {
		t.Fatal("no tea.Quit after the build stopped")
	}
}

func TestResetKeepsBackup(t *testing.T) {
	h := newHarness(t, 100, 30)
	p := openHello(t, h)
	mine := "// SPDX-License-Identifier: GPL-2.0\n// my attempt\n"
	if err := os.WriteFile(p.file, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	h.key("R")
	h.contains("Reset hello-module to its starter?")
	h.key("n")
	h.contains("Nothing was reset.")
	if got, _ := os.ReadFile(p.file); string(got) != mine {
		t.Fatal("declining the reset changed the file")
	}
	h.key("R", "y")
	h.waitFor("the reset", 5*time.Second, func() bool { return strings.Contains(h.screen(), "Back to the starter") })
	got, _ := os.ReadFile(p.file)
	if strings.Contains(string(got), "my attempt") {
		t.Fatal("the file was not reset")
	}
	backups, _ := filepath.Glob(filepath.Join("ws", "tui-test", ".backup", "hello-module-*", "hello.rs"))
	if len(backups) != 1 {
		t.Fatalf("backups: %v", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != mine {
		t.Fatal("the backup does not hold the learner's file")
	}
	h.contains(filepath.Dir(backups[0]))
}

func TestWatchRechecksOnSave(t *testing.T) {
	h := newHarness(t, 80, 24)
	p := openHello(t, h)
	h.waitFor("the watcher", 5*time.Second, func() bool { return p.watcher != nil })
	if err := os.WriteFile(p.file, []byte("// saved from another window\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.waitFor("a check after the save", 10*time.Second, func() bool { return p.verdict != nil })

	// Watch off: a save checks nothing.
	h.key("w")
	h.contains("○ watch off")
	calls := h.checker.calls
	os.WriteFile(p.file, []byte("// again\n"), 0o644)
	time.Sleep(1500 * time.Millisecond)
	h.settle()
	if h.checker.calls != calls {
		t.Fatal("a save was checked with watch off")
	}
	h.key("w")
	h.contains("● watching")
}

func TestEditorExitChecks(t *testing.T) {
	h := newHarness(t, 80, 24)
	p := openHello(t, h)
	_, cmd := h.m.Update(keyPress("e"))
	if cmd == nil || !p.editing {
		t.Fatal("e did not hand the terminal to the editor")
	}
	h.send(editorDoneMsg{forPane: forPane{"hello-module"}})
	h.waitFor("the check after editing", 5*time.Second, func() bool { return p.verdict != nil })
	h.send(editorDoneMsg{forPane: forPane{"hello-module"}, err: errors.New("exit status 1")})
	h.contains("The editor failed: exit status 1")
	h.c.Editor = []string{"no-such-editor-here"}
	h.send(editorDoneMsg{forPane: forPane{"hello-module"}, err: &exec.Error{Name: "no-such-editor-here", Err: exec.ErrNotFound}})
	h.contains(`Your editor "no-such-editor-here" is not installed here.`)
}

func TestEditorArgs(t *testing.T) {
	h := newHarness(t, 80, 24)
	p := openHello(t, h)
	for _, tc := range []struct {
		editor []string
		env    string // $RFL_TUTOR_EDITOR_LINE
		line   int
		want   []string
	}{
		{[]string{"vim"}, "", 12, []string{"vim", "+12", "f.rs"}},
		{[]string{"/usr/bin/nano"}, "", 3, []string{"/usr/bin/nano", "+3", "f.rs"}},
		{[]string{"code", "--wait"}, "", 12, []string{"code", "--wait", "-g", "f.rs:12"}},
		{[]string{"subl", "-w"}, "", 12, []string{"subl", "-w", "f.rs:12"}},
		{[]string{"vi"}, "", 0, []string{"vi", "f.rs"}},
		{[]string{"/home/me/bin/myedit"}, "", 12, []string{"/home/me/bin/myedit", "f.rs"}},
		{[]string{"/home/me/bin/myedit"}, "plus", 12, []string{"/home/me/bin/myedit", "+12", "f.rs"}},
		{[]string{"/home/me/bin/myedit"}, "colon", 12, []string{"/home/me/bin/myedit", "f.rs:12"}},
		{[]string{"/home/me/bin/myedit"}, "bogus", 12, []string{"/home/me/bin/myedit", "f.rs"}},
	} {
		h.c.Editor = tc.editor
		t.Setenv(EnvEditorLine, tc.env)
		if got := p.editorArgs("f.rs", tc.line); !slices.Equal(got, tc.want) {
			t.Errorf("%v line %d: %q, want %q", tc.editor, tc.line, got, tc.want)
		}
	}
}

func TestUnavailableExerciseIsNotChecked(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.send(openExerciseMsg{ex: h.c.Course.Exercise("future-probe")})
	h.waitFor("the workspace", 5*time.Second, func() bool { return h.m.pane.ready })
	h.contains("Cannot be checked here: needs kernel >= 7.0, tree is 6.12.117")
	h.key("c")
	if h.checker.calls != 0 {
		t.Fatal("an unavailable exercise was checked")
	}
}

func TestNoKernelTree(t *testing.T) {
	h := newHarness(t, 100, 30, func(o *Options) {
		o.Tree = nil
		o.Checker = (*check.Checker)(nil) // what main has when kernel.Find failed
		o.TreeErr = errors.New("no kernel tree found\n  prepare one with …")
	})
	h.contains("no kernel tree: no kernel tree found")
	openHello(t, h)
	h.contains("Cannot be checked here: no kernel tree: no kernel tree found")
	h.key("c") // must not call through a nil checker
	h.contains("Cannot be checked here")
}

func TestSpinnerStopsWithTheCheck(t *testing.T) {
	h := newHarness(t, 80, 24)
	p := openHello(t, h)
	h.key("c")
	h.waitFor("the verdict", 5*time.Second, func() bool { return p.verdict != nil })
	if cmd := p.Update(p.spin.Tick()); cmd != nil {
		t.Fatal("the spinner keeps ticking after the check")
	}
}

func TestBootConsoleStreamsAndItsFailureIsShown(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.checker.events = []check.Event{
		check.StageStarted{Stage: course.StageBuild},
		check.Output{Data: []byte("  LD [M]  hello.ko\r\n"), Source: check.SourceBuild},
		check.StageStarted{Stage: course.StageBoot},
		check.Output{Data: []byte("\r\n── booting the module under QEMU ──\r\n"), Source: check.SourceBoot},
		check.Output{Data: []byte("[    0.519979] Run /init as init process\r\n[    0.600317] hello: Hello from Rust!\r\n"), Source: check.SourceBoot},
	}
	h.checker.verdict = func(dir string) *check.Verdict {
		return &check.Verdict{ExerciseID: "hello-module", Dir: dir, Stages: []check.StageResult{
			{Stage: course.StageBuild, Status: check.Pass, Reason: "built hello.ko"},
			{Stage: course.StageBoot, Status: check.Fail,
				Reason: `expected the module to print "hello: Goodbye" when unloaded (in Drop), but it did not`,
				Log:    []string{"» insmod hello", "[0.600317] hello: Hello from Rust!", "» rmmod hello", "» exit status 0"}},
		}}
	}
	openHello(t, h)
	h.key("c")
	h.waitFor("the verdict", 5*time.Second, func() bool { return h.m.pane.verdict != nil })
	// The failed boot brings its log into the diagnostics tab, with the reason.
	h.contains("✗ boot")
	h.contains("Diagnostics 1")
	h.contains(`✗ boot stage: expected the module to print "hello: Goodbye" when unloaded`)
	h.contains("» rmmod hello")
	h.contains("[0.600317] hello: Hello from Rust!")
	// The guest's console followed the build output in the output tab.
	h.key("tab", "tab", "tab", "tab")
	if h.m.pane.tab != tabOutput {
		t.Fatalf("on tab %d", h.m.pane.tab)
	}
	h.contains("LD [M]  hello.ko")
	h.contains("── booting the module under QEMU ──")
	h.contains("[    0.600317] hello: Hello from Rust!")
}

func TestWaitingCheckNamesWhoHoldsTheBuildFolder(t *testing.T) {
	h := newHarness(t, 140, 30)
	holder := "pid 4242 (rfl-tutor check hello-module, folder /ws/hello-module) since 12:03:10"
	h.checker.events = []check.Event{check.Waiting{Holder: holder}}
	h.checker.block = true
	p := openHello(t, h)
	h.key("c")
	h.waitFor("the holder on screen", 5*time.Second, func() bool {
		return strings.Contains(h.screen(), "Waiting for the build… the build folder is held by "+holder)
	})
	// Once the folder is ours the holder is old news.
	h.send(checkMsg{forPane: forPane{"hello-module"}, run: p.run.id, events: []check.Event{check.StageStarted{Stage: course.StageBuild}}})
	h.contains("Waiting for the build…")
	h.lacks("held by")
	h.key("esc")
	h.waitFor("the cancellation", 5*time.Second, func() bool { return !p.Busy() })
}
