package render

import (
	"regexp"
	"strings"
)

// Lesson sources are wrapped at ~100 columns by their authors. Markdown treats those line breaks
// as soft (a space), but glamour keeps them and wraps again on top, which leaves ragged lines
// (a full line, then one or two words). Reflow joins the lines of each paragraph and list item
// into one, so glamour wraps the text once at the width it is shown at.

var (
	fenceLine = regexp.MustCompile("^\\s{0,3}(```|~~~)")
	// Lines that start a block of their own and never continue the line before them.
	blockStart = regexp.MustCompile(`^\s*(#{1,6}\s|[-*+]\s|\d{1,9}[.)]\s|\||>|<|\[[^\]]+\]:\s)`)
	listItem   = regexp.MustCompile(`^\s*([-*+]|\d{1,9}[.)])\s`)
	ruleLine   = regexp.MustCompile(`^\s{0,3}((-\s*){3,}|(\*\s*){3,}|(_\s*){3,})$`)
	// A heading, table row or rule is one line: nothing joins onto it.
	singleLine = regexp.MustCompile(`^\s*(#{1,6}\s|\||<)`)
)

// Reflow joins the soft-wrapped lines of paragraphs and list items in md. Fenced code, tables,
// headings, HTML, block quotes and hard line breaks (two trailing spaces or a backslash) are
// kept as they are, so the document means the same to a markdown parser.
func Reflow(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	inFence, fence := false, ""
	joinable := false // the last line out is text that a following text line continues
	inList := false   // a list item came since the last block of unindented text
	inCode := false   // in an indented code block
	prevBlank := true
	for _, line := range lines {
		blank := strings.TrimSpace(line) == ""
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if inCode && (blank || indent >= 4) {
			out = append(out, line)
			prevBlank = blank
			continue
		}
		inCode = false
		if !inFence && prevBlank && !blank && indent >= 4 && !inList {
			inCode, joinable, prevBlank = true, false, false
			out = append(out, line)
			continue
		}
		prevBlank = blank
		if inFence {
			out = append(out, line)
			if m := fenceLine.FindStringSubmatch(line); m != nil && strings.HasPrefix(strings.TrimSpace(line), fence) &&
				strings.Trim(strings.TrimSpace(line), fence[:1]) == "" {
				inFence = false
			}
			continue
		}
		if m := fenceLine.FindStringSubmatch(line); m != nil {
			inFence, fence, joinable = true, m[1], false
			out = append(out, line)
			continue
		}
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			joinable = false
			out = append(out, line)
		case blockStart.MatchString(line) || ruleLine.MatchString(line):
			inList = listItem.MatchString(line)
			out = append(out, line)
			joinable = !singleLine.MatchString(line) && !ruleLine.MatchString(line) && !strings.HasPrefix(trimmed, ">") &&
				!hardBreak(line)
		case joinable:
			out[len(out)-1] += " " + trimmed
			joinable = !hardBreak(line)
		default:
			if indent == 0 {
				inList = false
			}
			out = append(out, line)
			joinable = !hardBreak(line)
		}
	}
	return strings.Join(out, "\n")
}

// hardBreak reports whether a line ends in a markdown hard line break.
func hardBreak(line string) bool {
	return strings.HasSuffix(line, "  ") || strings.HasSuffix(line, `\`)
}
