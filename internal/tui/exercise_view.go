package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// rebuild re-renders the text tabs after a change of size or theme.
func (p *exercisePane) rebuild() {
	if p.width <= 0 {
		return
	}
	p.buildDiagnostics()
	p.buildHints()
	p.buildSolution(nil)
}

func (p *exercisePane) taskKey() docKey {
	return docKey{doc: "task:" + p.ex.ID, width: wrapWidth(p.width), dark: p.c.Dark, kernel: p.c.KernelVersion().String()}
}

// syncTask shows the task rendered for the current size and theme, or asks for it.
func (p *exercisePane) syncTask() tea.Cmd {
	if p.width <= 0 {
		return nil
	}
	k := p.taskKey()
	if r, ok := p.c.renders.get(k); ok {
		if p.taskShown != k {
			p.showTask(r)
		}
		return nil
	}
	ex := p.ex
	return p.c.renders.request(k, func() (string, error) {
		var b strings.Builder
		fmt.Fprintf(&b, "## %s\n\n%s\n", ex.Title, strings.TrimSpace(ex.Task))
		if exp := ex.ExpectationsMarkdown(); exp != "" {
			fmt.Fprintf(&b, "\n%s", exp)
		}
		if n := len(ex.Hints); n > 0 {
			fmt.Fprintf(&b, "\nStuck? This exercise has %d hints: press `h` for the next one.\n", n)
		}
		return b.String(), nil
	})
}

func (p *exercisePane) showTask(r renderedMsg) {
	p.taskShown = r.key
	if r.err != nil {
		p.task.set(splitLines(renderError(r.err)))
		return
	}
	p.task.set(splitLines(r.out))
}

// nextStep is where n leads after this exercise.
func (p *exercisePane) nextStep() step {
	cp := p.c.Progress()
	return nextStep(p.c.Course, p.ex.Lesson, p.ex, func(ex *course.Exercise) bool { return cp.ExerciseStatus(ex.ID).Passed })
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }

// View implements the component contract.
func (p *exercisePane) View() string {
	s := p.c.Styles
	w := p.width
	var b strings.Builder
	line := func(str string) {
		b.WriteString(ansi.Truncate(str, w, "…"))
		b.WriteByte('\n')
	}

	watch := s.Dim.Render("○ watch off")
	if p.watching {
		watch = s.Running.Render("● watching")
	}
	title := s.Title.Render(p.ex.Title) + s.Dim.Render(" · "+p.ex.ID+" · "+p.ex.Lesson.Title)
	line(spread(title, watch, w))
	line(s.Dim.Render("File ") + s.Path.Render(shortenLeft(p.file, w-5)))

	for _, st := range p.stages {
		var mk string
		switch {
		case st.running:
			mk = p.spin.View()
		case st.status == check.Pass:
			mk = s.Pass.Render("✓")
		case st.status == check.Fail:
			mk = s.Fail.Render("✗")
		case st.status == check.Skip:
			mk = s.Skip.Render("–")
		default:
			mk = s.Dim.Render("·")
		}
		line(fmt.Sprintf(" %s %-9s %s", mk, st.stage, s.Dim.Render(st.reason)))
	}
	line(p.summaryLine())
	line(p.tabBar())

	body := p.bodyHeight()
	if p.confirmReset {
		b.WriteString(p.confirmView(body))
		return b.String()
	}
	switch p.tab {
	case tabTask:
		if p.taskShown == (docKey{}) {
			b.WriteString(window([]string{s.Dim.Render("Rendering the task…")}, 0, w, body))
		} else {
			b.WriteString(p.task.view(w, body))
		}
	case tabOutput:
		b.WriteString(p.outputView(body))
	case tabDiagnostics:
		b.WriteString(p.diagPager.view(w, body))
	case tabHints:
		b.WriteString(p.hints.view(w, body))
	case tabSolution:
		b.WriteString(p.solution.view(w, body))
	}
	return b.String()
}

// outputView is the window of build output on screen; only these lines are touched per frame,
// however much output the buffer holds.
func (p *exercisePane) outputView(h int) string {
	if p.out.Len() == 0 {
		msg := "No build output yet: press c to check."
		switch {
		case p.run != nil && p.waitingFor != "":
			// Another check of this exercise (another terminal, a second learner) has the
			// build folder: say who, or the wait looks like a hang.
			msg = "Waiting for the build… the build folder is held by " + p.waitingFor
		case p.run != nil:
			msg = "Waiting for the build…"
		case p.verdict != nil && p.verdict.Cached:
			msg = "Nothing was built: your files are the same as at the check whose verdict is shown above. Change a file and check again to see a build."
		}
		return window(splitLines(lipgloss.NewStyle().Width(p.width).Render(p.c.Styles.Dim.Render(msg))), 0, p.width, h)
	}
	return window(p.out.Lines(p.outputTop(), h), 0, p.width, h)
}

// summaryLine is the verdict, the state of a running check, or a message.
func (p *exercisePane) summaryLine() string {
	s := p.c.Styles
	if p.setupErr != nil {
		return s.Fail.Render(firstLine(p.setupErr.Error()))
	}
	if p.note != "" {
		return s.InProgress.Render(firstLine(p.note))
	}
	if reason := p.unavailableReason(); reason != "" {
		return s.Unavailable.Render("Cannot be checked here: " + reason)
	}
	if p.run != nil {
		if p.cancelling {
			return s.Running.Render("Cancelling…")
		}
		return s.Running.Render("Checking… ") + s.Dim.Render("(esc cancels)")
	}
	ep := p.c.Progress().ExerciseStatus(p.ex.ID)
	if v := p.verdict; v != nil {
		failed := 0
		for _, r := range v.Stages {
			if r.Status == check.Fail {
				failed++
			}
		}
		cached := ""
		if v.Cached {
			cached = " (unchanged since the last check)"
		}
		if v.Passed {
			// The next step's title comes last: a narrow pane cuts it, not the keys.
			more := ""
			if ok, _ := p.revealable(); ok {
				more = " · s solution"
			}
			more += " · n " + p.nextStep().describe()
			return s.Pass.Render("PASS") + fmt.Sprintf(" %s in %.1f s%s", v.PassedText(), v.Duration.Seconds(), cached) + s.Bold.Render(more)
		}
		return s.Fail.Render("FAIL") + fmt.Sprintf(" %d of %d stages failed%s · attempt %d", failed, len(v.Stages), cached, ep.Attempts)
	}
	if ep.Attempts > 0 {
		return s.Dim.Render(fmt.Sprintf("Last check: %s (%d attempts). Press c to check again.", ep.LastSummary, ep.Attempts))
	}
	if p.watching {
		return s.Dim.Render("Not checked yet: press e to edit (or save from your editor), c to check.")
	}
	return s.Dim.Render("Not checked yet: press e to edit, c to check.")
}

func (p *exercisePane) tabBar() string {
	s := p.c.Styles
	n := len(p.ex.Hints)
	shown := min(p.c.Progress().ExerciseStatus(p.ex.ID).HintsRevealed, n)
	names := [numTabs]string{"Task", "Output", fmt.Sprintf("Diagnostics %d", len(p.diags)+p.stageLogs()), fmt.Sprintf("Hints %d/%d", shown, n), "Solution"}
	if ok, _ := p.revealable(); !ok {
		names[tabSolution] = "Solution (locked)"
	}
	var parts []string
	for i, name := range names {
		if exerciseTab(i) == p.tab {
			parts = append(parts, s.ActiveTab.Render(name))
		} else {
			parts = append(parts, s.Tab.Render(name))
		}
	}
	return strings.Join(parts, s.Dim.Render("│"))
}

func (p *exercisePane) confirmView(h int) string {
	s := p.c.Styles
	text := fmt.Sprintf("Reset %s to its starter?\n\nYour files in %s\nare moved to a backup first, so nothing is lost.\n\n%s yes   %s no",
		p.ex.ID, p.dir, s.Bold.Render("y"), s.Bold.Render("n"))
	box := s.Dialog.Width(min(p.width-2, 72)).Render(text)
	return window(splitLines(box), 0, p.width, h)
}

// spread puts left and right on one line of width w, the right part flush right.
func spread(left, right string, w int) string {
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return left
	}
	return left + strings.Repeat(" ", gap) + right
}

// shortenLeft cuts a path from the left to fit w columns: its end is the informative part.
func shortenLeft(path string, w int) string {
	if w <= 1 || ansi.StringWidth(path) <= w {
		return path
	}
	r := []rune(path)
	return "…" + string(r[len(r)-(w-1):])
}

// stageLogs counts the failed stages whose own evidence the diagnostics tab shows (a boot log).
func (p *exercisePane) stageLogs() int {
	n := 0
	if p.verdict != nil {
		for _, r := range p.verdict.Stages {
			if stageProblem(r) {
				n++
			}
		}
	}
	return n
}

// stageProblem says a failed stage needs its own entry in the Diagnostics tab: the compiler
// did not tell its story (modinfo, style rules without a location, the boot stage), and its
// one-line reason in the stage list may be cut.
func stageProblem(r check.StageResult) bool {
	return r.Status == check.Fail && (len(r.Log) > 0 || len(r.Diagnostics) == 0)
}

func (p *exercisePane) tabOpened() tea.Cmd {
	if p.tab == tabSolution {
		return p.loadSolution()
	}
	return nil
}

// Scroll moves the current tab's content (the selection, on the diagnostics tab).
func (p *exercisePane) Scroll(d int) {
	h := p.bodyHeight()
	switch p.tab {
	case tabTask:
		p.task.scroll(d, h)
	case tabOutput:
		total := p.out.Len()
		top := p.outputTop()
		top = max(0, min(top+d, total-h))
		p.follow = top >= total-h
		p.outTopAbs = p.out.Dropped() + top
	case tabDiagnostics:
		if len(p.diags) == 0 {
			return
		}
		p.diagSel = max(0, min(p.diagSel+d, len(p.diags)-1))
		p.buildDiagnostics()
	case tabHints:
		p.hints.scroll(d, h)
	case tabSolution:
		p.solution.scroll(d, h)
	}
}

// outputTop is the first output line on screen: the tail while following, else where the
// learner scrolled to (lines dropped from the front since then move it down).
func (p *exercisePane) outputTop() int {
	h := p.bodyHeight()
	total := p.out.Len()
	if p.follow {
		return max(total-h, 0)
	}
	return max(0, min(p.outTopAbs-p.out.Dropped(), total-h))
}
