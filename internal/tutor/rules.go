package tutor

import (
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

// RecordCheck is how a check of ex is recorded, from the CLI and the TUI alike: the learner was
// last at ex; a real check is an attempt (attempts stop counting at the first pass), a verdict
// from the cache (unchanged files) is not; a pass that makes the lesson complete completes it.
// The result may run on two states (the TUI's in memory and the file), so it depends on
// nothing but its arguments.
func RecordCheck(ex *course.Exercise, v *check.Verdict, now time.Time) func(*progress.CourseProgress) {
	summary := v.Summary()
	return func(cp *progress.CourseProgress) {
		if v.Cached {
			cp.RecordVerdict(ex.ID, v.Passed, summary, now)
		} else {
			cp.RecordAttempt(ex.ID, v.Passed, summary, now)
		}
		cp.SetLast(ex.Lesson.ID, ex.ID, now)
		CompleteIfDone(cp, ex.Lesson, now)
	}
}

// CompleteIfDone marks l complete once LessonDone holds (the first time only).
func CompleteIfDone(cp *progress.CourseProgress, l *course.Lesson, now time.Time) {
	if LessonDone(cp, l) {
		cp.CompleteLesson(l.ID, now)
	}
}

// LessonDone says whether a lesson is done: every exercise passed and every question answered
// right, or, for a lesson with neither, read once.
func LessonDone(cp *progress.CourseProgress, l *course.Lesson) bool {
	lp := cp.LessonStatus(l.ID)
	if len(l.Exercises) == 0 && len(l.Quiz) == 0 {
		return !lp.VisitedAt.IsZero()
	}
	for _, ex := range l.Exercises {
		if !cp.ExerciseStatus(ex.ID).Passed {
			return false
		}
	}
	for _, q := range l.Quiz {
		if !lp.Answers[q.ID].Correct {
			return false
		}
	}
	return true
}

// Standing is where the learner stands with an exercise.
type Standing string

const (
	NotStarted Standing = "new"
	InProgress Standing = "in-progress" // checked or a hint revealed, not passed yet
	Passed     Standing = "passed"      // a pass stays a pass, whatever came after
)

// ExerciseStanding is the one rule for an exercise's standing, for every list.
func ExerciseStanding(cp *progress.CourseProgress, ex *course.Exercise) Standing {
	ep := cp.ExerciseStatus(ex.ID)
	switch {
	case ep.Passed:
		return Passed
	case ep.Attempts > 0 || ep.HintsRevealed > 0:
		return InProgress
	}
	return NotStarted
}

// SolutionShown is the course's reveal policy for one exercise: whether its solution may be
// shown now, and if not, why. The CLI's solution command and the TUI's Solution tab both ask.
func SolutionShown(c *course.Course, ep progress.ExerciseProgress) (bool, string) {
	switch c.Reveal {
	case course.RevealAlways:
		return true, ""
	case course.RevealNever:
		return false, "This course does not show solutions."
	}
	if ep.Passed {
		return true, ""
	}
	return false, "The solution unlocks once your exercise passes."
}
