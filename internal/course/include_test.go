package course

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestMarkdownGolden renders a lesson with whole-file and region includes; the golden file
// is what `show` and the TUI hand to glamour.
func TestMarkdownGolden(t *testing.T) {
	c, err := loadDir(t, filepath.Join("testdata", "good"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"first-module", "why-rust"} {
		got, err := c.Markdown(c.Lesson(id))
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", id+".md")
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("Markdown(%s) differs from %s:\n%s", id, golden, got)
		}
		if strings.Contains(got, "ANCHOR") {
			t.Errorf("Markdown(%s) shows region markers", id)
		}
	}
}

func TestMarkdownReportsProblems(t *testing.T) {
	c, err := Load(basePack())
	if err != nil {
		t.Fatal(err)
	}
	l := c.Lesson("a")
	l.Body += "{{#include s/src/gone.rs}}\n"
	_, err = c.Markdown(l)
	var ps *Problems
	if !errors.As(err, &ps) || len(ps.List) != 1 || ps.List[0].Line != 21 {
		t.Errorf("Markdown of a lesson with a bad include: err = %v", err)
	}
}

func TestExtractRegion(t *testing.T) {
	const text = `// SPDX-License-Identifier: GPL-2.0
// ANCHOR: all
use kernel::prelude::*;
// ANCHOR: impl
impl Foo {
    // ANCHOR: body
    fn f() {
        g();
    }
    // ANCHOR_END: body
}
// ANCHOR_END: impl
// ANCHOR_END: all
// ANCHOR: twice
a();
// ANCHOR_END: twice
b();
// ANCHOR: twice
c();
// ANCHOR_END: twice
`
	tests := []struct {
		region, want, err string
	}{
		{"", "// SPDX-License-Identifier: GPL-2.0\nuse kernel::prelude::*;\nimpl Foo {\n    fn f() {\n        g();\n    }\n}\na();\nb();\nc();", ""},
		{"all", "use kernel::prelude::*;\nimpl Foo {\n    fn f() {\n        g();\n    }\n}", ""},
		{"body", "fn f() {\n    g();\n}", ""}, // dedented
		{"twice", "a();\nc();", ""},
		{"nope", "", `no such region "nope" (regions in the file: all, impl, body, twice)`},
	}
	for _, tt := range tests {
		got, err := extractRegion(text, tt.region)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, errNoRegion) {
				t.Errorf("extractRegion(%q) error = %v, want %q", tt.region, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("extractRegion(%q) = %q, %v\nwant %q", tt.region, got, err, tt.want)
		}
	}
	if _, err := extractRegion("// ANCHOR: open\nx\n", "open"); err == nil || !strings.Contains(err.Error(), "no ANCHOR_END") {
		t.Errorf("unclosed region: err = %v", err)
	}
	if _, err := extractRegion("x\n", "r"); err == nil || !strings.Contains(err.Error(), "marks no regions") {
		t.Errorf("file without regions: err = %v", err)
	}
}

func TestScanMarkdown(t *testing.T) {
	body := "text\n" +
		"```sh\n" + // 1 opens
		"{{#include a/b.rs}}\n" + // 2 inside: literal
		"```\n" + // 3 closes
		"{{#include a/b.rs:r}}\n" + // 4 directive
		"~~~~rust\n" + // 5 opens (tildes)
		"```\n" + // 6 inside: a backtick line does not close a tilde fence
		"~~~~\n" + // 7 closes
		"Inline ```code``` here\n" + // 8 not a fence
		"   {{#include  c/d.rs }}  \n" // 9 directive with spaces
	type want struct {
		code, opens   bool
		info, include string
	}
	wants := []want{
		{}, {true, true, "sh", ""}, {true, false, "", ""}, {true, false, "", ""}, {false, false, "", "a/b.rs:r"},
		{true, true, "rust", ""}, {true, false, "", ""}, {true, false, "", ""}, {}, {false, false, "", "c/d.rs"},
	}
	var got []want
	for _, ml := range scanMarkdown(body) {
		got = append(got, want{ml.code, ml.opens, ml.info, ml.include})
	}
	got = got[:len(got)-1] // the empty string after the last newline
	if !slices.Equal(got, wants) {
		t.Errorf("scanMarkdown:\n got %+v\nwant %+v", got, wants)
	}
}

func TestIsRustFence(t *testing.T) {
	for info, want := range map[string]bool{
		"rust": true, "Rust": true, "rust,ignore": true, "rust no_run": true, "rs": true, "{.rust}": true,
		"": false, "sh": false, "rustc-output": false, "text": false, "c": false,
	} {
		if got := isRustFence(info); got != want {
			t.Errorf("isRustFence(%q) = %v, want %v", info, got, want)
		}
	}
}

func TestFencedAndLanguage(t *testing.T) {
	if got, want := fenced("text", "a\n```\nb"), "````text\na\n```\nb\n````\n"; got != want {
		t.Errorf("fenced = %q, want %q", got, want)
	}
	for file, want := range map[string]string{
		"x/src/a.rs": "rust", "x/Kbuild": "makefile", "x/Makefile": "makefile", "x/a.h": "c", "x/a.c": "c",
		"x/notes.txt": "text", "x/snippet.yaml": "yaml", "x/run.sh": "sh",
	} {
		if got := language(file); got != want {
			t.Errorf("language(%q) = %q, want %q", file, got, want)
		}
	}
}

func TestStripAnchors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\n// ANCHOR: module\nb\n// ANCHOR_END: module\nc\n", "a\nb\nc\n"},
		{"    // ANCHOR: x\n    code\n", "    code\n"},
		{"# ANCHOR: k\nobj-m := x.o\n# ANCHOR_END: k", "obj-m := x.o\n"},
		{`let s = "ANCHOR: not a marker";` + "\n", `let s = "ANCHOR: not a marker";` + "\n"},
		{"no marks", "no marks"},
	}
	for _, tc := range tests {
		if got := string(StripAnchors([]byte(tc.in))); got != tc.want {
			t.Errorf("StripAnchors(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
