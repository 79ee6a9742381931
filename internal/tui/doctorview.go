package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
)

// doctorView shows the doctor's whole report (what `rfl-tutor doctor` prints): each check with
// its detail and fix, the exercises the tree cannot build, the other trees. The status bar only
// has room for a summary such as "ok, 1 warning(s)".
type doctorView struct {
	c             *Common
	width, height int
	report        *doctor.Report
	pager         pager
}

func newDoctorView(c *Common) *doctorView { return &doctorView{c: c} }

func (v *doctorView) SetSize(w, h int) {
	v.width, v.height = w, h
	v.build()
}

// setReport keeps the latest report.
func (v *doctorView) setReport(r *doctor.Report) {
	v.report = r
	v.build()
}

func (v *doctorView) build() {
	if v.width <= 0 {
		return
	}
	s := v.c.Styles
	wrap := lipgloss.NewStyle().Width(max(min(wrapWidth(v.width), v.width-4), 20))
	lines := []string{s.Title.Render("Doctor: is this machine fit to build and boot Rust modules?"), ""}
	add := func(indent, text string) {
		for _, l := range strings.Split(wrap.Render(text), "\n") {
			lines = append(lines, indent+l)
		}
	}
	r := v.report
	if r == nil {
		v.pager.set(append(lines, s.Dim.Render("The doctor is still checking…")))
		return
	}
	if r.Tree != "" {
		add("", s.Dim.Render("Tree: ")+s.Path.Render(r.Tree))
		lines = append(lines, "")
	}
	for _, c := range r.Checks {
		mark := s.Pass.Render("✓")
		switch c.Status {
		case doctor.Warn:
			mark = s.Warning.Render("!")
		case doctor.Fail:
			mark = s.Fail.Render("✗")
		}
		text := s.Bold.Render(c.Title)
		if c.Detail != "" {
			text += ": " + c.Detail
		}
		add(mark+" ", text)
		if c.Fix != "" && c.Status != doctor.OK {
			add("    ", s.Dim.Render("fix: ")+c.Fix)
		}
	}
	if len(r.Unavailable) > 0 {
		lines = append(lines, "", s.Bold.Render(fmt.Sprintf("%d exercise(s) cannot be checked on this tree:", len(r.Unavailable))))
		for _, u := range r.Unavailable {
			add("  ", u.ExerciseID+": "+s.Dim.Render(u.Reason))
		}
	}
	if len(r.OtherTrees) > 0 {
		lines = append(lines, "", s.Bold.Render("Other prepared trees (K switches):"))
		for _, o := range r.OtherTrees {
			text := fmt.Sprintf("Linux %s · %d of %d exercises · %s", o.Release, o.Available, o.Exercises, o.Dir)
			if o.NotReady != "" {
				text += s.Dim.Render(" (cannot build modules: " + o.NotReady + ")")
			}
			add("  ", text)
		}
	}
	v.pager.set(lines)
}

func (v *doctorView) View() string { return v.pager.view(v.width, v.height) }

func (v *doctorView) Update(msg tea.Msg) tea.Cmd {
	if msg, ok := msg.(tea.KeyPressMsg); ok {
		k := v.c.Keys
		switch {
		case key.Matches(msg, k.Back):
			return func() tea.Msg { return backMsg{} }
		case k.Moves(msg):
			d, _ := k.Motion(msg, v.height)
			v.pager.scroll(d, v.height)
		}
	}
	return nil
}

func (v *doctorView) ShortHelp() []key.Binding {
	k := v.c.Keys
	return []key.Binding{k.Down, k.Up, k.Back, k.Help, k.Quit}
}

func (v *doctorView) FullHelp() [][]key.Binding {
	k := v.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.Back, k.Help, k.Quit}}
}
