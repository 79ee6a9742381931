package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/library"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

const plantedPack = "../../internal/library/testdata/planted"

// isolateCache keeps the library's result cache out of the developer's.
func isolateCache(t *testing.T) {
	t.Helper()
	isolate(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
}

func TestLibraryCommandsEnvironmentErrors(t *testing.T) {
	isolateCache(t)
	missing := filepath.Join(t.TempDir(), "no-tree")
	for _, args := range [][]string{
		{"snippets", "check", "--kdir", missing},
		{"course", "check", "--kdir", missing},
		{"snippets", "check", "--course", filepath.Join(t.TempDir(), "no-pack")},
		// The built-in course is compiled in: there is no folder to write the lock into.
		{"course", "check", "--write-ids"},
	} {
		_, errOut, code := cli(t, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

func TestSnippetsCheckPlantedPack(t *testing.T) {
	kdir := testkernel.Dir(t)
	isolateCache(t)
	junit := filepath.Join(t.TempDir(), "snippets.xml")
	out, errOut, code := cli(t, "snippets", "check", "--course", plantedPack, "--kdir", kdir, "--json", "--junit", junit)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (two snippets misbehave): %s", code, errOut)
	}
	var rep struct {
		Snippets []struct {
			ID      string `json:"id"`
			Results []struct {
				Status string `json:"status"`
				Reason string `json:"reason"`
			} `json:"results"`
		} `json:"snippets"`
		Failed, Skipped int
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	statuses := map[string]string{}
	for _, s := range rep.Snippets {
		statuses[s.ID] = s.Results[0].Status
	}
	for id, want := range map[string]string{"should_build": "fail", "should_fail": "fail", "future_only": "skip", "good_module": "pass", "dup_two": "pass"} {
		if statuses[id] != want {
			t.Errorf("%s: %s, want %s", id, statuses[id], want)
		}
	}
	b, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil || doc.Failures != 2 || doc.Skipped != 1 {
		t.Errorf("JUnit: %v %+v\n%s", err, doc, b)
	}

	// The table, from the cache this time.
	out, _, code = cli(t, "snippets", "check", "--course", plantedPack, "--kdir", kdir)
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{
		"should_build    builds       ✗ expected to build: should_build.rs:19:27: error[E0308]: mismatched types",
		"should_fail     fails E0382  ✗ expected to fail with E0382, but it builds",
		"future_only     builds       skipped needs kernel >= 7.0",
		"6 passed, 2 failed, 1 skipped",
		"8 cached",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("plain output carries escape sequences")
	}
}

func TestCourseCheckPlantedPack(t *testing.T) {
	kdir := testkernel.Dir(t)
	isolateCache(t)
	tree, err := kernel.Open(kdir)
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := cli(t, "course", "check", "--course", plantedPack, "--kdir", kdir)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"\nlessons/01-planted.md:14: exercise needs-alias: on " + tree.Release + " the solution fails at stage modinfo: no alias in .modinfo",
		"\nsnippets/orphan_snippet: snippet orphan_snippet is orphaned",
		"\nsnippets/starter_passes/snippet.yaml: exercise starter-passes: on " + tree.Release + " the starter already passes every stage",
		"FAIL: 3 problem(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// A pack that does not load stops the course check with its problems, file:line each.
func TestCourseCheckBrokenPack(t *testing.T) {
	isolateCache(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lessons"), 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"lessons/course.yaml": "id: broken\ntitle: Broken\n",
		"lessons/01-a.md":     "---\nid: a\ntitle: A\norder: 1\n---\n```rust\nfn main() {}\n```\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, errOut, code := cli(t, "course", "check", "--course", dir, "--kdir", filepath.Join(dir, "unused"))
	if code != 2 || !strings.Contains(errOut, "lessons/01-a.md:6: hand-written rust code block") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
}

// The built-in course passes both checks on the real tree; the second snippets check is
// answered from the cache.
func TestBuiltInCoursePassesBothChecks(t *testing.T) {
	kdir := testkernel.Dir(t)
	isolateCache(t)
	out, errOut, code := cli(t, "snippets", "check", "--kdir", kdir)
	if code != 0 {
		t.Fatalf("snippets check: exit %d: %s\n%s", code, errOut, out)
	}
	out, errOut, code = cli(t, "course", "check", "--kdir", kdir)
	if code != 0 || !strings.Contains(out, "PASS: no problems") {
		t.Fatalf("course check: exit %d: %s\n%s", code, errOut, out)
	}
	start := time.Now()
	out, _, code = cli(t, "snippets", "check", "--kdir", kdir)
	if took := time.Since(start); code != 0 || took > 500*time.Millisecond || strings.Contains(out, "built in") {
		t.Errorf("warm snippets check: exit %d in %s:\n%s", code, took, out)
	}
}

// With two trees the table holds marks and a block below it gives, per snippet that breaks
// somewhere, each tree's verdict side by side, wrapped to fit the width.
func TestSnippetsDriftReport(t *testing.T) {
	long := "expected to build: blk_driver.rs:42:17: error[E0277]: `*mut bindings::blk_mq_tag_set` cannot be shared between threads safely; within `TagSet<QueueOps>`, the trait `Sync` is not implemented"
	rep := &library.Report{
		Trees: []library.TreeInfo{{Release: "6.12.118", Dir: "/k/612"}, {Release: "7.3.4", Dir: "/k/73"}},
		Snippets: []library.SnippetResult{
			{ID: "hello_module", Expect: course.OutcomeBuilds, Results: []library.Verdict{{Status: library.Pass}, {Status: library.Pass}}},
			{ID: "blk_driver", Expect: course.OutcomeBuilds, Results: []library.Verdict{{Status: library.Pass}, {Status: library.Fail, Reason: long}}},
			{ID: "kunit_case", Expect: course.OutcomeBuilds, Results: []library.Verdict{{Status: library.Skip, Reason: "needs CONFIG_KUNIT"}, {Status: library.Pass}}},
		},
		Passed: 4, Failed: 1, Skipped: 1,
	}
	var out bytes.Buffer
	a := &app{stdout: &out}
	a.printSnippetsReport(rep)
	got := out.String()
	for _, want := range []string{
		"Where they differ",
		"  blk_driver\n    6.12.118  ✓ passes\n    7.3.4     ✗ expected to build: blk_driver.rs:42:17: error[E0277]:",
		"  kunit_case\n    6.12.118  skipped needs CONFIG_KUNIT\n    7.3.4     ✓ passes",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "  hello_module\n") {
		t.Errorf("a snippet that passes everywhere is in the drift block:\n%s", got)
	}
	for _, l := range strings.Split(got, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line of %d columns (want ≤ 80 off a terminal): %q", w, l)
		}
	}
	if !strings.Contains(got, "\n              ") {
		t.Errorf("the long reason was not wrapped under its text:\n%s", got)
	}
}
