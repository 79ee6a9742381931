package boot

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Problem is a kernel report of something going wrong: an Oops, a BUG, a WARN, a panic.
type Problem struct {
	// Kind is a short name: "Oops", "BUG", "WARNING", "kernel panic", "Rust panic", …
	Kind string
	// Line indexes Transcript.Lines: the report's headline.
	Line int
	// Excerpt is the report, rendered, from its first line to its end marker (bounded).
	Excerpt []string
}

// problemPatterns find the headline of each kind of report, in the kernel's own words
// (arch/x86/mm/fault.c, kernel/panic.c, lib/bug.c, rust/kernel/lib.rs in 6.12).
var problemPatterns = []struct {
	kind string
	re   *regexp.Regexp
}{
	{"BUG", regexp.MustCompile(`^BUG: `)},
	{"kernel BUG", regexp.MustCompile(`^kernel BUG at `)},
	{"Oops", regexp.MustCompile(`^Oops: `)},
	{"general protection fault", regexp.MustCompile(`^(Oops: )?general protection fault`)},
	{"WARNING", regexp.MustCompile(`^WARNING: `)},
	{"kernel panic", regexp.MustCompile(`^Kernel panic - not syncing`)},
	{"Rust panic", regexp.MustCompile(`panicked at `)},
	{"soft lockup", regexp.MustCompile(`soft lockup - CPU#`)},
	{"hung task", regexp.MustCompile(`^INFO: task .* blocked for more than`)},
	{"Unable to handle kernel", regexp.MustCompile(`^Unable to handle kernel`)},
}

// excerptEnd marks the end of a report; without one an excerpt stops after maxExcerpt lines.
var excerptEnd = regexp.MustCompile(`^---\[ end (trace|Kernel panic)`)

const maxExcerpt = 40

// Problems finds the kernel's reports of trouble in lines [from, to] (to < 0: to the end).
// Lines of one report (the BUG headline, then its Oops line, registers, call trace) count once.
func (t *Transcript) Problems(from, to int) []Problem {
	if to < 0 || to >= len(t.Lines) {
		to = len(t.Lines) - 1
	}
	var out []Problem
	covered := -1
	for i := max(from, 0); i <= to; i++ {
		l := t.Lines[i]
		if l.Kind != Kernel || i <= covered {
			continue
		}
		text := stripPrefix(l.Text)
		for _, p := range problemPatterns {
			if !p.re.MatchString(text) {
				continue
			}
			start := i
			// The "cut here" line that opens a WARN/BUG belongs to the excerpt.
			if i > 0 && strings.Contains(t.Lines[i-1].Text, "[ cut here ]") {
				start = i - 1
			}
			end := i
			for end < len(t.Lines)-1 && end-start < maxExcerpt-1 {
				if excerptEnd.MatchString(stripPrefix(t.Lines[end].Text)) {
					break
				}
				if n := t.Lines[end+1]; n.Kind == Marker {
					break
				}
				end++
			}
			out = append(out, Problem{Kind: p.kind, Line: i, Excerpt: t.Render(start, end)})
			covered = end
			break
		}
	}
	return out
}

// lockdepLock is a lock as lockdep prints it: "ffff8880… (NAME){+.+.}-{3:3}, at: SITE".
var lockdepLock = regexp.MustCompile(`\(([^(){}]+)\)\{[^}]*\}-\{[^}]*\}, at: (.+?)(?: \[[\w-]+\])?\s*$`)

// LockdepSummary says in one line what a lockdep report is about: which lock the task tried to
// take where, and where it took the lock it already holds ("" when excerpt is no such report).
// Rust locks are named after the line that made them (new_mutex! at lock_twice.rs:46); the
// build folder in that name says nothing to the learner, so only the file name is kept.
func LockdepSummary(excerpt []string) string {
	var wanted, held []string
	next := ""
	for _, l := range excerpt {
		switch {
		case strings.Contains(l, "is trying to acquire lock:"):
			next = "wanted"
			continue
		case strings.Contains(l, "but task is already holding lock:"):
			next = "held"
			continue
		}
		if next == "" {
			continue
		}
		if m := lockdepLock.FindStringSubmatch(l); m != nil {
			name := m[1]
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				name = name[i+1:]
			}
			if next == "wanted" {
				wanted = []string{name, m[2]}
			} else {
				held = []string{name, m[2]}
			}
		}
		next = ""
	}
	switch {
	case wanted == nil:
		return ""
	case held == nil:
		return fmt.Sprintf("lock %s taken at %s", wanted[0], wanted[1])
	case held[0] == wanted[0]:
		return fmt.Sprintf("lock %s taken at %s while the task already held it (taken at %s)", wanted[0], wanted[1], held[1])
	}
	return fmt.Sprintf("lock %s taken at %s while the task held %s (taken at %s)", wanted[0], wanted[1], held[0], held[1])
}

// stripPrefix drops the indentation some lines carry (KUnit nests its output), so an indented
// report headline or end marker is still recognised.
func stripPrefix(s string) string { return strings.TrimLeft(s, " ") }

// taintFlags are the kernel's taint letters by bit (kernel/panic.c, taint_flags in 6.12).
var taintFlags = []struct {
	letter byte
	what   string
}{
	{'P', "proprietary module loaded"}, {'F', "module force-loaded"}, {'S', "CPU out of spec"},
	{'R', "module force-unloaded"}, {'M', "machine check"}, {'B', "bad page"},
	{'U', "taint requested by user space"}, {'D', "the kernel died (Oops or BUG)"},
	{'A', "ACPI table overridden"}, {'W', "a WARN fired"}, {'C', "staging driver loaded"},
	{'I', "firmware workaround"}, {'O', "out-of-tree module loaded"}, {'E', "unsigned module loaded"},
	{'L', "soft lockup"}, {'K', "live patched"}, {'X', "auxiliary taint"},
	{'T', "built with struct randomization"}, {'N', "a KUnit test ran"},
}

// TaintOutOfTree is the taint bit every out-of-tree module sets: expected, never a failure.
const TaintOutOfTree = 1 << 12

// TaintBit returns the bit of a taint letter such as "N".
func TaintBit(letter string) (int64, bool) {
	for i, f := range taintFlags {
		if string(f.letter) == letter {
			return 1 << i, true
		}
	}
	return 0, false
}

// DescribeTaint spells out taint bits: "D (the kernel died (Oops or BUG)), W (a WARN fired)".
func DescribeTaint(bits int64) string {
	var parts []string
	for i, f := range taintFlags {
		if bits&(1<<i) != 0 {
			parts = append(parts, string(f.letter)+" ("+f.what+")")
		}
	}
	if rest := bits &^ (1<<len(taintFlags) - 1); rest != 0 {
		parts = append(parts, "unknown bits")
	}
	return strings.Join(parts, ", ")
}

// helperErrno is rfl-insmod's report of finit_module's error.
var helperErrno = regexp.MustCompile(`^rfl-insmod: errno (\d+)$`)

// ioErrno is rfl-io's report of a failed read, write or ioctl.
var ioErrno = regexp.MustCompile(`^rfl-io: errno (\d+)$`)

// StepErrno returns the errno a step's rfl-io reported, 0 when it reported none.
func StepErrno(output []string) int {
	for _, l := range output {
		if m := ioErrno.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// insmodError finds the reason in busybox insmod's complaint, e.g.
// "insmod: can't insert '/rfl/mod/u0m0.ko': Invalid argument" → "Invalid argument".
var insmodError = regexp.MustCompile(`can't insert '[^']*': (.+)$`)

// LoadError explains a failed insmod from its output: the errno's name (e.g. "EINVAL") and the
// C library's text for it, when insmod said which error the kernel returned.
func LoadError(output []string) (errno, text string) {
	for _, l := range output {
		if m := helperErrno.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[1])
			if name := kernelErrnos[m[1]]; name != "" {
				return name, "a kernel-internal error code, " + m[1]
			}
			return unix.ErrnoName(unix.Errno(n)), capitalize(unix.Errno(n).Error())
		}
		if m := insmodError.FindStringSubmatch(l); m != nil {
			text = strings.TrimSpace(m[1])
			return errnoByText(text), text
		}
	}
	return "", ""
}

// errnoByText maps a strerror text back to the errno's name: init's error code reaches us only
// as the text insmod prints.
func errnoByText(text string) string {
	if m := unknownError.FindStringSubmatch(text); m != nil {
		return kernelErrnos[m[1]]
	}
	for e := unix.Errno(1); e < 256; e++ {
		name := unix.ErrnoName(e)
		if name == "" {
			continue
		}
		if strings.EqualFold(e.Error(), text) {
			return name
		}
	}
	return ""
}

var unknownError = regexp.MustCompile(`^Unknown error (\d+)$`)

// kernelErrnos are the kernel-internal codes (include/linux/errno.h) that user space has no
// name for: the C library prints them as "Unknown error 524".
var kernelErrnos = map[string]string{
	"512": "ERESTARTSYS", "513": "ERESTARTNOINTR", "514": "ERESTARTNOHAND", "515": "ENOIOCTLCMD",
	"518": "EOPENSTALE", "519": "ENOPARAM", "521": "EBADHANDLE", "522": "ENOTSYNC",
	"523": "EBADCOOKIE", "524": "ENOTSUPP", "525": "ETOOSMALL", "526": "ESERVERFAULT",
	"527": "EBADTYPE", "528": "EJUKEBOX", "529": "EIOCBQUEUED", "530": "ERECALLCONFLICT",
	"531": "ENOGRACE",
}
