package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/render"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

func (a *app) showCmd() *cobra.Command {
	var width int
	cmd := &cobra.Command{
		Use:   "show LESSON",
		Short: "Print a lesson, rendered for the terminal, with its exercises and questions",
		Long: `Print a lesson rendered for the terminal. Code the lesson shows comes from the snippet
library. For each exercise it creates your copy of the starter files (never overwriting your
own) and prints where they are.`,
		Args: exactArgs(1, "a lesson id (see `rfl-tutor list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			les := c.Lesson(args[0])
			if les == nil {
				return exit.UsageErr(fmt.Errorf("no lesson %q: %s", args[0], lessonIDs(c)))
			}
			if width < 0 {
				return exit.UsageErr(fmt.Errorf("--width must be positive"))
			}
			if width == 0 {
				width = a.terminalWidth()
			}
			sess, err := a.session(c)
			if err != nil {
				return err
			}
			md, err := a.lessonDocument(sess, les)
			if err != nil {
				return err
			}
			theme := render.Plain
			if a.color() {
				theme = render.Dark
			}
			out, err := render.Markdown(md, width, theme)
			if err != nil {
				return err
			}
			fmt.Fprint(a.stdout, out)
			// Reading a lesson is progress too: `list` and the TUI resume from here.
			return a.record(sess, func(cp *progress.CourseProgress) {
				now := time.Now()
				cp.VisitLesson(les.ID, now)
				cp.SetLast(les.ID, "", now)
				tutor.CompleteIfDone(cp, les, now)
			})
		},
	}
	cmd.Flags().IntVar(&width, "width", 0, "wrap the text at `N` columns (default: the terminal's width, or 80)")
	return cmd
}

// terminalWidth is the width to wrap at: the terminal's, capped at a readable 100 columns.
func (a *app) terminalWidth() int {
	if a.isTerminal() {
		if w, _, err := term.GetSize(1); err == nil && w > 0 {
			return min(w, 100)
		}
	}
	return 80
}

// lessonDocument is the lesson's markdown with snippet includes resolved, followed by its
// exercises (each with the learner's file) and its knowledge-check questions.
func (a *app) lessonDocument(sess *tutor.Session, les *course.Lesson) (string, error) {
	c, kernelName := sess.Course, sess.KernelName()
	body, err := c.MarkdownFor(les, sess.KernelVersion())
	if err != nil {
		return "", exit.UsageErr(err)
	}
	var b strings.Builder
	if !strings.HasPrefix(strings.TrimSpace(body), "# ") {
		fmt.Fprintf(&b, "# %s\n\n", les.Title)
	}
	b.WriteString(strings.TrimSpace(body))
	b.WriteString("\n")
	if les.KernelRaw != "" {
		fmt.Fprintf(&b, "\n*This lesson is written for Linux %s.*\n", les.KernelRaw)
	}
	for _, ex := range les.Exercises {
		cp, err := sess.Prepare(ex)
		if err != nil {
			return "", exit.UsageErr(err)
		}
		fmt.Fprintf(&b, "\n## Exercise: %s\n\n%s\n\n", ex.Title, strings.TrimSpace(ex.Task))
		if exp := ex.ExpectationsMarkdown(); exp != "" {
			fmt.Fprintf(&b, "%s\n", exp)
		}
		fmt.Fprintf(&b, "Your files (for %s): `%s`\n\n", kernelName, cp.Dir)
		if n := cp.Notice(kernelName); n != "" {
			fmt.Fprintf(&b, "%s\n\n", n)
		}
		fmt.Fprintf(&b, "Check your work with `rfl-tutor check %s`; ask for a hint with `rfl-tutor hint %s`.\n", ex.ID, ex.ID)
	}
	if len(les.Quiz) > 0 {
		b.WriteString("\n## Check your understanding\n\n")
		for i, q := range les.Quiz {
			fmt.Fprintf(&b, "%d. %s\n\n", i+1, strings.TrimSpace(q.Question))
			for j, choice := range q.Choices {
				fmt.Fprintf(&b, "   %c) %s\n", 'a'+j, choice)
			}
			b.WriteString("\n")
		}
		b.WriteString("Answer the questions in the interactive tutor (`rfl-tutor`).\n")
	}
	return b.String(), nil
}

func lessonIDs(c *course.Course) string {
	ids := make([]string, len(c.Lessons))
	for i, l := range c.Lessons {
		ids[i] = l.ID
	}
	return "lessons are " + strings.Join(ids, ", ")
}

func exerciseIDs(c *course.Course) string {
	var ids []string
	for _, l := range c.Lessons {
		for _, ex := range l.Exercises {
			ids = append(ids, ex.ID)
		}
	}
	return "exercises are " + strings.Join(ids, ", ")
}

// exercise looks up an exercise id given on the command line and opens the learner's session;
// the exercise is returned as the course has it (sess.Exercise resolves the tree's variant).
func (a *app) exercise(id string) (*tutor.Session, *course.Exercise, error) {
	c, err := a.loadCourse()
	if err != nil {
		return nil, nil, err
	}
	ex := c.Exercise(id)
	if ex == nil {
		return nil, nil, exit.UsageErr(fmt.Errorf("no exercise %q: %s", id, exerciseIDs(c)))
	}
	sess, err := a.session(c)
	if err != nil {
		return nil, nil, err
	}
	return sess, ex, nil
}
