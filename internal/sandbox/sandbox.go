// Package sandbox runs a command that executes code from elsewhere (a lesson pack's Kbuild and
// Makefiles, the learner's module, the compilers they start) in a bubblewrap (bwrap) sandbox:
// the whole file system read-only, the folders named writable, a private /tmp, no network, no
// view of other processes, no capabilities, and nothing left running when the caller dies.
package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrUnavailable means no working sandbox: bwrap is not installed, or it cannot start a sandbox
// on this machine (user namespaces disabled, for one). The error that wraps it says which.
var ErrUnavailable = errors.New("no working bubblewrap (bwrap) sandbox")

// Program is the name of bubblewrap's executable, looked up on PATH.
const Program = "bwrap"

// probeTimeout bounds the trial run that tells whether bwrap works here.
const probeTimeout = 10 * time.Second

// Spec is what a sandboxed command may touch beyond reading the file system.
type Spec struct {
	// Writable folders are bound read-write at their own path; everything else is read-only.
	Writable []string
	// Readable folders are bound read-only again above the sandbox's empty /tmp, which would
	// otherwise hide them; only folders below /tmp need it (a kernel tree or a tool there).
	Readable []string
	// NewSession starts the command in a session of its own, with no controlling terminal, so
	// it cannot push input into the caller's terminal (TIOCSTI). Without it the command stays
	// in the caller's session and process group, which the caller can then signal as a whole;
	// leave it off only when the command's terminal is a private pty the caller owns.
	NewSession bool
	// Dir is the working directory inside the sandbox; empty keeps the caller's.
	Dir string
}

// Args is bwrap's command line for s up to and including "--": the command and its arguments
// follow. bwrap is the program's path (Find).
func Args(bwrap string, s Spec) []string {
	args := []string{bwrap,
		"--ro-bind", "/", "/",
		"--dev", "/dev",
		"--proc", "/proc",
		"--tmpfs", "/tmp",
	}
	// Mounts apply in order: the read-only folders go above the new /tmp, the writable ones last
	// so that one inside a read-only folder stays writable.
	for _, d := range s.Readable {
		args = append(args, "--ro-bind", d, d)
	}
	for _, d := range s.Writable {
		args = append(args, "--bind", d, d)
	}
	args = append(args,
		"--unshare-all",
		// bwrap run by root keeps every capability, enough to mount the host's disks.
		"--cap-drop", "ALL",
		"--die-with-parent",
		"--setenv", "TMPDIR", "/tmp",
	)
	if s.NewSession {
		args = append(args, "--new-session")
	}
	if s.Dir != "" {
		args = append(args, "--chdir", s.Dir)
	}
	return append(args, "--")
}

// Wrap makes cmd, not started yet, run inside the sandbox s; when s.Dir is empty the command
// runs in cmd.Dir. The error wraps ErrUnavailable when there is no working sandbox (see Find);
// cmd is unchanged then.
func Wrap(cmd *exec.Cmd, s Spec) error {
	if cmd.Err != nil {
		return cmd.Err
	}
	bwrap, err := Find()
	if err != nil {
		return err
	}
	for _, d := range append(append([]string{}, s.Writable...), s.Readable...) {
		if !filepath.IsAbs(d) {
			return fmt.Errorf("sandbox: folder %q is not an absolute path", d)
		}
	}
	if s.Dir == "" {
		s.Dir = cmd.Dir
	}
	args := append(Args(bwrap, s), cmd.Path)
	cmd.Args = append(args, cmd.Args[1:]...)
	cmd.Path = bwrap
	return nil
}

var (
	probeMu sync.Mutex
	probed  = map[string]error{}
)

// Find returns the path of bwrap on PATH once it has been seen to work: the first call for a
// given bwrap runs `true` in a sandbox, and the answer is remembered. The error wraps
// ErrUnavailable.
func Find() (string, error) {
	bwrap, err := exec.LookPath(Program)
	if err != nil {
		return "", fmt.Errorf("%w: %s is not installed (Debian and Ubuntu: apt-get install bubblewrap)", ErrUnavailable, Program)
	}
	if abs, err := filepath.Abs(bwrap); err == nil {
		bwrap = abs
	}
	probeMu.Lock()
	defer probeMu.Unlock()
	err, ok := probed[bwrap]
	if !ok {
		err = probe(bwrap)
		probed[bwrap] = err
	}
	if err != nil {
		return "", err
	}
	return bwrap, nil
}

// probe runs a trivial command in a sandbox.
func probe(bwrap string) error {
	truePath, err := exec.LookPath("true")
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bwrap, append(Args(bwrap, Spec{NewSession: true}), truePath)[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("%w: %s cannot start a sandbox here: %s (are unprivileged user namespaces disabled?)", ErrUnavailable, bwrap, msg)
	}
	return nil
}
