package tui

import (
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

func TestNextStep(t *testing.T) {
	c := testCourse(t)
	why, first, future := c.Lesson("why-rust"), c.Lesson("first-module"), c.Lesson("future-driver")
	hello, probe := c.Exercise("hello-module"), c.Exercise("future-probe")
	none := func(*course.Exercise) bool { return false }
	all := func(*course.Exercise) bool { return true }
	tests := []struct {
		name   string
		lesson *course.Lesson
		after  *course.Exercise
		passed func(*course.Exercise) bool
		want   step
	}{
		{"quiz of a lesson without exercises: the next lesson", why, nil, none, step{lesson: first}},
		{"quiz of a lesson with an open exercise: that exercise", first, nil, none, step{exercise: hello}},
		{"quiz of a lesson whose exercises passed: the next lesson", first, nil, all, step{lesson: future}},
		{"the lesson's last exercise: the next lesson", first, hello, all, step{lesson: future}},
		{"the course's last exercise: nowhere", future, probe, all, step{}},
	}
	for _, tc := range tests {
		if got := nextStep(c, tc.lesson, tc.after, tc.passed); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// The pane holds the kernel's variant of an exercise, a copy: it is found by its id.
	ec, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	hm := ec.Exercise("hello-module")
	variant := *hm
	if got := nextStep(ec, hm.Lesson, &variant, none); got.exercise == nil || got.exercise.ID != "module-state" {
		t.Errorf("after a variant of hello-module: %+v, want module-state", got)
	}
}

// A fresh learner sees the welcome screen; enter starts lesson 1, and esc from there leads to
// the list, not back to the welcome.
func TestWelcomeStartsLessonOne(t *testing.T) {
	h := newWelcomeHarness(t, 80, 24)
	h.contains("Welcome to rfl-tutor")
	h.contains("Linux 6.12.117")
	h.contains("Press enter to start lesson 1")
	h.key("enter")
	h.waitFor("lesson 1", 5*time.Second, func() bool { return h.m.screen == screenLesson && h.m.lesson.lesson.ID == "why-rust" })
	h.key("esc")
	if h.m.screen != screenList {
		t.Fatalf("esc from lesson 1 went to screen %d, want the list", h.m.screen)
	}
	// A learner who has been here before resumes instead.
	h2 := newWelcomeHarness(t, 80, 24, func(o *Options) { o.Progress = h.store })
	if h2.m.screen == screenWelcome {
		t.Error("the welcome screen shows again to a learner who has started")
	}
}

// After a pass, n goes on: here the exercise is its lesson's last, so to the next lesson, and
// the status bar says the lesson is complete. After the course's last, n says so and shows the
// list.
func TestNextAfterAPass(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.checker.events = nil
	h.checker.verdict = passingVerdict
	p := openHello(t, h)
	h.key("n") // not passed yet: nothing happens
	if h.m.screen != screenExercise {
		t.Fatal("n moved on before a pass")
	}
	h.key("c")
	h.waitFor("the verdict", 5*time.Second, func() bool { return p.verdict != nil })
	h.contains("n next lesson: A driver for a kernel from the future")
	h.key("n")
	h.waitFor("the next lesson", 5*time.Second, func() bool {
		return h.m.screen == screenLesson && h.m.lesson.lesson.ID == "future-driver"
	})
	h.contains("Lesson complete: Your first Rust kernel module.")
	h.key("esc")
	if h.m.screen != screenList {
		t.Errorf("esc after moving on went to screen %d, want the list", h.m.screen)
	}
}

// Finishing a knowledge check says so and offers the next step, which n takes.
func TestQuizFinishedOffersTheNextStep(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.key("enter", "t", "2", "n", "2")
	h.contains("Knowledge check complete: all 2 answers right.")
	h.contains("n next lesson: Your first Rust kernel module")
	h.key("n")
	h.waitFor("the next lesson", 5*time.Second, func() bool {
		return h.m.screen == screenLesson && h.m.lesson.lesson.ID == "first-module" && !h.m.lesson.quiz
	})
	h.contains("Lesson complete: Why Rust in the kernel.")
}
