package tui

import (
	"fmt"
	"github.com/rfl-tutor/rfl-tutor/internal/render"
	"maps"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/tui/linediff"
)

func (p *exercisePane) buildHints() {
	s := p.c.Styles
	n := len(p.ex.Hints)
	shown := min(p.c.Progress().ExerciseStatus(p.ex.ID).HintsRevealed, n)
	wrap := lipgloss.NewStyle().Width(max(min(p.width-2, ReadableWidth), 20))
	var lines []string
	for i := range shown {
		text := s.Heading.Render(fmt.Sprintf("Hint %d of %d", i+1, n)) + "  " +
			render.InlineCode(p.ex.Hints[i], func(t string) string { return s.Code.Render(t) })
		lines = append(lines, strings.Split(wrap.Render(text), "\n")...)
		lines = append(lines, "")
	}
	switch {
	case n == 0:
		lines = append(lines, s.Dim.Render("This exercise has no hints."))
	case shown < n:
		lines = append(lines, s.Dim.Render(fmt.Sprintf("%d more hint(s): press h to reveal the next one.", n-shown)))
	default:
		lines = append(lines, s.Dim.Render("That was the last hint."))
	}
	p.hints.set(lines)
}

// showSolution takes in the loaded solution and the learner's files.
func (p *exercisePane) showSolution(msg solutionMsg) {
	if msg.err != nil {
		p.solution.set([]string{p.c.Styles.Fail.Render("Could not load the solution: " + msg.err.Error())})
		return
	}
	p.buildSolution(&msg)
}

// buildSolution renders the solution tab: for each file of the reference solution, how the
// learner's file differs, then the solution itself.
func (p *exercisePane) buildSolution(msg *solutionMsg) {
	s := p.c.Styles
	if ok, why := p.revealable(); !ok {
		p.solution.set([]string{s.Dim.Render(why)})
		return
	}
	if msg != nil {
		p.solFiles = &solutionFiles{msg.solution, msg.mine}
	}
	files := p.solFiles
	if files == nil {
		p.solution.set([]string{s.Dim.Render("Loading the solution…")})
		return
	}
	var lines []string
	for _, name := range slices.Sorted(maps.Keys(files.solution)) {
		sol := string(files.solution[name])
		mine, have := files.mine[name]
		if name == "Kbuild" && have && string(mine) == sol {
			continue
		}
		lines = append(lines, s.Heading.Render("Solution: "+name))
		switch {
		case !have:
			lines = append(lines, s.Dim.Render("(you have no file of this name)"))
		case string(mine) == sol:
			lines = append(lines, s.Done.Render("Your file is the same as the solution."))
		default:
			lines = append(lines, s.Dim.Render("How your file differs (- yours, + solution):"))
			for _, h := range linediff.Hunks(linediff.Diff(linediff.SplitLines(string(mine)), linediff.SplitLines(sol)), 2) {
				lines = append(lines, s.DiffHunk.Render(h.Header()))
				for _, l := range h.Lines {
					text := expandTabs(string(l.Op) + l.Text)
					switch l.Op {
					case linediff.Insert:
						text = s.DiffAdd.Render(text)
					case linediff.Delete:
						text = s.DiffDel.Render(text)
					}
					lines = append(lines, text)
				}
			}
		}
		lines = append(lines, "", s.Dim.Render("The whole solution:"))
		src := linediff.SplitLines(sol)
		width := len(fmt.Sprint(len(src)))
		for i, l := range src {
			lines = append(lines, s.Gutter.Render(fmt.Sprintf("%*d │ ", width, i+1))+expandTabs(l))
		}
		lines = append(lines, "")
	}
	p.solution.set(lines)
}
