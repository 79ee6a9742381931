package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

type listedExercise struct {
	ID            string     `json:"id"`
	Title         string     `json:"title"`
	Snippet       string     `json:"snippet"`
	Status        string     `json:"status"` // "new", "in-progress" or "passed"
	Attempts      int        `json:"attempts"`
	HintsRevealed int        `json:"hints_revealed"`
	Hints         int        `json:"hints"`
	PassedAt      *time.Time `json:"passed_at,omitempty"`
	Workspace     string     `json:"workspace"`
}

type listedLesson struct {
	ID        string           `json:"id"`
	Title     string           `json:"title"`
	Summary   string           `json:"summary"`
	Order     int              `json:"order"`
	Kernel    string           `json:"kernel,omitempty"`
	Questions int              `json:"questions"`
	Answered  int              `json:"answered"`
	Correct   int              `json:"correct"`
	Exercises []listedExercise `json:"exercises"`
}

type listing struct {
	Course    string         `json:"course"`
	Title     string         `json:"title"`
	Workspace string         `json:"workspace"`
	Lessons   []listedLesson `json:"lessons"`
}

func (a *app) listCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the lessons in order, with their exercises and your progress",
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
			sess, err := a.session(c)
			if err != nil {
				return err
			}
			l := buildListing(sess, st.Lookup(c.ID))
			if asJSON {
				return writeJSON(a.stdout, l)
			}
			a.printListing(l)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON for programs")
	return cmd
}

func buildListing(sess *tutor.Session, cp *progress.CourseProgress) listing {
	c, ws := sess.Course, sess.Workspace
	out := listing{Course: c.ID, Title: c.Title, Workspace: ws.Dir(c.ID, ""), Lessons: []listedLesson{}}
	for _, les := range c.Lessons {
		ll := listedLesson{ID: les.ID, Title: les.Title, Summary: les.Summary, Order: les.Order,
			Kernel: les.KernelRaw, Questions: len(les.Quiz), Exercises: []listedExercise{}}
		answers := cp.LessonStatus(les.ID).Answers
		for _, q := range les.Quiz {
			if ans, ok := answers[q.ID]; ok {
				ll.Answered++
				if ans.Correct {
					ll.Correct++
				}
			}
		}
		for _, ex := range les.Exercises {
			ep := cp.ExerciseStatus(ex.ID)
			le := listedExercise{ID: ex.ID, Title: ex.Title, Snippet: ex.SnippetID,
				Status:   string(tutor.ExerciseStanding(cp, ex)),
				Attempts: ep.Attempts, HintsRevealed: ep.HintsRevealed, Hints: len(ex.Hints),
				Workspace: sess.Dir(ex)}
			if ep.Passed {
				at := ep.PassedAt
				le.PassedAt = &at
			}
			ll.Exercises = append(ll.Exercises, le)
		}
		out.Lessons = append(out.Lessons, ll)
	}
	return out
}

func (a *app) printListing(l listing) {
	p := a.painter()
	w := a.stdout
	fmt.Fprintf(w, "%s %s\n", p.title(l.Title), p.dim("("+l.Course+")"))
	fmt.Fprintf(w, "Your exercise files: %s\n\n", l.Workspace)
	for i, les := range l.Lessons {
		done := 0
		for _, ex := range les.Exercises {
			if ex.Status == "passed" {
				done++
			}
		}
		// Both counts, as the TUI's list shows them.
		var parts []string
		if len(les.Exercises) > 0 {
			parts = append(parts, fmt.Sprintf("%d/%d exercises passed", done, len(les.Exercises)))
		}
		if les.Questions > 0 {
			parts = append(parts, fmt.Sprintf("%d/%d questions answered", les.Answered, les.Questions))
		}
		state := strings.Join(parts, " · ")
		fmt.Fprintf(w, "%2d. %-28s %s  %s\n", i+1, les.ID, les.Title, p.dim(state))
		for _, ex := range les.Exercises {
			mark := p.dim("·")
			detail := ""
			switch ex.Status {
			case "passed":
				mark = p.ok("✓")
				detail = "passed " + ex.PassedAt.Local().Format("2006-01-02")
			case "in-progress":
				mark = p.warn("…")
				detail = fmt.Sprintf("%d attempt(s), %d/%d hints", ex.Attempts, ex.HintsRevealed, ex.Hints)
			}
			fmt.Fprintf(w, "      %s %-24s %s  %s\n", mark, ex.ID, ex.Title, p.dim(detail))
		}
	}
	fmt.Fprintf(w, "\nRead a lesson with `rfl-tutor show LESSON`; check an exercise with `rfl-tutor check EXERCISE`.\n")
}
