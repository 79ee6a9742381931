package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/coursecheck"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

func (a *app) courseCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "course",
		Short: "Check a course (the built-in one or a lesson pack) before learners use it",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(a.courseCheckCmd())
	return cmd
}

func (a *app) courseCheckCmd() *cobra.Command {
	var (
		lf          libraryFlags
		asJSON      bool
		writeIDs    bool
		bootToo     bool
		bootTimeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Check that every exercise fails as shipped and passes with its solution",
		Long: `The authoring check of a course, for instructors preparing a pack (--course DIR) and for
the built-in course:

  - the course loads cleanly: ids unique and lowercase, two hints or more per exercise, kernel
    code in lessons only included from the snippet library (never a hand-written rust block);
    problems are listed as file:line and end the check with exit status 2;
  - on every kernel tree, each exercise's starter fails at the stage (and with the rustc error
    code) its snippet.yaml declares, and its solution passes every stage of the exercise;
  - no snippet is orphaned: each is used by an exercise or included by a lesson;
  - ids are stable: with a lessons/ids.lock in the course, no id it lists has disappeared and
    every id is listed (--write-ids writes the file from the course).

Starters and solutions of all exercises are built in one Kbuild run per tree, with the same
result cache as ` + "`snippets check`" + `. That check does not boot modules: the boot stage is
reported as skipped unless --boot is given, which then checks each solution like
` + "`rfl-tutor check --solution`" + ` (its own build, then QEMU), -j at a time, with cached verdicts.

Exit status: 0 no problems, 1 problems (one line each, file:line first), 2 the course does not
load, no kernel tree, or another environment problem.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			if err := a.needSandbox(c); err != nil {
				return err
			}
			if writeIDs {
				if a.courseDir == "" {
					return exit.UsageErr(errors.New("--write-ids writes into the course folder: give it with --course DIR (for the built-in course, --course . in the repository)"))
				}
				p, err := coursecheck.WriteIDs(c, a.courseDir)
				if err != nil {
					return exit.UsageErr(err)
				}
				fmt.Fprintf(a.stderr, "rfl-tutor: wrote %s\n", p)
			}
			trees, err := a.trees(c, &lf)
			if err != nil {
				return err
			}
			opts := a.libraryOptions(&lf)
			var bootOpts *coursecheck.BootOptions
			if bootToo {
				bootOpts = &coursecheck.BootOptions{ScratchRoot: filepath.Join(xdg.CacheHome(), "builds"), Timeout: bootTimeout, Jobs: lf.jobs}
				if lf.jobs == 0 {
					bootOpts.Jobs = runtime.NumCPU()
				}
			}
			rep, err := coursecheck.Check(cmd.Context(), c, trees, opts, bootOpts)
			a.endProgress(opts.OnProgress)
			if err != nil {
				if cmd.Context().Err() != nil {
					return err
				}
				return exit.UsageErr(err)
			}
			if asJSON {
				if err := writeJSON(a.stdout, rep); err != nil {
					return err
				}
			} else {
				a.printCourseReport(c, rep)
			}
			if !rep.OK() {
				return exit.Quiet(exit.Failure)
			}
			return nil
		},
	}
	lf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&writeIDs, "write-ids", false, "write lessons/ids.lock from the course's ids before checking")
	cmd.Flags().BoolVar(&bootToo, "boot", false, "also boot every solution under QEMU (the boot stage)")
	durationFlag(cmd.Flags(), &bootTimeout, "boot-timeout", check.DefaultBootTimeout, "with --boot, stop a guest after this `duration`")
	return cmd
}

func (a *app) printCourseReport(c *course.Course, rep *coursecheck.Report) {
	p := a.painter()
	w := a.stdout
	fmt.Fprintf(w, "%s %s\n", p.title("Course check of "+rep.Course),
		p.dim(fmt.Sprintf("(%d lessons, %d exercises, %d snippets; %s)", rep.Lessons, len(rep.Exercises), rep.Snippets, treeList(rep.Trees))))

	byRule := map[string]int{}
	for _, f := range rep.Findings {
		byRule[f.Rule]++
	}
	var starters, startersJudged, solutions, judged, shortcuts, refused int
	for _, ex := range rep.Exercises {
		for _, on := range ex.Trees {
			if on.Skip != "" {
				continue
			}
			for _, sc := range on.Shortcuts {
				shortcuts++
				if sc.OK {
					refused++
				}
			}
			judged++
			if !on.StarterNeedsBoot {
				startersJudged++
			}
			if on.StarterOK {
				starters++
			}
			if on.SolutionOK {
				solutions++
			}
		}
	}
	line := func(ok bool, text string) {
		mark := p.ok("✓")
		if !ok {
			mark = p.fail("✗")
		}
		fmt.Fprintf(w, "  %s %s\n", mark, text)
	}
	line(true, "loads cleanly: ids unique and lowercase, 2+ hints per exercise, lessons show kernel code only from the library")
	line(starters == startersJudged, fmt.Sprintf("%d of %d starters fail as their snippet.yaml declares", starters, startersJudged))
	booted := ""
	if !rep.Booted {
		booted = " (the boot stage skipped: add --boot to boot them)"
	}
	line(solutions == judged, fmt.Sprintf("%d of %d solutions pass every stage%s", solutions, judged, booted))
	if shortcuts > 0 {
		line(refused == shortcuts, fmt.Sprintf("%d of %d shortcuts (declared wrong solutions) refused for the declared reason", refused, shortcuts))
	}
	line(byRule[coursecheck.RuleOrphan] == 0, fmt.Sprintf("%d orphaned snippet(s)", byRule[coursecheck.RuleOrphan]))
	if _, err := c.Root.Open(coursecheck.IDsLock); err == nil {
		line(byRule[coursecheck.RuleIDs] == 0, fmt.Sprintf("ids stable against %s (%d problem(s))", coursecheck.IDsLock, byRule[coursecheck.RuleIDs]))
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "  %s %s\n", p.dim("-"), n)
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintln(w)
		// Findings quote compiler output and the guest's console.
		for _, f := range rep.Findings {
			fmt.Fprintln(w, sanitize.Text(f.String()))
		}
		fmt.Fprintf(w, "\n%s %d problem(s) %s\n", p.fail("FAIL:"), len(rep.Findings), p.dim(courseNote(rep)))
		return
	}
	fmt.Fprintf(w, "\n%s no problems %s\n", p.ok("PASS:"), p.dim(courseNote(rep)))
}

// courseNote is the library's build figures, and with --boot the whole run's time: the boots
// take most of it.
func courseNote(rep *coursecheck.Report) string {
	note := statsNote(rep.Stats)
	if rep.Booted {
		note = strings.TrimSuffix(note, ")") + fmt.Sprintf("; %.1f s in all with the boots)", rep.Duration.Seconds())
	}
	return note
}
