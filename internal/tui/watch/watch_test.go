package watch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fast = 30 * time.Millisecond

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// expect waits for a report, or for silence when want is false.
func expect(t *testing.T, w *Watcher, want bool, what string) {
	t.Helper()
	wait := 10 * fast
	if want {
		wait = 5 * time.Second
	}
	select {
	case <-w.C:
		if !want {
			t.Fatalf("%s: unexpected change reported", what)
		}
	case <-time.After(wait):
		if want {
			t.Fatalf("%s: no change reported", what)
		}
	}
}

func TestReportsChanges(t *testing.T) {
	for _, noEvents := range []bool{false, true} {
		name := "events"
		if noEvents {
			name = "polling"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "hello.rs")
			write(t, src, "v1")
			w, err := New(dir, Options{Debounce: fast, Poll: fast, NoEvents: noEvents,
				Ignore: func(n string) bool { return strings.HasPrefix(n, ".") }})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			if w.PollOnly() != noEvents {
				t.Fatalf("PollOnly = %v", w.PollOnly())
			}
			expect(t, w, false, "baseline")

			write(t, src, "v2")
			expect(t, w, true, "edit")

			write(t, src, "v2")
			expect(t, w, false, "save without change")

			write(t, filepath.Join(dir, ".hello.rs.swp"), "swap")
			expect(t, w, false, "ignored file")

			// Vim's way: write a new file and rename it over the old one.
			tmp := filepath.Join(dir, "4913")
			write(t, tmp, "v3")
			if err := os.Rename(tmp, src); err != nil {
				t.Fatal(err)
			}
			expect(t, w, true, "rename over")

			write(t, filepath.Join(dir, "extra.rs"), "new file")
			expect(t, w, true, "new file")
		})
	}
}

func TestDebounceCoalescesBursts(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.rs")
	write(t, src, "0")
	w, err := New(dir, Options{Debounce: 100 * time.Millisecond, Poll: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i := range 10 {
		write(t, src, strings.Repeat("x", i+1))
		time.Sleep(10 * time.Millisecond)
	}
	expect(t, w, true, "burst")
	expect(t, w, false, "after the burst")
}

func TestFolderReplaced(t *testing.T) {
	// A reset moves the folder away and writes a new one in its place: the poll still sees it.
	dir := filepath.Join(t.TempDir(), "ex")
	os.Mkdir(dir, 0o755)
	write(t, filepath.Join(dir, "a.rs"), "mine")
	w, err := New(dir, Options{Debounce: fast, Poll: fast})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := os.Rename(dir, dir+".bak"); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(dir, 0o755)
	write(t, filepath.Join(dir, "a.rs"), "starter")
	expect(t, w, true, "replaced folder")
	write(t, filepath.Join(dir, "a.rs"), "edited")
	expect(t, w, true, "edit in the new folder")
}

func TestNewMissingDir(t *testing.T) {
	if _, err := New(filepath.Join(t.TempDir(), "nope"), Options{}); err == nil {
		t.Fatal("New on a missing folder succeeded")
	}
}

func TestCloseTwice(t *testing.T) {
	w, err := New(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w.Close()
}
