// Package sanitize is the one filter between untrusted text and a terminal. Lesson packs come
// from anyone, compiler output quotes the learner's code, and the guest's console prints
// whatever the learner's module says: any of them could carry escape sequences that set the
// clipboard (OSC 52), retitle the window, hide text or wipe the screen. Everything such text
// passes through here before rfl-tutor adds its own styling.
package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Text makes untrusted text inert: every escape sequence (CSI, OSC, DCS, SOS, PM, APC, a bare
// ESC) is removed, and so is every control character but newline and tab: C0 (carriage return
// included, which could rewrite a line to hide its start), DEL and C1 (U+0080–U+009F). Invalid
// UTF-8 becomes U+FFFD. Text(Text(s)) == Text(s).
func Text(s string) string {
	if clean(s) {
		return s
	}
	return keepRunes(ansi.Strip(strings.ToValidUTF8(s, "\uFFFD")))
}

// clean reports whether s needs no work (the usual case: plain text).
func clean(s string) bool {
	for _, r := range s {
		if !allowed(r) {
			return false
		}
	}
	return utf8.ValidString(s)
}

func allowed(r rune) bool {
	switch {
	case r == '\n', r == '\t':
		return true
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return false
	}
	return r != utf8.RuneError
}

// keepRunes drops what Strip left that is still a control (a stray ESC, a BEL, C1).
func keepRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if allowed(r) || r == utf8.RuneError {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Lines applies Text to each line.
func Lines(lines []string) []string {
	if lines == nil {
		return nil
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = Text(l)
	}
	return out
}
