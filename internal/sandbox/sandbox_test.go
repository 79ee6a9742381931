package sandbox

import (
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// need skips where bubblewrap cannot run, except in CI (RFL_REQUIRE_KERNEL=1), which installs it.
func need(t *testing.T) {
	t.Helper()
	if _, err := Find(); err != nil {
		if testkernel.Required() {
			t.Fatalf("CI must be able to sandbox builds: %v", err)
		}
		t.Skip(err)
	}
}

// run runs a bash script with arguments in the sandbox s and returns its combined output.
func run(t *testing.T, s Spec, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command("/bin/bash", append([]string{"-c", script, "bash"}, args...)...)
	if err := Wrap(cmd, s); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return string(out)
}

func TestWritesOnlyInsideWritable(t *testing.T) {
	need(t)
	inside, outside := t.TempDir(), t.TempDir()
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	homeFile := filepath.Join(home, ".rfl-tutor-sandbox-test-"+strconv.Itoa(os.Getpid()))
	out := run(t, Spec{Writable: []string{inside}}, `echo in > "$1/made" && echo wrote-inside
{ echo out > "$2/made"; } 2>/dev/null || echo refused-outside
{ echo x > "$3"; } 2>/dev/null || echo refused-home
echo t > /tmp/scratch && echo tmp-ok
[ -e "$2" ] || echo outside-hidden`, inside, outside, homeFile)
	for _, want := range []string{"wrote-inside", "refused-outside", "refused-home", "tmp-ok", "outside-hidden"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got, err := os.ReadFile(filepath.Join(inside, "made")); err != nil || string(got) != "in\n" {
		t.Errorf("file in the writable folder: %q, %v", got, err)
	}
	if _, err := os.Stat(filepath.Join(outside, "made")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file appeared outside the writable folder: %v", err)
	}
	if _, err := os.Stat(homeFile); !errors.Is(err, os.ErrNotExist) {
		_ = os.Remove(homeFile)
		t.Errorf("a file appeared in the home folder: %v", err)
	}
	if _, err := os.Stat("/tmp/scratch"); err == nil {
		t.Error("the sandbox's /tmp is the host's")
	}
}

func TestReadableAboveTmp(t *testing.T) {
	need(t)
	ro := t.TempDir()
	if err := os.WriteFile(filepath.Join(ro, "data"), []byte("seen"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := run(t, Spec{Readable: []string{ro}, Dir: ro}, `cat data; echo; pwd; { echo x > new; } 2>/dev/null || echo read-only`)
	if want := "seen\n" + ro + "\nread-only\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
}

func TestNoNetworkNoCapabilities(t *testing.T) {
	need(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	// The same script unsandboxed connects: the test can tell a refused connect from a broken one.
	probe := `if (echo hi > /dev/tcp/127.0.0.1/$1) 2>/dev/null; then echo connected; else echo refused; fi
grep '^CapEff' /proc/self/status`
	b, err := exec.Command("/bin/bash", "-c", probe, "bash", port).CombinedOutput()
	if err != nil || !strings.Contains(string(b), "connected") {
		t.Fatalf("unsandboxed connect: %v %s", err, b)
	}
	deadline := time.Now().Add(5 * time.Second)
	for accepted.Load() != 1 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := accepted.Load(); n != 1 {
		t.Fatalf("listener saw %d connections from the unsandboxed script, want 1", n)
	}
	out := run(t, Spec{}, probe, port)
	if !strings.Contains(out, "refused") || strings.Contains(out, "connected") {
		t.Errorf("the sandbox reached the host's loopback:\n%s", out)
	}
	if !strings.Contains(out, "CapEff:\t0000000000000000") {
		t.Errorf("capabilities left in the sandbox:\n%s", out)
	}
	time.Sleep(100 * time.Millisecond)
	if n := accepted.Load(); n != 1 {
		t.Errorf("listener saw %d connections, want only the unsandboxed one", n)
	}
}

func TestNewSessionDetachesTheTerminal(t *testing.T) {
	need(t)
	// Inside a pid namespace a process's own session id is its namespace pid: a new session
	// makes the command (pid 2 under bwrap's init) its leader.
	for _, newSession := range []bool{false, true} {
		out := run(t, Spec{NewSession: newSession}, `ps_sid=$(cut -d' ' -f6 /proc/self/stat); [ "$ps_sid" = 0 ] && echo inherited || echo own`)
		want := "inherited\n"
		if newSession {
			want = "own\n"
		}
		if out != want {
			t.Errorf("NewSession=%v: %q, want %q", newSession, out, want)
		}
	}
}

func TestMissingBwrap(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Find()
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "apt-get install bubblewrap") {
		t.Errorf("Find without bwrap on PATH: %v", err)
	}
	cmd := exec.Command("/bin/true")
	if err := Wrap(cmd, Spec{}); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Wrap without bwrap: %v", err)
	}
	if cmd.Path != "/bin/true" || len(cmd.Args) != 1 {
		t.Errorf("Wrap changed the command it could not sandbox: %v", cmd.Args)
	}
}

func TestRelativeFolderRefused(t *testing.T) {
	need(t)
	if err := Wrap(exec.Command("/bin/true"), Spec{Writable: []string{"build"}}); err == nil {
		t.Error("a relative writable folder was accepted")
	}
}
