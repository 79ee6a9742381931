package library

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

var capture = flag.Bool("capture", false, "rebuild the batches against RFL_TEST_KDIR and store their raw output in testdata/batches/*.txt")

// captureRoot is where captured batches ran: the stored outputs name it, and attribution is
// replayed against it.
const (
	captureRoot = "/tmp/rfl-tutor-library-capture"
	captureKDir = "/tmp/ktree"
)

// module is a module source in the style of the course's snippets; body goes into init.
func module(name, body string) string {
	return `// SPDX-License-Identifier: GPL-2.0

//! A test module.

use kernel::prelude::*;

module! {
    type: M,
    name: "` + name + `",
    author: "rfl-tutor",
    description: "A test module",
    license: "GPL",
}

struct M;

impl kernel::Module for M {
    fn init(_module: &'static ThisModule) -> Result<Self> {
` + body + `        Ok(M)
    }
}
`
}

func rsJob(id, modname, body string) *job {
	return testJob(id, course.VariantSrc, map[string]string{
		"Kbuild":        "# SPDX-License-Identifier: GPL-2.0\nobj-m := " + modname + ".o\n",
		modname + ".rs": module(modname, body),
	})
}

// batchCase is a batch whose real build output is kept as a test input, with what attribution
// must make of it.
type batchCase struct {
	name string
	jobs func() []*job
	// failed and conflict are the subfolders attribution must mark; codes the rustc error
	// codes and warnings the warning count each subfolder must get.
	failed, conflict []string
	codes            map[string][]string
	warnings         map[string]int
	exitZero         bool
}

var batchCases = []batchCase{
	{
		name: "compile-errors",
		jobs: func() []*job {
			return []*job{
				rsJob("ok", "ok", "        pr_info!(\"fine\\n\");\n"),
				rsJob("mismatch", "mismatch", "        let n: u32 = \"forty-two\";\n        pr_info!(\"{}\\n\", n);\n"),
				rsJob("moved", "moved", "        let a = KBox::new(1u32, GFP_KERNEL)?;\n        let b = a;\n        pr_info!(\"{} {}\\n\", *a, *b);\n"),
				rsJob("unused", "unused", "        let unused = 5;\n"),
				testJob("badkbuild", course.VariantSrc, map[string]string{"Kbuild": "obj-m := \nthis is not make\n", "bad.rs": "// nothing\n"}),
				testJob("missing", course.VariantSrc, map[string]string{"Kbuild": "obj-m := missing.o\n"}),
				rsJob("ok_too", "ok_too", "        pr_info!(\"also fine\\n\");\n"),
			}
		},
		failed:   []string{"src_badkbuild", "src_mismatch", "src_missing", "src_moved"},
		codes:    map[string][]string{"src_mismatch": {"E0308"}, "src_moved": {"E0382"}},
		warnings: map[string]int{"src_unused": 1},
	},
	{
		name: "modpost",
		jobs: func() []*job {
			return []*job{
				rsJob("ok", "ok", "        pr_info!(\"fine\\n\");\n"),
				rsJob("undefined", "undefined", "        extern \"C\" {\n            fn rfl_tutor_no_such_symbol();\n        }\n        // SAFETY: none; modpost rejects the symbol before anything runs.\n        unsafe { rfl_tutor_no_such_symbol() };\n"),
				rsJob("ok_too", "ok_too", "        pr_info!(\"also fine\\n\");\n"),
			}
		},
		failed: []string{"src_undefined"},
	},
	{
		name: "conflict",
		jobs: func() []*job {
			return []*job{
				rsJob("dup_one", "dup", "        pr_info!(\"one\\n\");\n"),
				rsJob("ok", "ok", "        pr_info!(\"fine\\n\");\n"),
				rsJob("dup_two", "dup", "        pr_info!(\"two\\n\");\n"),
			}
		},
		conflict: []string{"src_dup_one", "src_dup_two"},
	},
	{
		name: "clean",
		jobs: func() []*job {
			return []*job{
				rsJob("ok", "ok", "        pr_info!(\"fine\\n\");\n"),
				rsJob("ok_too", "ok_too", "        pr_info!(\"also fine\\n\");\n"),
			}
		},
		exitZero: true,
	},
}

func batchOutput(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "batches", name+".txt"))
	if err != nil {
		t.Fatalf("%v (rebuild with: RFL_TEST_KDIR=/tmp/ktree go test ./internal/library -run Attribution -capture)", err)
	}
	return b
}

// TestCapture rebuilds the batches against the real tree and stores their output.
func TestCapture(t *testing.T) {
	if !*capture {
		t.Skip("run with -capture to rebuild testdata/batches")
	}
	tree, err := kernel.Open(testkernel.Dir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, bc := range batchCases {
		dir := filepath.Join(captureRoot, bc.name)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		res, err := build.Run(context.Background(), build.Request{
			KDir: tree.Dir, MakeArgs: append(tree.MakeArgs(), "-k"), Jobs: 2,
			Files: batchFiles(bc.jobs()), ScratchDir: dir, NoColor: true, Timeout: 5 * time.Minute,
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join("testdata", "batches"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "batches", bc.name+".txt"), res.Output, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: exit %d, %d bytes", bc.name, res.ExitCode, len(res.Output))
	}
}

func TestAttribution(t *testing.T) {
	for _, bc := range batchCases {
		t.Run(bc.name, func(t *testing.T) {
			jobs := bc.jobs()
			out := batchOutput(t, bc.name)
			a := attribute(out, filepath.Join(captureRoot, bc.name), captureKDir, jobs, false)

			if got := subdirs(a.failed); !slices.Equal(got, sorted(bc.failed)) {
				t.Errorf("failed %v, want %v", got, sorted(bc.failed))
			}
			if got := subdirs(a.conflict); !slices.Equal(got, sorted(bc.conflict)) {
				t.Errorf("conflict %v, want %v", got, sorted(bc.conflict))
			}
			if len(a.unplacedErrors)+len(a.unplacedWarnings) > 0 {
				t.Errorf("unplaced: %v %v", a.unplacedErrors, a.unplacedWarnings)
			}
			for _, j := range jobs {
				var codes []string
				warnings := 0
				for _, d := range a.diags[j] {
					if d.Severity == diag.SeverityError && d.Code != "" && !slices.Contains(codes, d.Code) {
						codes = append(codes, d.Code)
					}
					if d.Severity == diag.SeverityWarning {
						warnings++
					}
					// Every path a snippet's diagnostics name is inside that snippet.
					for _, p := range append([]string{d.File}, labelFiles(d)...) {
						if p != "" && !strings.HasPrefix(p, j.target.Snippet.Dir+"/") {
							t.Errorf("%s: diagnostic points outside the snippet: %s", j.subdir(), d)
						}
					}
					if strings.Contains(d.Message, captureRoot) {
						t.Errorf("%s: message keeps the batch folder: %s", j.subdir(), d.Message)
					}
				}
				if want := bc.codes[j.subdir()]; !slices.Equal(codes, want) {
					t.Errorf("%s: error codes %v, want %v", j.subdir(), codes, want)
				}
				if want := bc.warnings[j.subdir()]; warnings != want {
					t.Errorf("%s: %d warnings, want %d: %v", j.subdir(), warnings, want, a.diags[j])
				}
				// A job marked failed has something to show for it.
				if a.failed[j] && len(a.diags[j]) == 0 {
					t.Errorf("%s: failed without a diagnostic", j.subdir())
				}
			}
		})
	}
}

func TestAttributionMapsFilesToTheCourse(t *testing.T) {
	jobs := batchCases[0].jobs()
	a := attribute(batchOutput(t, "compile-errors"), filepath.Join(captureRoot, "compile-errors"), captureKDir, jobs, false)
	byDir := map[string]*job{}
	for _, j := range jobs {
		byDir[j.subdir()] = j
	}
	d := a.diags[byDir["src_mismatch"]][0]
	if d.File != "snippets/mismatch/src/mismatch.rs" || d.Line == 0 || d.Code != "E0308" {
		t.Errorf("mismatch: %+v", d)
	}
	// With -k make reports a missing object without "Stop.": the line itself becomes the
	// diagnostic.
	if ds := a.diags[byDir["src_missing"]]; len(ds) != 1 || !strings.Contains(ds[0].Message, "No rule to make target 'snippets/missing/src/missing.o'") {
		t.Errorf("missing: %v", ds)
	}
	// The Kbuild is the snippet's shared one, at the top of its folder.
	for _, d := range a.diags[byDir["src_badkbuild"]] {
		if d.File != "" && d.File != "snippets/badkbuild/Kbuild" {
			t.Errorf("badkbuild: %s", d)
		}
	}
}

// A diagnostic no job can be blamed for is reported as such, never given to a neighbour.
func TestAttributionLeavesUnplacedAlone(t *testing.T) {
	dir := "/tmp/b"
	jobs := []*job{rsJob("a", "a", ""), rsJob("b", "b", "")}
	out := strings.Join([]string{
		"  RUSTC [M] /tmp/b/src_a/a.o",
		"error: internal compiler error: unexpected panic",
		"",
		"warning: unused import: `x`",
		"",
		"make[3]: *** [/src/scripts/Makefile.build:289: /tmp/b/src_a/a.o] Error 101",
		"make[2]: *** [/src/scripts/Makefile.build:471: /tmp/b] Error 2",
		"make: *** [/src/Makefile:236: __sub-make] Error 2",
	}, "\r\n")
	a := attribute([]byte(out), dir, "/k", jobs, false)
	if got := subdirs(a.failed); !slices.Equal(got, []string{"src_a"}) {
		t.Errorf("failed %v, want [src_a] (from make's line)", got)
	}
	if len(a.unplacedErrors) != 1 || len(a.unplacedWarnings) != 1 {
		t.Errorf("unplaced errors %v, warnings %v; want one each", a.unplacedErrors, a.unplacedWarnings)
	}
	if len(a.diags[jobs[1]]) != 0 {
		t.Errorf("the neighbour got %v", a.diags[jobs[1]])
	}
	// Built alone, everything printed is the job's own.
	alone := attribute([]byte(out), dir, "/k", jobs[:1], true)
	if n := len(alone.diags[jobs[0]]); n < 2 {
		t.Errorf("alone: %d diagnostics, want the ICE and the warning at least", n)
	}
}

func TestJobsNamedWholeComponents(t *testing.T) {
	by := map[string]*job{"src_a": rsJob("a", "a", ""), "src_ab": rsJob("ab", "ab", "")}
	for line, want := range map[string][]string{
		"  RUSTC [M] /w/b/src_a/a.o":                           {"src_a"},
		"  RUSTC [M] /w/b/src_ab/ab.o":                         {"src_ab"},
		"make[2]: *** [x:1: /w/b/src_a] Error 2":               {"src_a"},
		"make[2]: *** [x:1: /w/b/] Error 2":                    nil,
		"make[2]: *** [x:1: /w/b/Module.symvers] Error 1":      nil,
		"  /w/b/src_a/a.ko and /w/b/src_ab/ab.ko":              {"src_a", "src_ab"},
		"/w/b/src_abc/x.o":                                     nil,
		"/w/bb/src_a/a.o":                                      nil,
		"ERROR: modpost: \"x\" [/w/b/src_ab/ab.ko] undefined!": {"src_ab"},
	} {
		var got []string
		for _, j := range jobsNamed(line, "/w/b", by) {
			got = append(got, j.subdir())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", line, got, want)
		}
	}
}

func subdirs(set map[*job]bool) []string {
	var out []string
	for j, ok := range set {
		if ok {
			out = append(out, j.subdir())
		}
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func labelFiles(d diag.Diagnostic) []string {
	var out []string
	for _, l := range d.Labels {
		out = append(out, l.File)
	}
	return out
}
