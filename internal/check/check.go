// Package check judges an exercise: it builds the learner's module against the kernel tree and
// runs the exercise's stages in order (build, warnings, modinfo, style, boot: the module loaded
// in the tree's kernel under QEMU), each reporting pass, fail or skip and why. It is plain Go
// with no UI: `rfl-tutor check` prints its verdict and the TUI shows the same verdict, fed by
// the same events.
package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
	"github.com/rfl-tutor/rfl-tutor/internal/boot"
	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/lock"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
)

// Status is the outcome of one stage.
type Status string

const (
	Pass Status = "pass"
	Fail Status = "fail"
	Skip Status = "skip" // not run because an earlier stage it depends on failed
)

// StageResult is one stage's outcome.
type StageResult struct {
	Stage       course.Stage      `json:"stage"`
	Status      Status            `json:"status"`
	Reason      string            `json:"reason,omitempty"`
	Diagnostics []diag.Diagnostic `json:"diagnostics,omitempty"`
	// Log is the evidence of a boot stage: the guest's console from loading the module to
	// unloading it, or the kernel's report (an Oops excerpt), or the last lines before a timeout.
	Log []string `json:"log,omitempty"`
	// Duration is how long the stage's own work took (the build, the boot), when it had any.
	Duration time.Duration `json:"duration_ns,omitempty"`
}

// Verdict is the whole judgement of one attempt.
type Verdict struct {
	ExerciseID string        `json:"exercise"`
	Passed     bool          `json:"passed"`
	Stages     []StageResult `json:"stages"`
	// Diagnostics is everything the build and the style rules reported, in order.
	Diagnostics []diag.Diagnostic `json:"diagnostics,omitempty"`
	// Dir is the folder that was judged (the learner's workspace, or the snippet for --solution).
	Dir      string        `json:"dir"`
	Ko       string        `json:"ko,omitempty"`
	Command  string        `json:"command,omitempty"`
	ExitCode int           `json:"exit_code"`
	Duration time.Duration `json:"duration_ns"`
	// Cached is true when the files and tree were unchanged since the last check, so the
	// previous verdict was returned without building.
	Cached bool `json:"cached,omitempty"`
	// Output is the build output as printed (bounded), for a non-interactive reader.
	Output string `json:"-"`
}

// Stage returns the result of stage s, if it ran.
func (v *Verdict) Stage(s course.Stage) *StageResult {
	for i := range v.Stages {
		if v.Stages[i].Stage == s {
			return &v.Stages[i]
		}
	}
	return nil
}

// FirstFailure returns the first failing stage, or nil when the verdict passed.
func (v *Verdict) FirstFailure() *StageResult {
	for i := range v.Stages {
		if v.Stages[i].Status == Fail {
			return &v.Stages[i]
		}
	}
	return nil
}

// PassedText says how many stages passed, naming the skipped ones so a pass never hides a
// stage that did not run: "all 5 stages passed", "4 of 5 stages passed, boot skipped".
func (v *Verdict) PassedText() string {
	var skipped []string
	for _, s := range v.Stages {
		if s.Status == Skip {
			skipped = append(skipped, string(s.Stage))
		}
	}
	if len(skipped) == 0 {
		return fmt.Sprintf("all %d stages passed", len(v.Stages))
	}
	return fmt.Sprintf("%d of %d stages passed, %s skipped", len(v.Stages)-len(skipped), len(v.Stages), strings.Join(skipped, ", "))
}

// Summary is the verdict in one line, as progress stores it with each attempt: "passed", or
// the first failing stage and why.
func (v *Verdict) Summary() string {
	if v.Passed {
		if b := v.Stage(course.StageBoot); b != nil && b.Status == Skip {
			return "passed (boot stage skipped: " + b.Reason + ")"
		}
		return "passed"
	}
	if f := v.FirstFailure(); f != nil {
		return fmt.Sprintf("%s: %s", f.Stage, f.Reason)
	}
	return "failed"
}

// Event is something the checker reports while it works.
type Event interface{ isEvent() }

// StageStarted says a stage began.
type StageStarted struct{ Stage course.Stage }

// StageDone carries a stage's result as soon as it is known.
type StageDone struct{ Result StageResult }

// Output is a chunk of output as it arrived: the build's pty (colours included), then the
// guest's serial console during the boot stage.
type Output struct {
	Data   []byte
	Source string // SourceBuild or SourceBoot
}

// Where output comes from.
const (
	SourceBuild = "build"
	SourceBoot  = "boot"
)

// Waiting says the check waits for its build folder, which another check of the same
// exercise holds (the TUI and a command-line check, a second terminal). Holder says who and
// since when: "pid 1234 (rfl-tutor check hello-module, folder /ws/hello-module) since 12:03:10".
type Waiting struct{ Holder string }

// holderLabel is how a check that waits for this one names it.
func holderLabel(ex *course.Exercise, variant, dir string) string {
	if variant == "learner" {
		return fmt.Sprintf("rfl-tutor check %s, folder %s", ex.ID, dir)
	}
	return fmt.Sprintf("rfl-tutor check %s (%s)", ex.ID, variant)
}

func (StageStarted) isEvent() {}
func (StageDone) isEvent()    {}
func (Output) isEvent()       {}
func (Waiting) isEvent()      {}

// Options tune one check.
type Options struct {
	// OnEvent, when set, is called from the checking goroutine and the output reader; it must
	// not block for long.
	OnEvent func(Event)
	// Cols and Rows size the build's pseudo-terminal (the pane the output is shown in).
	Cols, Rows uint16
	// Timeout bounds the build (default 5 minutes).
	Timeout time.Duration
	// NoCache forces a build even when nothing changed since the last check.
	NoCache bool
	// NoColor asks the compiler for plain output.
	NoColor bool
	// BootTimeout bounds the boot stage's QEMU run (default DefaultBootTimeout).
	BootTimeout time.Duration
	// NoBoot skips the boot stage (reported as skipped, with the reason).
	NoBoot bool
}

// Checker judges exercises of one course against one kernel tree.
type Checker struct {
	tree   *kernel.Tree
	course *course.Course
	// ScratchRoot holds one build folder per exercise, reused so Kbuild rebuilds incrementally.
	ScratchRoot string

	bootOnce sync.Once
	boot     *boot.Env
	bootImg  string
	bootErr  error
}

// New returns a checker; scratchRoot is where build folders live (e.g. the XDG cache dir).
func New(tree *kernel.Tree, c *course.Course, scratchRoot string) *Checker {
	return &Checker{tree: tree, course: c, ScratchRoot: scratchRoot}
}

// Tree is the kernel tree this checker builds against.
func (c *Checker) Tree() *kernel.Tree { return c.tree }

// ErrUnavailable means the exercise cannot be built on this tree (version range or config).
var ErrUnavailable = errors.New("exercise unavailable on this kernel tree")

// ErrEnvironment means the tree or the toolchain cannot build any module (a half-copied tree,
// missing Rust metadata, no rustc that fits): no verdict on the learner's code, and no attempt.
var ErrEnvironment = errors.New("the kernel tree cannot build modules")

// environmentFault is the diagnostic of a failed build that says the tree, not the module, is
// broken: the kernel crate missing (E0463) or built by another rustc (E0514), "" when none.
func environmentFault(diags []diag.Diagnostic) string {
	for _, d := range diags {
		if d.Code == "E0514" || d.Code == "E0463" && (strings.Contains(d.Message, "`kernel`") || strings.Contains(d.Message, "`core`")) {
			return d.String()
		}
	}
	return ""
}

// Check judges the learner's files in dir.
func (c *Checker) Check(ctx context.Context, ex *course.Exercise, dir string, opts Options) (*Verdict, error) {
	files, err := readFolder(dir)
	if err != nil {
		return nil, err
	}
	return c.CheckFiles(ctx, ex, files, dir, learnerVariant(dir), opts)
}

// learnerVariant names the build folder of the learner's copy in dir. Each workspace (another
// learner on the machine, a second checkout) has its own, so their checks never wait on each
// other; the same folder checked from the CLI and the TUI shares one, and its cached verdict.
func learnerVariant(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(dir)))
	return "learner-" + hex.EncodeToString(sum[:6])
}

// CheckSolution judges the exercise's reference solution from the snippet library.
func (c *Checker) CheckSolution(ctx context.Context, ex *course.Exercise, opts Options) (*Verdict, error) {
	return c.checkShipped(ctx, ex, course.VariantSrc, "solution", opts)
}

// CheckStarter judges the exercise's starter as shipped (it is expected to fail).
func (c *Checker) CheckStarter(ctx context.Context, ex *course.Exercise, opts Options) (*Verdict, error) {
	return c.checkShipped(ctx, ex, course.VariantStarter, "starter", opts)
}

// checkShipped judges files the course ships for ex (its tree's variant), in their own build
// folder (label).
func (c *Checker) checkShipped(ctx context.Context, ex *course.Exercise, v course.Variant, label string, opts Options) (*Verdict, error) {
	ex = c.resolve(ex)
	files, err := c.course.Files(ex.Snippet, v)
	if err != nil {
		return nil, err
	}
	return c.CheckFiles(ctx, ex, files, ex.Snippet.Dir, label, opts)
}

// resolve gives the exercise as the checker's tree sees it (its kernel variant of the code).
func (c *Checker) resolve(ex *course.Exercise) *course.Exercise {
	if c.tree == nil {
		return ex
	}
	return ex.For(c.tree.Version)
}

// CheckFiles judges files (name → content) for exercise ex. dir is where the files came from
// (diagnostics are mapped back to it); variant keeps the learner's, solution's and starter's
// build folders apart.
func (c *Checker) CheckFiles(ctx context.Context, ex *course.Exercise, files map[string][]byte, dir, variant string, opts Options) (*Verdict, error) {
	ex = c.resolve(ex)
	if reason := kernel.Unavailable(c.tree, ex.Snippet); reason != "" {
		return nil, fmt.Errorf("%w: %s", ErrUnavailable, reason)
	}
	if err := c.tree.ModulesReady(); err != nil {
		return nil, fmt.Errorf("%w: %v; `rfl-tutor doctor` says how to fix it", ErrEnvironment, err)
	}
	emit := opts.OnEvent
	if emit == nil {
		emit = func(Event) {}
	}
	stages := ex.Stages
	if len(stages) == 0 {
		stages = course.DefaultStages
	}
	start := time.Now()

	scratch := filepath.Join(c.ScratchRoot, safeName(c.course.ID), safeName(ex.ID)+"-"+variant)
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, fmt.Errorf("build folder: %w", err)
	}
	// Two checks of one exercise at once (the TUI and a CLI call) would share a build folder.
	unlock, err := lockDir(ctx, scratch, holderLabel(ex, variant, dir), emit)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// A check killed during its boot could not remove its initrd.
	if err := boot.RemoveLeftInitrds(ctx, scratch); err != nil {
		return nil, err
	}

	key := c.inputKey(ex, files, stages, opts)
	if !opts.NoCache {
		if v := loadCached(scratch, key); v != nil {
			v.Cached, v.Dir = true, dir
			for _, s := range v.Stages {
				emit(StageStarted{Stage: s.Stage})
				emit(StageDone{Result: s})
			}
			return v, nil
		}
	}

	v := &Verdict{ExerciseID: ex.ID, Dir: dir}

	// The build runs whenever a stage needs its products; the style rules only need the sources.
	b := Built{}
	if slices.Contains(stages, course.StageBuild) || slices.Contains(stages, course.StageWarnings) ||
		slices.Contains(stages, course.StageModinfo) {
		if slices.Contains(stages, course.StageBuild) {
			emit(StageStarted{Stage: course.StageBuild})
		}
		// Kbuild skips a Rust object whose source did not change, and with it the warnings rustc
		// printed last time: drop the Rust objects so every check reports every diagnostic.
		forgetRustObjects(filepath.Join(scratch, "build"), files)
		buildStart := time.Now()
		res, err := build.Run(ctx, build.Request{
			KDir:       c.tree.Dir,
			MakeArgs:   c.tree.MakeArgs(),
			Files:      files,
			Trusted:    c.course.Trusted,
			ScratchDir: filepath.Join(scratch, "build"),
			Timeout:    timeoutOr(opts.Timeout),
			Cols:       opts.Cols,
			Rows:       opts.Rows,
			NoColor:    opts.NoColor,
			Output:     func(b []byte) { emit(Output{Data: b, Source: SourceBuild}) },
		})
		if err != nil {
			return nil, err
		}
		if res.Canceled {
			return nil, ctx.Err()
		}
		v.Command, v.ExitCode, v.Output = res.Command, res.ExitCode, string(res.Output)
		b.Diagnostics = diag.Parse(res.Output, diag.Options{PathMap: map[string]string{res.ScratchDir: dir}})
		if fault := environmentFault(b.Diagnostics); res.ExitCode != 0 && fault != "" {
			return nil, fmt.Errorf("%w: %s; `rfl-tutor doctor` says how to fix it", ErrEnvironment, fault)
		}
		b.ExitCode, b.TimedOut, b.Omitted = res.ExitCode, res.TimedOut, res.Omitted
		b.duration = time.Since(buildStart)
		if res.ExitCode == 0 && len(res.Kos) > 0 {
			b.Ko = res.Kos[0]
			if b.Modinfo, err = readModinfo(b.Ko); err != nil {
				b.ModinfoErr = err.Error()
			}
		}
	}
	v.Ko = b.Ko
	var booted *BootRun
	runBoot := func() *BootRun {
		booted = c.runBoot(ctx, ex, b, scratch, opts, emit)
		return booted
	}
	judged := judge(ex, files, dir, b, emit, runBoot)
	if booted != nil && booted.Result != nil && booted.Result.Canceled {
		return nil, ctx.Err()
	}
	v.Stages, v.Passed = judged.Stages, judged.Passed
	v.Diagnostics = judged.Diagnostics
	v.Duration = time.Since(start)
	// A boot that timed out or could not start may go otherwise on a quieter machine: judge
	// the same files again next time instead of remembering it.
	if booted == nil || (booted.Err == nil && (booted.Result == nil || !booted.Result.TimedOut)) {
		storeCached(scratch, key, v)
	}
	return v, nil
}

func buildStage(res *build.Result, diags []diag.Diagnostic) StageResult {
	r := StageResult{Stage: course.StageBuild}
	for _, d := range diags {
		if d.Severity == diag.SeverityError {
			r.Diagnostics = append(r.Diagnostics, d)
		}
	}
	switch {
	case res.TimedOut:
		r.Status, r.Reason = Fail, "the build did not finish in time (timed out)"
	case res.ExitCode != 0:
		r.Status = Fail
		if len(r.Diagnostics) > 0 {
			r.Reason = describe(r.Diagnostics[0])
			if n := len(r.Diagnostics); n > 1 {
				r.Reason += fmt.Sprintf(" (and %d more error(s))", n-1)
			}
		} else {
			r.Reason = fmt.Sprintf("make exited with status %d", res.ExitCode)
		}
	case len(res.Kos) == 0:
		r.Status, r.Reason = Fail, "make succeeded but produced no .ko: does Kbuild list the module with obj-m?"
	default:
		r.Status, r.Reason = Pass, "built "+filepath.Base(res.Kos[0])
	}
	if res.Omitted > 0 {
		// The diagnostics come from the kept head and tail; say that the middle is missing.
		r.Reason += fmt.Sprintf("; %d KiB of build output were left out from the middle (the first and the last messages are kept)", (res.Omitted+1023)>>10)
	}
	return r
}

func warningsStage(built bool, diags []diag.Diagnostic, allow bool) StageResult {
	r := StageResult{Stage: course.StageWarnings}
	if !built {
		r.Status, r.Reason = Skip, "needs a successful build"
		return r
	}
	for _, d := range diags {
		if d.Severity == diag.SeverityWarning {
			r.Diagnostics = append(r.Diagnostics, d)
		}
	}
	switch {
	case len(r.Diagnostics) == 0:
		r.Status, r.Reason = Pass, "no warnings"
	case allow:
		r.Status, r.Reason = Pass, fmt.Sprintf("%d warning(s), allowed by this exercise", len(r.Diagnostics))
	default:
		r.Status, r.Reason = Fail, describe(r.Diagnostics[0])
		if n := len(r.Diagnostics); n > 1 {
			r.Reason += fmt.Sprintf(" (and %d more warning(s))", n-1)
		}
	}
	return r
}

func styleStage(files map[string][]byte, dir string, forbid []course.SourceRule) StageResult {
	r := StageResult{Stage: course.StageStyle}
	r.Diagnostics = append(styleProblems(files), forbidden(files, forbid)...)
	for i := range r.Diagnostics {
		r.Diagnostics[i].File = filepath.Join(dir, r.Diagnostics[i].File)
	}
	if len(r.Diagnostics) == 0 {
		r.Status, r.Reason = Pass, "SPDX headers and SAFETY comments in place"
		if len(forbid) > 0 {
			r.Reason += ", and nothing the exercise rules out"
		}
		return r
	}
	r.Status, r.Reason = Fail, describe(r.Diagnostics[0])
	if n := len(r.Diagnostics); n > 1 {
		r.Reason += fmt.Sprintf(" (and %d more)", n-1)
	}
	return r
}

// describe is a diagnostic in one line: "hello.rs:10:5: error[E0308]: mismatched types".
func describe(d diag.Diagnostic) string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(filepath.Base(d.File))
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Column > 0 {
				fmt.Fprintf(&b, ":%d", d.Column)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(string(d.Severity))
	if d.Code != "" && !strings.HasPrefix(d.Code, "style::") {
		fmt.Fprintf(&b, "[%s]", d.Code)
	}
	b.WriteString(": ")
	b.WriteString(d.Message)
	return b.String()
}

// readFolder reads the learner's module folder (workspace.ReadFiles: the files Kbuild builds
// from, never editor leftovers or build products).
func readFolder(dir string) (map[string][]byte, error) {
	files, err := workspace.ReadFiles(dir)
	if err != nil {
		return nil, err
	}
	if _, ok := files["Kbuild"]; !ok {
		if _, ok := files["Makefile"]; !ok {
			return nil, fmt.Errorf("%s has no Kbuild file: reset the exercise to get one", dir)
		}
	}
	return files, nil
}

func forgetRustObjects(buildDir string, files map[string][]byte) {
	for name := range files {
		if strings.HasSuffix(name, ".rs") {
			_ = os.Remove(filepath.Join(buildDir, strings.TrimSuffix(name, ".rs")+".o"))
		}
	}
}

func timeoutOr(d time.Duration) time.Duration {
	if d <= 0 {
		return 5 * time.Minute
	}
	return d
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, s)
}

// inputKey identifies everything a verdict depends on: the files, the tree and its toolchain,
// the stages and what they require. Its leading version changes whenever the stages or the
// diagnostics parser would say something else about the same files, so stored verdicts go stale.
func (c *Checker) inputKey(ex *course.Exercise, files map[string][]byte, stages []course.Stage, opts Options) string {
	t := c.tree
	h := sha256.New()
	fmt.Fprintf(h, "v6\x00%s\x00%s\x00%s\x00%v\x00%v\x00%v\x00%#v\n", t.Dir, t.Release, t.RustcVersionText,
		t.MakeArgs(), stages, ex.AllowWarnings, ex.Success)
	if slices.Contains(stages, course.StageRustfmt) {
		bin, _ := exec.LookPath("rustfmt") // installing rustfmt later turns a skip into a verdict
		fmt.Fprintf(h, "rustfmt\x00%s\x00", bin)
	}
	for _, rule := range ex.Forbid {
		fmt.Fprintf(h, "forbid\x00%s\x00%s\x00", rule.Pattern, rule.Why)
	}
	switch {
	case !slices.Contains(stages, course.StageBoot):
	case opts.NoBoot:
		// Skipped on request: nothing of the boot environment matters (and it is not built).
		fmt.Fprintf(h, "no boot\x00")
	default:
		// What the boot stage depends on: whether it can run, and the image and initramfs it
		// boots. Not its time limit: a boot that ran out of time is never stored, and any
		// other verdict is what a longer limit would give too, so the CLI's 30 s and the TUI's
		// default share their verdicts.
		env, img, err := c.bootEnv()
		fmt.Fprintf(h, "boot\x00%v\x00%s\x00", err, img)
		if env != nil {
			fmt.Fprintf(h, "%s\x00%s\x00", env.QEMU, env.Firmware)
			if st, err := os.Stat(env.Kernel); err == nil {
				fmt.Fprintf(h, "%d\x00%d\x00", st.ModTime().UnixNano(), st.Size())
			}
		}
	}
	if st, err := os.Stat(filepath.Join(t.Dir, "Module.symvers")); err == nil {
		fmt.Fprintf(h, "%d\x00", st.ModTime().UnixNano()) // a rebuilt tree invalidates verdicts
	}
	HashFiles(h, files)
	return hex.EncodeToString(h.Sum(nil))
}

// HashFiles writes a module folder's files (name → content) to h in a fixed order, each framed
// by its name and length, so that two folders hash alike only when their files are the same.
func HashFiles(h io.Writer, files map[string][]byte) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		_, _ = h.Write(files[n])
	}
}

type cachedVerdict struct {
	Key     string   `json:"key"`
	Verdict *Verdict `json:"verdict"`
}

func loadCached(scratch, key string) *Verdict {
	var c cachedVerdict
	if found, err := atomicfile.ReadJSON(filepath.Join(scratch, "verdict.json"), &c); !found || err != nil ||
		c.Key != key || c.Verdict == nil {
		return nil // a missing or damaged entry is a miss
	}
	if c.Verdict.Ko != "" {
		if _, err := os.Stat(c.Verdict.Ko); err != nil {
			return nil
		}
	}
	return c.Verdict
}

func storeCached(scratch, key string, v *Verdict) {
	b, err := json.Marshal(cachedVerdict{Key: key, Verdict: v})
	if err != nil {
		return
	}
	// A verdict that cannot be stored is only a cache miss next time.
	_ = atomicfile.Write(filepath.Join(scratch, "verdict.json"), b, 0o644)
}

// lockDir takes an exclusive lock on dir, waiting while another check of the same exercise runs;
// label says who this check is to one that waits for it, and emit tells the caller who it waits for.
func lockDir(ctx context.Context, dir, label string, emit func(Event)) (func(), error) {
	l, err := lock.Acquire(ctx, filepath.Join(dir, ".lock"), lock.Options{
		Label:   label,
		Waiting: func(h lock.Holder) { emit(Waiting{Holder: h.String()}) },
	})
	var held *lock.HeldError
	switch {
	case errors.As(err, &held):
		return nil, fmt.Errorf("waiting for the build folder, held by %s: %w", held.Holder, ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("lock build folder: %w", err)
	}
	return l.Release, nil
}
