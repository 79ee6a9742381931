package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
)

func (p *exercisePane) revealHint() tea.Cmd {
	n := len(p.ex.Hints)
	if n == 0 {
		p.note = "This exercise has no hints."
		return nil
	}
	if p.c.Progress().ExerciseStatus(p.ex.ID).HintsRevealed >= n {
		p.note = "Every hint is shown."
		p.tab = tabHints
		return nil
	}
	exID := p.ex.ID
	cmd := p.c.record(func(cp *progress.CourseProgress) { cp.RevealHint(exID, n) })
	p.tab = tabHints
	p.buildHints()
	p.hints.off = max(len(p.hints.lines)-p.bodyHeight(), 0)
	return cmd
}

// loadSolution reads the solution and the learner's files afresh (the learner may have edited
// since the last look) when the course's policy allows showing it.
func (p *exercisePane) loadSolution() tea.Cmd {
	p.buildSolution(nil)
	if ok, _ := p.revealable(); !ok {
		return nil
	}
	c, ex := p.c, p.ex
	return func() tea.Msg {
		sol, err := c.Course.Files(ex.Snippet, course.VariantSrc)
		if err != nil {
			return solutionMsg{forPane: forPane{ex.ID}, err: err}
		}
		mine, err := c.Workspace.Files(c.Course.ID, ex.WorkspaceName())
		// Region marks are for lessons: neither side shows them, so they never make a diff.
		for _, files := range []map[string][]byte{sol, mine} {
			for name, data := range files {
				files[name] = course.StripAnchors(data)
			}
		}
		return solutionMsg{forPane: forPane{ex.ID}, solution: sol, mine: mine, err: err}
	}
}

func (p *exercisePane) reset() tea.Cmd {
	p.stopWatch()
	c, ex := p.c, p.ex
	return func() tea.Msg {
		starter, err := c.Course.Files(ex.Snippet, course.VariantStarter)
		if err != nil {
			return resetMsg{forPane: forPane{ex.ID}, err: err}
		}
		backup, err := c.Workspace.Reset(c.Course.ID, ex.WorkspaceName(), starter)
		return resetMsg{forPane: forPane{ex.ID}, backup: backup, err: err}
	}
}

func (p *exercisePane) finishReset(msg resetMsg) tea.Cmd {
	switch {
	case msg.err != nil && msg.backup != "":
		p.note = fmt.Sprintf("Reset failed (%v); your files are in %s", msg.err, msg.backup)
	case msg.err != nil:
		p.note = "Reset failed: " + msg.err.Error()
	case msg.backup != "":
		p.note = "Back to the starter. Your previous files are in " + msg.backup
	default:
		p.note = "Back to the starter."
	}
	p.ready = msg.err == nil
	p.verdict = nil
	p.diags = nil
	p.resetStages()
	p.out.Reset()
	p.solFiles = nil
	p.rebuild()
	if p.watching && p.ready {
		return p.startWatch()
	}
	return nil
}
