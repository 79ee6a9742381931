package progress

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// The test binary doubles as a progress writer for the tests that need other processes:
// helperEnv selects the mode, helperPath the file.
const (
	helperEnv  = "RFL_PROGRESS_TEST_HELPER"
	helperPath = "RFL_PROGRESS_TEST_PATH"
	helperN    = "RFL_PROGRESS_TEST_N"
)

func TestMain(m *testing.M) {
	switch os.Getenv(helperEnv) {
	case "":
		os.Exit(m.Run())
	case "count":
		n, _ := strconv.Atoi(os.Getenv(helperN))
		os.Exit(countWriter(os.Getenv(helperPath), n))
	case "loop":
		os.Exit(loopWriter(os.Getenv(helperPath)))
	default:
		fmt.Fprintln(os.Stderr, "unknown helper mode")
		os.Exit(3)
	}
}

// countWriter records n attempts, one Update each.
func countWriter(path string, n int) int {
	s, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := range n {
		err := s.Update(func(st *State) error {
			st.Course("c").RecordAttempt("e", false, "attempt "+strconv.Itoa(i), time.Now())
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	return 0
}

// loopWriter updates progress as fast as it can until it is killed, saying "ready" once its
// first update is saved. The summaries grow, so that saves take long enough for kills to land in
// the middle of them.
func loopWriter(path string) int {
	s, err := Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i := 0; ; i++ {
		err := s.Update(func(st *State) error {
			c := st.Course("c")
			ex := "ex-" + strconv.Itoa(i%50)
			// Failing attempts only: attempts stop counting at the first pass, and the test
			// counts them to see that no completed update was lost.
			c.RecordAttempt(ex, false, strings.Repeat("x", 100+i%400), time.Now())
			c.RevealHint(ex, 3)
			c.AnswerQuestion("intro", "q"+strconv.Itoa(i%20), i%4, i%4 == 1, time.Now())
			c.SetLast("intro", ex, time.Now())
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		if i == 0 {
			fmt.Println("ready")
		}
	}
}

func helper(t *testing.T, mode, path string, extra ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperPath+"="+path)
	cmd.Env = append(cmd.Env, extra...)
	cmd.Stderr = os.Stderr
	return cmd
}

func tempStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "state", "progress.json"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func totalAttempts(st *State) int {
	n := 0
	for _, c := range st.Courses {
		for _, e := range c.Exercises {
			n += e.Attempts
		}
	}
	return n
}

func TestRoundTrip(t *testing.T) {
	s := tempStore(t)
	want := New()
	c := want.Course("rfl")
	c.RecordAttempt("hello", false, "build failed: E0425", t0)
	c.RecordAttempt("hello", true, "pass: returns `Result<()>`", t0.Add(time.Minute))
	c.RevealHint("hello", 3)
	c.VisitLesson("intro", t0)
	c.CompleteLesson("intro", t0.Add(time.Hour))
	c.AnswerQuestion("intro", "why-rust", 2, true, t0)
	c.SetLast("first-module", "hello", t0)
	want.Course("pack").RecordAttempt("x", false, "", t0)

	if err := s.Update(func(st *State) error { *st = *want; return nil }); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		a, _ := Encode(got)
		b, _ := Encode(want)
		t.Errorf("round trip differs:\n got %s\nwant %s", a, b)
	}

	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{`"version": 1`, "`Result<()>`", `"passed_at": "2025-06-01T10:01:00Z"`} {
		if !strings.Contains(string(data), sub) {
			t.Errorf("file lacks %s:\n%s", sub, data)
		}
	}
	if fi, err := os.Stat(filepath.Dir(s.Path())); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("state directory mode: %v, %v; want 0700", fi.Mode().Perm(), err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	s := tempStore(t)
	st, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if st.Version != Version || len(st.Courses) != 0 {
		t.Errorf("Load of a missing file = %+v, want an empty state", st)
	}
	if _, err := os.Stat(s.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load created the file: %v", err)
	}
}

func TestNewerVersionRefused(t *testing.T) {
	s := tempStore(t)
	// A newer format may change shapes too: it must still be refused, not taken for corruption.
	content := []byte(`{"version": 2, "courses": ["a new shape"]}`)
	if err := os.WriteFile(s.Path(), content, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load()
	var ve *VersionError
	if !errors.As(err, &ve) || ve.Version != 2 || ve.Supported != 1 {
		t.Fatalf("Load = %v, want a *VersionError for version 2", err)
	}
	if !strings.Contains(err.Error(), "upgrade rfl-tutor") {
		t.Errorf("message does not say what to do: %v", err)
	}
	called := false
	err = s.Update(func(*State) error { called = true; return nil })
	if !errors.As(err, &ve) || called {
		t.Errorf("Update = %v (fn called: %v), want a *VersionError without calling fn", err, called)
	}
	if got, _ := os.ReadFile(s.Path()); string(got) != string(content) {
		t.Errorf("newer file was changed to %s", got)
	}
	if m, _ := filepath.Glob(s.Path() + ".corrupt-*"); len(m) != 0 {
		t.Errorf("newer file was moved aside: %v", m)
	}
}

func TestCorruptFileKeptAside(t *testing.T) {
	tests := []struct{ name, content string }{
		{"truncated", `{"version": 1, "courses": {"c": {"exerc`},
		{"empty", ``},
		{"not an object", `[1, 2, 3]`},
		{"wrong shape", `{"version": 1, "courses": ["c"]}`},
		{"wrong type", `{"version": 1, "courses": {"c": {"exercises": {"e": {"attempts": "many"}}}}}`},
		{"no version", `{"courses": {}}`},
		{"negative count", `{"version": 1, "courses": {"c": {"exercises": {"e": {"attempts": -1}}}}}`},
		{"trailing garbage", `{"version": 1, "courses": {}} }`},
		{"binary", "\x00\x01\x02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Run("Load", func(t *testing.T) {
				s := tempStore(t)
				writeFile(t, s.Path(), tt.content)
				st, err := s.Load()
				ce := checkKept(t, s, err, tt.content)
				if st == nil || len(st.Courses) != 0 {
					t.Errorf("state = %+v, want a fresh one", st)
				}
				if !strings.Contains(ce.Error(), "kept as "+ce.KeptAs) || !strings.Contains(ce.Error(), "starting fresh") {
					t.Errorf("message = %q", ce.Error())
				}
				if _, err := s.Load(); err != nil {
					t.Errorf("second Load: %v", err)
				}
			})
			t.Run("Update", func(t *testing.T) {
				s := tempStore(t)
				writeFile(t, s.Path(), tt.content)
				err := s.Update(func(st *State) error {
					st.Course("c").RecordAttempt("e", true, "", t0)
					return nil
				})
				checkKept(t, s, err, tt.content)
				st, err := s.Load()
				if err != nil || totalAttempts(st) != 1 {
					t.Errorf("after Update on a corrupt file: %v, %d attempts; want the update saved", err, totalAttempts(st))
				}
			})
		})
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkKept asserts err reports the corrupt file and that it is kept, byte for byte.
func checkKept(t *testing.T, s *Store, err error, content string) *CorruptError {
	t.Helper()
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *CorruptError", err)
	}
	if ce.Path != s.Path() || !strings.HasPrefix(ce.KeptAs, s.Path()+".corrupt-") {
		t.Errorf("CorruptError = %+v", ce)
	}
	kept, err := os.ReadFile(ce.KeptAs)
	if err != nil || string(kept) != content {
		t.Errorf("kept file = %q, %v; want the original %q", kept, err, content)
	}
	return ce
}

func TestCorruptCopiesNeverOverwritten(t *testing.T) {
	s := tempStore(t)
	var kept []string
	for i := range 3 { // three in one second get three names
		content := "broken " + strconv.Itoa(i)
		writeFile(t, s.Path(), content)
		_, err := s.Load()
		kept = append(kept, checkKept(t, s, err, content).KeptAs)
	}
	for i, k := range kept {
		if got, _ := os.ReadFile(k); string(got) != "broken "+strconv.Itoa(i) {
			t.Errorf("%s = %q", k, got)
		}
	}
}

func TestNullRecordsTolerated(t *testing.T) {
	s := tempStore(t)
	writeFile(t, s.Path(), `{"version": 1, "courses": {"a": null, "b": {"exercises": {"e": null}, "lessons": {"l": null}}}}`)
	st, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	st.Course("a").RecordAttempt("e", false, "", t0)
	st.Course("b").RevealHint("e", 1)
	st.Course("b").VisitLesson("l", t0)
}

func TestUpdateErrorSavesNothing(t *testing.T) {
	s := tempStore(t)
	if err := s.Update(func(st *State) error { st.Course("c").RecordAttempt("e", false, "", t0); return nil }); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(s.Path())
	boom := errors.New("boom")
	err := s.Update(func(st *State) error {
		st.Course("c").RecordAttempt("e", false, "", t0)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Update = %v, want fn's error", err)
	}
	if after, _ := os.ReadFile(s.Path()); string(after) != string(before) {
		t.Errorf("file changed after a failed Update")
	}
}

func TestUpdateSeesOtherWriters(t *testing.T) {
	a := tempStore(t)
	b, err := Open(a.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(st *State) error { st.Course("c").RevealHint("e", 3); return nil }); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := a.Update(func(st *State) error { n, _ = st.Course("c").RevealHint("e", 3); return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("second hint = %d, want 2 (Update must re-read, not use an earlier Load)", n)
	}
}

func TestStaleTempFilesRemoved(t *testing.T) {
	s := tempStore(t)
	stale := filepath.Join(filepath.Dir(s.Path()), ".progress.json.tmp-12345")
	writeFile(t, stale, `{"version": 1, "cour`)
	if err := s.Update(func(*State) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file still there: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(s.Path()))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"progress.json", "progress.json.lock"}; !reflect.DeepEqual(names, want) {
		t.Errorf("directory holds %q, want %q", names, want)
	}
}

func TestLockTimeout(t *testing.T) {
	s := tempStore(t)
	s.LockTimeout = 150 * time.Millisecond
	f, err := os.OpenFile(s.Path()+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	called := false
	err = s.Update(func(*State) error { called = true; return nil })
	if !errors.Is(err, ErrBusy) || called {
		t.Fatalf("Update under a held lock = %v (fn called: %v), want ErrBusy", err, called)
	}
	if el := time.Since(start); el < s.LockTimeout || el > s.LockTimeout+time.Second {
		t.Errorf("gave up after %v, want about %v", el, s.LockTimeout)
	}
	// The holder here took the lock without a record (as an older rfl-tutor would).
	if !strings.Contains(err.Error(), "another rfl-tutor is updating progress") || !strings.Contains(err.Error(), "held by another process") {
		t.Errorf("message = %q", err)
	}

	// Released: the next Update goes through, even when it started waiting before the release.
	s.LockTimeout = 5 * time.Second
	fd := int(f.Fd())
	released := make(chan struct{})
	go func() {
		defer close(released)
		time.Sleep(50 * time.Millisecond)
		unix.Flock(fd, unix.LOCK_UN)
	}()
	if err := s.Update(func(*State) error { called = true; return nil }); err != nil || !called {
		t.Errorf("Update after release = %v, called %v", err, called)
	}
	<-released // before the deferred Close
}

func TestConcurrentGoroutinesLoseNothing(t *testing.T) {
	path := tempStore(t).Path()
	const perWriter = 100
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		s, err := Open(path) // separate stores, as two parts of a program would have
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for range perWriter {
				err := s.Update(func(st *State) error {
					st.Course("c").RecordAttempt("e", false, "", time.Now())
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	s, _ := Open(path)
	st, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := totalAttempts(st); n != 2*perWriter {
		t.Errorf("attempts = %d, want %d", n, 2*perWriter)
	}
}

func TestConcurrentProcessesLoseNothing(t *testing.T) {
	s := tempStore(t)
	const perWriter = 100
	var cmds []*exec.Cmd
	for range 2 {
		cmd := helper(t, "count", s.Path(), helperN+"="+strconv.Itoa(perWriter))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("writer: %v", err)
		}
	}
	st, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := totalAttempts(st); n != 2*perWriter {
		t.Errorf("attempts = %d, want %d", n, 2*perWriter)
	}
}

func readyLine(cmd *exec.Cmd) (<-chan error, error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	ready := make(chan error, 1)
	go func() {
		line, err := bufio.NewReader(out).ReadString('\n')
		if err == nil && line != "ready\n" {
			err = fmt.Errorf("writer said %q", line)
		}
		ready <- err
	}()
	return ready, nil
}
