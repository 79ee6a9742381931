// Package lock takes exclusive file locks that say who holds them. Two rfl-tutor processes (the
// TUI and a command-line check, two learners on one machine) must not use one build folder,
// kernel tree or progress file at once; the one that waits should be able to tell the learner
// what it waits for. So the holder writes a small record (pid, a label, the time it took the
// lock) into the lock file, and a waiter reads it back.
//
// The locks are flock(2) locks: the kernel releases them when the holder's process dies, so a
// crash never leaves a lock behind. Its record may stay; a record whose pid no longer runs is
// never reported.
package lock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rfl-tutor/rfl-tutor/internal/proc"
)

// Holder is who holds a lock, as it recorded itself in the lock file.
type Holder struct {
	PID int `json:"pid"`
	// Label says what the holder is doing, e.g. "rfl-tutor check hello-module, workspace /ws".
	Label string    `json:"label,omitempty"`
	Since time.Time `json:"since"`
}

// String is the holder as a waiting learner reads it: "pid 1234 (rfl-tutor check hello-module,
// workspace /ws) since 12:03:10", or "another process" when the holder left no record.
func (h Holder) String() string {
	if h.PID <= 0 {
		return "another process"
	}
	s := fmt.Sprintf("pid %d", h.PID)
	if h.Label != "" {
		s += " (" + h.Label + ")"
	}
	if !h.Since.IsZero() {
		since := h.Since.Local()
		layout := "15:04:05"
		if y, m, d := since.Date(); y != time.Now().Year() || m != time.Now().Month() || d != time.Now().Day() {
			layout = "2006-01-02 15:04:05"
		}
		s += " since " + since.Format(layout)
	}
	return s
}

// same reports whether two records name one holder (times decoded from JSON compare equal
// only with Equal).
func (h Holder) same(o Holder) bool {
	return h.PID == o.PID && h.Label == o.Label && h.Since.Equal(o.Since)
}

// Options tune how a lock is taken.
type Options struct {
	// Label is recorded as the holder's Label; default: this process's command line.
	Label string
	// Waiting, when set, is called while Acquire waits: when it finds the lock held, and again
	// whenever another holder takes over. The Holder is zero when the holder left no record
	// (an older rfl-tutor) or its record names a process that no longer runs.
	Waiting func(Holder)
	// Perm is the lock file's permission when Acquire creates it; default 0o644.
	Perm os.FileMode
}

// ErrHeld means another process (or another descriptor of this one) holds the lock.
var ErrHeld = errors.New("held by another process")

// HeldError is returned when the lock is held by another: at once by TryAcquire (Err is
// ErrHeld), or when the context ends while Acquire waits (Err is the context's cause).
type HeldError struct {
	Path   string
	Holder Holder // the last holder seen; zero when unknown
	Err    error
}

func (e *HeldError) Error() string {
	if e.Err == ErrHeld {
		return fmt.Sprintf("%s is held by %s", e.Path, e.Holder)
	}
	return fmt.Sprintf("waiting for %s, held by %s: %v", e.Path, e.Holder, e.Err)
}

func (e *HeldError) Unwrap() error { return e.Err }

// Lock is a held lock.
type Lock struct {
	f *os.File
}

// Release clears the holder's record and unlocks. Clearing first keeps a waiter that takes
// the lock next from showing this holder before it has written its own record.
func (l *Lock) Release() {
	_ = l.f.Truncate(0)
	_ = unix.Flock(int(l.f.Fd()), unix.LOCK_UN)
	_ = l.f.Close()
}

// unknownAfter is how long a waiter keeps rereading an unreadable record before it reports an
// unknown holder: a holder that has just taken the lock writes its record a moment later.
const unknownAfter = 200 * time.Millisecond

// Acquire takes an exclusive lock on the file at path, creating it, and waits while another
// holds it until ctx ends. flock(2) cannot wait with a deadline, so it polls, backing off to
// 50 ms between tries.
func Acquire(ctx context.Context, path string, o Options) (*Lock, error) {
	f, err := open(path, o)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	wait := time.Millisecond
	var seen Holder
	reported := false
	for {
		ok, err := tryFlock(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if ok {
			return hold(f, o), nil
		}
		if h, known := readHolder(path); known || time.Since(start) >= unknownAfter {
			if o.Waiting != nil && (!reported || !h.same(seen)) {
				o.Waiting(h)
			}
			reported, seen = true, h
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, &HeldError{Path: path, Holder: seen, Err: context.Cause(ctx)}
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
}

// TryAcquire takes the lock if it is free; otherwise it fails at once with a *HeldError
// naming the holder.
func TryAcquire(path string, o Options) (*Lock, error) {
	f, err := open(path, o)
	if err != nil {
		return nil, err
	}
	ok, err := tryFlock(f)
	switch {
	case err != nil:
		_ = f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	case !ok:
		_ = f.Close()
		h, _ := readHolder(path)
		return nil, &HeldError{Path: path, Holder: h, Err: ErrHeld}
	}
	return hold(f, o), nil
}

func open(path string, o Options) (*os.File, error) {
	perm := o.Perm
	if perm == 0 {
		perm = 0o644
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, perm)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	return f, nil
}

// tryFlock takes the lock without blocking; false means another holds it.
func tryFlock(f *os.File) (bool, error) {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		switch err {
		case nil:
			return true, nil
		case unix.EINTR:
			continue
		case unix.EWOULDBLOCK:
			return false, nil
		}
		return false, err
	}
}

// hold writes this process's record into the locked file. The record is a courtesy to
// waiters: failing to write it does not give up the lock.
func hold(f *os.File, o Options) *Lock {
	label := o.Label
	if label == "" {
		label = commandLine()
	}
	b, err := json.Marshal(Holder{PID: os.Getpid(), Label: label, Since: time.Now()})
	if err == nil {
		// Release left the file empty; one write makes a reader see all of the record or
		// nothing, except after a holder that died without releasing.
		if _, err := f.WriteAt(append(b, '\n'), 0); err == nil {
			_ = f.Truncate(int64(len(b) + 1))
		}
	}
	return &Lock{f: f}
}

// readHolder reads the record in a lock file. It is not known when the file holds no
// record, a partly written one, or one whose process no longer runs.
func readHolder(path string) (Holder, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Holder{}, false
	}
	var h Holder
	// Decode only the first value: a record longer than the one that replaced it may leave
	// its tail behind for a moment.
	if json.NewDecoder(strings.NewReader(string(b))).Decode(&h) != nil || h.PID <= 0 || !proc.Running(h.PID) {
		return Holder{}, false
	}
	return h, true
}

// commandLine is this process's command line, short enough for a message.
func commandLine() string {
	s := strings.Join(append([]string{filepath.Base(os.Args[0])}, os.Args[1:]...), " ")
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}
