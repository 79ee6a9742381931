package check

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// TestCheckOverheadVsRawMake measures `check` of the seed solution against the raw
// `make -C KDIR M=DIR modules` it wraps, alternating the two in one run (this machine is noisy,
// so only the ratio means anything), each from a fresh build folder. Run it with
// `RFL_BENCH=1 go test ./internal/check -run OverheadVsRawMake -v` (scripts/bench.sh does).
func TestCheckOverheadVsRawMake(t *testing.T) {
	if os.Getenv("RFL_BENCH") == "" {
		t.Skip("set RFL_BENCH=1 to measure check against raw make")
	}
	tree := realTree(t)
	c := embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	files, err := c.Files(ex.Snippet, course.VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 7
	var ours, raw []time.Duration
	for i := 0; i < rounds; i++ {
		// Raw make, as a learner would type it, in a fresh folder.
		dir := t.TempDir()
		writeFiles(t, dir, files)
		args := append([]string{"-C", tree.Dir, "M=" + dir}, tree.MakeArgs()...)
		args = append(args, "modules")
		start := time.Now()
		if out, err := exec.Command("make", args...).CombinedOutput(); err != nil {
			t.Fatalf("raw make: %v\n%s", err, out)
		}
		raw = append(raw, time.Since(start))

		// Our check: pty, scratch copy, diagnostics, modinfo and style, from a fresh folder.
		checker := New(tree, c, t.TempDir())
		start = time.Now()
		v, err := checker.CheckSolution(context.Background(), ex, Options{NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		ours = append(ours, time.Since(start))
		if !v.Passed {
			t.Fatalf("seed solution failed: %+v", v.Stages)
		}
	}
	mo, mr := median(ours), median(raw)
	ratio := float64(mo) / float64(mr)
	t.Logf("check median %v, raw make median %v, ratio %.3f (rounds %d)", mo, mr, ratio, rounds)
	t.Logf("check: %v", ours)
	t.Logf("make:  %v", raw)
	if ratio > 1.05 {
		t.Errorf("check costs %.3f× raw make, want ≤ 1.05", ratio)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func writeFiles(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
