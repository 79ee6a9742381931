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
		// The boot stage does work make does not (TestBootStageShareOfCheck measures it).
		checker := New(tree, c, t.TempDir())
		start = time.Now()
		v, err := checker.CheckSolution(context.Background(), ex, Options{NoCache: true, NoBoot: true})
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

// TestBootStageShareOfCheck measures the boot stage of the seed solution (QEMU boot, load,
// unload, judge) and its share of the whole `check`, 5 rounds from fresh build folders, in one
// run. Run it with `RFL_BENCH=1 go test ./internal/check -run BootStageShare -v`.
func TestBootStageShareOfCheck(t *testing.T) {
	if os.Getenv("RFL_BENCH") == "" {
		t.Skip("set RFL_BENCH=1 to measure the boot stage")
	}
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	const rounds = 5
	var boots, qemus, totals []time.Duration
	var shares []float64
	for i := 0; i < rounds; i++ {
		var bootStart, bootEnd time.Time
		checker := New(tree, c, t.TempDir())
		start := time.Now()
		v, err := checker.CheckSolution(context.Background(), ex, Options{NoCache: true, OnEvent: func(e Event) {
			switch e := e.(type) {
			case StageStarted:
				if e.Stage == course.StageBoot {
					bootStart = time.Now()
				}
			case StageDone:
				if e.Result.Stage == course.StageBoot {
					bootEnd = time.Now()
				}
			}
		}})
		total := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if r := v.Stage(course.StageBoot); !v.Passed || r == nil || r.Status != Pass {
			t.Fatalf("seed solution: %+v", v.Stages)
		}
		boot := bootEnd.Sub(bootStart)
		boots, totals = append(boots, boot), append(totals, total)
		qemus = append(qemus, v.Stage(course.StageBoot).Duration)
		shares = append(shares, float64(boot)/float64(total))
	}
	slices.Sort(shares)
	t.Logf("boot stage median %v (QEMU run median %v) of check median %v; share of check: median %.2f, range %.2f–%.2f (rounds %d)",
		median(boots), median(qemus), median(totals), shares[len(shares)/2], shares[0], shares[len(shares)-1], rounds)
	t.Logf("boot stage: %v", boots)
	t.Logf("check:      %v", totals)
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
