package tui

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/linediff"
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

// buildDiagnostics renders the diagnostics list with the selection marked.
func (p *exercisePane) buildDiagnostics() {
	s := p.c.Styles
	var lines []string
	p.diagStart = p.diagStart[:0]
	wrap := lipgloss.NewStyle().Width(max(p.width-4, 20))
	for i, d := range p.diags {
		p.diagStart = append(p.diagStart, len(lines))
		head := string(d.Severity)
		if d.Code != "" {
			head += "[" + d.Code + "]"
		}
		switch d.Severity {
		case diag.SeverityError:
			head = s.Error.Render(head)
		case diag.SeverityWarning:
			head = s.Warning.Render(head)
		default:
			head = s.Note.Render(head)
		}
		pointer := "  "
		if i == p.diagSel {
			pointer = s.Prompt.Render("› ")
		}
		msgLines := strings.Split(wrap.Render(head+": "+d.Message), "\n")
		lines = append(lines, pointer+msgLines[0])
		for _, l := range msgLines[1:] {
			lines = append(lines, "  "+l)
		}
		if loc := p.location(d); loc != "" {
			lines = append(lines, "    "+s.Gutter.Render("-->")+" "+s.Path.Render(loc))
		}
		if d.SourceLine != "" {
			num := fmt.Sprint(d.Line)
			lines = append(lines, "    "+s.Gutter.Render(num+" │ ")+d.SourceLine)
			for _, l := range d.Labels {
				if l.Primary && l.Line == d.Line && l.Column > 0 {
					pad := strings.Repeat(" ", len(num)) + " │ " + strings.Repeat(" ", l.Column-1)
					marks := strings.Repeat("^", max(l.Width, 1))
					lines = append(lines, "    "+s.Gutter.Render(pad)+s.Error.Render(marks+" "+l.Text))
				}
			}
		}
		for _, n := range d.Notes {
			for _, l := range strings.Split(wrap.Render("= "+n), "\n") {
				lines = append(lines, "    "+s.Dim.Render(l))
			}
		}
		lines = append(lines, "")
	}
	// A stage's own evidence (the boot stage's Oops excerpt, or its log without the expected
	// line) follows the compiler's diagnostics.
	if v := p.verdict; v != nil {
		for _, r := range v.Stages {
			if r.Status != check.Fail || len(r.Log) == 0 {
				continue
			}
			for _, l := range strings.Split(wrap.Render(s.Error.Render(string(r.Stage))+": "+r.Reason), "\n") {
				lines = append(lines, "  "+l)
			}
			for _, l := range r.Log {
				lines = append(lines, "    "+s.Dim.Render(expandTabs(l)))
			}
			lines = append(lines, "")
		}
	}
	if len(lines) == 0 {
		switch {
		case p.run != nil:
			lines = []string{s.Dim.Render("Checking…")}
		case p.verdict != nil:
			lines = []string{s.Dim.Render("No diagnostics: the compiler had nothing to say.")}
		default:
			lines = []string{s.Dim.Render("No diagnostics yet: press c to check your file.")}
		}
	}
	p.diagPager.set(lines)
	if len(p.diagStart) > 0 {
		i := p.diagStart[p.diagSel]
		end := len(lines)
		if p.diagSel+1 < len(p.diagStart) {
			end = p.diagStart[p.diagSel+1]
		}
		// Show the selected diagnostic whole when it fits, else its first line.
		p.diagPager.show(end-1, p.bodyHeight())
		p.diagPager.show(i, p.bodyHeight())
	}
}

// location is a diagnostic's file:line:column, the file relative to the learner's folder.
func (p *exercisePane) location(d diag.Diagnostic) string {
	if d.File == "" {
		return ""
	}
	f := d.File
	if rel, err := filepath.Rel(p.dir, f); err == nil && !strings.HasPrefix(rel, "..") {
		f = rel
	}
	if d.Line > 0 {
		f += fmt.Sprintf(":%d", d.Line)
		if d.Column > 0 {
			f += fmt.Sprintf(":%d", d.Column)
		}
	}
	return f
}

func (p *exercisePane) buildHints() {
	s := p.c.Styles
	n := len(p.ex.Hints)
	shown := min(p.c.Progress().ExerciseStatus(p.ex.ID).HintsRevealed, n)
	wrap := lipgloss.NewStyle().Width(max(min(p.width-2, ReadableWidth), 20))
	var lines []string
	for i := range shown {
		text := s.Heading.Render(fmt.Sprintf("Hint %d of %d", i+1, n)) + "  " + p.ex.Hints[i]
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
		}
		return window([]string{p.c.Styles.Dim.Render(msg)}, 0, p.width, h)
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
			more := ""
			if ok, _ := p.revealable(); ok {
				more = " · s shows the solution"
			}
			return s.Pass.Render("PASS") + fmt.Sprintf(" %s in %.1f s%s%s", v.PassedText(), v.Duration.Seconds(), cached, more)
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
			if r.Status == check.Fail && len(r.Log) > 0 {
				n++
			}
		}
	}
	return n
}
