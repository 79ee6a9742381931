package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// TreeSwitcher lets the learner choose the kernel tree from inside the TUI; cmd/rfl-tutor
// provides it. Without one the picker says how trees are chosen from the command line.
type TreeSwitcher interface {
	// Trees lists the trees the learner can pick (the prepared ones and the selected one). It
	// opens every tree, so the picker calls it off the UI goroutine.
	Trees() []TreeChoice
	// Use makes t the learner's choice for later runs too and returns the checker that builds
	// against it.
	Use(t *kernel.Tree) (Checker, error)
}

// TreeChoice is one row of the picker.
type TreeChoice struct {
	Tree *kernel.Tree
	// NotReady says why Rust modules cannot be built against the tree ("" when they can); such
	// a tree is listed but cannot be picked.
	NotReady string
}

// treePicker is the screen that lists the kernel trees and switches to one.
type treePicker struct {
	c             *Common
	width, height int
	loading       bool
	trees         []TreeChoice
	sel           int
	note          string
}

// treesListedMsg carries TreeSwitcher.Trees.
type treesListedMsg struct{ trees []TreeChoice }

// treeChoiceMsg asks the root to switch to tree (it refuses while a check runs).
type treeChoiceMsg struct{ tree *kernel.Tree }

// treeChosenMsg is the outcome of switching: the choice saved and a checker for the tree.
type treeChosenMsg struct {
	tree    *kernel.Tree
	checker Checker
	err     error
}

func newTreePicker(c *Common) *treePicker { return &treePicker{c: c} }

// open lists the trees afresh each time the picker is shown (one may have been prepared in
// another terminal meanwhile).
func (p *treePicker) open() tea.Cmd {
	p.note = ""
	if p.c.Trees == nil {
		p.loading, p.trees = false, nil
		return nil
	}
	p.loading = true
	sw := p.c.Trees
	return func() tea.Msg { return treesListedMsg{trees: sw.Trees()} }
}

func (p *treePicker) SetSize(w, h int) { p.width, p.height = w, h }

func (p *treePicker) selected(t *kernel.Tree) bool {
	return p.c.Tree != nil && t.Dir == p.c.Tree.Dir
}

// Update moves the selection; enter asks the root to switch trees.
func (p *treePicker) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case treesListedMsg:
		p.loading, p.trees, p.sel = false, msg.trees, 0
		for i, t := range p.trees {
			if p.selected(t.Tree) {
				p.sel = i
			}
		}
	case treeChosenMsg:
		if msg.err != nil {
			p.note = "Could not switch: " + firstLine(msg.err.Error())
		}
	case tea.KeyPressMsg:
		k := p.c.Keys
		switch {
		case key.Matches(msg, k.Up):
			p.sel = max(p.sel-1, 0)
		case key.Matches(msg, k.Down):
			p.sel = min(p.sel+1, max(len(p.trees)-1, 0))
		case key.Matches(msg, k.Back, k.Trees):
			return func() tea.Msg { return backMsg{} }
		case key.Matches(msg, k.Open):
			if p.loading || len(p.trees) == 0 {
				return nil
			}
			t := p.trees[p.sel]
			switch {
			case t.NotReady != "":
				p.note = "Linux " + t.Tree.Release + " cannot build Rust modules: " + firstLine(t.NotReady)
				return nil
			case p.selected(t.Tree):
				return func() tea.Msg { return backMsg{} }
			}
			tree := t.Tree
			return func() tea.Msg { return treeChoiceMsg{tree: tree} }
		}
	}
	return nil
}

func (p *treePicker) View() string {
	s := p.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render("Kernel trees") + s.Dim.Render(" · lessons, starters and checks follow the tree you pick") + "\n\n")
	switch {
	case p.c.Trees == nil:
		b.WriteString("Trees are chosen from the command line here: --kdir, $KDIR or `rfl-tutor kernel use`.\n")
		return b.String()
	case p.loading:
		b.WriteString("Looking for kernel trees…\n")
		return b.String()
	case len(p.trees) == 0:
		b.WriteString("No kernel tree is prepared yet.\n\n" + kernel.PrepareHint + ".\n")
		return b.String()
	}
	width := max(p.width, 20)
	for i, t := range p.trees {
		cursor := "  "
		if i == p.sel {
			cursor = "› "
		}
		state := "ready"
		if t.NotReady != "" {
			state = "cannot build modules"
		}
		mark := "  "
		if p.selected(t.Tree) {
			mark = "* "
		}
		line := fmt.Sprintf("%s%sLinux %-10s %-21s %s", cursor, mark, t.Tree.Release, state, t.Tree.Dir)
		line = ansi.Truncate(line, width, "…")
		if i == p.sel {
			line = s.Bold.Render(line)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + wrapText(s.Dim.Render("* is the tree in use. enter switches to the tree under the cursor and saves it as kdir: in your config; --kdir and $KDIR still win for one run."), width) + "\n")
	if p.note != "" {
		b.WriteString("\n" + wrapText(s.Fail.Render(p.note), width) + "\n")
	}
	return b.String()
}

// wrapText wraps s (which may carry styles) at width columns.
func wrapText(s string, width int) string { return ansi.Wrap(s, width, "") }

func (p *treePicker) ShortHelp() []key.Binding {
	k := p.c.Keys
	return []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use this tree")), k.Back, k.Quit}
}

func (p *treePicker) FullHelp() [][]key.Binding { return [][]key.Binding{p.ShortHelp()} }

// busyPane is a pane whose check is running, or nil.
func (m *Model) busyPane() *exercisePane {
	for _, p := range m.panes {
		if p.Busy() {
			return p
		}
	}
	return nil
}

// useTree saves the learner's choice of tree and makes a checker for it, off the UI goroutine.
// A running check would be judged against one tree and shown under another, so switching
// waits for it.
func (m *Model) useTree(t *kernel.Tree) tea.Cmd {
	if p := m.busyPane(); p != nil {
		return flash("A check of "+p.ex.ID+" is running: let it finish or cancel it before switching trees", true)
	}
	sw := m.c.Trees
	return func() tea.Msg {
		chk, err := sw.Use(t)
		return treeChosenMsg{tree: t, checker: chk, err: err}
	}
}

// treeChosen switches every screen to the new tree: the exercise panes are made anew (each
// kernel variant has its own code and folder), the lessons re-render for the tree's kernel, and
// the doctor judges the new tree.
func (m *Model) treeChosen(msg treeChosenMsg) tea.Cmd {
	if msg.err != nil {
		return m.trees.Update(msg)
	}
	if p := m.busyPane(); p != nil {
		// A check started while the choice was being saved; the choice is saved, so it takes
		// effect on the next start.
		return flash("Saved Linux "+msg.tree.Release+" as your tree; a check is running, so it is used from the next start", false)
	}
	m.c.Use(msg.tree, msg.checker)
	for _, p := range m.panes {
		p.shutdown()
	}
	m.panes = map[string]*exercisePane{}
	if m.pane != nil {
		m.pane = newExercisePane(m.c, m.c.Course.Exercise(m.pane.ex.ID))
		m.panes[m.pane.ex.ID] = m.pane
		if m.width > 0 {
			m.pane.SetSize(m.width, m.mainHeight())
		}
	}
	m.status.treeChanged()
	var back tea.Cmd
	if m.screen == screenTrees {
		back = m.back()
	}
	cmds := []tea.Cmd{back, m.syncRenders(), m.status.runDoctor(),
		flash("Now checking against Linux "+msg.tree.Release+" ("+msg.tree.Dir+")", false)}
	return tea.Batch(cmds...)
}
