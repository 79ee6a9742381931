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

func TestContentHash(t *testing.T) {
	base := fstest.MapFS{
		"lessons/course.yaml":      {Data: []byte("id: x\n")},
		"snippets/s/Kbuild":        {Data: []byte("obj-m := s.o\n")},
		"snippets/s/src/s.rs":      {Data: []byte("fn x() {}\n")},
		"snippets/s/src/.hidden":   {Data: []byte("h")},
		"snippets/s/starter/s.rs":  {Data: []byte("fn y() {}\n")},
		"snippets/t/snippet.yaml":  {Data: []byte("title: T\n")},
		"snippets/t/src/t.rs":      {Data: []byte("")},
		"snippets/t/src/other.rs":  {Data: []byte("x")},
		"snippets/t/starter/t.rs":  {Data: []byte("x")},
		"snippets/README.md":       {Data: []byte("r")},
		"lessons/01-first.md":      {Data: []byte("---\n")},
		"snippets/s/snippet.yaml":  {Data: []byte("title: S\n")},
		"snippets/t/Kbuild":        {Data: []byte("obj-m := t.o\n")},
		"snippets/t/starter/other": {Data: []byte("")},
	}
	want, err := ContentHash(base)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() fstest.MapFS {
		m := fstest.MapFS{}
		for k, v := range base {
			c := *v
			m[k] = &c
		}
		return m
	}
	if again, _ := ContentHash(clone()); again != want {
		t.Errorf("the same content hashes differently: %s, %s", want, again)
	}
	changed := map[string]func(fstest.MapFS){
		"a Kbuild edited": func(m fstest.MapFS) {
			m["snippets/s/Kbuild"] = &fstest.MapFile{Data: []byte("obj-m := s.o\n$(shell id)\n")}
		},
		"a hidden file added": func(m fstest.MapFS) { m["snippets/s/.evil"] = &fstest.MapFile{Data: nil} },
		"a file renamed": func(m fstest.MapFS) {
			m["snippets/t/src/other2.rs"] = m["snippets/t/src/other.rs"]
			delete(m, "snippets/t/src/other.rs")
		},
		"content moved between": func(m fstest.MapFS) {
			m["snippets/t/src/t.rs"] = &fstest.MapFile{Data: []byte("x")}
			m["snippets/t/src/other.rs"] = &fstest.MapFile{}
		},
	}
	for name, change := range changed {
		m := clone()
		change(m)
		if got, err := ContentHash(m); err != nil || got == want {
			t.Errorf("%s: hash %s (err %v) unchanged", name, got, err)
		}
	}
}
