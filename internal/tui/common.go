package tui

import (
	"context"
	"errors"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/keys"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/styles"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// Common is what every component shares, passed down as one pointer (soft-serve's pattern):
// the course and environment, the styles and keys, and the learner's progress as last read.
type Common struct {
	Ctx context.Context
	// Session is the learner's course, tree, checker, workspace and progress store, and the
	// rules the CLI follows too.
	*tutor.Session
	// Trees switches the kernel tree (nil: the TUI cannot, the command line chooses).
	Trees TreeSwitcher

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
