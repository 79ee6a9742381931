package build

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rfl-tutor/rfl-tutor/internal/proc"
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

func fakeRequest(t *testing.T, mk string) Request {
	return Request{
		KDir:       t.TempDir(),
		Make:       mk,
		Files:      map[string][]byte{"Kbuild": []byte("obj-m := x.o\n")},
		ScratchDir: filepath.Join(t.TempDir(), "scratch"),
	}
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

var pidRe = regexp.MustCompile(`pid (\d+)`)

// assertGone checks that the process group and every pid the script reported no longer exist.
func assertGone(t *testing.T, res *Result, out string) {
	t.Helper()
	if res.PGID <= 0 {
		t.Fatalf("no process group recorded: %+v", res)
	}
	if err := unix.Kill(-res.PGID, 0); err != unix.ESRCH {
		t.Errorf("kill(-%d, 0) = %v, want ESRCH: the build's process group survived", res.PGID, err)
	}
	pids := pidRe.FindAllStringSubmatch(out, -1)
	if len(pids) < 2 {
		t.Fatalf("the fake make reported %d descendant pids, want at least 2; output:\n%s", len(pids), out)
	}
	for _, m := range pids {
		pid, _ := strconv.Atoi(m[1])
		if err := unix.Kill(pid, 0); err != unix.ESRCH {
			t.Errorf("descendant %d still exists (kill: %v)", pid, err)
		}
	}
}

// A make whose child and grandchild sleep: cancelling must take the whole tree down.
// The fifo makes "ready" come after both pids are printed.
const sleepers = `sleep 300 & echo "child pid $!"
mkfifo sync
sh -c 'sleep 300 & echo "grandchild pid $!"; echo > sync; wait' &
read _ < sync
echo ready
wait
`

func TestRunCancelKillsProcessGroup(t *testing.T) {
	req := fakeRequest(t, fakeMake(t, sleepers))
	c := newCollector("ready")
	req.Output = c.write
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-c.found:
		case <-time.After(10 * time.Second):
		}
		cancel()
	}()
	start := time.Now()
	res, err := Run(ctx, req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
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
	assertGone(t, res, c.String())
}

func TestRunTimeoutEscalatesToSIGKILL(t *testing.T) {
	// Both make and a grandchild ignore SIGTERM, so only SIGKILL after the grace period ends
	// them.
	mk := fakeMake(t, `trap '' TERM
sh -c 'trap "" TERM; echo "stubborn pid $$"; while :; do sleep 0.05; done' &
sleep 300 & echo "child pid $!"
wait
`)
	req := fakeRequest(t, mk)
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
	if !res.TimedOut || res.Canceled {
		t.Errorf("TimedOut=%v Canceled=%v, want true false", res.TimedOut, res.Canceled)
	}
	if res.Timeout != req.Timeout {
		t.Errorf("Result.Timeout = %s", res.Timeout)
	}
	if d < req.Timeout+req.KillGrace || d > 5*time.Second {
		t.Errorf("Run took %s, want about timeout+grace (%s)", d, req.Timeout+req.KillGrace)
	}
	if res.ExitCode != -1 {
		t.Errorf("exit code %d, want -1 (killed by a signal)", res.ExitCode)
	}
	assertGone(t, res, c.String())
}

func TestRunNormalExitKillsStragglers(t *testing.T) {
	// A recipe that leaves a background job behind must not leave it running (nor keep the
	// pty open, which would hang the reader).
	mk := fakeMake(t, `sleep 300 & echo "straggler pid $!"
sh -c 'sleep 300 & echo "grandchild pid $!"' 
exit 3
`)
	req := fakeRequest(t, mk)
	c := newCollector("")
	req.Output = c.write
	res, err := Run(context.Background(), req)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ExitCode != 3 {
		t.Errorf("exit code %d, want 3", res.ExitCode)
	}
	assertGone(t, res, c.String())
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
