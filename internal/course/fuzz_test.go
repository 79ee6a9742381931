package course

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzFrontMatter feeds arbitrary lesson files through parsing and include rendering. Besides
// not panicking, every problem must point into the file, so an author can always jump to it.
func FuzzFrontMatter(f *testing.F) {
	err := fs.WalkDir(os.DirFS("testdata"), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			data, err := fs.ReadFile(os.DirFS("testdata"), p)
			if err != nil {
				return err
			}
			f.Add(data)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("---\nid: &a x\ntitle: *a\n---\n"))
	f.Add([]byte("---\nid: a\u2028b\ntitle: \u0085\n---\n"))
	f.Add([]byte("---\r\nexercises: [{id: a, stages: [boot, boot], hints: [~]}]\r\n---\r\n```rust\n"))

	c := &Course{Root: fstest.MapFS{
		"snippets/s/src/s.rs": {Data: []byte("// ANCHOR: r\nfn r() {}\n// ANCHOR_END: r\n")},
	}}
	c.Snippets = map[string]*Snippet{"s": {ID: "s", files: map[string]bool{"snippets/s/src/s.rs": true}}}

	f.Fuzz(func(t *testing.T, data []byte) {
		var ps problems
		l := parseLesson(&ps, "lessons/x.md", data)
		if l != nil {
			c.render(l, report{problems: &ps, file: l.Path}, nil)
		}
		// One more line than the text has: a file ending without a newline still has its
		// last line, and the body may start just after the closing fence.
		lines := strings.Count(string(normalize(data)), "\n") + 2
		for _, p := range ps.list {
			if p.File != "lessons/x.md" || p.Line < 1 || p.Line > lines || p.Msg == "" {
				t.Fatalf("problem %q is outside the file (%d lines)", p, lines)
			}
		}
		if l == nil && len(ps.list) == 0 {
			t.Fatal("no lesson and no problem")
		}
		if l != nil && len(ps.list) == 0 && (l.ID == "" || l.Title == "") {
			t.Fatalf("lesson without id or title passed: %+v", l)
		}
	})
}
