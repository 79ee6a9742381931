package linediff

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestUnified(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n",
			"--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"insert into empty", "", "x\ny\n",
			"--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{"delete everything", "x\n", "",
			"--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n"},
		{"context is limited", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nFIVE\n6\n7\n8\n9\n",
			"--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+FIVE\n 6\n 7\n 8\n"},
		{"distant changes make two hunks",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "ONE\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nTWELVE\n",
			"--- old\n+++ new\n@@ -1,4 +1,4 @@\n-1\n+ONE\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+TWELVE\n"},
		{"close changes share a hunk", "1\n2\n3\n4\n5\n6\n7\n", "X\n2\n3\n4\n5\n6\nY\n",
			"--- old\n+++ new\n@@ -1,7 +1,7 @@\n-1\n+X\n 2\n 3\n 4\n 5\n 6\n-7\n+Y\n"},
		{"crlf ignored", "a\r\nb\r\n", "a\nb\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unified("old", "new", tt.a, tt.b, 3); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// lcs is the textbook dynamic program, to check that Diff's script is minimal.
func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestDiffRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"a", "b", "c", "d"}
	gen := func() []string {
		out := make([]string, r.IntN(12))
		for i := range out {
			out[i] = words[r.IntN(len(words))]
		}
		return out
	}
	for range 2000 {
		a, b := gen(), gen()
		script := Diff(a, b)
		var gotA, gotB []string
		edits := 0
		for _, l := range script {
			if l.Op != Insert {
				gotA = append(gotA, l.Text)
			}
			if l.Op != Delete {
				gotB = append(gotB, l.Text)
			}
			if l.Op != Equal {
				edits++
			}
		}
		if !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
			t.Fatalf("script does not rebuild the inputs: %q %q -> %v", a, b, script)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); edits != want {
			t.Fatalf("%q -> %q: %d edits, minimum is %d", a, b, edits, want)
		}
		// Hunks cover every change, and their line counts match their lines.
		changes := 0
		for _, h := range Hunks(script, 2) {
			var o, n int
			for _, l := range h.Lines {
				if l.Op != Insert {
					o++
				}
				if l.Op != Delete {
					n++
				}
				if l.Op != Equal {
					changes++
				}
			}
			if o != h.OldLines || n != h.NewLines {
				t.Fatalf("hunk %s counts %d/%d lines", h.Header(), o, n)
			}
		}
		if changes != edits {
			t.Fatalf("hunks hold %d changes of %d", changes, edits)
		}
	}
}

func TestSplitLines(t *testing.T) {
	if got := SplitLines("a\nb"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("no final newline: %q", got)
	}
	if got := SplitLines("a\n\n"); !slices.Equal(got, []string{"a", ""}) {
		t.Errorf("blank last line: %q", got)
	}
	if got := SplitLines(strings.Repeat("\n", 0)); got != nil {
		t.Errorf("empty: %q", got)
	}
}

// unified renders a unified diff of a and b with the given file labels, "" when they are equal:
// the hunks in the format everyone can read, to test Hunks by.
func unified(oldName, newName, a, b string, context int) string {
	hunks := Hunks(Diff(SplitLines(a), SplitLines(b)), context)
	if len(hunks) == 0 {
		return ""
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks {
		sb.WriteString(h.Header())
		sb.WriteByte('\n')
		for _, l := range h.Lines {
			sb.WriteByte(byte(l.Op))
			sb.WriteString(l.Text)
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}
