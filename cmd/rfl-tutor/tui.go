package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/tui"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

// shortTreeError fits why there is no tree on one status line; doctor shows the whole story
// (every place looked at, and the fix).
func shortTreeError(err error) error {
	var notFound *kernel.NotFoundError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &notFound):
		return errors.New(kernel.PrepareHint)
	}
	first, _, _ := strings.Cut(err.Error(), "\n")
	return errors.New(strings.TrimSuffix(strings.TrimSpace(first), ":"))
}

// runTUI opens the interactive tutor. It works without a kernel tree (lessons can be read);
// exercises then say why they cannot be checked, and the status bar says how to get a tree.
func (a *app) runTUI(cmd *cobra.Command) error {
	c, err := a.loadCourse()
	if err != nil {
		return err
	}
	if !a.isTerminal() || !isTerminalFile(os.Stdin) {
		// Without a terminal there is nothing to draw on: give what `list` gives, so a pipe or a
		// script still learns what the course holds, and say how to get the tutor itself.
		fmt.Fprintln(a.stderr, "rfl-tutor: the interactive tutor needs a terminal; listing the course instead (see `rfl-tutor --help`)")
		st, err := a.readProgress()
		if err != nil {
			return err
		}
		a.printListing(a.buildListing(c, st.Lookup(c.ID)))
		return nil
	}
	store, err := a.progressStore()
	if err != nil {
		return err
	}
	ws := a.workspace()
	tree, treeErr := kernel.Find(a.treeOptions(c))
	var checker *check.Checker
	if treeErr == nil {
		checker = check.New(tree, c, filepath.Join(xdg.CacheHome(), "builds"))
	}
	return tui.Run(cmd.Context(), tui.Options{
		Course:    c,
		Tree:      tree,
		TreeErr:   shortTreeError(treeErr),
		Checker:   checker,
		Workspace: ws,
		Progress:  store,
		Doctor: func(ctx context.Context) *doctor.Report {
			return doctor.Run(ctx, doctor.Input{Tree: tree, FindErr: treeErr, Course: c, WorkspaceDir: ws.Root()})
		},
	})
}
