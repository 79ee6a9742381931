package check

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
)

// styleProblems applies the kernel's Rust coding rules that the compiler does not enforce:
// every source file starts with an SPDX license line, and every `unsafe` block or `unsafe impl`
// is directly preceded by a `// SAFETY:` comment saying why it is sound. Findings come back as
// diagnostics so they show like compiler errors, at file:line:col.
func styleProblems(files map[string][]byte) []diag.Diagnostic {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []diag.Diagnostic
	for _, name := range names {
		src := string(files[name])
		switch {
		case strings.HasSuffix(name, ".rs"):
			out = append(out, spdx(name, src, "//")...)
			out = append(out, unsafeWithoutSafety(name, src)...)
		case strings.HasSuffix(name, ".c") || strings.HasSuffix(name, ".h"):
			out = append(out, spdx(name, src, "//", "/*")...)
		case path.Base(name) == "Kbuild" || path.Base(name) == "Makefile":
			out = append(out, spdx(name, src, "#")...)
		}
	}
	return out
}

func spdx(name, src string, prefixes ...string) []diag.Diagnostic {
	first, _, _ := strings.Cut(src, "\n")
	first = strings.TrimSpace(first)
	for _, p := range prefixes {
		if strings.HasPrefix(first, p) && strings.Contains(first, "SPDX-License-Identifier:") {
			return nil
		}
	}
	return []diag.Diagnostic{{
		Severity: diag.SeverityError,
		Code:     "style::spdx",
		Message:  fmt.Sprintf("the first line must be an SPDX license comment (e.g. `%s SPDX-License-Identifier: GPL-2.0`)", prefixes[0]),
		File:     name,
		Line:     1,
		Column:   1,
		Origin:   "style",
	}}
}

// unsafeWithoutSafety finds `unsafe {` blocks and `unsafe impl`s whose preceding lines carry no
// `// SAFETY:` comment. It lexes just enough Rust (comments, strings, char literals, raw strings)
// that an `unsafe` inside a string or comment is never counted.
func unsafeWithoutSafety(name, src string) []diag.Diagnostic {
	lines := strings.Split(src, "\n")
	var out []diag.Diagnostic
	for _, u := range findUnsafe(src) {
		if u.kind == "fn" || u.kind == "trait" {
			continue // unsafe fns and traits document their contract in a `# Safety` doc section
		}
		if hasSafetyComment(lines, u.line, u.col) {
			continue
		}
		what := "unsafe block"
		if u.kind == "impl" {
			what = "unsafe impl"
		}
		out = append(out, diag.Diagnostic{
			Severity:   diag.SeverityError,
			Code:       "style::safety",
			Message:    what + " without a `// SAFETY:` comment directly above it explaining why it is sound",
			File:       name,
			Line:       u.line,
			Column:     u.col,
			SourceLine: lines[u.line-1],
			Origin:     "style",
		})
	}
	return out
}

type unsafeUse struct {
	line, col int    // 1-based
	kind      string // "block", "impl", "fn", "trait", "extern"
}

// findUnsafe returns every `unsafe` keyword outside comments and literals, with what follows it.
func findUnsafe(src string) []unsafeUse {
	var uses []unsafeUse
	line, col := 1, 1
	i := 0
	advance := func(n int) {
		for k := 0; k < n && i < len(src); k++ {
			if src[i] == '\n' {
				line++
				col = 1
			} else {
				col++
			}
			i++
		}
	}
	for i < len(src) {
		c := src[i]
		switch {
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				advance(1)
			}
		case strings.HasPrefix(src[i:], "/*"):
			depth := 0
			for i < len(src) {
				if strings.HasPrefix(src[i:], "/*") {
					depth++
					advance(2)
				} else if strings.HasPrefix(src[i:], "*/") {
					depth--
					advance(2)
					if depth == 0 {
						break
					}
				} else {
					advance(1)
				}
			}
		case c == 'r' && rawStringStart(src[i:]) > 0 && !identByte(prevByte(src, i)):
			hashes := rawStringStart(src[i:]) - 2 // r, then hashes, then the quote
			advance(hashes + 2)
			closing := "\"" + strings.Repeat("#", hashes)
			for i < len(src) && !strings.HasPrefix(src[i:], closing) {
				advance(1)
			}
			advance(len(closing))
		case c == '"':
			advance(1)
			for i < len(src) && src[i] != '"' {
				if src[i] == '\\' {
					advance(1)
				}
				advance(1)
			}
			advance(1)
		case c == '\'':
			// A char literal ('a', '\n', '\'') or a lifetime ('a): only skip the former.
			if n := charLiteralLen(src[i:]); n > 0 {
				advance(n)
			} else {
				advance(1)
			}
		case identStart(c) && !identByte(prevByte(src, i)):
			j := i
			for j < len(src) && identByte(src[j]) {
				j++
			}
			word := src[i:j]
			if word == "unsafe" {
				uses = append(uses, unsafeUse{line: line, col: col, kind: unsafeKind(src[j:])})
			}
			advance(j - i)
		default:
			advance(1)
		}
	}
	return uses
}

func unsafeKind(rest string) string {
	rest = strings.TrimLeft(rest, " \t\r\n")
	switch {
	case strings.HasPrefix(rest, "{"):
		return "block"
	case strings.HasPrefix(rest, "impl"):
		return "impl"
	case strings.HasPrefix(rest, "trait"):
		return "trait"
	case strings.HasPrefix(rest, "extern"):
		return "extern"
	}
	return "fn"
}

// hasSafetyComment reports whether a `// SAFETY:` comment stands directly above the statement
// holding the unsafe at (line, col): in the comment lines right above it, or earlier on the same
// line, or above the first line of a statement that spans several lines (`let x =\n unsafe {`).
func hasSafetyComment(lines []string, line, col int) bool {
	if before := lines[line-1][:col-1]; strings.Contains(before, "// SAFETY:") {
		return true
	}
	for l := line - 2; l >= 0; l-- {
		t := strings.TrimSpace(lines[l])
		switch {
		case strings.HasPrefix(t, "// SAFETY:"):
			return true
		case strings.HasPrefix(t, "//"), strings.HasPrefix(t, "#["):
			continue // the comment may span lines; attributes may sit between it and the code
		case t == "":
			return false
		case strings.HasSuffix(t, "=") || strings.HasSuffix(t, "(") || strings.HasSuffix(t, ","):
			continue // the unsafe block continues a statement begun on this line
		default:
			return false
		}
	}
	return false
}

func rawStringStart(s string) int {
	// r"…", r#"…"#, br"…" (the b is consumed as an identifier byte before, so only r forms here)
	if len(s) < 2 || s[0] != 'r' {
		return 0
	}
	j := 1
	for j < len(s) && s[j] == '#' {
		j++
	}
	if j < len(s) && s[j] == '"' {
		return j + 1
	}
	return 0
}

func charLiteralLen(s string) int {
	if len(s) >= 4 && s[1] == '\\' {
		end := strings.IndexByte(s[2:], '\'')
		if end >= 0 && end <= 10 {
			return end + 3
		}
		return 0
	}
	// One (possibly multi-byte) character then a closing quote.
	for n := 2; n <= 5 && n < len(s); n++ {
		if s[n] == '\'' {
			if n == 2 || s[1] >= 0x80 {
				return n + 1
			}
			return 0
		}
	}
	return 0
}

func prevByte(s string, i int) byte {
	if i == 0 {
		return ' '
	}
	return s[i-1]
}

func identStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }

func identByte(c byte) bool { return identStart(c) || (c >= '0' && c <= '9') }

// forbidden applies an exercise's source rules to each .rs file, line by line, outside `//`
// comments: the first match on a line is reported there.
func forbidden(files map[string][]byte, rules []course.SourceRule) []diag.Diagnostic {
	if len(rules) == 0 {
		return nil
	}
	names := make([]string, 0, len(files))
	for name := range files {
		if strings.HasSuffix(name, ".rs") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var out []diag.Diagnostic
	for _, name := range names {
		for i, line := range strings.Split(string(files[name]), "\n") {
			code := codeOf(line)
			for _, rule := range rules {
				if loc := rule.Pattern.FindStringIndex(code); loc != nil {
					out = append(out, diag.Diagnostic{
						Severity: diag.SeverityError,
						Code:     "style::forbidden",
						Message:  fmt.Sprintf("`%s` is ruled out in this exercise: %s", strings.TrimSpace(code[loc[0]:loc[1]]), rule.Why),
						File:     name,
						Line:     i + 1,
						Column:   len([]rune(code[:loc[0]])) + 1,
						Origin:   "style",
					})
					break
				}
			}
		}
	}
	return out
}

// codeOf is a line without its `//` comment: the text before the first `//` that is not inside
// a string literal on that line.
func codeOf(line string) string {
	in := false
	for i := 0; i < len(line); i++ {
		switch {
		case in && line[i] == '\\':
			i++
		case line[i] == '"':
			in = !in
		case !in && strings.HasPrefix(line[i:], "//"):
			return line[:i]
		}
	}
	return line
}
