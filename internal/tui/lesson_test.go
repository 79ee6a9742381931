package tui

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

// openLessonManually opens a lesson and returns the render command instead of running it.
func openLessonManually(t *testing.T, h *harness, id string) tea.Cmd {
	t.Helper()
	h.m.push(screenLesson)
	v := h.m.lesson
	v.lesson = h.c.Course.Lesson(id)
	v.shown = docKey{}
	return v.sync()
}

func TestLessonRendersOffTheLoopAndDropsStaleResults(t *testing.T) {
	h := newHarness(t, 80, 24)
	at80 := openLessonManually(t, h, "why-rust")
	if at80 == nil {
		t.Fatal("no render command for an uncached lesson")
	}
	h.contains("Rendering the lesson…")

	// The window is resized before the first rendering is back.
	_, cmd := h.m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if cmd == nil {
		t.Fatal("resize did not ask for a rendering at the new width")
	}
	at120 := cmd().(renderedMsg)
	if at120.key.width != wrapWidth(120) {
		t.Fatalf("rendered at %d, want %d", at120.key.width, wrapWidth(120))
	}
	h.m.Update(at120)
	stale := at80().(renderedMsg)
	h.m.Update(stale)
	if got := h.m.lesson.shown; got != at120.key {
		t.Fatalf("showing %+v after a stale result, want %+v", got, at120.key)
	}
	// The stale result was kept: going back to 80 columns needs no rendering.
	if _, cmd := h.m.Update(tea.WindowSizeMsg{Width: 80, Height: 24}); cmd != nil {
		if msg := cmd(); msg != nil {
			t.Fatalf("resize to a cached width rendered again: %T", msg)
		}
	}
	if h.m.lesson.shown != stale.key {
		t.Fatal("the cached rendering was not shown")
	}
	h.contains("Memory-safety bugs")
}

func TestLessonRenderIsCachedPerLessonWidthTheme(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("enter")
	h.contains("Memory-safety bugs")
	h.key("esc", "enter")
	if h.m.lesson.sync() != nil {
		t.Fatal("reopening a rendered lesson renders it again")
	}
	// The terminal answers that its background is light: a light rendering is needed.
	_, cmd := h.m.Update(tea.BackgroundColorMsg{Color: color.White})
	if h.c.Dark {
		t.Fatal("a white background left the dark theme on")
	}
	if cmd == nil {
		t.Fatal("theme change did not ask for a new rendering")
	}
	h.exec(cmd)
	h.settle()
	if !h.m.lesson.shown.dark == h.c.Dark || h.m.lesson.shown.dark {
		t.Fatalf("shown rendering %+v after switching to light", h.m.lesson.shown)
	}
}

func TestWrapWidth(t *testing.T) {
	for _, tc := range []struct{ pane, want int }{{60, 58}, {80, 78}, {102, 100}, {200, 100}, {10, 20}} {
		if got := wrapWidth(tc.pane); got != tc.want {
			t.Errorf("wrapWidth(%d) = %d, want %d", tc.pane, got, tc.want)
		}
	}
}

func TestLessonVisitIsRecorded(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("enter")
	st, err := h.store.Load()
	if err != nil {
		t.Fatal(err)
	}
	cp := st.Lookup("tui-test")
	if cp.LessonStatus("why-rust").VisitedAt.IsZero() {
		t.Error("visit not recorded")
	}
	if pos, _ := cp.LastPosition(); pos.Lesson != "why-rust" || pos.Exercise != "" {
		t.Errorf("last position %+v", pos)
	}
}

func TestLessonScrolls(t *testing.T) {
	h := newHarness(t, 80, 16)
	h.key("enter")
	h.waitFor("the rendering", 5*time.Second, func() bool { return h.m.lesson.shown != docKey{} })
	if h.m.lesson.vp.YOffset() != 0 {
		t.Fatal("lesson does not open at the top")
	}
	h.key("j")
	if h.m.lesson.vp.YOffset() != 1 {
		t.Fatalf("j scrolled to %d", h.m.lesson.vp.YOffset())
	}
	h.send(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if h.m.lesson.vp.YOffset() != 4 {
		t.Fatalf("the wheel scrolled to %d, want 4", h.m.lesson.vp.YOffset())
	}
	h.key("G")
	if !h.m.lesson.vp.AtBottom() {
		t.Fatal("G did not reach the bottom")
	}
}

func TestQuiz(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("enter", "t")
	h.contains("question 1 of 2")
	h.contains("Can a kernel be built without Rust support?")
	h.key("1") // wrong
	h.contains("✗ your answer")
	h.contains("Not quite.")
	h.key("9") // no such choice: ignored
	h.contains("✗ your answer")
	h.key("2")
	h.contains("✓ your answer")
	h.contains("CONFIG_RUST is off unless chosen")

	h.contains("Your answer is kept")
	h.key("1") // a wrong key after the right answer: the answer stays
	h.contains("✓ your answer")

	st, _ := h.store.Load()
	ans := st.Lookup("tui-test").LessonStatus("why-rust").Answers["optional"]
	if ans.Choice != 1 || !ans.Correct {
		t.Fatalf("stored answer %+v (a key after the right answer took it back?)", ans)
	}

	h.key("n")
	h.contains("question 2 of 2")
	h.key("2")
	h.contains("The infrastructure was merged for 6.1.")
	st, _ = h.store.Load()
	if st.Lookup("tui-test").LessonStatus("why-rust").CompletedAt.IsZero() {
		t.Error("all answers right but the lesson is not complete")
	}
	h.key("p")
	h.contains("question 1 of 2")
	h.key("esc") // back to the text
	if h.m.lesson.quiz || h.m.screen != screenLesson {
		t.Fatal("esc did not leave the quiz for the text")
	}
	h.key("esc")
	if !strings.Contains(rowLine(t, h, "Why Rust"), "✓") {
		t.Errorf("lesson not marked done: %q", rowLine(t, h, "Why Rust"))
	}
}

func TestQuizReopensAtFirstOpenQuestion(t *testing.T) {
	h := newHarness(t, 80, 24)
	seed(t, h.store, func(cp *progress.CourseProgress) {
		cp.AnswerQuestion("why-rust", "optional", 1, true, h.now)
	})
	st, _ := h.store.Load()
	h.send(progressMsg{state: st, seq: h.c.progressSent})
	h.key("enter", "t")
	h.contains("question 2 of 2")
}

func TestLessonOpensExercise(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("j", "enter", "x")
	if h.m.screen != screenExercise || h.m.pane.ex.ID != "hello-module" {
		t.Fatal("x did not open the lesson's exercise")
	}
	h.key("esc")
	if h.m.screen != screenLesson {
		t.Fatal("esc from the exercise did not return to its lesson")
	}
}

// Code is never wrapped: a line wider than the pane is cut, the footer says so, and < and >
// scroll the text sideways to its end and back.
func TestLessonScrollsWideCodeSideways(t *testing.T) {
	h := newHarness(t, 80, 24)
	openLessonManually(t, h, "why-rust")
	v := h.m.lesson
	wideLine := "    your module -> rust/kernel/ -> rust/bindings/ -> rust/helpers/ wraps C macros and inline functions"
	v.show(v.key(), renderedMsg{key: v.key(), out: "  Some text.\n\n" + wideLine})
	if v.wide != len(wideLine) {
		t.Fatalf("wide = %d, want %d", v.wide, len(wideLine))
	}
	h.contains("< > scroll")
	for _, l := range v.lines {
		if w := ansi.StringWidth(l); w > 80 {
			t.Fatalf("a line of %d columns in an 80-column pane", w)
		}
	}
	for range 40 {
		h.key(">")
	}
	if want := v.wide - v.width; v.xoff != want {
		t.Errorf("after scrolling right to the end, xoff = %d, want %d", v.xoff, want)
	}
	h.contains("inline functions") // the end of the diagram's widest line
	for range 40 {
		h.key("<")
	}
	if v.xoff != 0 {
		t.Errorf("after scrolling back, xoff = %d", v.xoff)
	}
}

// An exercise opened from the list has its lesson one key away, and esc comes back to it.
func TestExerciseOpensItsLesson(t *testing.T) {
	h := newHarness(t, 80, 24)
	openHello(t, h)
	if !strings.Contains(h.screen(), "L lesson") {
		t.Fatalf("the exercise's help line does not offer its lesson:\n%s", h.screen())
	}
	h.key("L")
	if h.m.screen != screenLesson || h.m.lesson.lesson != h.m.pane.ex.Lesson {
		t.Fatal("L did not open the exercise's lesson")
	}
	h.key("esc")
	if h.m.screen != screenExercise || h.m.pane.ex.ID != "hello-module" {
		t.Fatal("esc from the lesson did not return to the exercise")
	}
}
