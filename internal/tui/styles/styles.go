// Package styles holds every lipgloss style of the TUI in one struct, built for a dark or a light
// terminal background. Components never create styles of their own, so a theme change is one
// assignment.
package styles

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles is the whole look of the TUI.
type Styles struct {
	Dark bool

	Title lipgloss.Style
	Dim   lipgloss.Style
	Bold  lipgloss.Style
	Path  lipgloss.Style
	Rule  lipgloss.Style

	// Lists.
	Match   lipgloss.Style // characters a filter matched
	Prompt  lipgloss.Style // the filter prompt
	Heading lipgloss.Style // section headings inside panes

	// Progress and verdict marks.
	Done        lipgloss.Style
	InProgress  lipgloss.Style
	Unavailable lipgloss.Style
	Pass        lipgloss.Style
	Fail        lipgloss.Style
	Skip        lipgloss.Style
	Running     lipgloss.Style

	// Code is inline code in short texts (hints, quiz questions), like a lesson shows it.
	Code lipgloss.Style

	// Diagnostics.
	Error   lipgloss.Style
	Warning lipgloss.Style
	Note    lipgloss.Style
	Gutter  lipgloss.Style

	// Tabs of the exercise pane.
	Tab       lipgloss.Style
	ActiveTab lipgloss.Style

	// Diffs.
	DiffAdd  lipgloss.Style
	DiffDel  lipgloss.Style
	DiffHunk lipgloss.Style

	// Status bar.
	StatusBar  lipgloss.Style
	StatusApp  lipgloss.Style
	StatusOK   lipgloss.Style
	StatusBad  lipgloss.Style
	StatusInfo lipgloss.Style

	Dialog lipgloss.Style
	Help   help.Styles
}

// DefaultStyles returns the styles for a dark or light background.
func DefaultStyles(dark bool) *Styles {
	ld := lipgloss.LightDark(dark)
	var (
		accent = ld(lipgloss.Color("#5A4FCF"), lipgloss.Color("#9D8CFF"))
		muted  = ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#7A7A7A"))
		green  = ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#4FD67A"))
		red    = ld(lipgloss.Color("#C0262D"), lipgloss.Color("#FF6B6B"))
		yellow = ld(lipgloss.Color("#A05A00"), lipgloss.Color("#F5C04A"))
		blue   = ld(lipgloss.Color("#1F5FBF"), lipgloss.Color("#6CB6FF"))
		barBg  = ld(lipgloss.Color("#E4E4EC"), lipgloss.Color("#2A2A3A"))
		barFg  = ld(lipgloss.Color("#2A2A3A"), lipgloss.Color("#D8D8E8"))
	)
	s := &Styles{Dark: dark}
	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Dim = lipgloss.NewStyle().Foreground(muted)
	s.Bold = lipgloss.NewStyle().Bold(true)
	s.Path = lipgloss.NewStyle().Foreground(blue)
	s.Rule = lipgloss.NewStyle().Foreground(muted)
	s.Code = lipgloss.NewStyle().
		Foreground(ld(lipgloss.Color("#C7254E"), lipgloss.Color("#FF5F87"))).
		Background(ld(lipgloss.Color("#ECECEC"), lipgloss.Color("#303030")))

	s.Match = lipgloss.NewStyle().Foreground(yellow).Underline(true)
	s.Prompt = lipgloss.NewStyle().Foreground(accent).Bold(true)
	s.Heading = lipgloss.NewStyle().Bold(true).Foreground(accent)

	s.Done = lipgloss.NewStyle().Foreground(green)
	s.InProgress = lipgloss.NewStyle().Foreground(yellow)
	s.Unavailable = lipgloss.NewStyle().Foreground(muted).Italic(true)
	s.Pass = lipgloss.NewStyle().Foreground(green).Bold(true)
	s.Fail = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Skip = lipgloss.NewStyle().Foreground(muted)
	s.Running = lipgloss.NewStyle().Foreground(accent)

	s.Error = lipgloss.NewStyle().Foreground(red).Bold(true)
	s.Warning = lipgloss.NewStyle().Foreground(yellow).Bold(true)
	s.Note = lipgloss.NewStyle().Foreground(blue)
	s.Gutter = lipgloss.NewStyle().Foreground(blue)

	s.Tab = lipgloss.NewStyle().Foreground(muted).Padding(0, 1)
	s.ActiveTab = lipgloss.NewStyle().Foreground(accent).Bold(true).Underline(true).Padding(0, 1)

	s.DiffAdd = lipgloss.NewStyle().Foreground(green)
	s.DiffDel = lipgloss.NewStyle().Foreground(red)
	s.DiffHunk = lipgloss.NewStyle().Foreground(blue)

	s.StatusBar = lipgloss.NewStyle().Background(barBg).Foreground(barFg)
	s.StatusApp = lipgloss.NewStyle().Background(accent).Foreground(ld(lipgloss.Color("#FFFFFF"), lipgloss.Color("#14141F"))).Bold(true).Padding(0, 1)
	s.StatusOK = lipgloss.NewStyle().Background(barBg).Foreground(green)
	s.StatusBad = lipgloss.NewStyle().Background(barBg).Foreground(red)
	s.StatusInfo = lipgloss.NewStyle().Background(barBg).Foreground(yellow)

	s.Dialog = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(yellow).Padding(0, 1)
	s.Help = help.DefaultStyles(dark)
	return s
}
