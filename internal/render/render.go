// Package render turns lesson markdown into terminal text with glamour. The CLI's `show` and
// the TUI's lesson view both go through it, so a lesson looks the same in both.
package render

import (
	"fmt"
	"strings"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/styles"
	"github.com/charmbracelet/x/ansi"
)

// Theme picks the glamour style.
type Theme int

const (
	Dark  Theme = iota // for dark terminal backgrounds (the default until the terminal answers)
	Light              // for light backgrounds
	Plain              // no escape sequences at all: pipes, files, NO_COLOR
)

// MinWidth is the narrowest wrap width we render at; narrower panes still get 20 columns so
// glamour's margins never leave a negative width.
const MinWidth = 20

// Markdown renders md wrapped at width columns.
func Markdown(md string, width int, theme Theme) (string, error) {
	if width < MinWidth {
		width = MinWidth
	}
	style := styles.DarkStyleConfig
	switch theme {
	case Light:
		style = styles.LightStyleConfig
	}
	r, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(width))
	if err != nil {
		return "", fmt.Errorf("markdown renderer: %w", err)
	}
	out, err := r.Render(md)
	if err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	if theme == Plain {
		// Plain is the dark layout with every escape removed: glamour's own ASCII style
		// mangles bold text that contains code, and chroma colours code blocks in any style.
		// Glamour pads lines to the wrap width; trailing blanks only get in a reader's way.
		lines := strings.Split(ansi.Strip(out), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		out = strings.Join(lines, "\n")
	}
	return strings.TrimRight(out, "\n ") + "\n", nil
}
