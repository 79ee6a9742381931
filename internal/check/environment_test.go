package check

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

func TestEnvironmentFault(t *testing.T) {
	for _, tc := range []struct {
		d     diag.Diagnostic
		fault bool
	}{
		{diag.Diagnostic{Severity: diag.SeverityError, Code: "E0463", Message: "can't find crate for `kernel`"}, true},
		{diag.Diagnostic{Severity: diag.SeverityError, Code: "E0463", Message: "can't find crate for `core`"}, true},
		{diag.Diagnostic{Severity: diag.SeverityError, Code: "E0514", Message: "found crate `core` compiled by an incompatible version of rustc"}, true},
		{diag.Diagnostic{Severity: diag.SeverityError, Code: "E0463", Message: "can't find crate for `serde`"}, false}, // the learner's own import
		{diag.Diagnostic{Severity: diag.SeverityError, Code: "E0425", Message: "cannot find value `x` in this scope"}, false},
	} {
		if got := environmentFault([]diag.Diagnostic{tc.d}) != ""; got != tc.fault {
			t.Errorf("%s: fault %v, want %v", tc.d.String(), got, tc.fault)
		}
	}
}

// A tree without its Rust metadata (a half-copied tree) is the environment's fault: the check
// gives no verdict, before running make.
func TestBrokenTreeIsNoVerdict(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"Makefile":                      "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\n",
		"include/config/kernel.release": "6.12.117\n",
		".config":                       "CONFIG_RUST=y\nCONFIG_MODULES=y\n",
		"Module.symvers":                "",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tree, err := kernel.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	files, err := c.Files(ex.For(tree.Version).Snippet, course.VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	v, err := New(tree, c, t.TempDir()).CheckFiles(context.Background(), ex, files, t.TempDir(), "learner", Options{})
	if !errors.Is(err, ErrEnvironment) || v != nil {
		t.Fatalf("verdict %v, err %v: want ErrEnvironment and no verdict", v, err)
	}
	if want := "rust/libkernel.rmeta is missing"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

// A build whose output was cut in the middle says so in the build stage's reason.
func TestBuildStageSaysOutputWasCut(t *testing.T) {
	errs := []diag.Diagnostic{{Severity: diag.SeverityError, Code: "E0425", Message: "cannot find value `x` in this scope", File: "/ws/m.rs", Line: 3}}
	r := buildStage(&build.Result{ExitCode: 2, Omitted: 3 << 20}, errs)
	if r.Status != Fail || !strings.Contains(r.Reason, "m.rs:3: error[E0425]") || !strings.Contains(r.Reason, "3072 KiB of build output were left out") {
		t.Errorf("reason %q", r.Reason)
	}
	if r := buildStage(&build.Result{ExitCode: 2}, errs); strings.Contains(r.Reason, "left out") {
		t.Errorf("an uncut build says it was cut: %q", r.Reason)
	}
}
