package main

import (
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// kernelMakeCmdCmd prints the make line that builds a module folder against the selected tree,
// with the variables that tree needs: the line lessons tell the learner to type, and the one
// check runs.
func (a *app) kernelMakeCmdCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "make-cmd [DIR]",
		Short: "Print the make command that builds the module in DIR (default .) against the selected tree",
		Long: `Print the make command that builds the out-of-tree module in DIR (default: the current folder)
against the selected kernel tree, with the variables the tree needs (LLVM=, RUSTC=): what check
runs, for when you build by hand. The tree is the one check would use (--kdir, $KDIR, your config,
then the newest prepared tree).`,
		Args: maxArgs(1, "at most one module folder"),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			tree, err := kernel.Find(a.treeOptions(c))
			if err != nil {
				return exit.UsageErr(err)
			}
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return exit.UsageErr(err)
			}
			fmt.Fprintln(a.stdout, makeCommand(tree, abs))
			return nil
		},
	}
}

// makeCommand is the shell line that builds the module in dir against t: the make line
// check runs, quoted as build quotes the command it records.
func makeCommand(t *kernel.Tree, dir string) string {
	args := append([]string{"make", "-C", t.Dir, "M=" + dir}, t.MakeArgs()...)
	return build.ShellLine(append(args, "modules"))
}
