package library

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// Tests against the real kernel tree (RFL_TEST_KDIR).

func realTree(t testing.TB) *kernel.Tree {
	t.Helper()
	tree, err := kernel.Open(testkernel.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := tree.RustReady(); err != nil {
		t.Fatal(err)
	}
	return tree
}

func loadPack(t testing.TB, dir string) *course.Course {
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

func realOptions(t testing.TB) Options {
	return Options{Jobs: 2, CacheDir: t.TempDir(), WorkDir: t.TempDir()}
}

// The planted pack: every snippet does something the library check must notice, each in the
// same batch as well-behaved neighbours.
func TestPlantedPackSnippets(t *testing.T) {
	tree := realTree(t)
	c := loadPack(t, "testdata/planted")
	opts := realOptions(t)
	rep, err := CheckSnippets(context.Background(), c, []*kernel.Tree{tree}, opts)
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		status Status
		reason string // a part of the reason
	}
	want := map[string]cell{
		"dup_one":        {Pass, "builds: dup.ko"},
		"dup_two":        {Pass, "builds: dup.ko"},
		"fails_ok":       {Pass, "fails with E0382 as expected"},
		"future_only":    {Skip, "needs kernel >= 7.0, tree is " + tree.Release},
		"good_module":    {Pass, "builds: good_module.ko"},
		"orphan_snippet": {Pass, "builds: orphan_snippet.ko"},
		"should_build":   {Fail, "expected to build: should_build.rs:19:27: error[E0308]: mismatched types"},
		"should_fail":    {Fail, "expected to fail with E0382, but it builds"},
		"starter_passes": {Pass, "builds: starter_passes.ko"},
	}
	got := map[string]cell{}
	for _, s := range rep.Snippets {
		got[s.ID] = cell{s.Results[0].Status, s.Results[0].Reason}
		w, ok := want[s.ID]
		if !ok {
			t.Errorf("unexpected snippet %s", s.ID)
			continue
		}
		if v := s.Results[0]; v.Status != w.status || !strings.Contains(v.Reason, w.reason) {
			t.Errorf("%s: %s %q; want %s %q", s.ID, v.Status, v.Reason, w.status, w.reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d snippets, want %d", len(got), len(want))
	}
	if rep.Passed != 6 || rep.Failed != 2 || rep.Skipped != 1 || rep.OK() {
		t.Errorf("totals %d/%d/%d", rep.Passed, rep.Failed, rep.Skipped)
	}
	// The failing snippet's diagnostics are its own, in the course's paths.
	for _, s := range rep.Snippets {
		for _, d := range s.Results[0].Diagnostics {
			if !strings.HasPrefix(d.File, "snippets/"+s.ID+"/") {
				t.Errorf("%s: diagnostic %s", s.ID, d)
			}
		}
	}
	t.Logf("cold: %s, %+v", rep.Duration, rep.Stats)

	// Unchanged: everything comes from the cache, at once.
	start := time.Now()
	warm, err := CheckSnippets(context.Background(), c, []*kernel.Tree{tree}, opts)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if warm.Stats.Makes != 0 || warm.Stats.Cached != 8 {
		t.Errorf("warm run built: %+v", warm.Stats)
	}
	for i, s := range warm.Snippets {
		if a, b := s.Results[0], rep.Snippets[i].Results[0]; a.Status != b.Status || a.Reason != b.Reason {
			t.Errorf("%s: warm %s %q, cold %s %q", s.ID, a.Status, a.Reason, b.Status, b.Reason)
		}
	}
	if took > 500*time.Millisecond {
		t.Errorf("warm re-check took %s, want ≤ 0.5 s", took)
	}
	t.Logf("warm: %s", took)
}

// Attribution is exact: what each snippet gets in a batch is what it gets built on its own.
func TestBatchAgreesWithBuildingAlone(t *testing.T) {
	tree := realTree(t)
	c := loadPack(t, "testdata/planted")
	var targets []Target
	for _, id := range slices.Sorted(maps.Keys(c.Snippets)) {
		s := c.Snippets[id]
		if kernel.Unavailable(tree, s) != "" {
			continue
		}
		targets = append(targets, Target{Snippet: s, Variant: course.VariantSrc})
		if len(s.StarterFiles) > 0 {
			targets = append(targets, Target{Snippet: s, Variant: course.VariantStarter})
		}
	}
	opts := realOptions(t)
	res, err := Run(context.Background(), c, []*kernel.Tree{tree}, targets, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Alone != 0 {
		t.Errorf("%d snippets needed building alone; the planted pack should attribute cleanly", res.Stats.Alone)
	}
	var makes atomic.Int32
	r := &treeRun{tree: tree, dir: t.TempDir(), timeout: DefaultTimeout, makes: &makes, started: func(*job) {}, build: build.Run}
	for i, tgt := range targets {
		files, err := c.Files(tgt.Snippet, tgt.Variant)
		if err != nil {
			t.Fatal(err)
		}
		alone, err := r.buildAlone(context.Background(), &job{target: tgt, files: files}, 2)
		if err != nil {
			t.Fatal(err)
		}
		batch := res.Cells[0][i].Outcome
		if batch.Built != alone.Built || !slices.Equal(batch.Modules, alone.Modules) ||
			!slices.Equal(batch.ErrorCodes(), alone.ErrorCodes()) || !slices.Equal(render(batch.Diagnostics), render(alone.Diagnostics)) {
			t.Errorf("%s: batch and alone differ:\nbatch: built %v %v %v\nalone: built %v %v %v",
				tgt, batch.Built, batch.Modules, render(batch.Diagnostics), alone.Built, alone.Modules, render(alone.Diagnostics))
		}
		if batch.Built && batch.Modinfo["name"][0] != alone.Modinfo["name"][0] {
			t.Errorf("%s: modinfo %v vs %v", tgt, batch.Modinfo, alone.Modinfo)
		}
	}
}

// The embedded library on the real tree: every snippet behaves as its metadata says, or is
// skipped with a reason.
func TestEmbeddedLibrary(t *testing.T) {
	tree := realTree(t)
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatalf("the embedded course does not load:\n%v", err)
	}
	rep, err := CheckSnippets(context.Background(), c, []*kernel.Tree{tree}, realOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep.Snippets {
		switch v := s.Results[0]; v.Status {
		case Fail:
			t.Errorf("%s (expect %s %s): %s\n%s", s.ID, s.Expect, s.Error, v.Reason, strings.Join(render(v.Diagnostics), "\n"))
		case Skip:
			t.Logf("%s skipped: %s", s.ID, v.Reason)
		}
	}
	t.Logf("%d snippets: %d passed, %d failed, %d skipped in %s (%d makes)", len(rep.Snippets), rep.Passed, rep.Failed, rep.Skipped, rep.Duration, rep.Stats.Makes)
}

func render(diags []diag.Diagnostic) []string {
	out := make([]string, len(diags))
	for i, d := range diags {
		out[i] = d.String()
	}
	return out
}

// Two trees in one run (the same tree under a second name, as this machine has one): each
// gets its batches, they run side by side, and each column holds its own verdicts.
func TestTwoTrees(t *testing.T) {
	tree := realTree(t)
	link := filepath.Join(t.TempDir(), "same-tree")
	if err := os.Symlink(tree.Dir, link); err != nil {
		t.Fatal(err)
	}
	other, err := kernel.Open(link)
	if err != nil {
		t.Fatal(err)
	}
	c := loadPack(t, "testdata/planted")
	rep, err := CheckSnippets(context.Background(), c, []*kernel.Tree{tree, other}, realOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Trees) != 2 || rep.Trees[1].Dir != link {
		t.Fatalf("trees %+v", rep.Trees)
	}
	for _, s := range rep.Snippets {
		a, b := s.Results[0], s.Results[1]
		if a.Status != b.Status || a.Reason != b.Reason {
			t.Errorf("%s: %s %q on one, %s %q on the other", s.ID, a.Status, a.Reason, b.Status, b.Reason)
		}
	}
	if rep.Passed != 12 || rep.Failed != 4 || rep.Skipped != 2 {
		t.Errorf("totals %d/%d/%d", rep.Passed, rep.Failed, rep.Skipped)
	}
	// Each tree built its own: two per tree at least (the dup pair forces a second batch).
	if rep.Stats.Built != 16 || rep.Stats.Makes < 4 {
		t.Errorf("stats %+v", rep.Stats)
	}
}
