package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// seedExercise is the first exercise of the course, "Your first Rust kernel module".
const seedExercise = "hello-module"

func realTree(t testing.TB) *kernel.Tree {
	t.Helper()
	tree, err := kernel.Open(testkernel.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func embeddedCourse(t testing.TB) *course.Course {
	t.Helper()
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	if c.Exercise(seedExercise) == nil {
		t.Fatalf("the embedded course has no exercise %q", seedExercise)
	}
	return c
}

func stageStatus(v *Verdict) map[course.Stage]Status {
	m := map[course.Stage]Status{}
	for _, s := range v.Stages {
		m[s.Stage] = s.Status
	}
	return m
}

func TestSeedSolutionPassesEveryStage(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	var events []Event
	v, err := New(tree, c, t.TempDir()).CheckSolution(context.Background(), ex, Options{
		OnEvent: func(e Event) { events = append(events, e) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Passed {
		t.Fatalf("solution failed: %+v\n%s", v.Stages, v.Output)
	}
	for _, s := range course.DefaultStages {
		if stageStatus(v)[s] != Pass {
			t.Errorf("stage %s: %s", s, stageStatus(v)[s])
		}
	}
	var sawOutput, sawDone bool
	for _, e := range events {
		switch e := e.(type) {
		case Output:
			sawOutput = sawOutput || strings.Contains(string(e.Data), "LD [M]")
		case StageDone:
			sawDone = true
		}
	}
	if !sawOutput || !sawDone {
		t.Errorf("events: output with LD [M] %v, stage done %v", sawOutput, sawDone)
	}
}

func TestSeedStarterFailsAsDeclared(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	v, err := New(tree, c, t.TempDir()).CheckStarter(context.Background(), ex, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Passed {
		t.Fatal("the starter passed as shipped")
	}
	want := ex.Snippet.Starter
	if want == nil {
		t.Fatal("the seed snippet declares no starter expectation")
	}
	f := v.FirstFailure()
	if f.Stage != want.Stage {
		t.Fatalf("starter failed at %s (%s), want %s", f.Stage, f.Reason, want.Stage)
	}
	if want.Error != "" && !hasCode(f.Diagnostics, want.Error) {
		t.Fatalf("starter failure lacks %s: %+v", want.Error, f.Diagnostics)
	}
}

func hasCode(ds []diag.Diagnostic, code string) bool {
	for _, d := range ds {
		if d.Code == code {
			return true
		}
	}
	return false
}

// learnerCopy writes the seed solution into a learner folder with edit applied to its .rs file.
func learnerCopy(t *testing.T, c *course.Course, ex *course.Exercise, edit func(string) string) (dir, rsName string) {
	t.Helper()
	files, err := c.Files(ex.Snippet, course.VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	for name, data := range files {
		if strings.HasSuffix(name, ".rs") {
			rsName = name
			data = []byte(edit(string(data)))
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, rsName
}

func TestTypeErrorReportedAtLearnersFile(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	const bad = "        let _oops: u32 = \"not a number\";\n"
	var line int
	dir, rs := learnerCopy(t, c, ex, func(src string) string {
		// Put a type error as the first statement of init.
		lines := strings.SplitAfter(src, "\n")
		for i, l := range lines {
			if strings.Contains(l, "fn init(") {
				line = i + 2
				return strings.Join(lines[:i+1], "") + bad + strings.Join(lines[i+1:], "")
			}
		}
		t.Fatal("no fn init in the seed solution")
		return ""
	})
	v, err := New(tree, c, t.TempDir()).Check(context.Background(), ex, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := v.Stage(course.StageBuild)
	if b.Status != Fail {
		t.Fatalf("build passed with a type error")
	}
	var d *diag.Diagnostic
	for i := range b.Diagnostics {
		if b.Diagnostics[i].Code == "E0308" {
			d = &b.Diagnostics[i]
		}
	}
	if d == nil {
		t.Fatalf("no E0308 among %+v", b.Diagnostics)
	}
	wantFile := filepath.Join(dir, rs)
	col := strings.Index(bad, "\"not") + 1
	if d.File != wantFile || d.Line != line || d.Column != col {
		t.Errorf("E0308 at %s:%d:%d, want %s:%d:%d", d.File, d.Line, d.Column, wantFile, line, col)
	}
	if !strings.Contains(b.Reason, "E0308") {
		t.Errorf("reason %q does not name E0308", b.Reason)
	}
	if stageStatus(v)[course.StageModinfo] != Skip {
		t.Errorf("modinfo should be skipped after a failed build: %+v", v.Stages)
	}
}

func TestNonGPLLicenseFailsWithReason(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	dir, _ := learnerCopy(t, c, ex, func(src string) string {
		out := strings.Replace(src, `license: "GPL"`, `license: "Proprietary"`, 1)
		if out == src {
			t.Fatal(`the seed solution has no license: "GPL"`)
		}
		return out
	})
	v, err := New(tree, c, t.TempDir()).Check(context.Background(), ex, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v.Passed {
		t.Fatal("a proprietary module passed")
	}
	f := v.FirstFailure()
	text := f.Reason
	for _, d := range f.Diagnostics {
		text += "\n" + d.Message
	}
	if !strings.Contains(text, "GPL") {
		t.Errorf("failure at %s does not say why (GPL): %s", f.Stage, text)
	}
}

func TestUnchangedFilesReuseTheVerdict(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	dir, rs := learnerCopy(t, c, ex, func(src string) string {
		return strings.Replace(src, "fn init(", "fn init(\n", 1)
	})
	checker := New(tree, c, t.TempDir())
	first, err := checker.Check(context.Background(), ex, dir, Options{})
	if err != nil || first.Cached {
		t.Fatalf("first check: cached %v, err %v", first != nil && first.Cached, err)
	}
	start := time.Now()
	second, err := checker.Check(context.Background(), ex, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !second.Cached || second.Passed != first.Passed || time.Since(start) > time.Second {
		t.Errorf("second check: cached %v in %v", second.Cached, time.Since(start))
	}
	// Any change builds again, and warnings from an unchanged-but-rebuilt file still show.
	src, _ := os.ReadFile(filepath.Join(dir, rs))
	src = []byte(strings.Replace(string(src), "fn init(", "fn init(\n", 1))
	src = append(src, []byte("\nfn unused_helper() {}\n")...)
	if err := os.WriteFile(filepath.Join(dir, rs), src, 0o644); err != nil {
		t.Fatal(err)
	}
	third, err := checker.Check(context.Background(), ex, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if third.Cached || stageStatus(third)[course.StageWarnings] != Fail {
		t.Errorf("after adding dead code: cached %v, warnings %s", third.Cached, stageStatus(third)[course.StageWarnings])
	}
}

func TestCancelStopsTheBuild(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 1)
	go func() {
		<-started
		time.Sleep(300 * time.Millisecond)
		cancel()
	}()
	scratch := t.TempDir()
	_, err := New(tree, c, scratch).CheckSolution(ctx, ex, Options{NoCache: true, OnEvent: func(e Event) {
		if _, ok := e.(StageStarted); ok {
			select {
			case started <- struct{}{}:
			default:
			}
		}
	}})
	if err == nil {
		t.Fatal("a cancelled check returned a verdict")
	}
	// internal/build asserts the whole process group is gone; here: no make of ours survives.
	if out := survivors(t, scratch); out != "" {
		t.Errorf("processes survived the cancel:\n%s", out)
	}
}

// survivors lists processes whose command line mentions the scratch folder (make M=…, rustc).
func survivors(t *testing.T, scratch string) string {
	t.Helper()
	ents, _ := os.ReadDir("/proc")
	var found []string
	for _, e := range ents {
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue
		}
		cl := strings.ReplaceAll(string(cmdline), "\x00", " ")
		if strings.Contains(cl, scratch) {
			found = append(found, e.Name()+": "+cl)
		}
	}
	return strings.Join(found, "\n")
}
