package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/render"
)

func (a *app) hintCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "hint EXERCISE",
		Short: "Reveal the next hint of an exercise (recorded in your progress)",
		Long: `Reveal the next hint of an exercise. Hints come one at a time, from a nudge to nearly
the answer; each reveal is recorded in your progress. Once all are revealed, it shows them all.`,
		Args: exactArgs(1, "an exercise id (see `rfl-tutor list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			sess, ex, err := a.exercise(args[0])
			if err != nil {
				return err
			}
			var revealed int
			var fresh bool
			if err := a.record(sess, func(cp *progress.CourseProgress) {
				revealed, fresh = cp.RevealHint(ex.ID, len(ex.Hints))
			}); err != nil {
				return err
			}
			p := a.painter()
			text := func(h string) string { return render.InlineCode(h, p.code) }
			if fresh {
				fmt.Fprintf(a.stdout, "%s %s\n", p.title(fmt.Sprintf("Hint %d of %d:", revealed, len(ex.Hints))), text(ex.Hints[revealed-1]))
				if revealed < len(ex.Hints) {
					fmt.Fprintf(a.stdout, "%s\n", p.dim(fmt.Sprintf("Run `rfl-tutor hint %s` again for the next one.", ex.ID)))
				}
				return nil
			}
			fmt.Fprintf(a.stdout, "All %d hints of %s are revealed:\n", len(ex.Hints), ex.ID)
			for i, h := range ex.Hints {
				fmt.Fprintf(a.stdout, "%s %s\n", p.title(fmt.Sprintf("%d.", i+1)), text(h))
			}
			return nil
		},
	}
}
