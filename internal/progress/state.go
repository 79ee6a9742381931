// Package progress keeps what a learner has done: attempts, hints, passes, quiz answers and where
// they left off, per course, in a versioned JSON file under the XDG state directory. Writes are
// atomic and serialised with a file lock, so the TUI and a command in another terminal can both
// update progress without losing each other's changes.
package progress

import (
	"fmt"
	"time"
)

// Version is the file format this package reads and writes. Files with a newer version are
// refused rather than rewritten, so an older rfl-tutor never throws away what a newer one stored.
const Version = 1

// State is the whole progress file.
type State struct {
	Version int                        `json:"version"`
	Courses map[string]*CourseProgress `json:"courses"`
}

// CourseProgress is the progress in one course, keyed by course id in State.
type CourseProgress struct {
	Exercises map[string]*ExerciseProgress `json:"exercises,omitempty"`
	Lessons   map[string]*LessonProgress   `json:"lessons,omitempty"`
	// Last is where the learner was, for continue-where-you-left-off.
	Last *Position `json:"last,omitempty"`
}

// ExerciseProgress is the record of one exercise.
type ExerciseProgress struct {
	Attempts      int `json:"attempts"`
	HintsRevealed int `json:"hints_revealed"`
	// Passed stays true once any attempt passed: a later failing experiment does not undo it.
	Passed         bool      `json:"passed"`
	FirstAttemptAt time.Time `json:"first_attempt_at,omitzero"`
	LastAttemptAt  time.Time `json:"last_attempt_at,omitzero"`
	// PassedAt is when the exercise first passed.
	PassedAt time.Time `json:"passed_at,omitzero"`
	// LastPassed and LastSummary describe the most recent verdict.
	LastPassed  bool   `json:"last_passed"`
	LastSummary string `json:"last_summary,omitempty"`
}

// LessonProgress is the record of one lesson.
type LessonProgress struct {
	VisitedAt   time.Time `json:"visited_at,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	// Answers holds the latest answer to each knowledge-check question, by question id.
	Answers map[string]Answer `json:"answers,omitempty"`
}

// Answer is a learner's answer to one knowledge-check question.
type Answer struct {
	Choice     int       `json:"choice"` // index into the question's choices, 0-based
	Correct    bool      `json:"correct"`
	AnsweredAt time.Time `json:"answered_at"`
}

// Position is the lesson, and exercise if any, the learner last had open.
type Position struct {
	Lesson   string    `json:"lesson"`
	Exercise string    `json:"exercise,omitempty"`
	At       time.Time `json:"at,omitzero"`
}

// New returns an empty state of the current version.
func New() *State {
	return &State{Version: Version, Courses: map[string]*CourseProgress{}}
}

// Course returns the progress of a course, creating an empty record if there is none. Use Lookup
// to read without adding records.
func (s *State) Course(id string) *CourseProgress {
	if s.Courses == nil {
		s.Courses = map[string]*CourseProgress{}
	}
	c := s.Courses[id]
	if c == nil {
		c = &CourseProgress{}
		s.Courses[id] = c
	}
	return c
}

// Lookup returns the progress of a course, or nil when there is none. The getters of
// CourseProgress accept a nil receiver, so read-only callers can chain them.
func (s *State) Lookup(id string) *CourseProgress {
	if s == nil {
		return nil
	}
	return s.Courses[id]
}

// Exercise returns the record of an exercise, creating it if needed.
func (c *CourseProgress) Exercise(id string) *ExerciseProgress {
	if c.Exercises == nil {
		c.Exercises = map[string]*ExerciseProgress{}
	}
	e := c.Exercises[id]
	if e == nil {
		e = &ExerciseProgress{}
		c.Exercises[id] = e
	}
	return e
}

// Lesson returns the record of a lesson, creating it if needed.
func (c *CourseProgress) Lesson(id string) *LessonProgress {
	if c.Lessons == nil {
		c.Lessons = map[string]*LessonProgress{}
	}
	l := c.Lessons[id]
	if l == nil {
		l = &LessonProgress{}
		c.Lessons[id] = l
	}
	return l
}

// ExerciseStatus returns a copy of an exercise's record; the zero value when there is none.
func (c *CourseProgress) ExerciseStatus(id string) ExerciseProgress {
	if c == nil || c.Exercises[id] == nil {
		return ExerciseProgress{}
	}
	return *c.Exercises[id]
}

// LessonStatus returns a copy of a lesson's record; the zero value when there is none. The
// Answers map is shared with the state.
func (c *CourseProgress) LessonStatus(id string) LessonProgress {
	if c == nil || c.Lessons[id] == nil {
		return LessonProgress{}
	}
	return *c.Lessons[id]
}

// LastPosition returns where the learner left off, and false when nothing is recorded.
func (c *CourseProgress) LastPosition() (Position, bool) {
	if c == nil || c.Last == nil || c.Last.Lesson == "" {
		return Position{}, false
	}
	return *c.Last, true
}

// RecordAttempt records one real check of an exercise (its files built and judged) and its
// verdict. Attempts counts the checks up to and including the first pass, so "passed after 3
// attempts" means the third check passed; checks after that still update the last verdict.
func (c *CourseProgress) RecordAttempt(exercise string, passed bool, summary string, now time.Time) {
	if e := c.Exercise(exercise); !e.Passed {
		e.Attempts++
	}
	c.RecordVerdict(exercise, passed, summary, now)
}

// RecordVerdict records a verdict that is no new attempt: the same files judged again from the
// cache. It still records a pass the progress file missed.
func (c *CourseProgress) RecordVerdict(exercise string, passed bool, summary string, now time.Time) {
	now = stamp(now)
	e := c.Exercise(exercise)
	if e.FirstAttemptAt.IsZero() {
		e.FirstAttemptAt = now
	}
	e.LastAttemptAt = now
	e.LastPassed = passed
	e.LastSummary = summary
	if passed && !e.Passed {
		e.Passed = true
		e.PassedAt = now
	}
}

// RevealHint reveals the next hint of an exercise that has available hints in all. It returns
// the number revealed afterwards, and whether this call revealed a new one (false once all are
// shown, so a repeated `hint` command does not count hints that do not exist).
func (c *CourseProgress) RevealHint(exercise string, available int) (revealed int, ok bool) {
	e := c.Exercise(exercise)
	if e.HintsRevealed >= available {
		return e.HintsRevealed, false
	}
	e.HintsRevealed++
	return e.HintsRevealed, true
}

// AnswerQuestion records the learner's latest answer to a knowledge-check question.
func (c *CourseProgress) AnswerQuestion(lesson, question string, choice int, correct bool, now time.Time) {
	l := c.Lesson(lesson)
	if l.Answers == nil {
		l.Answers = map[string]Answer{}
	}
	l.Answers[question] = Answer{Choice: choice, Correct: correct, AnsweredAt: stamp(now)}
}

// VisitLesson records that a lesson was opened; the first visit's time is kept.
func (c *CourseProgress) VisitLesson(lesson string, now time.Time) {
	l := c.Lesson(lesson)
	if l.VisitedAt.IsZero() {
		l.VisitedAt = stamp(now)
	}
}

// CompleteLesson records that a lesson was completed; the first completion's time is kept.
func (c *CourseProgress) CompleteLesson(lesson string, now time.Time) {
	l := c.Lesson(lesson)
	if l.CompletedAt.IsZero() {
		l.CompletedAt = stamp(now)
	}
}

// SetLast records where the learner is; exercise may be empty.
func (c *CourseProgress) SetLast(lesson, exercise string, now time.Time) {
	c.Last = &Position{Lesson: lesson, Exercise: exercise, At: stamp(now)}
}

// stamp normalises times for the file: UTC, whole seconds, no monotonic reading, so the file is
// the same whatever the learner's time zone and easy for an instructor to read.
func stamp(t time.Time) time.Time {
	return t.UTC().Truncate(time.Second)
}

// validate checks what JSON decoding cannot: the version, and values no writer produces. It also
// drops null records, which decode as nil pointers the methods above would trip over.
func (s *State) validate() error {
	if s.Version < 1 {
		return fmt.Errorf("missing or invalid version %d", s.Version)
	}
	if s.Courses == nil {
		s.Courses = map[string]*CourseProgress{}
	}
	for id, c := range s.Courses {
		if c == nil {
			delete(s.Courses, id)
			continue
		}
		for ex, e := range c.Exercises {
			if e == nil {
				delete(c.Exercises, ex)
				continue
			}
			if e.Attempts < 0 || e.HintsRevealed < 0 {
				return fmt.Errorf("course %q exercise %q: negative count", id, ex)
			}
		}
		for l, lp := range c.Lessons {
			if lp == nil {
				delete(c.Lessons, l)
				continue
			}
			for q, a := range lp.Answers {
				if a.Choice < 0 {
					return fmt.Errorf("course %q lesson %q question %q: negative choice", id, l, q)
				}
			}
		}
	}
	return nil
}
