package render

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

const doc = "# Title\n\nSome **bold** text with `code` that is long enough to need wrapping at narrow widths, surely.\n\n```rust\nfn main() {}\n```\n"

func TestMarkdownWrapsAtWidth(t *testing.T) {
	for _, width := range []int{40, 60, 120} {
		for _, theme := range []Theme{Dark, Light, Plain} {
			out, err := Markdown(doc, width, theme)
			if err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(out, "\n") {
				if w := ansi.StringWidth(line); w > width {
					t.Errorf("width %d theme %d: line is %d wide: %q", width, theme, w, line)
				}
			}
			if !strings.Contains(ansi.Strip(out), "fn main() {}") {
				t.Errorf("width %d theme %d: code block lost:\n%s", width, theme, out)
			}
		}
	}
}

func TestPlainHasNoEscapesOrPadding(t *testing.T) {
	out, err := Markdown(doc, 80, Plain)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("plain output has escape sequences: %q", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing blanks: %q", line)
		}
	}
	if strings.Contains(out, "**") {
		t.Errorf("markup leaked into plain output: %q", out)
	}
	dark, _ := Markdown(doc, 80, Dark)
	if !strings.Contains(dark, "\x1b[") {
		t.Error("the dark theme has no colour")
	}
}

func TestTooNarrowStillRenders(t *testing.T) {
	if _, err := Markdown(doc, 3, Dark); err != nil {
		t.Fatal(err)
	}
}

func TestInlineCode(t *testing.T) {
	mark := func(s string) string { return "<" + s + ">" }
	for in, want := range map[string]string{
		"plain":                           "plain",
		"set `CONFIG_RUST` to y":          "set <CONFIG_RUST> to y",
		"`a` and `b`":                     "<a> and <b>",
		"an odd ` backtick":               "an odd ` backtick",
		"`license: \"GPL\"` then ` alone": "<license: \"GPL\"> then ` alone",
		"``":                              "<>",
	} {
		if got := InlineCode(in, mark); got != want {
			t.Errorf("InlineCode(%q) = %q, want %q", in, got, want)
		}
	}
}
