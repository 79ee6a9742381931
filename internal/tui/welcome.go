package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// welcomeView is the first screen of a learner who has not started the course: what the tutor
// is, how a check works, which kernel it checks against, where the learner's files are and how
// to edit them, and the one key that starts lesson 1.
type welcomeView struct {
	c             *Common
	width, height int
	lines         []string
}

func newWelcomeView(c *Common) *welcomeView { return &welcomeView{c: c} }

func (v *welcomeView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.build()
}

// build lays the text out for the pane's width (in Update/SetSize, so View stays a copy).
func (v *welcomeView) build() {
	if v.width <= 0 {
		return
	}
	s := v.c.Styles
	wrap := lipgloss.NewStyle().Width(min(wrapWidth(v.width), v.width-2))
	c := v.c.Course
	exercises := 0
	for _, l := range c.Lessons {
		exercises += len(l.Exercises)
	}
	var lines []string
	para := func(text string) {
		lines = append(lines, strings.Split(wrap.Render(text), "\n")...)
		lines = append(lines, "")
	}
	lines = append(lines, s.Title.Render("Welcome to rfl-tutor"), "")
	para(fmt.Sprintf("%s: %d lessons and %d exercises on writing Linux kernel modules in Rust. "+
		"Read a lesson, answer its questions, then write the module it asks for.", c.Title, len(c.Lessons), exercises))
	para("A check is real: your module is built with Kbuild against a Rust-enabled kernel tree, " +
		"then loaded and unloaded in that kernel booted under QEMU. The stages (build, warnings, " +
		"modinfo, style, boot) are listed as they run, with the compiler's messages mapped to your file.")
	para(v.kernelText())
	para(fmt.Sprintf("Your files are in %s, one folder per exercise. Press e in an exercise to edit "+
		"its file in %s, or use any editor you like: while the exercise is open, saving a file "+
		"checks it again.", s.Path.Render(v.c.Workspace.Root()), s.Path.Render(strings.Join(v.c.Editor, " "))))
	lines = append(lines, strings.Split(wrap.Render(s.Pass.Render("Press enter to start lesson 1")+
		s.Dim.Render(", esc for the list of lessons, ? for every key.")), "\n")...)
	v.lines = lines
}

// kernelText says which kernel checks run against, or how to get one.
func (v *welcomeView) kernelText() string {
	t := v.c.Tree
	if t == nil {
		return "There is no kernel tree yet, so exercises cannot be checked; lessons can be read. " +
			kernel.PrepareHint
	}
	return fmt.Sprintf("Checks run against Linux %s (%s). K switches between prepared trees; "+
		"the status bar at the bottom always names the one in use.", t.Release, t.Dir)
}

func (v *welcomeView) View() string { return window(v.lines, 0, v.width, v.height) }

func (v *welcomeView) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(tea.KeyPressMsg); ok && key.Matches(msg, v.c.Keys.Open) && len(v.c.Course.Lessons) > 0 {
		l := v.c.Course.Lessons[0]
		return func() tea.Msg { return openLessonMsg{lesson: l} }
	}
	return nil
}

func (v *welcomeView) ShortHelp() []key.Binding {
	k := v.c.Keys
	return []key.Binding{k.Open, k.Back, k.Help, k.Quit}
}

func (v *welcomeView) FullHelp() [][]key.Binding {
	k := v.c.Keys
	return [][]key.Binding{{k.Open, k.Back, k.Help, k.Quit}}
}
