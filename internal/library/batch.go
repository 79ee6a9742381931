package library

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// Outcome is what building one snippet variant on one tree gave: enough to judge it against
// its metadata or an exercise's stages after the build folder is gone.
type Outcome struct {
	Built bool `json:"built"`
	// ExitCode is make's status for the build that decided this outcome (0 when it built; a
	// batch's status when a neighbour's failure is all that stopped make).
	ExitCode int  `json:"exit_code"`
	TimedOut bool `json:"timed_out,omitempty"`
	// Modules are the base names of the .ko files built, in name order.
	Modules []string `json:"modules,omitempty"`
	// Modinfo is the first module's .modinfo section; ModinfoError says why it is missing.
	Modinfo      map[string][]string `json:"modinfo,omitempty"`
	ModinfoError string              `json:"modinfo_error,omitempty"`
	// Diagnostics are the build's diagnostics for this snippet only, with paths relative to
	// the course root (snippets/<id>/src/<file>).
	Diagnostics []diag.Diagnostic `json:"diagnostics,omitempty"`
	// Alone is set when the batch's result was ambiguous for this snippet, so it was built on
	// its own.
	Alone bool `json:"alone,omitempty"`
	// Cached is set when the outcome came from the result cache.
	Cached bool `json:"cached,omitempty"`
}

// ErrorCodes returns the rustc error codes among the outcome's errors, in order, once each.
func (o *Outcome) ErrorCodes() []string {
	var codes []string
	for _, d := range o.Diagnostics {
		if d.Severity == diag.SeverityError && d.Origin == diag.OriginRustc && d.Code != "" && !slices.Contains(codes, d.Code) {
			codes = append(codes, d.Code)
		}
	}
	return codes
}

// Judgeable returns the outcome in the form check.Judge takes.
func (o *Outcome) Judgeable() check.Built {
	b := check.Built{ExitCode: o.ExitCode, TimedOut: o.TimedOut, Modinfo: o.Modinfo, ModinfoErr: o.ModinfoError, Diagnostics: o.Diagnostics}
	if o.Built && len(o.Modules) > 0 {
		b.Ko = o.Modules[0]
	}
	return b
}

// treeRun builds jobs on one tree, in batch folders below dir.
type treeRun struct {
	tree *kernel.Tree
	dir  string
	// trusted lets builds run unsandboxed where no sandbox works (build.Request.Trusted).
	trusted bool
	timeout time.Duration
	makes   *atomic.Int32
	// started is called when a job's compilation begins (for progress).
	started func(*job)
	// build runs make; build.Run, except in tests of the decisions taken on its results.
	build func(context.Context, build.Request) (*build.Result, error)
}

// runBatch decides every job of one batch (module names unique): a make over all of them,
// then more over those a failure elsewhere stopped before modpost, then each ambiguous job
// on its own.
func (r *treeRun) runBatch(ctx context.Context, name string, jobs []*job, par int) (map[*job]*Outcome, error) {
	out := map[*job]*Outcome{}
	acc := map[*job][]diag.Diagnostic{}
	var alone []*job
	pending := jobs
	for len(pending) > 0 {
		res, err := r.make(ctx, filepath.Join(r.dir, name), pending, par, r.timeout+time.Duration(len(pending))*r.timeout/10)
		if err != nil {
			return nil, err
		}
		if res.TimedOut || res.Omitted > 0 {
			// A hung snippet, or so much output that some was dropped: nothing said in this
			// build can be trusted to be complete.
			alone = append(alone, pending...)
			break
		}
		// With one job left, everything the build printed is its own.
		a := attribute(res.Output, res.ScratchDir, r.tree.Dir, pending, len(pending) == 1)
		var next []*job
		for _, j := range pending {
			acc[j] = appendNew(acc[j], a.diags[j])
			kos := modulesIn(filepath.Join(res.ScratchDir, j.subdir()))
			switch {
			case a.conflict[j]:
				// Its module name clashes with a neighbour's: only a build of its own can say
				// anything about it.
				alone = append(alone, j)
			case len(a.unplacedWarnings) > 0 && !a.failed[j]:
				// A warning nobody can be blamed for may be this job's.
				alone = append(alone, j)
			case a.failed[j] && len(a.unplacedErrors) > 0:
				// It failed, but an error nobody can be blamed for may be one of its own.
				alone = append(alone, j)
			case a.failed[j]:
				out[j] = &Outcome{ExitCode: nonZero(res.ExitCode), Diagnostics: acc[j]}
			case len(kos) > 0:
				out[j] = built(kos, acc[j])
			case res.ExitCode == 0:
				out[j] = &Outcome{Diagnostics: acc[j]} // make was content, but no module
			default:
				// Compiled, but a neighbour's failure stopped make before modpost linked it.
				next = append(next, j)
			}
		}
		if len(next) == len(pending) {
			// Nothing could be placed: build each on its own.
			alone = append(alone, next...)
			break
		}
		pending = next
	}
	for _, j := range alone {
		o, err := r.buildAlone(ctx, j, par)
		if err != nil {
			return nil, err
		}
		out[j] = o
	}
	return out, nil
}

// buildAlone builds one job in a folder of its own, where everything printed is its own.
func (r *treeRun) buildAlone(ctx context.Context, j *job, par int) (*Outcome, error) {
	res, err := r.make(ctx, filepath.Join(r.dir, "alone-"+j.subdir()), []*job{j}, par, r.timeout)
	if err != nil {
		return nil, err
	}
	a := attribute(res.Output, res.ScratchDir, r.tree.Dir, []*job{j}, true)
	kos := modulesIn(filepath.Join(res.ScratchDir, j.subdir()))
	var o *Outcome
	switch {
	case res.TimedOut:
		o = &Outcome{ExitCode: -1, TimedOut: true, Diagnostics: a.diags[j]}
	case res.ExitCode == 0 && len(kos) > 0:
		o = built(kos, a.diags[j])
	default:
		o = &Outcome{ExitCode: res.ExitCode, Diagnostics: a.diags[j]}
	}
	o.Alone = true
	return o, nil
}

// make runs one Kbuild build of jobs in the batch folder dir.
func (r *treeRun) make(ctx context.Context, dir string, jobs []*job, par int, timeout time.Duration) (*build.Result, error) {
	r.makes.Add(1)
	bySub := map[string]*job{}
	for _, j := range jobs {
		bySub[j.subdir()] = j
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("library: %w", err)
	}
	lines := lineSplitter(func(l string) {
		// Kbuild announces each compile as "  RUSTC [M] <M>/<subfolder>/<file>.o".
		if strings.Contains(l, "[M]") {
			for _, j := range jobsNamed(l, abs, bySub) {
				r.started(j)
			}
		}
	})
	res, err := r.build(ctx, build.Request{
		KDir: r.tree.Dir,
		// -k: one snippet's failure must not stop its neighbours' compiles.
		MakeArgs:   append(slices.Clone(r.tree.MakeArgs()), "-k"),
		Jobs:       par,
		Files:      batchFiles(jobs),
		Trusted:    r.trusted,
		ScratchDir: abs,
		Timeout:    timeout,
		NoColor:    true,
		Output:     lines,
		// Diagnostics of every snippet must survive: a batch prints a lot.
		MaxOutput: 64 << 20,
	})
	if err != nil {
		return nil, fmt.Errorf("library: build on %s: %w", r.tree.Dir, err)
	}
	return res, nil
}

// lineSplitter turns the chunks build.Run delivers into whole lines.
func lineSplitter(fn func(string)) func([]byte) {
	var partial []byte
	return func(b []byte) {
		partial = append(partial, b...)
		for {
			i := bytes.IndexByte(partial, '\n')
			if i < 0 {
				return
			}
			fn(strings.TrimRight(string(partial[:i]), "\r"))
			partial = partial[i+1:]
		}
	}
}

// modulesIn lists the .ko files below a job's folder, sorted.
func modulesIn(dir string) []string {
	var kos []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".ko") {
			kos = append(kos, p)
		}
		return nil
	})
	slices.Sort(kos)
	return kos
}

// built is the outcome of a job that produced modules; the first one's .modinfo is read now,
// while the file exists.
func built(kos []string, diags []diag.Diagnostic) *Outcome {
	o := &Outcome{Built: true, Diagnostics: diags}
	for _, k := range kos {
		o.Modules = append(o.Modules, filepath.Base(k))
	}
	info, err := check.ReadModinfo(kos[0])
	if err != nil {
		o.ModinfoError = err.Error()
	} else {
		o.Modinfo = info
	}
	return o
}

// appendNew adds diagnostics not seen yet: a later make of the same objects may repeat one.
func appendNew(have, more []diag.Diagnostic) []diag.Diagnostic {
	seen := map[string]bool{}
	key := func(d diag.Diagnostic) string {
		return string(d.Severity) + "\x00" + d.Code + "\x00" + d.Message + "\x00" + d.Location() + "\x00" + strconv.Itoa(len(d.Notes))
	}
	for _, d := range have {
		seen[key(d)] = true
	}
	for _, d := range more {
		if k := key(d); !seen[k] {
			seen[k] = true
			have = append(have, d)
		}
	}
	return have
}

func nonZero(code int) int {
	if code == 0 {
		return 1
	}
	return code
}
