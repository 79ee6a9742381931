package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// A pack's escapes never reach the terminal through the TUI: the lesson, its title, the task
// and the hints render with the TUI's own styling only.
func TestPackEscapesDoNotReachTheView(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "pack")
	if err := os.CopyFS(dst, os.DirFS(filepath.Join(testdata, "course"))); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dst, "lessons", "05-first.md")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	md := strings.Replace(string(b), "title: Your first Rust kernel module", `title: "Your first \e]0;pwned\a\e[2J module"`, 1)
	md = strings.Replace(md, "- Read the first error, not the last ones.", `- "Read\e]52;c;ZXZpbA==\a the first error."`, 1)
	md = strings.Replace(md, "A module starts with", "A module \x1b]8;;https://evil.example\x1b\\starts\x1b]8;;\x1b\\ with\x1b[2J", 1)
	if err := os.WriteFile(p, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := course.OpenDir(dst)
	if err != nil {
		t.Fatal(err)
	}
	c, err := course.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, 100, 30, func(o *Options) { o.Course = c })
	views := map[string]string{"list": h.m.View().Content}
	h.send(openLessonMsg{lesson: c.Lesson("first-module")})
	h.waitFor("the lesson", 5*time.Second, func() bool { return h.m.lesson.shown != docKey{} })
	views["lesson"] = h.m.View().Content
	openHello(t, h)
	h.key("h")
	views["hint"] = h.m.View().Content
	for name, v := range views {
		for _, bad := range []string{"\x1b]", "\x1bP", "\x1b[2J", "\a", "\u009b"} {
			if strings.Contains(v, bad) {
				t.Errorf("the %s view carries %q", name, bad)
			}
		}
	}
	if !strings.Contains(h.screen(), "Read the first error.") {
		t.Errorf("the hint is not shown:\n%s", h.screen())
	}
}
