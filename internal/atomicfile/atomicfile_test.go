package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestWriteReplacesWholeAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	for _, content := range []string{"first", "second, longer"} {
		if err := Write(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Fatalf("got %q, %v; want %q", got, err, content)
		}
	}
	st, _ := os.Stat(p)
	if want := fs.FileMode(0o644) &^ umask(); st.Mode().Perm() != want {
		t.Errorf("mode %v, want %v", st.Mode().Perm(), want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("leftover files: %v", ents)
	}
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := Write(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory where the file should go makes the rename fail.
	if err := Write(filepath.Join(dir), []byte("x"), 0o644); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Errorf("old file changed: %q", got)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("leftover files: %v", ents)
	}
}

func TestWriteMissingDirectory(t *testing.T) {
	if err := Write(filepath.Join(t.TempDir(), "no", "such", "f"), nil, 0o644); err == nil {
		t.Fatal("wrote into a missing directory")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rec.json")
	var got struct{ Name string }
	if found, err := ReadJSON(path, &got); found || err != nil {
		t.Fatalf("missing file: found %v, err %v", found, err)
	}
	if err := WriteJSON(path, struct{ Name string }{"tree"}, 0o644); err != nil {
		t.Fatal(err)
	}
	if found, err := ReadJSON(path, &got); !found || err != nil || got.Name != "tree" {
		t.Fatalf("read back: %v %v %+v", found, err, got)
	}
	if err := os.WriteFile(path, []byte(`{"Name": "tr`), 0o644); err != nil {
		t.Fatal(err)
	}
	if found, err := ReadJSON(path, &got); !found || err == nil {
		t.Fatalf("a torn record: found %v, err %v", found, err)
	}
}

// Files get the mode asked for, less the umask, as any file the process creates.
func TestWriteHonoursTheUmask(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := Write(path, []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := fs.FileMode(0o666) &^ umask(); st.Mode().Perm() != want {
		t.Errorf("mode %v, want %v (umask %v)", st.Mode().Perm(), want, umask())
	}
	if umask() != readUmaskForTest(t) {
		t.Errorf("umask() = %v, the process has %v", umask(), readUmaskForTest(t))
	}
}

// readUmaskForTest asks the kernel the slow way (set and restore), fine in a test.
func readUmaskForTest(t *testing.T) fs.FileMode {
	t.Helper()
	old := syscall.Umask(0)
	syscall.Umask(old)
	return fs.FileMode(old)
}
