// Package course is the course model: lessons, exercises, knowledge checks and the snippet
// library, loaded from any fs.FS (the embedded course or an instructor's pack directory) and
// validated with errors that name file and line.
package course

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Course is a loaded, validated course: lessons in order and the snippet library they use.
type Course struct {
	// ID names the course; progress and workspaces are kept per course id.
	ID    string
	Title string
	// Reveal says when a solution may be shown (RevealAfterPass unless the course says otherwise).
	Reveal RevealPolicy
	// KernelConfig is the base kernel configuration the course needs (symbols without the
	// CONFIG_ prefix, e.g. "RUST" or "PHYLIB=y"); snippets add their own on top.
	KernelConfig []ConfigOption
	Lessons      []*Lesson
	Snippets     map[string]*Snippet
	// Root is the file system the course was loaded from (lessons/ and snippets/ below it).
	Root fs.FS
	// Trusted says the course's build code (its Kbuild files) may run outside a sandbox where
	// no sandbox works: the built-in course, or a pack the user said they trust. Load leaves it
	// false; the caller decides.
	Trusted bool

	lessonByID   map[string]*Lesson
	exerciseByID map[string]*Exercise
	// blocked holds paths whose symlinks lead outside the course, while it loads: includes of
	// them are skipped quietly because the link itself was already reported.
	blocked map[string]bool
}

// RevealPolicy says when a learner may see an exercise's solution.
type RevealPolicy string

const (
	RevealAfterPass RevealPolicy = "after-pass"
	RevealAlways    RevealPolicy = "always"
	RevealNever     RevealPolicy = "never"
)

// Lesson is one markdown file with front matter.
type Lesson struct {
	ID      string
	Title   string
	Summary string
	Order   int
	// Kernel is the kernel version range the lesson applies to; nil means any.
	Kernel    *semver.Constraints
	KernelRaw string
	Exercises []*Exercise
	Quiz      []*Question
	// Path is the lesson's file, relative to the course root (e.g. "lessons/05-first-module.md").
	Path string
	// Body is the markdown after the front matter, with snippet includes not yet resolved.
	Body string
	// BodyLine is the line of Path on which Body starts, for error messages.
	BodyLine int

	idLine int
}

// Stage names one step of judging an exercise.
type Stage string

const (
	StageBuild    Stage = "build"    // make exits 0 and produces a .ko
	StageWarnings Stage = "warnings" // no rustc warnings unless the exercise allows them
	StageModinfo  Stage = "modinfo"  // .modinfo: license GPL, name, author/description when asked
	StageStyle    Stage = "style"    // SPDX header, a // SAFETY: comment before each unsafe block
	StageBoot     Stage = "boot"     // load the module in a booted kernel (QEMU), run steps, unload, judge the log
	// StageRustfmt is optional (never a default): the .rs files are formatted as rustfmt formats
	// them with the kernel's settings (edition 2021, Unix newlines: the tree's .rustfmt.toml).
	StageRustfmt Stage = "rustfmt"
)

// DefaultStages is what judges an exercise that names none.
var DefaultStages = []Stage{StageBuild, StageWarnings, StageModinfo, StageStyle, StageBoot}

var allStages = []Stage{StageBuild, StageWarnings, StageModinfo, StageStyle, StageRustfmt, StageBoot}

func parseStage(s string) (Stage, bool) {
	for _, st := range allStages {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

func stageList(stages []Stage) string {
	names := make([]string, len(stages))
	for i, st := range stages {
		names[i] = string(st)
	}
	return strings.Join(names, ", ")
}

// Exercise is a task inside a lesson, judged by building its snippet's learner copy.
type Exercise struct {
	ID      string
	Title   string
	Task    string // what to do, in markdown
	Snippet *Snippet
	// SnippetID is the snippet's id as written in the front matter.
	SnippetID string
	Stages    []Stage
	Hints     []string
	// Success says what passing looks like beyond the stages.
	Success Success
	// AllowWarnings lets the warnings stage pass despite rustc warnings.
	AllowWarnings bool
	// Forbid are source rules the style stage applies to the learner's .rs files, for what the
	// exercise rules out and no run can observe (silencing a lint with #[allow]).
	Forbid []SourceRule
	Lesson *Lesson
	// Line is where the exercise starts in its lesson file.
	Line int

	idLine, snippetLine int
}

// SourceRule is a pattern the learner's code must not contain, with the reason shown when it
// does.
type SourceRule struct {
	Pattern *regexp.Regexp
	Why     string
}

// Success is what passing looks like.
type Success struct {
	// Log are texts the module must print while it is loaded (init and the steps), each found
	// inside one kernel log line; UnloadLog the same while it is unloaded (its Drop).
	Log, UnloadLog []string
	// Ordered says Log (and UnloadLog) must appear in the order given.
	Ordered bool
	// Steps run in the booted guest between loading and unloading the module.
	Steps []Step
	// AllowTaint lists taint letters the module may set besides O (out-of-tree), e.g. "N" for
	// a module that runs KUnit tests.
	AllowTaint []string
	// Modinfo keys that must be present (besides license and name, always required).
	Modinfo []string
	// Params are the module parameters the boot stage loads the module with ("count=3").
	Params string
	// Devices are emulated devices the guest gets (names from guestspec.Devices), for a driver that
	// binds to one.
	Devices []string
}

// Step is an action in the booted guest, between loading and unloading the module.
type Step struct {
	// Read is a file to print (e.g. /sys/module/NAME/initstate); Write a file to write Value
	// to; Ioctl a file to call ioctl(2) on with Cmd and Arg; Session a file that one program
	// opens several times, running Ops. Exactly one is set.
	Read, Write, Ioctl, Session string
	// Ops are a session's calls, in order.
	Ops   []SessionOp
	Value string
	// Count, for a read, asks for one read(2) of that many bytes (a short read); 0 reads to
	// the end of the file.
	Count int
	// Cmd is the ioctl request number; Arg its argument: "" none, a number, or "@N" for a
	// pointer to an int holding N (the guest prints its value after the call).
	Cmd uint32
	Arg string
	// Expect is a text the step's output must contain (a read: the file; an ioctl: "returned
	// R" or "returned R, value V"); Equals the whole output, line ends at its end aside. A device
	// that appends where it should replace passes a contains-check but not Equals.
	Expect string
	Equals *string
	// Errno, when set (e.g. "EINVAL"), says the step must fail with that error: the driver's
	// refusal is the behaviour checked.
	Errno string
	Line  int
}

func (st Step) opens() int {
	n := 0
	for _, op := range st.Ops {
		if op.Op == "open" {
			n++
		}
	}
	return n
}

// SessionOp is one call in a session step, on the open file named File (a letter): Op is
// "open", "close", "write" (Value), "read" (Count bytes, once) or "ioctl" (Cmd, Arg).
type SessionOp struct {
	Op, File string
	Value    string
	Count    int
	Cmd      uint32
	Arg      string
}

// markdown says what the step does and expects, for ExpectationsMarkdown.
func (st Step) markdown() string {
	var what string
	switch {
	case st.Read != "" && st.Count > 0:
		what = fmt.Sprintf("one read of %d bytes from `%s`", st.Count, st.Read)
	case st.Read != "":
		what = fmt.Sprintf("reading `%s`", st.Read)
	case st.Ioctl != "" && st.Arg != "":
		what = fmt.Sprintf("the ioctl `%#x` on `%s` with argument `%s`", st.Cmd, st.Ioctl, st.Arg)
	case st.Ioctl != "":
		what = fmt.Sprintf("the ioctl `%#x` on `%s`", st.Cmd, st.Ioctl)
	case st.Session != "":
		what = fmt.Sprintf("a program that opens `%s` %d time(s) and makes %d call(s)", st.Session, st.opens(), len(st.Ops))
	default:
		what = fmt.Sprintf("writing `%s` to `%s`", st.Value, st.Write)
	}
	switch {
	case st.Errno != "":
		return what + " fails with `" + st.Errno + "`"
	case st.Equals != nil && *st.Equals == "":
		return what + " gives nothing"
	case st.Equals != nil:
		return what + " gives exactly `" + *st.Equals + "`"
	case st.Expect != "" && st.Ioctl != "":
		return what + " prints `" + st.Expect + "`"
	case st.Expect != "":
		return what + " gives a line containing `" + st.Expect + "`"
	}
	return what + " succeeds"
}

// Question is a knowledge check: one right choice among several, with an explanation.
type Question struct {
	ID       string
	Question string
	Choices  []string
	// Answer is the index of the right choice in Choices (0-based; the file says 1-based).
	Answer  int
	Explain string
	Line    int
}

// Outcome is what a snippet's reference code must do when built.
type Outcome string

const (
	OutcomeBuilds Outcome = "builds"
	OutcomeFails  Outcome = "fails"
)

// Snippet is one folder of the snippet library.
type Snippet struct {
	ID    string
	Title string
	// Dir is the snippet's folder relative to the course root (e.g. "snippets/hello_module").
	Dir string
	// Kernel is the version range the snippet builds on; nil means any.
	Kernel    *semver.Constraints
	KernelRaw string
	// KernelNote says why kernels outside Kernel are left out (an API missing there); shown
	// with the skip.
	KernelNote string
	// Config lists kernel options the snippet needs (without CONFIG_; "NAME" means y or m).
	Config []ConfigOption
	// Expect is what building the reference code (src/) must give.
	Expect Outcome
	// ExpectError is the rustc error code (e.g. "E0382") when Expect is OutcomeFails.
	ExpectError string
	// Starter says how the learner's starter must fail, for snippets used by exercises.
	Starter *StarterExpect
	// Shortcuts are wrong solutions the exercise must refuse, each for a stated reason.
	Shortcuts []*Shortcut
	// Src maps each file name of the reference build (Kbuild, *.rs) to its path relative to the
	// course root: shared top-level files, overridden by src/.
	Src map[string]string
	// StarterFiles maps each file name of the learner's copy to its path relative to the course
	// root: shared top-level files, overridden by starter/. Empty when the snippet has no starter.
	StarterFiles map[string]string
	// Variants, when the code differs between kernels, lists the code for each kernel range
	// (see KernelVariant); empty when one code fits the whole range. Src, StarterFiles, Kernel
	// and Starter above are the base variant's until For picks one.
	Variants []*KernelVariant
	// Variant is the variant For picked; nil on the snippet as loaded.
	Variant *KernelVariant

	// files holds every path of the snippet (relative to the course root), so includes can only
	// name files that were listed, and so checked for symlinks leading outside.
	files map[string]bool
	// broken is set when snippet.yaml is missing or unreadable: exercises using the snippet
	// then skip checks that would only repeat that problem.
	broken      bool
	starterLine int
	configLines []int
}

// KernelVariant is a snippet's code for one kernel range. The base variant (no Folder) is the
// snippet's own src/, starter/ and shared files; another variant's Folder holds files laid over
// them by path (Folder/src/x.rs replaces src/x.rs, Folder/Kbuild replaces Kbuild).
type KernelVariant struct {
	Kernel    *semver.Constraints
	KernelRaw string
	Folder    string
	// Note says what this kernel's code does differently; lessons show it beside the code of
	// the other variants, so a learner on one kernel knows what changes on the other.
	Note string
	// StarterError, when set, is the rustc error this variant's starter reports instead of the
	// snippet's starter.error (a macro may report the same mistake differently between kernels).
	StarterError      string
	Src, StarterFiles map[string]string
	line              int
}

// Name identifies the variant in messages and workspace folders: its folder, or "base".
func (v *KernelVariant) Name() string {
	if v.Folder == "" {
		return "base"
	}
	return v.Folder
}

// StarterExpect says how an exercise's starter must fail as shipped.
type StarterExpect struct {
	Stage Stage
	// Error is the rustc error code the build stage must report (empty for non-build stages).
	Error string
}

// Shortcut is a wrong solution an exercise must refuse: the reference solution with the edits
// a learner might make to pass without doing the work (hiding an error with `let _ =`, printing
// the expected line instead of computing it), the stage that must fail, and what that stage
// must say. The authoring check (`course check --boot`) judges each one on every tree, so an
// exercise whose rules cannot be gamed stays that way.
type Shortcut struct {
	Name  string
	Edits []Edit
	// Stage is the first stage that must fail.
	Stage Stage
	// Because is a text the failing stage must report: in its reason, a diagnostic's message
	// or code, or a line of its log.
	Because string
	line    int
}

// Line is where the shortcut is declared in its snippet.yaml.
func (sc *Shortcut) Line() int { return sc.line }

// Edit replaces the one occurrence of Replace in File (a file of the solution's build folder)
// by With. Edits are text, not whole files, so one shortcut fits every kernel variant.
type Edit struct {
	File, Replace, With string
	line                int
}

// ConfigOption is one kernel configuration requirement.
type ConfigOption struct {
	Name  string // without the CONFIG_ prefix
	Value string // "y", "m", or "" for "y or m"
}

// String gives the option as course files write it: "NAME" or "NAME=y".
func (o ConfigOption) String() string {
	if o.Value == "" {
		return o.Name
	}
	return o.Name + "=" + o.Value
}

// Variant selects which build folder of a snippet Files returns.
type Variant int

const (
	// VariantSrc is the reference code: an exercise's solution, or what a lesson shows.
	VariantSrc Variant = iota
	// VariantStarter is what the learner receives.
	VariantStarter
)

func (v Variant) String() string {
	if v == VariantStarter {
		return "starter"
	}
	return "src"
}

// ExpectationsMarkdown spells out for the learner what the checks require beyond compiling: the
// .modinfo keys, and for the boot stage the steps and the lines the module must print. It is
// empty when the exercise asks for nothing beyond its stages.
func (ex *Exercise) ExpectationsMarkdown() string {
	var items []string
	s := ex.Success
	if len(s.Modinfo) > 0 {
		items = append(items, "its `.modinfo` has "+codeList(s.Modinfo))
	}
	boots := false
	for _, st := range ex.Stages {
		boots = boots || st == StageBoot
	}
	if boots {
		if s.Params != "" {
			items = append(items, fmt.Sprintf("it is loaded with the parameters `%s`", s.Params))
		}
		if len(s.Devices) > 0 {
			items = append(items, "the booted machine has the emulated device(s) "+codeList(s.Devices))
		}
		if len(s.Log) > 0 {
			items = append(items, "once loaded, it prints "+codeList(s.Log)+orderNote(s.Ordered, len(s.Log)))
		}
		for _, st := range s.Steps {
			items = append(items, st.markdown())
		}
		if len(s.UnloadLog) > 0 {
			items = append(items, "when unloaded (its `Drop`), it prints "+codeList(s.UnloadLog)+orderNote(s.Ordered, len(s.UnloadLog)))
		}
		items = append(items, "it loads and unloads in a booted kernel without an Oops, warning or panic")
	}
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("**The check also expects that**\n\n")
	for _, it := range items {
		b.WriteString("- " + it + ";\n")
	}
	out := strings.TrimSuffix(b.String(), ";\n") + ".\n"
	return out
}

func codeList(items []string) string {
	quoted := make([]string, len(items))
	for i, it := range items {
		quoted[i] = "`" + strings.ReplaceAll(it, "`", "'") + "`"
	}
	return strings.Join(quoted, ", ")
}

func orderNote(ordered bool, n int) string {
	if ordered && n > 1 {
		return ", in this order"
	}
	return ""
}
