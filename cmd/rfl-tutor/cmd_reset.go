package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
)

func (a *app) resetCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "reset EXERCISE",
		Short: "Start an exercise over from its starter (your files are kept as a backup)",
		Long: `Replace your copy of an exercise with the starter files. Nothing is lost: your current
folder is moved to a backup first and its path printed. Asks for confirmation on a terminal;
without one, pass --yes.`,
		Args: exactArgs(1, "an exercise id (see `rfl-tutor list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			sess, ex, err := a.exercise(args[0])
			if err != nil {
				return err
			}
			ex, kernelName, ws := sess.Exercise(ex), sess.KernelName(), sess.Workspace
			dir := sess.Dir(ex)
			if !yes {
				if !isatty.IsTerminal(os.Stdin.Fd()) {
					return exit.UsageErr(errors.New("reset needs confirmation: run it on a terminal or pass --yes"))
				}
				fmt.Fprintf(a.stdout, "Reset %s to its starter for %s? Your files in %s are kept as a backup. [y/N] ", ex.ID, kernelName, dir)
				answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
				if ans := strings.ToLower(strings.TrimSpace(answer)); ans != "y" && ans != "yes" {
					fmt.Fprintln(a.stdout, "Nothing changed.")
					return nil
				}
			}
			starter, err := sess.Course.Files(ex.Snippet, course.VariantStarter)
			if err != nil {
				return exit.UsageErr(err)
			}
			backup, err := ws.Reset(sess.Course.ID, ex.WorkspaceName(), starter)
			if err != nil {
				return exit.UsageErr(fmt.Errorf("reset: %w", err))
			}
			if backup != "" {
				fmt.Fprintf(a.stdout, "Your previous files are in %s\n", backup)
			}
			fmt.Fprintf(a.stdout, "%s now holds the starter again.\n", dir)
			return nil
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
