package course

import (
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"
	"gopkg.in/yaml.v3"

	"github.com/rfl-tutor/rfl-tutor/internal/guestspec"
)

// idPattern is for lesson, exercise, question and course ids: they name workspace folders and
// progress keys, so they stay plain.
var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// parseLesson reads one lesson file: front matter checked key by key, and the body kept for
// include resolution. It returns nil when the front matter cannot be read at all; otherwise a
// lesson with whatever was valid, so cross-checks (duplicate ids, snippets) still run.
func parseLesson(ps *problems, file string, data []byte) *Lesson {
	// Front matter YAML starts on line 2 of the file.
	r := report{problems: ps, file: file, off: 1}
	lf, ok := splitFrontMatter(r, data)
	if !ok {
		return nil
	}
	top, ok := r.parseYAML(lf.meta, max(lf.closeLine-1, 2), "front matter")
	if !ok {
		return nil
	}
	if top == nil {
		r.at(1, "malformed front matter: it is empty (a lesson needs at least id, title and order)")
		return nil
	}
	f, ok := r.mapping(top, "", 1, "id", "title", "summary", "order", "kernel", "exercises", "quiz")
	if !ok {
		return nil
	}
	f.require("id", "title", "order")
	l := &Lesson{
		ID:       f.id("id"),
		Title:    f.str("title"),
		Summary:  f.str("summary"),
		Path:     file,
		Body:     lf.body,
		BodyLine: lf.bodyLine,
		idLine:   f.keyLine("id"),
	}
	l.Order, _ = f.integer("order")
	l.Kernel, l.KernelRaw = f.constraint("kernel")
	for _, n := range f.list("exercises") {
		if ex := parseExercise(r, n); ex != nil {
			ex.Lesson = l
			l.Exercises = append(l.Exercises, ex)
		}
	}
	seen := map[string]int{}
	for _, n := range f.list("quiz") {
		q, idLine := parseQuestion(r, n)
		if q == nil {
			continue
		}
		if first, dup := seen[q.ID]; dup && q.ID != "" {
			r.at(idLine, "question id %q is already used in this lesson (line %d)", q.ID, first)
		} else {
			seen[q.ID] = idLine
		}
		l.Quiz = append(l.Quiz, q)
	}
	return l
}

// named is how messages call a list item: by its id when it has one ("exercise hello").
func named(kind string, n *yaml.Node) string {
	for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "id" && v.Kind == yaml.ScalarNode && v.Value != "" {
			return kind + " " + v.Value
		}
	}
	return kind
}

// id returns an id value, reporting ones that are not lowercase-and-dashes.
func (f fields) id(key string) string {
	s := f.str(key)
	if s != "" && !idPattern.MatchString(s) {
		f.at(f.keyLine(key), "%s %q must be lowercase letters, digits and single dashes (e.g. \"first-module\")", key, s)
	}
	return s
}

// constraint parses a kernel version range such as ">= 6.12, < 6.17".
func (f fields) constraint(key string) (*semver.Constraints, string) {
	v := f.vals[key]
	if v == nil || isNull(v) {
		return nil, ""
	}
	raw := f.str(key)
	c, err := semver.NewConstraint(raw)
	if err != nil {
		f.at(f.r.line(v), "%s %q is not a version range (%v); write e.g. \">= 6.12, < 6.17\"", key, raw, err)
		return nil, raw
	}
	return c, raw
}

func parseExercise(r report, n *yaml.Node) *Exercise {
	f, ok := r.mapping(n, named("exercise", n), r.line(n), "id", "title", "snippet", "task", "stages", "hints", "success", "allow_warnings", "forbid")
	if !ok {
		return nil
	}
	f.require("id", "title", "snippet", "task", "hints")
	ex := &Exercise{
		ID:            f.id("id"),
		Title:         f.str("title"),
		Task:          f.str("task"),
		SnippetID:     f.str("snippet"),
		AllowWarnings: f.boolean("allow_warnings"),
		Line:          r.line(n),
		idLine:        f.keyLine("id"),
		snippetLine:   f.keyLine("snippet"),
	}
	ex.Stages = f.stages()
	ex.Forbid = parseForbid(r, f, ex.Stages)
	ex.Hints, _ = f.texts("hints")
	if f.has("hints") && len(ex.Hints) < 2 {
		f.at(f.keyLine("hints"), "needs at least 2 hints (they are revealed one at a time), has %d", len(ex.Hints))
	}
	if v := f.vals["success"]; v != nil && !isNull(v) {
		if s, ok := r.mapping(v, f.name("success"), r.line(v), "modinfo", "log", "unload_log", "ordered", "steps", "allow_taint", "params", "devices"); ok {
			ex.Success.Params = s.str("params")
			if strings.ContainsAny(ex.Success.Params, "\n\r") {
				s.at(s.keyLine("params"), "params must be on one line, as insmod takes them (count=3 name=x)")
			}
			var devLines []int
			ex.Success.Devices, devLines = s.texts("devices")
			for i, d := range ex.Success.Devices {
				if _, ok := guestspec.Devices[d]; !ok {
					s.at(devLines[i], "devices: %q is not a device the boot stage offers (%s)", d, strings.Join(slices.Sorted(maps.Keys(guestspec.Devices)), ", "))
				} else if slices.Index(ex.Success.Devices, d) < i {
					s.at(devLines[i], "devices: %q is named twice", d)
				}
			}
			ex.Success.Modinfo, _ = s.texts("modinfo")
			ex.Success.Log, _ = s.texts("log")
			ex.Success.UnloadLog, _ = s.texts("unload_log")
			ex.Success.Ordered = s.boolean("ordered")
			ex.Success.Steps = parseSteps(r, s)
			var lines []int
			ex.Success.AllowTaint, lines = s.texts("allow_taint")
			for i, l := range ex.Success.AllowTaint {
				if !validTaint(l) {
					s.at(lines[i], "allow_taint %q is not a kernel taint letter (P F S R M B U D A W C I O E L K X T N)", l)
				}
			}
		}
	}
	return ex
}

// parseForbid reads forbid: a list of {pattern, why}, each pattern a Go regular expression
// (RE2) applied to every line of the learner's .rs files outside comments. The rules run in
// the style stage, which the exercise must have.
func parseForbid(r report, f fields, stages []Stage) []SourceRule {
	var out []SourceRule
	for _, n := range f.list("forbid") {
		rf, ok := r.mapping(n, "forbid rule", r.line(n), "pattern", "why")
		if !ok {
			continue
		}
		rf.require("pattern", "why")
		raw := rf.str("pattern")
		if raw == "" {
			continue
		}
		re, err := regexp.Compile(raw)
		if err != nil {
			rf.at(rf.keyLine("pattern"), "forbid: pattern %q is not a regular expression: %v", raw, err)
			continue
		}
		out = append(out, SourceRule{Pattern: re, Why: rf.str("why")})
	}
	if len(out) > 0 && len(stages) > 0 && !slices.Contains(stages, StageStyle) {
		f.at(f.keyLine("forbid"), "forbid: rules run in the style stage, which this exercise does not run (stages: %s)", stageList(stages))
	}
	return out
}

// parseSteps reads success.steps: each a mapping with read (optional count), write and value,
// or ioctl, cmd (optional arg); expect and errno where they fit.
func parseSteps(r report, f fields) []Step {
	var out []Step
	for _, n := range f.list("steps") {
		sf, ok := r.mapping(n, f.name("steps")+" item", r.line(n), "read", "write", "ioctl", "session", "ops", "value", "count", "cmd", "arg", "expect", "equals", "errno")
		if !ok {
			continue
		}
		st := Step{Read: sf.str("read"), Write: sf.str("write"), Ioctl: sf.str("ioctl"), Session: sf.str("session"), Value: sf.str("value"),
			Arg: sf.str("arg"), Expect: sf.str("expect"), Errno: sf.str("errno"), Line: r.line(n)}
		if sf.has("equals") {
			eq := sf.str("equals")
			st.Equals = &eq
		}
		kinds := 0
		for _, k := range []string{"read", "write", "ioctl", "session"} {
			if sf.has(k) {
				kinds++
			}
		}
		belongs := func(key, kind string) {
			if sf.has(key) && !sf.has(kind) {
				sf.at(sf.keyLine(key), "%s belongs to %s steps", key, kind)
			}
		}
		switch {
		case kinds != 1:
			sf.at(st.Line, "a step has exactly one of read: PATH, write: PATH, ioctl: PATH or session: PATH")
		case sf.has("session") && sf.has("errno"):
			sf.at(sf.keyLine("errno"), "a session reports each call's error in its output (F: errno N): expect it with equals: or expect:")
		case sf.has("write") && !sf.has("value"):
			sf.at(st.Line, "a write step needs value: (the text to write)")
		case sf.has("ioctl") && !sf.has("cmd"):
			sf.at(st.Line, "an ioctl step needs cmd: (the request number, e.g. 0x7201)")
		case sf.has("write") && (sf.has("expect") || sf.has("equals")):
			sf.at(st.Line, "expect and equals belong to read and ioctl steps: a write prints nothing")
		case sf.has("errno") && (sf.has("expect") || sf.has("equals")):
			sf.at(st.Line, "a step that must fail (errno:) prints only its error: drop expect: and equals:")
		case sf.has("expect") && sf.has("equals"):
			sf.at(sf.keyLine("equals"), "equals says all the output must be; expect only a part of it: give one")
		}
		belongs("value", "write")
		belongs("count", "read")
		belongs("cmd", "ioctl")
		belongs("arg", "ioctl")
		belongs("ops", "session")
		if sf.has("session") {
			st.Ops = parseSessionOps(r, sf)
		}
		if c, ok := sf.integer("count"); ok {
			if c < 1 || c > 65536 {
				sf.at(sf.keyLine("count"), "count %d: a read asks for 1 to 65536 bytes", c)
			}
			st.Count = c
		}
		if sf.has("cmd") {
			if c, ok := sf.integer("cmd"); ok {
				if c < 0 || c > math.MaxUint32 {
					sf.at(sf.keyLine("cmd"), "cmd %d is not an ioctl request number (32 bits)", c)
				}
				st.Cmd = uint32(c)
			}
		}
		if st.Arg != "" && !guestspec.ValidIoctlArg(st.Arg) {
			sf.at(sf.keyLine("arg"), "arg %q: give a number (passed as is) or @N (a pointer to an int holding N)", st.Arg)
		}
		if st.Errno != "" && guestspec.ErrnoNumber(st.Errno) == 0 {
			sf.at(sf.keyLine("errno"), "errno %q is not an error name such as EINVAL or ENOTTY", st.Errno)
		}
		for _, key := range []string{"read", "write", "ioctl", "session"} {
			if p := sf.str(key); p != "" && (!strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\n\r")) {
				sf.at(sf.keyLine(key), "%s %q must be an absolute guest path on one line (e.g. /sys/module/NAME/initstate)", key, p)
			}
		}
		out = append(out, st)
	}
	return out
}

// parseSessionOps reads a session step's ops: each a mapping with one of open, close, write,
// read or ioctl naming the open file (a letter), and the call's own keys.
func parseSessionOps(r report, f fields) []SessionOp {
	var out []SessionOp
	opened := map[string]bool{}
	if len(f.list("ops")) == 0 {
		f.at(f.r.line(f.vals["session"]), "a session step needs ops: (its calls, starting with open: a)")
	}
	for _, n := range f.list("ops") {
		of, ok := r.mapping(n, f.name("ops")+" call", r.line(n), "open", "close", "write", "read", "ioctl", "value", "count", "cmd", "arg")
		if !ok {
			continue
		}
		var op SessionOp
		for _, k := range []string{"open", "close", "write", "read", "ioctl"} {
			if of.has(k) {
				if op.Op != "" {
					of.at(r.line(n), "a session call is one of open, close, write, read or ioctl, not %s and %s", op.Op, k)
				}
				op.Op, op.File = k, of.str(k)
			}
		}
		switch {
		case op.Op == "":
			of.at(r.line(n), "a session call needs one of open, close, write, read or ioctl: FILE (a letter)")
			continue
		case len(op.File) != 1 || op.File[0] < 'a' || op.File[0] > 'z':
			of.at(of.keyLine(op.Op), "%s: %q: name the open file with one letter a-z", op.Op, op.File)
		case op.Op == "open":
			opened[op.File] = true
		case !opened[op.File]:
			of.at(of.keyLine(op.Op), "%s: file %s is not open here (open: %s first)", op.Op, op.File, op.File)
		case op.Op == "close":
			opened[op.File] = false
		}
		op.Value, op.Arg = of.str("value"), of.str("arg")
		if c, ok := of.integer("count"); ok {
			op.Count = c
		}
		if c, ok := of.integer("cmd"); ok && c >= 0 && c <= math.MaxUint32 {
			op.Cmd = uint32(c)
		}
		need := map[string][]string{"write": {"value"}, "read": {"count"}, "ioctl": {"cmd"}}[op.Op]
		for _, k := range need {
			if !of.has(k) {
				of.at(r.line(n), "a session %s needs %s:", op.Op, k)
			}
		}
		allowed := map[string][]string{"write": {"value"}, "read": {"count"}, "ioctl": {"cmd", "arg"}}[op.Op]
		for _, k := range []string{"value", "count", "cmd", "arg"} {
			if of.has(k) && !slices.Contains(allowed, k) {
				of.at(of.keyLine(k), "%s does not belong to a session %s", k, op.Op)
			}
		}
		if op.Op == "read" && (op.Count < 1 || op.Count > 65536) && of.has("count") {
			of.at(of.keyLine("count"), "count %d: a read asks for 1 to 65536 bytes", op.Count)
		}
		if op.Arg != "" && !guestspec.ValidIoctlArg(op.Arg) {
			of.at(of.keyLine("arg"), "arg %q: give a number (passed as is) or @N (a pointer to an int holding N)", op.Arg)
		}
		out = append(out, op)
	}
	return out
}

// validTaint reports whether s is one of the kernel's taint letters.
func validTaint(s string) bool {
	return len(s) == 1 && strings.Contains("PFSRMBUDAWCIOELKXTN", s)
}

// stages reads an exercise's stages, DefaultStages when it names none.
func (f fields) stages() []Stage {
	if !f.has("stages") {
		return slices.Clone(DefaultStages)
	}
	names, lines := f.texts("stages")
	if len(names) == 0 && len(f.list("stages")) == 0 {
		f.at(f.keyLine("stages"), "stages is empty; leave it out to use the default (%s)", stageList(DefaultStages))
	}
	var out []Stage
	for i, name := range names {
		st, ok := parseStage(name)
		switch {
		case !ok:
			f.at(lines[i], "unknown stage %q (stages: %s)", name, stageList(allStages))
		case slices.Contains(out, st):
			f.at(lines[i], "stage %q is listed twice", name)
		default:
			out = append(out, st)
		}
	}
	return out
}

// parseQuestion reads one knowledge check; the file's answer is 1-based.
func parseQuestion(r report, n *yaml.Node) (*Question, int) {
	f, ok := r.mapping(n, named("question", n), r.line(n), "id", "question", "choices", "answer", "explain")
	if !ok {
		return nil, 0
	}
	f.require("id", "question", "choices", "answer", "explain")
	q := &Question{
		ID:       f.id("id"),
		Question: f.str("question"),
		Explain:  f.str("explain"),
		Line:     r.line(n),
	}
	q.Choices, _ = f.texts("choices")
	if f.has("choices") && len(q.Choices) < 2 {
		f.at(f.keyLine("choices"), "needs at least 2 choices, has %d", len(q.Choices))
	}
	q.Answer = -1
	if a, ok := f.integer("answer"); ok {
		if a < 1 || a > len(q.Choices) {
			f.at(f.keyLine("answer"), "answer %d is out of range: it is the number of the right choice, 1 to %d", a, len(q.Choices))
		} else {
			q.Answer = a - 1
		}
	}
	return q, f.keyLine("id")
}
