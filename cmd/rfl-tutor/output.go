package main

import (
	"encoding/json"
	"fmt"
	"io"

	"charm.land/lipgloss/v2"
)

// painter colours text for a terminal and leaves it plain everywhere else (pipes, files,
// NO_COLOR), so scripts never see escape sequences.
type painter struct{ on bool }

func (a *app) painter() painter { return painter{on: a.color()} }

var (
	styleOK    = lipgloss.NewStyle().Foreground(lipgloss.Color("2")).Bold(true)
	styleFail  = lipgloss.NewStyle().Foreground(lipgloss.Color("1")).Bold(true)
	styleWarn  = lipgloss.NewStyle().Foreground(lipgloss.Color("3")).Bold(true)
	styleDim   = lipgloss.NewStyle().Foreground(lipgloss.Color("8"))
	styleTitle = lipgloss.NewStyle().Bold(true)
	styleCode  = lipgloss.NewStyle().Foreground(lipgloss.Color("204"))
)

func (p painter) paint(s lipgloss.Style, text string) string {
	if !p.on {
		return text
	}
	return s.Render(text)
}

func (p painter) ok(t string) string    { return p.paint(styleOK, t) }
func (p painter) fail(t string) string  { return p.paint(styleFail, t) }
func (p painter) warn(t string) string  { return p.paint(styleWarn, t) }
func (p painter) dim(t string) string   { return p.paint(styleDim, t) }
func (p painter) title(t string) string { return p.paint(styleTitle, t) }

// code is inline code from the course's texts: coloured on a terminal, as it stands (without
// the backticks, as in a rendered lesson) off one.
func (p painter) code(t string) string { return p.paint(styleCode, t) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
