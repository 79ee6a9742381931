package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/Masterminds/semver/v3"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testdata is the absolute path of this package's testdata: tests change the working
// directory, and the course is read lazily.
var testdata = func() string {
	d, err := filepath.Abs("testdata")
	if err != nil {
		panic(err)
	}
	return d
}()

// testCourse loads the small course pack in testdata/course.
func testCourse(t testing.TB) *course.Course {
	t.Helper()
	fsys, err := course.OpenDir(filepath.Join(testdata, "course"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := course.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testTree is a kernel tree as kernel.Open would describe a configured 6.12 tree; the
// checker is fake, so nothing reads it.
func testTree() *kernel.Tree {
	return &kernel.Tree{
		Dir:     "/srv/ktree",
		Release: "6.12.117",
		Version: semver.MustParse("6.12.117"),
		Config:  map[string]string{"RUST": "y", "MODULES": "y"},
	}
}

// fakeChecker replays a scripted check: events, then a verdict or an error. With block set it
// waits for the context to end first, like a build that is still running.
type fakeChecker struct {
	mu      sync.Mutex
	events  []check.Event
	verdict func(dir string) *check.Verdict
	err     error
	block   bool
	calls   int
	started chan struct{}
}

func (f *fakeChecker) Check(ctx context.Context, ex *course.Exercise, dir string, opts check.Options) (*check.Verdict, error) {
	f.mu.Lock()
	f.calls++
	events, verdict, err, block := f.events, f.verdict, f.err, f.block
	started := f.started
	f.mu.Unlock()
	if started != nil {
		started <- struct{}{}
	}
	for _, e := range events {
		opts.OnEvent(e)
	}
	if block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	return verdict(dir), nil
}

// failingVerdict is what checking the hello starter gives: the build fails with one error.
func failingVerdict(dir string) *check.Verdict {
	d := diag.Diagnostic{
		Severity: diag.SeverityError, Code: "E0425",
		Message: "cannot find value `__LOG_PREFIX` in this scope",
		File:    filepath.Join(dir, "hello.rs"),
		Line:    16, Column: 9,
		SourceLine: `        pr_info!("Hello\n");`,
		Labels:     []diag.Label{{Line: 16, Column: 9, Width: 19, Primary: true, Text: "not found in this scope"}},
		Notes:      []string{"note: this error originates in the macro `pr_info`"},
	}
	d2 := diag.Diagnostic{
		Severity: diag.SeverityError, Message: `Missing required key "license".`,
		File: filepath.Join(dir, "hello.rs"), Line: 7, Column: 1,
		SourceLine: "module! {",
	}
	return &check.Verdict{
		ExerciseID: "hello-module",
		Stages: []check.StageResult{
			{Stage: course.StageBuild, Status: check.Fail, Reason: `hello.rs:7:1: error: Missing required key "license". (and 1 more error(s))`, Diagnostics: []diag.Diagnostic{d2, d}},
			{Stage: course.StageWarnings, Status: check.Skip, Reason: "needs a successful build"},
			{Stage: course.StageModinfo, Status: check.Skip, Reason: "needs a successful build"},
			{Stage: course.StageStyle, Status: check.Pass, Reason: "SPDX headers and SAFETY comments in place"},
		},
		Diagnostics: []diag.Diagnostic{d2, d},
		Dir:         dir,
		Duration:    2300 * time.Millisecond,
	}
}

func passingVerdict(dir string) *check.Verdict {
	return &check.Verdict{
		ExerciseID: "hello-module", Passed: true,
		Stages: []check.StageResult{
			{Stage: course.StageBuild, Status: check.Pass, Reason: "built hello.ko"},
			{Stage: course.StageWarnings, Status: check.Pass, Reason: "no warnings"},
			{Stage: course.StageModinfo, Status: check.Pass, Reason: "name=hello license=GPL author=A Learner description=Says hello"},
			{Stage: course.StageStyle, Status: check.Pass, Reason: "SPDX headers and SAFETY comments in place"},
		},
		Dir: dir, Duration: 3100 * time.Millisecond,
	}
}

// modinfoVerdict is a build that passes with a module whose .modinfo lacks the author: the
// stage's reason is longer than its line in the stage list.
func modinfoVerdict(dir string) *check.Verdict {
	return &check.Verdict{
		ExerciseID: "hello-module",
		Stages: []check.StageResult{
			{Stage: course.StageBuild, Status: check.Pass, Reason: "built hello.ko"},
			{Stage: course.StageWarnings, Status: check.Pass, Reason: "no warnings"},
			{Stage: course.StageModinfo, Status: check.Fail, Reason: "no author in .modinfo: add `author: \"…\"` (Linux 6.12) or `authors: [\"…\"]` (Linux 7.x) to module!"},
			{Stage: course.StageStyle, Status: check.Pass, Reason: "SPDX headers and SAFETY comments in place"},
		},
		Dir: dir, Duration: 2900 * time.Millisecond,
	}
}

// failingEvents is the event stream of a failing check.
func failingEvents() []check.Event {
	return []check.Event{
		check.StageStarted{Stage: course.StageBuild},
		check.Output{Data: []byte("  RUSTC [M] hello.o\r\n\x1b[0m\x1b[1m\x1b[38;5;9merror\x1b[0m\x1b[0m\x1b[1m: Missing required key \"license\".\x1b[0m\r\n")},
		check.Output{Data: []byte("make[2]: *** [scripts/Makefile.build:286: hello.o] Error 1\r\n")},
		check.StageDone{Result: check.StageResult{Stage: course.StageBuild, Status: check.Fail, Reason: "hello.rs:7:1: error: Missing required key"}},
	}
}

type harness struct {
	t       testing.TB
	m       *Model
	c       *Common
	checker *fakeChecker
	store   *progress.Store
	ws      *workspace.Workspace
	now     time.Time
	// inbox receives the messages of commands, which run in goroutines as in a program.
	inbox chan tea.Msg
}

type harnessOpt func(*Options)

// newHarness builds the model on the test course in a fresh workspace and progress file, and
// sizes it. The working directory is the test's temporary folder, and the workspace is given
// by a relative path, so views (and golden files) show the same paths on every run.
func newHarness(t testing.TB, w, h int, opts ...harnessOpt) *harness {
	t.Helper()
	return newTestHarness(t, w, h, false, opts...)
}

// newWelcomeHarness is a harness left on the welcome screen a fresh learner sees.
func newWelcomeHarness(t testing.TB, w, h int, opts ...harnessOpt) *harness {
	t.Helper()
	return newTestHarness(t, w, h, true, opts...)
}

func newTestHarness(t testing.TB, w, h int, keepWelcome bool, opts ...harnessOpt) *harness {
	t.Helper()
	c := testCourse(t)
	dir := t.TempDir()
	t.Chdir(dir)
	store, err := progress.Open(filepath.Join(dir, "state", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	fc := &fakeChecker{events: failingEvents(), verdict: failingVerdict}
	o := Options{
		Course:    c,
		Tree:      testTree(),
		Checker:   fc,
		Workspace: workspace.New("ws"),
		Progress:  store,
		Doctor: func(context.Context, *kernel.Tree) *doctor.Report {
			return &doctor.Report{Checks: []doctor.Check{{ID: "kernel-tree", Title: "kernel tree", Status: doctor.OK}, {ID: "rustc", Title: "rustc", Status: doctor.OK}}}
		},
	}
	for _, opt := range opts {
		opt(&o)
	}
	return buildHarness(t, o, fc, store, w, h, keepWelcome)
}

func newHarnessWith(t testing.TB, o Options, fc *fakeChecker, store *progress.Store, w, h int) *harness {
	t.Helper()
	return buildHarness(t, o, fc, store, w, h, false)
}

func buildHarness(t testing.TB, o Options, fc *fakeChecker, store *progress.Store, w, h int, keepWelcome bool) *harness {
	t.Helper()
	m, err := New(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	m.c.Now = func() time.Time { return now }
	m.c.Editor = []string{"true"}
	hs := &harness{t: t, m: m, c: m.c, checker: fc, store: store, ws: o.Workspace, now: now,
		inbox: make(chan tea.Msg, 1024)}
	t.Cleanup(func() { m.shutdown(5 * time.Second) })
	hs.exec(m.Init())
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	if m.screen == screenWelcome && !keepWelcome {
		// A fresh progress file opens on the welcome screen; most tests start from the list.
		m.screen = screenList
	}
	return hs
}

// send delivers a message and then the messages of the commands it causes, until the program
// is idle (commands still waiting, like a watcher or a blocked build, keep running).
func (h *harness) send(msg tea.Msg) {
	h.t.Helper()
	_, cmd := h.m.Update(msg)
	h.exec(cmd)
	h.settle()
}

// exec starts a command in a goroutine, as the program does.
func (h *harness) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() { h.inbox <- cmd() }()
}

// deliver hands one message from a command to the model.
func (h *harness) deliver(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			h.exec(c)
		}
	default:
		if isTick(msg) {
			return
		}
		_, next := h.m.Update(msg)
		h.exec(next)
	}
}

// settle delivers messages until none arrives for a short while.
func (h *harness) settle() {
	h.t.Helper()
	for {
		select {
		case msg := <-h.inbox:
			h.deliver(msg)
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

// waitFor delivers messages until cond holds, failing the test after timeout.
func (h *harness) waitFor(what string, timeout time.Duration, cond func() bool) {
	h.t.Helper()
	deadline := time.After(timeout)
	for !cond() {
		select {
		case msg := <-h.inbox:
			h.deliver(msg)
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.screen())
		}
	}
}

// isTick tells timer messages the tests do not replay (they would never settle).
func isTick(msg tea.Msg) bool {
	switch msg.(type) {
	case flashExpiredMsg, spinner.TickMsg:
		return true
	}
	return false
}

func (h *harness) key(keys ...string) {
	h.t.Helper()
	for _, k := range keys {
		h.send(keyPress(k))
	}
}

// typeText sends each character as a key press.
func (h *harness) typeText(s string) {
	h.t.Helper()
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func keyPress(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r := []rune(k)
	if len(r) != 1 {
		panic("unknown key " + k)
	}
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// screen is the view as plain text.
func (h *harness) screen() string {
	return ansi.Strip(h.m.View().Content)
}

func (h *harness) contains(want string) {
	h.t.Helper()
	if s := h.screen(); !strings.Contains(s, want) {
		h.t.Fatalf("screen lacks %q:\n%s", want, s)
	}
}

func (h *harness) lacks(unwanted string) {
	h.t.Helper()
	if s := h.screen(); strings.Contains(s, unwanted) {
		h.t.Fatalf("screen shows %q:\n%s", unwanted, s)
	}
}

// golden compares the plain-text view with testdata/name.golden (rewritten with -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(testdata, name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("view differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// optionsForTest rebuilds Options from a model, for a second program on the same files.
func (m *Model) optionsForTest() Options {
	return Options{
		Course: m.c.Course, Tree: m.c.Tree, TreeErr: m.c.TreeErr, Checker: m.c.Checker,
		Workspace: m.c.Workspace, Progress: m.c.Store, Doctor: m.status.doctor,
	}
}
