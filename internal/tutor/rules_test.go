package tutor

import (
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

func TestRecordCheck(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	one := &course.Lesson{ID: "first"}
	hello := &course.Exercise{ID: "hello", Lesson: one}
	one.Exercises = []*course.Exercise{hello}
	two := &course.Lesson{ID: "errors", Quiz: []*course.Question{{ID: "q1"}}}
	errs := &course.Exercise{ID: "errs", Lesson: two}
	two.Exercises = []*course.Exercise{errs}

	fail := &check.Verdict{Passed: false}
	pass := &check.Verdict{Passed: true}
	cachedFail := &check.Verdict{Passed: false, Cached: true}
	cachedPass := &check.Verdict{Passed: true, Cached: true}

	tests := []struct {
		name         string
		ex           *course.Exercise
		verdicts     []*check.Verdict
		wantAttempts int
		wantPassed   bool
		wantComplete bool
	}{
		{"fail, fail, pass", hello, []*check.Verdict{fail, fail, pass}, 3, true, true},
		{"attempts stop at the first pass", hello, []*check.Verdict{fail, pass, fail, pass}, 2, true, true},
		{"cached re-checks are no attempts", hello, []*check.Verdict{fail, cachedFail, cachedFail, pass, cachedPass}, 2, true, true},
		{"a cached pass the file missed is recorded", hello, []*check.Verdict{cachedPass}, 0, true, true},
		{"failing only", hello, []*check.Verdict{fail, fail}, 2, false, false},
		{"a lesson with an open question is not complete", errs, []*check.Verdict{pass}, 1, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cp := progress.New().Course("c")
			for i, v := range tc.verdicts {
				RecordCheck(tc.ex, v, t0.Add(time.Duration(i)*time.Minute))(cp)
			}
			ep := cp.ExerciseStatus(tc.ex.ID)
			if ep.Attempts != tc.wantAttempts || ep.Passed != tc.wantPassed {
				t.Errorf("attempts %d passed %v, want %d %v", ep.Attempts, ep.Passed, tc.wantAttempts, tc.wantPassed)
			}
			if done := !cp.LessonStatus(tc.ex.Lesson.ID).CompletedAt.IsZero(); done != tc.wantComplete {
				t.Errorf("lesson completed %v, want %v", done, tc.wantComplete)
			}
			if last, _ := cp.LastPosition(); last.Exercise != tc.ex.ID {
				t.Errorf("last position %+v", last)
			}
		})
	}
}

func TestLessonDoneAndStanding(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	reading := &course.Lesson{ID: "why"}
	quiz := &course.Lesson{ID: "hist", Quiz: []*course.Question{{ID: "a"}, {ID: "b"}}}
	ex := &course.Exercise{ID: "hello", Lesson: reading, Hints: []string{"h"}}
	cp := progress.New().Course("c")
	if LessonDone(cp, reading) || ExerciseStanding(cp, ex) != NotStarted {
		t.Fatal("a fresh course has progress")
	}
	cp.VisitLesson("why", t0)
	CompleteIfDone(cp, reading, t0)
	if !LessonDone(cp, reading) || !cp.LessonStatus("why").CompletedAt.Equal(t0) {
		t.Error("reading a lesson with nothing to do does not complete it")
	}
	cp.AnswerQuestion("hist", "a", 0, true, t0)
	cp.AnswerQuestion("hist", "b", 1, false, t0)
	if LessonDone(cp, quiz) {
		t.Error("a wrong answer completes the lesson")
	}
	cp.AnswerQuestion("hist", "b", 0, true, t0)
	if !LessonDone(cp, quiz) {
		t.Error("every answer right does not complete the lesson")
	}
	cp.RevealHint("hello", 1)
	if ExerciseStanding(cp, ex) != InProgress {
		t.Error("a revealed hint is not progress")
	}
}
