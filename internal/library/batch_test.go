package library

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// fakeMake stands in for make: given the subfolders a batch lists, it returns an output
// (with DIR standing for the batch folder), an exit code, the subfolders that get a .ko, and
// whether it timed out.
type fakeMake func(subs []string) (output string, exit int, kos []string, timedOut bool)

var reListed = regexp.MustCompile(`obj-m \+= (\w+)/`)

func fakeRun(t *testing.T, fm fakeMake, calls *[][]string) treeRun {
	var makes atomic.Int32
	return treeRun{
		tree: &kernel.Tree{Dir: "/k"}, dir: t.TempDir(), timeout: DefaultTimeout, makes: &makes,
		started: func(*job) {},
		build: func(_ context.Context, req build.Request) (*build.Result, error) {
			var subs []string
			for _, m := range reListed.FindAllStringSubmatch(string(req.Files["Kbuild"]), -1) {
				subs = append(subs, m[1])
			}
			*calls = append(*calls, subs)
			out, exit, kos, timedOut := fm(subs)
			for _, sub := range kos {
				if err := os.MkdirAll(filepath.Join(req.ScratchDir, sub), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(req.ScratchDir, sub, strings.TrimPrefix(sub, "src_")+".ko"), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out = strings.ReplaceAll(out, "DIR", req.ScratchDir)
			return &build.Result{ExitCode: exit, Output: []byte(out), ScratchDir: req.ScratchDir, TimedOut: timedOut}, nil
		},
	}
}

func rustcError(sub, code string) string {
	return fmt.Sprintf("  RUSTC [M] DIR/%s/x.o\nerror[%s]: broken\n  --> DIR/%s/x.rs:3:5\n\nmake[3]: *** [/k/scripts/Makefile.build:289: DIR/%s/x.o] Error 1\n", sub, code, sub, sub)
}

const modpostStopped = "make[2]: Target 'DIR/' not remade because of errors.\nmake: *** [/k/Makefile:236: __sub-make] Error 2\n"

func threeJobs() []*job {
	return []*job{rsJob("a", "a", ""), rsJob("b", "b", ""), rsJob("c", "c", "")}
}

type want struct {
	built, alone bool
	codes        []string
	timedOut     bool
}

func checkOutcomes(t *testing.T, jobs []*job, out map[*job]*Outcome, wants map[string]want) {
	t.Helper()
	for _, j := range jobs {
		o, w := out[j], wants[j.subdir()]
		if o == nil {
			t.Errorf("%s: no outcome", j.subdir())
			continue
		}
		if o.Built != w.built || o.Alone != w.alone || o.TimedOut != w.timedOut || !slices.Equal(o.ErrorCodes(), w.codes) {
			t.Errorf("%s: built %v alone %v timed out %v codes %v; want %+v", j.subdir(), o.Built, o.Alone, o.TimedOut, o.ErrorCodes(), w)
		}
	}
}

func TestBatchRelinksTheNeighboursOfAFailure(t *testing.T) {
	var calls [][]string
	r := fakeRun(t, func(subs []string) (string, int, []string, bool) {
		if slices.Contains(subs, "src_b") {
			// b fails to compile; -k compiles a and c, but modpost never runs.
			return rustcError("src_b", "E0308") + modpostStopped, 2, nil, false
		}
		return "  MODPOST DIR/Module.symvers\n", 0, subs, false
	}, &calls)
	jobs := threeJobs()
	out, err := r.runBatch(context.Background(), "b0", jobs, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkOutcomes(t, jobs, out, map[string]want{
		"src_a": {built: true}, "src_b": {codes: []string{"E0308"}}, "src_c": {built: true},
	})
	if want := [][]string{{"src_a", "src_b", "src_c"}, {"src_a", "src_c"}}; !slices.EqualFunc(calls, want, slices.Equal) {
		t.Errorf("makes %v, want %v", calls, want)
	}
}

func TestBatchModpostErrorThenRelink(t *testing.T) {
	var calls [][]string
	r := fakeRun(t, func(subs []string) (string, int, []string, bool) {
		if slices.Contains(subs, "src_c") {
			return "  MODPOST DIR/Module.symvers\nERROR: modpost: \"nope\" [DIR/src_c/c.ko] undefined!\nmake[2]: *** [/k/scripts/Makefile.modpost:145: DIR/Module.symvers] Error 1\n", 2, nil, false
		}
		return "", 0, subs, false
	}, &calls)
	jobs := threeJobs()
	out, err := r.runBatch(context.Background(), "b0", jobs, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkOutcomes(t, jobs, out, map[string]want{"src_a": {built: true}, "src_b": {built: true}, "src_c": {}})
	if len(calls) != 2 {
		t.Errorf("makes %v, want 2", calls)
	}
	if d := out[jobs[2]].Diagnostics; len(d) == 0 || !strings.Contains(d[0].Message, "undefined") {
		t.Errorf("c: %v", d)
	}
}

func TestBatchUnplacedErrorBuildsTheFailedAlone(t *testing.T) {
	var calls [][]string
	r := fakeRun(t, func(subs []string) (string, int, []string, bool) {
		switch {
		case slices.Equal(subs, []string{"src_a"}):
			return "error: internal compiler error\nmake[3]: *** [/k/x:1: DIR/src_a/a.o] Error 101\n", 2, nil, false
		case slices.Contains(subs, "src_a"):
			// a fails (make says so) and an error names no file: it may be a's or not.
			return "error: internal compiler error\nmake[3]: *** [/k/x:1: DIR/src_a/a.o] Error 101\n" + modpostStopped, 2, nil, false
		}
		return "", 0, subs, false
	}, &calls)
	jobs := threeJobs()
	out, err := r.runBatch(context.Background(), "b0", jobs, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkOutcomes(t, jobs, out, map[string]want{"src_a": {alone: true}, "src_b": {built: true}, "src_c": {built: true}})
	if d := out[jobs[0]].Diagnostics; len(d) == 0 || d[0].Message != "internal compiler error" {
		t.Errorf("a alone: %v", d)
	}
	if want := [][]string{{"src_a", "src_b", "src_c"}, {"src_b", "src_c"}, {"src_a"}}; !slices.EqualFunc(calls, want, slices.Equal) {
		t.Errorf("makes %v, want %v", calls, want)
	}
}

func TestBatchWithoutProgressBuildsEachAlone(t *testing.T) {
	var calls [][]string
	r := fakeRun(t, func(subs []string) (string, int, []string, bool) {
		if len(subs) > 1 {
			return "  MODPOST DIR/Module.symvers\nFATAL: modpost: something global\n", 2, nil, false
		}
		if subs[0] == "src_b" {
			return rustcError("src_b", "E0425"), 2, nil, false
		}
		return "", 0, subs, false
	}, &calls)
	jobs := threeJobs()
	out, err := r.runBatch(context.Background(), "b0", jobs, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkOutcomes(t, jobs, out, map[string]want{
		"src_a": {built: true, alone: true}, "src_b": {alone: true, codes: []string{"E0425"}}, "src_c": {built: true, alone: true},
	})
	if len(calls) != 4 {
		t.Errorf("makes %v, want the batch then three alone", calls)
	}
}

func TestBatchConflictAndUnplacedWarning(t *testing.T) {
	var calls [][]string
	r := fakeRun(t, func(subs []string) (string, int, []string, bool) {
		switch {
		case len(subs) == 3:
			return "error: the following would cause module name conflict:\n  DIR/src_a/a.ko\n  DIR/src_b/b.ko\nmake[1]: *** [/k/Makefile:1946: modules_check] Error 1\n", 2, nil, false
		case slices.Equal(subs, []string{"src_c"}):
			// c links, and a warning names no file: c alone can have printed it.
			return "warning: something without a place\n", 0, subs, false
		}
		return "", 0, subs, false
	}, &calls)
	jobs := threeJobs()
	out, err := r.runBatch(context.Background(), "b0", jobs, 1)
	if err != nil {
		t.Fatal(err)
	}
	// a and b clash, so each is built alone; c, left alone in the batch, owns the warning.
	checkOutcomes(t, jobs, out, map[string]want{
		"src_a": {built: true, alone: true}, "src_b": {built: true, alone: true}, "src_c": {built: true},
	})
	if w := out[jobs[2]].Diagnostics; len(w) != 1 {
		t.Errorf("c owns the warning: %v", w)
	}
	if want := [][]string{{"src_a", "src_b", "src_c"}, {"src_c"}, {"src_a"}, {"src_b"}}; !slices.EqualFunc(calls, want, slices.Equal) {
		t.Errorf("makes %v, want %v", calls, want)
	}
}

func TestBatchTimeout(t *testing.T) {
	var calls [][]string
	r := fakeRun(t, func(subs []string) (string, int, []string, bool) {
		if slices.Contains(subs, "src_b") {
			return "", -1, nil, true // b hangs, in the batch and alone
		}
		return "", 0, subs, false
	}, &calls)
	jobs := threeJobs()
	out, err := r.runBatch(context.Background(), "b0", jobs, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkOutcomes(t, jobs, out, map[string]want{
		"src_a": {built: true, alone: true}, "src_b": {alone: true, timedOut: true}, "src_c": {built: true, alone: true},
	})
}

func TestOutcomeJudgeable(t *testing.T) {
	o := &Outcome{Built: true, Modules: []string{"a.ko", "b.ko"}, Modinfo: map[string][]string{"license": {"GPL"}}}
	if b := o.Judgeable(); b.Ko != "a.ko" || b.ExitCode != 0 || b.Modinfo == nil {
		t.Errorf("%+v", b)
	}
	if b := (&Outcome{ExitCode: 2, Modules: nil}).Judgeable(); b.Ko != "" || b.ExitCode != 2 {
		t.Errorf("%+v", b)
	}
}
