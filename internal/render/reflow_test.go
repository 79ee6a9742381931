package render

import (
	"regexp"
	"strings"
	"testing"

	"charm.land/glamour/v2/styles"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

func TestReflow(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraph", "one\ntwo\nthree\n", "one two three\n"},
		{"list item continuation", "- a\n  b\n- c\n", "- a b\n- c\n"},
		{"ordered", "1. a\n   b\n2. c\n", "1. a b\n2. c\n"},
		{"blank ends a paragraph", "a\nb\n\nc\nd", "a b\n\nc d"},
		{"fence kept", "a\n```\nx\ny\n```\nb\nc", "a\n```\nx\ny\n```\nb c"},
		{"tilde fence", "~~~text\n a\n b\n~~~", "~~~text\n a\n b\n~~~"},
		{"heading is one line", "# T\ntext\nmore", "# T\ntext more"},
		{"table rows", "| a | b |\n|---|---|\n| 1 | 2 |", "| a | b |\n|---|---|\n| 1 | 2 |"},
		{"hard break", "a  \nb\nc", "a  \nb c"},
		{"backslash break", "a\\\nb", "a\\\nb"},
		{"quote lines", "> a\n> b", "> a\n> b"},
		{"indented code", "text\n\n    code a\n    code b\n\nmore", "text\n\n    code a\n    code b\n\nmore"},
		{"list paragraph", "- a\n\n  b\n  c", "- a\n\n  b c"},
		{"rule", "a\n\n---\nb", "a\n\n---\nb"},
		{"html", "<details>\ntext", "<details>\ntext"},
	}
	for _, tc := range tests {
		if got := Reflow(tc.in); got != tc.want {
			t.Errorf("%s: Reflow(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// lessons returns the embedded course's lessons as the learner sees them (includes resolved).
func lessons(t *testing.T) map[string]string {
	t.Helper()
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range c.Lessons {
		md, err := c.Markdown(l)
		if err != nil {
			t.Fatal(err)
		}
		out[l.ID] = md
	}
	return out
}

// Reflowing changes only where lines break: rendered without a width limit, every lesson has
// the same words in the same order before and after.
func TestReflowKeepsEveryLesson(t *testing.T) {
	for id, md := range lessons(t) {
		r, err := newRenderer(styles.DarkStyleConfig, 4000)
		if err != nil {
			t.Fatal(err)
		}
		before, err := r.Render(md)
		if err != nil {
			t.Fatal(err)
		}
		after, err := r.Render(Reflow(md))
		if err != nil {
			t.Fatal(err)
		}
		if b, a := strings.Fields(ansi.Strip(before)), strings.Fields(ansi.Strip(after)); strings.Join(b, " ") != strings.Join(a, " ") {
			t.Errorf("%s: reflowing changed the text", id)
		}
	}
}

// No rendered lesson line breaks a word or leaves a short line that a second wrap made: in
// every paragraph and list item, each line but the last is full (its block's next word would
// not have fitted), and every word on screen is a word of the rendered text unwrapped.
func TestLessonsWrapOnce(t *testing.T) {
	for id, md := range lessons(t) {
		r, err := newRenderer(styles.DarkStyleConfig, 4000)
		if err != nil {
			t.Fatal(err)
		}
		// A table too narrow for its words is shown as a list: the words of both forms.
		whole := Reflow(md)
		for _, seg := range splitBlocks(whole) {
			if header, rows := parseTable(seg.md); seg.kind == tableBlock && header != nil {
				whole += "\n" + tableAsList(header, rows)
			}
		}
		unwrapped, err := r.Render(whole)
		if err != nil {
			t.Fatal(err)
		}
		// Words as the wrapper sees them: only ASCII spaces break (glamour pads inline code
		// with no-break spaces).
		words := map[string]bool{}
		for _, l := range strings.Split(ansi.Strip(unwrapped), "\n") {
			for _, w := range spaceWords(l) {
				words[w] = true
			}
		}
		code := codeLines(md)
		for _, width := range []int{60, 80, 120} {
			out, err := Markdown(md, width, Plain)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(out, "\n")
			for i, line := range lines {
				if code[strings.TrimSpace(line)] {
					continue // code is not wrapped
				}
				// Block quotes and tables have layouts of their own: their lines need not be
				// full, but no word in them may be broken either.
				boxed := strings.ContainsAny(line, "│─")
				if w := ansi.StringWidth(line); w > width && !strings.ContainsAny(line, "│─") {
					t.Errorf("%s at %d: line %d is %d wide: %q", id, width, i+1, w, line)
				}
				ws := spaceWords(line)
				for k, w := range ws {
					if words[w] || strings.Trim(w, "│─┼") == "" {
						continue
					}
					// A word may break after a hyphen.
					if k == len(ws)-1 && strings.HasSuffix(w, "-") && i+1 < len(lines) {
						continue
					}
					if prev := spaceWords(lines[max(i-1, 0)]); k == 0 && i > 0 && len(prev) > 0 && strings.HasSuffix(prev[len(prev)-1], "-") && words[prev[len(prev)-1]+w] {
						continue
					}
					{
						t.Errorf("%s at %d: line %d has %q, which is no word of the lesson (broken?): %q", id, width, i+1, w, line)
					}
				}
				// A line followed by another line of the same block must be full.
				if boxed || i+1 >= len(lines) || code[strings.TrimSpace(lines[i+1])] {
					continue
				}
				next := strings.Trim(lines[i+1], " ") // not TrimSpace: inline code starts with a no-break space
				if next == "" || strings.TrimSpace(line) == "" || renderedItem.MatchString(next) || strings.HasPrefix(next, "#") || strings.ContainsAny(next, "│─") {
					continue
				}
				first := spaceWords(next)[0]
				if ansi.StringWidth(line)+1+ansi.StringWidth(first) <= width-rightMargin {
					t.Errorf("%s at %d: line %d ends early (%q would have fitted): %q / %q", id, width, i+1, first, line, next)
				}
			}
		}
	}
}

// renderedItem matches the start of a rendered list item: the next line of a block, not a
// continuation.
var renderedItem = regexp.MustCompile(`^ *(• |\d{1,9}\. )`)

// spaceWords splits a line at ASCII spaces.
func spaceWords(line string) []string {
	var ws []string
	for _, w := range strings.Split(line, " ") {
		if w != "" {
			ws = append(ws, w)
		}
	}
	return ws
}

// codeLines is the set of the trimmed lines of md's fenced code blocks.
func codeLines(md string) map[string]bool {
	lines := map[string]bool{}
	for _, seg := range splitBlocks(md) {
		if seg.kind == codeBlock {
			for _, l := range strings.Split(seg.md, "\n") {
				if l = strings.TrimSpace(l); l != "" {
					lines[l] = true
				}
			}
		}
	}
	return lines
}

// The cost of rendering a lesson at a terminal's width (the TUI renders again on every resize).
func BenchmarkMarkdownLesson(b *testing.B) {
	c, err := course.Load(course.Embedded())
	if err != nil {
		b.Fatal(err)
	}
	md, err := c.Markdown(c.Lessons[0])
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Markdown(md, 80, Dark); err != nil {
			b.Fatal(err)
		}
	}
}
