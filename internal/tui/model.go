package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/tui/styles"
)

// Minimum terminal size: below it panes cannot show a checklist and any output, so the program
// says so instead of drawing a broken layout.
const (
	MinWidth  = 60
	MinHeight = 16
)

// quitTimeout bounds how long quitting waits for a cancelled build's process group to die
// (the build gives it a SIGTERM, then SIGKILL after a grace period).
const quitTimeout = 10 * time.Second

type screen int

const (
	screenList screen = iota
	screenLesson
	screenExercise
	screenTrees
	screenWelcome
	screenDoctor
)

// component is the contract every pane follows (soft-serve's): it updates itself in place,
// renders to a string, is told its size, and lists its keys for help.
type component interface {
	Update(tea.Msg) tea.Cmd
	View() string
	SetSize(w, h int)
	help.KeyMap
}

// Model is the root of the program: it owns the screens, routes messages, and draws the help
// line and the status bar around the current pane.
type Model struct {
	c             *Common
	width, height int

	welcome *welcomeView
	doctor  *doctorView
	list    *lessonList
	lesson  *lessonView
	panes   map[string]*exercisePane
	pane    *exercisePane
	trees   *treePicker
	screen  screen
	history []screen

	status   *statusBar
	help     help.Model
	showHelp bool
	quitting bool

	resume tea.Cmd // opens where the learner left off, from Init
}

// quitNowMsg ends the program once cancelled builds are gone.
type quitNowMsg struct{}

func (m *Model) current() component {
	switch m.screen {
	case screenLesson:
		return m.lesson
	case screenExercise:
		return m.pane
	case screenTrees:
		return m.trees
	case screenWelcome:
		return m.welcome
	case screenDoctor:
		return m.doctor
	}
	return m.list
}

// Init implements tea.Model: ask the terminal for its background (dark styles until it
// answers), run the doctor, and reopen where the learner left off.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.status.runDoctor(), m.resume)
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
		return m, m.syncRenders()
	case tea.BackgroundColorMsg:
		return m, m.setDark(msg.IsDark())
	case tea.KeyPressMsg:
		return m, m.updateKey(msg)
	case tea.MouseWheelMsg:
		m.wheel(msg)
		return m, nil
	case quitNowMsg:
		return m, tea.Quit
	case renderedMsg:
		m.c.renders.store(msg)
		var cmds []tea.Cmd
		cmds = append(cmds, m.lesson.Update(msg))
		for _, p := range m.panes {
			cmds = append(cmds, p.Update(msg))
		}
		return m, tea.Batch(cmds...)
	case progressMsg:
		var cmd tea.Cmd
		if msg.err != nil {
			if progressWarning(msg.err) {
				cmd = flash("Progress file was corrupt and was set aside: "+firstLine(msg.err.Error()), true)
			} else {
				cmd = flash("Progress not saved: "+firstLine(msg.err.Error()), true)
			}
		}
		m.c.applyProgress(msg)
		m.refresh()
		return m, cmd
	case openLessonMsg:
		if m.screen == screenWelcome {
			m.screen = screenList // esc from the lesson leads to the list, not back here
		}
		m.push(screenLesson)
		m.list.selectPosition(msg.lesson.ID, "")
		return m, m.lesson.open(msg.lesson)
	case openExerciseMsg:
		m.push(screenExercise)
		m.list.selectPosition(msg.ex.Lesson.ID, msg.ex.ID)
		return m, m.openExercise(msg.ex.ID)
	case backMsg:
		return m, m.back()
	case nextStepMsg:
		return m, m.goNext(msg)
	case treesListedMsg:
		return m, m.trees.Update(msg)
	case treeChoiceMsg:
		return m, m.useTree(msg.tree)
	case treeChosenMsg:
		return m, m.treeChosen(msg)
	case spinner.TickMsg:
		var cmds []tea.Cmd
		for _, p := range m.panes {
			cmds = append(cmds, p.Update(msg))
		}
		return m, tea.Batch(cmds...)
	case paneMsg:
		if w, ok := msg.(watchStartedMsg); ok && m.panes[w.exID] == nil && w.w != nil {
			_ = w.w.Close() // the pane is gone (a tree switch): nobody will stop this watcher
		}
		return m, m.toPane(msg.paneID(), msg)
	case doctorMsg:
		m.doctor.setReport(msg.report)
		return m, m.status.Update(msg)
	case flashMsg, flashExpiredMsg:
		return m, m.status.Update(msg)
	}
	return m, nil
}

func (m *Model) toPane(exID string, msg tea.Msg) tea.Cmd {
	if p := m.panes[exID]; p != nil {
		return p.Update(msg)
	}
	return nil
}

func (m *Model) updateKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.c.Keys
	if m.quitting {
		if msg.String() == "ctrl+c" {
			// Asked twice: stop waiting. Run still waits for the builds after the UI is gone.
			return tea.Quit
		}
		return nil
	}
	if m.tooSmall() {
		if key.Matches(msg, k.Quit) {
			return m.quit()
		}
		return nil
	}
	if m.showHelp {
		switch {
		case key.Matches(msg, k.Quit) && msg.String() == "ctrl+c":
			return m.quit()
		case key.Matches(msg, k.Help, k.Back, k.Quit):
			m.showHelp = false
		}
		return nil
	}
	capturing := (m.screen == screenList && m.list.Capturing()) ||
		(m.screen == screenExercise && m.pane.Capturing())
	busy := m.screen == screenExercise && m.pane.Busy()
	if !capturing {
		switch {
		case msg.String() == "ctrl+c" && busy:
			// ctrl+c stops the build first; a second one quits.
		case key.Matches(msg, k.Quit):
			return m.quit()
		case key.Matches(msg, k.Help):
			m.showHelp = true
			return nil
		case key.Matches(msg, k.Back) && m.screen == screenLesson && !m.lesson.quiz:
			return m.back()
		case key.Matches(msg, k.Back) && m.screen == screenWelcome:
			m.screen = screenList
			return nil
		case key.Matches(msg, k.Trees) && m.screen != screenTrees:
			m.push(screenTrees)
			return m.trees.open()
		case key.Matches(msg, k.Doctor) && m.screen != screenDoctor:
			m.push(screenDoctor)
			return nil
		}
	}
	return m.current().Update(msg)
}

// quit cancels running checks and ends the program once their process groups are gone, so no
// make or rustc outlives the tutor.
func (m *Model) quit() tea.Cmd {
	m.quitting = true
	var runs []*checkRun
	for _, p := range m.panes {
		if r := p.shutdown(); r != nil {
			runs = append(runs, r)
		}
	}
	if len(runs) == 0 {
		return tea.Quit
	}
	m.status.stopping = true
	return func() tea.Msg {
		for _, r := range runs {
			r.wait(quitTimeout)
		}
		return quitNowMsg{}
	}
}

// shutdown stops every check and watcher and waits for the builds to die; Run calls it when the
// program has ended however it ended.
func (m *Model) shutdown(timeout time.Duration) {
	var runs []*checkRun
	for _, p := range m.panes {
		if r := p.shutdown(); r != nil {
			runs = append(runs, r)
		}
	}
	for _, r := range runs {
		r.wait(timeout)
	}
}

func (m *Model) push(s screen) {
	if m.screen == screenExercise && s != screenExercise {
		m.pane.leave()
	}
	if m.screen != s {
		m.history = append(m.history, m.screen)
	}
	m.screen = s
}

// back returns to the previous screen. An exercise pane made anew while the learner was away
// (after a tree switch) is opened on the way back in.
func (m *Model) back() tea.Cmd {
	if len(m.history) == 0 {
		return nil
	}
	if m.screen == screenExercise {
		m.pane.leave()
	}
	m.screen = m.history[len(m.history)-1]
	m.history = m.history[:len(m.history)-1]
	m.refresh()
	if m.screen == screenExercise && !m.pane.ready {
		return m.pane.open()
	}
	return nil
}

// openExercise shows an exercise's pane, keeping each pane (its output and verdict) for when
// the learner comes back to it.
func (m *Model) openExercise(id string) tea.Cmd {
	ex := m.c.Course.Exercise(id)
	if ex == nil {
		return nil
	}
	if m.pane != nil && m.pane.ex.ID != ex.ID {
		m.pane.leave()
	}
	p := m.panes[id]
	if p == nil {
		p = newExercisePane(m.c, ex)
		m.panes[id] = p
		if m.width > 0 {
			p.SetSize(m.width, m.mainHeight())
		}
	}
	m.pane = p
	m.screen = screenExercise
	return p.open()
}

func (m *Model) wheel(msg tea.MouseWheelMsg) {
	d := 0
	switch msg.Button {
	case tea.MouseWheelUp:
		d = -3
	case tea.MouseWheelDown:
		d = 3
	default:
		return
	}
	switch m.screen {
	case screenList:
		m.list.Scroll(d / 3)
	case screenLesson:
		m.lesson.Scroll(d)
	case screenExercise:
		m.pane.Scroll(d)
	case screenTrees, screenWelcome:
	case screenDoctor:
		m.doctor.pager.scroll(d, m.mainHeight())
	}
}

func (m *Model) setDark(dark bool) tea.Cmd {
	if dark == m.c.Dark {
		return nil
	}
	m.c.Dark = dark
	m.c.Styles = styles.DefaultStyles(dark)
	m.help.Styles = m.c.Styles.Help
	for _, p := range m.panes {
		p.applyTheme()
	}
	m.lesson.buildQuiz()
	m.welcome.build()
	m.doctor.build()
	m.refresh()
	return m.syncRenders()
}

// syncRenders asks for the markdown renderings the visible panes need at their size and theme.
func (m *Model) syncRenders() tea.Cmd {
	cmds := []tea.Cmd{m.lesson.sync()}
	if m.pane != nil {
		cmds = append(cmds, m.pane.syncTask())
	}
	return tea.Batch(cmds...)
}

func (m *Model) mainHeight() int { return max(m.height-2, 1) }

func (m *Model) tooSmall() bool { return m.width < MinWidth || m.height < MinHeight }

func (m *Model) setSize(w, h int) {
	m.width, m.height = w, h
	m.help.SetWidth(w)
	m.status.SetSize(w, 1)
	mh := m.mainHeight()
	m.welcome.SetSize(w, mh)
	m.doctor.SetSize(w, mh)
	m.list.SetSize(w, mh)
	m.lesson.SetSize(w, mh)
	m.trees.SetSize(w, mh)
	for _, p := range m.panes {
		p.SetSize(w, mh)
	}
}

// refresh re-renders what shows progress after the progress changed.
func (m *Model) refresh() {
	m.list.refresh()
	m.lesson.buildQuiz()
	if m.pane != nil {
		m.pane.buildHints()
	}
}

// View implements tea.Model. It only assembles strings the components keep ready.
func (m *Model) View() tea.View {
	v := tea.NewView(m.content())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "rfl-tutor · " + m.c.Course.Title
	return v
}

func (m *Model) content() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.tooSmall() {
		return m.tooSmallView()
	}
	var main string
	if m.showHelp {
		main = m.helpView()
	} else {
		main = m.current().View()
	}
	return fit(main, m.mainHeight()) + "\n" +
		ansi.Truncate(m.help.ShortHelpView(m.current().ShortHelp()), m.width, "…") + "\n" +
		m.status.View()
}
