// Package tutor is the one core under the CLI and the TUI: a learner's session (the course, the
// selected kernel tree, the workspace and the progress file) and the rules both follow: which
// kernel's code the learner gets, where their copy lives, how a check is recorded, when a
// lesson is complete. cmd/rfl-tutor parses flags and prints; internal/tui draws; neither holds
// these rules itself.
package tutor

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
)

// Checker judges an exercise in a folder; *check.Checker is the real one, tests use fakes.
type Checker interface {
	Check(ctx context.Context, ex *course.Exercise, dir string, opts check.Options) (*check.Verdict, error)
}

// Store is where progress is kept; *progress.Store is the real one.
type Store interface {
	Load() (*progress.State, error)
	Update(func(*progress.State) error) error
}

// Session is one learner working through one course.
type Session struct {
	Course *course.Course
	// Tree is the kernel tree checks build against; nil when none was found, with TreeErr
	// saying why. Lessons can still be read and copies made without one.
	Tree    *kernel.Tree
	TreeErr error
	// Checker judges exercises against Tree; nil without a tree.
	Checker   Checker
	Workspace *workspace.Workspace
	Store     Store
}

// New opens a session on tree (nil, with treeErr, when there is none), checking in build
// folders under buildRoot.
func New(c *course.Course, tree *kernel.Tree, treeErr error, ws *workspace.Workspace, store Store, buildRoot string) *Session {
	s := &Session{Course: c, Workspace: ws, Store: store, TreeErr: treeErr}
	if tree != nil {
		s.Use(tree, NewChecker(tree, c, buildRoot))
	}
	return s
}

// NewChecker judges c's exercises against tree in build folders under buildRoot.
func NewChecker(tree *kernel.Tree, c *course.Course, buildRoot string) *check.Checker {
	return check.New(tree, c, buildRoot)
}

// BuildRoot is where the build folders live under a cache folder.
func BuildRoot(cacheHome string) string { return filepath.Join(cacheHome, "builds") }

// Use switches the session to tree, checked by chk.
func (s *Session) Use(tree *kernel.Tree, chk Checker) {
	s.Tree, s.TreeErr, s.Checker = tree, nil, chk
}

// KernelVersion is the kernel the learner's code is for: the tree's, else the kernel `kernel
// prepare` builds by default (the tree a newcomer without one is about to get).
func (s *Session) KernelVersion() *semver.Version {
	if s.Tree != nil && s.Tree.Version != nil {
		return s.Tree.Version
	}
	return semver.MustParse(kernel.DefaultSeries + ".0")
}

// KernelName names KernelVersion for the learner: "Linux 7.3.4".
func (s *Session) KernelName() string {
	if s.Tree != nil && s.Tree.Version != nil {
		return "Linux " + s.Tree.Version.String()
	}
	return "Linux " + kernel.DefaultSeries
}

// Exercise is ex as the session's kernel sees it: that kernel's variant of the code.
func (s *Session) Exercise(ex *course.Exercise) *course.Exercise {
	return ex.For(s.KernelVersion())
}

// Prepare makes sure the learner's copy of ex for the session's kernel exists (the starter is
// copied on first use, never over the learner's files).
func (s *Session) Prepare(ex *course.Exercise) (*workspace.Copy, error) {
	return s.Workspace.Prepare(s.Course, s.Exercise(ex))
}

// Dir is the folder of the learner's copy of ex for the session's kernel.
func (s *Session) Dir(ex *course.Exercise) string {
	return s.Workspace.Dir(s.Course.ID, s.Exercise(ex).WorkspaceName())
}

// ErrNoTree means there is no kernel tree to check against.
var ErrNoTree = errors.New("no kernel tree")

// Check judges the learner's files in dir. It does not record anything: the caller records
// the verdict with RecordCheck, in its own way (the TUI shows it before the file is written).
func (s *Session) Check(ctx context.Context, ex *course.Exercise, dir string, opts check.Options) (*check.Verdict, error) {
	if s.Checker == nil {
		if s.TreeErr != nil {
			return nil, s.TreeErr
		}
		return nil, ErrNoTree
	}
	return s.Checker.Check(ctx, s.Exercise(ex), dir, opts)
}

// Record applies fn to this course's progress under the store's lock.
func (s *Session) Record(fn func(*progress.CourseProgress)) error {
	id := s.Course.ID
	return s.Store.Update(func(st *progress.State) error {
		fn(st.Course(id))
		return nil
	})
}

// Unavailable is why ex cannot be checked on the session's tree, or "".
func (s *Session) Unavailable(ex *course.Exercise) string {
	if s.Tree == nil {
		return "no kernel tree"
	}
	return kernel.Unavailable(s.Tree, s.Exercise(ex).Snippet)
}

// ReferenceChecker also judges the course's own solution and starter (`check --solution`,
// `--starter`); *check.Checker is one.
type ReferenceChecker interface {
	CheckSolution(ctx context.Context, ex *course.Exercise, opts check.Options) (*check.Verdict, error)
	CheckStarter(ctx context.Context, ex *course.Exercise, opts check.Options) (*check.Verdict, error)
}

// CheckReference judges ex's reference solution (solution) or its starter as shipped.
func (s *Session) CheckReference(ctx context.Context, ex *course.Exercise, solution bool, opts check.Options) (*check.Verdict, error) {
	rc, ok := s.Checker.(ReferenceChecker)
	if !ok {
		if s.TreeErr != nil {
			return nil, s.TreeErr
		}
		return nil, ErrNoTree
	}
	if solution {
		return rc.CheckSolution(ctx, s.Exercise(ex), opts)
	}
	return rc.CheckStarter(ctx, s.Exercise(ex), opts)
}
