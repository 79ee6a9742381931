package render

import "strings"

// InlineCode renders the `code` spans of a one-line markdown text (a hint, a quiz choice) with
// code, as a lesson shows them, without the backticks. A backtick without its pair is kept.
// Texts this short need no glamour, and a quiz line is laid out by its caller.
func InlineCode(s string, code func(string) string) string {
	if !strings.Contains(s, "`") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		b.WriteString(code(s[i+1 : i+1+j]))
		s = s[i+1+j+1:]
	}
	b.WriteString(s)
	return b.String()
}
