package tui

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
)

// e2eBinary is the package the end-to-end test builds and runs.
const e2eBinary = "./cmd/rfl-tutor"

// buildTimeout bounds one check of the seed exercise against the real tree (the first build
// of a Rust module also builds nothing of the tree, but rustc takes its time).
const buildTimeout = 4 * time.Minute

// tmuxSession is the binary running in a detached tmux session on a private server.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

func (s *tmuxSession) tmux(args ...string) ([]byte, error) {
	return exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
}

func (s *tmuxSession) send(keys ...string) {
	s.t.Helper()
	if out, err := s.tmux(append([]string{"send-keys", "-t", s.name}, keys...)...); err != nil {
		s.t.Fatalf("tmux send-keys %q: %v\n%s", keys, err, out)
	}
}

// typeText sends text literally (no key names).
func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	if out, err := s.tmux("send-keys", "-t", s.name, "-l", text); err != nil {
		s.t.Fatalf("tmux send-keys -l %q: %v\n%s", text, err, out)
	}
}

// press sends a key after checking that the screen names it: the learner's walk through the
// tutor must need no key the screen does not show.
func (s *tmuxSession) press(key, shown string) {
	s.t.Helper()
	s.waitText(shown, 10*time.Second)
	s.send(key)
}

func (s *tmuxSession) capture() string {
	out, err := s.tmux("capture-pane", "-p", "-t", s.name)
	if err != nil {
		return fmt.Sprintf("(capture-pane failed: %v: %s)", err, out)
	}
	return string(out)
}

func (s *tmuxSession) alive() bool {
	_, err := s.tmux("has-session", "-t", s.name)
	return err == nil
}

// waitFor polls the pane until cond holds; on timeout it fails with the pane's content.
func (s *tmuxSession) waitFor(what string, timeout time.Duration, cond func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := s.capture()
		if cond(screen) {
			return screen
		}
		if !s.alive() {
			s.t.Fatalf("the program exited while waiting for %s; last screen:\n%s", what, screen)
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out after %v waiting for %s; screen:\n%s", timeout, what, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (s *tmuxSession) waitText(text string, timeout time.Duration) string {
	s.t.Helper()
	return s.waitFor(strconv.Quote(text), timeout, func(screen string) bool { return strings.Contains(screen, text) })
}

// isolatedEnv is the start of a shell command that runs what follows with nothing of the
// developer's environment but PATH: every folder of the tutor under tmp, the workspace at ws,
// progress in progressFile, an editor that returns at once.
func isolatedEnv(tmp, ws, progressFile string) string {
	env := []string{
		"HOME=" + filepath.Join(tmp, "home"),
		"XDG_CONFIG_HOME=" + filepath.Join(tmp, "config"),
		"XDG_DATA_HOME=" + filepath.Join(tmp, "data"),
		"XDG_STATE_HOME=" + filepath.Join(tmp, "state"),
		"XDG_CACHE_HOME=" + filepath.Join(tmp, "cache"),
		workspace.EnvRoot + "=" + ws,
		progress.EnvPath + "=" + progressFile,
		"TERM=xterm-256color",
		"EDITOR=true",
		"VISUAL=",
		"PATH=" + os.Getenv("PATH"),
	}
	var b strings.Builder
	b.WriteString("exec env -i")
	for _, e := range env {
		b.WriteString(" " + shellQuote(e))
	}
	return b.String()
}

// shellQuote quotes a word for the shell tmux runs the command with.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// processesUnder lists the processes (other than this test and tmux) whose command line or
// working directory mentions dir: a build of this test's run that is still alive.
func processesUnder(dir string) []string {
	entries, _ := os.ReadDir("/proc")
	var out []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue // gone meanwhile
		}
		args := string(bytes.ReplaceAll(bytes.TrimRight(cmdline, "\x00"), []byte{0}, []byte{' '}))
		if strings.HasPrefix(args, "tmux") {
			continue
		}
		cwd, _ := os.Readlink(filepath.Join("/proc", e.Name(), "cwd"))
		if strings.Contains(args, dir) || strings.HasPrefix(cwd, dir) {
			out = append(out, fmt.Sprintf("%d %s (cwd %s)", pid, args, cwd))
		}
	}
	return out
}

// TestEndToEndTmux runs the real binary in tmux against the real kernel tree: it opens the
// seed exercise, sees its starter fail, writes the solution into the workspace from outside and
// sees watch mode pass it, then quits during a build and checks that no process of the build
// survived.
func TestEndToEndTmux(t *testing.T) {
	kdir := testkernel.Dir(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		if testkernel.Required() {
			t.Fatal("tmux is needed for the end-to-end test of the TUI")
		}
		t.Skip("no tmux")
	}
	tmp := t.TempDir()
	bin := buildBinary(t, tmp)

	// The course's own seed exercise and its reference solution.
	c, err := course.Load(course.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	ex := c.Exercise("hello-module")
	if ex == nil {
		t.Fatal("the embedded course has no hello-module exercise")
	}
	solution, err := c.Files(ex.Snippet, course.VariantSrc)
	if err != nil {
		t.Fatal(err)
	}
	wsRoot := filepath.Join(tmp, "workspace")
	exDir := workspace.New(wsRoot).Dir(c.ID, ex.ID)
	progressFile := filepath.Join(tmp, "progress.json")

	var cmd strings.Builder
	cmd.WriteString(isolatedEnv(tmp, wsRoot, progressFile))
	fmt.Fprintf(&cmd, " %s --kdir %s 2>%s", shellQuote(bin), shellQuote(kdir), shellQuote(filepath.Join(tmp, "stderr")))

	s := &tmuxSession{t: t, socket: fmt.Sprintf("rfl-tutor-e2e-%d", os.Getpid()), name: "e2e"}
	if out, err := s.tmux("-f", "/dev/null", "new-session", "-d", "-s", s.name, "-x", "120", "-y", "40", cmd.String()); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if s.alive() {
			t.Logf("final screen:\n%s", s.capture())
		}
		_, _ = s.tmux("kill-server")
		if stderr, _ := os.ReadFile(filepath.Join(tmp, "stderr")); len(stderr) > 0 {
			t.Logf("stderr of rfl-tutor:\n%s", stderr)
		}
	})

	// A fresh learner starts on the welcome screen, and from there on uses only keys the screen
	// names: lesson 1 and its knowledge check, then the list, the filter and the exercise.
	s.waitText("Welcome to rfl-tutor", 30*time.Second)
	s.press("Enter", "Press enter to start lesson 1")
	first := c.Lessons[0]
	s.waitText(first.Title, 10*time.Second)
	s.press("t", "t test yourself")
	for i, q := range first.Quiz {
		s.waitText(fmt.Sprintf("question %d of %d", i+1, len(first.Quiz)), 5*time.Second)
		s.press(strconv.Itoa(q.Answer+1), fmt.Sprintf("Press 1–%d to answer", len(q.Choices)))
		s.waitText("Right.", 5*time.Second)
		if i+1 < len(first.Quiz) {
			s.press("n", "n: next question")
		}
	}
	s.waitText("Knowledge check complete", 5*time.Second)
	s.press("Escape", "esc back to the text")
	// Two escapes in a row would read as one key with Alt: wait for the text first.
	s.press("Escape", "t test yourself")
	s.waitText("Lessons", 5*time.Second)
	s.waitText(ex.Lesson.Title, 5*time.Second)

	// Filter to the exercise and open it: the starter is copied into the workspace.
	s.press("/", "/ filter")
	s.typeText(ex.ID)
	s.waitFor("the filtered list", 5*time.Second, func(screen string) bool {
		return strings.Contains(screen, ex.Title) && !strings.Contains(screen, "Why Rust in the kernel")
	})
	s.send("Enter")
	s.waitText("File ", 10*time.Second)
	s.waitText("● watching", 5*time.Second)
	for name := range solution {
		if _, err := os.Stat(filepath.Join(exDir, name)); err != nil {
			t.Fatalf("opening the exercise did not create %s: %v", name, err)
		}
	}

	// Check the starter as shipped: it fails, with diagnostics.
	s.press("c", "c check")
	screen := s.waitFor("the starter's verdict", buildTimeout, func(screen string) bool {
		return strings.Contains(screen, "FAIL") || strings.Contains(screen, "PASS") || strings.Contains(screen, "could not run")
	})
	if !strings.Contains(screen, "FAIL") || !strings.Contains(screen, "✗ build") {
		t.Fatalf("the starter did not fail its build:\n%s", screen)
	}

	// Write the solution from outside, as an editor in another window would: watch mode checks
	// it and it passes.
	for name, data := range solution {
		if err := os.WriteFile(filepath.Join(exDir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The boot stage's guest console streams into the pane while it boots, before the verdict:
	// kernel lines carry printk timestamps, which build output never has.
	consoleLine := regexp.MustCompile(`\[\s*\d+\.\d{6}\] `)
	screen = s.waitFor("the guest's console, live", buildTimeout, func(screen string) bool {
		return consoleLine.MatchString(screen) || strings.Contains(screen, "PASS") || strings.Contains(screen, "could not run")
	})
	if !consoleLine.MatchString(screen) || strings.Contains(screen, "PASS") {
		t.Errorf("the guest's console was not shown while the module booted:\n%s", screen)
	}
	screen = s.waitFor("the solution's verdict", buildTimeout, func(screen string) bool {
		return strings.Contains(screen, "PASS") || strings.Contains(screen, "could not run")
	})
	for _, stage := range []string{"✓ build", "✓ warnings", "✓ modinfo", "✓ style", "✓ boot"} {
		if !strings.Contains(screen, stage) {
			t.Errorf("after the pass, %q is missing:\n%s", stage, screen)
		}
	}

	// The pass offers the next step; n takes the learner to the next exercise.
	next := ex.Lesson.Exercises[1]
	s.press("n", "n next: "+next.Title)
	s.waitFor("the next exercise", 10*time.Second, func(screen string) bool {
		return strings.Contains(screen, next.Title+" · "+next.ID) && strings.Contains(screen, "File ")
	})
	if _, err := os.Stat(filepath.Join(tmp, "progress.json")); err != nil {
		t.Fatalf("no progress written: %v", err)
	}

	// Check its starter and quit while that build runs: quitting must take make and rustc down
	// with it.
	s.press("c", "c check")
	scratch := filepath.Join(tmp, "cache")
	deadline := time.Now().Add(30 * time.Second)
	for len(processesUnder(scratch)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no build started for the next exercise:\n%s", s.capture())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("quitting during the build: %q", processesUnder(scratch))
	s.send("q")
	deadline = time.Now().Add(30 * time.Second)
	for s.alive() {
		if time.Now().After(deadline) {
			t.Fatalf("rfl-tutor did not exit after q:\n%s", s.capture())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if left := processesUnder(tmp); len(left) > 0 {
		t.Fatalf("processes of the run survived rfl-tutor:\n%s", strings.Join(left, "\n"))
	}

	// The attempts were recorded as the CLI records them.
	store, err := progress.Open(progressFile)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Load()
	if err != nil {
		t.Fatal(err)
	}
	ep := st.Lookup(c.ID).ExerciseStatus(ex.ID)
	if ep.Attempts < 2 || !ep.Passed {
		t.Fatalf("progress after the run: %+v", ep)
	}
}
