package tui

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
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
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
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
		exID   string
		notice string // about the learner's copies for other kernels
		err    error
	}
	editorDoneMsg struct {
		exID string
		err  error
	}
	watchMsg struct {
		exID string
		gen  int
	}
	watchStartedMsg struct {
		exID string
		gen  int
		w    *watch.Watcher
		err  error
	}
	solutionMsg struct {
		exID     string
		solution map[string][]byte
		mine     map[string][]byte
		err      error
	}
	resetMsg struct {
		exID   string
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
	ex = ex.For(c.KernelVersion())
	p := &exercisePane{
		c: c, ex: ex,
		dir:      c.Workspace.Dir(c.Course.ID, ex.WorkspaceName()),
		out:      termbuf.New(OutputLines),
		follow:   true,
		watching: true,
		spin:     spinner.New(spinner.WithSpinner(spinner.Dot)),
	}
	p.file = filepath.Join(p.dir, mainFile(ex))
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
			cp, err := c.Workspace.Prepare(c.Course, ex)
			if err != nil {
				return ensuredMsg{exID: ex.ID, err: err}
			}
			return ensuredMsg{exID: ex.ID, notice: cp.Notice(c.KernelName())}
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
	switch p.c.Course.Reveal {
	case course.RevealAlways:
		return true, ""
	case course.RevealNever:
		return false, "This course does not show solutions."
	}
	if p.c.Progress().ExerciseStatus(p.ex.ID).Passed || (p.verdict != nil && p.verdict.Passed) {
		return true, ""
	}
	return false, "The solution unlocks once your exercise passes."
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
			p.note = "The editor failed: " + msg.err.Error()
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
	case key.Matches(msg, k.Up):
		p.Scroll(-1)
	case key.Matches(msg, k.Down):
		p.Scroll(1)
	case key.Matches(msg, k.PageUp):
		p.Scroll(-p.bodyHeight())
	case key.Matches(msg, k.PageDown):
		p.Scroll(p.bodyHeight())
	case key.Matches(msg, k.Top):
		p.Scroll(-1 << 30)
	case key.Matches(msg, k.Bottom):
		p.Scroll(1 << 30)
	}
	return nil
}

func (p *exercisePane) tabOpened() tea.Cmd {
	if p.tab == tabSolution {
		return p.loadSolution()
	}
	return nil
}

// Scroll moves the current tab's content (the selection, on the diagnostics tab).
func (p *exercisePane) Scroll(d int) {
	h := p.bodyHeight()
	switch p.tab {
	case tabTask:
		p.task.scroll(d, h)
	case tabOutput:
		total := p.out.Len()
		top := p.outputTop()
		top = max(0, min(top+d, total-h))
		p.follow = top >= total-h
		p.outTopAbs = p.out.Dropped() + top
	case tabDiagnostics:
		if len(p.diags) == 0 {
			return
		}
		p.diagSel = max(0, min(p.diagSel+d, len(p.diags)-1))
		p.buildDiagnostics()
	case tabHints:
		p.hints.scroll(d, h)
	case tabSolution:
		p.solution.scroll(d, h)
	}
}

// outputTop is the first output line on screen: the tail while following, else where the
// learner scrolled to (lines dropped from the front since then move it down).
func (p *exercisePane) outputTop() int {
	h := p.bodyHeight()
	total := p.out.Len()
	if p.follow {
		return max(total-h, 0)
	}
	return max(0, min(p.outTopAbs-p.out.Dropped(), total-h))
}

// startCheck judges the learner's files, replacing a check in progress (its result is about
// files that changed since).
func (p *exercisePane) startCheck() tea.Cmd {
	if reason := p.unavailableReason(); reason != "" {
		p.note = "Cannot be checked here: " + reason
		return nil
	}
	if !p.ready {
		p.note = "Your copy of the exercise is not set up yet."
		return nil
	}
	if p.run != nil {
		p.run.abandon()
	}
	p.runs++
	p.run = startCheck(p.c.Ctx, p.c.Checker, p.ex, p.dir, uint16(max(p.width, 40)), uint16(max(p.bodyHeight(), 10)), p.runs)
	p.cancelling = false
	p.verdict = nil
	p.note = ""
	p.waitingFor = ""
	p.out.Reset()
	p.follow = true
	p.resetStages()
	p.diags = nil
	p.buildDiagnostics()
	if p.tab == tabTask || p.tab == tabDiagnostics {
		p.tab = tabOutput
	}
	return tea.Batch(p.run.next(), p.spin.Tick)
}

func (p *exercisePane) updateCheck(msg checkMsg) tea.Cmd {
	if p.run == nil || msg.run != p.run.id {
		return nil // a replaced run
	}
	for _, e := range msg.events {
		switch e := e.(type) {
		case check.Waiting:
			p.waitingFor = e.Holder
		case check.Output:
			_, _ = p.out.Write(e.Data)
		case check.StageStarted:
			p.waitingFor = "" // the folder is ours now
			if st := p.stage(e.Stage); st != nil {
				st.running = true
			}
		case check.StageDone:
			if st := p.stage(e.Result.Stage); st != nil {
				st.running, st.status, st.reason = false, e.Result.Status, e.Result.Reason
			}
		}
	}
	if msg.result == nil {
		return p.run.next()
	}
	p.run = nil
	return p.finishCheck(*msg.result)
}

func (p *exercisePane) stage(s course.Stage) *stageState {
	for i := range p.stages {
		if p.stages[i].stage == s {
			return &p.stages[i]
		}
	}
	return nil
}

func (p *exercisePane) finishCheck(res runResult) tea.Cmd {
	for i := range p.stages {
		p.stages[i].running = false
	}
	switch {
	case res.err != nil && (errors.Is(res.err, context.Canceled) || p.cancelling):
		p.note = "Check cancelled: the build was stopped."
		p.cancelling = false
		return nil
	case res.err != nil:
		p.note = "The check could not run: " + res.err.Error()
		return nil
	}
	v := res.verdict
	p.verdict = v
	for _, r := range v.Stages {
		if st := p.stage(r.Stage); st != nil {
			st.status, st.reason = r.Status, r.Reason
		}
	}
	p.diags = v.Diagnostics
	p.diagSel = 0
	p.diagPager.off = 0
	p.buildDiagnostics()
	if !v.Passed && (len(v.Diagnostics) > 0 || hasStageLog(v)) && p.tab == tabOutput {
		p.tab = tabDiagnostics
	}
	// Recorded exactly as `rfl-tutor check` records it.
	summary := v.Summary()
	now := p.c.Now()
	ex := p.ex
	return p.c.record(func(cp *progress.CourseProgress) {
		cp.RecordAttempt(ex.ID, v.Passed, summary, now)
		cp.SetLast(ex.Lesson.ID, ex.ID, now)
		if v.Passed && lessonDone(cp, ex.Lesson) {
			cp.CompleteLesson(ex.Lesson.ID, now)
		}
	})
}

// diagFile is the file a diagnostic points into, in the learner's folder when it is there.
func (p *exercisePane) diagFile(d diag.Diagnostic) string {
	if d.File == "" {
		return p.file
	}
	f := d.File
	if !filepath.IsAbs(f) {
		f = filepath.Join(p.dir, f)
	}
	if rel, err := filepath.Rel(p.dir, f); err == nil && !strings.HasPrefix(rel, "..") {
		return f
	}
	return p.file
}

// edit hands the terminal to the learner's editor; the check runs when it exits.
func (p *exercisePane) edit(file string, line int) tea.Cmd {
	if !p.ready {
		p.note = "Your copy of the exercise is not set up yet."
		return nil
	}
	args := p.editorArgs(file, line)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = p.dir
	p.editing = true
	exID := p.ex.ID
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return editorDoneMsg{exID: exID, err: err} })
}

// editorArgs is the editor's command line for file, at line when the editor is known to take
// +LINE.
func (p *exercisePane) editorArgs(file string, line int) []string {
	args := slices.Clone(p.c.Editor)
	if line > 0 && opensAtLine(args[0]) {
		args = append(args, fmt.Sprintf("+%d", line))
	}
	return append(args, file)
}

// opensAtLine tells editors known to take +LINE before the file name.
func opensAtLine(editor string) bool {
	switch filepath.Base(editor) {
	case "vi", "vim", "nvim", "view", "nano", "emacs", "emacsclient", "micro", "kak", "joe", "ne", "hx", "helix":
		return true
	}
	return false
}

func (p *exercisePane) toggleWatch() tea.Cmd {
	p.watching = !p.watching
	if !p.watching {
		p.stopWatch()
		p.note = "Watch off: press c to check."
		return nil
	}
	p.note = "Watching: saving your file checks it."
	if !p.ready {
		return nil
	}
	return p.startWatch()
}

// startWatch starts a watcher off the UI goroutine (it fingerprints the folder first).
func (p *exercisePane) startWatch() tea.Cmd {
	p.stopWatch()
	p.watchGen++
	gen, dir, exID := p.watchGen, p.dir, p.ex.ID
	return func() tea.Msg {
		w, err := watch.New(dir, watch.Options{Ignore: workspace.Ignored})
		return watchStartedMsg{exID: exID, gen: gen, w: w, err: err}
	}
}

func (p *exercisePane) stopWatch() {
	p.watchGen++
	if p.watcher != nil {
		_ = p.watcher.Close()
		p.watcher = nil
	}
}

func (p *exercisePane) nextWatch() tea.Cmd {
	w, gen, exID := p.watcher, p.watchGen, p.ex.ID
	return func() tea.Msg {
		select {
		case <-w.C:
			return watchMsg{exID: exID, gen: gen}
		case <-w.Done():
			return nil
		}
	}
}

func (p *exercisePane) revealHint() tea.Cmd {
	n := len(p.ex.Hints)
	if n == 0 {
		p.note = "This exercise has no hints."
		return nil
	}
	if p.c.Progress().ExerciseStatus(p.ex.ID).HintsRevealed >= n {
		p.note = "Every hint is shown."
		p.tab = tabHints
		return nil
	}
	exID := p.ex.ID
	cmd := p.c.record(func(cp *progress.CourseProgress) { cp.RevealHint(exID, n) })
	p.tab = tabHints
	p.buildHints()
	p.hints.off = max(len(p.hints.lines)-p.bodyHeight(), 0)
	return cmd
}

// loadSolution reads the solution and the learner's files afresh (the learner may have edited
// since the last look) when the course's policy allows showing it.
func (p *exercisePane) loadSolution() tea.Cmd {
	p.buildSolution(nil)
	if ok, _ := p.revealable(); !ok {
		return nil
	}
	c, ex := p.c, p.ex
	return func() tea.Msg {
		sol, err := c.Course.Files(ex.Snippet, course.VariantSrc)
		if err != nil {
			return solutionMsg{exID: ex.ID, err: err}
		}
		mine, err := c.Workspace.Files(c.Course.ID, ex.WorkspaceName())
		return solutionMsg{exID: ex.ID, solution: sol, mine: mine, err: err}
	}
}

func (p *exercisePane) reset() tea.Cmd {
	p.stopWatch()
	c, ex := p.c, p.ex
	return func() tea.Msg {
		starter, err := c.Course.Files(ex.Snippet, course.VariantStarter)
		if err != nil {
			return resetMsg{exID: ex.ID, err: err}
		}
		backup, err := c.Workspace.Reset(c.Course.ID, ex.WorkspaceName(), starter)
		return resetMsg{exID: ex.ID, backup: backup, err: err}
	}
}

func (p *exercisePane) finishReset(msg resetMsg) tea.Cmd {
	switch {
	case msg.err != nil && msg.backup != "":
		p.note = fmt.Sprintf("Reset failed (%v); your files are in %s", msg.err, msg.backup)
	case msg.err != nil:
		p.note = "Reset failed: " + msg.err.Error()
	case msg.backup != "":
		p.note = "Back to the starter. Your previous files are in " + msg.backup
	default:
		p.note = "Back to the starter."
	}
	p.ready = msg.err == nil
	p.verdict = nil
	p.diags = nil
	p.resetStages()
	p.out.Reset()
	p.solFiles = nil
	p.rebuild()
	if p.watching && p.ready {
		return p.startWatch()
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
	return []key.Binding{k.Edit, k.Check, k.Watch, k.Hint, k.Solution, k.NextTab, k.Back, k.Help}
}

// FullHelp implements help.KeyMap.
func (p *exercisePane) FullHelp() [][]key.Binding {
	k := p.c.Keys
	return [][]key.Binding{
		{k.Edit, k.Check, k.Watch, k.Cancel, k.Reset},
		{k.Hint, k.Solution, k.NextTab, k.PrevTab, k.EditAt},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Back, k.Help, k.Quit},
	}
}

// hasStageLog reports whether a failed stage brought its own evidence (the boot stage's log).
func hasStageLog(v *check.Verdict) bool {
	for _, r := range v.Stages {
		if r.Status == check.Fail && len(r.Log) > 0 {
			return true
		}
	}
	return false
}
