// Package library builds many snippets of a course against one or several kernel trees
// quickly: every snippet build a tree needs goes into one external-module folder whose Kbuild
// lists each as a subfolder, so one `make -k -jN` compiles them all, and every diagnostic and
// every .ko is attributed back to its snippet by path. Results are cached by input (snippet
// files, tree identity, toolchain, checker version), so an unchanged library re-checks without
// building. On top of the outcomes it judges snippets against their metadata (snippets check);
// the course authoring check (internal/coursecheck) judges exercises with the same outcomes.
package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/build"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// DefaultTimeout bounds one snippet's build.
const DefaultTimeout = 5 * time.Minute

// Options tune Run.
type Options struct {
	// Jobs is how many compilers may run at once, across all trees; default the CPU count.
	Jobs int
	// CacheDir holds outcomes by input; empty means no cache.
	CacheDir string
	// NoCache builds everything, and still stores what it built.
	NoCache bool
	// WorkDir is where a run makes its batch folders (removed when it ends); default the
	// system's temporary folder. Its path must suit make (no spaces).
	WorkDir string
	// KeepWork leaves the batch folders in place, for looking at what Kbuild did.
	KeepWork bool
	// Timeout bounds one snippet's build (default DefaultTimeout); a batch gets Timeout plus
	// a tenth of it per snippet.
	Timeout time.Duration
	// OnProgress, when set, is called (never concurrently) as snippets start compiling and
	// as outcomes are known.
	OnProgress func(Progress)
}

// Progress reports how far a run is.
type Progress struct {
	// Started counts the builds under way or finished, Done those whose outcome is known
	// (cached ones count as both at once), out of Total.
	Started, Done, Total int
	// Tree and Target are the build that just moved; Tree is nil for the first report.
	Tree   *kernel.Tree
	Target Target
}

// Cell is one target on one tree.
type Cell struct {
	// Skip says why the target cannot be built on the tree (kernel version range, missing
	// configuration); Outcome is nil then.
	Skip    string
	Outcome *Outcome
}

// Results holds an outcome or a skip for every target on every tree.
type Results struct {
	Trees   []*kernel.Tree
	Targets []Target
	// Cells is indexed [tree][target], in the order given to Run.
	Cells [][]Cell
	Stats Stats
}

// Stats say what a run did.
type Stats struct {
	// Built outcomes came from this run's builds, Alone of them from a snippet built on its
	// own; Cached ones from the cache; Skipped cells could not be built.
	Built   int `json:"built"`
	Cached  int `json:"cached"`
	Alone   int `json:"alone"`
	Skipped int `json:"skipped"`
	// Makes counts make invocations.
	Makes    int           `json:"makes"`
	Duration time.Duration `json:"duration_ns"`
}

// Cell returns the cell of target tgt on tree index ti.
func (r *Results) Cell(ti int, tgt Target) Cell {
	for i, t := range r.Targets {
		if t == tgt {
			return r.Cells[ti][i]
		}
	}
	return Cell{}
}

// Run builds every target (each given once) on every tree, except where a target cannot
// build on a tree (kernel.Unavailable), which is recorded as a skip. It returns an error only when building
// could not be done (unreadable snippet, no make, cancelled); a snippet that fails is an
// Outcome.
func Run(ctx context.Context, c *course.Course, trees []*kernel.Tree, targets []Target, opts Options) (*Results, error) {
	start := time.Now()
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	slots := opts.Jobs
	if slots <= 0 {
		slots = runtime.NumCPU()
	}
	res := &Results{Trees: trees, Targets: targets, Cells: make([][]Cell, len(trees))}
	for i, tgt := range targets {
		if slices.Contains(targets[:i], tgt) {
			return nil, fmt.Errorf("library: %s is given twice", tgt)
		}
	}
	// A snippet with kernel variants builds each tree's own code; files are read once per
	// target and variant.
	type fileKey struct {
		target  int
		variant *course.KernelVariant
	}
	read := map[fileKey]map[string][]byte{}
	filesFor := func(xi int, tgt Target) (map[string][]byte, error) {
		k := fileKey{xi, tgt.Snippet.Variant}
		if f, ok := read[k]; ok {
			return f, nil
		}
		f, err := c.Files(tgt.Snippet, tgt.Variant)
		if err != nil {
			return nil, fmt.Errorf("library: %w", err)
		}
		read[k] = f
		return f, nil
	}

	prog := &progress{fn: opts.OnProgress, seen: map[*job]bool{}}
	cc := cache{dir: opts.CacheDir}
	type planned struct {
		tree int
		name string
		jobs []*job
	}
	var batches []planned
	cellOf := map[*job]*Cell{}
	for ti, t := range trees {
		res.Cells[ti] = make([]Cell, len(targets))
		id := treeIdentity(t)
		var jobs []*job
		for xi, tgt := range targets {
			cell := &res.Cells[ti][xi]
			tgt.Snippet = tgt.Snippet.For(t.Version)
			if reason := kernel.Unavailable(t, tgt.Snippet); reason != "" {
				cell.Skip = reason
				res.Stats.Skipped++
				continue
			}
			files, err := filesFor(xi, tgt)
			if err != nil {
				return nil, err
			}
			prog.total++
			j := &job{target: tgt, files: files, key: jobKey(id, tgt, files)}
			if !opts.NoCache {
				if o := cc.load(j.key); o != nil {
					cell.Outcome = o
					res.Stats.Cached++
					prog.started++
					prog.done++
					continue
				}
			}
			j.modules = moduleNames(j.files)
			jobs = append(jobs, j)
			cellOf[j] = cell
		}
		for gi, g := range group(jobs) {
			batches = append(batches, planned{tree: ti, name: fmt.Sprintf("batch%d", gi), jobs: g})
		}
	}
	prog.report(nil, Target{})
	if len(batches) == 0 {
		res.Stats.Duration = time.Since(start)
		return res, nil
	}

	work, err := os.MkdirTemp(opts.WorkDir, "rfl-tutor-library-")
	if err != nil {
		return nil, fmt.Errorf("library: work folder: %w", err)
	}
	if !opts.KeepWork {
		defer os.RemoveAll(work)
	}

	var makes atomic.Int32
	runs := make([]*treeRun, len(trees))
	for ti, t := range trees {
		runs[ti] = &treeRun{
			tree: t, dir: filepath.Join(work, fmt.Sprintf("tree%d", ti)), trusted: c.Trusted, timeout: opts.Timeout, makes: &makes,
			started: func(j *job) { prog.start(t, j) }, build: build.Run,
		}
	}
	pars := split(slots, batches, func(p planned) int { return len(p.jobs) })

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	sem := make(chan struct{}, min(slots, len(batches)))
	for bi, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			out, err := runs[b.tree].runBatch(ctx, b.name, b.jobs, pars[bi])
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
					cancel()
				}
				return
			}
			for j, o := range out {
				cellOf[j].Outcome = o
				cc.store(j.key, o)
				res.Stats.Built++
				if o.Alone {
					res.Stats.Alone++
				}
				prog.decide(trees[b.tree], j)
			}
		}()
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, firstErr
	}
	res.Stats.Makes = int(makes.Load())
	res.Stats.Duration = time.Since(start)
	return res, nil
}

// split shares slots make jobs among the batches. When there are at least as many batches as
// slots, each runs with -j1 and at most slots of them at once; otherwise all run at once, each
// with a share of the slots in proportion to its size (rounded up, so a small batch never
// starves: a little oversubscription costs less than an idle core).
func split[T any](slots int, batches []T, size func(T) int) []int {
	pars := make([]int, len(batches))
	total := 0
	for _, b := range batches {
		total += size(b)
	}
	for i, b := range batches {
		pars[i] = 1
		if len(batches) < slots && total > 0 {
			pars[i] = max(1, (slots*size(b)+total-1)/total)
		}
	}
	return pars
}

// progress counts builds for Options.OnProgress.
type progress struct {
	mu                   sync.Mutex
	fn                   func(Progress)
	started, done, total int
	seen                 map[*job]bool
}

// start counts a job whose compile began (Kbuild printed its "RUSTC [M]" line).
func (p *progress) start(t *kernel.Tree, j *job) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.seen[j] {
		p.seen[j] = true
		p.started++
	}
	p.reportLocked(t, j.target)
}

// decide counts a job whose outcome is known, started or not (a Kbuild error stops a
// build before any compile).
func (p *progress) decide(t *kernel.Tree, j *job) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.seen[j] {
		p.seen[j] = true
		p.started++
	}
	p.done++
	p.reportLocked(t, j.target)
}

func (p *progress) report(t *kernel.Tree, tgt Target) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reportLocked(t, tgt)
}

func (p *progress) reportLocked(t *kernel.Tree, tgt Target) {
	if p.fn != nil {
		p.fn(Progress{Started: p.started, Done: p.done, Total: p.total, Tree: t, Target: tgt})
	}
}

// ErrNoTrees is returned by the checks when they are given no kernel tree.
var ErrNoTrees = errors.New("no kernel tree to build against")
