package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/progress"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
	"github.com/rfl-tutor/rfl-tutor/internal/workspace"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

// app holds the global flags and what commands load from them, loaded once and on demand:
// `list` never needs a kernel tree, `doctor` never needs progress.
type app struct {
	courseDir    string
	kdir         string
	workspaceDir string
	noColor      bool
	trust        bool

	stdout io.Writer
	stderr io.Writer

	course *course.Course
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	a := &app{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "rfl-tutor",
		Short: "Learn to write Linux kernel modules in Rust, checked against a real kernel tree",
		Long: `rfl-tutor steps you through Rust-for-Linux lessons and checks your exercises for real:
it builds your module with Kbuild against a Rust-enabled kernel tree and shows the verdict.

Run it with no command to open the interactive tutor; every screen has a command too.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.runTUI(cmd)
		},
	}
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	root.SetVersionTemplate("rfl-tutor {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return exit.UsageErr(err) })
	pf := root.PersistentFlags()
	pf.StringVar(&a.courseDir, "course", "", "use the course (lesson pack) in `DIR` instead of the built-in one")
	pf.StringVar(&a.kdir, "kdir", "", "kernel tree to build against (default: $KDIR, config, prepared tree, /lib/modules/$(uname -r)/build)")
	pf.StringVar(&a.workspaceDir, "workspace", "", "folder of your exercise files (default: $RFL_TUTOR_WORKSPACE or the XDG data dir)")
	pf.BoolVar(&a.noColor, "no-color", false, "never print colour (NO_COLOR is honoured too)")
	pf.BoolVar(&a.trust, "trust", false, "build the --course pack without a sandbox where none is available (remembered for the pack's content); packs are code")

	root.AddCommand(
		a.listCmd(),
		a.showCmd(),
		a.hintCmd(),
		a.solutionCmd(),
		a.progressCmd(),
		a.checkCmd(),
		a.resetCmd(),
		a.doctorCmd(),
		a.kernelCmd(),
		a.snippetsCmd(),
		a.courseCmd(),
	)
	return root
}

// noArgs, exactArgs and maxArgs report wrong argument counts as usage errors (exit 2).
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return exit.UsageErr(fmt.Errorf("%s takes no arguments, got %q (see --help)", cmd.CommandPath(), args))
	}
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return exit.UsageErr(fmt.Errorf("%s needs %s (see --help)", cmd.CommandPath(), what))
		}
		return nil
	}
}

func maxArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return exit.UsageErr(fmt.Errorf("%s takes %s, got %q (see --help)", cmd.CommandPath(), what, args))
		}
		return nil
	}
}

func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown version)"
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if v == "" || v == "(devel)" {
		v = "devel"
		if len(rev) >= 12 {
			v += " " + rev[:12] + dirty
		}
	}
	return v
}

// isTerminal reports whether stdout is a terminal: otherwise commands print plain text.
func (a *app) isTerminal() bool {
	f, ok := a.stdout.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// color reports whether output may carry ANSI colour.
func (a *app) color() bool {
	if a.noColor || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return a.isTerminal()
}

// loadCourse loads and validates the course once. An invalid course prints every problem and
// ends with exit status 2: the course is part of the environment, not the learner's failure.
func (a *app) loadCourse() (*course.Course, error) {
	if a.course != nil {
		return a.course, nil
	}
	fsys := course.Embedded()
	if a.courseDir != "" {
		var err error
		fsys, err = course.OpenDir(a.courseDir)
		if err != nil {
			return nil, exit.UsageErr(err)
		}
	}
	c, err := course.Load(fsys)
	if err != nil {
		var probs *course.Problems
		if errors.As(err, &probs) {
			where := "built-in course"
			if a.courseDir != "" {
				where = a.courseDir
			}
			fmt.Fprintf(a.stderr, "rfl-tutor: %s has %d problem(s):\n", where, len(probs.List))
			for _, p := range probs.List {
				fmt.Fprintf(a.stderr, "  %s\n", p)
			}
			return nil, exit.Quiet(exit.Usage)
		}
		return nil, exit.UsageErr(err)
	}
	if err := a.settleTrust(c, fsys); err != nil {
		return nil, err
	}
	a.course = c
	return c, nil
}

// treeOptions is how every command finds the kernel tree: --kdir, $KDIR, config, then the
// newest prepared tree with the course's configuration, so the CLI, the TUI, doctor and
// `kernel list` always pick the same one.
func (a *app) treeOptions(c *course.Course) kernel.FindOptions {
	return kernel.FindOptions{Flag: a.kdir, Fragment: c.KernelFragment}
}

// findTree locates the kernel tree; not finding one is an environment error.
func (a *app) findTree(c *course.Course) (*kernel.Tree, error) {
	t, err := kernel.Find(a.treeOptions(c))
	if err != nil {
		return nil, exit.UsageErr(err)
	}
	return t, nil
}

// session opens the learner's session: the course, the selected tree (none: TreeErr says why),
// the workspace and the progress store. Commands that need a tree check sess.Tree.
func (a *app) session(c *course.Course) (*tutor.Session, error) {
	store, err := a.progressStore()
	if err != nil {
		return nil, err
	}
	tree, treeErr := kernel.Find(a.treeOptions(c))
	return tutor.New(c, tree, treeErr, a.workspace(), store, tutor.BuildRoot(xdg.CacheHome())), nil
}

// record applies fn to the session's course progress; a corrupt progress file set aside is a
// warning, not a failure.
func (a *app) record(s *tutor.Session, fn func(*progress.CourseProgress)) error {
	return a.progressWarning(s.Record(fn))
}

func (a *app) workspace() *workspace.Workspace {
	return workspace.New(workspace.Resolve(a.workspaceDir))
}

func (a *app) progressStore() (*progress.Store, error) {
	s, err := progress.Open(progress.DefaultPath())
	if err != nil {
		return nil, exit.UsageErr(err)
	}
	return s, nil
}

// readProgress loads progress for reading. A corrupt file was kept aside by the store: say so
// and carry on with a fresh state, never silently.
func (a *app) readProgress() (*progress.State, error) {
	s, err := a.progressStore()
	if err != nil {
		return nil, err
	}
	st, err := s.Load()
	return st, a.progressWarning(err)
}

func (a *app) progressWarning(err error) error {
	var corrupt *progress.CorruptError
	if errors.As(err, &corrupt) {
		fmt.Fprintf(a.stderr, "rfl-tutor: warning: %v\n", corrupt)
		return nil
	}
	if err != nil {
		return exit.UsageErr(err)
	}
	return nil
}

func isTerminalFile(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
