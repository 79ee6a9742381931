package library

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// TestLibraryVsSerialMake measures `snippets check` of the whole embedded library with a cold
// cache against a serial loop of the raw `make -C KDIR M=DIR modules` a maintainer would
// otherwise run, one fresh folder per snippet, alternating the two in one run (the machine is
// shared and noisy: only the ratio means anything). Then a warm re-check, course loading and
// tree reading included. Run it with
//
//	RFL_BENCH=1 RFL_TEST_KDIR=/path/to/tree go test ./internal/library -run LibraryVsSerialMake -v
//
// (RFL_BENCH_ROUNDS sets the rounds, default 2). Targets: ratio ≤ 0.5 on 2 cores, warm ≤ 0.5 s.
func TestLibraryVsSerialMake(t *testing.T) {
	if os.Getenv("RFL_BENCH") == "" {
		t.Skip("set RFL_BENCH=1 to measure the library check against serial make")
	}
	rounds := 2
	if n, err := strconv.Atoi(os.Getenv("RFL_BENCH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	// RFL_BENCH_KDIRS (space-separated) measures a matrix of trees, as `snippets check --kdir A
	// --kdir B` runs it; else the test tree alone.
	trees := []*kernel.Tree{realTree(t)}
	if dirs := strings.Fields(os.Getenv("RFL_BENCH_KDIRS")); len(dirs) > 0 {
		trees = nil
		for _, d := range dirs {
			tr, err := kernel.Open(d)
			if err != nil {
				t.Fatal(err)
			}
			trees = append(trees, tr)
		}
	}
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	type build struct {
		tree  *kernel.Tree
		files map[string][]byte
	}
	var all []build
	for _, tree := range trees {
		for _, id := range slices.Sorted(maps.Keys(c.Snippets)) {
			s := c.Snippets[id].For(tree.Version)
			if kernel.Unavailable(tree, s) != "" {
				continue
			}
			files, err := c.Files(s, course.VariantSrc)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, build{tree, files})
		}
	}

	var lib, serial []time.Duration
	var cacheDir string
	for i := 0; i < rounds; i++ {
		start := time.Now()
		for _, b := range all {
			dir, tree := t.TempDir(), b.tree
			for name, data := range b.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := append([]string{"-C", tree.Dir, "M=" + dir}, tree.MakeArgs()...)
			// `expect: fails` snippets fail here by design: only the time counts.
			_ = exec.Command("make", append(args, "modules")...).Run()
		}
		serial = append(serial, time.Since(start))

		cacheDir = t.TempDir()
		start = time.Now()
		rep, err := CheckSnippets(context.Background(), c, trees,
			Options{Jobs: runtime.NumCPU(), CacheDir: cacheDir, WorkDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		lib = append(lib, time.Since(start))
		if rep.Stats.Cached != 0 {
			t.Fatalf("cold run used the cache: %+v", rep.Stats)
		}
		t.Logf("round %d: serial make %s, library %s (%d makes, %d alone)", i+1, serial[i].Round(time.Millisecond), lib[i].Round(time.Millisecond), rep.Stats.Makes, rep.Stats.Alone)
	}

	// Warm: what `rfl-tutor snippets check` does again with nothing changed.
	start := time.Now()
	c2, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	var trees2 []*kernel.Tree
	for _, tree := range trees {
		tree2, err := kernel.Open(tree.Dir)
		if err != nil {
			t.Fatal(err)
		}
		trees2 = append(trees2, tree2)
	}
	rep, err := CheckSnippets(context.Background(), c2, trees2, Options{CacheDir: cacheDir, WorkDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	warm := time.Since(start)
	if rep.Stats.Makes != 0 {
		t.Errorf("warm run built: %+v", rep.Stats)
	}

	ml, ms := median(lib), median(serial)
	ratio := float64(ml) / float64(ms)
	t.Logf("%d snippet builds on %d tree(s), %d CPUs: library median %s, serial make median %s, ratio %.2f; warm re-check %s",
		len(all), len(trees), runtime.NumCPU(), ml.Round(time.Millisecond), ms.Round(time.Millisecond), ratio, warm.Round(time.Millisecond))
	if ratio > 0.5 {
		t.Errorf("library check costs %.2f× a serial make loop, want ≤ 0.5", ratio)
	}
	if warm > 500*time.Millisecond {
		t.Errorf("warm re-check took %s, want ≤ 0.5 s", warm)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
