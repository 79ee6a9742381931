package coursecheck

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// rustTokens splits Rust source into tokens, leaving out whitespace and the comments no stage
// judges, so that counting changed tokens measures code a learner has to write. It is a small lexer
// for counting, not for compiling: identifiers and keywords, numbers, string and char literals,
// lifetimes, and operators (longest match first).
func rustTokens(src string) []string {
	var toks []string
	ops := []string{"<<=", ">>=", "...", "..=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||",
		"+=", "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", ".."}
	r := []rune(src)
	for i := 0; i < len(r); {
		c := r[i]
		rest := string(r[i:min(i+3, len(r))])
		switch {
		case unicode.IsSpace(c):
			i++
		case strings.HasPrefix(rest, "//"):
			j := i
			for j < len(r) && r[j] != '\n' {
				j++
			}
			// Doc comments and SAFETY comments are judged (rustdoc, the style stage), so their
			// words are work; other comments are not.
			if c := string(r[i:j]); strings.HasPrefix(c, "///") || strings.HasPrefix(c, "//!") || strings.HasPrefix(c, "// SAFETY:") {
				toks = append(toks, strings.Fields(c)...)
			}
			i = j
		case strings.HasPrefix(rest, "/*"):
			depth := 0
			for i < len(r) {
				if i+1 < len(r) && r[i] == '/' && r[i+1] == '*' {
					depth, i = depth+1, i+2
				} else if i+1 < len(r) && r[i] == '*' && r[i+1] == '/' {
					depth, i = depth-1, i+2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
		case c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c):
			j := i
			for j < len(r) && (r[j] == '_' || unicode.IsLetter(r[j]) || unicode.IsDigit(r[j])) {
				j++
			}
			// c"…" and b"…" literals are one token with their prefix.
			if j < len(r) && r[j] == '"' && (string(r[i:j]) == "c" || string(r[i:j]) == "b") {
				j = stringEnd(r, j)
			}
			toks, i = append(toks, string(r[i:j])), j
		case c == '"':
			j := stringEnd(r, i)
			toks, i = append(toks, string(r[i:j])), j
		case c == '\'':
			// A char literal ('a', '\n') or a lifetime ('a, 'static).
			j := i + 1
			if j < len(r) && r[j] == '\\' {
				j += 2
			} else {
				j++
			}
			for j < len(r) && r[j] != '\'' && (r[j] == '_' || unicode.IsLetter(r[j]) || unicode.IsDigit(r[j])) {
				j++
			}
			if j < len(r) && r[j] == '\'' {
				j++
			}
			toks, i = append(toks, string(r[i:min(j, len(r))])), min(j, len(r))
		default:
			tok := string(c)
			for _, op := range ops {
				if strings.HasPrefix(string(r[i:min(i+len(op), len(r))]), op) {
					tok = op
					break
				}
			}
			toks, i = append(toks, tok), i+len([]rune(tok))
		}
	}
	return toks
}

// stringEnd returns the index after the string literal whose opening quote is at r[i].
func stringEnd(r []rune, i int) int {
	for j := i + 1; j < len(r); j++ {
		switch r[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(r)
}

func TestRustTokens(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string
	}{
		{"let x = 1;", "let|x|=|1|;"},
		{"a::b -> c => d", "a|::|b|->|c|=>|d"},
		{"// comment\nfoo /* block /* nested */ */ bar", "foo|bar"},
		{"/// Doc words.\n// SAFETY: p is valid.\nx", "///|Doc|words.|//|SAFETY:|p|is|valid.|x"},
		{`pr_info!("a \"b\" c\n");`, `pr_info|!|(|"a \"b\" c\n"|)|;`},
		{`c"name" b"x"`, `c"name"|b"x"`},
		{"fn f<'a>(x: &'a str) -> char { 'x' }", "fn|f|<|'a|>|(|x|:|&|'a|str|)|->|char|{|'x'|}"},
		{`'\n' '\''`, `'\n'|'\''`},
		{"x?;", "x|?|;"},
		{"0..=9", "0|..=|9"},
		{"", ""},
	} {
		if got := strings.Join(rustTokens(tc.src), "|"); got != tc.want {
			t.Errorf("rustTokens(%q) = %s, want %s", tc.src, got, tc.want)
		}
	}
}

// makeTokens splits a Kbuild or Makefile into words, leaving out comments.
func makeTokens(src string) []string {
	var toks []string
	for _, l := range strings.Split(src, "\n") {
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		toks = append(toks, strings.Fields(l)...)
	}
	return toks
}

// changedTokens counts the tokens a learner must write to turn starter into solution: for each
// differing stretch of the token diff, the larger of what is removed and what is added.
func changedTokens(starter, solution []string) int {
	m := difflib.NewMatcher(starter, solution)
	n := 0
	for _, op := range m.GetOpCodes() {
		if op.Tag != 'e' {
			n += max(op.I2-op.I1, op.J2-op.J1)
		}
	}
	return n
}

func TestChangedTokens(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"x.y();", "x.y();", 0},
		{"x.y();", "x.y()?;", 1},
		{"let a = f(1);", "let a = g(2, 3);", 4},
		{"a b c", "", 3},
	} {
		if got := changedTokens(rustTokens(tc.a), rustTokens(tc.b)); got != tc.want {
			t.Errorf("changedTokens(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// minChangedTokens is the least work an exercise asks for: a fix that rustc names for the
// learner in one token is not an exercise.
const minChangedTokens = 3

// TestExercisesAreMoreThanOneTokenFixes counts, for every exercise of the embedded course and
// every kernel variant of its snippet, the tokens changed between the starter and the solution
// (over every .rs file; comments and layout do not count).
func TestExercisesAreMoreThanOneTokenFixes(t *testing.T) {
	fsys := course.Embedded()
	c, err := course.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var report []string
	for _, ex := range c.Exercises() {
		sn := ex.Snippet
		// The code of each kernel variant: its folder, its solution and starter files.
		type code struct {
			dir          string
			src, starter map[string]string
		}
		variants := []code{{sn.Dir, sn.Src, sn.StarterFiles}}
		for _, v := range sn.Variants {
			if v.Folder != "" {
				variants = append(variants, code{sn.Dir + "/" + v.Folder, v.Src, v.StarterFiles})
			}
		}
		for _, v := range variants {
			n := 0
			for _, name := range slices.Sorted(maps.Keys(v.src)) {
				tokens := rustTokens
				if !strings.HasSuffix(name, ".rs") {
					tokens = makeTokens
				}
				var st string
				if p, ok := v.starter[name]; ok {
					st = read(t, fsys, p)
				}
				n += changedTokens(tokens(st), tokens(read(t, fsys, v.src[name])))
			}
			report = append(report, fmt.Sprintf("%s (%s): %d", ex.ID, v.dir, n))
			if n < minChangedTokens {
				t.Errorf("exercise %s (%s): the solution differs from the starter by %d token(s); an exercise asks for at least %d", ex.ID, v.dir, n, minChangedTokens)
			}
		}
	}
	t.Log(strings.Join(report, "\n"))
}

func read(t *testing.T, fsys fs.FS, name string) string {
	t.Helper()
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Every exercise of the embedded course declares at least one shortcut, which
// TestEmbeddedCourse (and `course check --boot` in CI, on every tree) sees refused.
func TestEveryExerciseDeclaresAShortcut(t *testing.T) {
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range c.Exercises() {
		if len(ex.Snippet.Shortcuts) == 0 {
			t.Errorf("exercise %s: snippets/%s/snippet.yaml declares no shortcut (a realistic wrong solution it must refuse)", ex.ID, ex.SnippetID)
		}
	}
}
