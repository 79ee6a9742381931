package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

func (a *app) checkCmd() *cobra.Command {
	var (
		solution, starter, asJSON, quiet, noCache, noBoot bool
		timeout, bootTimeout                              time.Duration
	)
	cmd := &cobra.Command{
		Use:   "check EXERCISE",
		Short: "Build your exercise against the kernel tree and judge it, stage by stage",
		Long: `Build your copy of an exercise as an out-of-tree module with Kbuild against the kernel
tree, then judge it: build (a .ko), warnings (none from rustc), modinfo (GPL license, name, and
what the exercise asks for), style (SPDX header, a // SAFETY: comment before each unsafe block),
boot (the module is loaded in the tree's kernel booted under QEMU, the exercise's steps run, the
module is unloaded: it must print the lines the exercise expects, unload cleanly, and cause no
Oops, BUG, WARN, panic or taint beyond out-of-tree). Without QEMU the boot stage is skipped and
says why (` + "`rfl-tutor doctor`" + ` tells what is missing).

On a terminal the build output and then the guest's console stream live. A pass is recorded in
your progress.
Exit status: 0 pass, 1 fail, 2 no kernel tree or another environment problem.`,
		Args: exactArgs(1, "an exercise id (see `rfl-tutor list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if solution && starter {
				return exit.UsageErr(errors.New("--solution and --starter exclude each other"))
			}
			sess, ex, err := a.exercise(args[0])
			if err != nil {
				return err
			}
			if err := a.needSandbox(sess.Course); err != nil {
				return err
			}
			if sess.Tree == nil {
				return exit.UsageErr(sess.TreeErr)
			}
			ex = sess.Exercise(ex)
			opts := check.Options{Timeout: timeout, NoCache: noCache, NoColor: !a.color(), BootTimeout: bootTimeout, NoBoot: noBoot}
			// The build streams as it runs, colours and all, like running make yourself.
			stream := a.isTerminal() && !asJSON && !quiet
			// make's colours pass, nothing else the build or the guest prints can drive the
			// terminal.
			live := sanitize.NewStream(a.stdout)
			opts.OnEvent = func(e check.Event) {
				switch e := e.(type) {
				case check.Output:
					if stream {
						_, _ = live.Write(e.Data)
					}
				case check.Waiting:
					// On stderr, like the other notices, so --json stays clean: a wait with no
					// word of who holds the folder looks like a hang.
					fmt.Fprintf(a.stderr, "rfl-tutor: waiting for the build folder: held by %s\n", e.Holder)
				}
			}
			ctx := cmd.Context()
			var v *check.Verdict
			switch {
			case solution || starter:
				v, err = sess.CheckReference(ctx, ex, solution, opts)
			default:
				cp, werr := sess.Prepare(ex)
				if werr != nil {
					return exit.UsageErr(werr)
				}
				if cp.Fresh {
					fmt.Fprintf(a.stderr, "rfl-tutor: created your copy of the starter in %s\n", cp.Dir)
				}
				if n := cp.Notice(sess.KernelName()); n != "" {
					fmt.Fprintf(a.stderr, "rfl-tutor: %s\n", n)
				}
				v, err = sess.Check(ctx, ex, cp.Dir, opts)
			}
			if err != nil {
				if errors.Is(err, check.ErrUnavailable) {
					return exit.UsageErr(err)
				}
				if ctx.Err() != nil {
					return err
				}
				return exit.UsageErr(err)
			}
			if !solution && !starter {
				// Recorded exactly as the TUI records it: attempts, the pass, the lesson.
				if err := a.record(sess, tutor.RecordCheck(ex, v, time.Now())); err != nil {
					return err
				}
			}
			if asJSON {
				if err := writeJSON(a.stdout, v); err != nil {
					return err
				}
			} else {
				a.printVerdict(ex, v, solution || starter)
			}
			if !v.Passed {
				return exit.Quiet(exit.Failure)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&solution, "solution", false, "check the exercise's reference solution instead of your files")
	f.BoolVar(&starter, "starter", false, "check the starter as shipped (it is meant to fail)")
	f.BoolVar(&asJSON, "json", false, "print the verdict as JSON")
	f.BoolVarP(&quiet, "quiet", "q", false, "do not stream the build output")
	f.BoolVar(&noCache, "no-cache", false, "build even if nothing changed since the last check")
	durationFlag(f, &timeout, "timeout", 5*time.Minute, "give up on a build after this `duration`")
	durationFlag(f, &bootTimeout, "boot-timeout", check.DefaultBootTimeout, "stop the boot stage's guest after this `duration` (a module that hangs fails)")
	f.BoolVar(&noBoot, "no-boot", false, "skip the boot stage (reported as skipped)")
	return cmd
}

func (a *app) printVerdict(ex *course.Exercise, v *check.Verdict, reference bool) {
	p := a.painter()
	w := a.stdout
	fmt.Fprintf(w, "\n%s %s %s\n", p.title("Check of "+ex.ID), p.dim("("+v.Dir+")"), p.dim(cachedNote(v)))
	for _, s := range v.Stages {
		var mark string
		switch s.Status {
		case check.Pass:
			mark = p.ok("pass")
		case check.Fail:
			mark = p.fail("FAIL")
		default:
			mark = p.dim("skip")
		}
		fmt.Fprintf(w, "  %s  %-9s %s\n", mark, s.Stage, sanitize.Text(s.Reason))
	}
	for _, s := range v.Stages {
		// The boot stage's evidence: the Oops, the log without the expected line, the
		// last lines before a timeout.
		if s.Status == check.Fail && len(s.Log) > 0 {
			fmt.Fprintf(w, "\n%s\n", p.title(fmt.Sprintf("%s log", s.Stage)))
			for _, l := range s.Log {
				fmt.Fprintf(w, "  %s\n", sanitize.Text(l))
			}
		}
	}
	if len(v.Diagnostics) > 0 {
		fmt.Fprintln(w)
		for _, d := range v.Diagnostics {
			printDiagnostic(w, p, d)
		}
	}
	failed := 0
	for _, s := range v.Stages {
		if s.Status == check.Fail {
			failed++
		}
	}
	if v.Passed {
		fmt.Fprintf(w, "\n%s %s (%.1f s)\n", p.ok("PASS:"), v.PassedText(), v.Duration.Seconds())
		if !reference {
			fmt.Fprintf(w, "The reference solution is in the interactive tutor (`rfl-tutor`), now that you passed.\n")
		}
		return
	}
	fmt.Fprintf(w, "\n%s %d of %d stages failed (%.1f s)\n", p.fail("FAIL:"), failed, len(v.Stages), v.Duration.Seconds())
	if !reference {
		fmt.Fprintf(w, "Stuck? `rfl-tutor hint %s` reveals a hint.\n", ex.ID)
	}
}

func cachedNote(v *check.Verdict) string {
	if v.Cached {
		return "[unchanged since the last check]"
	}
	return ""
}

// printDiagnostic prints a diagnostic the way rustc does (diag.Render, as the TUI shows it),
// with the path the learner edits.
func printDiagnostic(w io.Writer, p painter, d diag.Diagnostic) {
	st := diag.Style{Error: p.fail, Warning: p.warn, Gutter: p.dim, Dim: p.dim}
	for _, l := range diag.Render(d, diag.RenderOptions{Style: st}) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
}
