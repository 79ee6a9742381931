package render

import (
	"reflect"
	"strings"
	"testing"
)

func TestTableCells(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"| a | b |", []string{"a", "b"}},
		{"a | b", []string{"a", "b"}},
		{"| `x | y` | b |", []string{"`x", "y`", "b"}}, // as GitHub's markdown splits it
		{"| `x \\| y` | b |", []string{"`x \\| y`", "b"}},
		{`| a \| b | c |`, []string{`a \| b`, "c"}},
		{"| | b |", []string{"", "b"}},
		{"|", []string{""}},
	}
	for _, tc := range tests {
		if got := tableCells(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("tableCells(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseTable(t *testing.T) {
	h, rows := parseTable("| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 |\n")
	if !reflect.DeepEqual(h, []string{"a", "b"}) || !reflect.DeepEqual(rows, [][]string{{"1", "2"}, {"3"}}) {
		t.Errorf("got %q %q", h, rows)
	}
	for _, bad := range []string{"| a |\n|---|\n", "| a | b |\n| 1 | 2 |\n", "| a | b |"} {
		if h, _ := parseTable(bad); h != nil {
			t.Errorf("parseTable(%q) took it for a table: %q", bad, h)
		}
	}
}

// A table whose words fit its columns stays a table; one glamour would cut a word in becomes a
// list that names each cell's column, and no word is cut.
func TestTableTooNarrowBecomesAList(t *testing.T) {
	md := "| test | where |\n|---|---|\n| kselftests | `tools/testing/selftests/rust` |\n| doctests | in a booted kernel |\n"
	wide, err := Markdown(md, 120, Plain)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(wide, "│") || !strings.Contains(wide, "tools/testing/selftests/rust") {
		t.Errorf("at 120 the table is not a table:\n%s", wide)
	}
	narrow, err := Markdown(md, 44, Plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"• kselftests", "• where:", "tools/testing/selftests/rust", "• doctests", "in a booted kernel"} {
		if !strings.Contains(narrow, want) {
			t.Errorf("at 44, %q missing from the list form:\n%s", want, narrow)
		}
	}
	if strings.Contains(narrow, "│") {
		t.Errorf("at 44 the table was kept and cuts words:\n%s", narrow)
	}
}

// Tables come from lesson packs, which are untrusted: any text parses without a panic, and
// the list form of what parses renders.
func FuzzParseTable(f *testing.F) {
	for _, s := range []string{"| a | b |\n|---|---|\n| 1 | 2 |", "|`|\\|", "| a | b |\n|-|-|\n|||||", "|\n|\n|"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		if h, rows := parseTable(md); h != nil {
			_ = tableAsList(h, rows)
		}
	})
}
