package diag

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Style colours the parts of a rendered diagnostic. A nil function leaves its part plain, so
// the zero Style renders plain text (pipes, NO_COLOR).
type Style struct {
	Error, Warning, Note func(string) string // the severity head, and primary markers (Error)
	Gutter               func(string) string // "-->", line numbers and the bar
	Path                 func(string) string
	Dim                  func(string) string // notes and secondary labels
}

// RenderOptions tune Render.
type RenderOptions struct {
	Style Style
	// Width wraps the message and notes at this many columns; 0 does not wrap.
	Width int
	// BaseDir, when set, shows files inside it relative to it (the learner's folder).
	BaseDir string
}

// Render lays a diagnostic out the way rustc prints it, one string per line: the head, the
// location, the source line with its markers, the notes. The CLI prints these lines and the TUI
// shows them in its Diagnostics tab, so the two never drift apart.
func Render(d Diagnostic, o RenderOptions) []string {
	st := o.Style
	paint := func(f func(string) string, s string) string {
		if f == nil {
			return s
		}
		return f(s)
	}
	wrap := func(s string, indent int) []string {
		if o.Width <= 0 {
			return []string{s}
		}
		return strings.Split(ansi.Wrap(s, max(o.Width-indent, 20), ""), "\n")
	}

	head := string(d.Severity)
	if d.Code != "" {
		head += "[" + d.Code + "]"
	}
	switch d.Severity {
	case SeverityError:
		head = paint(st.Error, head)
	case SeverityWarning:
		head = paint(st.Warning, head)
	default:
		head = paint(st.Note, head)
	}
	lines := wrap(head+": "+d.Message, 0)

	if loc := location(d, o.BaseDir); loc != "" {
		lines = append(lines, "  "+paint(st.Gutter, "-->")+" "+paint(st.Path, loc))
	}
	if d.SourceLine != "" {
		num := fmt.Sprint(d.Line)
		lines = append(lines, "  "+paint(st.Gutter, num+" |")+" "+d.SourceLine)
		for _, l := range d.Labels {
			if l.Line != d.Line || l.Column <= 0 {
				continue
			}
			pad := strings.Repeat(" ", l.Column-1)
			var marks string
			if l.Primary {
				marks = paint(st.Error, strings.Repeat("^", max(l.Width, 1))+labelText(l.Text))
			} else {
				marks = paint(st.Dim, strings.Repeat("-", max(l.Width, 1))+labelText(l.Text))
			}
			lines = append(lines, "  "+paint(st.Gutter, strings.Repeat(" ", len(num))+" |")+" "+pad+marks)
		}
	}
	for _, n := range d.Notes {
		for _, l := range wrap("= "+n, 2) {
			lines = append(lines, "  "+paint(st.Dim, l))
		}
	}
	return lines
}

func labelText(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// location is file:line:column, the file relative to base when it lies inside it.
func location(d Diagnostic, base string) string {
	if d.File == "" {
		return ""
	}
	if base != "" {
		if rel, err := filepath.Rel(base, d.File); err == nil && !strings.HasPrefix(rel, "..") {
			d.File = rel
		}
	}
	return d.Location()
}
