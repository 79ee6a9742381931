package course

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

const courseFile = "lessons/course.yaml"

// Load reads and validates the course in fsys (lessons/ and snippets/ at its root). When
// anything is wrong it returns a *Problems error listing every problem, each with its file
// and line, and no course. When fsys can read links (fs.ReadLinkFS, as os.DirFS does),
// symlinks leading outside it are reported and never read through.
func Load(fsys fs.FS) (*Course, error) {
	ld := &loader{
		fsys:    fsys,
		checked: map[string]bool{},
		c: &Course{
			Reveal:   RevealAfterPass,
			Snippets: map[string]*Snippet{},
			Root:     fsys,
			blocked:  map[string]bool{},
		},
	}
	ld.links, _ = fsys.(fs.ReadLinkFS)
	ld.loadSnippets()
	lessons := ld.loadLessons()
	ld.crossCheck(lessons)
	if err := ld.ps.err(); err != nil {
		return nil, err
	}
	c := ld.c
	c.blocked = nil
	c.Lessons = lessons
	slices.SortStableFunc(c.Lessons, func(a, b *Lesson) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.ID, b.ID))
	})
	c.sanitizeText()
	return c, nil
}

type loader struct {
	fsys fs.FS
	// links is nil for file systems without symlinks (embed.FS).
	links fs.ReadLinkFS
	ps    problems
	c     *Course
	// checked records the symlinks already resolved, true when they stay inside, so each bad
	// link is reported once however often it is met.
	checked           map[string]bool
	courseConfigLines []int
	// size is the bytes of the files listed so far, against MaxPackSize.
	size   int64
	tooBig bool
}

func (ld *loader) loadSnippets() {
	if !ld.rootOK("snippets") {
		return // a course of lessons without code needs no snippets
	}
	entries, err := ld.readDir("snippets")
	if err != nil {
		ld.ps.add("snippets", 0, "cannot list: %v", err)
		return
	}
	for _, e := range entries {
		switch {
		case !e.dir:
			// README.md, embed.go: the library's own files, not snippets.
		case !snippetID.MatchString(e.name):
			ld.ps.add(e.path, 0, "snippet folder name %q must be lowercase letters, digits and _, starting with a letter", e.name)
		default:
			ld.loadSnippet(e.name)
		}
	}
}

func (ld *loader) loadSnippet(id string) {
	dir := path.Join("snippets", id)
	rel := ld.listFiles(dir)
	s := &Snippet{ID: id, Dir: dir, files: map[string]bool{}}
	for _, f := range rel {
		s.files[path.Join(dir, f)] = true
	}
	ld.c.Snippets[id] = s

	meta := path.Join(dir, "snippet.yaml")
	if !s.files[meta] {
		if !ld.c.blocked[meta] {
			ld.ps.add(dir, 0, "no snippet.yaml: every snippet folder describes itself (title, kernel range, expected outcome)")
		}
		s.broken = true
		return
	}
	if data, err := fs.ReadFile(ld.fsys, meta); err != nil {
		ld.ps.add(meta, 0, "cannot read: %v", err)
		s.broken = true
	} else if !parseSnippetMeta(&ld.ps, meta, data, s) {
		s.broken = true
	}

	hasSrc, hasStarter := assembleFiles(s, rel)
	starters := []map[string]string{s.StarterFiles}
	for _, v := range s.Variants {
		starters = append(starters, v.StarterFiles)
	}
	for _, files := range starters {
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if strings.Contains(name, "/") || !LearnerFile(name) {
				ld.ps.add(files[name], 0, "a starter holds only the learner's files, side by side: Kbuild, Makefile, .rs, .c and .h (no subfolders, hidden or backup files)")
			}
		}
	}
	if !hasSrc {
		ld.ps.add(meta, 1, "no src/ folder: the snippet's reference code (a solution, or what a lesson shows) goes in src/")
	}
	var lacking []string
	if _, ok := s.Src["Kbuild"]; hasSrc && !ok {
		lacking = append(lacking, "src/")
	}
	if _, ok := s.StarterFiles["Kbuild"]; hasStarter && !ok {
		lacking = append(lacking, "starter/")
	}
	if len(lacking) > 0 {
		ld.ps.add(meta, 1, "no Kbuild for %s: put one at the top of the snippet folder to share it, or one in each build folder", strings.Join(lacking, " and "))
	}
	for _, v := range s.Variants {
		if v.Folder != "" && !hasPrefix(s.files, path.Join(dir, v.Folder)+"/") {
			ld.ps.add(meta, v.line, "variant %s: no folder %s/ with the files that differ on Linux %s", v.Name(), path.Join(dir, v.Folder), v.KernelRaw)
		}
	}
	if s.Starter != nil && !hasStarter {
		ld.ps.add(meta, s.starterLine, "starter: is set but there is no starter/ folder with the learner's code")
	}
	ld.checkShortcutEdits(s, meta)
}

// checkShortcutEdits reports shortcut edits that do not apply to the solution of every kernel
// variant, and shortcuts on a snippet no exercise can use.
func (ld *loader) checkShortcutEdits(s *Snippet, meta string) {
	if len(s.Shortcuts) == 0 {
		return
	}
	if s.Starter == nil {
		ld.ps.add(meta, s.Shortcuts[0].line, "shortcuts: only an exercise's snippet (one with a starter:) has shortcuts to refuse")
	}
	srcs := []map[string]string{s.Src}
	names := []string{""}
	for _, v := range s.Variants {
		if v.Folder != "" {
			srcs, names = append(srcs, v.Src), append(names, " (variant "+v.Name()+")")
		}
	}
	for i, paths := range srcs {
		files := map[string][]byte{}
		for name, p := range paths {
			if data, err := fs.ReadFile(ld.fsys, p); err == nil {
				files[name] = data
			}
		}
		for _, sc := range s.Shortcuts {
			if _, err := ApplyShortcut(files, sc); err != nil {
				ld.ps.add(meta, sc.line, "%v%s", err, names[i])
			}
		}
	}
}

// loadLessons reads course.yaml and every lesson file, in file name order.
func (ld *loader) loadLessons() []*Lesson {
	if !ld.rootOK("lessons") {
		if !ld.c.blocked["lessons"] {
			ld.ps.add(courseFile, 0, "missing: a course folder holds lessons/course.yaml, lessons/*.md and snippets/ (is this the right folder?)")
		}
		return nil
	}
	entries, err := ld.readDir("lessons")
	if err != nil {
		ld.ps.add("lessons", 0, "cannot list: %v", err)
		return nil
	}
	var lessons []*Lesson
	sawCourseFile, lessonFiles := false, 0
	for _, e := range entries {
		switch {
		case e.dir:
		case e.path == courseFile:
			sawCourseFile = true
			if data, err := fs.ReadFile(ld.fsys, e.path); err != nil {
				ld.ps.add(e.path, 0, "cannot read: %v", err)
			} else {
				ld.courseConfigLines = parseCourseFile(&ld.ps, e.path, data, ld.c)
			}
		case e.name == "README.md" || path.Ext(e.name) != ".md":
			// The format's documentation, and files that are not lessons.
		default:
			lessonFiles++
			data, err := fs.ReadFile(ld.fsys, e.path)
			if err != nil {
				ld.ps.add(e.path, 0, "cannot read: %v", err)
			} else if l := parseLesson(&ld.ps, e.path, data); l != nil {
				lessons = append(lessons, l)
			}
		}
	}
	if !sawCourseFile && !ld.c.blocked[courseFile] {
		ld.ps.add(courseFile, 0, "missing: every course has one (id, title, base kernel config)")
	}
	if lessonFiles == 0 {
		ld.ps.add("lessons", 0, "no lessons: a lesson is a .md file with front matter (see the format in lessons/README.md)")
	}
	return lessons
}

// parseCourseFile reads course.yaml into c and returns the line of each base config option.
func parseCourseFile(ps *problems, file string, data []byte, c *Course) []int {
	r := report{problems: ps, file: file}
	top, ok := r.parseYAML(normalize(data), max(strings.Count(string(data), "\n"), 1), "YAML")
	if !ok {
		return nil
	}
	if top == nil {
		r.at(1, "course.yaml is empty: it needs at least id and title")
		return nil
	}
	f, ok := r.mapping(top, "", 1, "id", "title", "reveal", "kernel_config")
	if !ok {
		return nil
	}
	f.require("id", "title")
	c.ID, c.Title = f.id("id"), f.str("title")
	if f.has("reveal") {
		switch p := RevealPolicy(f.str("reveal")); p {
		case RevealAfterPass, RevealAlways, RevealNever:
			c.Reveal = p
		default:
			f.at(f.keyLine("reveal"), "reveal must be %s, %s or %s, not %q", RevealAfterPass, RevealAlways, RevealNever, p)
		}
	}
	var lines []int
	c.KernelConfig, lines = f.configList("kernel_config")
	return lines
}

// crossCheck checks what spans files: ids unique across the course, exercises naming
// snippets that exist and suit them, includes, and kernel config that does not contradict
// itself.
func (ld *loader) crossCheck(lessons []*Lesson) {
	c := ld.c
	c.lessonByID, c.exerciseByID = map[string]*Lesson{}, map[string]*Exercise{}
	for _, l := range lessons {
		if first := c.lessonByID[l.ID]; first != nil && l.ID != "" {
			ld.ps.add(l.Path, l.idLine, "lesson id %q is already used by %s:%d", l.ID, first.Path, first.idLine)
		} else {
			c.lessonByID[l.ID] = l
		}
		for _, ex := range l.Exercises {
			if first := c.exerciseByID[ex.ID]; first != nil && ex.ID != "" {
				ld.ps.add(l.Path, ex.idLine, "exercise id %q is already used by %s:%d", ex.ID, first.Lesson.Path, first.idLine)
			} else {
				c.exerciseByID[ex.ID] = ex
			}
			ld.checkExerciseSnippet(ex)
		}
		c.render(l, report{problems: &ld.ps, file: l.Path}, nil)
	}
	delete(c.lessonByID, "")
	delete(c.exerciseByID, "")
	ld.checkConfig()
}

func (ld *loader) checkExerciseSnippet(ex *Exercise) {
	if ex.SnippetID == "" {
		return // reported as a missing key
	}
	at := func(format string, args ...any) {
		ld.ps.add(ex.Lesson.Path, ex.snippetLine, "exercise %s: "+format, append([]any{ex.ID}, args...)...)
	}
	s := ld.c.Snippets[ex.SnippetID]
	switch {
	case s == nil:
		at("no snippet %q (there is no folder snippets/%s)", ex.SnippetID, ex.SnippetID)
		return
	case s.broken:
		ex.Snippet = s
		return // its snippet.yaml problem is reported already
	}
	ex.Snippet = s
	if s.Expect == OutcomeFails {
		at("snippet %s has expect: fails, but an exercise's solution must build", s.ID)
	}
	switch {
	case s.Starter == nil && len(s.StarterFiles) == 0:
		at("snippet %s has no starter: add a starter/ folder with the learner's code and a starter: block to its snippet.yaml", s.ID)
	case s.Starter == nil:
		at("snippet %s has a starter/ folder but no starter: block in its snippet.yaml saying how the starter fails", s.ID)
	case len(s.StarterFiles) == 0:
		// reported at the snippet's starter: line
	case s.Starter.Stage != "" && !slices.Contains(ex.Stages, s.Starter.Stage):
		at("snippet %s's starter fails at stage %s, which this exercise does not run (stages: %s)", s.ID, s.Starter.Stage, stageList(ex.Stages))
	}
	for _, sc := range s.Shortcuts {
		if sc.Stage != "" && !slices.Contains(ex.Stages, sc.Stage) {
			at("snippet %s's shortcut %q must fail at stage %s, which this exercise does not run (stages: %s)", s.ID, sc.Name, sc.Stage, stageList(ex.Stages))
		}
	}
}

// checkConfig reports a snippet pinning a kernel option to a value the course or another
// snippet pins differently: one kernel cannot satisfy both.
func (ld *loader) checkConfig() {
	merged := map[string]ConfigOption{}
	from := map[string]string{}
	add := func(o ConfigOption, where string) bool {
		have, ok := merged[o.Name]
		if !ok {
			merged[o.Name], from[o.Name] = o, where
			return true
		}
		m, ok := mergeOption(have, o)
		if ok {
			merged[o.Name] = m
		}
		return ok
	}
	for i, o := range ld.c.KernelConfig {
		add(o, fmt.Sprintf("%s:%d", courseFile, ld.courseConfigLines[i]))
	}
	for _, id := range slices.Sorted(maps.Keys(ld.c.Snippets)) {
		s := ld.c.Snippets[id]
		meta := path.Join(s.Dir, "snippet.yaml")
		for i, o := range s.Config {
			if !add(o, fmt.Sprintf("%s:%d", meta, s.configLines[i])) {
				ld.ps.add(meta, s.configLines[i], "config %s contradicts %s at %s", o, merged[o.Name], from[o.Name])
			}
		}
	}
}

// hasPrefix reports whether any path in files starts with prefix.
func hasPrefix(files map[string]bool, prefix string) bool {
	for p := range files {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}
