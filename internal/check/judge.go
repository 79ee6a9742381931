package check

import (
	"fmt"
	"strings"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
)

// Judging: the stage loop that turns what a build produced (and the boot stage's run) into a
// verdict. Checker.CheckFiles calls it after its own build; the snippet library check
// (internal/library) builds many modules in one Kbuild run and judges each one here from what
// that run produced, instead of running a build per exercise.

// Built is what a build produced for one module, kept so it can be judged after the build
// folder is gone.
type Built struct {
	// ExitCode is make's exit status for the build that decided this module (0 when it built).
	ExitCode int
	TimedOut bool
	// Ko is the module file (a path or a base name; only its base name is shown), empty when
	// none was produced.
	Ko string
	// Modinfo is the .ko's .modinfo section (see ReadModinfo); ModinfoErr says why it could
	// not be read.
	Modinfo    map[string][]string
	ModinfoErr string
	// Diagnostics are the build's diagnostics for this module, in order.
	Diagnostics []diag.Diagnostic
	// Omitted is how many bytes of build output were dropped from its middle (its head and tail
	// were kept and parsed).
	Omitted int64

	duration time.Duration
}

// ReadModinfo returns the key=value pairs of a .ko's .modinfo section.
func ReadModinfo(ko string) (map[string][]string, error) { return readModinfo(ko) }

// Judge applies the exercise's stages to a build that already ran, as Check does after its own
// build. files are the module's sources (name → content) for the style rules; style findings
// are placed below dir (dir "" keeps the bare file names).
func Judge(ex *course.Exercise, files map[string][]byte, dir string, b Built) *Verdict {
	return judge(ex, files, dir, b, func(Event) {}, nil)
}

// judge is the one stage loop: CheckFiles runs it after its own build (reporting each stage as
// it goes), the library check after a batch build. runBoot boots the built module when the boot
// stage comes; nil means this caller does not boot (the stage is skipped and says so).
func judge(ex *course.Exercise, files map[string][]byte, dir string, b Built, emit func(Event), runBoot func() *BootRun) *Verdict {
	stages := ex.Stages
	if len(stages) == 0 {
		stages = course.DefaultStages
	}
	res := &build.Result{ExitCode: b.ExitCode, TimedOut: b.TimedOut, Omitted: b.Omitted}
	if b.Ko != "" {
		res.Kos = []string{b.Ko}
	}
	built := b.ExitCode == 0 && b.Ko != "" && !b.TimedOut
	v := &Verdict{ExerciseID: ex.ID, Dir: dir, Ko: b.Ko, ExitCode: b.ExitCode}
	v.Diagnostics = append(v.Diagnostics, b.Diagnostics...)
	for _, s := range stages {
		if s != course.StageBuild {
			emit(StageStarted{Stage: s}) // the build stage started before the build itself
		}
		var r StageResult
		switch s {
		case course.StageBuild:
			r = buildStage(res, b.Diagnostics)
			r.Duration = b.duration
		case course.StageWarnings:
			r = warningsStage(built, b.Diagnostics, ex.AllowWarnings)
		case course.StageModinfo:
			r = judgeModinfo(built, b, ex.Success.Modinfo)
		case course.StageStyle:
			r = styleStage(files, dir, ex.Forbid)
			v.Diagnostics = append(v.Diagnostics, r.Diagnostics...)
		case course.StageRustfmt:
			r = rustfmtStage(files, dir)
		case course.StageBoot:
			var run *BootRun
			if built && runBoot != nil {
				run = runBoot()
			}
			r = bootStage(ex, built, run)
		default:
			r = StageResult{Status: Skip, Reason: fmt.Sprintf("the %s stage is not available in this version", s)}
		}
		r.Stage = s
		v.Stages = append(v.Stages, r)
		emit(StageDone{Result: r})
	}
	v.Passed = true
	for _, r := range v.Stages {
		if r.Status == Fail {
			v.Passed = false
		}
	}
	return v
}

// judgeModinfo is modinfoStage on a section read earlier.
func judgeModinfo(built bool, b Built, required []string) StageResult {
	r := StageResult{Stage: course.StageModinfo}
	switch {
	case !built:
		r.Status, r.Reason = Skip, "needs a successful build"
	case b.Modinfo == nil:
		r.Status, r.Reason = Fail, b.ModinfoErr
		if r.Reason == "" {
			r.Reason = "the module has no .modinfo section"
		}
	default:
		if probs := modinfoProblems(b.Modinfo, required); len(probs) > 0 {
			r.Status, r.Reason = Fail, strings.Join(probs, "; ")
		} else {
			r.Status = Pass
			r.Reason = modinfoSummary(b.Modinfo, required)
		}
	}
	return r
}
