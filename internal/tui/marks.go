package tui

import (
	"fmt"

	"charm.land/lipgloss/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// mark is where the learner stands with a lesson or an exercise.
type mark int

const (
	markNew mark = iota
	markInProgress
	markDone
	markUnavailable
)

func (m mark) symbol() string {
	switch m {
	case markDone:
		return "✓"
	case markInProgress:
		return "◐"
	case markUnavailable:
		return "⊘"
	}
	return "○"
}

func (m mark) style(c *Common) lipgloss.Style {
	switch m {
	case markDone:
		return c.Styles.Done
	case markInProgress:
		return c.Styles.InProgress
	case markUnavailable:
		return c.Styles.Unavailable
	}
	return c.Styles.Dim
}

// exerciseStatus says where the learner stands with an exercise and, when it cannot be checked
// on this kernel tree, why. A pass stays a pass even on a tree that cannot build it now.
func exerciseStatus(c *Common, ex *course.Exercise) (mark, string) {
	standing := tutor.ExerciseStanding(c.Progress(), ex)
	if standing == tutor.Passed {
		return markDone, ""
	}
	if reason := unavailable(c, ex); reason != "" {
		return markUnavailable, reason
	}
	if standing == tutor.InProgress {
		return markInProgress, ""
	}
	return markNew, ""
}

// unavailable is why ex cannot be checked here, or "".
func unavailable(c *Common, ex *course.Exercise) string { return c.Unavailable(ex) }

// lessonUnavailable is why a lesson does not apply to the kernel tree, or "".
func lessonUnavailable(c *Common, l *course.Lesson) string {
	if c.Tree == nil || c.Tree.Version == nil || l.Kernel == nil || l.Kernel.Check(c.Tree.Version) {
		return ""
	}
	return fmt.Sprintf("written for Linux %s, tree is %s", l.KernelRaw, c.Tree.Release)
}

// lessonStatus says where the learner stands with a lesson: done when every exercise passed and
// every question was answered right (or, for a lesson with neither, once read).
func lessonStatus(c *Common, l *course.Lesson) (mark, string) {
	cp := c.Progress()
	lp := cp.LessonStatus(l.ID)
	if tutor.LessonDone(cp, l) {
		return markDone, ""
	}
	if reason := lessonUnavailable(c, l); reason != "" {
		return markUnavailable, reason
	}
	if !lp.VisitedAt.IsZero() || len(lp.Answers) > 0 {
		return markInProgress, ""
	}
	for _, ex := range l.Exercises {
		if tutor.ExerciseStanding(cp, ex) != tutor.NotStarted {
			return markInProgress, ""
		}
	}
	return markNew, ""
}

// lessonSummary is the short count shown beside a lesson: "1/2 exercises · 0/3 questions".
func lessonSummary(c *Common, l *course.Lesson) string {
	cp := c.Progress()
	var s string
	if n := len(l.Exercises); n > 0 {
		passed := 0
		for _, ex := range l.Exercises {
			if cp.ExerciseStatus(ex.ID).Passed {
				passed++
			}
		}
		s = fmt.Sprintf("%d/%d passed", passed, n)
	}
	if n := len(l.Quiz); n > 0 {
		right := 0
		answers := cp.LessonStatus(l.ID).Answers
		for _, q := range l.Quiz {
			if answers[q.ID].Correct {
				right++
			}
		}
		if s != "" {
			s += " · "
		}
		s += fmt.Sprintf("%d/%d answered", right, n)
	}
	return s
}
