package progress

import (
	"testing"
	"time"
)

var t0 = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func TestRecordAttempt(t *testing.T) {
	st := New()
	c := st.Course("rfl")
	c.RecordAttempt("hello", false, "build: E0425", t0)
	c.RecordAttempt("hello", true, "all stages pass", t0.Add(time.Minute))
	c.RecordAttempt("hello", false, "warnings: 1", t0.Add(2*time.Minute))

	e := st.Course("rfl").Exercise("hello")
	want := ExerciseProgress{
		Attempts:       2, // up to the first pass
		Passed:         true,
		FirstAttemptAt: t0,
		LastAttemptAt:  t0.Add(2 * time.Minute),
		PassedAt:       t0.Add(time.Minute),
		LastPassed:     false,
		LastSummary:    "warnings: 1",
	}
	if *e != want {
		t.Errorf("after three attempts:\n got %+v\nwant %+v", *e, want)
	}

	// A cached re-check is no attempt, but a pass it brings is recorded.
	c.RecordVerdict("other", false, "build: E0425", t0)
	c.RecordAttempt("other", false, "build: E0425", t0)
	c.RecordVerdict("other", true, "all stages pass", t0.Add(time.Minute))
	if o := c.Exercise("other"); o.Attempts != 1 || !o.Passed || !o.PassedAt.Equal(t0.Add(time.Minute)) {
		t.Errorf("cached verdicts: %+v", *o)
	}
}

func TestStampNormalisesTimes(t *testing.T) {
	st := New()
	local := time.Date(2025, 6, 1, 12, 0, 0, 123456789, time.FixedZone("CEST", 2*3600))
	st.Course("c").RecordAttempt("e", true, "", local)
	got := st.Course("c").Exercise("e").PassedAt
	if !got.Equal(t0) || got.Location() != time.UTC {
		t.Errorf("PassedAt = %v, want %v in UTC without fractions", got, t0)
	}
}

func TestRevealHint(t *testing.T) {
	c := New().Course("c")
	tests := []struct {
		n      int
		wantOK bool
	}{{1, true}, {2, true}, {2, false}, {2, false}}
	for i, tt := range tests {
		n, ok := c.RevealHint("e", 2)
		if n != tt.n || ok != tt.wantOK {
			t.Errorf("call %d: RevealHint = %d, %v; want %d, %v", i+1, n, ok, tt.n, tt.wantOK)
		}
	}
	if n, ok := c.RevealHint("no-hints", 0); n != 0 || ok {
		t.Errorf("exercise without hints: %d, %v", n, ok)
	}
}

func TestLessons(t *testing.T) {
	c := New().Course("c")
	c.VisitLesson("intro", t0)
	c.VisitLesson("intro", t0.Add(time.Hour))
	c.AnswerQuestion("intro", "q1", 2, false, t0)
	c.AnswerQuestion("intro", "q1", 1, true, t0.Add(time.Minute))
	c.CompleteLesson("intro", t0.Add(2*time.Minute))
	c.CompleteLesson("intro", t0.Add(3*time.Minute))

	l := c.LessonStatus("intro")
	if !l.VisitedAt.Equal(t0) {
		t.Errorf("VisitedAt = %v, want the first visit", l.VisitedAt)
	}
	if !l.CompletedAt.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("CompletedAt = %v, want the first completion", l.CompletedAt)
	}
	if a := l.Answers["q1"]; a != (Answer{Choice: 1, Correct: true, AnsweredAt: t0.Add(time.Minute)}) {
		t.Errorf("answer = %+v, want the latest", a)
	}
}

func TestLastPosition(t *testing.T) {
	st := New()
	if _, ok := st.Lookup("c").LastPosition(); ok {
		t.Error("position reported for a course never opened")
	}
	st.Course("c").SetLast("first-module", "hello", t0)
	st.Course("c").SetLast("intro", "", t0.Add(time.Second))
	p, ok := st.Lookup("c").LastPosition()
	if !ok || p != (Position{Lesson: "intro", At: t0.Add(time.Second)}) {
		t.Errorf("LastPosition = %+v, %v", p, ok)
	}
}

func TestLookupDoesNotCreate(t *testing.T) {
	st := New()
	var nilState *State
	if nilState.Lookup("c") != nil {
		t.Error("Lookup on a nil state")
	}
	if got := st.Lookup("c").ExerciseStatus("e"); got != (ExerciseProgress{}) {
		t.Errorf("ExerciseStatus on a missing course = %+v", got)
	}
	if got := st.Lookup("c").LessonStatus("l"); !got.VisitedAt.IsZero() || got.Answers != nil {
		t.Errorf("LessonStatus on a missing course = %+v", got)
	}
	if len(st.Courses) != 0 {
		t.Errorf("read-only calls created records: %v", st.Courses)
	}
	st.Course("c")
	if st.Lookup("c").ExerciseStatus("e").Attempts != 0 || len(st.Courses["c"].Exercises) != 0 {
		t.Error("ExerciseStatus created a record")
	}
}
