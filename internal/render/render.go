// Package render turns lesson markdown into terminal text with glamour. The CLI's `show` and
// the TUI's lesson view both go through it, so a lesson looks the same in both.
package render

import (
	"fmt"
	"strings"

	"charm.land/glamour/v2"
	gansi "charm.land/glamour/v2/ansi"
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

// Markdown renders md wrapped at width columns. Paragraphs and list items are reflowed first
// (see Reflow) and list items get a hanging indent. Code blocks are never wrapped: a diagram or
// a line of code keeps its shape, and a line wider than width stays wider (the TUI scrolls it
// sideways; a terminal wraps it as it would the output of cat).
func Markdown(md string, width int, theme Theme) (string, error) {
	if width < MinWidth {
		width = MinWidth
	}
	style := styles.DarkStyleConfig
	switch theme {
	case Light:
		style = styles.LightStyleConfig
	}
	text, err := newRenderer(style, width)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, seg := range splitBlocks(Reflow(md)) {
		// Tables need the width for their layout (and become text when they would cut a word);
		// text is rendered unwrapped and wrapped here, once, with hanging indents; code is never
		// wrapped.
		var out string
		if seg.kind == tableBlock {
			var list string
			if out, list, err = renderTable(seg.md, text); err != nil {
				return "", fmt.Errorf("render markdown: %w", err)
			}
			if list != "" {
				seg = segment{md: list, kind: textBlock}
			}
		}
		if seg.kind != tableBlock {
			// Wide enough for the longest line: glamour pads every line to its wrap width.
			r, err := newRenderer(style, longestLine(seg.md)+unwrappedMargin)
			if err != nil {
				return "", err
			}
			if out, err = r.Render(seg.md); err != nil {
				return "", fmt.Errorf("render markdown: %w", err)
			}
		}
		lines := trimBlankEdges(strings.Split(out, "\n"))
		for i, l := range lines {
			lines[i] = trimRightSpaces(l)
		}
		if seg.kind == textBlock {
			lines = wrapLines(lines, width-rightMargin)
		}
		if len(lines) > 0 {
			parts = append(parts, strings.Join(lines, "\n"))
		}
	}
	out := "\n" + strings.Join(parts, "\n\n")
	if theme == Plain {
		// Plain is the dark layout with every escape removed: glamour's own ASCII style
		// mangles bold text that contains code, and chroma colours code blocks in any style.
		lines := strings.Split(ansi.Strip(out), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		out = strings.Join(lines, "\n")
	}
	return strings.TrimRight(out, "\n ") + "\n", nil
}

func newRenderer(style gansi.StyleConfig, width int) (*glamour.TermRenderer, error) {
	r, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(width))
	if err != nil {
		return nil, fmt.Errorf("markdown renderer: %w", err)
	}
	return r, nil
}

// unwrappedMargin is what glamour adds around a line at most (margins, list indents, a
// quote's bar), so that a line rendered at its own width plus this is never wrapped.
const unwrappedMargin = 32

func longestLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, ansi.StringWidth(l))
	}
	return n
}

// rightMargin is the room glamour leaves at the right of text it wraps at a width.
const rightMargin = 2

type blockKind int

const (
	textBlock blockKind = iota
	codeBlock
	tableBlock
)

// segment is a run of a document: a top-level fenced code block, a table, or the text between.
type segment struct {
	md   string
	kind blockKind
}

// splitBlocks cuts md at its top-level fences and tables (fences inside list items stay with
// the text).
func splitBlocks(md string) []segment {
	var segs []segment
	var cur []string
	kind := textBlock
	fence := ""
	flush := func(next blockKind) {
		if strings.TrimSpace(strings.Join(cur, "")) != "" {
			segs = append(segs, segment{md: strings.Join(cur, "\n") + "\n", kind: kind})
		}
		cur, kind = nil, next
	}
	for _, line := range strings.Split(md, "\n") {
		switch {
		case kind == codeBlock:
			cur = append(cur, line)
			if strings.HasPrefix(line, fence) && strings.Trim(strings.TrimSpace(line), fence[:1]) == "" {
				flush(textBlock)
			}
			continue
		case strings.HasPrefix(line, "```") || strings.HasPrefix(line, "~~~"):
			flush(codeBlock)
			fence = line[:3]
		case strings.HasPrefix(line, "|") && kind != tableBlock:
			flush(tableBlock)
		case !strings.HasPrefix(line, "|") && kind == tableBlock:
			flush(textBlock)
		}
		cur = append(cur, line)
	}
	flush(textBlock)
	return segs
}

// trimBlankEdges drops the blank lines glamour puts around a document.
func trimBlankEdges(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(ansi.Strip(lines[0])) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
