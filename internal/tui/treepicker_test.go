package tui

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/rfl-tutor/rfl-tutor/internal/doctor"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// fakeTrees is a TreeSwitcher over fixed trees; Use records the choice and hands out checker.
type fakeTrees struct {
	mu      sync.Mutex
	choices []TreeChoice
	used    []string
	err     error
	checker Checker
}

func (f *fakeTrees) Trees() []TreeChoice { return f.choices }

func (f *fakeTrees) Use(t *kernel.Tree) (Checker, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	f.used = append(f.used, t.Dir)
	return f.checker, nil
}

func (f *fakeTrees) usedDirs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.used...)
}

func tree73() *kernel.Tree {
	return &kernel.Tree{Dir: "/srv/k73", Release: "7.3.4", Version: semver.MustParse("7.3.4"),
		Config: map[string]string{"RUST": "y", "MODULES": "y"}}
}

// pickerHarness has three trees: the 6.12 one in use, a 7.3 one, and one that cannot build
// Rust modules. The doctor records which tree it was asked about.
func pickerHarness(t *testing.T, w, h int) (*harness, *fakeTrees, *[]string) {
	broken := &kernel.Tree{Dir: "/srv/norust", Release: "6.1.0", Version: semver.MustParse("6.1.0")}
	ft := &fakeTrees{
		choices: []TreeChoice{{Tree: tree73()}, {Tree: testTree()}, {Tree: broken, NotReady: "CONFIG_RUST is not enabled"}},
		checker: &fakeChecker{verdict: passingVerdict},
	}
	var mu sync.Mutex
	var asked []string
	hs := newHarness(t, w, h, func(o *Options) {
		o.Trees = ft
		o.Doctor = func(_ context.Context, tr *kernel.Tree) *doctor.Report {
			mu.Lock()
			defer mu.Unlock()
			asked = append(asked, tr.Release)
			return &doctor.Report{Checks: []doctor.Check{{ID: "kernel-tree", Title: "kernel tree", Status: doctor.OK}}}
		}
	})
	return hs, ft, &asked
}

func TestTreePickerSwitchesEveryScreen(t *testing.T) {
	h, ft, asked := pickerHarness(t, 100, 30)
	p := openHello(t, h)
	if !strings.HasSuffix(p.dir, "hello-module") {
		t.Fatalf("6.12 copy in %s", p.dir)
	}
	h.key("K")
	if h.m.screen != screenTrees {
		t.Fatal("K did not open the tree picker")
	}
	h.waitFor("the trees", 5*time.Second, func() bool { return !h.m.trees.loading })
	h.contains("Kernel trees")
	h.contains("* Linux 6.12.117")
	h.contains("cannot build modules")
	if h.m.trees.sel != 1 {
		t.Fatalf("the cursor starts on row %d, want the tree in use (1)", h.m.trees.sel)
	}

	h.key("k", "enter")
	h.waitFor("the switch", 5*time.Second, func() bool { return h.c.Tree.Release == "7.3.4" })
	if got := ft.usedDirs(); len(got) != 1 || got[0] != "/srv/k73" {
		t.Fatalf("Use called with %v", got)
	}
	if h.m.screen != screenExercise {
		t.Fatalf("after switching the screen is %v, want the exercise again", h.m.screen)
	}
	if h.c.Checker != ft.checker {
		t.Fatal("checks still go to the old tree's checker")
	}
	h.waitFor("the 7.x copy", 5*time.Second, func() bool { return h.m.pane.ready })
	if !strings.HasSuffix(h.m.pane.dir, "hello-module@linux-7") {
		t.Fatalf("after switching to 7.3 the exercise is in %s", h.m.pane.dir)
	}
	h.contains("Now checking against Linux 7.3.4 (/srv/k73)")
	h.contains("Your copy for kernels ~6.12 stays in ws/tui-test/hello-module")
	if h.m.status.treeString != "Linux 7.3.4 · /srv/k73" {
		t.Fatalf("the status bar names %q", h.m.status.treeString)
	}
	h.waitFor("the doctor on 7.3", 5*time.Second, func() bool {
		return len(*asked) == 2 && (*asked)[1] == "7.3.4"
	})

	// The lesson now shows the 7.x code.
	h.key("esc")
	h.send(openLessonMsg{lesson: h.c.Course.Lesson("first-module")})
	h.waitFor("the 7.x lesson", 5*time.Second, func() bool { return strings.Contains(h.screen(), `authors: ["A Learner"]`) })
}

func TestTreePickerRefuses(t *testing.T) {
	t.Run("a tree that cannot build modules", func(t *testing.T) {
		h, ft, _ := pickerHarness(t, 100, 30)
		h.key("K")
		h.waitFor("the trees", 5*time.Second, func() bool { return !h.m.trees.loading })
		h.key("j", "enter")
		h.contains("Linux 6.1.0 cannot build Rust modules: CONFIG_RUST is not enabled")
		if len(ft.usedDirs()) != 0 || h.c.Tree.Release != "6.12.117" {
			t.Fatal("switched to a tree that cannot build modules")
		}
	})
	t.Run("while a check runs", func(t *testing.T) {
		h, ft, _ := pickerHarness(t, 100, 30)
		h.checker.block = true
		openHello(t, h)
		h.key("c")
		h.waitFor("the check", 5*time.Second, func() bool { return h.m.pane.Busy() })
		h.key("K")
		h.waitFor("the trees", 5*time.Second, func() bool { return !h.m.trees.loading })
		h.key("k", "enter")
		h.contains("A check of hello-module is running")
		if len(ft.usedDirs()) != 0 || h.c.Tree.Release != "6.12.117" {
			t.Fatal("switched trees under a running check")
		}
	})
	t.Run("the choice cannot be saved", func(t *testing.T) {
		h, ft, _ := pickerHarness(t, 100, 30)
		ft.err = errors.New("config.yaml: permission denied")
		h.key("K")
		h.waitFor("the trees", 5*time.Second, func() bool { return !h.m.trees.loading })
		h.key("k", "enter")
		h.contains("Could not switch: config.yaml: permission denied")
		if h.c.Tree.Release != "6.12.117" || h.m.screen != screenTrees {
			t.Fatal("a failed save still switched")
		}
		h.key("esc")
		if h.m.screen != screenList {
			t.Fatalf("esc left the picker for %v", h.m.screen)
		}
	})
	t.Run("no switcher", func(t *testing.T) {
		h := newHarness(t, 100, 30)
		h.key("K")
		h.contains("Trees are chosen from the command line here")
		h.key("enter") // nothing to pick
		if h.m.screen != screenTrees {
			t.Fatal("enter with nothing to pick left the picker")
		}
	})
}

// A learner who prepared only 7.3 gets 7.x code from the start: in the lesson, in the starter's
// folder, and named in the status bar.
func TestOnlyA73TreeShows7xCode(t *testing.T) {
	h := newHarness(t, 100, 30, func(o *Options) { o.Tree = tree73() })
	h.send(openLessonMsg{lesson: h.c.Course.Lesson("first-module")})
	h.waitFor("the lesson", 5*time.Second, func() bool { return h.m.lesson.shown != docKey{} })
	h.contains(`authors: ["A Learner"]`)
	h.lacks(`author: "A Learner"`)
	h.contains("Linux 7.3.4 · /srv/k73")
	p := openHello(t, h)
	if !strings.HasSuffix(p.dir, "hello-module@linux-7") {
		t.Fatalf("the 7.3 learner's copy is in %s", p.dir)
	}
	h.lacks("stays in") // no other kernel's copy to point at
}
