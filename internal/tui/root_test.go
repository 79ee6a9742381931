package tui

import (
	"context"
	"errors"
	"image/color"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

func TestHealthOf(t *testing.T) {
	check := func(id string, st doctor.Status) doctor.Check { return doctor.Check{ID: id, Title: id, Status: st} }
	for _, tc := range []struct {
		checks []doctor.Check
		want   health
	}{
		{[]doctor.Check{check("a", doctor.OK), check("b", doctor.OK)}, health{true, "all 2 checks pass"}},
		{[]doctor.Check{check("a", doctor.OK), check("b", doctor.Warn)}, health{true, "ok, 1 warning(s): D"}},
		{[]doctor.Check{check("a", doctor.Fail), check("b", doctor.Warn)}, health{false, "a failed: D shows why"}},
		{[]doctor.Check{check("a", doctor.Fail), check("b", doctor.Fail)}, health{false, "2 problems: D shows them"}},
	} {
		if got := healthOf(&doctor.Report{Checks: tc.checks}); got != tc.want {
			t.Errorf("%v: %+v, want %+v", tc.checks, got, tc.want)
		}
	}
}

func TestViewDeclaresAltScreenAndMouse(t *testing.T) {
	h := newHarness(t, 80, 24)
	v := h.m.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion {
		t.Fatalf("AltScreen %v, MouseMode %v", v.AltScreen, v.MouseMode)
	}
}

func TestViewFillsTheScreenExactly(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 16}, {200, 60}} {
		h := newHarness(t, size[0], size[1])
		check := func(where string) {
			t.Helper()
			w, hgt := lipglossSize(h.m.View().Content)
			if w > size[0] || hgt != size[1] {
				t.Errorf("%dx%d %s: view is %dx%d", size[0], size[1], where, w, hgt)
			}
		}
		check("list")
		h.key("j", "enter")
		h.waitFor("the lesson", 5*time.Second, func() bool { return h.m.lesson.shown != docKey{} })
		check("lesson")
		h.key("x")
		h.key("c")
		h.waitFor("the verdict", 5*time.Second, func() bool { return h.m.pane.verdict != nil })
		check("exercise")
		h.key("?")
		check("help")
	}
}

func TestTooSmall(t *testing.T) {
	h := newHarness(t, 50, 12)
	h.contains("The terminal is too small: 50×12.")
	h.key("j", "enter") // ignored
	if h.m.screen != screenList {
		t.Fatal("keys acted on a screen that is not shown")
	}
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.lacks("too small")
	h.contains("Lessons")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 10})
	h.contains("too small")
	_, cmd := h.m.Update(keyPress("q"))
	if cmd == nil {
		t.Fatal("q does not quit on a too-small terminal")
	}
}

func TestHelpScreen(t *testing.T) {
	h := newHarness(t, 100, 30)
	openHello(t, h)
	h.key("?")
	for _, want := range []string{"Keys on this screen", "edit", "check", "watch on/off", "cancel build", "reset to starter", "next hint", "solution"} {
		h.contains(want)
	}
	h.key("?")
	h.lacks("? or esc closes this")
	h.key("?", "esc")
	h.lacks("? or esc closes this")
	if h.m.screen != screenExercise {
		t.Fatal("esc closing the help also left the pane")
	}
}

func TestBackgroundColour(t *testing.T) {
	h := newHarness(t, 80, 24)
	if !h.c.Dark || !h.c.Styles.Dark {
		t.Fatal("not dark before the terminal answered")
	}
	h.send(tea.BackgroundColorMsg{Color: color.RGBA{0xfa, 0xfa, 0xfa, 0xff}})
	if h.c.Dark || h.c.Styles.Dark {
		t.Fatal("a light background kept the dark styles")
	}
	h.send(tea.BackgroundColorMsg{Color: color.Black})
	if !h.c.Dark {
		t.Fatal("a dark background kept the light styles")
	}
}

func TestStatusBar(t *testing.T) {
	h := newHarness(t, 100, 30, func(o *Options) {
		o.Doctor = func(context.Context, *kernel.Tree) *doctor.Report {
			return &doctor.Report{Checks: []doctor.Check{
				{ID: "kernel-tree", Title: "kernel tree", Status: doctor.OK},
				{ID: "rustc", Title: "rustc version", Status: doctor.Fail},
			}}
		}
	})
	h.contains("Linux 6.12.117 · /srv/ktree")
	h.contains("doctor ✗ rustc version failed: D shows why")
	h.send(flashMsg{text: "something happened"})
	h.contains("something happened")
	h.lacks("/srv/ktree")
	h.send(flashExpiredMsg{id: h.m.status.flashID})
	h.contains("/srv/ktree")
}

// failingStore refuses every write.
type failingStore struct{ ProgressStore }

func (f failingStore) Update(func(*progress.State) error) error {
	return errors.New("disk full")
}

func TestProgressWriteFailureIsShown(t *testing.T) {
	h := newHarness(t, 100, 30, func(o *Options) { o.Progress = failingStore{o.Progress} })
	h.key("enter")
	h.contains("Progress not saved: disk full")
}

func TestNewRefusesNewerProgressFile(t *testing.T) {
	h := newHarness(t, 80, 24)
	o := h.m.optionsForTest()
	o.Progress = versionStore{}
	if _, err := New(context.Background(), o); err == nil {
		t.Fatal("a progress file from a newer version was accepted")
	}
}

type versionStore struct{ ProgressStore }

func (versionStore) Load() (*progress.State, error) {
	return nil, &progress.VersionError{Path: "p.json", Version: 9, Supported: 1}
}

func TestMouseWheelInList(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if h.m.list.cursor != 1 {
		t.Fatalf("cursor %d after a wheel step", h.m.list.cursor)
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	if h.m.list.cursor != 0 {
		t.Fatalf("cursor %d after wheel up", h.m.list.cursor)
	}
}

// The status bar has room for "ok, 1 warning(s)"; D shows which, with its fix, and esc goes
// back to where the learner was.
func TestDoctorReportIsOneKeyAway(t *testing.T) {
	h := newHarness(t, 80, 24, func(o *Options) {
		o.Doctor = func(context.Context, *kernel.Tree) *doctor.Report {
			return &doctor.Report{Tree: "/srv/ktree", Checks: []doctor.Check{
				{ID: "rustc", Title: "rustc", Status: doctor.OK, Detail: "1.78.0"},
				{ID: "guest-sysctl", Title: "guest /proc/sys", Status: doctor.Warn, Detail: "the kernel lacks CONFIG_PROC_SYSCTL", Fix: "rebuild the tree with CONFIG_PROC_SYSCTL=y"},
			}}
		}
	})
	h.waitFor("the doctor", 5*time.Second, func() bool { return h.m.status.health != nil })
	h.contains("ok, 1 warning(s): D")
	h.key("D")
	if h.m.screen != screenDoctor {
		t.Fatalf("D opened screen %d", h.m.screen)
	}
	h.contains("guest /proc/sys: the kernel lacks CONFIG_PROC_SYSCTL")
	h.contains("fix: rebuild the tree with CONFIG_PROC_SYSCTL=y")
	h.key("esc")
	if h.m.screen != screenList {
		t.Errorf("esc from the doctor went to screen %d", h.m.screen)
	}
}
