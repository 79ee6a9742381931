package build

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestSyncFilesKeepsUnchangedFiles(t *testing.T) {
	scratch := filepath.Join(t.TempDir(), "s")
	first := map[string][]byte{
		"Kbuild":      []byte("obj-m := a.o b.o\n"),
		"a.rs":        []byte("// a\n"),
		"b.rs":        []byte("// b\n"),
		"sub/util.rs": []byte("// util\n"),
	}
	if _, err := syncFiles(scratch, first); err != nil {
		t.Fatal(err)
	}
	// Age everything, and leave a build product next to the sources.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	for name := range first {
		if err := os.Chtimes(filepath.Join(scratch, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(scratch, "a.o"), []byte("obj"), 0o644); err != nil {
		t.Fatal(err)
	}

	second := map[string][]byte{
		"Kbuild":      first["Kbuild"],
		"a.rs":        []byte("// a, edited\n"),
		"sub/util.rs": first["sub/util.rs"],
	}
	names, err := syncFiles(scratch, second)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Kbuild", "a.rs", "sub/util.rs"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names = %v, want %v", names, want)
	}
	mtime := func(name string) time.Time {
		st, err := os.Stat(filepath.Join(scratch, name))
		if err != nil {
			t.Fatal(err)
		}
		return st.ModTime()
	}
	for _, name := range []string{"Kbuild", "sub/util.rs"} {
		if !mtime(name).Equal(old) {
			t.Errorf("%s rewritten although unchanged", name)
		}
	}
	if !mtime("a.rs").After(old) {
		t.Errorf("a.rs not rewritten")
	}
	if b, _ := os.ReadFile(filepath.Join(scratch, "a.rs")); !bytes.Equal(b, second["a.rs"]) {
		t.Errorf("a.rs = %q", b)
	}
	if _, err := os.Stat(filepath.Join(scratch, "b.rs")); !os.IsNotExist(err) {
		t.Errorf("stale b.rs not removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(scratch, "a.o")); err != nil {
		t.Errorf("build product removed: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(scratch, ".rfl-tutor-tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestSyncFilesRejectsBadNames(t *testing.T) {
	for _, name := range []string{"../x", "/abs", "a/../../b", "", ".", manifestName, `a\b`} {
		if _, err := syncFiles(t.TempDir(), map[string][]byte{name: nil}); err == nil {
			t.Errorf("name %q accepted", name)
		}
	}
}

func TestLockScratchWaitsAndHonoursContext(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lockScratch(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	// The error names the holder, this process, and why the wait ended.
	if _, err := lockScratch(ctx, dir); err == nil || !strings.Contains(err.Error(), "another build") ||
		!strings.Contains(err.Error(), "held by pid "+strconv.Itoa(os.Getpid())) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second lock while held: %v", err)
	}
	unlock()
	unlock2, err := lockScratch(context.Background(), dir)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}

func TestBuiltModules(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.ko", "b.ko", "stale.ko"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "modules.order"), []byte("b.o\na.o\nmissing.o\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "b.ko"), filepath.Join(dir, "a.ko")}
	if got := builtModules(dir); !reflect.DeepEqual(got, want) {
		t.Errorf("builtModules = %v, want %v", got, want)
	}
	// An empty modules.order (no obj-m) means no module, whatever older builds left.
	if err := os.WriteFile(filepath.Join(dir, "modules.order"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := builtModules(dir); len(got) != 0 {
		t.Errorf("builtModules with empty modules.order = %v", got)
	}
}

func TestHeadTail(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		writes  []string
		want    string
		omitted int64
	}{
		{"fits", 16, []string{"abc", "def"}, "abcdef", 0},
		{"exactly full", 8, []string{"abcd", "efgh"}, "abcdefgh", 0},
		{"no line breaks", 8, []string{"0123456789"}, "0123\r\n[rfl-tutor: 2 bytes of build output omitted]\r\n6789", 2},
		{"tail wraps", 8, []string{"0123", "45", "67", "89", "AB"}, "0123\r\n[rfl-tutor: 4 bytes of build output omitted]\r\n89AB", 4},
		{"cut at lines", 20, []string{"l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\n"},
			"l1\nl2\nl3\n[rfl-tutor: 9 bytes of build output omitted]\r\nl7\nl8\nl9\n", 9},
		{"huge single write", 8, []string{strings.Repeat("x", 1000) + "TAIL"}, "xxxx\r\n[rfl-tutor: 996 bytes of build output omitted]\r\nTAIL", 996},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHeadTail(tt.max)
			for _, w := range tt.writes {
				_, _ = h.Write([]byte(w))
			}
			if got := string(h.bytes()); got != tt.want || h.omitted != tt.omitted {
				t.Errorf("got %q (omitted %d), want %q (omitted %d)", got, h.omitted, tt.want, tt.omitted)
			}
		})
	}
}
