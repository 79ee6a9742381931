package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

type exerciseReport struct {
	Lesson         string     `json:"lesson"`
	ID             string     `json:"id"`
	Title          string     `json:"title"`
	Passed         bool       `json:"passed"`
	PassedAt       *time.Time `json:"passed_at,omitempty"`
	Attempts       int        `json:"attempts"`
	HintsRevealed  int        `json:"hints_revealed"`
	Hints          int        `json:"hints"`
	FirstAttemptAt *time.Time `json:"first_attempt_at,omitempty"`
	LastAttemptAt  *time.Time `json:"last_attempt_at,omitempty"`
	LastResult     string     `json:"last_result,omitempty"`
}

type lessonReport struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	VisitedAt   *time.Time `json:"visited_at,omitempty"`
	Questions   int        `json:"questions"`
	Answered    int        `json:"answered"`
	Correct     int        `json:"correct"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
}

type progressReport struct {
	Course    string             `json:"course"`
	File      string             `json:"file"`
	Passed    int                `json:"passed"`
	Exercises []exerciseReport   `json:"exercises"`
	Lessons   []lessonReport     `json:"lessons"`
	Last      *progress.Position `json:"last,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (a *app) progressCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Show what you have done: passed exercises, when, attempts and hints used",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			st, err := a.readProgress()
			if err != nil {
				return err
			}
			cp := st.Lookup(c.ID)
			rep := progressReport{Course: c.ID, File: progress.DefaultPath(), Exercises: []exerciseReport{}, Lessons: []lessonReport{}}
			if pos, ok := cp.LastPosition(); ok {
				rep.Last = &pos
			}
			for _, les := range c.Lessons {
				ls := cp.LessonStatus(les.ID)
				lr := lessonReport{ID: les.ID, Title: les.Title, VisitedAt: timePtr(ls.VisitedAt),
					CompletedAt: timePtr(ls.CompletedAt), Questions: len(les.Quiz)}
				for _, q := range les.Quiz {
					if ans, ok := ls.Answers[q.ID]; ok {
						lr.Answered++
						if ans.Correct {
							lr.Correct++
						}
					}
				}
				rep.Lessons = append(rep.Lessons, lr)
				for _, ex := range les.Exercises {
					ep := cp.ExerciseStatus(ex.ID)
					er := exerciseReport{Lesson: les.ID, ID: ex.ID, Title: ex.Title, Passed: ep.Passed,
						PassedAt: timePtr(ep.PassedAt), Attempts: ep.Attempts, HintsRevealed: ep.HintsRevealed,
						Hints: len(ex.Hints), FirstAttemptAt: timePtr(ep.FirstAttemptAt),
						LastAttemptAt: timePtr(ep.LastAttemptAt), LastResult: ep.LastSummary}
					if ep.Passed {
						rep.Passed++
					}
					rep.Exercises = append(rep.Exercises, er)
				}
			}
			if asJSON {
				return writeJSON(a.stdout, rep)
			}
			a.printProgress(rep)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for programs")
	return cmd
}

func (a *app) printProgress(rep progressReport) {
	p := a.painter()
	w := a.stdout
	fmt.Fprintf(w, "%s %d of %d exercises passed %s\n\n", p.title("Progress in "+rep.Course+":"), rep.Passed, len(rep.Exercises), p.dim("("+rep.File+")"))
	for _, er := range rep.Exercises {
		switch {
		case er.Passed:
			fmt.Fprintf(w, "  %s %-24s passed %s after %d attempt(s), %d/%d hints\n", p.ok("✓"), er.ID,
				er.PassedAt.Local().Format("2006-01-02 15:04"), er.Attempts, er.HintsRevealed, er.Hints)
		case er.Attempts > 0 || er.HintsRevealed > 0:
			fmt.Fprintf(w, "  %s %-24s %d attempt(s), %d/%d hints; last: %s\n", p.warn("…"), er.ID,
				er.Attempts, er.HintsRevealed, er.Hints, er.LastResult)
		default:
			fmt.Fprintf(w, "  %s %-24s not started\n", p.dim("·"), er.ID)
		}
	}
	quiz := false
	for _, lr := range rep.Lessons {
		if lr.Questions > 0 {
			if !quiz {
				fmt.Fprintln(w)
				quiz = true
			}
			fmt.Fprintf(w, "  %-26s %d/%d questions answered, %d right\n", lr.ID, lr.Answered, lr.Questions, lr.Correct)
		}
	}
	if rep.Last != nil {
		where := rep.Last.Lesson
		if rep.Last.Exercise != "" {
			where += " / " + rep.Last.Exercise
		}
		fmt.Fprintf(w, "\nYou were last at %s.\n", where)
	}
}
