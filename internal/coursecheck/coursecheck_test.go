package coursecheck

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/library"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// The planted pack is shared with the library check's tests.
const plantedDir = "../library/testdata/planted"

func load(t *testing.T, dir string) *course.Course {
	t.Helper()
	fsys, err := course.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := course.Load(fsys)
	if err != nil {
		t.Fatalf("%s does not load:\n%v", dir, err)
	}
	return c
}

// copyPack copies the planted pack to a temp folder the test may change.
func copyPack(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(plantedDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(plantedDir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func strs(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.String()
	}
	slices.Sort(out)
	return out
}

func TestOrphans(t *testing.T) {
	got := strs(orphans(load(t, plantedDir)))
	want := []string{"snippets/orphan_snippet: snippet orphan_snippet is orphaned: no exercise uses it and no lesson includes it"}
	if !slices.Equal(got, want) {
		t.Errorf("orphans %q, want %q", got, want)
	}
}

func TestIDsLock(t *testing.T) {
	dir := copyPack(t)
	lock := filepath.Join(dir, "lessons", "ids.lock")

	findings, note := checkIDs(load(t, dir))
	if len(findings) != 0 || !strings.Contains(note, "no lessons/ids.lock") {
		t.Errorf("no lock: %v, note %q", findings, note)
	}

	c := load(t, dir)
	if _, err := WriteIDs(c, dir); err != nil {
		t.Fatal(err)
	}
	written, _ := os.ReadFile(lock)
	for _, line := range []string{"course planted", "lesson planted", "exercise good-exercise", "exercise needs-alias", "exercise starter-passes"} {
		if !strings.Contains(string(written), "\n"+line+"\n") {
			t.Errorf("lock lacks %q:\n%s", line, written)
		}
	}
	if findings, note := checkIDs(load(t, dir)); len(findings) != 0 || note != "" {
		t.Errorf("fresh lock: %v %q", findings, note)
	}

	// A renamed exercise: the old id is gone, the new one unlisted; and a line that is not an id.
	lesson := filepath.Join(dir, "lessons", "01-planted.md")
	text, _ := os.ReadFile(lesson)
	if err := os.WriteFile(lesson, []byte(strings.Replace(string(text), "id: good-exercise", "id: better-exercise", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lock, append(written, "chapter one\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, _ = checkIDs(load(t, dir))
	n := strings.Count(string(written), "\n") + 1
	want := []string{
		`lessons/01-planted.md:7: exercise "better-exercise" is not in lessons/ids.lock: add it (` + "`rfl-tutor course check --write-ids`" + `), so renaming it later is caught`,
		`lessons/ids.lock:` + itoa(n) + `: cannot read "chapter one": each line is ` + "`course|lesson|exercise|question ID`",
		`lessons/ids.lock:` + itoa(lineOf(string(written), "exercise good-exercise")) + `: exercise "good-exercise" is gone: learners' progress and workspaces keyed by it would be orphaned (restore the id, or delete this line to accept that)`,
	}
	if got := strs(findings); !slices.Equal(got, sorted(want)) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(sorted(want), "\n"))
	}
}

func TestStarterProblem(t *testing.T) {
	build := func(status check.Status, codes ...string) check.StageResult {
		r := check.StageResult{Stage: course.StageBuild, Status: status, Reason: "x.rs:1:1: error: broken"}
		for _, c := range codes {
			r.Diagnostics = append(r.Diagnostics, diag.Diagnostic{Severity: diag.SeverityError, Code: c, Origin: diag.OriginRustc})
		}
		return r
	}
	pass := func(s course.Stage) check.StageResult { return check.StageResult{Stage: s, Status: check.Pass} }
	fail := func(s course.Stage) check.StageResult {
		return check.StageResult{Stage: s, Status: check.Fail, Reason: "no author"}
	}
	skip := func(s course.Stage) check.StageResult { return check.StageResult{Stage: s, Status: check.Skip} }
	for _, tc := range []struct {
		name   string
		want   course.StarterExpect
		stages []check.StageResult
		msg    string // a part of the problem; "" for none
	}{
		{"as declared", course.StarterExpect{Stage: course.StageBuild, Error: "E0425"},
			[]check.StageResult{build(check.Fail, "E0425"), skip(course.StageWarnings)}, ""},
		{"declared among others", course.StarterExpect{Stage: course.StageBuild, Error: "E0425"},
			[]check.StageResult{build(check.Fail, "E0308", "E0425")}, ""},
		{"other code", course.StarterExpect{Stage: course.StageBuild, Error: "E0425"},
			[]check.StageResult{build(check.Fail, "E0308")}, "fails to build without E0425"},
		{"no code asked", course.StarterExpect{Stage: course.StageBuild},
			[]check.StageResult{build(check.Fail, "E0308")}, ""},
		{"passes", course.StarterExpect{Stage: course.StageBuild, Error: "E0425"},
			[]check.StageResult{pass(course.StageBuild), pass(course.StageStyle)}, "already passes every stage"},
		{"later stage", course.StarterExpect{Stage: course.StageModinfo},
			[]check.StageResult{pass(course.StageBuild), pass(course.StageWarnings), fail(course.StageModinfo)}, ""},
		{"earlier stage", course.StarterExpect{Stage: course.StageModinfo},
			[]check.StageResult{pass(course.StageBuild), fail(course.StageWarnings), fail(course.StageModinfo)}, "fails at stage warnings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &check.Verdict{Stages: tc.stages}
			got := starterProblem(&tc.want, v)
			if (tc.msg == "") != (got == "") || !strings.Contains(got, tc.msg) {
				t.Errorf("got %q, want %q", got, tc.msg)
			}
		})
	}
}

// The planted pack on the real tree: exactly its problems, one line each.
func TestPlantedCourse(t *testing.T) {
	tree := realTree(t)
	rep, err := Check(context.Background(), load(t, plantedDir), []*kernel.Tree{tree},
		library.Options{Jobs: 2, CacheDir: t.TempDir(), WorkDir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := tree.Release
	want := []string{
		"lessons/01-planted.md:14: exercise needs-alias: on " + r + " the solution fails at stage modinfo: no alias in .modinfo: add `alias: \"…\"` to module!",
		"snippets/orphan_snippet: snippet orphan_snippet is orphaned: no exercise uses it and no lesson includes it",
		"snippets/starter_passes/snippet.yaml: exercise starter-passes: on " + r + " the starter already passes every stage (snippet.yaml says it fails at stage build with E0425)",
	}
	if got := strs(rep.Findings); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.OK() {
		t.Error("the planted pack passed")
	}
	for _, ex := range rep.Exercises {
		on := ex.Trees[0]
		switch ex.ID {
		case "good-exercise":
			if !on.StarterOK || !on.SolutionOK {
				t.Errorf("good-exercise: %+v", on)
			}
		case "starter-passes":
			if on.StarterOK || !on.SolutionOK || !on.Starter.Passed {
				t.Errorf("starter-passes: %+v", on)
			}
		}
	}
}

// The embedded course passes its own authoring check on every tree CI prepares (6.12 and 7.3),
// booting every solution, every starter declared to fail at boot and every shortcut.
func TestEmbeddedCourse(t *testing.T) {
	var trees []*kernel.Tree
	for _, dir := range testkernel.Dirs(t) {
		tree, err := kernel.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		trees = append(trees, tree)
	}
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatalf("the embedded course does not load:\n%v", err)
	}
	// With the boot stage: every solution is booted under QEMU, so each exercise's expected log
	// lines, steps and taint rules are proven against the real kernel (or no learner could pass).
	// Every solution boots in under 5 s here, loaded or not; 15 s instead of the learner's 30 s
	// keeps the one shortcut that hangs in rmmod (work-flush) from holding a job for longer.
	rep, err := Check(context.Background(), c, trees,
		library.Options{Jobs: 2, CacheDir: t.TempDir(), WorkDir: t.TempDir()},
		&BootOptions{ScratchRoot: t.TempDir(), Jobs: 2, Timeout: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Error(f)
	}
	booted := 0
	for _, er := range rep.Exercises {
		ex := c.Exercise(er.ID)
		if !slices.Contains(ex.Stages, course.StageBoot) {
			continue
		}
		for _, on := range er.Trees {
			if on.Skip != "" {
				continue
			}
			if b := on.Solution.Stage(course.StageBoot); b == nil || b.Status != check.Pass {
				t.Errorf("exercise %s: the solution's boot stage: %+v", er.ID, b)
			} else {
				booted++
			}
		}
	}
	if !rep.Booted || booted < 20*len(trees) {
		t.Errorf("booted %d solutions (report says booted=%v)", booted, rep.Booted)
	}
	for _, n := range rep.Notes {
		t.Log(n)
	}
	t.Logf("%d lessons, %d exercises, %d snippets: %d findings in %s (%+v)", rep.Lessons, len(rep.Exercises), rep.Snippets, len(rep.Findings), rep.Duration, rep.Stats)
}

func realTree(t *testing.T) *kernel.Tree {
	t.Helper()
	tree, err := kernel.Open(testkernel.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func lineOf(text, line string) int {
	for i, l := range strings.Split(text, "\n") {
		if l == line {
			return i + 1
		}
	}
	return 0
}

func itoa(n int) string { return strconv.Itoa(n) }

// Shortcuts on the real tree: one refused as declared, one that passes every stage, one that
// fails for another reason than declared, each reported at its line.
func TestShortcutsJudged(t *testing.T) {
	tree := realTree(t)
	dir := copyPack(t)
	meta := filepath.Join(dir, "snippets", "good_module", "snippet.yaml")
	data, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, `shortcuts:
  - name: refused
    edits: [{file: good_module.rs, replace: 'pr_info!("good\n");', with: 'pr_info!("{}\n", missing);'}]
    fails: build
    because: E0425
  - name: passes
    edits: [{file: good_module.rs, replace: '"good\n"', with: '"fine\n"'}]
    fails: boot
    because: good
  - name: other reason
    edits: [{file: good_module.rs, replace: "Ok(GoodModule)", with: "Ok(())"}]
    fails: build
    because: E0425
`...)
	if err := os.WriteFile(meta, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Check(context.Background(), load(t, dir), []*kernel.Tree{tree},
		library.Options{Jobs: 2, CacheDir: t.TempDir(), WorkDir: t.TempDir()},
		&BootOptions{ScratchRoot: t.TempDir(), Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Rule == RuleShortcut {
			got = append(got, f.String())
		}
	}
	r := tree.Release
	line := lineOf(string(data), "  - name: passes")
	want := []string{
		fmt.Sprintf(`snippets/good_module/snippet.yaml:%d: exercise good-exercise: on %s the shortcut "passes" passes every stage, but snippet.yaml says it fails at stage boot (good)`, line, r),
		fmt.Sprintf(`snippets/good_module/snippet.yaml:%d: exercise good-exercise: on %s the shortcut "other reason" fails at stage build, but for another reason (good_module.rs:20:12: error[E0308]: mismatched types) than snippet.yaml gives ("E0425")`, line+4, r),
	}
	if len(got) != len(want) {
		t.Fatalf("shortcut findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("finding\n%s\nwant it to start with\n%s", got[i], want[i])
		}
	}
	for _, ex := range rep.Exercises {
		if ex.ID != "good-exercise" {
			continue
		}
		scs := ex.Trees[0].Shortcuts
		if len(scs) != 3 || !scs[0].OK || scs[1].OK || scs[2].OK || scs[0].Stage != course.StageBuild {
			t.Errorf("shortcut results: %+v", scs)
		}
	}
}
