package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/linediff"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

func (a *app) solutionCmd() *cobra.Command {
	var diff bool
	cmd := &cobra.Command{
		Use:   "solution EXERCISE [--diff]",
		Short: "Show an exercise's solution once you passed it (or how your files differ from it)",
		Long: `Show the reference solution of an exercise, for the selected kernel: its files, or with --diff
how your files differ from them (- yours, + the solution). The course decides when solutions
may be seen; by default once your exercise has passed.`,
		Args: exactArgs(1, "an exercise id (see `rfl-tutor list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			sess, ex, err := a.exercise(args[0])
			if err != nil {
				return err
			}
			st, err := a.readProgress()
			if err != nil {
				return err
			}
			if ok, why := tutor.SolutionShown(sess.Course, st.Lookup(sess.Course.ID).ExerciseStatus(ex.ID)); !ok {
				return exit.UsageErr(fmt.Errorf("%s (rfl-tutor check %s)", strings.TrimSuffix(why, "."), ex.ID))
			}
			ex = sess.Exercise(ex)
			sol, err := sess.Course.Files(ex.Snippet, course.VariantSrc)
			if err != nil {
				return err
			}
			var mine map[string][]byte
			if diff {
				if mine, err = sess.Workspace.Files(sess.Course.ID, ex.WorkspaceName()); err != nil {
					return exit.UsageErr(fmt.Errorf("your files of %s: %w (rfl-tutor show %s creates them)", ex.ID, err, ex.Lesson.ID))
				}
			}
			a.printSolution(sol, mine, diff)
			return nil
		},
	}
	cmd.Flags().BoolVar(&diff, "diff", false, "show how your files differ from the solution")
	return cmd
}

// printSolution prints the solution's files, or with diff each file's changes from the
// learner's. Region marks (ANCHOR lines, for lessons) are left out of both.
func (a *app) printSolution(sol, mine map[string][]byte, diff bool) {
	p := a.painter()
	for _, name := range slices.Sorted(maps.Keys(sol)) {
		want := string(course.StripAnchors(sol[name]))
		if !diff {
			fmt.Fprintf(a.stdout, "%s\n%s", p.title("── "+name+" ──"), sanitize.Text(want))
			if !strings.HasSuffix(want, "\n") {
				fmt.Fprintln(a.stdout)
			}
			continue
		}
		have, ok := mine[name]
		switch {
		case !ok:
			fmt.Fprintf(a.stdout, "%s %s\n", p.title(name+":"), p.dim("you have no file of this name"))
			continue
		case string(course.StripAnchors(have)) == want:
			fmt.Fprintf(a.stdout, "%s %s\n", p.title(name+":"), p.ok("the same as the solution"))
			continue
		}
		fmt.Fprintf(a.stdout, "%s\n%s\n", p.title("--- yours/"+name), p.title("+++ solution/"+name))
		script := linediff.Diff(linediff.SplitLines(string(course.StripAnchors(have))), linediff.SplitLines(want))
		for _, h := range linediff.Hunks(script, 3) {
			fmt.Fprintln(a.stdout, p.dim(h.Header()))
			for _, l := range h.Lines {
				text := sanitize.Text(string(l.Op) + l.Text)
				switch l.Op {
				case linediff.Insert:
					text = p.ok(text)
				case linediff.Delete:
					text = p.fail(text)
				}
				fmt.Fprintln(a.stdout, text)
			}
		}
	}
}
