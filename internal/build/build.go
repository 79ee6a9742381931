// Package build runs Kbuild for one out-of-tree module the way a learner would at a terminal:
// `make -C KDIR M=DIR <args> modules` in a pseudo-terminal, so rustc colours its diagnostics and
// the output can be shown live. The build happens in a scratch copy of the module's files, so
// build products never clutter the learner's folder, and cancellation or a timeout kills the
// whole process group: make's children (rustc, ld, modpost) never outlive a build.
package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/creack/pty"

	"github.com/rfl-tutor/rfl-tutor/internal/proc"
	"github.com/rfl-tutor/rfl-tutor/internal/sandbox"
	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// Defaults for the zero values of Request.
const (
	DefaultMaxOutput = 1 << 20
	DefaultCols      = 120
	DefaultRows      = 40
	DefaultKillGrace = 2 * time.Second
)

// Request describes one build.
type Request struct {
	// KDir is the kernel tree (make -C KDir); it is made absolute.
	KDir string
	// MakeArgs go on make's command line after M=, e.g. LLVM=-19 RUSTC=/usr/bin/rustc.
	// Variables must be given here, not in Env: the kernel's Makefile overrides environment
	// variables such as RUSTC with its own defaults.
	MakeArgs []string
	// Targets are the make targets; default "modules".
	Targets []string
	// Jobs, when positive, adds -jJobs.
	Jobs int
	// Make is the make program; default "make" from PATH.
	Make string

	// Files are the module's files (slash-separated relative name → content).
	Files map[string][]byte
	// ScratchDir is where the build runs (the M= folder); it is created if need be and
	// reused, so Kbuild rebuilds incrementally.
	ScratchDir string

	// Timeout bounds the build; zero means no limit.
	Timeout time.Duration
	// KillGrace is how long the process group gets between SIGTERM and SIGKILL on cancel or
	// timeout; default DefaultKillGrace. A sandboxed build has none: SIGTERM ends bwrap, which
	// takes the whole sandbox with it at once.
	KillGrace time.Duration

	// Cols and Rows size the pty (rustc trims long source lines to the terminal width);
	// default DefaultCols x DefaultRows.
	Cols, Rows uint16
	// NoColor asks rustc and make for plain output (TERM=dumb, NO_COLOR=1). By default TERM is
	// set so that rustc colours its diagnostics.
	NoColor bool
	// Trusted says the files come from a trusted source (the built-in course, or a pack the
	// user trusts): where no sandbox works, the build then runs without one. Otherwise make
	// always runs in a sandbox (internal/sandbox), and without a working one Run fails with an
	// error wrapping sandbox.ErrUnavailable.
	Trusted bool

	// Env entries ("K=V") are added last to the environment, overriding what Run sets.
	Env []string

	// Output, when set, receives the build output as the pty delivers it (ANSI colours and
	// CRLF line ends included). It is called from one reader goroutine, never concurrently,
	// and never after Run returns; each chunk is a fresh slice the callee may keep. It should
	// not block for long: the build stalls while it does.
	Output func([]byte)
	// MaxOutput bounds Result.Output: beyond it the head and the tail are kept with a marker
	// line in between. Default DefaultMaxOutput. Output still sees every byte.
	MaxOutput int
}

// Result is what a build did.
type Result struct {
	// ExitCode is make's exit status, or -1 when it was killed by a signal.
	ExitCode int
	// Kos are the absolute paths of the modules built (only when make exited 0).
	Kos []string
	// Output is the build output as printed (colours, CRLF), bounded by Request.MaxOutput.
	Output []byte
	// Omitted is how many bytes of output were dropped from the middle of Output.
	Omitted int64
	// Duration is the wall time of make.
	Duration time.Duration
	// TimedOut is set when Request.Timeout expired and the build was killed.
	TimedOut bool
	// Timeout is the limit that applied (zero: none).
	Timeout time.Duration
	// Canceled is set when the context ended and the build was killed.
	Canceled bool
	// ScratchDir is the folder the build ran in (the M= directory); map diagnostics from it
	// back to the learner's folder.
	ScratchDir string
	// Args is make's argv; Command is the same as one shell-quoted line.
	Args    []string
	Command string
	// Sandboxed says make ran in the sandbox, with only ScratchDir writable.
	Sandboxed bool
	// PGID is the process group the build ran in (make's pid, a session leader). On return
	// every process of the group has been sent SIGKILL.
	PGID int
}

// Run builds the module described by req. It returns an error when the build could not be
// run (bad request, files, make not found) and, together with a Result whose Canceled is set,
// when ctx ended during the build. A build that fails or times out is not an error: the Result
// says so.
func Run(ctx context.Context, req Request) (*Result, error) {
	if req.KDir == "" {
		return nil, errors.New("build: no kernel tree (KDir)")
	}
	kdir, err := filepath.Abs(req.KDir)
	if err != nil {
		return nil, fmt.Errorf("build: kernel tree: %w", err)
	}
	scratch, err := scratchDir(req)
	if err != nil {
		return nil, err
	}
	if req.Files == nil {
		return nil, errors.New("build: no files given")
	}
	if err := ctx.Err(); err != nil {
		return &Result{Canceled: true, ScratchDir: scratch}, fmt.Errorf("build: %w", err)
	}
	mk := req.Make
	if mk == "" {
		mk = "make"
	}
	path, err := exec.LookPath(mk)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if path, err = filepath.Abs(path); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	args := []string{mk}
	if req.Jobs > 0 {
		args = append(args, "-j"+strconv.Itoa(req.Jobs))
	}
	args = append(args, "-C", kdir, "M="+scratch)
	args = append(args, req.MakeArgs...)
	if len(req.Targets) > 0 {
		args = append(args, req.Targets...)
	} else {
		args = append(args, "modules")
	}
	cmd := exec.Command(path, args[1:]...)
	cmd.Args[0] = mk
	cmd.Dir = kdir
	cmd.Env = append(environ(os.Environ(), req.NoColor, req.Env), tagVar+"="+scratch)
	// Only the build folder is writable. make runs on a pty of its own, so it stays in its
	// session (no --new-session): the process group proc supervises then holds make and
	// everything it starts, and there is no terminal of the user's to push input into.
	sandboxed := true
	if err := sandbox.Wrap(cmd, sandbox.Spec{Writable: []string{scratch}, Readable: []string{kdir, filepath.Dir(path)}}); err != nil {
		if !req.Trusted || !errors.Is(err, sandbox.ErrUnavailable) {
			return nil, fmt.Errorf("build: %w", err)
		}
		sandboxed = false
	}

	unlock, err := lockScratch(ctx, scratch)
	if err != nil {
		return nil, err
	}
	defer unlock()
	names, err := syncFiles(scratch, req.Files)
	if err != nil {
		return nil, err
	}
	if err := recoverKilledBuild(scratch, names); err != nil {
		return nil, err
	}
	clearMark, err := markRunning(scratch)
	if err != nil {
		return nil, err
	}

	res := &Result{ScratchDir: scratch, Args: args, Command: ShellLine(args), ExitCode: -1, Timeout: req.Timeout, Sandboxed: sandboxed}

	cols, rows := req.Cols, req.Rows
	if cols == 0 {
		cols = DefaultCols
	}
	if rows == 0 {
		rows = DefaultRows
	}
	maxOut := req.MaxOutput
	if maxOut <= 0 {
		maxOut = DefaultMaxOutput
	}
	grace := req.KillGrace
	if grace <= 0 {
		grace = DefaultKillGrace
	}

	start := time.Now()
	started, err := startInPty(ctx, cmd, cols, rows, proc.Limits{Timeout: req.Timeout, Grace: grace})
	if err != nil {
		clearMark()
		return nil, fmt.Errorf("build: start %s: %w", mk, err)
	}
	res.PGID = started.group.PGID()
	master := pollable(started.master)
	defer master.Close()

	reader := startReader(master, req.Output, maxOut)
	outcome, waitErr := started.group.Wait()
	res.Duration = time.Since(start)
	res.TimedOut, res.Canceled = outcome.TimedOut, outcome.Canceled
	res.ExitCode = outcome.ExitCode
	// Every process of the group is dead or dying now. Once they are gone the pty's slave
	// side closes and the reader sees EIO; the deadline only matters when something escaped
	// the group (setsid) and still holds the terminal.
	_ = master.SetReadDeadline(time.Now().Add(grace))
	out, readErr := reader.wait()
	res.Output = out.bytes()
	res.Omitted = out.omitted

	if res.TimedOut || res.Canceled {
		// A killed compiler may leave a half-written object newer than its source, which
		// Kbuild would take as up to date next time: make the sources newer instead.
		touch(scratch, names)
	}
	clearMark()
	if res.ExitCode == 0 && !res.TimedOut && !res.Canceled {
		res.Kos = builtModules(scratch)
	}
	switch {
	case waitErr != nil:
		return res, fmt.Errorf("build: wait for %s: %w", mk, waitErr)
	case res.Canceled:
		return res, fmt.Errorf("build: %w", context.Cause(ctx))
	case readErr != nil:
		return res, fmt.Errorf("build: read output: %w", readErr)
	}
	return res, nil
}

// ptyGroup is make started on a pseudo-terminal: the master side and make's process group.
type ptyGroup struct {
	master *os.File
	group  *proc.Group
}

// startInPty starts cmd on a new pty of cols x rows as a session leader with the pty as its
// controlling terminal (what creack/pty's StartWithSize does), so make sees a terminal and
// rustc colours its diagnostics, and the session leader's group holds every process the
// build starts.
func startInPty(ctx context.Context, cmd *exec.Cmd, cols, rows uint16, limits proc.Limits) (*ptyGroup, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, err
	}
	// make has its own copy once started; ours would keep the slave side open, and the
	// reader would never see the end of the output.
	defer tty.Close()
	if err := pty.Setsize(master, &pty.Winsize{Cols: cols, Rows: rows}); err != nil {
		_ = master.Close()
		return nil, err
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	// Setctty makes child fd 0 (Ctty's default), the tty, the controlling terminal.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	g, err := proc.Start(ctx, cmd, limits)
	if err != nil {
		_ = master.Close()
		return nil, err
	}
	return &ptyGroup{master: master, group: g}, nil
}

// environ is the build's environment (toolchain.MakeEnv) with a terminal type that decides
// rustc's colours.
func environ(base []string, noColor bool, extra []string) []string {
	term := []string{"TERM=xterm-256color"}
	if noColor {
		term = []string{"TERM=dumb", "NO_COLOR=1"}
	}
	return toolchain.MakeEnv(base, append(term, extra...)...)
}

// ShellLine renders argv as a line a shell would run as the same command.
func ShellLine(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r))
		}) < 0 {
			q[i] = a
			continue
		}
		q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(q, " ")
}
