package proc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	if os.Getenv(orphanerEnv) != "" {
		os.Exit(orphaner())
	}
	// Killed grandchildren become orphans; where init does not reap them (containers' PID 1)
	// they would stay zombies in the group and kill(-pgid, 0) would still succeed.
	if err := AdoptOrphans(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// output collects what the script prints and signals once "ready" shows up.
type output struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	ready chan struct{}
	once  sync.Once
}

func newOutput() *output { return &output{ready: make(chan struct{})} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf.Write(p)
	if strings.Contains(o.buf.String(), "ready\n") {
		o.once.Do(func() { close(o.ready) })
	}
	return len(p), nil
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

var pidRe = regexp.MustCompile(`pid (\d+)`)

func TestWait(t *testing.T) {
	// Every script starts a background grandchild that would sleep for five minutes and
	// reports its pid, so each case also checks that nothing of the group is left.
	const child = `sleep 300 & echo "child pid $!"; `
	tests := []struct {
		name    string
		script  string
		limits  Limits
		cancel  bool // cancel the context once the script is ready
		stop    bool // call Stop once the script is ready
		want    Outcome
		minTime time.Duration
		maxTime time.Duration
	}{
		{name: "exit status preserved", script: child + "echo ready; exit 3",
			want: Outcome{ExitCode: 3}, maxTime: 3 * time.Second},
		{name: "success", script: child + "echo ready",
			want: Outcome{ExitCode: 0}, maxTime: 3 * time.Second},
		{name: "timeout", script: child + "echo ready; sleep 300",
			limits: Limits{Timeout: 200 * time.Millisecond, Grace: time.Second},
			want:   Outcome{ExitCode: -1, TimedOut: true}, minTime: 200 * time.Millisecond, maxTime: 3 * time.Second},
		{name: "cancel", script: child + "echo ready; sleep 300", cancel: true,
			limits: Limits{Timeout: time.Minute, Grace: time.Second},
			want:   Outcome{ExitCode: -1, Canceled: true}, maxTime: 3 * time.Second},
		{name: "stop", script: child + "echo ready; sleep 300", stop: true,
			limits: Limits{Timeout: time.Minute},
			want:   Outcome{ExitCode: -1, Stopped: true}, maxTime: 3 * time.Second},
		{name: "SIGTERM ignored: killed after grace", script: "trap '' TERM; " + child + "echo ready; while :; do sleep 0.05; done",
			limits: Limits{Timeout: 200 * time.Millisecond, Grace: 500 * time.Millisecond},
			want:   Outcome{ExitCode: -1, TimedOut: true}, minTime: 700 * time.Millisecond, maxTime: 4 * time.Second},
		{name: "no grace: SIGKILL at once", script: "trap '' TERM; " + child + "echo ready; while :; do sleep 0.05; done",
			limits: Limits{Timeout: 200 * time.Millisecond},
			want:   Outcome{ExitCode: -1, TimedOut: true}, minTime: 200 * time.Millisecond, maxTime: 600 * time.Millisecond},
		{name: "SIGTERM handled: exit status of the handler", script: "trap 'exit 7' TERM; " + child + "echo ready; while :; do sleep 0.05; done",
			limits: Limits{Grace: 5 * time.Second}, cancel: true,
			want: Outcome{ExitCode: 7, Canceled: true}, maxTime: 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out := newOutput()
			cmd := exec.Command("sh", "-c", tt.script)
			// The grandchild shares the pipe: Wait must not hang on it once the group is killed.
			cmd.Stdout = out
			start := time.Now()
			g, err := Start(ctx, cmd, tt.limits)
			if err != nil {
				t.Fatal(err)
			}
			if tt.cancel || tt.stop {
				go func() {
					select {
					case <-out.ready:
					case <-time.After(10 * time.Second):
					}
					if tt.cancel {
						cancel()
					} else {
						g.Stop()
						g.Stop() // twice is harmless
					}
				}()
			}
			got, err := g.Wait()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if got.State == nil {
				t.Errorf("no process state")
			}
			got.State = nil
			if got != tt.want {
				t.Errorf("outcome %+v, want %+v", got, tt.want)
			}
			if took < tt.minTime || took > tt.maxTime {
				t.Errorf("took %s, want between %s and %s", took, tt.minTime, tt.maxTime)
			}
			assertGone(t, g.PGID(), out.String())
		})
	}
}

// assertGone checks that the group and every pid the script reported no longer exist.
func assertGone(t *testing.T, pgid int, out string) {
	t.Helper()
	if err := unix.Kill(-pgid, 0); err != unix.ESRCH {
		t.Errorf("kill(-%d, 0) = %v, want ESRCH: the process group survived", pgid, err)
	}
	pids := pidRe.FindAllStringSubmatch(out, -1)
	if len(pids) == 0 {
		t.Fatalf("the script reported no pid; output:\n%s", out)
	}
	for _, m := range pids {
		pid, _ := strconv.Atoi(m[1])
		if err := unix.Kill(pid, 0); err != unix.ESRCH {
			t.Errorf("grandchild %d still exists (kill: %v)", pid, err)
		}
	}
}

func TestStartKeepsASessionLeader(t *testing.T) {
	// A pty's controlling process must be a session leader; Start must not add Setpgid, which
	// would make the start fail, and the session leader's pid is the group.
	cmd := exec.Command("sh", "-c", `ps -o pid=,pgid=,sid= -p $$`)
	cmd.SysProcAttr = &unix.SysProcAttr{Setsid: true}
	var out bytes.Buffer
	cmd.Stdout = &out
	g, err := Start(context.Background(), cmd, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	o, err := g.Wait()
	if err != nil || o.ExitCode != 0 {
		t.Fatalf("Wait: %+v %v", o, err)
	}
	f := strings.Fields(out.String())
	want := strconv.Itoa(g.PGID())
	if len(f) != 3 || f[0] != want || f[1] != want || f[2] != want {
		t.Errorf("pid, pgid, sid = %v, want all %s", f, want)
	}
}

func TestStartError(t *testing.T) {
	if _, err := Start(context.Background(), exec.Command("/nonexistent/program"), Limits{}); err == nil {
		t.Fatal("Start of a missing program succeeded")
	}
}

func TestRunning(t *testing.T) {
	if !Running(os.Getpid()) {
		t.Error("this process is not running")
	}
	if !Running(1) {
		t.Error("init is not running") // EPERM where not root still means it exists
	}
	// An exited child not yet reaped is a zombie; once reaped its pid is gone.
	cmd := exec.Command("true")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitExited(cmd.Process.Pid)
	if Running(cmd.Process.Pid) {
		t.Error("a zombie counts as running")
	}
	_ = cmd.Wait()
	if Running(cmd.Process.Pid) {
		t.Error("a reaped process counts as running")
	}
}

// orphanerEnv makes the test binary an orphaner: a parent that starts a group of two sleeping
// processes under Start, prints the group id and waits to be killed.
const orphanerEnv = "RFL_PROC_TEST_ORPHANER"

func orphaner() int {
	cmd := exec.Command("sh", "-c", `sleep 300 & sleep 300`)
	if os.Getenv(orphanerEnv) == "session" {
		cmd.SysProcAttr = &unix.SysProcAttr{Setsid: true}
	}
	g, err := Start(context.Background(), cmd, Limits{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("pgid %d\n", g.PGID())
	_, _ = g.Wait()
	return 0
}

// A parent that dies without running any code of its own (SIGKILL) takes its groups with it:
// the leader by Pdeathsig, the rest by the watchdog. A terminal's SIGHUP to the parent alone
// (its group, not the build's) must do the same.
func TestGroupDiesWithItsParent(t *testing.T) {
	for _, tc := range []struct {
		name, mode string
		sig        unix.Signal
	}{
		{"SIGKILL", "group", unix.SIGKILL},
		{"SIGKILL session leader", "session", unix.SIGKILL},
		{"SIGHUP", "group", unix.SIGHUP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := exec.Command(os.Args[0], "-test.run=^$")
			parent.Env = append(os.Environ(), orphanerEnv+"="+tc.mode)
			out, err := parent.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := parent.Start(); err != nil {
				t.Fatal(err)
			}
			var pgid int
			if _, err := fmt.Fscanf(out, "pgid %d\n", &pgid); err != nil {
				_ = parent.Process.Kill()
				t.Fatalf("no group id from the parent: %v", err)
			}
			// Both sleeps started: the group has three members (sh and two sleeps).
			for deadline := time.Now().Add(5 * time.Second); len(live(pgid)) < 2 && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			if n := len(live(pgid)); n < 2 {
				t.Fatalf("%d live members of group %d before the kill, want at least 2", n, pgid)
			}
			_ = parent.Process.Signal(tc.sig)
			_ = parent.Wait()
			// The orphans are reparented to this process (a subreaper); live reaps the dead.
			left := live(pgid)
			for deadline := time.Now().Add(5 * time.Second); len(left) > 0 && time.Now().Before(deadline); left = live(pgid) {
				time.Sleep(10 * time.Millisecond)
			}
			if len(left) > 0 {
				_ = unix.Kill(-pgid, unix.SIGKILL)
				t.Fatalf("5 s after the parent's %s, %d processes of its group still run: %v", tc.name, len(left), left)
			}
		})
	}
}

// live lists the members of a group that are not zombies, reaping the zombies that are this
// process's children. Unlike reapGroup it kills nothing.
func live(pgid int) []int {
	var pids []int
	for _, p := range groupMembers(pgid) {
		switch {
		case p.state != 'Z' && p.state != 'X':
			pids = append(pids, p.pid)
		case p.ppid == os.Getpid():
			var ws unix.WaitStatus
			_, _ = unix.Wait4(p.pid, &ws, unix.WNOHANG, nil)
		}
	}
	return pids
}

// The cost of supervision (a locked thread, a watchdog shell, reaping the group) over a bare
// os/exec run, for the smallest command: compare the two benchmarks' ns/op.
func BenchmarkSupervisedRun(b *testing.B) {
	for b.Loop() {
		g, err := Start(context.Background(), exec.Command("true"), Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := g.Wait(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBareRun(b *testing.B) {
	for b.Loop() {
		if err := exec.Command("true").Run(); err != nil {
			b.Fatal(err)
		}
	}
}
