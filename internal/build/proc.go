package build

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// outcome is how make ended.
type outcome struct {
	state              *os.ProcessState
	waitErr            error
	timedOut, canceled bool
}

// supervise waits for make to exit, killing its process group when ctx ends or the timeout
// expires, and returns once make is reaped and every other member of its group has been sent
// SIGKILL.
func supervise(ctx context.Context, cmd *exec.Cmd, timeout, grace time.Duration) outcome {
	pgid := cmd.Process.Pid
	exited := make(chan struct{})
	go func() {
		waitExited(pgid)
		close(exited)
	}()
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		expired = t.C
	}

	var o outcome
	select {
	case <-exited:
	case <-ctx.Done():
		o.canceled = true
		terminate(pgid, exited, grace)
	case <-expired:
		o.timedOut = true
		terminate(pgid, exited, grace)
	}
	// make has exited but is not reaped yet, so its pid cannot be reused and -pgid still
	// names this build's group. Nothing legitimate outlives make: this kills a recipe's
	// background jobs and whatever ignored SIGTERM.
	_ = unix.Kill(-pgid, unix.SIGKILL)
	err := cmd.Wait()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		o.waitErr = err
	}
	o.state = cmd.ProcessState
	reapGroup(pgid, time.Now().Add(grace))
	return o
}

// terminate asks the group to stop, then forces it after the grace period.
func terminate(pgid int, exited <-chan struct{}, grace time.Duration) {
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

// reapGroup waits until the group is gone. Killed grandchildren are orphans: the nearest
// subreaper (init, or this process after AdoptOrphans) must reap them before the kernel
// forgets them. The ones that became our children are reaped here; the wait ends when no
// live member remains or at the deadline.
func reapGroup(pgid int, deadline time.Time) {
	self := os.Getpid()
	for {
		if unix.Kill(-pgid, 0) == unix.ESRCH {
			return
		}
		pending := false
		for _, p := range groupMembers(pgid) {
			switch {
			case p.state != 'Z':
				pending = true
			case p.ppid == self:
				var ws unix.WaitStatus
				_, _ = unix.Wait4(p.pid, &ws, unix.WNOHANG, nil)
				pending = true
			}
		}
		// Only zombies that belong to another parent left: nothing more this process can do.
		if !pending || time.Now().After(deadline) {
			return
		}
		_ = unix.Kill(-pgid, unix.SIGKILL)
		time.Sleep(5 * time.Millisecond)
	}
}

type procInfo struct {
	pid, ppid int
	state     byte
}

// groupMembers lists the processes of a process group from /proc.
func groupMembers(pgid int) []procInfo {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []procInfo
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		p, pg, ok := readStat(pid)
		if ok && pg == pgid {
			out = append(out, p)
		}
	}
	return out
}

// readStat parses /proc/PID/stat: "pid (comm) state ppid pgrp ...", where comm may itself
// contain spaces and parentheses, so the fields are counted from the last ')'.
func readStat(pid int) (procInfo, int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procInfo{}, 0, false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procInfo{}, 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 3 || len(f[0]) != 1 {
		return procInfo{}, 0, false
	}
	ppid, err1 := strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	if err1 != nil || err2 != nil {
		return procInfo{}, 0, false
	}
	return procInfo{pid: pid, ppid: ppid, state: f[0][0]}, pgrp, true
}

// AdoptOrphans makes this process a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so a
// killed build's orphaned grandchildren are reparented here and Run reaps them, instead of
// being left to init. Call it once, early, where init does not reap zombies (some
// containers' PID 1): otherwise the dead processes stay zombies and still count as members of
// the group (kill(-pgid, 0) succeeds). It is process-wide: any orphaned descendant, such as a
// backgrounded editor, becomes this process's child.
func AdoptOrphans() error {
	return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}
