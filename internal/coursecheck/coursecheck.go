// Package coursecheck is the authoring check of a course (the embedded one or an instructor's
// pack): on every kernel tree given, each exercise's starter fails the way its snippet.yaml
// says and its solution passes every stage; no snippet is orphaned; ids stay stable against
// the pack's lessons/ids.lock. What loading already guarantees (ids unique and lowercase,
// two hints or more, kernel code in lessons only included from the library) is reported by
// course.Load, before this runs. The builds go through internal/library: one Kbuild run per
// tree for every starter and solution, with its result cache.
package coursecheck

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/library"
)

// Rules name what a finding is about.
const (
	RuleStarter  = "starter"  // a starter that does not fail as declared
	RuleSolution = "solution" // a solution that does not pass
	RuleOrphan   = "orphan"   // a snippet nothing uses
	RuleIDs      = "ids"      // an id missing from, or gone from, lessons/ids.lock
	RuleShortcut = "shortcut" // a declared wrong solution the exercise does not refuse as declared
)

// Finding is one problem, at the place an author fixes it.
type Finding struct {
	// File is relative to the course root; Line is 0 when the finding is about a whole file
	// or folder.
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Rule string `json:"rule"`
	Msg  string `json:"message"`
	// Diagnostics back a starter or solution finding.
	Diagnostics []diag.Diagnostic `json:"diagnostics,omitempty"`
}

// String formats the finding like a compiler message: "file:line: msg".
func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Msg)
	}
	return fmt.Sprintf("%s: %s", f.File, f.Msg)
}

// ExerciseResult is one exercise on every tree.
type ExerciseResult struct {
	ID      string `json:"id"`
	Snippet string `json:"snippet"`
	// Trees has one entry per tree, in the order of Report.Trees.
	Trees []ExerciseOnTree `json:"trees"`
}

// ExerciseOnTree is how an exercise's starter and solution fared on one tree.
type ExerciseOnTree struct {
	// Skip says why the exercise cannot be built on the tree; the verdicts are nil then.
	Skip     string         `json:"skip,omitempty"`
	Starter  *check.Verdict `json:"starter,omitempty"`
	Solution *check.Verdict `json:"solution,omitempty"`
	// StarterOK and SolutionOK say whether each did what it must.
	StarterOK  bool `json:"starter_ok"`
	SolutionOK bool `json:"solution_ok"`
	// StarterNeedsBoot says the starter is declared to fail in the boot stage and passed every
	// stage but that one, which was not run (no --boot): it is neither OK nor a finding.
	StarterNeedsBoot bool `json:"starter_needs_boot,omitempty"`
	// Shortcuts are the snippet's declared wrong solutions as judged on the tree (only when
	// solutions are booted).
	Shortcuts []ShortcutResult `json:"shortcuts,omitempty"`
}

// ShortcutResult is how one declared wrong solution fared: OK when it failed at the declared
// stage for the declared reason.
type ShortcutResult struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	// Stage and Reason are the first failing stage and what it said ("" when it passed).
	Stage  course.Stage `json:"stage,omitempty"`
	Reason string       `json:"reason,omitempty"`
}

// Report is the authoring check of one course.
type Report struct {
	Course    string             `json:"course"`
	Trees     []library.TreeInfo `json:"trees"`
	Lessons   int                `json:"lessons"`
	Snippets  int                `json:"snippets"`
	Exercises []ExerciseResult   `json:"exercises"`
	// Findings are the problems, sorted by file and line; the check fails when there is any.
	Findings []Finding `json:"findings"`
	// Notes say what could not be checked (an exercise no tree can build, no ids.lock).
	Notes    []string      `json:"notes,omitempty"`
	Stats    library.Stats `json:"stats"`
	Duration time.Duration `json:"duration_ns"`
	// Booted says solutions were booted (Check with boot options); otherwise their boot stage is
	// skipped.
	Booted bool `json:"booted"`
}

// OK reports whether the course passed.
func (r *Report) OK() bool { return len(r.Findings) == 0 }

// BootOptions make the check boot solutions too: each exercise with a boot stage whose solution
// passed its other stages is checked like `rfl-tutor check --solution` (built in its own folder
// under ScratchRoot, where verdicts are cached, and booted under QEMU).
type BootOptions struct {
	ScratchRoot string
	// Timeout bounds each boot (check.DefaultBootTimeout when 0).
	Timeout time.Duration
	// Jobs is how many exercises are checked at once (1 when 0).
	Jobs int
}

// Check runs the authoring check of c on trees; with boot set it also runs each solution's boot
// stage (without, the boot stage is skipped, and the report says so).
func Check(ctx context.Context, c *course.Course, trees []*kernel.Tree, opts library.Options, boot *BootOptions) (*Report, error) {
	if len(trees) == 0 {
		return nil, library.ErrNoTrees
	}
	start := time.Now()
	rep := &Report{Course: c.ID, Trees: library.TreeInfos(trees), Lessons: len(c.Lessons), Snippets: len(c.Snippets)}

	exercises := c.Exercises()
	var targets []library.Target
	for _, ex := range exercises {
		for _, v := range []course.Variant{course.VariantSrc, course.VariantStarter} {
			t := library.Target{Snippet: ex.Snippet, Variant: v}
			if !slices.Contains(targets, t) {
				targets = append(targets, t)
			}
		}
	}
	res, err := library.Run(ctx, c, trees, targets, opts)
	if err != nil {
		return nil, err
	}
	rep.Stats, rep.Duration = res.Stats, res.Stats.Duration

	for _, ex := range exercises {
		er, findings, err := judgeExercise(c, ex, res)
		if err != nil {
			return nil, err
		}

		rep.Exercises = append(rep.Exercises, er)
		rep.Findings = append(rep.Findings, findings...)
		for ti, on := range er.Trees {
			if on.Skip != "" {
				rep.Notes = append(rep.Notes, fmt.Sprintf("exercise %s not checked on %s: %s", ex.ID, trees[ti].Release, on.Skip))
			}
		}
	}
	if boot != nil {
		rep.Booted = true
		// One checker per tree, shared by the solutions' boots and the shortcuts (and with it the
		// tree's boot environment, prepared once).
		checkers := make([]*check.Checker, len(trees))
		for ti, t := range trees {
			checkers[ti] = check.New(t, c, boot.ScratchRoot)
		}
		rep.Findings = append(rep.Findings, bootSolutions(ctx, checkers, exercises, trees, rep.Exercises, boot)...)
		rep.Findings = append(rep.Findings, bootStarters(ctx, c, checkers, exercises, trees, rep.Exercises, boot)...)
		rep.Findings = append(rep.Findings, refuseShortcuts(ctx, c, checkers, exercises, trees, rep.Exercises, boot)...)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rep.Duration = time.Since(start)
	}
	if boot == nil {
		if n := countStartersNeedingBoot(rep.Exercises); n > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%d starter(s) not judged: they are declared to fail in the boot stage (--boot)", n))
		}
		if n := countShortcuts(exercises); n > 0 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%d shortcut(s) not judged: they are judged with the boot stage (--boot)", n))
		}
	}
	rep.Findings = append(rep.Findings, orphans(c)...)
	idFindings, note := checkIDs(c)
	rep.Findings = append(rep.Findings, idFindings...)
	if note != "" {
		rep.Notes = append(rep.Notes, note)
	}
	slices.SortStableFunc(rep.Findings, func(a, b Finding) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		return a.Line - b.Line
	})
	return rep, nil
}

// judgeExercise applies the exercise's stages to its starter's and solution's builds on
// every tree.
func judgeExercise(c *course.Course, ex *course.Exercise, res *library.Results) (ExerciseResult, []Finding, error) {
	er := ExerciseResult{ID: ex.ID, Snippet: ex.Snippet.ID}
	var findings []Finding
	for ti, t := range res.Trees {
		solCell := res.Cell(ti, library.Target{Snippet: ex.Snippet, Variant: course.VariantSrc})
		stCell := res.Cell(ti, library.Target{Snippet: ex.Snippet, Variant: course.VariantStarter})
		if solCell.Skip != "" {
			er.Trees = append(er.Trees, ExerciseOnTree{Skip: solCell.Skip})
			continue
		}
		// Each tree judges its own kernel variant of the code.
		exv := ex.For(t.Version)
		s := exv.Snippet
		src, err := c.Files(s, course.VariantSrc)
		if err != nil {
			return er, nil, err
		}
		starter, err := c.Files(s, course.VariantStarter)
		if err != nil {
			return er, nil, err
		}
		on := ExerciseOnTree{
			Solution: check.Judge(exv, src, "", solCell.Outcome.Judgeable()),
			Starter:  check.Judge(exv, starter, "", stCell.Outcome.Judgeable()),
		}
		on.SolutionOK = on.Solution.Passed
		if !on.SolutionOK {
			f := on.Solution.FirstFailure()
			findings = append(findings, Finding{
				File: ex.Lesson.Path, Line: ex.Line, Rule: RuleSolution,
				Msg:         fmt.Sprintf("exercise %s: on %s the solution fails at stage %s: %s", ex.ID, t.Release, f.Stage, f.Reason),
				Diagnostics: f.Diagnostics,
			})
		}
		if s.Starter.Stage == course.StageBoot && on.Starter.FirstFailure() == nil {
			// Judged once the starter is booted (bootStarters), or not at all without --boot.
			on.StarterNeedsBoot = true
		} else if msg := starterProblem(s.Starter, on.Starter); msg != "" {
			var diags []diag.Diagnostic
			if f := on.Starter.FirstFailure(); f != nil {
				diags = f.Diagnostics
			}
			findings = append(findings, Finding{
				File: path.Join(s.Dir, "snippet.yaml"), Rule: RuleStarter,
				Msg:         fmt.Sprintf("exercise %s: on %s the starter %s", ex.ID, t.Release, msg),
				Diagnostics: diags,
			})
		} else {
			on.StarterOK = true
		}
		er.Trees = append(er.Trees, on)
	}
	return er, findings, nil
}

// starterProblem says how a starter's verdict differs from what snippet.yaml declares, or "".
// The declared stage must be the first that fails, and a declared error code must be among
// the build's errors.
func starterProblem(want *course.StarterExpect, v *check.Verdict) string {
	expected := "at stage " + string(want.Stage)
	if want.Error != "" {
		expected += " with " + want.Error
	}
	f := v.FirstFailure()
	switch {
	case f == nil:
		return "already passes every stage (snippet.yaml says it fails " + expected + ")"
	case f.Stage != want.Stage:
		return fmt.Sprintf("fails at stage %s (%s), but snippet.yaml says it fails %s", f.Stage, f.Reason, expected)
	case want.Error != "" && !slices.Contains(errorCodes(f.Diagnostics), want.Error):
		return fmt.Sprintf("fails to build without %s (%s), but snippet.yaml says it fails %s", want.Error, f.Reason, expected)
	}
	return ""
}

func errorCodes(diags []diag.Diagnostic) []string {
	var codes []string
	for _, d := range diags {
		if d.Severity == diag.SeverityError && d.Origin == diag.OriginRustc && d.Code != "" {
			codes = append(codes, d.Code)
		}
	}
	return codes
}

// orphans finds snippets no exercise uses and no lesson includes: code nobody reads, which
// the library check would still have to keep building.
func orphans(c *course.Course) []Finding {
	used := map[string]bool{}
	for _, l := range c.Lessons {
		for _, id := range l.IncludedSnippets() {
			used[id] = true
		}
		for _, ex := range l.Exercises {
			used[ex.SnippetID] = true
		}
	}
	var out []Finding
	for id, s := range c.Snippets {
		if !used[id] {
			out = append(out, Finding{File: s.Dir, Rule: RuleOrphan, Msg: fmt.Sprintf("snippet %s is orphaned: no exercise uses it and no lesson includes it", id)})
		}
	}
	return out
}

// bootSolutions replaces, on each tree, the solution verdict of every exercise with a boot stage
// (which the library check skipped) by a full check that boots it, when the solution passed
// everything else, and reports the solutions that then fail. Exercises run o.Jobs at a time.
func bootSolutions(ctx context.Context, checkers []*check.Checker, exercises []*course.Exercise, trees []*kernel.Tree, results []ExerciseResult, o *BootOptions) []Finding {
	type work struct{ ei, ti int }
	var todo []work
	for ei, ex := range exercises {
		if !slices.Contains(ex.Stages, course.StageBoot) {
			continue
		}
		for ti, on := range results[ei].Trees {
			if on.Solution != nil && on.SolutionOK {
				todo = append(todo, work{ei, ti})
			}
		}
	}
	var (
		mu       sync.Mutex
		findings []Finding
	)
	forEach(ctx, len(todo), o.Jobs, func(i int) {
		w := todo[i]
		ex, tree := exercises[w.ei], trees[w.ti]
		v, err := checkers[w.ti].CheckSolution(ctx, ex, check.Options{BootTimeout: o.Timeout})
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if ctx.Err() == nil {
				findings = append(findings, Finding{File: ex.Lesson.Path, Line: ex.Line, Rule: RuleSolution,
					Msg: fmt.Sprintf("exercise %s: on %s the solution could not be booted: %v", ex.ID, tree.Release, err)})
			}
			return
		}
		v.Dir = ""
		on := &results[w.ei].Trees[w.ti]
		on.Solution, on.SolutionOK = v, v.Passed
		if !v.Passed {
			f := v.FirstFailure()
			findings = append(findings, Finding{File: ex.Lesson.Path, Line: ex.Line, Rule: RuleSolution,
				Msg:         fmt.Sprintf("exercise %s: on %s the solution fails at stage %s: %s", ex.ID, tree.Release, f.Stage, f.Reason),
				Diagnostics: f.Diagnostics})
		}
	})
	return findings
}

// bootStarters boots, on each tree, the starters declared to fail in the boot stage that passed
// every other stage, and judges them against their snippet.yaml like the other starters.
func bootStarters(ctx context.Context, c *course.Course, checkers []*check.Checker, exercises []*course.Exercise, trees []*kernel.Tree, results []ExerciseResult, o *BootOptions) []Finding {
	type work struct{ ei, ti int }
	var todo []work
	for ei := range exercises {
		for ti, on := range results[ei].Trees {
			if on.StarterNeedsBoot {
				todo = append(todo, work{ei, ti})
			}
		}
	}
	var (
		mu       sync.Mutex
		findings []Finding
	)
	forEach(ctx, len(todo), o.Jobs, func(i int) {
		w := todo[i]
		ex, tree := exercises[w.ei], trees[w.ti]
		exv := ex.For(tree.Version)
		s := exv.Snippet
		files, err := c.Files(s, course.VariantStarter)
		var v *check.Verdict
		if err == nil {
			v, err = checkers[w.ti].CheckFiles(ctx, exv, files, s.Dir, "starter", check.Options{BootTimeout: o.Timeout})
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			if ctx.Err() == nil {
				findings = append(findings, Finding{File: path.Join(s.Dir, "snippet.yaml"), Rule: RuleStarter,
					Msg: fmt.Sprintf("exercise %s: on %s the starter could not be booted: %v", ex.ID, tree.Release, err)})
			}
			return
		}
		v.Dir = ""
		on := &results[w.ei].Trees[w.ti]
		on.Starter, on.StarterNeedsBoot = v, false
		if msg := starterProblem(s.Starter, v); msg != "" {
			findings = append(findings, Finding{File: path.Join(s.Dir, "snippet.yaml"), Rule: RuleStarter,
				Msg: fmt.Sprintf("exercise %s: on %s the starter %s", ex.ID, tree.Release, msg)})
			return
		}
		on.StarterOK = true
	})
	return findings
}

func countStartersNeedingBoot(results []ExerciseResult) int {
	n := 0
	for _, er := range results {
		for _, on := range er.Trees {
			if on.StarterNeedsBoot {
				n++
			}
		}
	}
	return n
}

func countShortcuts(exercises []*course.Exercise) int {
	n := 0
	for _, ex := range exercises {
		if ex.Snippet != nil {
			n += len(ex.Snippet.Shortcuts)
		}
	}
	return n
}

// refuseShortcuts checks, on each tree where the exercise's solution passed, every shortcut its
// snippet declares: the solution with the shortcut's edits must fail first at the declared
// stage, and that stage must report the declared text. Each runs in its own build folder, o.Jobs
// at a time, with the boot stage when the exercise has one.
func refuseShortcuts(ctx context.Context, c *course.Course, checkers []*check.Checker, exercises []*course.Exercise, trees []*kernel.Tree, results []ExerciseResult, o *BootOptions) []Finding {
	type work struct{ ei, ti, si int }
	var todo []work
	for ei, ex := range exercises {
		for ti, on := range results[ei].Trees {
			if on.Solution == nil || !on.SolutionOK {
				continue
			}
			results[ei].Trees[ti].Shortcuts = make([]ShortcutResult, len(ex.Snippet.Shortcuts))
			for si := range ex.Snippet.Shortcuts {
				todo = append(todo, work{ei, ti, si})
			}
		}
	}
	var (
		mu       sync.Mutex
		findings []Finding
	)
	forEach(ctx, len(todo), o.Jobs, func(i int) {
		w := todo[i]
		ex, tree := exercises[w.ei], trees[w.ti]
		exv := ex.For(tree.Version)
		sc := exv.Snippet.Shortcuts[w.si]
		res, msg := judgeShortcut(ctx, c, checkers[w.ti], exv, sc, w.si, o)
		mu.Lock()
		defer mu.Unlock()
		results[w.ei].Trees[w.ti].Shortcuts[w.si] = res
		if msg != "" && ctx.Err() == nil {
			findings = append(findings, Finding{File: path.Join(exv.Snippet.Dir, "snippet.yaml"), Line: sc.Line(), Rule: RuleShortcut,
				Msg: fmt.Sprintf("exercise %s: on %s the shortcut %q %s", ex.ID, tree.Release, sc.Name, msg)})
		}
	})
	return findings
}

// judgeShortcut checks one shortcut on one tree and says what is wrong with the outcome ("" when
// it was refused as declared).
func judgeShortcut(ctx context.Context, c *course.Course, ck *check.Checker, ex *course.Exercise, sc *course.Shortcut, i int, o *BootOptions) (ShortcutResult, string) {
	res := ShortcutResult{Name: sc.Name}
	src, err := c.Files(ex.Snippet, course.VariantSrc)
	if err == nil {
		src, err = course.ApplyShortcut(src, sc)
	}
	if err != nil {
		return res, "cannot be made: " + err.Error()
	}
	v, err := ck.CheckFiles(ctx, ex, src, ex.Snippet.Dir, fmt.Sprintf("shortcut-%d", i+1), check.Options{BootTimeout: o.Timeout})
	if err != nil {
		return res, "could not be checked: " + err.Error()
	}
	f := v.FirstFailure()
	if f == nil {
		return res, fmt.Sprintf("passes every stage, but snippet.yaml says it fails at stage %s (%s)", sc.Stage, sc.Because)
	}
	res.Stage, res.Reason = f.Stage, f.Reason
	switch {
	case f.Stage != sc.Stage:
		return res, fmt.Sprintf("fails at stage %s (%s), but snippet.yaml says it fails at stage %s", f.Stage, f.Reason, sc.Stage)
	case !reports(f, sc.Because):
		return res, fmt.Sprintf("fails at stage %s, but for another reason (%s) than snippet.yaml gives (%q)", f.Stage, f.Reason, sc.Because)
	}
	res.OK = true
	return res, ""
}

// reports says whether a failed stage mentions text: in its reason, a diagnostic's code or
// message, or a line of its log.
func reports(f *check.StageResult, text string) bool {
	if strings.Contains(f.Reason, text) {
		return true
	}
	for _, d := range f.Diagnostics {
		if d.Code == text || strings.Contains(d.Message, text) {
			return true
		}
	}
	for _, l := range f.Log {
		if strings.Contains(l, text) {
			return true
		}
	}
	return false
}

// forEach runs do(i) for every i in [0, n), at most jobs at once, and skips what has not started
// once ctx is done.
func forEach(ctx context.Context, n, jobs int, do func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(jobs, 1))
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if ctx.Err() == nil {
				do(i)
			}
		}()
	}
	wg.Wait()
}
