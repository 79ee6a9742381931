package course

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The course files are read as yaml.Node trees rather than decoded into structs: nodes keep
// line numbers, and walking them ourselves reports every unknown key, repeated key and wrong
// type at once instead of stopping at the first.

var (
	yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	yamlBreaks  = regexp.MustCompile("\u0085|\u2028|\u2029")
)

// parseYAML parses one YAML document and returns its top node: nil for an empty document, and
// ok=false (with problems added) when the text does not parse. Lines of text are numbered from
// r.off+1 in the file; lastLine clamps syntax-error lines, which the YAML scanner sometimes
// puts past the end of the text. kind names the text in messages ("front matter").
func (r report) parseYAML(text []byte, lastLine int, kind string) (top *yaml.Node, ok bool) {
	// YAML also ends lines at NEL, LS and PS, which editors show inside a line; as spaces they
	// keep YAML's line numbers equal to the editor's.
	text = yamlBreaks.ReplaceAll(text, []byte(" "))
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		line, msg := r.off+1, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			msg = m[2]
			if slices.Contains(parserProblems, msg) {
				n = firstFailingLine(text, msg, n+1)
			}
			line = min(max(n+r.off, r.off+1), lastLine)
		}
		r.at(line, "malformed %s: %s", kind, msg)
		return nil, false
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, true
	}
	if bad := findAlias(&doc); bad != nil {
		// Aliases would let one node stand for many (repeating ids, or blowing up the walk);
		// hand-written course files have no need for them.
		r.at(r.line(bad), "YAML anchors and aliases are not supported here")
		return nil, false
	}
	return doc.Content[0], true
}

// parserProblems are the yaml.v3 errors raised by its parser rather than its scanner. For
// those it gives a 0-based line, and often the line where the enclosing block starts instead
// of where the problem is.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// firstFailingLine finds where a parser error really is: the first line at which the text so
// far fails with the same problem, searching from the line the parser named (the problem is
// never above the block it reported). The search gives up after maxReparse lines, keeping
// the parser's own line, so a huge file cannot make loading slow.
func firstFailingLine(text []byte, problem string, from int) int {
	const maxReparse = 100
	lines := strings.SplitAfter(string(text), "\n")
	if from < 1 || from > len(lines) {
		return from
	}
	prefix := strings.Join(lines[:from-1], "")
	for i := from - 1; i < len(lines) && i < from-1+maxReparse; i++ {
		prefix += lines[i]
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(prefix), &n); err != nil && strings.HasSuffix(err.Error(), problem) {
			return i + 1
		}
	}
	return from
}

func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return n
	}
	for _, c := range n.Content {
		if bad := findAlias(c); bad != nil {
			return bad
		}
	}
	return nil
}

func (r report) line(n *yaml.Node) int { return n.Line + r.off }

// fields is a checked YAML mapping: every key known, none repeated.
type fields struct {
	r report
	// what names the mapping in messages (e.g. "exercise hello-module"); empty at the top of a
	// file, where the file name says enough.
	what string
	// missingLine is where absent required keys are reported.
	missingLine int
	keys        map[string]*yaml.Node
	vals        map[string]*yaml.Node
}

// mapping checks that n is a mapping with only known, unique keys. It reports what is wrong
// and returns ok=false only when n is not a mapping at all; unknown keys are reported and
// skipped so the known ones are still checked.
func (r report) mapping(n *yaml.Node, what string, missingLine int, known ...string) (fields, bool) {
	f := fields{r: r, what: what, missingLine: missingLine, keys: map[string]*yaml.Node{}, vals: map[string]*yaml.Node{}}
	if n.Kind != yaml.MappingNode {
		r.at(r.line(n), "%s must be a mapping of keys to values, not %s", cmp.Or(what, "the file"), kindName(n))
		return f, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			f.at(r.line(k), "keys must be plain words")
			continue
		}
		if prev, dup := f.keys[k.Value]; dup {
			f.at(r.line(k), "key %q repeats (first at line %d)", k.Value, r.line(prev))
			continue
		}
		if !slices.Contains(known, k.Value) {
			f.at(r.line(k), "unknown key %q%s", k.Value, suggest(k.Value, known))
			continue
		}
		f.keys[k.Value], f.vals[k.Value] = k, v
	}
	return f, true
}

// at reports a problem about this mapping.
func (f fields) at(line int, format string, args ...any) {
	if f.what != "" {
		format = f.what + ": " + format
	}
	f.r.at(line, format, args...)
}

// name is how messages call key.
func (f fields) name(key string) string {
	if f.what == "" {
		return key
	}
	return f.what + ": " + key
}

func kindName(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(n):
		return "empty"
	default:
		return strconv.Quote(n.Value)
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// suggest names the closest known key, for typos like "titel".
func suggest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return " (known keys: " + strings.Join(known, ", ") + ")"
	}
	return " (did you mean " + strconv.Quote(best) + "?)"
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// has reports whether key is present with a non-null value.
func (f fields) has(key string) bool {
	v := f.vals[key]
	return v != nil && !isNull(v)
}

// keyLine is the line of key, or of the mapping when the key is absent.
func (f fields) keyLine(key string) int {
	if k := f.keys[key]; k != nil {
		return f.r.line(k)
	}
	return f.missingLine
}

// require reports each key that is absent or empty.
func (f fields) require(keys ...string) {
	for _, key := range keys {
		switch v := f.vals[key]; {
		case v == nil:
			f.at(f.missingLine, "missing required key %q", key)
		case isNull(v) || (v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == ""):
			f.at(f.keyLine(key), "%q is empty", key)
		}
	}
}

// str returns a text value ("" when absent or null).
func (f fields) str(key string) string {
	v := f.vals[key]
	if v == nil || isNull(v) {
		return ""
	}
	s, _ := f.r.scalar(v, f.name(key))
	return s
}

// scalar returns the text of a scalar node, reporting lists and mappings.
func (r report) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		r.at(r.line(n), "%s must be a single value, not %s", what, kindName(n))
		return "", false
	}
	return n.Value, true
}

// integer returns a whole-number value; ok is false when absent or not a number.
func (f fields) integer(key string) (int, bool) {
	v := f.vals[key]
	if v == nil || isNull(v) {
		return 0, false
	}
	var i int
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(&i) != nil {
		f.at(f.r.line(v), "%s must be a whole number, not %s", key, kindName(v))
		return 0, false
	}
	return i, true
}

// boolean returns a true/false value (false when absent).
func (f fields) boolean(key string) bool {
	v := f.vals[key]
	if v == nil || isNull(v) {
		return false
	}
	var b bool
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || v.Decode(&b) != nil {
		f.at(f.r.line(v), "%s must be true or false, not %s", key, kindName(v))
	}
	return b
}

// list returns the items of a list value (nil when absent or null).
func (f fields) list(key string) []*yaml.Node {
	v := f.vals[key]
	if v == nil || isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		f.at(f.r.line(v), "%s must be a list, not %s", key, kindName(v))
		return nil
	}
	return v.Content
}

// texts returns a list of text values with their lines, reporting items that are not text.
func (f fields) texts(key string) (vals []string, lines []int) {
	for _, n := range f.list(key) {
		if s, ok := f.r.scalar(n, f.name(key)+" item"); ok && !isNull(n) {
			vals, lines = append(vals, s), append(lines, f.r.line(n))
		} else if ok {
			f.at(f.r.line(n), "%s has an empty item", key)
		}
	}
	return vals, lines
}
