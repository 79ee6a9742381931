package course

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/Masterminds/semver/v3"
)

// copyPack copies testdata/<name> into a temporary directory, so tests can add what git
// cannot be trusted to keep (symlinks, build droppings).
func copyPack(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "pack")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	return dst
}

func loadDir(t *testing.T, dir string) (*Course, error) {
	t.Helper()
	fsys, err := OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return Load(fsys)
}

func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var ps *Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error = %v, want *Problems", err)
	}
	return ps.List
}

func TestValidPackLoads(t *testing.T) {
	c, err := loadDir(t, filepath.Join("testdata", "good"))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.ID != "test-course" || c.Title != "A test course" || c.Reveal != RevealAlways {
		t.Errorf("course = %q %q %q", c.ID, c.Title, c.Reveal)
	}
	var ids []string
	for _, l := range c.Lessons {
		ids = append(ids, l.ID)
	}
	if want := []string{"why-rust", "first-module"}; !slices.Equal(ids, want) {
		t.Errorf("lessons = %v, want %v (README.md skipped, ordered by order)", ids, want)
	}

	why := c.Lesson("why-rust")
	if why == nil || len(why.Quiz) != 2 || why.Quiz[0].Answer != 1 || why.Quiz[1].Choices[1] != "6.1" {
		t.Fatalf("why-rust quiz = %+v", why)
	}
	if !why.Kernel.Check(mustVersion(t, "6.1.0")) || why.Kernel.Check(mustVersion(t, "5.19.0")) {
		t.Errorf("why-rust kernel range %q misparsed", why.KernelRaw)
	}

	ex := c.Exercise("hello-module")
	if ex == nil || ex.Lesson != c.Lesson("first-module") || ex.Snippet != c.Snippet("hello") {
		t.Fatalf("exercise hello-module not linked: %+v", ex)
	}
	if want := []Stage{StageBuild, StageModinfo, StageStyle}; !slices.Equal(ex.Stages, want) {
		t.Errorf("stages = %v, want %v", ex.Stages, want)
	}
	if len(ex.Hints) != 2 || !ex.AllowWarnings || ex.Line != 8 ||
		!slices.Equal(ex.Success.Modinfo, []string{"author", "description"}) ||
		!slices.Equal(ex.Success.Log, []string{"hello: Hello"}) {
		t.Errorf("exercise fields = %+v", ex)
	}
	if got := c.Exercises(); len(got) != 1 || got[0] != ex {
		t.Errorf("Exercises() = %v", got)
	}

	hello := c.Snippet("hello")
	if hello.Starter == nil || hello.Starter.Stage != StageBuild || hello.Starter.Error != "E0425" || hello.Expect != OutcomeBuilds {
		t.Errorf("hello metadata = %+v", hello)
	}
	uam := c.Snippet("use_after_move")
	if uam.Expect != OutcomeFails || uam.ExpectError != "E0382" || uam.Starter != nil || len(uam.StarterFiles) != 0 {
		t.Errorf("use_after_move metadata = %+v", uam)
	}

	if got, want := c.KernelFragment(nil), []ConfigOption{{"NET", ""}, {"NETDEVICES", "m"}, {"PHYLIB", "y"}, {"RUST", ""}}; !reflect.DeepEqual(got, want) {
		t.Errorf("KernelFragment = %v, want %v", got, want)
	}
	if got := c.Lesson("first-module").IncludedSnippets(); !slices.Equal(got, []string{"hello", "use_after_move"}) {
		t.Errorf("IncludedSnippets = %v", got)
	}
	if got := why.IncludedSnippets(); len(got) != 0 {
		t.Errorf("IncludedSnippets counts a directive inside a code block: %v", got)
	}
}

func mustVersion(t *testing.T, v string) *semver.Version {
	t.Helper()
	ver, err := semver.NewVersion(v)
	if err != nil {
		t.Fatal(err)
	}
	return ver
}

func TestFiles(t *testing.T) {
	c, err := loadDir(t, filepath.Join("testdata", "good"))
	if err != nil {
		t.Fatal(err)
	}
	hello := c.Snippet("hello")
	read := func(p string) string {
		data, err := os.ReadFile(filepath.Join("testdata", "good", "snippets", "hello", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct {
		v    Variant
		want map[string]string
	}{
		{VariantSrc, map[string]string{
			"Kbuild":        read("Kbuild"), // shared
			"hello.rs":      read("src/hello.rs"),
			"sub/notes.txt": read("src/sub/notes.txt"),
		}},
		{VariantStarter, map[string]string{
			"Kbuild":   read("starter/Kbuild"), // the starter's own replaces the shared one
			"hello.rs": read("starter/hello.rs"),
		}},
	}
	for _, tt := range tests {
		files, err := c.Files(hello, tt.v)
		if err != nil {
			t.Fatalf("Files(%v): %v", tt.v, err)
		}
		got := map[string]string{}
		for name, data := range files {
			got[name] = string(data)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Files(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if _, err := c.Files(c.Snippet("use_after_move"), VariantStarter); !errors.Is(err, ErrNoStarter) {
		t.Errorf("starter of a snippet without one: err = %v, want ErrNoStarter", err)
	}
}

// TestPlantedDefects is the acceptance test for validation: a pack with ten defects, one of
// each kind, yields exactly ten problems, each at the right place.
func TestPlantedDefects(t *testing.T) {
	tmp := t.TempDir()
	pack := filepath.Join(tmp, "pack")
	if err := os.CopyFS(pack, os.DirFS(filepath.Join("testdata", "defects"))); err != nil {
		t.Fatal(err)
	}
	// Defect 9, made here because git does not keep symlinks reliably: a link that resolves
	// outside the pack root (to a file that exists, so only the escape is wrong).
	if err := os.WriteFile(filepath.Join(tmp, "outside.rs"), []byte("secret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../outside.rs", filepath.Join(pack, "snippets/hello/src/leak.rs")); err != nil {
		t.Fatal(err)
	}

	_, err := loadDir(t, pack)
	got := problemsOf(t, err)
	want := []struct{ where, msg string }{
		{"lessons/01-intro.md:5", `unknown key "difficulty"`},
		{"lessons/01-intro.md:14", "snippet nostarter has no starter"},
		{"lessons/01-intro.md:20", `no such region "nope" (regions in the file: init)`},
		{"lessons/01-intro.md:21", `include path "../outside.rs" escapes the snippet library`},
		{"lessons/02-broken.md:3", "malformed front matter: mapping values are not allowed"},
		{"lessons/03-more.md:6", `exercise id "hello-module" is already used by lessons/01-intro.md:7`},
		{"lessons/03-more.md:13", `no snippet "missing_snippet"`},
		{"snippets/badrange/snippet.yaml:2", `kernel ">= six" is not a version range`},
		{"snippets/hello/src/leak.rs", "symlink points outside the course folder (it links to ../../../../outside.rs)"},
		{"snippets/nokbuild/snippet.yaml:1", "no Kbuild for src/"},
	}
	for _, p := range got {
		t.Log(p)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d", len(got), len(want))
	}
	for i, w := range want {
		if s := got[i].String(); !strings.HasPrefix(s, w.where+": ") || !strings.Contains(s, w.msg) {
			t.Errorf("problem %d = %q, want %s: ...%s...", i+1, s, w.where, w.msg)
		}
	}
}

// basePack is a small valid course for the table tests to break one way each. Line numbers in
// the tests refer to these texts.
func basePack() fstest.MapFS {
	return fstest.MapFS{
		"lessons/course.yaml": {Data: []byte("id: base\ntitle: Base\nkernel_config: [RUST, FOO=y]\n")},
		"lessons/01-a.md": {Data: []byte(`---
id: a
title: A
order: 1
exercises:
  - id: ex
    title: Ex
    snippet: s
    task: Do it.
    hints: [one, two]
quiz:
  - id: q
    question: Why?
    choices: [x, y]
    answer: 1
    explain: Because.
---
Text.

{{#include s/src/s.rs:r}}
`)},
		"snippets/s/snippet.yaml": {Data: []byte("title: S\nstarter:\n  stage: build\n")},
		"snippets/s/Kbuild":       {Data: []byte("obj-m := s.o\n")},
		"snippets/s/src/s.rs":     {Data: []byte("// SPDX-License-Identifier: GPL-2.0\n// ANCHOR: r\nfn r() {}\n// ANCHOR_END: r\n")},
		"snippets/s/starter/s.rs": {Data: []byte("// SPDX-License-Identifier: GPL-2.0\n")},
	}
}

func TestBasePackLoads(t *testing.T) {
	if _, err := Load(basePack()); err != nil {
		t.Fatal(err)
	}
}

func TestProblemKinds(t *testing.T) {
	// edit replaces old with new in file, failing when old is not there.
	type edit func(t *testing.T, m fstest.MapFS)
	replace := func(file, old, new string) edit {
		return func(t *testing.T, m fstest.MapFS) {
			f := m[file]
			if f == nil || !strings.Contains(string(f.Data), old) {
				t.Fatalf("%s has no %q", file, old)
			}
			m[file] = &fstest.MapFile{Data: []byte(strings.Replace(string(f.Data), old, new, 1))}
		}
	}
	set := func(file, data string) edit {
		return func(_ *testing.T, m fstest.MapFS) { m[file] = &fstest.MapFile{Data: []byte(data)} }
	}
	link := func(file, target string) edit {
		return func(_ *testing.T, m fstest.MapFS) {
			m[file] = &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
		}
	}
	remove := func(file string) edit {
		return func(_ *testing.T, m fstest.MapFS) { delete(m, file) }
	}
	const lesson = "lessons/01-a.md"

	tests := []struct {
		name  string
		edits []edit
		want  []string // "file:line: part of the message", in sorted order
	}{
		{"fewer than two hints", []edit{replace(lesson, "hints: [one, two]", "hints: [one]")},
			[]string{"lessons/01-a.md:10: exercise ex: needs at least 2 hints"}},
		{"no hints", []edit{replace(lesson, "    hints: [one, two]\n", "")},
			[]string{`lessons/01-a.md:6: exercise ex: missing required key "hints"`}},
		{"quiz answer out of range", []edit{replace(lesson, "answer: 1", "answer: 3")},
			[]string{"lessons/01-a.md:15: question q: answer 3 is out of range"}},
		{"quiz answer not a number", []edit{replace(lesson, "answer: 1", "answer: x")},
			[]string{`lessons/01-a.md:15: question q: answer must be a whole number, not "x"`}},
		{"unknown stage", []edit{replace(lesson, "    hints:", "    stages: [build, bake]\n    hints:")},
			[]string{`lessons/01-a.md:10: exercise ex: unknown stage "bake"`}},
		{"starter fails at a stage the exercise does not run", []edit{
			replace(lesson, "    hints:", "    stages: [style]\n    hints:")},
			[]string{"lessons/01-a.md:8: exercise ex: snippet s's starter fails at stage build, which this exercise does not run"}},
		{"unknown key with a suggestion", []edit{replace(lesson, "    title: Ex", "    title: Ex\n    hint: [a, b]")},
			[]string{`lessons/01-a.md:8: exercise ex: unknown key "hint" (did you mean "hints"?)`}},
		{"repeated key", []edit{replace(lesson, "title: A\n", "title: A\ntitle: B\n")},
			[]string{`lessons/01-a.md:4: key "title" repeats (first at line 3)`}},
		{"bad id", []edit{replace(lesson, "id: a\n", "id: Lesson_A\n")},
			[]string{`lessons/01-a.md:2: id "Lesson_A" must be lowercase letters`}},
		{"expect fails without error", []edit{
			set("snippets/f/snippet.yaml", "title: F\nexpect: fails\n"),
			set("snippets/f/Kbuild", "obj-m := f.o\n"),
			set("snippets/f/src/f.rs", "\n")},
			[]string{"snippets/f/snippet.yaml:2: expect: fails needs error"}},
		{"exercise on a snippet that must fail", []edit{
			replace("snippets/s/snippet.yaml", "title: S\n", "title: S\nexpect: fails\nerror: E0382\n")},
			[]string{"lessons/01-a.md:8: exercise ex: snippet s has expect: fails"}},
		{"hand-written rust fence", []edit{replace(lesson, "Text.\n", "Text.\n```rust,ignore\nfn x() {}\n```\n")},
			[]string{"lessons/01-a.md:19: hand-written rust code block"}},
		{"directive not on its own line", []edit{replace(lesson, "Text.", "See {{#include s/src/s.rs}} here.")},
			[]string{"lessons/01-a.md:18: a directive must be {{#include snippet/path}}"}},
		{"course.yaml missing", []edit{remove("lessons/course.yaml")},
			[]string{"lessons/course.yaml: missing"}},
		{"course.yaml invalid", []edit{set("lessons/course.yaml", "id: base\ntitle: Base\nreveal: sometimes\n")},
			[]string{`lessons/course.yaml:3: reveal must be after-pass, always or never, not "sometimes"`}},
		{"course.yaml malformed", []edit{set("lessons/course.yaml", "id: base\n  title: Base\n")},
			[]string{"lessons/course.yaml:2: malformed YAML"}},
		{"course.yaml config with prefix", []edit{set("lessons/course.yaml", "id: base\ntitle: Base\nkernel_config:\n  - CONFIG_RUST\n")},
			[]string{`lessons/course.yaml:4: kernel_config: write "RUST" without the CONFIG_ prefix`}},
		{"no course folder at all", []edit{remove("lessons/course.yaml"), remove(lesson)},
			[]string{"lessons/course.yaml: missing: a course folder holds"}},
		{"no lessons", []edit{remove(lesson)},
			[]string{"lessons: no lessons"}},
		{"duplicate lesson id", []edit{set("lessons/02-b.md", "---\nid: a\ntitle: B\norder: 2\n---\n")},
			[]string{`lessons/02-b.md:2: lesson id "a" is already used by lessons/01-a.md:2`}},
		{"duplicate question id", []edit{replace(lesson, "---\nText.", "  - id: q\n    question: Again?\n    choices: [x, y]\n    answer: 2\n    explain: Yes.\n---\nText.")},
			[]string{`lessons/01-a.md:17: question id "q" is already used in this lesson (line 12)`}},
		{"absolute include path", []edit{replace(lesson, "{{#include s/src/s.rs:r}}", "{{#include /etc/passwd}}")},
			[]string{`lessons/01-a.md:20: include path "/etc/passwd" is absolute`}},
		{"include of a missing file", []edit{replace(lesson, "s/src/s.rs:r", "s/src/nope.rs")},
			[]string{`lessons/01-a.md:20: include "s/src/nope.rs": snippet s has no file src/nope.rs`}},
		{"include of a missing snippet", []edit{replace(lesson, "s/src/s.rs:r", "zz/src/zz.rs")},
			[]string{`lessons/01-a.md:20: include "zz/src/zz.rs": no snippet "zz"`}},
		{"include of an unclosed region", []edit{replace("snippets/s/src/s.rs", "// ANCHOR_END: r\n", "")},
			[]string{`lessons/01-a.md:20: include "s/src/s.rs:r": region "r" has no ANCHOR_END`}},
		{"snippet without src", []edit{remove("snippets/s/src/s.rs")},
			[]string{
				`lessons/01-a.md:20: include "s/src/s.rs:r": snippet s has no file src/s.rs`,
				"snippets/s/snippet.yaml:1: no src/ folder",
			}},
		{"starter block without starter folder", []edit{remove("snippets/s/starter/s.rs")},
			[]string{"snippets/s/snippet.yaml:2: starter: is set but there is no starter/ folder"}},
		{"starter folder without starter block", []edit{set("snippets/s/snippet.yaml", "title: S\n")},
			[]string{"lessons/01-a.md:8: exercise ex: snippet s has a starter/ folder but no starter: block"}},
		{"starter without Kbuild", []edit{remove("snippets/s/Kbuild"), set("snippets/s/src/Kbuild", "obj-m := s.o\n")},
			[]string{"snippets/s/snippet.yaml:1: no Kbuild for starter/"}},
		{"forbid pattern that is not a regexp", []edit{replace(lesson, "    hints:", "    forbid: [{pattern: \"let (\", why: w}]\n    hints:")},
			[]string{`lessons/01-a.md:10: forbid: pattern "let (" is not a regular expression`}},
		{"forbid without the style stage", []edit{replace(lesson, "    hints:", "    stages: [build]\n    forbid: [{pattern: x, why: w}]\n    hints:")},
			[]string{`lessons/01-a.md:11: forbid: rules run in the style stage, which this exercise does not run`}},
		{"shortcut edit that does not apply", []edit{set("snippets/s/snippet.yaml",
			"title: S\nstarter:\n  stage: build\nshortcuts:\n  - name: gone\n    edits: [{file: s.rs, replace: \"fn q()\", with: \"fn z()\"}]\n    fails: build\n    because: E0425\n")},
			[]string{`snippets/s/snippet.yaml:5: shortcut "gone": s.rs does not contain "fn q()"`}},
		{"shortcut on a file the solution lacks", []edit{set("snippets/s/snippet.yaml",
			"title: S\nstarter:\n  stage: build\nshortcuts:\n  - name: elsewhere\n    edits: [{file: t.rs, replace: x, with: y}]\n    fails: build\n    because: E0425\n")},
			[]string{`snippets/s/snippet.yaml:5: shortcut "elsewhere": the solution has no file t.rs`}},
		{"shortcut failing at a stage the exercise does not run", []edit{set("snippets/s/snippet.yaml",
			"title: S\nstarter:\n  stage: build\nshortcuts:\n  - name: late\n    edits: [{file: s.rs, replace: \"fn r()\", with: \"fn q()\"}]\n    fails: boot\n    because: panic\n"),
			replace(lesson, "    hints:", "    stages: [build]\n    hints:")},
			[]string{`lessons/01-a.md:8: exercise ex: snippet s's shortcut "late" must fail at stage boot, which this exercise does not run`}},
		{"starter error code at a non-build stage", []edit{
			set("snippets/s/snippet.yaml", "title: S\nstarter:\n  stage: style\n  error: E0425\n"),
			replace(lesson, "    hints:", "    stages: [build, style]\n    hints:")},
			[]string{"snippets/s/snippet.yaml:4: starter: error only applies with stage: build"}},
		{"malformed error code", []edit{set("snippets/s/snippet.yaml", "title: S\nexpect: fails\nerror: 382\nstarter: {stage: build}\n")},
			[]string{
				"lessons/01-a.md:8: exercise ex: snippet s has expect: fails",
				`snippets/s/snippet.yaml:3: error "382" is not a rustc error code`,
			}},
		{"missing snippet.yaml", []edit{set("snippets/t/Kbuild", "obj-m := t.o\n")},
			[]string{"snippets/t: no snippet.yaml"}},
		{"exercise on a snippet without snippet.yaml reports only that", []edit{remove("snippets/s/snippet.yaml")},
			[]string{"snippets/s: no snippet.yaml"}},
		{"bad snippet folder name", []edit{set("snippets/Bad-Name/snippet.yaml", "title: B\n")},
			[]string{`snippets/Bad-Name: snippet folder name "Bad-Name" must be lowercase`}},
		{"config contradiction", []edit{replace("snippets/s/snippet.yaml", "title: S\n", "title: S\nconfig: [FOO=m]\n")},
			[]string{"snippets/s/snippet.yaml:2: config FOO=m contradicts FOO=y at lessons/course.yaml:3"}},
		{"absolute symlink", []edit{link("snippets/s/src/leak.rs", "/etc/passwd")},
			[]string{"snippets/s/src/leak.rs: symlink points outside the course folder (it links to /etc/passwd)"}},
		{"symlinked snippet folder leading outside", []edit{link("snippets/u", "../../elsewhere")},
			[]string{"snippets/u: symlink points outside the course folder"}},
		{"symlink loop", []edit{link("snippets/s/src/a.rs", "b.rs"), link("snippets/s/src/b.rs", "a.rs")},
			[]string{
				"snippets/s/src/a.rs: symlink to b.rs: too many levels of symlinks",
				"snippets/s/src/b.rs: symlink to a.rs: too many levels of symlinks",
			}},
		{"symlinks inside the course are fine", []edit{
			link("snippets/s/src/alias.rs", "s.rs"), link("snippets/s/src/up", ".."), link("lessons/02-same.md", "../lessons/01-a.md")},
			// The linked lesson is a second lesson with the same ids, which is the only problem.
			[]string{
				`lessons/02-same.md:2: lesson id "a" is already used by lessons/01-a.md:2`,
				`lessons/02-same.md:6: exercise id "ex" is already used by lessons/01-a.md:6`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := basePack()
			for _, e := range tt.edits {
				e(t, m)
			}
			_, err := Load(m)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return
			}
			got := problemsOf(t, err)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tt.want), err)
			}
			for i, w := range tt.want {
				where, msg, _ := strings.Cut(w, ": ")
				if s := got[i].String(); !strings.HasPrefix(s, where+": ") || !strings.Contains(s, msg) {
					t.Errorf("problem %d = %q\nwant        %q", i+1, s, w)
				}
			}
		})
	}
}

// TestBuildDroppingsIgnored: running make inside a snippet folder must not change what
// learners receive.
func TestBuildDroppingsIgnored(t *testing.T) {
	pack := copyPack(t, "good")
	src := filepath.Join(pack, "snippets", "hello", "src")
	for _, name := range []string{"hello.o", "hello.ko", "hello.mod", "hello.mod.c", "hello.mod.o", "modules.order", "Module.symvers", ".hello.o.cmd"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := loadDir(t, pack)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range c.Snippet("hello").Src {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"Kbuild", "hello.rs", "sub/notes.txt"}; !slices.Equal(names, want) {
		t.Errorf("src files = %v, want %v", names, want)
	}
}

// TestSymlinkedDirectoryInside: a snippet folder may link to another inside the course, and
// a link back up the tree does not make listing endless.
func TestSymlinkedDirectoryInside(t *testing.T) {
	pack := copyPack(t, "good")
	if err := os.Symlink("hello", filepath.Join(pack, "snippets", "hello_again")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../..", filepath.Join(pack, "snippets", "hello", "src", "loop")); err != nil {
		t.Fatal(err)
	}
	c, err := loadDir(t, pack)
	if err != nil {
		t.Fatal(err)
	}
	again := c.Snippet("hello_again")
	if again == nil {
		t.Fatal("hello_again not loaded")
	}
	files, err := c.Files(again, VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := files["hello.rs"]; !ok || len(files) > 50 {
		t.Errorf("hello_again src = %d files: %v", len(files), slices.Sorted(maps.Keys(files)))
	}
}

func TestProblemString(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{"lessons/a.md", 3, "bad"}, "lessons/a.md:3: bad"},
		{Problem{"snippets/x", 0, "no snippet.yaml"}, "snippets/x: no snippet.yaml"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
	err := (&problems{list: []Problem{{"b", 2, "two"}, {"a", 9, "one"}, {"b", 1, "three"}}}).err()
	if got, want := err.Error(), "a:9: one\nb:1: three\nb:2: two"; got != want {
		t.Errorf("Problems.Error() = %q, want %q", got, want)
	}
	if err := (&problems{}).err(); err != nil {
		t.Errorf("no problems: err = %v, want nil", err)
	}
}

func ExampleProblems() {
	_, err := Load(fstest.MapFS{"lessons/course.yaml": {Data: []byte("id: x\ntitle: X\nreveal: later\n")}})
	fmt.Println(err)
	// Output:
	// lessons: no lessons: a lesson is a .md file with front matter (see the format in lessons/README.md)
	// lessons/course.yaml:3: reveal must be after-pass, always or never, not "later"
}

// A starter file no learner could receive (a subfolder, an editor backup) is the pack's error
// at load time, not every learner command's later.
func TestStarterFileNamesValidated(t *testing.T) {
	for _, name := range []string{"sub/helper.rs", "hello.rs~", "#hello.rs#", "notes.txt"} {
		t.Run(name, func(t *testing.T) {
			pack := copyPack(t, "good")
			p := filepath.Join(pack, "snippets", "hello", "starter", name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("// x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := loadDir(t, pack)
			if err == nil || !strings.Contains(err.Error(), "a starter holds only the learner's files") || !strings.Contains(err.Error(), name) {
				t.Fatalf("loading a starter with %s: %v", name, err)
			}
		})
	}
}

func TestPackSizeLimits(t *testing.T) {
	pack := copyPack(t, "good")
	big := filepath.Join(pack, "lessons", "50-huge.md")
	if err := os.WriteFile(big, bytes.Repeat([]byte("a"), MaxPackFile+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := loadDir(t, pack)
	if err == nil || !strings.Contains(err.Error(), "50-huge.md") || !strings.Contains(err.Error(), "a pack's files may be 1024 KiB at most") {
		t.Fatalf("a 1 MiB lesson: %v", err)
	}
	if err := os.Remove(big); err != nil {
		t.Fatal(err)
	}
	for i := range MaxPackSize/MaxPackFile + 1 {
		p := filepath.Join(pack, "snippets", "hello", "src", fmt.Sprintf("filler%02d.rs", i))
		if err := os.WriteFile(p, bytes.Repeat([]byte("/"), MaxPackFile), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := loadDir(t, pack); err == nil || !strings.Contains(err.Error(), "a pack may hold 32 MiB at most") {
		t.Fatalf("a 33 MiB pack: %v", err)
	}
}
