package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/library"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

// libraryFlags are the flags `snippets check` and `course check` share: several trees, the
// parallelism and the result cache.
type libraryFlags struct {
	kdirs   []string
	jobs    int
	noCache bool
	timeout time.Duration
}

func (f *libraryFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	// Shadows the root's single-valued --kdir: these commands take several trees.
	fl.StringArrayVar(&f.kdirs, "kdir", nil, "kernel tree to build against; repeat for several (default: the configured tree)")
	fl.IntVarP(&f.jobs, "jobs", "j", 0, "compilers to run at once, shared by all trees (default: the number of CPUs)")
	fl.BoolVar(&f.noCache, "no-cache", false, "build every snippet even when its result is cached")
	durationFlag(fl, &f.timeout, "timeout", library.DefaultTimeout, "give up on one snippet's build after this `duration`")
}

// trees opens every --kdir tree, or finds the configured one. A tree that cannot build Rust
// modules is an environment error: checking against it would only report that for every
// snippet.
func (a *app) trees(c *course.Course, f *libraryFlags) ([]*kernel.Tree, error) {
	if len(f.kdirs) == 0 {
		t, err := a.findTree(c)
		if err != nil {
			return nil, err
		}
		if err := t.RustReady(); err != nil {
			return nil, exit.UsageErr(err)
		}
		return []*kernel.Tree{t}, nil
	}
	var trees []*kernel.Tree
	seen := map[string]bool{}
	for _, dir := range f.kdirs {
		t, err := kernel.Open(dir)
		if err != nil {
			return nil, exit.UsageErr(err)
		}
		if err := t.RustReady(); err != nil {
			return nil, exit.UsageErr(err)
		}
		real, err := filepath.EvalSymlinks(t.Dir)
		if err != nil {
			real = t.Dir
		}
		if seen[real] {
			return nil, exit.UsageErr(fmt.Errorf("--kdir %s names a tree given already", dir))
		}
		seen[real] = true
		trees = append(trees, t)
	}
	return trees, nil
}

func (a *app) libraryOptions(f *libraryFlags) library.Options {
	cache := filepath.Join(xdg.CacheHome(), "library")
	return library.Options{
		Jobs:       f.jobs,
		CacheDir:   filepath.Join(cache, "results"),
		WorkDir:    workDir(filepath.Join(cache, "work")),
		NoCache:    f.noCache,
		Timeout:    f.timeout,
		OnProgress: a.progressBar(),
	}
}

// workDir creates dir for the batch folders and returns it, or "" (the system's temporary
// folder) when it cannot be created or make could not build in it (a home folder with a
// space in its name).
func workDir(dir string) string {
	if strings.ContainsAny(dir, " \t\n:#$%\\'\"*?[]") || os.MkdirAll(dir, 0o755) != nil {
		return ""
	}
	return dir
}

// progressBar draws a one-line bar on stderr when it is a terminal, or returns nil.
func (a *app) progressBar() func(library.Progress) {
	f, ok := a.stderr.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return nil
	}
	var mu sync.Mutex
	return func(p library.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Total == 0 {
			return
		}
		// A started compile is half way; an outcome is the whole way.
		const width = 24
		filled := width * (p.Started + p.Done) / (2 * p.Total)
		line := fmt.Sprintf("[%s%s] %d/%d done", strings.Repeat("#", filled), strings.Repeat("-", width-filled), p.Done, p.Total)
		if p.Tree != nil && p.Target.Snippet != nil {
			line += fmt.Sprintf("  %s on %s", p.Target, p.Tree.Release)
		}
		fmt.Fprintf(f, "\r%s\x1b[K", ansi.Truncate(line, 100, "…"))
	}
}

// endProgress clears the bar's line.
func (a *app) endProgress(fn func(library.Progress)) {
	if fn != nil {
		fmt.Fprint(a.stderr, "\r\x1b[K")
	}
}

func (a *app) snippetsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "snippets",
		Short: "Check the snippet library against kernel trees",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.snippetsCheckCmd())
	return cmd
}

func (a *app) snippetsCheckCmd() *cobra.Command {
	var (
		lf     libraryFlags
		asJSON bool
		junit  string
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Build every snippet against every kernel tree and compare with its metadata",
		Long: `Build the reference code of every snippet in the library against each kernel tree and
compare with its snippet.yaml: "expect: builds" must build with no warnings and follow the style
rules; "expect: fails" must fail with the rustc error code it names. A snippet whose kernel
version range or configuration the tree does not meet is skipped, with the reason.

All the snippets a tree needs are built in one Kbuild run (make -k -jN), trees in parallel,
and results are cached by snippet content, tree and toolchain, so an unchanged library
re-checks at once.

Exit status: 0 every snippet behaves as declared, 1 some do not, 2 no kernel tree or another
environment problem.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			if err := a.needSandbox(c); err != nil {
				return err
			}
			trees, err := a.trees(c, &lf)
			if err != nil {
				return err
			}
			opts := a.libraryOptions(&lf)
			rep, err := library.CheckSnippets(cmd.Context(), c, trees, opts)
			a.endProgress(opts.OnProgress)
			if err != nil {
				if cmd.Context().Err() != nil {
					return err
				}
				return exit.UsageErr(err)
			}
			if junit != "" {
				if err := writeJUnitFile(junit, rep); err != nil {
					return exit.UsageErr(err)
				}
			}
			if asJSON {
				if err := writeJSON(a.stdout, rep); err != nil {
					return err
				}
			} else {
				a.printSnippetsReport(rep)
			}
			if !rep.OK() {
				return exit.Quiet(exit.Failure)
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the results as JSON")
	cmd.Flags().StringVar(&junit, "junit", "", "also write the results as JUnit XML to `FILE` (for CI)")
	return cmd
}

func writeJUnitFile(name string, rep *library.Report) error {
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("JUnit report: %w", err)
	}
	werr := library.WriteJUnit(f, rep)
	return errors.Join(werr, f.Close())
}

// printSnippetsReport prints the table snippet × tree. With one tree each cell says what went
// wrong; with several, the cells hold marks and the details follow the table.
func (a *app) printSnippetsReport(rep *library.Report) {
	p := a.painter()
	w := a.stdout
	single := len(rep.Trees) == 1
	header := []string{"snippet", "expect"}
	for _, t := range rep.Trees {
		header = append(header, t.Release)
	}
	rows := [][]string{header}
	var drift []library.SnippetResult
	for _, s := range rep.Snippets {
		expect := string(s.Expect)
		if s.Error != "" {
			expect += " " + s.Error
		}
		row := []string{s.ID, expect}
		for _, v := range s.Results {
			var cell string
			switch v.Status {
			case library.Pass:
				cell = p.ok("✓")
			case library.Fail:
				cell = p.fail("✗")
			default:
				cell = p.dim("skipped")
			}
			if v.Status != library.Pass && single {
				cell += " " + v.Reason
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
		if !single && slices.ContainsFunc(s.Results, func(v library.Verdict) bool { return v.Status != library.Pass }) {
			drift = append(drift, s)
		}
	}
	fmt.Fprintf(w, "%s %s\n\n", p.title("Snippet library"), p.dim(fmt.Sprintf("(%d snippets; %s)", len(rep.Snippets), treeList(rep.Trees))))
	printTable(w, rows, p)
	if len(drift) > 0 {
		fmt.Fprintf(w, "\n%s\n", p.title("Where they differ"))
		printDrift(w, rep.Trees, drift, a.terminalWidth(), p)
	}
	summary := fmt.Sprintf("%d passed, %d failed, %d skipped", rep.Passed, rep.Failed, rep.Skipped)
	fmt.Fprintf(w, "\n%s %s\n", summary, p.dim(statsNote(rep.Stats)))
}

// printDrift shows, for each snippet that does not pass everywhere, each tree's verdict on a
// line of its own: the first error where it breaks, the trees side by side under the snippet,
// every line wrapped at width with the text aligned after the tree's name.
func printDrift(w io.Writer, trees []library.TreeInfo, snippets []library.SnippetResult, width int, p painter) {
	nameWidth := 0
	for _, t := range trees {
		nameWidth = max(nameWidth, ansi.StringWidth(t.Release))
	}
	indent := 4 + nameWidth + 2
	for _, s := range snippets {
		fmt.Fprintf(w, "  %s\n", p.title(s.ID))
		for ti, v := range s.Results {
			var text string
			switch v.Status {
			case library.Pass:
				text = p.ok("✓") + " " + p.dim("passes")
			case library.Fail:
				text = p.fail("✗") + " " + v.Reason
			default:
				text = p.dim("skipped " + v.Reason)
			}
			body := ansi.Wrap(text, max(width-indent, 20), " ")
			pad := strings.Repeat(" ", indent)
			lines := strings.Split(body, "\n")
			name := trees[ti].Release
			fmt.Fprintf(w, "    %s%s  %s\n", name, strings.Repeat(" ", nameWidth-ansi.StringWidth(name)), lines[0])
			for _, l := range lines[1:] {
				fmt.Fprintf(w, "%s%s\n", pad, l)
			}
		}
	}
}

// treeList names trees: "6.12.117 at /tmp/ktree, 6.15.2 at /srv/k615".
func treeList(trees []library.TreeInfo) string {
	names := make([]string, len(trees))
	for i, t := range trees {
		names[i] = t.Release + " at " + t.Dir
	}
	return strings.Join(names, ", ")
}

// statsNote says what the run did: "(1.2 s; 20 cached, 4 built in 2 makes)".
func statsNote(s library.Stats) string {
	var parts []string
	if s.Cached > 0 {
		parts = append(parts, fmt.Sprintf("%d cached", s.Cached))
	}
	if s.Built > 0 {
		built := fmt.Sprintf("%d built in %d make run(s)", s.Built, s.Makes)
		if s.Alone > 0 {
			built += fmt.Sprintf(", %d on their own", s.Alone)
		}
		parts = append(parts, built)
	}
	note := fmt.Sprintf("%.1f s", s.Duration.Seconds())
	if len(parts) > 0 {
		note += "; " + strings.Join(parts, ", ")
	}
	return "(" + note + ")"
}

// printTable aligns the columns of rows (the first is the header) by display width, so
// colour and wide marks do not shift them.
func printTable(w io.Writer, rows [][]string, p painter) {
	widths := map[int]int{}
	for _, r := range rows {
		for i, c := range r[:len(r)-1] {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for ri, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			if ri == 0 {
				c = p.dim(c)
			}
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
