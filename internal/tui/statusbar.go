package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// health is the doctor's verdict in a few words, for the status bar.
type health struct {
	ok      bool
	summary string // "all 9 checks pass", "kernel tree failed (run rfl-tutor doctor)"
}

// healthOf sums up a doctor's report: failures first, then warnings.
func healthOf(r *doctor.Report) health {
	if r == nil {
		return health{summary: "did not run"}
	}
	var failed, warned []string
	for _, c := range r.Checks {
		switch c.Status {
		case doctor.Fail:
			failed = append(failed, c.Title)
		case doctor.Warn:
			warned = append(warned, c.Title)
		}
	}
	switch {
	case len(failed) == 1:
		return health{summary: failed[0] + " failed: D shows why"}
	case len(failed) > 1:
		return health{summary: fmt.Sprintf("%d problems: D shows them", len(failed))}
	case len(warned) > 0:
		return health{ok: true, summary: fmt.Sprintf("ok, %d warning(s): D", len(warned))}
	}
	return health{ok: true, summary: fmt.Sprintf("all %d checks pass", len(r.Checks))}
}

// doctorMsg carries the doctor's report and its summary.
type doctorMsg struct {
	health health
	report *doctor.Report
}

// flashMsg shows a message in the status bar for a while.
type flashMsg struct {
	text string
	bad  bool
}

// flashExpiredMsg clears the flash it names, unless a newer one replaced it.
type flashExpiredMsg struct{ id int }

// flashFor is how long a status bar message stays.
const flashFor = 6 * time.Second

func flash(text string, bad bool) tea.Cmd {
	return func() tea.Msg { return flashMsg{text: text, bad: bad} }
}

// statusBar is the bottom line: the kernel tree and its version, the doctor's state, and
// messages that need no answer.
type statusBar struct {
	c     *Common
	width int

	doctor     func(context.Context, *kernel.Tree) *doctor.Report
	health     *health
	flashText  string
	flashBad   bool
	flashID    int
	stopping   bool
	treeString string
}

func newStatusBar(c *Common, run func(context.Context, *kernel.Tree) *doctor.Report) *statusBar {
	b := &statusBar{c: c, doctor: run}
	b.treeChanged()
	return b
}

// treeChanged names the tree in use again and forgets the doctor's verdict on the old one.
func (b *statusBar) treeChanged() {
	b.health = nil
	switch t := b.c.Tree; {
	case t != nil:
		b.treeString = fmt.Sprintf("Linux %s · %s", t.Release, t.Dir)
	case b.c.TreeErr != nil:
		b.treeString = "no kernel tree: " + firstLine(b.c.TreeErr.Error())
	default:
		b.treeString = "no kernel tree"
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// runDoctor asks the doctor off the UI goroutine (it runs rustc and reads the tree).
func (b *statusBar) runDoctor() tea.Cmd {
	if b.doctor == nil {
		return nil
	}
	ctx, run, tree := b.c.Ctx, b.doctor, b.c.Tree
	return func() tea.Msg {
		r := run(ctx, tree)
		return doctorMsg{health: healthOf(r), report: r}
	}
}

// SetSize implements the component contract (the bar is one line).
func (b *statusBar) SetSize(w, _ int) { b.width = w }

// Update implements the component contract.
func (b *statusBar) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case doctorMsg:
		h := msg.health
		b.health = &h
	case flashMsg:
		b.flashID++
		b.flashText, b.flashBad = msg.text, msg.bad
		id := b.flashID
		return tea.Tick(flashFor, func(time.Time) tea.Msg { return flashExpiredMsg{id: id} })
	case flashExpiredMsg:
		if msg.id == b.flashID {
			b.flashText = ""
		}
	}
	return nil
}

// View implements the component contract.
func (b *statusBar) View() string {
	s := b.c.Styles
	app := s.StatusApp.Render("rfl-tutor")

	var right string
	switch {
	case b.doctor == nil:
	case b.health == nil:
		right = s.StatusBar.Render(" doctor: checking… ")
	case b.health.ok:
		right = s.StatusOK.Render(" doctor ✓ " + b.health.summary + " ")
	default:
		right = s.StatusBad.Render(" doctor ✗ " + b.health.summary + " ")
	}

	var mid string
	switch {
	case b.stopping:
		mid = s.StatusInfo.Render(" stopping the build… ")
	case b.flashText != "" && b.flashBad:
		mid = s.StatusBad.Render(" " + b.flashText + " ")
	case b.flashText != "":
		mid = s.StatusInfo.Render(" " + b.flashText + " ")
	case b.c.Tree == nil:
		mid = s.StatusBad.Render(" " + b.treeString + " ")
	default:
		mid = s.StatusBar.Render(" " + b.treeString + " ")
	}

	room := b.width - lipgloss.Width(app) - lipgloss.Width(right)
	if room < 10 {
		right = ""
		room = b.width - lipgloss.Width(app)
	}
	mid = ansi.Truncate(mid, max(room, 0), "…")
	gap := max(room-lipgloss.Width(mid), 0)
	return app + mid + s.StatusBar.Render(strings.Repeat(" ", gap)) + right
}
