package library

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// Status is a snippet's result on one tree.
type Status string

const (
	Pass Status = "pass" // it did what its metadata says
	Fail Status = "fail" // it did not
	Skip Status = "skip" // it cannot be built on the tree (version range, configuration)
)

// libraryStages are the stages that apply to library code: it must build cleanly and follow
// the kernel's Rust style; what .modinfo must hold is up to an exercise.
var libraryStages = []course.Stage{course.StageBuild, course.StageWarnings, course.StageStyle}

// Verdict is one snippet on one tree, judged against its metadata.
type Verdict struct {
	Status Status `json:"status"`
	// Reason is one line: what happened against what was expected, or why it was skipped.
	Reason string `json:"reason"`
	// Diagnostics explain a failure: the errors of a build that should have passed, its
	// warnings or style findings, or the errors of one that failed the wrong way.
	Diagnostics []diag.Diagnostic `json:"diagnostics,omitempty"`
	Cached      bool              `json:"cached,omitempty"`
}

// SnippetResult is one snippet on every tree.
type SnippetResult struct {
	ID     string         `json:"id"`
	Title  string         `json:"title"`
	Expect course.Outcome `json:"expect"`
	Error  string         `json:"error,omitempty"`
	// Results has one verdict per tree, in the order of Report.Trees.
	Results []Verdict `json:"results"`
}

// TreeInfo names a kernel tree in reports.
type TreeInfo struct {
	Dir     string `json:"dir"`
	Release string `json:"release"`
	Rustc   string `json:"rustc,omitempty"`
}

// Report is the snippet library checked on every tree.
type Report struct {
	Trees    []TreeInfo      `json:"trees"`
	Snippets []SnippetResult `json:"snippets"`
	Passed   int             `json:"passed"`
	Failed   int             `json:"failed"`
	Skipped  int             `json:"skipped"`
	Duration time.Duration   `json:"duration_ns"`
	Stats    Stats           `json:"stats"`
}

// OK reports whether every snippet did what its metadata says wherever it could be built.
func (r *Report) OK() bool { return r.Failed == 0 }

// TreeInfos describes trees for reports.
func TreeInfos(trees []*kernel.Tree) []TreeInfo {
	out := make([]TreeInfo, len(trees))
	for i, t := range trees {
		out[i] = TreeInfo{Dir: t.Dir, Release: t.Release, Rustc: t.RustcVersionText}
	}
	return out
}

// CheckSnippets builds the reference code (src/) of every snippet of c on every tree and
// judges each against its metadata.
func CheckSnippets(ctx context.Context, c *course.Course, trees []*kernel.Tree, opts Options) (*Report, error) {
	if len(trees) == 0 {
		return nil, ErrNoTrees
	}
	ids := slices.Sorted(maps.Keys(c.Snippets))
	targets := make([]Target, len(ids))
	for i, id := range ids {
		targets[i] = Target{Snippet: c.Snippets[id], Variant: course.VariantSrc}
	}
	res, err := Run(ctx, c, trees, targets, opts)
	if err != nil {
		return nil, err
	}
	rep := &Report{Trees: TreeInfos(trees), Stats: res.Stats, Duration: res.Stats.Duration}
	for xi, tgt := range targets {
		sr := SnippetResult{ID: tgt.Snippet.ID, Title: tgt.Snippet.Title, Expect: tgt.Snippet.Expect, Error: tgt.Snippet.ExpectError}
		for ti, t := range trees {
			cell := res.Cells[ti][xi]
			var v Verdict
			if cell.Skip != "" {
				v = Verdict{Status: Skip, Reason: cell.Skip}
			} else {
				s := tgt.Snippet.For(t.Version)
				files, err := c.Files(s, course.VariantSrc)
				if err != nil {
					return nil, fmt.Errorf("library: %w", err)
				}
				v = JudgeSnippet(s, files, cell.Outcome)
			}
			switch v.Status {
			case Pass:
				rep.Passed++
			case Fail:
				rep.Failed++
			case Skip:
				rep.Skipped++
			}
			sr.Results = append(sr.Results, v)
		}
		rep.Snippets = append(rep.Snippets, sr)
	}
	return rep, nil
}

// JudgeSnippet compares a snippet's reference build with its metadata: `expect: builds` must
// build with no warnings and pass the style rules; `expect: fails` must fail, with the
// expected rustc error code among its errors.
func JudgeSnippet(s *course.Snippet, files map[string][]byte, o *Outcome) Verdict {
	v := Verdict{Cached: o.Cached}
	if o.TimedOut {
		v.Status, v.Reason = Fail, "the build did not finish in time (timed out)"
		return v
	}
	if s.Expect == course.OutcomeFails {
		return judgeFails(s, o, v)
	}
	ex := &course.Exercise{ID: s.ID, Stages: libraryStages}
	jv := check.Judge(ex, files, "", o.Judgeable())
	if f := jv.FirstFailure(); f != nil {
		v.Status = Fail
		v.Diagnostics = inCourse(s, course.VariantSrc, f.Diagnostics)
		switch f.Stage {
		case course.StageBuild:
			v.Reason = "expected to build: " + f.Reason
		case course.StageWarnings:
			v.Reason = "builds, with warnings: " + f.Reason
		default:
			v.Reason = string(f.Stage) + ": " + f.Reason
		}
		return v
	}
	v.Status = Pass
	v.Reason = "builds"
	if len(o.Modules) > 0 {
		v.Reason += ": " + strings.Join(o.Modules, ", ")
	}
	return v
}

func judgeFails(s *course.Snippet, o *Outcome, v Verdict) Verdict {
	want := s.ExpectError
	if o.Built {
		v.Status, v.Reason = Fail, fmt.Sprintf("expected to fail with %s, but it builds", want)
		return v
	}
	codes := o.ErrorCodes()
	if slices.Contains(codes, want) {
		v.Status, v.Reason = Pass, "fails with "+want+" as expected"
		return v
	}
	v.Status = Fail
	for _, d := range o.Diagnostics {
		if d.Severity == diag.SeverityError {
			v.Diagnostics = append(v.Diagnostics, d)
		}
	}
	first := "make failed"
	if d := diag.First(o.Diagnostics); d != nil {
		first = short(*d)
	}
	if len(codes) > 0 {
		v.Reason = fmt.Sprintf("expected error %s, got %s: %s", want, strings.Join(codes, ", "), first)
	} else {
		v.Reason = fmt.Sprintf("expected error %s, but the build failed without it: %s", want, first)
	}
	return v
}

// short is a diagnostic in one line with the file's base name, as the stages describe them.
func short(d diag.Diagnostic) string {
	if d.File != "" {
		d.File = path.Base(d.File)
	}
	return d.String()
}

// inCourse points style findings (reported by bare file name) at the files in the course.
func inCourse(s *course.Snippet, v course.Variant, diags []diag.Diagnostic) []diag.Diagnostic {
	paths := s.Src
	if v == course.VariantStarter {
		paths = s.StarterFiles
	}
	out := slices.Clone(diags)
	for i := range out {
		if p, ok := paths[out[i].File]; ok {
			out[i].File = p
		}
	}
	return out
}
