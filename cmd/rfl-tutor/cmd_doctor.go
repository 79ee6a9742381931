package main

import (
	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

func (a *app) doctorCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the toolchain and kernel tree, with a fix for every problem",
		Long: `Check everything exercises need: the kernel tree (configured, CONFIG_RUST, the Rust metadata
modules link against), rustc (the tree's version, rust-src), bindgen and libclang, the LLVM=
setting, qemu and a bootable image for the boot stage, the build sandbox (bubblewrap, tried
with a trivial command), and a writable workspace. Each check
says ok, warn or fail, and every failure says how to fix it. It also lists the exercises this
tree cannot build, and why.

Exit status: 0 when nothing fails (warnings allowed), 1 otherwise.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			tree, findErr := kernel.Find(a.treeOptions(c))
			rep := doctor.Run(cmd.Context(), doctor.Input{Tree: tree, FindErr: findErr, Course: c,
				WorkspaceDir: a.workspace().Root(), Others: kernel.Known(tree)})
			if asJSON {
				if err := rep.WriteJSON(a.stdout); err != nil {
					return err
				}
			} else if err := rep.WriteText(a.stdout, a.color()); err != nil {
				return err
			}
			if !rep.OK() {
				return exit.Quiet(exit.Failure)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
