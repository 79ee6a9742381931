package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// escapeTexts are what a hostile pack puts in its texts: set the clipboard, retitle the window,
// wipe the screen, hide a link, ring the bell, and a C1 CSI.
var escapeTexts = []string{"\x1b]52;c;ZWNobyBwd25lZA==\x07", "\x1b]0;pwned\x07", "\x1b[2J", "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "\a", "\u009b31m"}

// escapePack is the TUI tests' small course with escapes planted in a title, the lesson text, a
// hint, the task and the snippet code the lesson shows.
func escapePack(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "pack")
	if err := os.CopyFS(dst, os.DirFS("../../internal/tui/testdata/course")); err != nil {
		t.Fatal(err)
	}
	evil := strings.Join(escapeTexts, "")
	edit := func(rel, old, new string) {
		p := filepath.Join(dst, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s lacks %q", rel, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit("lessons/05-first.md", "title: Your first Rust kernel module", `title: "Your first `+yamlQuoted(evil)+` module"`)
	edit("lessons/05-first.md", "- Read the first error, not the last ones.", `- "Read the first error`+yamlQuoted(evil)+`."`)
	edit("lessons/05-first.md", "A module starts with the `module!` macro:", "A module starts"+evil+" with the `module!` macro:")
	edit("snippets/hello/src/hello.rs", "//! Says hello.", "//! Says hello."+evil)
	return dst
}

func TestNoEscapeFromAPackReachesTheTerminal(t *testing.T) {
	isolate(t)
	pack := escapePack(t)
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"show", "first-module"}, {"hint", "hello-module"}, {"progress"},
	} {
		out, errOut, code := cli(t, append([]string{"--course", pack}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		for _, s := range []string{out, errOut} {
			for _, bad := range []string{"\x1b", "\a", "\u009b", "\u009d"} {
				if strings.Contains(s, bad) {
					t.Errorf("%v printed %q:\n%q", args, bad, s)
				}
			}
		}
		if args[0] == "show" && !strings.Contains(out, "A module starts") {
			t.Errorf("show lost the lesson text:\n%s", out)
		}
		if args[0] == "hint" && !strings.Contains(out, "Read the first error") {
			t.Errorf("hint lost the hint:\n%s", out)
		}
	}
}

// yamlQuoted writes s for a double-quoted YAML string, its controls as YAML escapes (the
// parser refuses raw ones).
func yamlQuoted(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\x1b", `\e`, "\a", `\a`, "\u009b", `\u009b`, "\u009d", `\u009d`).Replace(s)
}
