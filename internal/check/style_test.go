package check

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

func TestStyleProblems(t *testing.T) {
	const hdr = "// SPDX-License-Identifier: GPL-2.0\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // "file:line:col code"
	}{
		{"clean", map[string]string{"a.rs": hdr + "fn f() {}\n", "Kbuild": "# SPDX-License-Identifier: GPL-2.0\nobj-m := a.o\n"}, nil},
		{"no spdx in rust", map[string]string{"a.rs": "fn f() {}\n"}, []string{"a.rs:1:1 style::spdx"}},
		{"no spdx in Kbuild", map[string]string{"Kbuild": "obj-m := a.o\n"}, []string{"Kbuild:1:1 style::spdx"}},
		{"c file with block comment spdx", map[string]string{"h.c": "/* SPDX-License-Identifier: GPL-2.0 */\n"}, nil},
		{"unsafe block with safety", map[string]string{"a.rs": hdr + "fn f() {\n    // SAFETY: no preconditions.\n    unsafe { g() };\n}\n"}, nil},
		{"unsafe block without safety", map[string]string{"a.rs": hdr + "fn f() {\n    unsafe { g() };\n}\n"}, []string{"a.rs:3:5 style::safety"}},
		{"safety comment spans lines", map[string]string{"a.rs": hdr + "// SAFETY: the pointer is valid\n// for the whole call.\nlet x = unsafe { *p };\n"}, nil},
		{"blank line breaks the link", map[string]string{"a.rs": hdr + "// SAFETY: ok\n\nlet x = unsafe { *p };\n"}, []string{"a.rs:4:9 style::safety"}},
		{"multi-line statement", map[string]string{"a.rs": hdr + "// SAFETY: ok\nlet x =\n    unsafe { *p };\n"}, nil},
		{"plain comment is not a safety comment", map[string]string{"a.rs": hdr + "// call g\nunsafe { g() }\n"}, []string{"a.rs:3:1 style::safety"}},
		{"same-line safety comment", map[string]string{"a.rs": hdr + "let x = 1; // SAFETY: ok\n"}, nil},
		{"unsafe impl needs safety", map[string]string{"a.rs": hdr + "unsafe impl Send for X {}\n"}, []string{"a.rs:2:1 style::safety"}},
		{"unsafe impl with safety", map[string]string{"a.rs": hdr + "// SAFETY: X has no thread-bound state.\nunsafe impl Sync for X {}\n"}, nil},
		{"unsafe fn is documented differently", map[string]string{"a.rs": hdr + "/// # Safety\n/// p is valid.\nunsafe fn f(p: *const u8) {}\n"}, nil},
		{"unsafe in string", map[string]string{"a.rs": hdr + "let s = \"unsafe { }\";\n"}, nil},
		{"unsafe in raw string", map[string]string{"a.rs": hdr + "let s = r#\"unsafe { \"quoted\" }\"#;\n"}, nil},
		{"unsafe in comments", map[string]string{"a.rs": hdr + "// unsafe { }\n/* unsafe { /* nested */ unsafe { } */\n"}, nil},
		{"lifetime is not a char literal", map[string]string{"a.rs": hdr + "fn f<'a>(x: &'a u8) { unsafe { g() } }\n"}, []string{"a.rs:2:23 style::safety"}},
		{"char literals", map[string]string{"a.rs": hdr + "let q = '\"'; let b = '\\''; unsafe { g() }\n"}, []string{"a.rs:2:28 style::safety"}},
		{"identifier containing unsafe", map[string]string{"a.rs": hdr + "fn not_unsafe_at_all() { my_unsafe(); }\n"}, nil},
		{"attribute between comment and block", map[string]string{"a.rs": hdr + "// SAFETY: fine\n#[allow(unused)]\nunsafe { g() }\n"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range tt.files {
				files[k] = []byte(v)
			}
			var got []string
			for _, d := range styleProblems(files) {
				got = append(got, fmt.Sprintf("%s:%d:%d %s", d.File, d.Line, d.Column, d.Code))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func FuzzFindUnsafe(f *testing.F) {
	for _, s := range []string{"unsafe { }", "r#\"x\"#", "'a'", "/* /* */", "\"\\", "'\\u{1F600}'", "br\"x\""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		lines := strings.Split(src, "\n")
		for _, u := range findUnsafe(src) {
			if u.line < 1 || u.line > len(lines) || u.col < 1 || u.col-1 > len(lines[u.line-1]) {
				t.Fatalf("position %d:%d outside the input", u.line, u.col)
			}
			hasSafetyComment(lines, u.line, u.col)
		}
	})
}

func TestForbidden(t *testing.T) {
	rules := []course.SourceRule{
		{Pattern: regexp.MustCompile(`let\s+_\s*=`), Why: "handle the Result"},
		{Pattern: regexp.MustCompile(`#!?\[allow\(`), Why: "write the docs"},
	}
	tests := []struct {
		name string
		src  string
		want []string // "line:col message"
	}{
		{"clean", "fn f() -> Result { g()?; Ok(()) }\n", nil},
		{"let underscore", "fn f() {\n    let _ = g();\n}\n", []string{"2:5 `let _ =` is ruled out in this exercise: handle the Result"}},
		{"no space", "let _=g();\n", []string{"1:1 `let _=` is ruled out in this exercise: handle the Result"}},
		{"named binding is fine", "let _guard = lock();\n", nil},
		{"in a comment", "// let _ = g(); would lose the error\nfn f() {} // #![allow(missing_docs)]\n", nil},
		{"in a string", "pr_info!(\"let _ = // not code\");\n", []string{"1:11 `let _ =` is ruled out in this exercise: handle the Result"}},
		{"crate attribute", "#![allow(missing_docs)]\n", []string{"1:1 `#![allow(` is ruled out in this exercise: write the docs"}},
		{"one report per line", "#[allow(x)] let _ = g();\n", []string{"1:13 `let _ =` is ruled out in this exercise: handle the Result"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, d := range forbidden(map[string][]byte{"a.rs": []byte(tt.src), "Kbuild": []byte("let _ = x\n")}, rules) {
				got = append(got, fmt.Sprintf("%d:%d %s", d.Line, d.Column, d.Message))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
