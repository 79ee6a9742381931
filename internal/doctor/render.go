package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

var marks = map[Status]struct{ plain, color string }{
	OK:   {"[ok]  ", ansiGreen + "✓" + ansiReset},
	Warn: {"[warn]", ansiYellow + "!" + ansiReset},
	Fail: {"[FAIL]", ansiRed + ansiBold + "✗" + ansiReset},
}

// WriteText prints the report for people: one line per check, the fix under each problem, then
// the exercises the tree cannot build and a summary. color adds ANSI colours (for terminals).
func (r *Report) WriteText(w io.Writer, color bool) error {
	var b strings.Builder
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Title))
	}
	style := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	counts := map[Status]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		mark := marks[c.Status].plain
		if color {
			mark = marks[c.Status].color
		}
		fmt.Fprintf(&b, "%s %-*s  %s\n", mark, width, c.Title, c.Detail)
		if c.Fix != "" && c.Status != OK {
			indent := strings.Repeat(" ", len(marks[c.Status].plain)+1)
			if color {
				indent = "  "
			}
			fmt.Fprintf(&b, "%s%s %s\n", indent, style(ansiDim, "fix:"), c.Fix)
		}
	}
	if len(r.Unavailable) > 0 {
		fmt.Fprintf(&b, "\nExercises this tree cannot build:\n")
		for _, u := range r.Unavailable {
			fmt.Fprintf(&b, "  %s: %s\n", style(ansiBold, u.ExerciseID), u.Reason)
		}
	}
	if len(r.OtherTrees) > 0 {
		fmt.Fprintf(&b, "\nOther kernel trees (switch with `rfl-tutor kernel use VERSION`, or K in the tutor):\n")
		for _, o := range r.OtherTrees {
			state := fmt.Sprintf("%d/%d exercises", o.Available, o.Exercises)
			if o.NotReady != "" {
				state = "cannot build modules: " + o.NotReady
			}
			fmt.Fprintf(&b, "  Linux %s  %s  %s\n", style(ansiBold, o.Release), state, o.Dir)
		}
	}
	summary := fmt.Sprintf("%d ok, %d warnings, %d failures", counts[OK], counts[Warn], counts[Fail])
	switch {
	case counts[Fail] > 0:
		summary = style(ansiRed, summary)
	case counts[Warn] > 0:
		summary = style(ansiYellow, summary)
	default:
		summary = style(ansiGreen, summary)
	}
	fmt.Fprintf(&b, "\n%s\n", summary)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the report as indented JSON (the --json output).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
