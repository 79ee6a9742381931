package workspace

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
)

var starter = map[string][]byte{
	"Kbuild":   []byte("obj-m := hello.o\n"),
	"hello.rs": []byte("// SPDX-License-Identifier: GPL-2.0\n// TODO: write the module\n"),
}

func TestEnsureCreatesStarter(t *testing.T) {
	w := New(t.TempDir())
	created, err := w.Ensure("course", "hello", starter)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Kbuild", "hello.rs"}; !slices.Equal(created, want) {
		t.Errorf("created = %q, want %q", created, want)
	}
	got, err := w.Files("course", "hello")
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(got, starter, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Errorf("files after Ensure = %q, want %q", got, starter)
	}
	leftovers, _ := filepath.Glob(filepath.Join(w.Dir("course", "hello"), ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %q", leftovers)
	}
	fi, err := os.Stat(filepath.Join(w.Dir("course", "hello"), "hello.rs"))
	if err != nil {
		t.Fatal(err)
	}
	if want := atomicfile.Mode(0o644); fi.Mode().Perm() != want {
		t.Errorf("starter mode = %v, want %v (0644 less the umask)", fi.Mode().Perm(), want)
	}
}

func TestEnsureNeverOverwrites(t *testing.T) {
	w := New(t.TempDir())
	dir := w.Dir("course", "hello")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := []byte("// my work in progress\n")
	if err := os.WriteFile(filepath.Join(dir, "hello.rs"), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	// An empty file is still the learner's file.
	if err := os.WriteFile(filepath.Join(dir, "Kbuild"), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	created, err := w.Ensure("course", "hello", starter)
	if err != nil {
		t.Fatal(err)
	}
	if len(created) != 0 {
		t.Errorf("created = %q, want nothing", created)
	}
	got, err := w.Files("course", "hello")
	if err != nil {
		t.Fatal(err)
	}
	if string(got["hello.rs"]) != string(mine) || len(got["Kbuild"]) != 0 {
		t.Errorf("learner files changed: %q", got)
	}

	// A deleted file comes back, the other stays the learner's.
	if err := os.Remove(filepath.Join(dir, "Kbuild")); err != nil {
		t.Fatal(err)
	}
	created, err = w.Ensure("course", "hello", starter)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Kbuild"}; !slices.Equal(created, want) {
		t.Errorf("created = %q, want %q", created, want)
	}
	got, _ = w.Files("course", "hello")
	if string(got["Kbuild"]) != string(starter["Kbuild"]) || string(got["hello.rs"]) != string(mine) {
		t.Errorf("after re-ensure: %q", got)
	}
}

func TestResetKeepsBackup(t *testing.T) {
	root := t.TempDir()
	w := New(root)
	fixed := time.Date(2025, 3, 4, 5, 6, 7, 0, time.Local)
	w.now = func() time.Time { return fixed } // both resets in the same second
	if _, err := w.Ensure("course", "hello", starter); err != nil {
		t.Fatal(err)
	}
	dir := w.Dir("course", "hello")
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("hello.rs", "first attempt")
	write("notes.txt", "my notes")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	write("sub/deep.rs", "nested")

	b1, err := w.Reset("course", "hello", starter)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "course", ".backup", "hello-20250304-050607"); b1 != want {
		t.Errorf("backup = %q, want %q", b1, want)
	}
	for name, want := range map[string]string{"hello.rs": "first attempt", "notes.txt": "my notes", "sub/deep.rs": "nested"} {
		got, err := os.ReadFile(filepath.Join(b1, name))
		if err != nil || string(got) != want {
			t.Errorf("backup %s = %q, %v; want %q", name, got, err, want)
		}
	}
	got, err := w.Files("course", "hello")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got["hello.rs"]) != string(starter["hello.rs"]) {
		t.Errorf("after reset: %q, want the starter only", got)
	}

	write("hello.rs", "second attempt")
	b2, err := w.Reset("course", "hello", starter)
	if err != nil {
		t.Fatal(err)
	}
	if b2 == b1 || !strings.HasPrefix(filepath.Base(b2), "hello-20250304-050607-") {
		t.Errorf("second backup = %q, want a new name beside %q", b2, b1)
	}
	if got, _ := os.ReadFile(filepath.Join(b2, "hello.rs")); string(got) != "second attempt" {
		t.Errorf("second backup hello.rs = %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(b1, "hello.rs")); string(got) != "first attempt" {
		t.Errorf("first backup was changed: hello.rs = %q", got)
	}
}

func TestResetWithoutFolder(t *testing.T) {
	w := New(t.TempDir())
	b, err := w.Reset("course", "hello", starter)
	if err != nil {
		t.Fatal(err)
	}
	if b != "" {
		t.Errorf("backup = %q, want none when there was no folder", b)
	}
	if got, _ := w.Files("course", "hello"); len(got) != 2 {
		t.Errorf("files after reset = %q", got)
	}
}

func TestFilesSkipsNoise(t *testing.T) {
	w := New(t.TempDir())
	dir := w.Dir("c", "e")
	if err := os.MkdirAll(filepath.Join(dir, "subdir"), 0o755); err != nil {
		t.Fatal(err)
	}
	keep := []string{"Kbuild", "hello.rs", "Makefile", "helper.rs"}
	skip := []string{"hello.rs~", ".hello.rs.swp", "#hello.rs#", ".#hello.rs", "hello.o", "hello.ko",
		"hello.mod", "hello.mod.c", ".hello.o.cmd", "modules.order", "Module.symvers", "subdir/x.rs"}
	for _, name := range append(slices.Clone(keep), skip...) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("hello.rs", filepath.Join(dir, "link.rs")); err != nil {
		t.Fatal(err)
	}
	got, err := w.Files("c", "e")
	if err != nil {
		t.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(got))
	if string(got["link.rs"]) != "hello.rs" {
		t.Errorf("a link inside the folder is not followed: %q", got["link.rs"])
	}
	keep = append(keep, "link.rs")
	slices.Sort(keep)
	if !slices.Equal(names, keep) {
		t.Errorf("Files = %q, want %q", names, keep)
	}
	for _, name := range slices.DeleteFunc(slices.Clone(keep), func(n string) bool { return n == "link.rs" }) {
		if string(got[name]) != name {
			t.Errorf("%s = %q", name, got[name])
		}
	}
}

func TestFilesMissingFolder(t *testing.T) {
	w := New(t.TempDir())
	if _, err := w.Files("c", "nothing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Files on a missing folder: %v, want not-exist", err)
	}
}

func TestRejectsEscapingNames(t *testing.T) {
	w := New(t.TempDir())
	bad := []struct{ course, exercise string }{
		{"..", "x"}, {"c", ".."}, {"c", "a/b"}, {"", "x"}, {"c", ""}, {"c", ".backup"}, {"c/..", "x"},
	}
	for _, b := range bad {
		if _, err := w.Ensure(b.course, b.exercise, starter); err == nil {
			t.Errorf("Ensure(%q, %q) accepted", b.course, b.exercise)
		}
		if _, err := w.Reset(b.course, b.exercise, starter); err == nil {
			t.Errorf("Reset(%q, %q) accepted", b.course, b.exercise)
		}
		if _, err := w.Files(b.course, b.exercise); err == nil {
			t.Errorf("Files(%q, %q) accepted", b.course, b.exercise)
		}
	}
	for _, name := range []string{"../evil.rs", "sub/x.rs", ".hidden", ""} {
		if _, err := w.Ensure("c", "e", map[string][]byte{name: nil}); err == nil {
			t.Errorf("Ensure accepted file name %q", name)
		}
	}
}

func TestResolve(t *testing.T) {
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_DATA_HOME", "/data")
	tests := []struct {
		name, env, flag, want string
	}{
		{"default", "", "", "/data/rfl-tutor/workspace"},
		{"env", "/ws/env", "", "/ws/env"},
		{"flag beats env", "/ws/env", "/ws/flag", "/ws/flag"},
		{"relative flag made absolute", "", "ws", filepath.Join(cwd, "ws")},
		{"relative env made absolute", "envws", "", filepath.Join(cwd, "envws")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvRoot, tt.env)
			if got := Resolve(tt.flag); got != tt.want {
				t.Errorf("Resolve(%q) with $%s=%q = %q, want %q", tt.flag, EnvRoot, tt.env, got, tt.want)
			}
		})
	}
}

func TestFilesRefusesLinksOutside(t *testing.T) {
	w := New(t.TempDir())
	dir := w.Dir("c", "e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "id_rsa.rs")
	if err := os.WriteFile(secret, []byte("key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "helper.rs")); err != nil {
		t.Fatal(err)
	}
	_, err := w.Files("c", "e")
	if err == nil || !strings.Contains(err.Error(), "helper.rs is a link to") || !strings.Contains(err.Error(), "outside your exercise folder") {
		t.Fatalf("a link outside the folder: %v", err)
	}
	if err := os.Remove(filepath.Join(dir, "helper.rs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("gone.rs", filepath.Join(dir, "helper.rs")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Files("c", "e"); err == nil || !strings.Contains(err.Error(), "leads nowhere") {
		t.Fatalf("a dangling link: %v", err)
	}
}
