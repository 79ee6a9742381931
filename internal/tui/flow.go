package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// nextStepMsg asks the root to move the learner on from lesson l: past exercise ex when it is
// set (a pass), or past its knowledge check (a finished quiz).
type nextStepMsg struct {
	lesson *course.Lesson
	after  *course.Exercise
}

// step is where the learner goes next: an exercise, or a lesson, or nowhere (the course is
// over).
type step struct {
	exercise *course.Exercise
	lesson   *course.Lesson
}

// nextStep is the course's order: the lesson's next exercise; after a quiz, the lesson's first
// exercise not passed yet; then the next lesson.
func nextStep(c *course.Course, l *course.Lesson, after *course.Exercise, passed func(*course.Exercise) bool) step {
	if after != nil {
		for i, ex := range l.Exercises {
			// By id: after may be the kernel's variant of the lesson's exercise.
			if ex.ID == after.ID && i+1 < len(l.Exercises) {
				return step{exercise: l.Exercises[i+1]}
			}
		}
	} else {
		for _, ex := range l.Exercises {
			if !passed(ex) {
				return step{exercise: ex}
			}
		}
	}
	for i, cl := range c.Lessons {
		if cl.ID == l.ID && i+1 < len(c.Lessons) {
			return step{lesson: c.Lessons[i+1]}
		}
	}
	return step{}
}

// describe names a step for a prompt: "next: Say hello".
func (s step) describe() string {
	switch {
	case s.exercise != nil:
		return "next: " + s.exercise.Title
	case s.lesson != nil:
		return "next lesson: " + s.lesson.Title
	}
	return "back to the lessons"
}

// goNext opens the step after msg's, saying when that completes the lesson or the course.
func (m *Model) goNext(msg nextStepMsg) tea.Cmd {
	cp := m.c.Progress()
	s := nextStep(m.c.Course, msg.lesson, msg.after, func(ex *course.Exercise) bool { return cp.ExerciseStatus(ex.ID).Passed })
	// Moving on starts from the list: esc from the next screen leads there, not back here.
	if m.screen == screenExercise {
		m.pane.leave()
	}
	m.screen, m.history = screenList, nil
	var cmds []tea.Cmd
	if s.exercise == nil && tutor.LessonDone(cp, msg.lesson) {
		cmds = append(cmds, flash(fmt.Sprintf("Lesson complete: %s.", msg.lesson.Title), false))
	}
	switch {
	case s.exercise != nil:
		ex := s.exercise
		cmds = append(cmds, func() tea.Msg { return openExerciseMsg{ex: ex} })
	case s.lesson != nil:
		l := s.lesson
		cmds = append(cmds, func() tea.Msg { return openLessonMsg{lesson: l} })
	default:
		done := 0
		for _, l := range m.c.Course.Lessons {
			if tutor.LessonDone(cp, l) {
				done++
			}
		}
		text := fmt.Sprintf("That was the last lesson: %d of %d lessons complete.", done, len(m.c.Course.Lessons))
		if done == len(m.c.Course.Lessons) {
			text = fmt.Sprintf("Course complete: all %d lessons of %s done. Well done!", done, m.c.Course.Title)
		}
		cmds = append(cmds, flash(text, false))
	}
	return tea.Batch(cmds...)
}
