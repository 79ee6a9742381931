package tui

import (
	"context"
	"errors"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/keys"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/styles"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
)

// Common is what every component shares, passed down as one pointer (soft-serve's pattern):
// the course and environment, the styles and keys, and the learner's progress as last read.
type Common struct {
	Ctx       context.Context
	Course    *course.Course
	Tree      *kernel.Tree
	TreeErr   error
	Workspace *workspace.Workspace
	Checker   Checker
	// Trees switches the kernel tree (nil: the TUI cannot, the command line chooses).
	Trees TreeSwitcher
	Store ProgressStore

	Styles *styles.Styles
	Keys   *keys.KeyMap
	Dark   bool

	// State is the progress file as last read (or as changed by this program and not yet read
	// back). Only the UI goroutine touches it.
	State *progress.State

	// Editor is the command line that edits a file ($VISUAL, $EDITOR, vi).
	Editor []string
	// Now is the clock, replaced in tests.
	Now func() time.Time

	renders *renderCache

	progressSync *progressSync
	progressSent int // progress writes issued
}

// KernelVersion is the kernel the learner's code is for: the tree's, else the kernel `kernel
// prepare` builds by default (the tree a newcomer without one is about to get).
func (c *Common) KernelVersion() *semver.Version {
	if c.Tree != nil && c.Tree.Version != nil {
		return c.Tree.Version
	}
	return semver.MustParse(kernel.DefaultSeries + ".0")
}

// KernelName names KernelVersion for the learner: "Linux 7.3.4".
func (c *Common) KernelName() string {
	if c.Tree != nil && c.Tree.Version != nil {
		return "Linux " + c.Tree.Version.String()
	}
	return "Linux " + kernel.DefaultSeries
}

// Progress is this course's record in State (nil when there is none; its getters accept nil).
func (c *Common) Progress() *progress.CourseProgress {
	return c.State.Lookup(c.Course.ID)
}

// progressSync serialises this program's progress writes so that the state read back after the
// last of them includes all of them.
type progressSync struct {
	mu   sync.Mutex
	done int
}

// progressMsg carries the progress file as read back after a write.
type progressMsg struct {
	state *progress.State
	err   error
	seq   int // writes completed when state was read
}

// record changes the learner's progress: at once in memory, so the screen shows it in this
// frame, and in the file from a command (it takes a lock and may wait for another rfl-tutor),
// after which the file is read back so that changes made meanwhile by `rfl-tutor check` in
// another terminal show up as well. fn runs twice, on the two states, so it must not depend on
// anything but its arguments and what it captured.
func (c *Common) record(fn func(cp *progress.CourseProgress)) tea.Cmd {
	fn(c.State.Course(c.Course.ID))
	c.progressSent++
	store, id, ps := c.Store, c.Course.ID, c.progressSync
	return func() tea.Msg {
		ps.mu.Lock()
		defer ps.mu.Unlock()
		err := store.Update(func(st *progress.State) error {
			fn(st.Course(id))
			return nil
		})
		ps.done++
		st, lerr := store.Load()
		return progressMsg{state: st, err: errors.Join(err, lerr), seq: ps.done}
	}
}

// applyProgress takes in a read-back state when no write issued since is missing from it.
func (c *Common) applyProgress(msg progressMsg) {
	if msg.state != nil && msg.seq == c.progressSent {
		c.State = msg.state
	}
}

// progressWarning tells whether a progress error is the store's warning that it replaced a
// corrupt file (the write happened) rather than a failure.
func progressWarning(err error) bool {
	var corrupt *progress.CorruptError
	return errors.As(err, &corrupt)
}
