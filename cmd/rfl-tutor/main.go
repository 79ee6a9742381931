// Command rfl-tutor is an interactive terminal tutor for writing Linux kernel modules in Rust.
// With no command it opens the TUI; every screen of it has a headless command as well.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/proc"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	// A stop signal cancels the context; commands that start builds and boots end their
	// process groups when it is cancelled, so make, rustc and QEMU never outlive us.
	ctx, stop := notifySignals(context.Background())
	defer stop()
	// Be the reaper of our builds' orphans: where PID 1 does not reap (containers), a killed
	// rustc would otherwise linger as a zombie inside the cancelled build's process group.
	_ = proc.AdoptOrphans()

	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var sig signalError
	if errors.As(context.Cause(ctx), &sig) {
		// Whatever the command made of the cancellation, the signal decides the exit code.
		err = sig.exitError()
	}
	if msg := exit.Message(err); msg != "" {
		fmt.Fprintln(stderr, "rfl-tutor:", msg)
	}
	return exit.Code(err)
}
