package course

import (
	"bytes"
	"strings"
)

// lessonFile is a lesson split at its front matter fences.
type lessonFile struct {
	meta []byte // the YAML between the fences; its first line is line 2 of the file
	// closeLine is the line of the closing "---".
	closeLine int
	body      string
	bodyLine  int
}

// normalize drops a UTF-8 byte order mark and turns CRLF and lone CR line ends into LF, so
// files saved by any editor split and number the same (YAML counts a lone CR as a line end).
func normalize(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
}

// splitFrontMatter finds the front matter: the file's first line is "---" and the next line
// that is "---" closes it.
func splitFrontMatter(r report, data []byte) (lessonFile, bool) {
	lines := strings.SplitAfter(string(normalize(data)), "\n")
	isFence := func(l string) bool { return strings.TrimRight(l, " \t\n") == "---" }
	if len(lines) == 0 || !isFence(lines[0]) {
		r.at(1, "malformed front matter: a lesson starts with a line \"---\", then YAML, then another \"---\"")
		return lessonFile{}, false
	}
	for i := 1; i < len(lines); i++ {
		if isFence(lines[i]) {
			return lessonFile{
				meta:      []byte(strings.Join(lines[1:i], "")),
				closeLine: i + 1,
				body:      strings.Join(lines[i+1:], ""),
				bodyLine:  i + 2,
			}, true
		}
	}
	r.at(1, "malformed front matter: no closing \"---\" line")
	return lessonFile{}, false
}
