package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/progress"
	"github.com/spf13/cobra"

	"github.com/rfl-tutor/rfl-tutor/internal/boot"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/kprep"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

func (a *app) kernelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kernel",
		Short: "Prepare a Rust-enabled kernel tree to build exercises against",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(a.kernelPrepareCmd(), a.kernelListCmd(), a.kernelUseCmd(), a.kernelMakeCmdCmd())
	return cmd
}

func (a *app) kernelPrepareCmd() *cobra.Command {
	var (
		o        kprep.Options
		printDir bool
		series   string
	)
	cmd := &cobra.Command{
		Use:   "prepare [--kernel 7.3|6.12 | --source TARBALL|DIR] [--out DIR] [-j N]",
		Short: "Unpack, configure and build a kernel tree with Rust support (cached, resumable)",
		Long: `Prepare a kernel tree that Rust modules can be built against: unpack the source (if a
tarball), configure tinyconfig plus every option the course needs (Rust, modules, booting,
and each subsystem an exercise uses), build it, and record the toolchain it used. The build's
bzImage and an initramfs made next to it (static busybox, an /init that loads the modules it
is given, and a small module loader) are what the boot stage of ` + "`check`" + ` runs under QEMU.

The tree goes to the cache (XDG cache dir, keyed by kernel version, configuration and
toolchain) unless --out says otherwise; a tree prepared before is reused at once, and an
interrupted preparation continues where it stopped. Install the toolchain first with
scripts/install-toolchain.sh (Debian 12). The log is in <tree>/.rfl-tutor/prepare.log.

Without --source it prepares the kernel --kernel names: ` + seriesHelp() + `.
scripts/install-toolchain.sh installs both sources.

It takes 5 to 10 minutes on 2 cores from scratch.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadCourse()
			if err != nil {
				return err
			}
			if o.Source == "" {
				src, ok := kernel.SourceFor(series)
				if !ok {
					return exit.UsageErr(fmt.Errorf("--kernel %q: the course is verified on %s; give another kernel's source with --source", series, seriesHelp()))
				}
				if _, err := os.Stat(src.Path); err != nil {
					return exit.UsageErr(fmt.Errorf("the Linux %s source %s is missing: run scripts/install-toolchain.sh from the rfl-tutor checkout, or give --source", series, src.Path))
				}
				o.Source = src.Path
			} else if cmd.Flags().Changed("kernel") {
				return exit.UsageErr(errors.New("--kernel and --source are exclusive: --source names the source itself"))
			}
			if o.Jobs < 0 {
				return exit.UsageErr(errors.New("-j must be positive"))
			}
			o.Fragment = c.KernelFragment
			bar := a.newPrepareBar()
			o.Progress = bar.update
			start := time.Now()
			tree, err := kprep.Prepare(cmd.Context(), o)
			bar.finish()
			if err != nil {
				if cmd.Context().Err() != nil {
					return err
				}
				return exit.UsageErr(err)
			}
			// The boot stage's image is the tree's bzImage; its initramfs (busybox, /init and the
			// module loader) is made here, next to the tree, so checks do not pay for it.
			initramfs, bootErr := prepareBoot(tree.Dir)
			if printDir {
				if bootErr != nil {
					fmt.Fprintf(a.stderr, "rfl-tutor: warning: the boot stage will be skipped: %v\n", bootErr)
				}
				fmt.Fprintln(a.stdout, tree.Dir)
				return nil
			}
			fmt.Fprintf(a.stdout, "Kernel tree ready: %s (Linux %s, %s)\n", tree.Dir, tree.Release, time.Since(start).Round(time.Second))
			if bootErr != nil {
				fmt.Fprintf(a.stdout, "Boot stage: unavailable, it will be skipped: %v\n", bootErr)
			} else {
				fmt.Fprintf(a.stdout, "Boot stage: %s with %s\n", boot.KernelImage(tree.Dir), initramfs)
			}
			fmt.Fprintf(a.stdout, "Exercises find it by themselves; pass --kdir %s to be explicit.\n", tree.Dir)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Source, "source", "", "kernel source: a tarball (.tar.xz, .tar.gz) or an unpacked, never-built source `DIR`")
	f.StringVar(&series, "kernel", kernel.DefaultSeries, "which verified kernel to prepare from its installed source: `SERIES` "+seriesHelp())
	f.StringVar(&o.Out, "out", "", "build the tree in `DIR` instead of the cache")
	f.IntVarP(&o.Jobs, "jobs", "j", 0, "run `N` build jobs at once (default: the number of CPUs)")
	f.BoolVar(&printDir, "print-dir", false, "print only the tree's path on stdout (for scripts)")
	return cmd
}

// seriesHelp lists the verified kernels: "7.3 (current stable) or 6.12 (LTS)".
func seriesHelp() string {
	var parts []string
	for _, s := range kernel.Sources() {
		parts = append(parts, s.Series+" ("+s.What+")")
	}
	return strings.Join(parts, " or ")
}

// prepareBar draws a progress bar on a terminal (stderr) from the steps Kbuild reports, and
// prints phases as plain lines otherwise, so CI logs stay readable.
type prepareBar struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	bar      progress.Model
	lastLine string
	lastDraw time.Time
	drawn    bool
}

func (a *app) newPrepareBar() *prepareBar {
	tty := false
	if f, ok := a.stderr.(*os.File); ok {
		tty = isTerminalFile(f)
	}
	return &prepareBar{w: a.stderr, tty: tty, bar: progress.New(progress.WithWidth(30), progress.WithoutPercentage())}
}

func (b *prepareBar) update(done, total int, line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	line = strings.TrimSpace(line)
	if !b.tty {
		// Phases (unpack, configure, build…) are worth a line in a log; each compiled file is not.
		if line != "" && !strings.HasPrefix(line, "CC") && !strings.HasPrefix(line, "RUSTC") &&
			!strings.HasPrefix(line, "LD") && !strings.HasPrefix(line, "AR") && !strings.HasPrefix(line, "AS") &&
			line != b.lastLine && time.Since(b.lastDraw) > 2*time.Second {
			fmt.Fprintf(b.w, "kernel prepare: [%d/%d] %s\n", done, total, line)
			b.lastLine, b.lastDraw = line, time.Now()
		}
		return
	}
	if time.Since(b.lastDraw) < 100*time.Millisecond && done < total {
		return
	}
	pct := 0.0
	if total > 0 {
		pct = min(1, float64(done)/float64(total))
	}
	if len(line) > 40 {
		line = "…" + line[len(line)-39:]
	}
	fmt.Fprintf(b.w, "\r\x1b[K%s %3.0f%% %s", b.bar.ViewAs(pct), pct*100, line)
	b.lastDraw, b.drawn = time.Now(), true
}

func (b *prepareBar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.drawn {
		fmt.Fprint(b.w, "\r\x1b[K")
	}
}

// prepareBoot makes the boot stage's initramfs for the tree in kdir.
func prepareBoot(kdir string) (string, error) {
	env, err := boot.Find(kdir, nil)
	if err != nil {
		return "", err
	}
	return env.Initramfs(kdir, filepath.Join(xdg.CacheHome(), "builds", "boot"))
}
