package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

func lipglossSize(s string) (int, int) { return lipgloss.Size(s) }

// TestGolden compares whole screens, ANSI stripped, at two terminal sizes.
func TestGolden(t *testing.T) {
	sizes := [][2]int{{80, 24}, {120, 40}}
	scenes := []struct {
		name  string
		setup func(t *testing.T, h *harness)
	}{
		{"welcome", func(t *testing.T, h *harness) {}},
		{"list", func(t *testing.T, h *harness) {}},
		{"lesson", func(t *testing.T, h *harness) {
			h.key("j", "enter")
			h.waitFor("the lesson", 5*time.Second, func() bool { return h.m.lesson.shown != docKey{} })
		}},
		{"lesson-lists-diagram", func(t *testing.T, h *harness) {
			h.key("enter")
			h.waitFor("the lesson", 5*time.Second, func() bool { return h.m.lesson.shown != docKey{} })
			// The section with the nested list and the diagram at the top of the pane (at
			// 120×40 the whole lesson fits).
			v := h.m.lesson
			for i := 0; !v.vp.AtBottom() && !strings.Contains(ansi.Strip(v.lines[v.vp.YOffset()]), "How the pieces fit"); i++ {
				if i == 60 {
					t.Fatalf("no line \"How the pieces fit\" reached:\n%s", h.screen())
				}
				h.key("j")
			}
		}},
		{"exercise-diagnostics", func(t *testing.T, h *harness) {
			openHello(t, h)
			h.key("c")
			h.waitFor("the verdict", 5*time.Second, func() bool { return h.m.pane.verdict != nil })
		}},
		{"exercise-modinfo-failed", func(t *testing.T, h *harness) {
			h.checker.events = nil
			h.checker.verdict = modinfoVerdict
			openHello(t, h)
			h.key("c")
			h.waitFor("the verdict", 5*time.Second, func() bool { return h.m.pane.verdict != nil })
			// The failed stage's full reason is on screen without a key: the pane opens its
			// Diagnostics tab.
		}},
		{"exercise-passed", func(t *testing.T, h *harness) {
			h.checker.events = nil
			h.checker.verdict = passingVerdict
			openHello(t, h)
			h.key("c")
			h.waitFor("the verdict", 5*time.Second, func() bool { return h.m.pane.verdict != nil })
		}},
		{"quiz-finished", func(t *testing.T, h *harness) {
			h.key("enter", "t", "2", "n", "2")
		}},
		{"help", func(t *testing.T, h *harness) {
			openHello(t, h)
			h.key("?")
		}},
		{"trees", func(t *testing.T, h *harness) {
			h.key("K")
			h.waitFor("the trees", 5*time.Second, func() bool { return !h.m.trees.loading })
		}},
	}
	for _, size := range sizes {
		for _, sc := range scenes {
			name := fmt.Sprintf("%s-%dx%d", sc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				var h *harness
				switch sc.name {
				case "trees":
					h, _, _ = pickerHarness(t, size[0], size[1])
				case "welcome":
					h = newWelcomeHarness(t, size[0], size[1])
				default:
					h = newHarness(t, size[0], size[1])
				}
				sc.setup(t, h)
				golden(t, name, trimRight(h.screen()))
			})
		}
	}
	for _, size := range [][2]int{{50, 12}, {59, 30}} {
		name := fmt.Sprintf("too-small-%dx%d", size[0], size[1])
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, size[0], size[1])
			golden(t, name, trimRight(h.screen()))
		})
	}
}

// trimRight drops trailing spaces, which carry no meaning in a golden file and which editors
// strip.
func trimRight(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n") + "\n"
}
