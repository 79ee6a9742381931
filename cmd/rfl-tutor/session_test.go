package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// fakePreparedTree makes a tree `kernel prepare` could have left in the cache: configured with
// options, the Rust artifacts present, and its metadata written at date.
func fakePreparedTree(t *testing.T, cache, release string, options []string, date time.Time) string {
	t.Helper()
	dir := filepath.Join(cache, release+"-fake")
	v := strings.SplitN(release, ".", 3)
	files := map[string]string{
		"Makefile":                      "VERSION = " + v[0] + "\nPATCHLEVEL = " + v[1] + "\nSUBLEVEL = " + v[2] + "\nEXTRAVERSION =\n",
		"include/config/kernel.release": release + "\n",
		".config":                       "CONFIG_" + strings.Join(options, "=y\nCONFIG_") + "=y\n",
	}
	for _, a := range kernel.Artifacts {
		files[a] = ""
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := kernel.WriteMeta(dir, &kernel.Meta{Release: release, Date: date}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// With several prepared trees the CLI, the TUI and doctor pick the same one: here the older
// tree, because only it has every option the course needs (a command that forgot the course's
// configuration would take the newer one).
func TestEveryCommandSelectsTheSameTree(t *testing.T) {
	isolate(t)
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, o := range c.KernelFragment(nil) {
		all = append(all, o.Name)
	}
	cache := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "rfl-tutor", "kernels")
	want := fakePreparedTree(t, cache, "6.12.117", all, time.Now().Add(-time.Hour))
	fakePreparedTree(t, cache, "7.3.4", []string{"RUST", "MODULES"}, time.Now())

	var listed []struct {
		Dir      string `json:"dir"`
		Selected bool   `json:"selected"`
	}
	out, errOut, _ := cli(t, "kernel", "list", "--json")
	if err := json.Unmarshal([]byte(out), &listed); err != nil {
		t.Fatalf("kernel list: %v\n%s\n%s", err, out, errOut)
	}
	for _, l := range listed {
		if l.Selected && l.Dir != want {
			t.Errorf("kernel list selects %s, want %s", l.Dir, want)
		}
	}
	var doc struct{ Tree string }
	out, _, _ = cli(t, "doctor", "--json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Tree != want {
		t.Errorf("doctor judges %q (%v), want %s", doc.Tree, err, want)
	}
	// The session is what check, show, list and the TUI all open.
	sess, err := (&app{stdout: io.Discard, stderr: io.Discard}).session(c)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Tree == nil || sess.Tree.Dir != want {
		t.Errorf("the session (CLI and TUI) uses %v, want %s", sess.Tree, want)
	}
	// list shows the 6.12 folder names, as the selected tree's kernel has them.
	out, _, _ = cli(t, "list", "--json")
	if !strings.Contains(out, `"workspace": "`+sess.Dir(c.Exercise("hello-module"))+`"`) || strings.Contains(out, "hello-module@linux-7") {
		t.Errorf("list does not follow the selected tree:\n%.600s", out)
	}
}

// A pass from the CLI is recorded by the rule the TUI uses: the attempts up to the pass (a
// cached re-check is none), and the lesson completed.
func TestCLIPassCompletesTheLesson(t *testing.T) {
	kdir := testkernel.Dir(t)
	isolate(t)
	pack := "../../internal/tui/testdata/course"
	args := []string{"--course", pack, "--kdir", kdir, "check", "hello-module", "--no-boot"}
	if _, errOut, code := cli(t, args...); code != 1 {
		t.Fatalf("starter: exit %d, want 1\n%s", code, errOut)
	}
	c, err := course.Load(os.DirFS(pack))
	if err != nil {
		t.Fatal(err)
	}
	store, err := progress.Open(progress.DefaultPath())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := kernel.Open(kdir)
	if err != nil {
		t.Fatal(err)
	}
	sess := tutor.New(c, tree, nil, (&app{}).workspace(), store, t.TempDir())
	files, err := c.Files(sess.Exercise(c.Exercise("hello-module")).Snippet, course.VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sess.Dir(c.Exercise("hello-module")), "hello.rs"), files["hello.rs"], 0o644); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{0, 0} { // a pass, then the same files again (cached)
		out, errOut, code := cli(t, args...)
		if code != want {
			t.Fatalf("check %d of the solution: exit %d\n%s\n%s", i+1, code, out, errOut)
		}
	}
	st, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	cp := st.Lookup(c.ID)
	ep := cp.ExerciseStatus("hello-module")
	if !ep.Passed || ep.Attempts != 2 {
		t.Errorf("progress %+v: want passed after 2 attempts (the cached re-check is none)", ep)
	}
	if cp.LessonStatus("first-module").CompletedAt.IsZero() || !tutor.LessonDone(cp, c.Lesson("first-module")) {
		t.Errorf("the CLI's pass did not complete the lesson: %+v", cp.LessonStatus("first-module"))
	}
	out, _, _ := cli(t, "--course", pack, "progress")
	if !strings.Contains(out, "after 2 attempt(s)") {
		t.Errorf("progress does not say 2 attempts:\n%s", out)
	}
}

// A tree doctor would fail is no verdict on the learner: exit 2 with the fix, no attempt.
func TestBrokenTreeIsAnEnvironmentError(t *testing.T) {
	isolate(t)
	tree := fakePreparedTree(t, t.TempDir(), "6.12.117", []string{"RUST", "MODULES"}, time.Now())
	if err := os.Remove(filepath.Join(tree, "rust/libkernel.rmeta")); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := cli(t, "check", "hello-module", "--kdir", tree)
	if code != 2 || !strings.Contains(errOut, "rust/libkernel.rmeta is missing") || !strings.Contains(errOut, "rfl-tutor doctor") {
		t.Fatalf("exit %d, stderr %q: want 2, naming the missing metadata and doctor", code, errOut)
	}
	out, _, _ := cli(t, "progress", "--json")
	if strings.Contains(out, `"attempts": 1`) {
		t.Errorf("a broken tree counted as an attempt:\n%s", out)
	}
}
