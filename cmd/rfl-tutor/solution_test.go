package main

import (
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

// The solution is locked until the exercise passes; then it is shown without the lessons'
// region marks, and --diff shows the learner's changes still to make.
func TestSolutionAfterAPass(t *testing.T) {
	isolate(t)
	t.Setenv("KDIR", t.TempDir()) // no real tree needed: nothing is built
	_, errOut, code := cli(t, "solution", "hello-module")
	if code != 2 || !strings.Contains(errOut, "unlocks once your exercise passes") {
		t.Fatalf("before a pass: exit %d, %q", code, errOut)
	}
	// The learner's copy is the starter (show creates it).
	if _, errOut, code := cli(t, "show", "first-module"); code != 0 {
		t.Fatalf("show: exit %d: %s", code, errOut)
	}
	store, err := progress.Open(progress.DefaultPath())
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Update(func(st *progress.State) error {
		st.Course("rfl-course").RecordAttempt("hello-module", true, "passed", time.Now())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := cli(t, "solution", "hello-module")
	if code != 0 || !strings.Contains(out, "module! {") || !strings.Contains(out, "license: \"GPL\"") {
		t.Fatalf("after a pass: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "ANCHOR") {
		t.Errorf("the solution shows region marks:\n%s", out)
	}
	out, _, code = cli(t, "solution", "hello-module", "--diff")
	if code != 0 || !strings.Contains(out, "--- yours/hello_module.rs") || !strings.Contains(out, "+    license: \"GPL\",") {
		t.Errorf("--diff: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "ANCHOR") {
		t.Errorf("the diff shows region marks:\n%s", out)
	}
}
