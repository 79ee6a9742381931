package course

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestJoinFS(t *testing.T) {
	j := joinFS{
		"lessons": fstest.MapFS{
			"course.yaml": {Data: []byte("id: x\n")},
			"a.md":        {Data: []byte("---\n")},
		},
		"snippets": fstest.MapFS{
			"s/src/s.rs":    {Data: []byte("fn x() {}\n")},
			"s/.hidden":     {Data: []byte("h")},
			"s/snippet.yml": {Data: []byte("title: S\n")},
		},
	}
	if err := fstest.TestFS(j, "lessons/course.yaml", "lessons/a.md", "snippets/s/src/s.rs", "snippets/s/.hidden"); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.ReadFile(j, "other/x"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("unmounted name: err = %v, want ErrNotExist", err)
	}
	var pe *fs.PathError
	if _, err := j.Open("lessons/nope.md"); !errors.As(err, &pe) || pe.Path != "lessons/nope.md" {
		t.Errorf("error path = %v, want the joined name", err)
	}
}

func TestEmbedded(t *testing.T) {
	fsys := Embedded()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Name() != "lessons" || entries[1].Name() != "snippets" || !entries[0].IsDir() {
		t.Fatalf("root = %v, want lessons/ and snippets/", entries)
	}
	for _, name := range []string{"lessons/course.yaml", "lessons/README.md", "snippets/README.md"} {
		if _, err := fs.Stat(fsys, name); err != nil {
			t.Errorf("embedded course lacks %s: %v", name, err)
		}
	}
}

// TestEmbeddedCourseLoads: the course shipped in the binary must always be valid.
func TestEmbeddedCourseLoads(t *testing.T) {
	if _, err := Load(Embedded()); err != nil {
		t.Fatalf("the embedded course does not load:\n%v", err)
	}
}

// TestEmbeddedMatchesDir: the embedded course and the same folders opened as a pack
// directory load to the same lessons and snippet files, so `--course .` behaves like the
// built-in course.
func TestEmbeddedMatchesDir(t *testing.T) {
	emb, err := Load(Embedded())
	if err != nil {
		t.Skip("embedded course does not load; TestEmbeddedCourseLoads reports why")
	}
	fsys, err := OpenDir(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(emb.Lessons) != len(dir.Lessons) || len(emb.Snippets) != len(dir.Snippets) {
		t.Fatalf("embedded: %d lessons, %d snippets; directory: %d, %d",
			len(emb.Lessons), len(emb.Snippets), len(dir.Lessons), len(dir.Snippets))
	}
	for id, s := range dir.Snippets {
		es := emb.Snippets[id]
		if es == nil || len(es.Src) != len(s.Src) || len(es.StarterFiles) != len(s.StarterFiles) {
			t.Errorf("snippet %s differs between the embedded course and the directory", id)
		}
	}
}

func TestOpenDir(t *testing.T) {
	if _, err := OpenDir(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: err = %v", err)
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenDir(file); err == nil {
		t.Error("a file opened as a course folder")
	}
	// A relative path keeps working after the process changes directory.
	t.Chdir("testdata")
	fsys, err := OpenDir("good")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("..")
	if _, err := Load(fsys); err != nil {
		t.Error(err)
	}
}
