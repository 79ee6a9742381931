// Package proc runs a command as the leader of a process group of its own and supervises the
// whole group: a timeout or a cancelled context ends it with SIGTERM, a grace period, then
// SIGKILL, and Wait returns only once the leader is reaped and every member of the group has
// been killed and, where this process can, reaped. Builds (make, rustc), kernel preparation and
// QEMU boots all start process trees that must never outlive the caller.
//
// They must not outlive it either when it dies without running any code (SIGKILL, a crash), so
// two things outside this process end the group then: the kernel sends the leader a signal
// when its parent thread dies (Pdeathsig), and a watchdog, a shell outside the group, kills the
// whole group when its end of a pipe to this process closes.
//
// The caller wires the command's input and output (files, a pty, writers) as with os/exec.
package proc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// reapWait bounds how long Wait waits for killed members of the group to disappear.
const reapWait = 2 * time.Second

// Limits bound a group's life.
type Limits struct {
	// Timeout ends the group that long after Start; zero means no limit.
	Timeout time.Duration
	// Grace is how long the group gets between SIGTERM and SIGKILL when it is ended; zero
	// sends SIGKILL at once (for programs with nothing to clean up, such as QEMU).
	Grace time.Duration
}

// Outcome is how a group ended.
type Outcome struct {
	// ExitCode is the leader's exit status, or -1 when a signal ended it.
	ExitCode int
	// State is the leader's process state.
	State *os.ProcessState
	// TimedOut says Limits.Timeout expired and the group was ended; Canceled that the context
	// ended first; Stopped that the caller asked with Stop. At most one is set; none means the
	// leader exited by itself.
	TimedOut, Canceled, Stopped bool
}

// Group is a started command and its process group.
type Group struct {
	cmd      *exec.Cmd
	ctx      context.Context
	limits   Limits
	deadline time.Time
	stop     chan struct{}
	stopOnce sync.Once
	watchdog *watchdog
	// reaped releases the OS thread that started the leader, once Wait has reaped it.
	reaped chan struct{}
}

// Start starts cmd as the leader of a new process group. When cmd.SysProcAttr asks for a new
// session (Setsid, as a pty's controlling process needs) the session leader leads the group too;
// otherwise Setpgid is set. The leader gets cmd.SysProcAttr.Pdeathsig, SIGKILL by default, if
// this process dies, and a watchdog kills the whole group then. ctx and limits.Timeout end the
// group as described by Wait, which must be called.
func Start(ctx context.Context, cmd *exec.Cmd, limits Limits) (*Group, error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	if !cmd.SysProcAttr.Setsid {
		// setpgid after setsid fails (a session leader cannot change groups), so only one.
		cmd.SysProcAttr.Setpgid, cmd.SysProcAttr.Pgid = true, 0
	}
	if cmd.SysProcAttr.Pdeathsig == 0 {
		cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	}
	if cmd.WaitDelay == 0 {
		// A process that escaped the group (setsid) may keep the output pipes open: without a
		// delay Wait would block on them forever.
		cmd.WaitDelay = max(limits.Grace, time.Second)
	}
	g := &Group{cmd: cmd, ctx: ctx, limits: limits, stop: make(chan struct{}), reaped: make(chan struct{})}
	start := time.Now()
	if err := startLocked(cmd, g.reaped); err != nil {
		return nil, err
	}
	if limits.Timeout > 0 {
		g.deadline = start.Add(limits.Timeout)
	}
	w, err := startWatchdog(cmd.Process.Pid)
	if err != nil {
		// Unwatched, the group could outlive us: do not run it.
		_ = unix.Kill(-cmd.Process.Pid, unix.SIGKILL)
		_ = cmd.Wait()
		close(g.reaped)
		return nil, fmt.Errorf("start the watchdog of %s: %w", cmd.Path, err)
	}
	g.watchdog = w
	return g, nil
}

// startLocked starts cmd from an OS thread that stays locked to one goroutine until reaped is
// closed. The kernel sends Pdeathsig when the thread that forked the child ends, not when the
// process does; locked, the thread cannot be handed to other goroutines, one of which might
// exit while locked and so end it. After an unlock the Go runtime keeps the thread alive.
func startLocked(cmd *exec.Cmd, reaped <-chan struct{}) error {
	started := make(chan error)
	go func() {
		runtime.LockOSThread()
		err := cmd.Start()
		started <- err
		if err == nil {
			<-reaped
		}
		runtime.UnlockOSThread()
	}()
	return <-started
}

// PGID is the process group's id (the leader's pid).
func (g *Group) PGID() int { return g.cmd.Process.Pid }

// Stop asks Wait to end the group now, as for a timeout but reported as Stopped: the caller has
// seen what it wanted (a guest that said it is done). It does not block and may be called from
// any goroutine, more than once.
func (g *Group) Stop() { g.stopOnce.Do(func() { close(g.stop) }) }

// Wait waits for the leader to exit, or ends the group on timeout, cancellation or Stop. It
// returns once the leader is reaped and every other member of its group has been sent SIGKILL
// and reaped where this process is its parent (see AdoptOrphans). The error is a failure of
// os/exec's Wait other than the leader's exit status (copying its output, for one).
func (g *Group) Wait() (Outcome, error) {
	pgid := g.PGID()
	exited := make(chan struct{})
	go func() {
		waitExited(pgid)
		close(exited)
	}()
	var expired <-chan time.Time
	if !g.deadline.IsZero() {
		t := time.NewTimer(time.Until(g.deadline))
		defer t.Stop()
		expired = t.C
	}

	var o Outcome
	select {
	case <-exited:
	case <-g.ctx.Done():
		o.Canceled = true
		terminate(pgid, exited, g.limits.Grace)
	case <-expired:
		o.TimedOut = true
		terminate(pgid, exited, g.limits.Grace)
	case <-g.stop:
		o.Stopped = true
		terminate(pgid, exited, g.limits.Grace)
	}
	// The leader has exited but is not reaped yet, so its pid cannot be reused and -pgid still
	// names this group. Nothing legitimate outlives the leader: this kills background jobs and
	// whatever ignored SIGTERM.
	_ = unix.Kill(-pgid, unix.SIGKILL)
	// The watchdog is told while the group id cannot name another group yet.
	g.watchdog.release()
	err := g.cmd.Wait()
	close(g.reaped)
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) || errors.Is(err, exec.ErrWaitDelay) {
		// A non-zero status is the outcome, not a failure; output cut short by WaitDelay
		// came from a process that left the group, which is dead or no longer ours.
		err = nil
	}
	o.State = g.cmd.ProcessState
	o.ExitCode = -1
	if o.State != nil {
		o.ExitCode = o.State.ExitCode()
	}
	reapGroup(pgid, time.Now().Add(reapWait))
	return o, err
}

// terminate asks the group to stop, then forces it after the grace period.
func terminate(pgid int, exited <-chan struct{}, grace time.Duration) {
	if grace <= 0 {
		_ = unix.Kill(-pgid, unix.SIGKILL)
		<-exited
		return
	}
	_ = unix.Kill(-pgid, unix.SIGTERM)
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-exited:
	case <-t.C:
		_ = unix.Kill(-pgid, unix.SIGKILL)
		<-exited
	}
}

// waitExited blocks until the process has exited without reaping it (WNOWAIT), which keeps
// its pid, and so the process group id, reserved while the group is killed.
func waitExited(pid int) {
	for {
		var info unix.Siginfo
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			return
		}
	}
}
