package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// pager is a scrollable list of pre-rendered lines: the text tabs of the exercise pane build
// their lines in Update, and View only copies a window of them.
type pager struct {
	lines []string
	off   int
}

func (p *pager) set(lines []string) {
	p.lines = lines
	p.off = max(0, min(p.off, len(lines)-1))
}

func (p *pager) scroll(d, h int) {
	p.off = max(0, min(p.off+d, len(p.lines)-h))
}

// show makes line i visible in a window of h lines.
func (p *pager) show(i, h int) {
	if i < p.off {
		p.off = i
	} else if i >= p.off+h {
		p.off = i - h + 1
	}
	p.off = max(p.off, 0)
}

// view is h lines from the offset, each cut to w columns, padded with empty lines.
func (p *pager) view(w, h int) string {
	return window(p.lines, p.off, w, h)
}

// window joins h lines of lines from off, cut to w columns (unless w <= 0: the lines are known
// to fit) and padded to exactly h lines.
func window(lines []string, off, w, h int) string {
	var b strings.Builder
	size := h
	for i := max(off, 0); i < len(lines) && i < off+h; i++ {
		size += len(lines[i])
	}
	b.Grow(size)
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		if j := off + i; j >= 0 && j < len(lines) {
			line := lines[j]
			// No character is wider than its UTF-8 encoding is long, so a short line fits
			// without measuring it.
			if w > 0 && len(line) > w {
				line = ansi.Truncate(line, w, "")
			}
			b.WriteString(line)
		}
	}
	return b.String()
}

// splitLines splits a rendered block into lines for a pager.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// cutLines cuts every line to w columns, once, for lines shown many times.
func cutLines(lines []string, w int) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) > w {
			l = ansi.Truncate(l, w, "")
		}
		out[i] = l
	}
	return out
}
