package lock

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// holdEnv makes the test binary a lock holder for the cross-process tests: it takes the lock
// named by the variable, says "locked", and keeps it until its standard input closes.
const holdEnv = "RFL_LOCK_TEST_HOLD"

func TestMain(m *testing.M) {
	if path := os.Getenv(holdEnv); path != "" {
		l, err := Acquire(context.Background(), path, Options{Label: "helper holding the lock"})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("locked")
		_, _ = io.Copy(io.Discard, os.Stdin)
		l.Release()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// holdInChild starts a process that holds the lock at path and returns it with the pipe that
// keeps it holding.
func holdInChild(t *testing.T, path string) (*exec.Cmd, io.WriteCloser) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holdEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "locked\n" {
		t.Fatalf("helper said %q (%v)", line, err)
	}
	return cmd, stdin
}

func TestContentionBetweenProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	child, stdin := holdInChild(t, path)

	// While the child holds it, TryAcquire fails and names it.
	_, err := TryAcquire(path, Options{Label: "me"})
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) {
		t.Fatalf("TryAcquire while held: %v", err)
	}
	if held.Holder.PID != child.Process.Pid || held.Holder.Label != "helper holding the lock" ||
		time.Since(held.Holder.Since) > time.Minute || time.Since(held.Holder.Since) < 0 {
		t.Errorf("holder %+v, want pid %d and the helper's label, since just now", held.Holder, child.Process.Pid)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("held by pid %d (helper holding the lock) since ", child.Process.Pid)) {
		t.Errorf("message %q does not name the holder", err)
	}

	// Acquire waits, reports the holder once, and gets the lock when the child lets go.
	var mu sync.Mutex
	var reports []Holder
	go func() {
		time.Sleep(300 * time.Millisecond)
		stdin.Close()
	}()
	start := time.Now()
	l, err := Acquire(context.Background(), path, Options{Label: "me", Waiting: func(h Holder) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, h)
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("Acquire returned after %s, before the holder let go", d)
	}
	mu.Lock()
	if len(reports) != 1 || reports[0].PID != child.Process.Pid {
		t.Errorf("Waiting reports %+v, want one naming pid %d", reports, child.Process.Pid)
	}
	mu.Unlock()

	// Now this process's record is in the file.
	h, ok := readHolder(path)
	if !ok || h.PID != os.Getpid() || h.Label != "me" {
		t.Errorf("record after Acquire: %+v %v", h, ok)
	}
}

func TestKilledHolderReleasesAndIsNotReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	child, _ := holdInChild(t, path)
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	// Its record stays behind, naming a dead process.
	var rec Holder
	b, _ := os.ReadFile(path)
	if json.Unmarshal(b, &rec) != nil || rec.PID != child.Process.Pid {
		t.Fatalf("the killed holder's record is not in the file: %q", b)
	}
	called := false
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l, err := Acquire(ctx, path, Options{Waiting: func(Holder) { called = true }})
	if err != nil {
		t.Fatalf("Acquire after the holder died: %v", err)
	}
	l.Release()
	if called {
		t.Errorf("Acquire reported waiting for a dead holder")
	}
}

func TestStaleRecordOfDeadPidIgnored(t *testing.T) {
	// Someone holds the lock without a record of its own (an older rfl-tutor), and the file
	// still names a process that died: the waiter must not name the dead one.
	path := filepath.Join(t.TempDir(), "lock")
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	stale, _ := json.Marshal(Holder{PID: dead.Process.Pid, Label: "long gone", Since: time.Now().Add(-time.Hour)})
	if err := os.WriteFile(path, stale, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}

	_, err = TryAcquire(path, Options{})
	var held *HeldError
	if !errors.As(err, &held) || held.Holder != (Holder{}) || strings.Contains(err.Error(), "long gone") {
		t.Errorf("TryAcquire: %v (holder %+v), want an unknown holder", err, held)
	}

	var reports []Holder
	ctx, cancel := context.WithTimeout(context.Background(), 2*unknownAfter)
	defer cancel()
	_, err = Acquire(ctx, path, Options{Waiting: func(h Holder) { reports = append(reports, h) }})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire: %v", err)
	}
	if len(reports) != 1 || reports[0] != (Holder{}) || reports[0].String() != "another process" {
		t.Errorf("Waiting reports %+v, want one unknown holder", reports)
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	// Two descriptors in one process contend like two processes.
	path := filepath.Join(t.TempDir(), "lock")
	first, err := Acquire(context.Background(), path, Options{Label: "first"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	var waited Holder
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancel(errors.New("the learner pressed Esc"))
	}()
	start := time.Now()
	_, err = Acquire(ctx, path, Options{Label: "second", Waiting: func(h Holder) { waited = h }})
	if d := time.Since(start); d < 90*time.Millisecond || d > 2*time.Second {
		t.Errorf("Acquire gave up after %s", d)
	}
	var held *HeldError
	if !errors.As(err, &held) || !strings.Contains(err.Error(), "the learner pressed Esc") || errors.Is(err, ErrHeld) {
		t.Fatalf("Acquire under a held lock: %v", err)
	}
	if held.Holder.Label != "first" || held.Holder.PID != os.Getpid() || waited.Label != "first" {
		t.Errorf("holder %+v, reported %+v, want the first lock's", held.Holder, waited)
	}

	// Released, the record is gone and the lock is free.
	first.Release()
	if b, _ := os.ReadFile(path); len(b) != 0 {
		t.Errorf("record left after Release: %q", b)
	}
	second, err := TryAcquire(path, Options{Label: "second"})
	if err != nil {
		t.Fatalf("TryAcquire after Release: %v", err)
	}
	second.Release()
}

func TestDefaultLabelAndPerm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	l, err := Acquire(context.Background(), path, Options{Perm: 0o600})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	h, ok := readHolder(path)
	if !ok || !strings.HasPrefix(h.Label, filepath.Base(os.Args[0])) {
		t.Errorf("default label %q, want this command line", h.Label)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v (%v), want 0600", st.Mode(), err)
	}
}

func TestHolderString(t *testing.T) {
	now := time.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 12, 3, 10, 0, time.Local)
	tests := []struct {
		h    Holder
		want string
	}{
		{Holder{}, "another process"},
		{Holder{PID: 1234, Label: "rfl-tutor check hello-module, workspace /home/a/ws", Since: today},
			"pid 1234 (rfl-tutor check hello-module, workspace /home/a/ws) since 12:03:10"},
		{Holder{PID: 7, Since: today.AddDate(0, 0, -3)}, "pid 7 since " + today.AddDate(0, 0, -3).Format("2006-01-02") + " 12:03:10"},
		{Holder{PID: 7}, "pid 7"},
	}
	for _, tt := range tests {
		if got := tt.h.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.h, got, tt.want)
		}
	}
}
