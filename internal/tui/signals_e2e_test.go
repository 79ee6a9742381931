package tui

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// buildBinary builds rfl-tutor into dir for the end-to-end tests.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "rfl-tutor")
	build := exec.Command("go", "build", "-o", bin, e2eBinary)
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// A signal to the running TUI, in the middle of a check, ends it within 2 s with the
// signal's exit code, the terminal as it was (main screen, cursor shown, the line discipline's
// settings back) and no process of the check left.
func TestTUIExitsOnSignals(t *testing.T) {
	kdir := testkernel.Dir(t)
	if _, err := exec.LookPath("tmux"); err != nil {
		if testkernel.Required() {
			t.Fatal("tmux is needed for the end-to-end test of the TUI")
		}
		t.Skip("no tmux")
	}
	bin := buildBinary(t, t.TempDir())
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			// The wrapper records the program's pid and exit status, and whether the
			// terminal's settings are the same after it as before.
			script := filepath.Join(tmp, "run.sh")
			wrapper := fmt.Sprintf(`before=$(stty -g)
sh -c 'echo $$ > %[1]s/pid; exec "$@"' sh %[2]s --kdir %[3]s 2>%[1]s/stderr
echo $? > %[1]s/code
[ "$(stty -g)" = "$before" ] && echo same > %[1]s/stty
echo "back in the shell"
sleep 60
`, shellQuote(tmp), shellQuote(bin), shellQuote(kdir))
			if err := os.WriteFile(script, []byte(wrapper), 0o755); err != nil {
				t.Fatal(err)
			}
			var cmd strings.Builder
			cmd.WriteString(isolatedEnv(tmp, filepath.Join(tmp, "ws"), filepath.Join(tmp, "progress.json")))
			cmd.WriteString(" sh " + shellQuote(script))
			s := &tmuxSession{t: t, socket: fmt.Sprintf("rfl-tutor-sig-%d-%d", os.Getpid(), sig), name: "sig"}
			if out, err := s.tmux("-f", "/dev/null", "new-session", "-d", "-s", s.name, "-x", "100", "-y", "30", cmd.String()); err != nil {
				t.Fatalf("tmux new-session: %v\n%s", err, out)
			}
			t.Cleanup(func() { _, _ = s.tmux("kill-server") })

			s.waitText("Welcome to rfl-tutor", 30*time.Second) // a new learner's first screen
			s.send("Escape")
			s.waitText("Lessons", 5*time.Second)
			s.send("/")
			s.typeText("hello-module")
			s.waitText("Say hello", 5*time.Second)
			s.send("Enter")
			s.waitText("● watching", 10*time.Second)
			if on := s.format("#{alternate_on}"); on != "1" {
				t.Fatalf("the TUI does not use the alternate screen (alternate_on=%q)", on)
			}
			s.send("c")
			cache := filepath.Join(tmp, "cache")
			if !waitFor(2*time.Minute, func() bool { return len(processesUnder(cache)) > 0 }) {
				t.Fatalf("no build started:\n%s", s.capture())
			}
			b, err := os.ReadFile(filepath.Join(tmp, "pid"))
			if err != nil {
				t.Fatal(err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			if err := syscall.Kill(pid, sig); err != nil {
				t.Fatal(err)
			}
			if !waitFor(5*time.Second, func() bool { return fileExists(filepath.Join(tmp, "code")) }) {
				t.Fatalf("rfl-tutor still runs 5 s after %s:\n%s", sig, s.capture())
			}
			took := time.Since(start)
			if took > 2*time.Second {
				t.Errorf("rfl-tutor took %s to exit after %s, want at most 2 s", took.Round(10*time.Millisecond), sig)
			}
			t.Logf("exited %s after %s", took.Round(time.Millisecond), sig)
			code, _ := os.ReadFile(filepath.Join(tmp, "code"))
			if got, want := strings.TrimSpace(string(code)), strconv.Itoa(128+int(sig)); got != want {
				stderr, _ := os.ReadFile(filepath.Join(tmp, "stderr"))
				t.Errorf("exit code %s after %s, want %s; stderr:\n%s", got, sig, want, stderr)
			}
			s.waitText("back in the shell", 5*time.Second)
			if !fileExists(filepath.Join(tmp, "stty")) {
				t.Error("the terminal's settings differ after the TUI ended (still raw?)")
			}
			for format, want := range map[string]string{"#{alternate_on}": "0", "#{cursor_flag}": "1", "#{mouse_any_flag}": "0"} {
				if got := s.format(format); got != want {
					t.Errorf("after the exit %s = %q, want %q", format, got, want)
				}
			}
			if left := processesUnder(cache); len(left) > 0 {
				t.Errorf("processes of the check survived rfl-tutor:\n%s", strings.Join(left, "\n"))
			}
		})
	}
}

// format asks tmux for a format variable of the pane, e.g. #{alternate_on}.
func (s *tmuxSession) format(f string) string {
	out, err := s.tmux("display-message", "-p", "-t", s.name, f)
	if err != nil {
		return fmt.Sprintf("(display-message failed: %v: %s)", err, out)
	}
	return strings.TrimSpace(string(out))
}

func waitFor(within time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(within); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
