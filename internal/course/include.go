package course

import (
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
)

// Lessons show kernel code only through {{#include snippet/path[:region]}} lines, so what a
// learner reads is what the library check compiles. The syntax follows mdBook's, which many
// Rust authors already know.

var (
	includeLine = regexp.MustCompile(`^\s*\{\{#include\s+([^\s}]+)\s*\}\}\s*$`)
	fenceOpen   = regexp.MustCompile("^\\s*(`{3,}|~{3,})(.*)$")
	anchorStart = regexp.MustCompile(`ANCHOR:\s*([A-Za-z0-9_-]+)`)
	anchorEnd   = regexp.MustCompile(`ANCHOR_END:\s*([A-Za-z0-9_-]+)`)
)

// mdLine is one line of a lesson body, classified.
type mdLine struct {
	text string // including its newline
	// code is set inside fenced code blocks, their fence lines included: directives there are
	// shown, not expanded.
	code bool
	// info is the info string of a line that opens a fence ("rust", "sh", ...).
	info    string
	opens   bool
	include string // the target of an include directive
}

// scanMarkdown classifies the lines of body; the index is 0-based.
func scanMarkdown(body string) iter.Seq2[int, mdLine] {
	return func(yield func(int, mdLine) bool) {
		fence := "" // the opening fence while inside a code block
		for i, text := range strings.SplitAfter(body, "\n") {
			l := mdLine{text: text}
			text = strings.TrimSuffix(text, "\n")
			if fence != "" {
				l.code = true
				if t := strings.TrimSpace(text); strings.Trim(t, fence[:1]) == "" && len(t) >= len(fence) {
					fence = ""
				}
			} else if m := fenceOpen.FindStringSubmatch(text); m != nil && !(m[1][0] == '`' && strings.Contains(m[2], "`")) {
				// (A backtick fence's info string has no backticks: "```x```" is inline code.)
				fence, l.code, l.opens, l.info = m[1], true, true, strings.TrimSpace(m[2])
			} else if m := includeLine.FindStringSubmatch(text); m != nil {
				l.include = m[1]
			}
			if !yield(i, l) {
				return
			}
		}
	}
}

// isRustFence reports whether a fence's info string declares Rust ("rust", "rust,ignore", "rs").
func isRustFence(info string) bool {
	lang, _, _ := strings.Cut(strings.ToLower(info), " ")
	lang, _, _ = strings.Cut(lang, ",")
	lang = strings.Trim(lang, "{}.")
	return lang == "rust" || lang == "rs"
}

// IncludedSnippets returns the ids of the snippets the lesson's body includes, sorted and
// without repeats, so a course lint can find snippets that no lesson or exercise uses.
func (l *Lesson) IncludedSnippets() []string {
	var ids []string
	for _, ml := range scanMarkdown(l.Body) {
		if ml.include == "" {
			continue
		}
		file, _ := splitTarget(ml.include)
		if id, _, _ := strings.Cut(file, "/"); snippetID.MatchString(id) && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Markdown returns the lesson's body with every include directive replaced by a fenced code
// block of the snippet file (or region) it names.
func (c *Course) Markdown(l *Lesson) (string, error) {
	return c.MarkdownFor(l, nil)
}

// MarkdownFor is Markdown for a kernel of version ver: snippets with kernel variants show the
// code of ver's variant (the base variant when ver is nil), followed once per lesson by what the
// other variants do differently.
func (c *Course) MarkdownFor(l *Lesson, ver *semver.Version) (string, error) {
	var ps problems
	md := c.render(l, report{problems: &ps, file: l.Path}, ver)
	if err := ps.err(); err != nil {
		return "", err
	}
	return sanitize.Text(md), nil // the included code is the pack's too
}

// render expands includes and reports what is wrong with the body: Load calls it to validate,
// Markdown to produce the text, so the two cannot disagree.
func (c *Course) render(l *Lesson, r report, ver *semver.Version) string {
	var out strings.Builder
	noted := map[string]bool{} // snippets whose variant notes this lesson has shown
	for i, ml := range scanMarkdown(l.Body) {
		line := l.BodyLine + i
		switch {
		case ml.opens && isRustFence(ml.info):
			r.at(line, "hand-written rust code block: kernel code in a lesson comes from the snippet library, with {{#include snippet/src/file.rs}} (use text, sh, c or makefile fences for anything else)")
		case ml.include != "":
			if block, ok := c.include(r, line, ml.include, ver, noted); ok {
				out.WriteString(block)
			}
			continue
		case !ml.code && strings.Contains(ml.text, "{{#"):
			r.at(line, "a directive must be {{#include snippet/path}} or {{#include snippet/path:region}} on a line of its own")
		}
		out.WriteString(ml.text)
	}
	return out.String()
}

// splitTarget splits "hello/src/hello.rs:init" into the file and the region.
func splitTarget(target string) (file, region string) {
	if i := strings.LastIndex(target, ":"); i >= 0 {
		return target[:i], target[i+1:]
	}
	return target, ""
}

// include resolves one directive to a fenced code block ending in a newline: the file (or
// region) as ver's kernel variant of the snippet has it, then, the first time the lesson shows
// that snippet, what its other variants do differently. Every variant's file must have the
// region, so a lesson cannot break on one kernel only.
func (c *Course) include(r report, line int, target string, ver *semver.Version, noted map[string]bool) (string, bool) {
	file, region := splitTarget(target)
	switch {
	case path.IsAbs(file):
		r.at(line, "include path %q is absolute: paths are relative to snippets/ (e.g. hello_module/src/hello_module.rs)", file)
		return "", false
	case slices.Contains(strings.Split(file, "/"), ".."):
		r.at(line, "include path %q escapes the snippet library: \"..\" is not allowed", file)
		return "", false
	case !fs.ValidPath(file) || file == ".":
		r.at(line, "include path %q is malformed: write snippet/path/file with single slashes", file)
		return "", false
	case target != file && region == "":
		r.at(line, "include %q names an empty region after ':'", target)
		return "", false
	}
	id, rel, _ := strings.Cut(file, "/")
	s := c.Snippets[id]
	full := path.Join("snippets", file)
	switch {
	case c.isBlocked(full):
		return "", false // the symlink was reported where it is
	case s == nil:
		r.at(line, "include %q: no snippet %q in snippets/", target, id)
		return "", false
	case !s.files[full]:
		r.at(line, "include %q: snippet %s has no file %s", target, id, rel)
		return "", false
	}
	shown := s.For(ver).Variant
	pathFor := func(v *KernelVariant) string {
		if v != nil && v.Folder != "" && s.files[path.Join(s.Dir, v.Folder, rel)] {
			return path.Join(s.Dir, v.Folder, rel)
		}
		return full
	}
	want, paths := pathFor(shown), []string{full}
	for _, v := range s.Variants {
		if p := pathFor(v); !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	var text string
	for _, p := range paths {
		data, err := fs.ReadFile(c.Root, p)
		if err != nil {
			r.at(line, "include %q: %v", target, err)
			return "", false
		}
		t, err := extractRegion(string(normalize(data)), region)
		if err != nil {
			if p != full {
				err = fmt.Errorf("in %s: %w", p, err)
			}
			r.at(line, "include %q: %v", target, err)
			return "", false
		}
		if p == want {
			text = t
		}
	}
	block := fenced(language(file), text)
	if len(s.Variants) > 0 && !noted[id] {
		noted[id] = true
		block += variantNotes(s, shown)
	}
	return block, true
}

// variantNotes says, under a snippet's code, which kernels it is for and what the others do
// differently.
func variantNotes(s *Snippet, shown *KernelVariant) string {
	if shown == nil {
		shown = s.baseVariant()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n> This code is for Linux %s: %s\n", shown.KernelRaw, shown.Note)
	for _, v := range s.Variants {
		if v != shown {
			fmt.Fprintf(&b, ">\n> On Linux %s: %s\n", v.KernelRaw, v.Note)
		}
	}
	return b.String()
}

func (c *Course) isBlocked(p string) bool {
	for ; p != "." && p != "/"; p = path.Dir(p) {
		if c.blocked[p] {
			return true
		}
	}
	return false
}

var errNoRegion = errors.New("no such region")

// extractRegion returns the lines between "ANCHOR: name" and "ANCHOR_END: name" (every such
// pair, in order), or the whole text for an empty name; marker lines never appear in the
// result, and a region's common indentation is removed.
func extractRegion(text, name string) (string, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	var out, regions []string
	in, found := false, false
	for _, l := range lines {
		start, end := anchorStart.FindStringSubmatch(l), anchorEnd.FindStringSubmatch(l)
		switch {
		case start != nil:
			if !slices.Contains(regions, start[1]) {
				regions = append(regions, start[1])
			}
			if start[1] == name {
				in, found = true, true
			}
		case end != nil:
			if end[1] == name {
				in = false
			}
		case name == "" || in:
			out = append(out, l)
		}
	}
	switch {
	case name != "" && !found:
		if len(regions) == 0 {
			return "", fmt.Errorf("%w %q: the file marks no regions (ANCHOR: name ... ANCHOR_END: name)", errNoRegion, name)
		}
		return "", fmt.Errorf("%w %q (regions in the file: %s)", errNoRegion, name, strings.Join(regions, ", "))
	case in:
		return "", fmt.Errorf("region %q has no ANCHOR_END: %s line", name, name)
	case name != "":
		out = dedent(out)
	}
	return strings.Join(out, "\n"), nil
}

// dedent removes the indentation all non-blank lines share, so a region cut from inside an
// impl block starts at the left margin.
func dedent(lines []string) []string {
	prefix, first := "", true
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		ind := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if first {
			prefix, first = ind, false
			continue
		}
		for !strings.HasPrefix(ind, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strings.TrimPrefix(l, prefix)
	}
	return out
}

// fenced wraps text in a code fence longer than any backtick run starting a line of it.
func fenced(lang, text string) string {
	n := 3
	for l := range strings.SplitSeq(text, "\n") {
		t := strings.TrimLeft(l, " \t")
		if run := len(t) - len(strings.TrimLeft(t, "`")); run >= n {
			n = run + 1
		}
	}
	fence := strings.Repeat("`", n)
	return fence + lang + "\n" + text + "\n" + fence + "\n"
}

// language picks the fence language from a file name.
func language(file string) string {
	base := path.Base(file)
	switch {
	case base == "Kbuild" || base == "Makefile" || strings.HasSuffix(base, ".mk"):
		return "makefile"
	}
	switch path.Ext(base) {
	case ".rs":
		return "rust"
	case ".c", ".h":
		return "c"
	case ".S":
		return "asm"
	case ".sh":
		return "sh"
	case ".yaml", ".yml":
		return "yaml"
	case ".toml":
		return "toml"
	}
	return "text"
}

// StripAnchors removes the lines that only mark regions (a comment holding ANCHOR: name or
// ANCHOR_END: name) from a snippet file: they are for lessons' includes, and noise in a
// solution or a diff shown to the learner.
func StripAnchors(src []byte) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	var b strings.Builder
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if (strings.HasPrefix(t, "//") || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "/*")) &&
			(anchorStart.MatchString(t) || anchorEnd.MatchString(t)) {
			continue
		}
		b.WriteString(l)
	}
	return []byte(b.String())
}
