package coursecheck

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// IDsLock is the file, relative to the course root, that lists every id learners' state is
// keyed by: the course id (progress), lesson ids (last position, quiz answers), exercise ids
// (progress and workspace folders) and question ids (answers, per lesson). Renaming or
// removing one silently orphans what learners did, so the course check compares the course
// with the lock: an id in the lock that is gone is a finding (restore it, or delete the line
// to accept the loss), and so is a new id not yet in the lock (add it: WriteIDs does). A pack
// without the file is not checked for stability, and the report says so.
const IDsLock = "lessons/ids.lock"

// lockedID is one entry: kind is course, lesson, exercise or question; a question's id is
// "lesson-id/question-id", since question ids are unique only within their lesson.
type lockedID struct {
	kind, id string
}

func (l lockedID) String() string { return l.kind + " " + l.id }

// courseIDs lists the ids of c, each with where it is defined.
func courseIDs(c *course.Course) ([]lockedID, map[lockedID]Finding) {
	var ids []lockedID
	where := map[lockedID]Finding{}
	add := func(kind, id, file string, line int) {
		l := lockedID{kind, id}
		ids = append(ids, l)
		where[l] = Finding{File: file, Line: line}
	}
	add("course", c.ID, "lessons/course.yaml", 0)
	for _, l := range c.Lessons {
		add("lesson", l.ID, l.Path, 0)
		for _, ex := range l.Exercises {
			add("exercise", ex.ID, l.Path, ex.Line)
		}
		for _, q := range l.Quiz {
			add("question", l.ID+"/"+q.ID, l.Path, q.Line)
		}
	}
	return ids, where
}

// checkIDs compares the course with its lock file. note says why nothing was compared.
func checkIDs(c *course.Course) (findings []Finding, note string) {
	data, err := fs.ReadFile(c.Root, IDsLock)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Sprintf("no %s: id stability not checked (create it with `rfl-tutor course check --course DIR --write-ids`)", IDsLock)
	}
	if err != nil {
		return []Finding{{File: IDsLock, Rule: RuleIDs, Msg: fmt.Sprintf("cannot read: %v", err)}}, ""
	}
	locked := map[lockedID]int{}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kind, id, ok := strings.Cut(line, " ")
		id = strings.TrimSpace(id)
		if !ok || id == "" || !slices.Contains([]string{"course", "lesson", "exercise", "question"}, kind) {
			findings = append(findings, Finding{File: IDsLock, Line: n, Rule: RuleIDs,
				Msg: fmt.Sprintf("cannot read %q: each line is `course|lesson|exercise|question ID`", line)})
			continue
		}
		locked[lockedID{kind, id}] = n
	}
	ids, where := courseIDs(c)
	for _, l := range ids {
		if _, ok := locked[l]; !ok {
			f := where[l]
			f.Rule = RuleIDs
			f.Msg = fmt.Sprintf("%s %q is not in %s: add it (`rfl-tutor course check --write-ids`), so renaming it later is caught", l.kind, l.id, IDsLock)
			findings = append(findings, f)
		}
	}
	for l, n := range locked {
		if !slices.Contains(ids, l) {
			findings = append(findings, Finding{File: IDsLock, Line: n, Rule: RuleIDs,
				Msg: fmt.Sprintf("%s %q is gone: learners' progress and workspaces keyed by it would be orphaned (restore the id, or delete this line to accept that)", l.kind, l.id)})
		}
	}
	return findings, ""
}

// WriteIDs writes the lock file of the course in dir (a pack directory, or the repository
// root for the embedded course) with the ids of c.
func WriteIDs(c *course.Course, dir string) (string, error) {
	ids, _ := courseIDs(c)
	var b strings.Builder
	b.WriteString("# Ids learners' progress and workspaces are keyed by, checked by `rfl-tutor course check`.\n")
	b.WriteString("# Add ids freely; renaming or removing one orphans what learners did with it.\n")
	for _, l := range ids {
		b.WriteString(l.String())
		b.WriteByte('\n')
	}
	p := filepath.Join(dir, filepath.FromSlash(IDsLock))
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", IDsLock, err)
	}
	if err := os.Rename(tmp, p); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("write %s: %w", IDsLock, err)
	}
	return p, nil
}
