package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

// seed writes progress before the program starts.
func seed(t *testing.T, store *progress.Store, fn func(cp *progress.CourseProgress)) {
	t.Helper()
	if err := store.Update(func(st *progress.State) error {
		fn(st.Course("tui-test"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// rowLine is the list line that shows label.
func rowLine(t *testing.T, h *harness, label string) string {
	t.Helper()
	for _, l := range strings.Split(h.screen(), "\n") {
		if strings.Contains(l, label) {
			return l
		}
	}
	t.Fatalf("no row %q:\n%s", label, h.screen())
	return ""
}

func TestListMarks(t *testing.T) {
	h := newHarness(t, 100, 30)
	when := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	seed(t, h.store, func(cp *progress.CourseProgress) {
		cp.AnswerQuestion("why-rust", "optional", 1, true, when)
		cp.AnswerQuestion("why-rust", "first-release", 1, true, when)
		cp.RecordAttempt("hello-module", false, "build: x", when)
	})
	// Progress changed behind the program's back: the next read-back shows it.
	st, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	h.send(progressMsg{state: st, seq: h.c.progressSent})

	for _, tc := range []struct{ label, mark, extra string }{
		{"Why Rust in the kernel", "✓", "2/2 answered"},
		{"Your first Rust kernel module", "◐", "0/1 passed"},
		{"Say hello", "◐", ""},
		{"A driver for a kernel from the future", "○", ""},
		{"Probe the future", "⊘", "unavailable"},
	} {
		line := rowLine(t, h, tc.label)
		if !strings.Contains(line, tc.mark+" ") || !strings.Contains(line, tc.extra) {
			t.Errorf("row %q = %q, want mark %s and %q", tc.label, line, tc.mark, tc.extra)
		}
	}
}

func TestListUnavailableReason(t *testing.T) {
	h := newHarness(t, 100, 30)
	h.key("G") // the last row: future-probe
	h.contains("Cannot be checked here: needs kernel >= 7.0, tree is 6.12.117")
}

func TestListNavigationOpens(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("enter")
	if h.m.screen != screenLesson || h.m.lesson.lesson.ID != "why-rust" {
		t.Fatalf("enter on the first row: screen %d", h.m.screen)
	}
	h.key("esc")
	if h.m.screen != screenList {
		t.Fatal("esc did not go back to the list")
	}
	h.key("j", "j", "enter") // the exercise nested under lesson 2
	if h.m.screen != screenExercise || h.m.pane.ex.ID != "hello-module" {
		t.Fatalf("expected the hello-module pane, screen %d", h.m.screen)
	}
	h.key("esc")
	if h.m.screen != screenList {
		t.Fatal("esc from the exercise did not return to the list")
	}
	if r, _ := h.m.list.selected(); r.ex == nil || r.ex.ID != "hello-module" {
		t.Fatal("the cursor left the exercise it came from")
	}
}

func TestListFilter(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("/")
	if !h.m.list.Capturing() {
		t.Fatal("/ did not focus the filter")
	}
	h.typeText("prbfut")
	h.contains("Probe the future")
	h.contains("A driver for a kernel from the future") // the parent lesson stays
	h.lacks("Why Rust")
	h.lacks("Say hello")
	if r, _ := h.m.list.selected(); r.ex == nil || r.ex.ID != "future-probe" {
		t.Fatalf("cursor not on the best match: %+v", r)
	}
	h.key("backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	h.contains("Why Rust")

	h.typeText("zzzq")
	if h.m.quitting {
		t.Fatal("q typed in the filter quit")
	}
	h.contains("Nothing matches the filter.")
	h.key("esc")
	if h.m.list.Capturing() || h.m.list.pattern != "" {
		t.Fatal("esc did not clear the filter")
	}
	h.contains("Why Rust")

	// Enter opens the best match directly.
	h.key("/")
	h.typeText("hello-module")
	h.key("enter")
	if h.m.screen != screenExercise || h.m.pane.ex.ID != "hello-module" {
		t.Fatal("filter + enter did not open the exercise")
	}
}

func TestFilterMatchingLessonKeepsItsExercises(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("/")
	h.typeText("first-module")
	h.contains("Your first Rust kernel module")
	h.contains("Say hello")
	h.lacks("Probe the future")
}

func TestContinueWhereLeftOff(t *testing.T) {
	for _, tc := range []struct {
		name, lesson, ex string
		want             screen
	}{
		{"lesson", "why-rust", "", screenLesson},
		{"exercise", "first-module", "hello-module", screenExercise},
		{"course changed since", "gone", "", screenList},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pre := newHarness(t, 80, 24)
			seed(t, pre.store, func(cp *progress.CourseProgress) { cp.SetLast(tc.lesson, tc.ex, pre.now) })
			h := newHarnessWith(t, pre.m.optionsForTest(), pre.checker, pre.store, 80, 24)
			if h.m.screen != tc.want {
				t.Fatalf("started on screen %d, want %d:\n%s", h.m.screen, tc.want, h.screen())
			}
			switch tc.want {
			case screenLesson:
				h.waitFor("the lesson text", 5*time.Second, func() bool { return strings.Contains(h.screen(), "Memory-safety bugs") })
			case screenExercise:
				h.contains("Say hello")
			}
			if tc.want != screenList {
				h.key("esc")
				if h.m.screen != screenList {
					t.Fatal("esc from the resumed screen did not reach the list")
				}
			}
		})
	}
}
