package library

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// fakeTree is a kernel tree with the files treeIdentity looks at.
func fakeTree(t *testing.T) *kernel.Tree {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{".config", "Module.symvers", "rust/libkernel.rmeta", "rust/libmacros.so"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &kernel.Tree{Dir: dir, Release: "6.12.117", RustcVersionText: "rustc 1.96.0", ConfigFile: filepath.Join(dir, ".config"), LLVM: "-19"}
}

func TestJobKey(t *testing.T) {
	s := &course.Snippet{ID: "hello"}
	src := Target{Snippet: s, Variant: course.VariantSrc}
	files := map[string][]byte{"Kbuild": []byte("obj-m := hello.o\n"), "hello.rs": []byte("// hello\n")}
	base := jobKey("tree1", src, files)

	if jobKey("tree1", src, map[string][]byte{"hello.rs": []byte("// hello\n"), "Kbuild": []byte("obj-m := hello.o\n")}) != base {
		t.Error("the key depends on map order")
	}
	for name, key := range map[string]string{
		"content":   jobKey("tree1", src, map[string][]byte{"Kbuild": []byte("obj-m := hello.o\n"), "hello.rs": []byte("// hello!\n")}),
		"file name": jobKey("tree1", src, map[string][]byte{"Kbuild": []byte("obj-m := hello.o\n"), "hello2.rs": []byte("// hello\n")}),
		"new file":  jobKey("tree1", src, map[string][]byte{"Kbuild": []byte("obj-m := hello.o\n"), "hello.rs": []byte("// hello\n"), "x.h": nil}),
		"variant":   jobKey("tree1", Target{Snippet: s, Variant: course.VariantStarter}, files),
		"tree":      jobKey("tree2", src, files),
		// Name and content boundaries cannot be shifted into each other.
		"boundary": jobKey("tree1", src, map[string][]byte{"Kbuild": []byte("obj-m := hello.o\nhello.rs"), "": []byte("// hello\n")}),
	} {
		if key == base {
			t.Errorf("changing the %s keeps the key", name)
		}
	}
	// The snippet's id is not an input: a renamed snippet with the same files is the same build.
	if jobKey("tree1", Target{Snippet: &course.Snippet{ID: "other"}, Variant: course.VariantSrc}, files) != base {
		t.Error("the key depends on the snippet id")
	}
}

func TestTreeIdentity(t *testing.T) {
	tree := fakeTree(t)
	id := treeIdentity(tree)
	if treeIdentity(tree) != id {
		t.Fatal("identity not stable")
	}
	later := time.Now().Add(time.Minute)
	for _, f := range []string{"Module.symvers", "rust/libkernel.rmeta", ".config"} {
		p := filepath.Join(tree.Dir, f)
		st, _ := os.Stat(p)
		if err := os.Chtimes(p, later, later); err != nil {
			t.Fatal(err)
		}
		if treeIdentity(tree) == id {
			t.Errorf("rebuilding %s keeps the identity", f)
		}
		if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	if treeIdentity(tree) != id {
		t.Error("restoring the files does not restore the identity")
	}
	other := *tree
	other.RustcVersionText = "rustc 1.97.0"
	if treeIdentity(&other) == id {
		t.Error("a new rustc keeps the identity")
	}
	other = *tree
	other.LLVM = "1"
	if treeIdentity(&other) == id {
		t.Error("other make variables keep the identity")
	}
	other = *tree
	other.Release = "6.12.118"
	if treeIdentity(&other) == id {
		t.Error("another release keeps the identity")
	}
}

func TestCacheRoundTrip(t *testing.T) {
	c := cache{dir: t.TempDir()}
	key := jobKey("t", Target{Snippet: &course.Snippet{ID: "x"}}, nil)
	if c.load(key) != nil {
		t.Fatal("empty cache hit")
	}
	o := &Outcome{Built: true, Modules: []string{"x.ko"}, Modinfo: map[string][]string{"license": {"GPL"}},
		Diagnostics: []diag.Diagnostic{{Severity: diag.SeverityWarning, Message: "unused", File: "snippets/x/src/x.rs", Line: 3, Origin: diag.OriginRustc}}}
	c.store(key, o)
	got := c.load(key)
	if got == nil || !got.Cached || !got.Built || got.Modules[0] != "x.ko" || got.Diagnostics[0].Line != 3 || got.Modinfo["license"][0] != "GPL" {
		t.Fatalf("round trip: %+v", got)
	}
	if o.Cached {
		t.Error("store marked the original as cached")
	}
	// A damaged entry is a miss, not an error.
	if err := os.WriteFile(c.file(key), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c.load(key) != nil {
		t.Error("damaged entry loaded")
	}
	// Timed-out builds say nothing about the snippet: never cached.
	k2 := jobKey("t2", Target{Snippet: &course.Snippet{ID: "x"}}, nil)
	c.store(k2, &Outcome{TimedOut: true})
	if c.load(k2) != nil {
		t.Error("a timeout was cached")
	}
	// No folder, no cache.
	cache{}.store(key, o)
	if (cache{}).load(key) != nil {
		t.Error("zero cache hit")
	}
}
