package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/tui"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
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
	sess, err := a.session(c)
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
		a.printListing(buildListing(sess, st.Lookup(c.ID)))
		return nil
	}
	// The tutor checks exercises: an untrusted pack needs the sandbox for that.
	if err := a.needSandbox(c); err != nil {
		return err
	}
	treeErr := sess.TreeErr
	defer atForcedExit(terminalRestorer(os.Stdin, os.Stdout))()
	return tui.Run(cmd.Context(), tui.Options{
		Course:    c,
		Tree:      sess.Tree,
		TreeErr:   shortTreeError(treeErr),
		Checker:   sess.Checker,
		Trees:     treeSwitcher{course: c, start: sess.Tree},
		Workspace: sess.Workspace,
		Progress:  sess.Store,
		Doctor: func(ctx context.Context, t *kernel.Tree) *doctor.Report {
			in := doctor.Input{Tree: t, Course: c, WorkspaceDir: sess.Workspace.Root(), Others: kernel.Known(t)}
			if t == nil {
				in.FindErr = treeErr
			}
			return doctor.Run(ctx, in)
		},
	})
}

// terminalRestorer returns what puts the terminal back as it was before the TUI started (its
// line discipline settings, the main screen, a visible cursor, no mouse or paste reporting),
// for a forced exit that leaves Bubble Tea no time to do it.
func terminalRestorer(in, out *os.File) func() {
	state, err := term.GetState(in.Fd())
	return func() {
		if err == nil {
			_ = term.Restore(in.Fd(), state)
		}
		_, _ = out.WriteString(leaveTUI)
	}
}

// leaveTUI turns off what the TUI turns on: mouse modes, bracketed paste, focus reports and the
// alternate screen, and shows the cursor.
const leaveTUI = "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[?1049l\x1b[?25h"

// treeSwitcher is the TUI's tree picker's view of the trees: the prepared ones and the tree the
// program started with, and `kernel use` to switch (the choice is saved in the config).
type treeSwitcher struct {
	course *course.Course
	start  *kernel.Tree
}

func (s treeSwitcher) Trees() []tui.TreeChoice {
	var out []tui.TreeChoice
	for _, t := range kernel.Known(s.start) {
		ch := tui.TreeChoice{Tree: t}
		if err := t.RustReady(); err != nil {
			ch.NotReady = err.Error()
		}
		out = append(out, ch)
	}
	return out
}

func (s treeSwitcher) Use(t *kernel.Tree) (tui.Checker, error) {
	if err := kernel.SaveChoice("", t.Dir); err != nil {
		return nil, fmt.Errorf("save the choice: %w", err)
	}
	return tutor.NewChecker(t, s.course, tutor.BuildRoot(xdg.CacheHome())), nil
}
