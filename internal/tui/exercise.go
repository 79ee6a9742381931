package tui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/termbuf"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/watch"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// OutputLines is the scrollback of the build output pane. Rustc's worst cascades are a few
// thousand lines; older lines are dropped so a flood cannot grow memory.
const OutputLines = 10000

type exerciseTab int

const (
	tabTask exerciseTab = iota
	tabOutput
	tabDiagnostics
	tabHints
	tabSolution
	numTabs
)

// stageState is one line of the stage checklist.
type stageState struct {
	stage   course.Stage
	running bool
	status  check.Status // "" until the stage is done
	reason  string
}

// Messages of the exercise pane; each names its exercise, so a result that arrives after the
// learner moved on still lands in the right pane.
type (
	ensuredMsg struct {
		forPane
		notice string // about the learner's copies for other kernels
		err    error
	}
	editorDoneMsg struct {
		forPane
		err error
	}
	watchMsg struct {
		forPane
		gen int
	}
	watchStartedMsg struct {
		forPane
		gen int
		w   *watch.Watcher
		err error
	}
	solutionMsg struct {
		forPane
		solution map[string][]byte
		mine     map[string][]byte
		err      error
	}
	resetMsg struct {
		forPane
		backup string
		err    error
	}
	// backMsg asks the root for the previous screen.
	backMsg struct{}
)

// solutionFiles keeps the loaded solution and learner's files, so a resize re-renders them.
type solutionFiles struct{ solution, mine map[string][]byte }

// exercisePane is one exercise: its file, the stage checklist, the live build output, the
// diagnostics, hints and solution.
type exercisePane struct {
	c             *Common
	ex            *course.Exercise
	width, height int

	dir      string // the learner's folder
	file     string // the file to edit, absolute
	ready    bool   // the folder holds the starter (or the learner's files)
	setupErr error
	note     string // a one-line message under the checklist

	stages     []stageState
	verdict    *check.Verdict
	run        *checkRun
	waitingFor string // who holds the build folder the running check waits for
	runs       int
	cancelling bool
	spin       spinner.Model

	out       *termbuf.Buffer
	follow    bool
	outTopAbs int // first line shown when not following, counted from the stream's start

	tab       exerciseTab
	task      pager
	taskShown docKey
	diags     []diag.Diagnostic
	diagSel   int
	diagPager pager
	diagStart []int // first line of each diagnostic in diagPager
	hints     pager
	solution  pager
	solFiles  *solutionFiles

	watching bool
	watcher  *watch.Watcher
	watchGen int
	editing  bool

	confirmReset bool
}

// newExercisePane shows ex as the selected kernel sees it: that kernel's variant of the code,
// in that variant's folder.
func newExercisePane(c *Common, ex *course.Exercise) *exercisePane {
	p := &exercisePane{
		c: c, ex: c.Exercise(ex),
		dir:      c.Dir(ex),
		out:      termbuf.New(OutputLines),
		follow:   true,
		watching: true,
		spin:     spinner.New(spinner.WithSpinner(spinner.Dot)),
	}
	p.file = filepath.Join(p.dir, mainFile(p.ex))
	p.resetStages()
	p.applyTheme()
	return p
}

// mainFile is the file the learner edits: the starter's .rs file named after the snippet, or
// its first .rs file.
func mainFile(ex *course.Exercise) string {
	names := make([]string, 0, len(ex.Snippet.StarterFiles))
	for name := range ex.Snippet.StarterFiles {
		if strings.HasSuffix(name, ".rs") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		if n == ex.Snippet.ID+".rs" {
			return n
		}
	}
	if len(names) > 0 {
		return names[0]
	}
	return ex.Snippet.ID + ".rs"
}

func (p *exercisePane) stageList() []course.Stage {
	if len(p.ex.Stages) > 0 {
		return p.ex.Stages
	}
	return course.DefaultStages
}

func (p *exercisePane) resetStages() {
	p.stages = p.stages[:0]
	for _, s := range p.stageList() {
		p.stages = append(p.stages, stageState{stage: s})
	}
}

func (p *exercisePane) applyTheme() {
	p.spin.Style = p.c.Styles.Running
	p.rebuild()
}

// open is called each time the pane is shown: it makes sure the learner's folder exists (the
// starter is copied on first open, never over the learner's files) and starts watching it.
func (p *exercisePane) open() tea.Cmd {
	now := p.c.Now()
	ex := p.ex
	cmds := []tea.Cmd{p.c.record(func(cp *progress.CourseProgress) {
		cp.SetLast(ex.Lesson.ID, ex.ID, now)
	}), p.syncTask()}
	if !p.ready {
		c := p.c
		cmds = append(cmds, func() tea.Msg {
			cp, err := c.Prepare(ex)
			if err != nil {
				return ensuredMsg{forPane: forPane{ex.ID}, err: err}
			}
			return ensuredMsg{forPane: forPane{ex.ID}, notice: cp.Notice(c.KernelName())}
		})
	} else if p.watching {
		cmds = append(cmds, p.startWatch())
	}
	return tea.Batch(cmds...)
}

// leave is called when the pane is hidden: watching stops (a save then is not checked until
// the learner comes back).
func (p *exercisePane) leave() {
	p.stopWatch()
}

// shutdown cancels a running check for good and stops watching.
func (p *exercisePane) shutdown() *checkRun {
	p.stopWatch()
	r := p.run
	if r != nil {
		r.abandon()
		p.run = nil
	}
	return r
}

// Busy reports whether a check is running.
func (p *exercisePane) Busy() bool { return p.run != nil }

// Capturing reports whether the pane takes every key (a confirmation is open).
func (p *exercisePane) Capturing() bool { return p.confirmReset }

// SetSize implements the component contract.
func (p *exercisePane) SetSize(w, h int) {
	p.width, p.height = w, h
	p.rebuild()
}

func (p *exercisePane) headerHeight() int { return 2 + len(p.stages) + 2 }

func (p *exercisePane) bodyHeight() int { return max(p.height-p.headerHeight(), 1) }

// unavailableReason is why this exercise cannot be checked here, or "".
func (p *exercisePane) unavailableReason() string {
	if p.c.Checker == nil {
		if p.c.TreeErr != nil {
			return "no kernel tree: " + firstLine(p.c.TreeErr.Error())
		}
		return "no kernel tree"
	}
	return unavailable(p.c, p.ex)
}

// revealable says whether the solution may be shown, and if not, why.
func (p *exercisePane) revealable() (bool, string) {
	ep := p.c.Progress().ExerciseStatus(p.ex.ID)
	// A pass on screen counts before the progress file has caught up with it.
	ep.Passed = ep.Passed || (p.verdict != nil && p.verdict.Passed)
	return tutor.SolutionShown(p.c.Course, ep)
}

// Update implements the component contract.
func (p *exercisePane) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		return p.updateKey(msg)
	case spinner.TickMsg:
		if p.run == nil {
			return nil // the spinner stops with the check
		}
		var cmd tea.Cmd
		p.spin, cmd = p.spin.Update(msg)
		return cmd
	case renderedMsg:
		if msg.key == p.taskKey() {
			p.showTask(msg)
		}
	case ensuredMsg:
		if msg.err != nil {
			p.setupErr = fmt.Errorf("could not set up your copy of the exercise: %w", msg.err)
			p.note = p.setupErr.Error()
			return nil
		}
		p.ready = true
		if msg.notice != "" {
			p.note = msg.notice
		}
		if p.watching {
			return p.startWatch()
		}
	case checkMsg:
		return p.updateCheck(msg)
	case editorDoneMsg:
		p.editing = false
		if msg.err != nil {
			p.note = editorFailure(p.c.Editor, msg.err)
			return nil
		}
		return p.startCheck()
	case watchStartedMsg:
		if msg.gen != p.watchGen || !p.watching {
			if msg.w != nil {
				_ = msg.w.Close()
			}
			return nil
		}
		if msg.err != nil {
			p.watching = false
			p.note = "Cannot watch your folder: " + msg.err.Error()
			return nil
		}
		p.watcher = msg.w
		return p.nextWatch()
	case watchMsg:
		if msg.gen != p.watchGen || p.watcher == nil {
			return nil
		}
		if p.editing {
			// The editor is open: its exit triggers the check.
			return p.nextWatch()
		}
		return tea.Batch(p.nextWatch(), p.startCheck())
	case solutionMsg:
		p.showSolution(msg)
	case resetMsg:
		return p.finishReset(msg)
	}
	return nil
}

func (p *exercisePane) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := p.c.Keys
	if p.confirmReset {
		switch {
		case key.Matches(msg, k.Confirm):
			p.confirmReset = false
			return p.reset()
		case key.Matches(msg, k.Deny):
			p.confirmReset = false
			p.note = "Nothing was reset."
		}
		return nil
	}
	// A message stays until the learner does something else.
	p.note = ""
	switch {
	case p.run != nil && key.Matches(msg, k.Cancel):
		p.cancelling = true
		p.run.cancel()
	case key.Matches(msg, k.Back):
		return func() tea.Msg { return backMsg{} }
	case key.Matches(msg, k.Next) && p.run == nil && p.c.Progress().ExerciseStatus(p.ex.ID).Passed:
		l, ex := p.ex.Lesson, p.ex
		return func() tea.Msg { return nextStepMsg{lesson: l, after: ex} }
	case key.Matches(msg, k.Lesson):
		l := p.ex.Lesson
		return func() tea.Msg { return openLessonMsg{lesson: l} }
	case key.Matches(msg, k.Check):
		return p.startCheck()
	case key.Matches(msg, k.Edit):
		return p.edit(p.file, 0)
	case key.Matches(msg, k.EditAt) && p.tab == tabDiagnostics && len(p.diags) > 0:
		d := p.diags[p.diagSel]
		return p.edit(p.diagFile(d), d.Line)
	case key.Matches(msg, k.Watch):
		return p.toggleWatch()
	case key.Matches(msg, k.Hint):
		return p.revealHint()
	case key.Matches(msg, k.Solution):
		p.tab = tabSolution
		return p.loadSolution()
	case key.Matches(msg, k.Reset):
		if p.run != nil {
			p.note = "A check is running: cancel it (esc) before resetting."
			return nil
		}
		p.confirmReset = true
	case key.Matches(msg, k.NextTab):
		p.tab = (p.tab + 1) % numTabs
		return p.tabOpened()
	case key.Matches(msg, k.PrevTab):
		p.tab = (p.tab + numTabs - 1) % numTabs
		return p.tabOpened()
	case k.Moves(msg):
		d, _ := k.Motion(msg, p.bodyHeight())
		p.Scroll(d)
	}
	return nil
}

// ShortHelp implements help.KeyMap.
func (p *exercisePane) ShortHelp() []key.Binding {
	k := p.c.Keys
	switch {
	case p.confirmReset:
		return []key.Binding{k.Confirm, k.Deny}
	case p.run != nil:
		return []key.Binding{k.Cancel, k.NextTab, k.Down, k.Up, k.Help}
	}
	if p.c.Progress().ExerciseStatus(p.ex.ID).Passed {
		return []key.Binding{k.Next, k.Solution, k.Check, k.Edit, k.NextTab, k.Lesson, k.Back, k.Help}
	}
	return []key.Binding{k.Check, k.Edit, k.Hint, k.NextTab, k.Lesson, k.Back, k.Help}
}

// FullHelp implements help.KeyMap.
func (p *exercisePane) FullHelp() [][]key.Binding {
	k := p.c.Keys
	return [][]key.Binding{
		{k.Edit, k.Check, k.Watch, k.Cancel, k.Reset},
		{k.Hint, k.Solution, k.Next, k.NextTab, k.PrevTab, k.EditAt},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Lesson, k.Back, k.Help, k.Quit},
	}
}

// paneMsg is a message for one exercise's pane, delivered to it whichever screen is showing.
type paneMsg interface{ paneID() string }

// forPane addresses a message to the pane of exercise exID.
type forPane struct{ exID string }

func (f forPane) paneID() string { return f.exID }
