package build

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rfl-tutor/rfl-tutor/internal/proc"
	"github.com/rfl-tutor/rfl-tutor/internal/sandbox"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

func TestMain(m *testing.M) {
	// Killed grandchildren become orphans; where init does not reap them (this sandbox's
	// PID 1 does not) they would stay zombies in the group forever. Adopting them lets Run
	// reap them, so "the group is gone" can be asserted with kill(-pgid, 0).
	if err := proc.AdoptOrphans(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// fakeMake writes an executable script standing in for make. It ignores SIGHUP, and so do
// its children: otherwise the SIGHUP the kernel sends a session's processes when its leader
// exits would kill them, and the tests could not tell whether Run killed the group.
func fakeMake(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "make")
	if err := os.WriteFile(p, []byte("#!/bin/sh\ntrap '' HUP\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeRequest builds with mk. Every process of the build carries a marker in its environment,
// which finds them on the host whatever their pid inside the sandbox's pid namespace.
func fakeRequest(t *testing.T, mk string) Request {
	return Request{
		KDir:       t.TempDir(),
		Make:       mk,
		Files:      map[string][]byte{"Kbuild": []byte("obj-m := x.o\n")},
		ScratchDir: filepath.Join(t.TempDir(), "scratch"),
		Env:        []string{markerVar + "=" + t.Name()},
	}
}

const markerVar = "RFL_TUTOR_TEST_MARKER"

// withoutBwrap puts on PATH a folder of links to every program on PATH except bubblewrap.
func withoutBwrap(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if e.Name() != sandbox.Program {
				// The first of a name wins, as on PATH.
				_ = os.Symlink(filepath.Join(d, e.Name()), filepath.Join(dir, e.Name()))
			}
		}
	}
	t.Setenv("PATH", dir)
}

// collector gathers streamed output and signals when a string shows up.
type collector struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	want  string
	found chan struct{}
	once  sync.Once
}

func newCollector(want string) *collector {
	return &collector{want: want, found: make(chan struct{})}
}

func (c *collector) write(p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.want) {
		c.once.Do(func() { close(c.found) })
	}
}

func (c *collector) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.String()
}

// marked lists the live processes named comm whose environment carries the test's marker.
func marked(t *testing.T, comm string) []int {
	t.Helper()
	want := []byte(markerVar + "=" + t.Name() + "\x00")
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		env, err1 := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		name, err2 := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err1 == nil && err2 == nil && bytes.Contains(env, want) && strings.TrimSpace(string(name)) == comm {
			pids = append(pids, pid)
		}
	}
	return pids
}

// markedAtLeast polls marked until it lists n processes or the deadline passes: a shell's
// `sleep 300 &` has forked but may not have exec'd sleep yet when the script says it is ready.
func markedAtLeast(t *testing.T, comm string, n int, within time.Duration) []int {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		pids := marked(t, comm)
		if len(pids) >= n || time.Now().After(deadline) {
			return pids
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// assertGone checks that the process group and every process of the build are gone.
func assertGone(t *testing.T, res *Result) {
	t.Helper()
	if res.PGID <= 0 {
		t.Fatalf("no process group recorded: %+v", res)
	}
	if err := unix.Kill(-res.PGID, 0); err != unix.ESRCH {
		t.Errorf("kill(-%d, 0) = %v, want ESRCH: the build's process group survived", res.PGID, err)
	}
	for _, comm := range []string{"sleep", "sh", "make", sandbox.Program} {
		if pids := marked(t, comm); len(pids) > 0 {
			t.Errorf("%s processes of the build still exist: %v", comm, pids)
		}
	}
}

// bothWays runs a test with the sandbox and, as where bubblewrap is missing and the pack is
// trusted, without it.
func bothWays(t *testing.T, test func(t *testing.T, sandboxed bool)) {
	t.Run("sandboxed", func(t *testing.T) {
		if _, err := sandbox.Find(); err != nil {
			if testkernel.Required() {
				t.Fatal(err)
			}
			t.Skip(err)
		}
		test(t, true)
	})
	t.Run("unsandboxed", func(t *testing.T) {
		withoutBwrap(t)
		test(t, false)
	})
}

// A make whose child and grandchild sleep: cancelling must take the whole tree down.
// The fifo makes "ready" come after both have started.
const sleepers = `sleep 300 &
sync=$(mktemp -u)
mkfifo "$sync"
sh -c 'sleep 300 & echo > "$1"; wait' sh "$sync" &
read _ < "$sync"
echo ready
wait
`

func TestRunCancelKillsProcessGroup(t *testing.T) {
	bothWays(t, func(t *testing.T, sandboxed bool) {
		req := fakeRequest(t, fakeMake(t, sleepers))
		req.Trusted = true
		c := newCollector("ready")
		req.Output = c.write
		ctx, cancel := context.WithCancel(context.Background())
		var sleeping []int
		go func() {
			select {
			case <-c.found:
				sleeping = markedAtLeast(t, "sleep", 2, 5*time.Second)
			case <-time.After(10 * time.Second):
			}
			cancel()
		}()
		start := time.Now()
		res, err := Run(ctx, req)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run error = %v, want context.Canceled; output:\n%s", err, c.String())
		}
		if res.Sandboxed != sandboxed {
			t.Errorf("Sandboxed = %v", res.Sandboxed)
		}
		if len(sleeping) != 2 {
			t.Fatalf("%d sleeping descendants before the cancel, want 2; output:\n%s", len(sleeping), c.String())
		}
		if !res.Canceled || res.TimedOut {
			t.Errorf("Canceled=%v TimedOut=%v, want true false", res.Canceled, res.TimedOut)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("cancel took %s", d)
		}
		if res.ExitCode == 0 {
			t.Errorf("exit code 0 for a killed build")
		}
		if len(res.Kos) != 0 {
			t.Errorf("Kos = %v for a canceled build", res.Kos)
		}
		assertGone(t, res)
	})
}

func TestRunTimeoutEscalatesToSIGKILL(t *testing.T) {
	bothWays(t, func(t *testing.T, sandboxed bool) {
		// Both make and a grandchild ignore SIGTERM, so only SIGKILL after the grace period ends
		// them. In the sandbox SIGTERM ends bwrap, which takes the whole sandbox with it at once.
		mk := fakeMake(t, `trap '' TERM
sh -c 'trap "" TERM; while :; do sleep 0.05; done' &
sleep 300 &
echo started
wait
`)
		req := fakeRequest(t, mk)
		req.Trusted = true
		req.Timeout = 300 * time.Millisecond
		req.KillGrace = 300 * time.Millisecond
		c := newCollector("")
		req.Output = c.write
		start := time.Now()
		res, err := Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		d := time.Since(start)
		if !strings.Contains(c.String(), "started") {
			t.Fatalf("the fake make did not start:\n%s", c.String())
		}
		if !res.TimedOut || res.Canceled {
			t.Errorf("TimedOut=%v Canceled=%v, want true false", res.TimedOut, res.Canceled)
		}
		if res.Timeout != req.Timeout {
			t.Errorf("Result.Timeout = %s", res.Timeout)
		}
		switch {
		case d > 5*time.Second:
			t.Errorf("Run took %s", d)
		case sandboxed && d >= req.Timeout+req.KillGrace:
			t.Errorf("Run took %s: the sandbox outlived the SIGTERM its bwrap got", d)
		case !sandboxed && d < req.Timeout+req.KillGrace:
			t.Errorf("Run took %s, want about timeout+grace (%s)", d, req.Timeout+req.KillGrace)
		}
		if res.ExitCode != -1 {
			t.Errorf("exit code %d, want -1 (killed by a signal)", res.ExitCode)
		}
		assertGone(t, res)
	})
}

func TestRunNormalExitKillsStragglers(t *testing.T) {
	bothWays(t, func(t *testing.T, _ bool) {
		// A recipe that leaves a background job behind must not leave it running (nor keep the
		// pty open, which would hang the reader).
		mk := fakeMake(t, `sleep 300 &
sh -c 'sleep 300 &'
echo started
exit 3
`)
		req := fakeRequest(t, mk)
		req.Trusted = true
		c := newCollector("")
		req.Output = c.write
		res, err := Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		if res.ExitCode != 3 || !strings.Contains(c.String(), "started") {
			t.Errorf("exit code %d, want 3; output:\n%s", res.ExitCode, c.String())
		}
		assertGone(t, res)
	})
}

// An untrusted build never runs outside the sandbox; in it, only the build folder is writable.
func TestRunSandboxConfinesTheBuild(t *testing.T) {
	outside := t.TempDir()
	mk := fakeMake(t, `echo made > "$(pwd)/../outside-kdir" 2>/dev/null
echo made > `+outside+`/planted 2>/dev/null
for a; do case $a in M=*) echo made > "${a#M=}/inside" && echo wrote-inside;; esac; done
`)
	t.Run("no bwrap", func(t *testing.T) {
		withoutBwrap(t)
		_, err := Run(context.Background(), fakeRequest(t, mk))
		if !errors.Is(err, sandbox.ErrUnavailable) {
			t.Errorf("untrusted build without bwrap: %v, want sandbox.ErrUnavailable", err)
		}
		if _, err := os.Stat(filepath.Join(outside, "planted")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("make ran: %v", err)
		}
	})
	t.Run("sandboxed", func(t *testing.T) {
		if _, err := sandbox.Find(); err != nil {
			if testkernel.Required() {
				t.Fatal(err)
			}
			t.Skip(err)
		}
		req := fakeRequest(t, mk)
		res, err := Run(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Sandboxed || res.ExitCode != 0 || !strings.Contains(string(res.Output), "wrote-inside") {
			t.Errorf("sandboxed %v, exit %d, output:\n%s", res.Sandboxed, res.ExitCode, res.Output)
		}
		if _, err := os.Stat(filepath.Join(res.ScratchDir, "inside")); err != nil {
			t.Errorf("the build could not write its own folder: %v", err)
		}
		for _, p := range []string{filepath.Join(outside, "planted"), filepath.Join(filepath.Dir(req.KDir), "outside-kdir")} {
			if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the build wrote %s: %v", p, err)
			}
		}
	})
}

func TestRunCommandAndEnvironment(t *testing.T) {
	mk := fakeMake(t, `echo "args: $*"; echo "term=$TERM nocolor=${NO_COLOR-unset} makeflags=${MAKEFLAGS-unset} extra=$EXTRA"; pwd; [ -t 1 ] && echo "stdout is a tty"; stty size`)
	t.Setenv("MAKEFLAGS", "-j99 --jobserver-auth=3,4")
	for _, noColor := range []bool{false, true} {
		req := fakeRequest(t, mk)
		req.MakeArgs = []string{"LLVM=-19", "RUSTC=/usr/bin/rustc"}
		req.Jobs = 2
		req.NoColor = noColor
		req.Env = []string{"EXTRA=yes"}
		req.Cols, req.Rows = 101, 33
		res, err := Run(context.Background(), req)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		out := strings.ReplaceAll(string(res.Output), "\r\n", "\n")
		wantArgs := "args: -j2 -C " + req.KDir + " M=" + res.ScratchDir + " LLVM=-19 RUSTC=/usr/bin/rustc modules"
		term := "term=xterm-256color nocolor=unset"
		if noColor {
			term = "term=dumb nocolor=1"
		}
		for _, want := range []string{wantArgs, term + " makeflags=unset extra=yes", "\n" + req.KDir + "\n", "stdout is a tty", "33 101"} {
			if !strings.Contains(out, want) {
				t.Errorf("NoColor=%v: output lacks %q:\n%s", noColor, want, out)
			}
		}
		if want := mk + " -j2 -C " + req.KDir + " M=" + res.ScratchDir + " LLVM=-19 RUSTC=/usr/bin/rustc modules"; res.Command != want {
			t.Errorf("Command = %q, want %q", res.Command, want)
		}
		if res.ExitCode != 0 {
			t.Errorf("exit code %d", res.ExitCode)
		}
	}
}

func TestRunBoundedOutputUnderFlood(t *testing.T) {
	const flood = 50 << 20
	mk := fakeMake(t, `echo BEGIN
yes 'a line of build output, repeated until the pty has carried fifty megabytes' | head -c `+strconv.Itoa(flood)+`
echo END
`)
	// Every byte reaches the callback...
	req := fakeRequest(t, mk)
	req.MaxOutput = 64 << 10
	var seen int64
	req.Output = func(p []byte) { seen += int64(len(p)) }
	if _, err := Run(context.Background(), req); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if seen < flood {
		t.Errorf("Output saw %d bytes, want at least %d", seen, flood)
	}

	// ...while what Run keeps stays within MaxOutput, and streaming allocates nothing per byte.
	req.Output = nil
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := Run(context.Background(), req)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("allocated %d bytes while streaming %d: memory grows with the output", alloc, seen)
	}
	if n := len(res.Output); n > req.MaxOutput+128 {
		t.Errorf("kept %d bytes, limit %d", n, req.MaxOutput)
	}
	if !bytes.HasPrefix(res.Output, []byte("BEGIN\r\n")) || !bytes.HasSuffix(res.Output, []byte("END\r\n")) {
		t.Errorf("head or tail lost: %q ... %q", res.Output[:20], res.Output[len(res.Output)-20:])
	}
	if res.Omitted < flood-int64(req.MaxOutput) || !bytes.Contains(res.Output, []byte("bytes of build output omitted]")) {
		t.Errorf("Omitted = %d, marker present: %v", res.Omitted, bytes.Contains(res.Output, []byte("omitted]")))
	}
	if total := int64(len(res.Output)) + res.Omitted; total < seen-100 || total > seen+100 {
		t.Errorf("kept %d + omitted %d does not account for the %d bytes streamed", len(res.Output), res.Omitted, seen)
	}
	t.Logf("streamed %d bytes, kept %d, allocated %d", seen, len(res.Output), after.TotalAlloc-before.TotalAlloc)
}

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		want string
	}{
		{"no kdir", Request{Files: map[string][]byte{"a": nil}, ScratchDir: "/tmp/x"}, "no kernel tree"},
		{"no files", Request{KDir: "/tmp", ScratchDir: t.TempDir()}, "no files"},
		{"no scratch", Request{KDir: "/tmp", Files: map[string][]byte{"a": nil}}, "no build folder"},
		{"space in scratch", Request{KDir: "/tmp", Files: map[string][]byte{"a": nil}, ScratchDir: "/tmp/a b"}, "spaces"},
		{"escaping name", Request{KDir: "/tmp", Files: map[string][]byte{"../a": nil}, ScratchDir: t.TempDir()}, "invalid file name"},
		{"no make", Request{KDir: "/tmp", Files: map[string][]byte{"a": nil}, ScratchDir: t.TempDir(), Make: "/nonexistent/make"}, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Run(ctx, Request{KDir: "/tmp", Files: map[string][]byte{"a": nil}, ScratchDir: t.TempDir()})
	if !errors.Is(err, context.Canceled) || res == nil || !res.Canceled {
		t.Errorf("pre-canceled: res=%+v err=%v", res, err)
	}
}

func TestRunRealTree(t *testing.T) {
	kdir := testkernel.Dir(t)
	// The learner's files as check reads them; later edits go into the same map.
	files := map[string][]byte{}
	write := func(name, content string) { files[name] = []byte(content) }
	write("Kbuild", "obj-m := hello.o\n")
	write("hello.rs", helloRS(`pr_info!("hi\n");`))
	req := Request{
		KDir:       kdir,
		MakeArgs:   []string{"LLVM=-19", "RUSTC=/usr/bin/rustc"},
		Files:      files,
		ScratchDir: filepath.Join(t.TempDir(), "build"),
		Timeout:    3 * time.Minute,
	}
	res, err := Run(context.Background(), req)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ExitCode != 0 || len(res.Kos) != 1 || filepath.Base(res.Kos[0]) != "hello.ko" {
		t.Fatalf("exit %d, kos %v; output:\n%s", res.ExitCode, res.Kos, res.Output)
	}
	if _, err := os.Stat(res.Kos[0]); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(res.Output, []byte("\x1b[")) && !bytes.Contains(res.Output, []byte("RUSTC")) {
		t.Errorf("unexpected output:\n%s", res.Output)
	}
	// Unchanged sources: Kbuild must see nothing to do, so the object is not rebuilt.
	obj := filepath.Join(res.ScratchDir, "hello.o")
	st1, err := os.Stat(obj)
	if err != nil {
		t.Fatal(err)
	}
	res2, err := Run(context.Background(), req)
	if err != nil || res2.ExitCode != 0 || len(res2.Kos) != 1 {
		t.Fatalf("second build: %v exit %d", err, res2.ExitCode)
	}
	st2, _ := os.Stat(obj)
	if !st2.ModTime().Equal(st1.ModTime()) {
		t.Errorf("hello.o rebuilt although nothing changed")
	}
	if res2.ScratchDir != res.ScratchDir {
		t.Errorf("scratch folder changed: %s then %s", res.ScratchDir, res2.ScratchDir)
	}
	t.Logf("clean build %s, no-op rebuild %s", res.Duration, res2.Duration)

	// A type error: make fails, no module is reported, rustc's diagnostic is in the output.
	write("hello.rs", helloRS(`let x: u32 = "one";`))
	res3, err := Run(context.Background(), req)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res3.ExitCode == 0 || len(res3.Kos) != 0 || !bytes.Contains(res3.Output, []byte("E0308")) {
		t.Errorf("type error: exit %d, kos %v, output:\n%s", res3.ExitCode, res3.Kos, res3.Output)
	}
	// In the sandbox make still has the pty as its terminal, so rustc colours its diagnostics.
	if _, err := sandbox.Find(); err == nil && (!res3.Sandboxed || !bytes.Contains(res3.Output, []byte("\x1b[91merror[E0308]"))) {
		t.Errorf("sandboxed %v; rustc's diagnostic is not coloured:\n%q", res3.Sandboxed, res3.Output)
	}
}

func helloRS(body string) string {
	return `// SPDX-License-Identifier: GPL-2.0
use kernel::prelude::*;

module! {
    type: Hello,
    name: "hello",
    author: "x",
    description: "d",
    license: "GPL",
}

struct Hello;

impl kernel::Module for Hello {
    fn init(_m: &'static ThisModule) -> Result<Self> {
        ` + body + `
        Ok(Hello)
    }
}
`
}

// A build whose supervisor was killed leaves its mark, maybe a process still running in the
// folder and an object newer than its source; the next build ends the process, makes the
// sources newer than what was built from them, and clears the mark.
func TestRunRecoversFromAKilledBuild(t *testing.T) {
	req := fakeRequest(t, fakeMake(t, "echo built\n"))
	req.Trusted = true
	withoutBwrap(t)
	scratch, err := scratchDir(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		t.Fatal(err)
	}
	// What the killed run left: its mark, a make still at work in the folder, and an object
	// that is newer than the source.
	if err := os.WriteFile(filepath.Join(scratch, runningName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(scratch, "Kbuild"), req.Files["Kbuild"], 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(scratch, "Kbuild"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(scratch, "x.o"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	leftover := exec.Command("sleep", "300")
	leftover.Env = append(os.Environ(), tagVar+"="+scratch)
	if err := leftover.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = leftover.Wait(); close(exited) }()
	t.Cleanup(func() { _ = leftover.Process.Kill() })

	res, err := Run(context.Background(), req)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("Run: %v %+v", err, res)
	}
	select {
	case <-exited:
	case <-time.After(time.Second):
		t.Error("the killed build's process still runs after the next build")
	}
	src, err1 := os.Stat(filepath.Join(scratch, "Kbuild"))
	obj, err2 := os.Stat(filepath.Join(scratch, "x.o"))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !src.ModTime().After(obj.ModTime()) {
		t.Errorf("source %s is not newer than the half-written object %s", src.ModTime(), obj.ModTime())
	}
	if _, err := os.Stat(filepath.Join(scratch, runningName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the mark of a running build stays after a build that ended: %v", err)
	}
}

// A process of another folder's build is left alone.
func TestRunLeavesOtherBuildsAlone(t *testing.T) {
	req := fakeRequest(t, fakeMake(t, "echo built\n"))
	req.Trusted = true
	withoutBwrap(t)
	scratch, _ := scratchDir(req)
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(scratch, runningName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	other := exec.Command("sleep", "300")
	other.Env = append(os.Environ(), tagVar+"="+scratch+"-other")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = other.Process.Kill(); _ = other.Wait() }()
	if _, err := Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if !proc.Running(other.Process.Pid) {
		t.Error("the next build killed a process of another folder's build")
	}
}
