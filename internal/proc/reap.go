package proc

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

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
// killed group's orphaned grandchildren are reparented here and Wait reaps them, instead of
// being left to init. Call it once, early, where init does not reap zombies (some
// containers' PID 1): otherwise the dead processes stay zombies and still count as members of
// the group (kill(-pgid, 0) succeeds). It is process-wide: any orphaned descendant, such as a
// backgrounded editor, becomes this process's child.
func AdoptOrphans() error {
	return unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
}

// Running reports whether pid names a live process: one that exists (of any user) and is not
// a zombie. A zombie has released its locks and files, so for a caller asking whether a
// process still holds something it is as good as gone.
func Running(pid int) bool {
	if err := unix.Kill(pid, 0); err != nil && err != unix.EPERM {
		return false
	}
	p, _, ok := readStat(pid)
	return !ok || (p.state != 'Z' && p.state != 'X')
}

// KillTagged kills every process this user may signal whose environment holds the entry tag
// ("NAME=value"), and waits up to within for them to be gone. It finds what a supervisor that
// died left running (a group the watchdog could not end, a process that left its group), when
// the caller put a tag of its own into that group's environment. It returns how many
// processes it found.
func KillTagged(tag string, within time.Duration) int {
	want := []byte(tag + "\x00")
	find := func() []int {
		var pids []int
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == os.Getpid() {
				continue
			}
			env, err := os.ReadFile("/proc/" + e.Name() + "/environ")
			if err == nil && (bytes.HasPrefix(env, want) || bytes.Contains(env, append([]byte{0}, want...))) && Running(pid) {
				pids = append(pids, pid)
			}
		}
		return pids
	}
	found := find()
	deadline := time.Now().Add(within)
	for left := found; len(left) > 0 && time.Now().Before(deadline); left = find() {
		for _, pid := range left {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return len(found)
}
