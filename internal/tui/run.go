// Package tui is the interactive tutor: a Bubble Tea program with a lesson list, a lesson view,
// an exercise pane that runs checks live, a status bar and help. It only displays and
// triggers: verdicts come from internal/check and progress goes through internal/progress,
// exactly as the headless commands use them.
package tui

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/keys"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/styles"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
)

// ProgressStore is where progress is kept; *progress.Store is the real one.
type ProgressStore = tutor.Store

// Options is what the program needs; cmd/rfl-tutor fills it from its flags.
type Options struct {
	Course *course.Course
	// Tree is the kernel tree checks build against; nil when none was found, with TreeErr
	// saying why. Lessons can still be read and exercises edited without one.
	Tree    *kernel.Tree
	TreeErr error
	// Checker judges exercises; nil without a tree.
	Checker Checker
	// Trees, when set, lets the learner switch trees with the picker (K).
	Trees TreeSwitcher
	// Doctor, when set, is run in the background (it starts rustc) at start and after a tree
	// switch, on the tree in use (nil: none); a summary of its report shows in the status bar.
	Doctor    func(context.Context, *kernel.Tree) *doctor.Report
	Workspace *workspace.Workspace
	Progress  ProgressStore

	// Input and Output default to the terminal; tests set them.
	Input  io.Reader
	Output io.Writer
}

// Run runs the program until the learner quits or ctx is cancelled. Whatever ends it, running
// builds are cancelled and waited for before Run returns, so their process groups are gone.
func Run(ctx context.Context, o Options) error {
	m, err := New(ctx, o)
	if err != nil {
		return err
	}
	// The caller handles the signals and cancels ctx, which ends the program and restores the
	// terminal. Bubble Tea's own handler would race it for the same signals and can hang the
	// shutdown.
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler()}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	_, err = tea.NewProgram(m, opts...).Run()
	m.shutdown(quitTimeout)
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// New builds the root model: progress is read (a newer progress file is an error: writing it
// would lose data), and the learner's last position is reopened by Init.
func New(ctx context.Context, o Options) (*Model, error) {
	if o.Course == nil || o.Workspace == nil || o.Progress == nil {
		return nil, errors.New("tui: Course, Workspace and Progress are required")
	}
	if c, ok := o.Checker.(*check.Checker); ok && c == nil {
		o.Checker = nil // a nil *check.Checker in the interface is still "no checker"
	}
	st, err := o.Progress.Load()
	var startupWarning string
	switch {
	case err != nil && progressWarning(err):
		startupWarning = firstLine(err.Error())
	case err != nil:
		return nil, err
	}
	if st == nil {
		st = progress.New()
	}
	c := &Common{
		Ctx: ctx,
		Session: &tutor.Session{Course: o.Course, Tree: o.Tree, TreeErr: o.TreeErr, Checker: o.Checker,
			Workspace: o.Workspace, Store: o.Progress},
		Trees:        o.Trees,
		Styles:       styles.DefaultStyles(true),
		Keys:         keys.Default(),
		Dark:         true,
		State:        st,
		Editor:       editorCommand(),
		Now:          time.Now,
		renders:      newRenderCache(),
		progressSync: &progressSync{},
	}
	m := &Model{
		c:       c,
		welcome: newWelcomeView(c),
		doctor:  newDoctorView(c),
		list:    newLessonList(c),
		lesson:  newLessonView(c),
		trees:   newTreePicker(c),
		panes:   map[string]*exercisePane{},
		status:  newStatusBar(c, o.Doctor),
		help:    help.New(),
	}
	m.help.Styles = c.Styles.Help
	var cmds []tea.Cmd
	if startupWarning != "" {
		cmds = append(cmds, flash(startupWarning, true))
	}
	if pos, ok := c.Progress().LastPosition(); ok {
		cmds = append(cmds, m.resumeAt(pos))
	} else {
		// A learner who has not started yet: say what this is and where to begin.
		m.screen = screenWelcome
	}
	m.resume = tea.Batch(cmds...)
	return m, nil
}

// resumeAt reopens the lesson or exercise the learner had open last time.
func (m *Model) resumeAt(pos progress.Position) tea.Cmd {
	l := m.c.Course.Lesson(pos.Lesson)
	if l == nil {
		return nil // the course changed since
	}
	m.list.selectPosition(pos.Lesson, pos.Exercise)
	if ex := m.c.Course.Exercise(pos.Exercise); ex != nil && ex.Lesson == l {
		m.history = []screen{screenList}
		return m.openExercise(ex.ID)
	}
	m.history = []screen{screenList}
	m.screen = screenLesson
	return m.lesson.open(l)
}

// editorCommand is the learner's editor: $VISUAL, then $EDITOR, then vi. The value may carry
// arguments ("code --wait"); it is split on spaces, not run through a shell.
func editorCommand() []string {
	for _, v := range []string{"VISUAL", "EDITOR"} {
		if f := strings.Fields(os.Getenv(v)); len(f) > 0 {
			return f
		}
	}
	return []string{"vi"}
}
