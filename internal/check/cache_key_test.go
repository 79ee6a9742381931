package check

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The CLI passes a 30 s boot limit and the TUI none (the default): the same unchanged files
// checked from one and then the other must reuse the verdict, not build and boot again.
func TestCLIAndTUIChecksShareTheVerdict(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	dir, _ := learnerCopy(t, c, ex, func(s string) string { return s })
	root := t.TempDir()
	cli, err := New(tree, c, root).Check(context.Background(), ex, dir, Options{BootTimeout: DefaultBootTimeout})
	if err != nil || cli.Cached {
		t.Fatalf("CLI check: %v (cached %v)", err, cli != nil && cli.Cached)
	}
	tui, err := New(tree, c, root).Check(context.Background(), ex, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !tui.Cached || tui.Passed != cli.Passed {
		t.Errorf("TUI check after the CLI's: cached %v, passed %v (CLI passed %v)", tui.Cached, tui.Passed, cli.Passed)
	}
	// --no-boot is its own verdict (boot skipped), shared between its runs.
	first, err := New(tree, c, root).Check(context.Background(), ex, dir, Options{NoBoot: true})
	if err != nil || first.Cached {
		t.Fatalf("--no-boot reused the booted verdict: %v (cached %v)", err, first != nil && first.Cached)
	}
	again, err := New(tree, c, root).Check(context.Background(), ex, dir, Options{NoBoot: true, BootTimeout: time.Minute})
	if err != nil || !again.Cached {
		t.Errorf("second --no-boot check: %v (cached %v)", err, again != nil && again.Cached)
	}
}

// Two workspaces (two learners on one machine) check the same exercise without waiting on each
// other: while a check of one holds its build folder, the other's check runs to its verdict.
func TestTwoWorkspacesDoNotWaitOnEachOther(t *testing.T) {
	tree, c := realTree(t), embeddedCourse(t)
	ex := c.Exercise(seedExercise)
	dirA, _ := learnerCopy(t, c, ex, func(s string) string { return s })
	dirB, _ := learnerCopy(t, c, ex, func(s string) string { return s })
	root := t.TempDir()
	checker := New(tree, c, root)

	scratchA := filepath.Join(root, safeName(c.ID), safeName(ex.ID)+"-"+learnerVariant(dirA))
	if err := os.MkdirAll(scratchA, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockDir(context.Background(), scratchA, "workspace A's check", func(Event) {}) // A's check is running
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var waited []string
	v, err := checker.Check(ctx, ex, dirB, Options{NoBoot: true, OnEvent: func(e Event) {
		if w, ok := e.(Waiting); ok {
			waited = append(waited, w.Holder)
		}
	}})
	if err != nil || len(waited) > 0 {
		t.Fatalf("workspace B waited on A's build folder (%v): %v", waited, err)
	}
	if !v.Passed {
		t.Errorf("workspace B's check of the solution failed: %s", v.Summary())
	}
}

func TestLearnerBuildFolders(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if learnerVariant("ws/a/hello-module") != learnerVariant(filepath.Join(wd, "ws/a/hello-module/")) {
		t.Error("one folder named two ways gets two build folders")
	}
	if learnerVariant("/home/a/ws/hello-module") == learnerVariant("/home/b/ws/hello-module") {
		t.Error("two workspaces share a build folder")
	}
}
