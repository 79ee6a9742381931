package render

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// linePrefix matches what a rendered line starts with that its wrapped continuation lines
// must line up under: its indent, a block quote's bar, a list item's bullet or number.
var linePrefix = regexp.MustCompile(`^( *(?:│ )?)(• |\d{1,9}\. )?`)

// wrapLines wraps each rendered line (a whole paragraph, list item or heading, rendered
// without a width) at width. Continuation lines start under the line's text: after its
// indent and quote bar, and past a list item's marker (a hanging indent).
func wrapLines(lines []string, width int) []string {
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		plain := ansi.Strip(line)
		total := ansi.StringWidth(plain)
		if total <= width {
			out = append(out, line)
			continue
		}
		m := linePrefix.FindStringSubmatch(plain)
		pw := ansi.StringWidth(m[0])
		if width-pw < MinWidth/2 {
			pw, m = 0, []string{"", "", ""} // too narrow to indent
		}
		head := ansi.Cut(line, 0, pw)
		body := ansi.Cut(line, pw, total)
		cont := m[1] + strings.Repeat(" ", ansi.StringWidth(m[2]))
		for k, l := range strings.Split(ansi.Wrap(body, width-pw, ""), "\n") {
			if k == 0 {
				out = append(out, trimRightSpaces(head+l))
			} else {
				out = append(out, trimRightSpaces(cont+trimLeftSpaces(l)))
			}
		}
	}
	return out
}

// trimLeftSpaces removes the spaces at the start of a styled line, keeping its escape sequences.
func trimLeftSpaces(s string) string {
	plain := ansi.Strip(s)
	return ansi.TruncateLeft(s, len(plain)-len(strings.TrimLeft(plain, " ")), "")
}

// trimRightSpaces removes trailing spaces of a styled line (glamour pads lines to the wrap
// width), keeping the escape sequences after them (resets), so no style leaks.
func trimRightSpaces(s string) string {
	plain := ansi.Strip(s)
	trimmed := strings.TrimRight(plain, " ")
	if len(trimmed) == len(plain) {
		return s
	}
	return ansi.Truncate(s, ansi.StringWidth(trimmed), "")
}
