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
