package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// helpView lists every key of the current screen, its groups side by side as far as the width
// allows and wrapped below otherwise.
func (m *Model) helpView() string {
	s := m.c.Styles
	const gap = "    "
	var rows []string
	var row []string
	rowWidth := 0
	for _, g := range m.current().FullHelp() {
		col := m.help.FullHelpView([][]key.Binding{g})
		w := lipgloss.Width(col)
		if len(row) > 0 && rowWidth+len(gap)+w > m.width {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowWidth = nil, 0
		}
		if len(row) > 0 {
			row = append(row, gap)
			rowWidth += len(gap)
		}
		row = append(row, col)
		rowWidth += w
	}
	if len(row) > 0 {
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	}
	return s.Title.Render("Keys on this screen") + s.Dim.Render(" · ? or esc closes this") + "\n\n" +
		strings.Join(rows, "\n\n")
}

func (m *Model) tooSmallView() string {
	s := m.c.Styles
	msg := fmt.Sprintf("The terminal is too small: %d×%d.\nrfl-tutor needs at least %d×%d.\nEnlarge the window (or shrink the font), or press q to quit.",
		m.width, m.height, MinWidth, MinHeight)
	box := lipgloss.NewStyle().Width(min(m.width, 60)).Align(lipgloss.Center).Render(s.Bold.Render(msg))
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, box)
}

// fit makes s exactly h lines, so a pane can never push the status bar off the screen. Panes
// cut their lines to the width themselves, where it is cheap.
func fit(s string, h int) string {
	n := strings.Count(s, "\n") + 1
	switch {
	case n < h:
		return s + strings.Repeat("\n", h-n)
	case n > h:
		lines := strings.SplitN(s, "\n", h+1)
		return strings.Join(lines[:h], "\n")
	}
	return s
}
