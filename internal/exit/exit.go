// Package exit maps errors to the process exit codes every rfl-tutor command shares:
// 0 success, 1 a failure the user asked us to find (a failing check, a snippet that misbehaves),
// 2 a usage or environment error (bad flags, invalid course, no kernel tree), 124 a timeout and
// 128+N when signal N ended the command (130 SIGINT, 143 SIGTERM, 129 SIGHUP), as shells and
// other terminal tools report them.
package exit

import (
	"context"
	"errors"
)

const (
	OK        = 0
	Failure   = 1
	Usage     = 2
	Timeout   = 124
	Interrupt = 130
)

// Error carries the exit code an error should end the process with.
type Error struct {
	Code int
	Err  error
	// Silent means the message was already printed (e.g. a verdict or a list of problems).
	Silent bool
}

func (e *Error) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// UsageErr wraps err as a usage or environment error (exit 2).
func UsageErr(err error) error { return &Error{Code: Usage, Err: err} }

// Quiet is a failure or usage error whose explanation the command already printed.
func Quiet(code int) error { return &Error{Code: code, Silent: true} }

// Code returns the exit code for err.
func Code(err error) int {
	if err == nil {
		return OK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	switch {
	case errors.Is(err, context.Canceled):
		return Interrupt
	case errors.Is(err, context.DeadlineExceeded):
		return Timeout
	}
	return Failure
}

// Message is what to print for err, or "" when nothing should be printed.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Silent {
		return ""
	}
	if err == nil {
		return ""
	}
	return err.Error()
}
