package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/boot"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// listedTree is one row of `kernel list` (and its JSON form).
type listedTree struct {
	Dir      string `json:"dir"`
	Release  string `json:"release"`
	Selected bool   `json:"selected"`
	// Why says why the selected tree is the one (--kdir, $KDIR, config, newest in the cache).
	Why       string `json:"why,omitempty"`
	Ready     bool   `json:"ready"`
	NotReady  string `json:"not_ready,omitempty"`
	Bootable  bool   `json:"bootable"`
	NoBoot    string `json:"no_boot,omitempty"`
	Rustc     string `json:"rustc,omitempty"`
	Clang     string `json:"clang,omitempty"`
	Bindgen   string `json:"bindgen,omitempty"`
	Source    string `json:"source,omitempty"`
	Prepared  bool   `json:"prepared"` // made by kernel prepare (in the cache)
	Available int    `json:"exercises_available"`
	Exercises int    `json:"exercises"`
}

func (a *app) kernelListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "Show every prepared kernel tree and which one exercises use",
		Long: `List the kernel trees rfl-tutor knows: every tree kernel prepare made (in the cache), and the
selected one wherever it is. For each: the kernel version, the toolchain it was built with,
whether modules can be built against it and whether the boot stage can run its kernel, and
how many exercises apply to it. The selected tree (*) is the one check, the TUI and doctor
use: --kdir, else $KDIR, else kdir: in the config file, else the newest ready prepared tree.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			selected, why, selErr := kernel.Select(a.treeOptions(c))
			if selErr != nil && a.kdir != "" {
				return exit.UsageErr(selErr)
			}
			trees := kernel.Known(selected)
			rows := make([]listedTree, 0, len(trees))
			for _, t := range trees {
				r := listedTree{Dir: t.Dir, Release: t.Release, Prepared: t.Meta != nil, Rustc: t.RustcVersionText,
					Clang: t.CCVersionText}
				r.Available, r.Exercises = kernel.ExercisesAvailable(t, c)
				if selected != nil && t.Dir == selected.Dir {
					r.Selected, r.Why = true, why
				}
				if err := t.RustReady(); err != nil {
					r.NotReady = err.Error()
				} else {
					r.Ready = true
				}
				if _, err := boot.Find(t.Dir, nil); err != nil {
					r.NoBoot = err.Error()
				} else {
					r.Bootable = true
				}
				if t.Meta != nil {
					r.Bindgen = strings.TrimSpace(t.Meta.BindgenVersion)
					r.Source = t.Meta.Source
				}
				rows = append(rows, r)
			}
			if asJSON {
				return writeJSON(a.stdout, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintf(a.stdout, "No kernel tree yet. %s.\n", kernel.PrepareHint)
				return nil
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "  KERNEL\tEXERCISES\tMODULES\tBOOT\tRUSTC\tBINDGEN\tTREE")
			for _, r := range rows {
				mark := " "
				if r.Selected {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s %s\t%d/%d\t%s\t%s\t%s\t%s\t%s\n", mark, r.Release, r.Available, r.Exercises,
					yesNo(r.Ready), yesNo(r.Bootable), strings.TrimPrefix(r.Rustc, "rustc "), dash(r.Bindgen), r.Dir)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if selected != nil {
				fmt.Fprintf(a.stdout, "\n* selected: %s (%s); pick another with `rfl-tutor kernel use`, --kdir, $KDIR, kdir: in %s, or the TUI's tree picker (K)\n",
					selected.Release, why, kernel.ConfigFile())
			} else if selErr != nil {
				fmt.Fprintf(a.stdout, "\nno tree is selected: %v\n", selErr)
			}
			for _, r := range rows {
				if r.NotReady != "" {
					fmt.Fprintf(a.stdout, "%s: modules cannot be built: %s\n", r.Release, r.NotReady)
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the trees as JSON")
	return cmd
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (a *app) kernelUseCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "use TREE|VERSION",
		Short: "Select the kernel tree exercises are checked against (saved in your config)",
		Long: `Make a kernel tree the selected one for check, the TUI and doctor, by writing kdir: into
your config file (other settings are kept). TREE is a tree's folder; VERSION picks the newest
prepared tree whose version starts with it ("7.3", "6.12", "7.3.4"). --kdir and $KDIR still
win over the config for one run.`,
		Args: exactArgs(1, "a tree folder or a kernel version (see `rfl-tutor kernel list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			t, err := pickTree(args[0])
			if err != nil {
				return exit.UsageErr(err)
			}
			if err := t.RustReady(); err != nil {
				return exit.UsageErr(fmt.Errorf("%s cannot build Rust modules: %w", t.Dir, err))
			}
			if err := kernel.SaveChoice("", t.Dir); err != nil {
				return exit.UsageErr(fmt.Errorf("save the choice: %w", err))
			}
			fmt.Fprintf(a.stdout, "Selected Linux %s (%s), saved in %s.\n", t.Release, t.Dir, kernel.ConfigFile())
			return nil
		},
	}
}

// pickTree resolves a folder, or a version prefix among the prepared trees (newest first).
func pickTree(arg string) (*kernel.Tree, error) {
	if strings.ContainsRune(arg, '/') {
		return kernel.Open(arg)
	}
	var releases []string
	for _, t := range kernel.Prepared(kernel.CacheDir()) {
		if t.Release == arg || strings.HasPrefix(t.Release, arg+".") || strings.HasPrefix(t.Release, arg+"-") {
			return t, nil
		}
		releases = append(releases, t.Release)
	}
	if len(releases) == 0 {
		return nil, fmt.Errorf("no prepared tree is Linux %s (there is none yet): %s", arg, kernel.PrepareHint)
	}
	return nil, fmt.Errorf("no prepared tree is Linux %s; prepared: %s (or give a tree's folder)", arg, strings.Join(releases, ", "))
}
