package render

import (
	"strings"

	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"
)

// renderTable renders a markdown table with r, which wraps at the pane's width. glamour shares
// that width among the columns and cuts a word wider than its column (`tools/testing/s` /
// `elftests/rust`); when that would happen the table comes back as asText, a list with one
// item per row and the header naming each cell, which wraps at word boundaries like any text.
func renderTable(md string, r *glamour.TermRenderer) (out string, asText string, err error) {
	out, err = r.Render(md)
	if err != nil {
		return "", "", err
	}
	header, rows := parseTable(md)
	if header == nil || !cutsWords(out, header, rows) {
		return out, "", nil
	}
	return "", tableAsList(header, rows), nil
}

// parseTable splits a markdown table into its header cells and body rows (the delimiter row
// dropped). header is nil when md is not a table of at least two columns.
func parseTable(md string) (header []string, rows [][]string) {
	lines := strings.Split(strings.TrimSpace(md), "\n")
	if len(lines) < 2 {
		return nil, nil
	}
	header = tableCells(lines[0])
	if len(header) < 2 || strings.Trim(lines[1], "|-: \t") != "" {
		return nil, nil
	}
	for _, l := range lines[2:] {
		rows = append(rows, tableCells(l))
	}
	return header, rows
}

// tableCells splits one table row at its unescaped pipes, as GitHub-flavoured markdown (and
// so glamour) does: a pipe inside inline code splits the cell too unless it is escaped.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteString(`\|`)
			i++
		case c == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// cutsWords reports whether the rendered table shows a piece of a word: a token on screen
// that is no whole word of any cell. Inline code is padded with no-break spaces, which are
// not word breaks here.
func cutsWords(rendered string, header []string, rows [][]string) bool {
	words := map[string]bool{}
	for _, row := range append([][]string{header}, rows...) {
		for _, cell := range row {
			for _, w := range strings.Fields(strings.ReplaceAll(cell, "`", "")) {
				words[strings.ReplaceAll(w, `\|`, "|")] = true
			}
		}
	}
	for _, line := range strings.Split(ansi.Strip(rendered), "\n") {
		for _, tok := range strings.Split(line, " ") {
			tok = strings.Trim(tok, "\u00a0│─┼*_")
			if tok != "" && !words[tok] {
				return true
			}
		}
	}
	return false
}

// tableAsList writes a table as a markdown list: each row's first cell in bold, the others
// as sub-items named by their column's header.
func tableAsList(header []string, rows [][]string) string {
	var b strings.Builder
	for _, row := range rows {
		first := ""
		if len(row) > 0 {
			first = row[0]
		}
		if first == "" {
			first = "—"
		} else {
			first = "**" + first + "**"
		}
		b.WriteString("- " + first + "\n")
		for i := 1; i < len(header); i++ {
			cell := ""
			if i < len(row) {
				cell = row[i]
			}
			if cell == "" {
				continue
			}
			b.WriteString("  - " + header[i] + ": " + cell + "\n")
		}
	}
	return b.String()
}
