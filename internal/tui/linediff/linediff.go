// Package linediff compares two small texts line by line, for showing a learner how their file
// differs from an exercise's solution.
package linediff

import (
	"fmt"
	"strings"
)

// Op is what happens to a line going from the old text to the new.
type Op byte

const (
	Equal  Op = ' '
	Delete Op = '-'
	Insert Op = '+'
)

// Line is one line of an edit script.
type Line struct {
	Op   Op
	Text string
}

// Hunk is a run of changes with the unchanged lines around them, as in a unified diff. Starts
// are 1-based line numbers; a zero-length side starts at the line before, as diff -u prints it.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// Header is the hunk's "@@ -1,4 +1,5 @@" line.
func (h Hunk) Header() string {
	return fmt.Sprintf("@@ -%s +%s @@", span(h.OldStart, h.OldLines), span(h.NewStart, h.NewLines))
}

func span(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// SplitLines splits a text into lines without their newlines; a final newline does not start
// another line.
func SplitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// Diff returns a shortest edit script turning a into b (Myers' algorithm, which finds the
// minimal script in O((N+M)·D) time: fast for the nearly equal files it is used on).
func Diff(a, b []string) []Line {
	n, m := len(a), len(b)
	maxD := n + m
	off := maxD + 1
	v := make([]int, 2*maxD+3)
	var trace [][]int
	for d := 0; d <= maxD; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: an insertion
			} else {
				x = v[off+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(a, b, trace, v, d, off)
			}
		}
	}
	return nil // unreachable: d = n+m always reaches the end
}

// backtrack walks the saved frontiers from the end to the start to recover the script.
func backtrack(a, b []string, trace [][]int, last []int, d, off int) []Line {
	out := make([]Line, 0, len(a)+len(b))
	x, y := len(a), len(b)
	v := last
	for ; d >= 0; d-- {
		k := x - y
		var prevK int
		if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := 0
		if d > 0 {
			prevX = trace[d][off+prevK]
		}
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			out = append(out, Line{Equal, a[x]})
		}
		if d > 0 {
			if x == prevX {
				y--
				out = append(out, Line{Insert, b[y]})
			} else {
				x--
				out = append(out, Line{Delete, a[x]})
			}
		}
		v = trace[d]
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// Hunks groups an edit script into hunks with up to context unchanged lines around each change;
// changes closer than twice the context share a hunk. Equal texts give no hunks.
func Hunks(script []Line, context int) []Hunk {
	var hunks []Hunk
	var cur *Hunk
	oldLine, newLine := 1, 1
	lastChange := -1 // index in script of the last change added to cur
	for i, l := range script {
		if l.Op != Equal {
			if cur == nil || i-lastChange > 2*context {
				if cur != nil {
					trimTail(cur, lastChange, script, context)
				}
				// Open a hunk with up to context lines of lead-in.
				start := max(i-context, 0)
				if cur != nil {
					start = max(start, lastChange+context+1)
				}
				h := Hunk{OldStart: oldLine - (i - start), NewStart: newLine - (i - start)}
				for _, c := range script[start:i] {
					h.Lines = append(h.Lines, c)
					h.OldLines++
					h.NewLines++
				}
				hunks = append(hunks, h)
				cur = &hunks[len(hunks)-1]
			} else {
				// Close the gap since the last change.
				for _, c := range script[lastChange+1 : i] {
					cur.Lines = append(cur.Lines, c)
					cur.OldLines++
					cur.NewLines++
				}
			}
			cur.Lines = append(cur.Lines, l)
			if l.Op == Delete {
				cur.OldLines++
			} else {
				cur.NewLines++
			}
			lastChange = i
		}
		if l.Op != Insert {
			oldLine++
		}
		if l.Op != Delete {
			newLine++
		}
	}
	if cur != nil {
		trimTail(cur, lastChange, script, context)
	}
	for i := range hunks {
		// diff -u numbers an empty side from the line before it.
		if hunks[i].OldLines == 0 {
			hunks[i].OldStart--
		}
		if hunks[i].NewLines == 0 {
			hunks[i].NewStart--
		}
	}
	return hunks
}

// trimTail adds up to context lines after the hunk's last change.
func trimTail(h *Hunk, lastChange int, script []Line, context int) {
	end := min(lastChange+1+context, len(script))
	for _, c := range script[lastChange+1 : end] {
		h.Lines = append(h.Lines, c)
		h.OldLines++
		h.NewLines++
	}
}
