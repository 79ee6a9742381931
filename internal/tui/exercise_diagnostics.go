package tui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/diag"
)

// buildDiagnostics renders the diagnostics list with the selection marked.
func (p *exercisePane) buildDiagnostics() {
	s := p.c.Styles
	var lines []string
	p.diagStart = p.diagStart[:0]
	wrap := lipgloss.NewStyle().Width(max(p.width-4, 20))
	r := func(st lipgloss.Style) func(string) string { return func(t string) string { return st.Render(t) } }
	st := diag.Style{Error: r(s.Error), Warning: r(s.Warning), Note: r(s.Note), Gutter: r(s.Gutter), Path: r(s.Path), Dim: r(s.Dim)}
	for i, d := range p.diags {
		p.diagStart = append(p.diagStart, len(lines))
		pointer := "  "
		if i == p.diagSel {
			pointer = s.Prompt.Render("› ")
		}
		for j, l := range diag.Render(d, diag.RenderOptions{Style: st, Width: max(p.width-2, 20), BaseDir: p.dir}) {
			if j == 0 {
				l = pointer + l
			} else {
				l = "  " + l
			}
			lines = append(lines, l)
		}
		lines = append(lines, "")
	}
	// A failed stage the compiler said nothing about gets its reason in full, with its own
	// evidence (the boot stage's Oops excerpt, or its log without the expected line), after
	// the compiler's diagnostics.
	if v := p.verdict; v != nil {
		for _, r := range v.Stages {
			if !stageProblem(r) {
				continue
			}
			for _, l := range strings.Split(wrap.Render(s.Error.Render("✗ "+string(r.Stage)+" stage")+": "+r.Reason), "\n") {
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
