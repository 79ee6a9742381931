package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// kernelMakeCmdCmd prints the make line that builds a module folder against the selected tree,
// with the variables that tree needs: the line lessons tell the learner to type, and the one
// check runs.
func (a *app) kernelMakeCmdCmd() *cobra.Command {
	var analyzer bool
	cmd := &cobra.Command{
		Use:   "make-cmd [DIR]",
		Short: "Print the make command that builds the module in DIR (default .) against the selected tree",
		Long: `Print the make command that builds the out-of-tree module in DIR (default: the current folder)
against the selected kernel tree, with the variables the tree needs (LLVM=, RUSTC=): what check
runs, for when you build by hand. The tree is the one check would use (--kdir, $KDIR, your config,
then the newest prepared tree).

With --rust-analyzer it prints instead the line that writes DIR/rust-project.json, which lets
rust-analyzer (your editor's Rust support) resolve the kernel crate for the module. It needs the
tree's bindgen too (BINDGEN=), and a tree whose rust-analyzer target supports M= (7.x does;
6.12's does not, and the command says so).`,
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
			if analyzer {
				line, err := analyzerCommand(tree, abs)
				if err != nil {
					return exit.UsageErr(err)
				}
				fmt.Fprintln(a.stdout, line)
				return nil
			}
			fmt.Fprintln(a.stdout, makeCommand(tree, abs))
			return nil
		},
	}
	cmd.Flags().BoolVar(&analyzer, "rust-analyzer", false, "print the line that writes DIR/rust-project.json for rust-analyzer instead")
	return cmd
}

// analyzerCommand is the shell line that writes dir/rust-project.json for the module in dir:
// the tree's rust-analyzer target with M=, which runs the toolchain check, so it needs the
// tree's bindgen as well. Trees whose top Makefile has no out-of-tree branch for the target
// (6.12) would fail on a missing rust/Makefile; that is said here instead.
func analyzerCommand(t *kernel.Tree, dir string) (string, error) {
	mk, err := os.ReadFile(filepath.Join(t.SourceDir, "Makefile"))
	if err != nil {
		return "", fmt.Errorf("read the tree's Makefile: %w", err)
	}
	_, rule, ok := strings.Cut(string(mk), "\nrust-analyzer:")
	if rule, _, _ = strings.Cut(rule, "\n\n"); !ok || !strings.Contains(rule, "KBUILD_EXTMOD") {
		return "", fmt.Errorf("the Linux %s tree cannot write rust-project.json for an out-of-tree module (its rust-analyzer target has no M= support; 7.x has): `make -C %s rust-analyzer` writes one for the kernel's own crates only", t.Release, t.Dir)
	}
	args := append([]string{"make", "-C", t.Dir, "M=" + dir}, t.MakeArgs()...)
	if t.Bindgen != "" {
		args = append(args, "BINDGEN="+t.Bindgen)
	}
	return build.ShellLine(append(args, "rust-analyzer")), nil
}

// makeCommand is the shell line that builds the module in dir against t: the make line
// check runs, quoted as build quotes the command it records.
func makeCommand(t *kernel.Tree, dir string) string {
	args := append([]string{"make", "-C", t.Dir, "M=" + dir}, t.MakeArgs()...)
	return build.ShellLine(append(args, "modules"))
}
