package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/exit"
)

// forceAfter is how long a command gets to wind down after a signal (cancel its build or
// boot, restore the terminal) before the process exits anyway. A second signal exits at once.
const forceAfter = 1500 * time.Millisecond

// stopSignals are the signals that end rfl-tutor: Ctrl-C, a polite kill, and the terminal
// going away (a closed window, tmux kill-session). All three cancel what runs and restore the
// terminal; the exit code says which one came, 128 plus its number, as shells report it.
var stopSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// signalError is the cause of a context ended by a signal.
type signalError struct{ sig syscall.Signal }

func (e signalError) Error() string { return "interrupted by " + signalName(e.sig) }

// exitError is the error the process ends with after the signal.
func (e signalError) exitError() error {
	return &exit.Error{Code: 128 + int(e.sig), Err: fmt.Errorf("%s", e.Error())}
}

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return s.String()
}

// onForcedExit holds what must run before a forced exit: the TUI registers the restoring of
// the terminal here while it runs.
var onForcedExit struct {
	mu sync.Mutex
	fn func()
}

// atForcedExit sets fn to run before a forced exit, until the returned func is called.
func atForcedExit(fn func()) (unset func()) {
	onForcedExit.mu.Lock()
	onForcedExit.fn = fn
	onForcedExit.mu.Unlock()
	return func() {
		onForcedExit.mu.Lock()
		onForcedExit.fn = nil
		onForcedExit.mu.Unlock()
	}
}

// notifySignals returns a context that a stop signal cancels, with a signalError as its
// cause. After the first signal the process exits with the signal's code once forceAfter has
// passed or a second signal comes, whatever the command is doing: a command that cannot wind
// down in time must not keep the learner waiting. Its children die with it (internal/proc).
func notifySignals(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, stopSignals...)
	done := make(chan struct{})
	go func() {
		var first os.Signal
		select {
		case first = <-sigs:
		case <-done:
			return
		}
		sig := first.(syscall.Signal)
		cancel(signalError{sig})
		select {
		case <-sigs:
		case <-time.After(forceAfter):
		case <-done:
			return
		}
		onForcedExit.mu.Lock()
		if onForcedExit.fn != nil {
			onForcedExit.fn()
		}
		fmt.Fprintf(os.Stderr, "rfl-tutor: %s\n", signalError{sig}.Error())
		os.Exit(128 + int(sig))
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}
