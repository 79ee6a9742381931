package boot

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rfl-tutor/rfl-tutor/internal/lock"
	"github.com/rfl-tutor/rfl-tutor/internal/proc"
)

func TestMain(m *testing.M) {
	// A killed fake QEMU's background child is an orphan; where init does not reap (this
	// sandbox's PID 1), adopting it lets Run reap it and the tests see it gone.
	if err := proc.AdoptOrphans(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// fakeQEMU is a request whose QEMU is a shell script; the kernel, initramfs and module are
// empty files, which is all Run needs of them.
func fakeQEMU(t *testing.T, script string) Request {
	t.Helper()
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return Request{
		QEMU:      write("qemu", "#!/bin/sh\n"+script, 0o755),
		Kernel:    write("bzImage", "", 0o644),
		Initramfs: write("base.cpio", "", 0o644),
		Units:     []Unit{{ID: "x", Modules: []Module{{Name: "a", Path: write("a.ko", "", 0o644)}}}},
		WorkDir:   dir,
	}
}

// consoleLog collects Output and signals once the script's "ready" line arrived.
type consoleLog struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
	once  sync.Once
}

func (c *consoleLog) write(p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), "ready\n") {
		c.once.Do(func() { close(c.ready) })
	}
}

var childPid = regexp.MustCompile(`child pid (\d+)`)

func TestRunEndsAHungOrCancelledQEMU(t *testing.T) {
	// QEMU that never ends, with a child of its own that must go with it.
	const hang = "sleep 300 & echo \"child pid $!\"; echo ready; sleep 300\n"
	for _, cancelled := range []bool{false, true} {
		req := fakeQEMU(t, hang)
		log := &consoleLog{ready: make(chan struct{})}
		req.Output = log.write
		req.Timeout = 300 * time.Millisecond
		ctx, cancel := context.WithCancel(context.Background())
		if cancelled {
			req.Timeout = time.Minute
			go func() {
				<-log.ready
				cancel()
			}()
		}
		start := time.Now()
		res, err := Run(ctx, req)
		cancel()
		if err != nil {
			t.Fatalf("cancelled=%v: %v", cancelled, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("cancelled=%v: Run took %s", cancelled, d)
		}
		if res.TimedOut == cancelled || res.Canceled != cancelled || res.Exited {
			t.Errorf("cancelled=%v: TimedOut=%v Canceled=%v Exited=%v", cancelled, res.TimedOut, res.Canceled, res.Exited)
		}
		m := childPid.FindStringSubmatch(log.buf.String())
		if m == nil {
			t.Fatalf("no child pid in the console: %q", log.buf.String())
		}
		pid, _ := strconv.Atoi(m[1])
		if err := unix.Kill(pid, 0); err != unix.ESRCH {
			t.Errorf("cancelled=%v: QEMU's child %d survived (kill: %v)", cancelled, pid, err)
		}
	}
}

func TestRunReportsQEMUExitAndStderr(t *testing.T) {
	req := fakeQEMU(t, "echo 'qemu-system-x86_64: could not load kernel' >&2; exit 1\n")
	res, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Exited || res.ExitCode != 1 || res.TimedOut || res.Canceled {
		t.Errorf("Exited=%v ExitCode=%d TimedOut=%v Canceled=%v", res.Exited, res.ExitCode, res.TimedOut, res.Canceled)
	}
	if res.Stderr != "qemu-system-x86_64: could not load kernel" {
		t.Errorf("Stderr = %q", res.Stderr)
	}
}

func TestRunStopsQEMUWhenInitIsDone(t *testing.T) {
	// Like the guest's init: read the nonce from the initrd's overlay, say done, and hang as a
	// real guest would while it powers off. Run must end QEMU at once, reporting neither a
	// timeout nor an exit.
	req := fakeQEMU(t, `while [ "$1" != -initrd ]; do shift; done
nonce=$(grep -a rfl/nonce "$2" | tr -d '\000' | sed 's|.*rfl/nonce||')
sleep 300 & echo "child pid $!"
echo "rfl:$nonce:ready"
echo "rfl:$nonce:done"
sleep 300
`)
	req.Timeout = time.Minute
	log := &consoleLog{ready: make(chan struct{})}
	req.Output = log.write
	start := time.Now()
	res, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Run took %s after init said done", d)
	}
	if !res.Transcript.Done || res.TimedOut || res.Canceled || res.Exited {
		t.Errorf("Done=%v TimedOut=%v Canceled=%v Exited=%v; console %q", res.Transcript.Done, res.TimedOut, res.Canceled, res.Exited, log.buf.String())
	}
	m := childPid.FindStringSubmatch(log.buf.String())
	if m == nil {
		t.Fatalf("no child pid in the console: %q", log.buf.String())
	}
	pid, _ := strconv.Atoi(m[1])
	if err := unix.Kill(pid, 0); err != unix.ESRCH {
		t.Errorf("QEMU's child %d survived (kill: %v)", pid, err)
	}
}

// QEMU runs under timeout(1) with a hard limit beyond the boot's timeout, so a guest that
// loops cannot keep QEMU alive for ever once nothing supervises it.
func TestRunBoundsQEMUOnItsOwn(t *testing.T) {
	req := fakeQEMU(t, `tr '\0' ' ' < /proc/$PPID/cmdline; echo; exit 3`+"\n")
	req.Timeout = 20 * time.Second
	log := &consoleLog{ready: make(chan struct{})}
	req.Output = log.write
	res, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Exited || res.ExitCode != 3 {
		t.Errorf("Exited=%v ExitCode=%d, want QEMU's own exit status 3 through timeout(1)", res.Exited, res.ExitCode)
	}
	parent := strings.Fields(log.buf.String())
	if len(parent) < 4 || filepath.Base(parent[0]) != "timeout" || parent[1] != "--signal=KILL" || parent[3] != req.QEMU {
		t.Fatalf("QEMU's parent is %q, want timeout --signal=KILL LIMIT %s", parent, req.QEMU)
	}
	limit, err := time.ParseDuration(parent[2])
	if err != nil || limit < req.Timeout || limit > req.Timeout+time.Minute {
		t.Errorf("hard limit %q for a %s boot", parent[2], req.Timeout)
	}
}

// A boot killed with its process leaves its initrd behind; the next boot in the folder removes
// it, and leaves alone the initrd of a boot that still runs.
func TestRunRemovesInitrdsOfKilledBoots(t *testing.T) {
	req := fakeQEMU(t, "exit 0\n")
	left := filepath.Join(req.WorkDir, "initrd-killed.cpio")
	if err := os.WriteFile(left, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	running := filepath.Join(req.WorkDir, "initrd-running.cpio")
	if err := os.WriteFile(running, []byte("in use"), 0o644); err != nil {
		t.Fatal(err)
	}
	held, err := lock.TryAcquire(running+".lock", lock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	if _, err := Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Errorf("the killed boot's initrd is still there: %v", err)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("the running boot's initrd was removed: %v", err)
	}
	rest, _ := filepath.Glob(filepath.Join(req.WorkDir, "initrd-*"))
	if len(rest) != 2 { // the running one and its lock
		t.Errorf("initrd files left: %v", rest)
	}
}

// A kernel report during a unit (here lockdep's, then a hang as after a real double lock)
// ends the boot once the console is quiet: no waiting for the timeout.
func TestRunEndsSoonAfterAReport(t *testing.T) {
	req := fakeQEMU(t, `while [ "$1" != -initrd ]; do shift; done
nonce=$(grep -a rfl/nonce "$2" | tr -d '\000' | sed 's|.*rfl/nonce||')
echo "rfl:$nonce:ready"
echo "rfl:$nonce:begin:x"
echo "rfl:$nonce:insmod:a"
echo "[    1.2] WARNING: possible recursive locking detected"
echo "[    1.2] insmod/40 is trying to acquire lock:"
sleep 300
`)
	req.Timeout = time.Minute
	start := time.Now()
	res, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > reportQuiet+3*time.Second {
		t.Errorf("Run took %s after the report", d)
	}
	if !res.EndedAfterReport || res.TimedOut || res.Exited {
		t.Errorf("EndedAfterReport=%v TimedOut=%v Exited=%v", res.EndedAfterReport, res.TimedOut, res.Exited)
	}
	if p := res.Transcript.Problems(0, -1); len(p) != 1 || p[0].Kind != "WARNING" || len(p[0].Excerpt) < 2 {
		t.Errorf("problems %+v", p)
	}
}

// The same report before any unit began (the kernel's own boot) does not end the boot: it is
// not the learner's module, and the verdict does not judge it.
func TestRunIgnoresReportsBeforeTheUnit(t *testing.T) {
	req := fakeQEMU(t, `while [ "$1" != -initrd ]; do shift; done
nonce=$(grep -a rfl/nonce "$2" | tr -d '\000' | sed 's|.*rfl/nonce||')
echo "[    0.2] WARNING: CPU: 0 PID: 1 at kernel/x.c:1 boot_thing"
sleep 2
echo "rfl:$nonce:ready"
echo "rfl:$nonce:done"
sleep 300
`)
	req.Timeout = time.Minute
	res, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.EndedAfterReport || !res.Transcript.Done {
		t.Errorf("EndedAfterReport=%v Done=%v", res.EndedAfterReport, res.Transcript.Done)
	}
}

func TestRunAddsOnlyOfferedDevices(t *testing.T) {
	req := fakeQEMU(t, `echo "$@"; exit 0`+"\n")
	req.Devices = []string{"pci-testdev"}
	req.Firmware = "/usr/share/qemu/qboot.rom"
	log := &consoleLog{ready: make(chan struct{})}
	req.Output = log.write
	if _, err := Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.buf.String(), "-device pci-testdev") || !strings.Contains(log.buf.String(), "-bios /usr/share/qemu/qboot.rom") {
		t.Errorf("QEMU's arguments %q lack the device or the firmware", log.buf.String())
	}
	req.Devices = []string{"virtio-net-pci,netdev=x"}
	if _, err := Run(context.Background(), req); err == nil || !strings.Contains(err.Error(), "not one the boot stage offers") {
		t.Errorf("an unlisted device: err = %v", err)
	}
}
