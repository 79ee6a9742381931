package course

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one thing wrong with a course, at a place an author can jump to.
type Problem struct {
	// File is relative to the course root, e.g. "lessons/05-first-module.md".
	File string
	// Line is 1-based. 0 means the problem concerns the path as a whole (a missing file, a
	// symlink, a folder) rather than a line in it.
	Line int
	Msg  string
}

// String formats the problem the way compilers do, so editors and CI logs can link it:
// "file:line: msg", or "file: msg" when there is no line.
func (p Problem) String() string {
	if p.Line <= 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// Problems is the error Load returns: every problem found, sorted by file and line, so an
// author fixes a pack in one pass instead of one error per run.
type Problems struct {
	List []Problem
}

// Error lists the problems one per line.
func (ps *Problems) Error() string {
	lines := make([]string, len(ps.List))
	for i, p := range ps.List {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems collects Problems while a course loads.
type problems struct {
	list []Problem
}

func (ps *problems) add(file string, line int, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// err returns nil when nothing was found; a nil *Problems in an error interface would not be nil.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := slices.Clone(ps.list)
	slices.SortStableFunc(list, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return &Problems{List: list}
}

// report adds problems about one file; off is added to line numbers of YAML nodes, because
// front matter starts below the file's opening "---".
type report struct {
	*problems
	file string
	off  int
}

func (r report) at(line int, format string, args ...any) {
	r.add(r.file, line, format, args...)
}
