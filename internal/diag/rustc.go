package diag

import (
	"strconv"
	"strings"
)

// Bounds on what one diagnostic keeps, so a runaway excerpt cannot grow it without limit.
const (
	maxLabels          = 32
	maxNotes           = 32
	maxSuggestionLines = 6
	maxNoteLen         = 2048
)

// sub is a note:/help: sub-diagnostic being read.
type sub struct {
	text       string
	loc        string
	suggestion []string
	suggests   bool
}

// rustcBody reads what follows a rustc header line: the primary location, the source
// excerpt with its labels, `= note:` lines and sub-diagnostics, up to the blank line that
// ends every rustc diagnostic. It returns the index after the body.
func (p *parser) rustcBody(d *Diagnostic, lines []string, j int) int {
	var cur *sub  // the sub-diagnostic being read, nil while in the main part
	file := ""    // the file the excerpt lines belong to, as printed
	noteCol := -1 // column where the last `= note:` text started, for its continuation lines
	flush := func() {
		if cur == nil {
			return
		}
		note := cur.text
		if cur.loc != "" {
			note += "\n  --> " + cur.loc
		}
		if cur.suggests {
			for _, s := range cur.suggestion {
				note += "\n    " + s
			}
		}
		addNote(d, note)
		cur = nil
	}
	defer flush()

	for j < len(lines) {
		l := lines[j]
		if l == "" {
			return j + 1
		}
		if m := reArrow.FindStringSubmatch(l); m != nil {
			line, _ := strconv.Atoi(m[3])
			col, _ := strconv.Atoi(m[4])
			file = m[2]
			switch {
			case cur != nil:
				cur.loc = p.m.path(file) + ":" + m[3] + ":" + m[4]
			case m[1] == "-->" && d.File == "":
				d.File, d.Line, d.Column = p.m.path(file), line, col
			}
			noteCol = -1
			j++
			continue
		}
		if isExcerpt(l) {
			k := j + 1
			for k < len(lines) && isExcerpt(lines[k]) {
				k++
			}
			if cur != nil {
				cur.excerpt(lines[j:k])
			} else {
				p.excerpt(d, file, lines[j:k])
			}
			noteCol = -1
			j = k
			continue
		}
		if m := reEqNote.FindStringSubmatchIndex(l); m != nil {
			addNote(d, l[m[2]:m[3]]+": "+p.m.text(l[m[4]:m[5]]))
			noteCol = m[4]
			j++
			continue
		}
		if m := reSubHeader.FindStringSubmatch(l); m != nil {
			flush()
			cur = &sub{text: m[1] + ": " + p.m.text(m[2])}
			noteCol = -1
			j++
			continue
		}
		if noteCol >= 0 && len(d.Notes) > 0 && strings.HasPrefix(l, " ") {
			// A multi-line `= note:`, its further lines aligned under its text.
			cont := strings.TrimLeft(l, " ")
			if pad := len(l) - len(cont); pad > noteCol {
				cont = l[noteCol:]
			}
			if last := &d.Notes[len(d.Notes)-1]; len(*last) < maxNoteLen {
				*last += "\n" + p.m.text(cont)
			}
			j++
			continue
		}
		return j
	}
	return j
}

// addNote adds an already mapped note, within bounds.
func addNote(d *Diagnostic, n string) {
	if len(d.Notes) < maxNotes {
		d.Notes = append(d.Notes, n)
	}
}

// isExcerpt reports the lines of a source excerpt: numbered source lines, suggestion diff
// lines, annotation lines under an empty gutter, and "..." elisions.
func isExcerpt(l string) bool {
	return reSource.MatchString(l) || reAnnotation.MatchString(l) || reDiff.MatchString(l) || reElision.MatchString(l)
}

// excerptLine is one line of an excerpt after the gutter.
type excerptLine struct {
	num    int    // source line number, 0 for an annotation line
	text   string // what follows "| "
	source bool
}

func splitExcerpt(lines []string) []excerptLine {
	out := make([]excerptLine, 0, len(lines))
	for _, l := range lines {
		if m := reSource.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			out = append(out, excerptLine{num: n, text: strings.TrimPrefix(m[2], " "), source: true})
		} else if m := reAnnotation.FindStringSubmatch(l); m != nil {
			out = append(out, excerptLine{text: strings.TrimPrefix(m[1], " ")})
		}
	}
	return out
}

// margin is the width of the art rustc draws left of the code when a span covers several
// lines ("/ " where it starts, "| " along it, "|_^" where it ends); every line of the
// excerpt is shifted by it. It is two columns per level of nesting.
func margin(ex []excerptLine) int {
	levels, multi := 0, false
	for _, e := range ex {
		t, n := e.text, 0
		for len(t) >= 2 && (t[0] == '/' || t[0] == '|') && (t[1] == ' ' || t[1] == '_') {
			if t[0] == '/' || t[1] == '_' {
				multi = true
			}
			t = t[2:]
			n++
		}
		levels = max(levels, n)
	}
	if !multi {
		return 0
	}
	return 2 * levels
}

// stripMargin removes the art columns from a source line, if they are art.
func stripMargin(s string, w int) string {
	if w == 0 {
		return s
	}
	if len(s) < w {
		if strings.Trim(s, " /|_") == "" {
			return ""
		}
		return s
	}
	if strings.Trim(s[:w], " /|\\_") != "" {
		return s
	}
	return s[w:]
}

// excerpt reads the main excerpt: the primary source line and the labels.
func (p *parser) excerpt(d *Diagnostic, file string, lines []string) {
	ex := splitExcerpt(lines)
	w := margin(ex)
	mapped := p.m.path(file)
	lineNo := 0
	var pending []int // labels of the current source line still without text
	for _, e := range ex {
		if e.source {
			lineNo = e.num
			pending = pending[:0]
			if d.SourceLine == "" && e.num == d.Line && mapped == d.File {
				d.SourceLine = stripMargin(e.text, w)
			}
			continue
		}
		runs, text, textAt := markers(e.text, w)
		if len(runs) == 0 {
			// A connector line: text here belongs to the label whose marker starts at its
			// column (or the nearest one to its left).
			if textAt < 0 || len(pending) == 0 {
				continue
			}
			best := -1
			for _, li := range pending {
				if d.Labels[li].Text == "" && d.Labels[li].Column-1 <= textAt-w {
					if best < 0 || d.Labels[li].Column > d.Labels[best].Column {
						best = li
					}
				}
			}
			if best >= 0 {
				d.Labels[best].Text = p.m.text(text)
			}
			continue
		}
		for k, r := range runs {
			if len(d.Labels) >= maxLabels {
				break
			}
			lb := Label{File: mapped, Line: lineNo, Column: r.start - w + 1, Width: r.n, Primary: r.c == '^'}
			if k == len(runs)-1 {
				lb.Text = p.m.text(text)
			}
			d.Labels = append(d.Labels, lb)
			if lb.Text == "" {
				pending = append(pending, len(d.Labels)-1)
			}
		}
	}
}

// run is a stretch of one marker character in an annotation line.
type run struct {
	start, n int
	c        byte
}

// markers finds the marker runs (^^^ or ---) of an annotation line after the art margin w,
// and the label text that follows them (textAt is where that text starts, -1 if none).
// Connectors ('|') and multi-line art ('_') before the markers are skipped. A '-' or '^' run glued to a
// following character is not a marker but the start of the text ("^^^ -1 is negative").
func markers(s string, w int) (runs []run, text string, textAt int) {
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ':
			i++
		case (c == '|' || c == '_' || c == '/') && (len(runs) == 0 || i < w):
			// Connectors and multi-line art come before the markers, never after.
			i++
		case c == '^' || c == '-':
			j := i
			for j < len(s) && s[j] == c {
				j++
			}
			if j < len(s) && s[j] != ' ' && s[j] != '^' && s[j] != '-' {
				return runs, s[i:], i
			}
			if i >= w {
				runs = append(runs, run{start: i, n: j - i, c: c})
			}
			i = j
		default:
			return runs, s[i:], i
		}
	}
	return runs, "", -1
}

// excerpt reads a sub-diagnostic's excerpt: a help's suggested lines.
func (s *sub) excerpt(lines []string) {
	for _, l := range lines {
		if m := reDiff.FindStringSubmatch(l); m != nil {
			s.suggests = true
			if m[2] != "-" && len(s.suggestion) < maxSuggestionLines {
				s.suggestion = append(s.suggestion, strings.TrimSpace(m[3]))
			}
			continue
		}
		if m := reSource.FindStringSubmatch(l); m != nil {
			if len(s.suggestion) < maxSuggestionLines {
				s.suggestion = append(s.suggestion, strings.TrimSpace(m[2]))
			}
			continue
		}
		if m := reAnnotation.FindStringSubmatch(l); m != nil && strings.ContainsAny(m[1], "+~") {
			s.suggests = true
		}
	}
}
