package boot

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/ianlancetaylor/demangle"

	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
)

// LineKind says where a console line came from.
type LineKind int

const (
	// Kernel is a kernel log line: boot messages, and whatever the module prints.
	Kernel LineKind = iota
	// Marker is one of init's frames: an action starting or ending, taint, what is loaded.
	Marker
	// Output is a line printed by an action in the guest (insmod's complaint, a file's contents).
	Output
)

// Line is one console line, with the kernel's timestamp split off.
type Line struct {
	Kind LineKind
	// Stamp is the printk timestamp without brackets ("0.600317"), when the line had one.
	Stamp string
	// Text is the line: a kernel message, a marker's event ("insmod:hello"), or output.
	Text string
}

// Action is one thing init did: load a module, read or write a file, unload a module.
type Action struct {
	Kind string // "insmod", "read", "write", "ioctl", "session", "rmmod"
	// Arg is the module name or the file path.
	Arg string
	// Done says the guest reported the action's end; RC is then its exit status.
	Done bool
	RC   int
	// Output is what the action printed (insmod's error message, a read file's lines).
	Output []string
	// From and To index Transcript.Lines: the action's start marker and its end marker (or the
	// last line seen, when it never ended). Kernel lines in between happened during the action.
	From, To int
}

// UnitRun is what happened to one Unit.
type UnitRun struct {
	ID      string
	Actions []*Action
	// TaintBefore and TaintAfter are /proc/sys/kernel/tainted at the unit's start and end
	// (-1 when not reported).
	TaintBefore, TaintAfter int64
	// Loaded lists the modules still in /proc/modules at the unit's end.
	Loaded []string
	Ended  bool
	// From and To index Transcript.Lines: the unit's begin and end markers (or the last line).
	From, To int
}

// Action returns the unit's first action of kind on arg ("" matches any arg), or nil.
func (u *UnitRun) Action(kind, arg string) *Action {
	for _, a := range u.Actions {
		if a.Kind == kind && (arg == "" || a.Arg == arg) {
			return a
		}
	}
	return nil
}

// Transcript is the parsed serial console of one boot. Feed it output as it arrives.
type Transcript struct {
	Lines []Line
	// Dropped counts the kernel lines not kept: a flood keeps its first headLines, its last
	// tailLines before each of init's frames (and at the end), and every line that is judged
	// (init's frames and action output, kernel reports, the lines Keep names); the rest is
	// counted here.
	Dropped int
	// Ready says init started; Done says it finished the whole plan.
	Ready, Done bool
	// Reported says the kernel began a report of trouble (Oops, BUG, WARNING, lockdep, …)
	// while a unit ran: the verdict is a failure whatever follows, so the boot can end once
	// the report is complete.
	Reported bool
	Units    []*UnitRun

	prefix  string
	partial []byte
	cur     *UnitRun
	act     *Action

	keep     []string // kernel lines containing one of these are always kept
	kernel   int      // kernel lines seen
	tail     []Line   // the last kernel lines not kept yet, oldest first (bounded)
	inReport int      // lines of a kernel report still to keep whole
}

// Limits keep a flooding module from exhausting memory and the verdict readable: the console
// of a normal boot is about 120 lines.
const (
	headLines      = 2000  // the first kernel lines, always kept
	tailLines      = 200   // kept before each frame and at the end
	maxLines       = 20000 // kept in all, judged lines included
	maxActionLines = 500
	maxLineBytes   = 4096
)

// NewTranscript returns an empty transcript for a boot whose init frames its lines with nonce.
// A kernel line containing one of keep (what the verdict looks for) is kept however much the
// guest prints.
func NewTranscript(nonce string, keep ...string) *Transcript {
	return &Transcript{prefix: "rfl:" + nonce + ":", keep: keep}
}

// Write feeds console output; it never fails.
func (t *Transcript) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			t.partial = append(t.partial, p...)
			if len(t.partial) > maxLineBytes { // a line that never ends: take what there is
				t.line(t.partial)
				t.partial = t.partial[:0]
			}
			break
		}
		if len(t.partial) > 0 {
			t.partial = append(t.partial, p[:i]...)
			t.line(t.partial)
			t.partial = t.partial[:0]
		} else {
			t.line(p[:i])
		}
		p = p[i+1:]
	}
	return n, nil
}

// Close takes a last line that had no newline (the guest stopped mid-line) and keeps the latest
// lines held back: what the guest printed last, when it hung or stopped.
func (t *Transcript) Close() {
	if len(t.partial) > 0 {
		t.line(t.partial)
		t.partial = nil
	}
	t.flush()
}

var stampRE = regexp.MustCompile(`^\[\s*(\d+\.\d+)\]\s?`)

func (t *Transcript) line(raw []byte) {
	// The guest prints what the learner's module says: keep none of its escapes or controls.
	s := sanitize.Text(string(raw))
	if len(s) > maxLineBytes {
		s = s[:maxLineBytes]
	}
	var l Line
	if m := stampRE.FindStringSubmatchIndex(s); m != nil {
		l.Stamp = s[m[2]:m[3]]
		s = s[m[1]:]
	}
	l.Text = s
	if event, ok := strings.CutPrefix(s, t.prefix); ok {
		t.marker(l, event)
		return
	}
	if strings.TrimSpace(s) == "" && l.Stamp == "" {
		return
	}
	l.Text = demangleSymbols(l.Text)
	t.kernelLine(l)
}

// rustSymbol is a Rust v0 mangled name as the kernel prints it in call traces and lockdep
// reports (%pS): "_RNvXs_Cs9wtdVo0Oox0_10lock_twiceNtB4_9LockTwice…4init+0xde/0x1e9".
var rustSymbol = regexp.MustCompile(`\b_R[0-9A-Za-z_]{8,}`)

// demangleSymbols writes the Rust symbols of a kernel line the way the learner wrote them
// ("<lock_twice::LockTwice as kernel::Module>::init+0xde/0x1e9"); a name that does not demangle
// stays as it was.
func demangleSymbols(s string) string {
	if !strings.Contains(s, "_R") {
		return s
	}
	return rustSymbol.ReplaceAllStringFunc(s, func(m string) string {
		if d, err := demangle.ToString(m, demangle.NoParams); err == nil {
			return d
		}
		return m
	})
}

// kernelLine keeps a kernel line, or holds it among the latest ones, or drops it.
func (t *Transcript) kernelLine(l Line) {
	t.kernel++
	if t.judged(l.Text) || t.kernel <= headLines {
		t.flush()
		t.add(l, false)
		return
	}
	if len(t.tail) == tailLines {
		t.tail = t.tail[1:]
		t.Dropped++
	}
	t.tail = append(t.tail, l)
}

// judged says whether the verdict may look at a kernel line: one the exercise expects, or part
// of a kernel report (its headline, the "cut here" before it, up to its end marker).
func (t *Transcript) judged(text string) bool {
	for _, k := range t.keep {
		if k != "" && strings.Contains(text, k) {
			return true
		}
	}
	bare := stripPrefix(text)
	if strings.Contains(bare, "[ cut here ]") {
		return true
	}
	for _, p := range problemPatterns {
		if p.re.MatchString(bare) {
			t.inReport = maxExcerpt
			if t.cur != nil {
				t.Reported = true
			}
			return true
		}
	}
	if t.inReport > 0 {
		t.inReport--
		if excerptEnd.MatchString(bare) {
			t.inReport = 0
		}
		return true
	}
	return false
}

// flush keeps the held latest lines: what came just before a frame or a judged line.
func (t *Transcript) flush() {
	for _, l := range t.tail {
		t.add(l, false)
	}
	t.tail = t.tail[:0]
}

// add keeps a line unless the overall limit is reached (markers and output are always kept).
func (t *Transcript) add(l Line, always bool) {
	if !always && len(t.Lines) >= maxLines {
		t.Dropped++
		return
	}
	t.Lines = append(t.Lines, l)
	if t.cur != nil {
		t.cur.To = len(t.Lines) - 1
	}
	if t.act != nil {
		t.act.To = len(t.Lines) - 1
	}
}

func (t *Transcript) marker(l Line, event string) {
	name, arg, _ := strings.Cut(event, ":")
	if name == "out" {
		l.Kind, l.Text = Output, arg
		if t.act != nil && len(t.act.Output) < maxActionLines {
			t.act.Output = append(t.act.Output, arg)
		}
		t.flush()
		t.add(l, true)
		return
	}
	l.Kind, l.Text = Marker, event
	t.flush()
	t.add(l, true)
	idx := len(t.Lines) - 1
	switch name {
	case "ready":
		t.Ready = true
	case "done":
		t.Done = true
		t.act = nil
	case "begin":
		t.cur = &UnitRun{ID: arg, TaintBefore: -1, TaintAfter: -1, From: idx, To: idx}
		t.Units = append(t.Units, t.cur)
		t.act = nil
	case "end":
		if t.cur != nil {
			t.cur.Ended = true
			t.cur.To = idx
		}
		t.cur, t.act = nil, nil
	case "taint":
		if t.cur != nil {
			v, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
			if err != nil {
				v = -1
			}
			if len(t.cur.Actions) == 0 && t.cur.TaintBefore < 0 {
				t.cur.TaintBefore = v
			} else {
				t.cur.TaintAfter = v
			}
		}
	case "loaded":
		if t.cur != nil {
			t.cur.Loaded = append(t.cur.Loaded, arg)
		}
	case "insmod", "read", "write", "ioctl", "session", "rmmod":
		if t.cur != nil {
			t.act = &Action{Kind: name, Arg: arg, RC: -1, From: idx, To: idx}
			t.cur.Actions = append(t.cur.Actions, t.act)
		}
	case "insmod-rc", "step-rc", "rmmod-rc":
		if t.act != nil {
			if rc, err := strconv.Atoi(strings.TrimSpace(arg)); err == nil {
				t.act.RC = rc
			}
			t.act.Done = true
			t.act.To = idx
			t.act = nil
		}
	}
}

// Pending is the action that started and never ended, with its unit (nil when none): after a
// timeout, what the guest was stuck in.
func (t *Transcript) Pending() (*UnitRun, *Action) {
	for _, u := range t.Units {
		for _, a := range u.Actions {
			if !a.Done {
				return u, a
			}
		}
	}
	return nil, nil
}

// Unit returns the run of the unit with id, or nil.
func (t *Transcript) Unit(id string) *UnitRun {
	for _, u := range t.Units {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// Render gives lines [from, to] as the learner reads them: kernel lines with their timestamp,
// init's frames as "» …", action output indented.
func (t *Transcript) Render(from, to int) []string {
	if from < 0 {
		from = 0
	}
	if to >= len(t.Lines) {
		to = len(t.Lines) - 1
	}
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, t.Lines[i].String())
	}
	return out
}

// String is one line as Render shows it.
func (l Line) String() string {
	switch l.Kind {
	case Marker:
		return "» " + describeEvent(l.Text)
	case Output:
		return "  | " + l.Text
	}
	if l.Stamp != "" {
		return "[" + l.Stamp + "] " + l.Text
	}
	return l.Text
}

// describeEvent turns a marker into words: "insmod:hello" → "insmod hello".
func describeEvent(event string) string {
	name, arg, _ := strings.Cut(event, ":")
	switch name {
	case "insmod-rc", "rmmod-rc", "step-rc":
		return "exit status " + arg
	case "taint":
		return "tainted=" + arg
	case "loaded":
		return "still loaded: " + arg
	case "begin", "end":
		return name + " " + arg
	case "ready", "done":
		return "init " + name
	}
	if arg == "" {
		return name
	}
	return name + " " + arg
}
