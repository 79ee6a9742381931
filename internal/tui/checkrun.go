package tui

import (
	"bytes"
	"context"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/tutor"
)

// Checker judges an exercise; *check.Checker is the real one, tests use fakes.
type Checker = tutor.Checker

// checkRun is one check in flight. Its events travel from the checking goroutine to the UI
// through a bounded channel: when the UI falls behind, the build's output reader waits, so a
// flood of output costs bounded memory instead of a growing queue.
type checkRun struct {
	id     int
	exID   string
	cancel context.CancelFunc
	// done is closed when Check has returned, which means the build's process group has been
	// killed and reaped.
	done chan struct{}
	// abandoned is closed when nobody will read the run's events any more (it was replaced, or
	// the program is quitting), so the goroutine does not block on its last message.
	abandoned chan struct{}
	events    chan any // check.Event, then one runResult
}

// runResult is how a run ended.
type runResult struct {
	verdict *check.Verdict
	err     error
}

// checkMsg delivers the events that were ready, in order; result is set on the run's last.
type checkMsg struct {
	forPane
	run    int
	events []check.Event
	result *runResult
}

// maxBatch bounds the events in one message, so one Update never holds the UI for long.
const maxBatch = 256

func startCheck(parent context.Context, sess *tutor.Session, ex *course.Exercise, dir string, cols, rows uint16, id int) *checkRun {
	ctx, cancel := context.WithCancel(parent)
	r := &checkRun{
		id: id, exID: ex.ID, cancel: cancel,
		done: make(chan struct{}), abandoned: make(chan struct{}),
		events: make(chan any, 64),
	}
	send := func(e any) {
		select {
		case r.events <- e:
		case <-r.abandoned:
		}
	}
	opts := check.Options{
		Cols: cols, Rows: rows,
		OnEvent: func(e check.Event) {
			if o, ok := e.(check.Output); ok {
				// The build reuses its read buffer; the UI reads this later.
				e = check.Output{Data: bytes.Clone(o.Data), Source: o.Source}
			}
			if ctx.Err() != nil {
				return // cancelled: nobody wants the rest of the output
			}
			send(e)
		},
	}
	go func() {
		var res runResult
		func() {
			defer func() {
				if p := recover(); p != nil {
					res.err = fmt.Errorf("the check crashed: %v", p)
				}
			}()
			res.verdict, res.err = sess.Check(ctx, ex, dir, opts)
		}()
		cancel()
		close(r.done)
		send(res)
		close(r.events)
	}()
	return r
}

// next waits for the run's next events and delivers what is ready as one message. The pane
// re-arms it after every message until the result arrives.
func (r *checkRun) next() tea.Cmd {
	return func() tea.Msg {
		first, ok := <-r.events
		if !ok {
			return nil
		}
		msg := checkMsg{forPane: forPane{r.exID}, run: r.id}
		add := func(e any) {
			switch e := e.(type) {
			case check.Event:
				msg.events = append(msg.events, e)
			case runResult:
				msg.result = &e
			}
		}
		add(first)
		for len(msg.events) < maxBatch && msg.result == nil {
			select {
			case e, ok := <-r.events:
				if !ok {
					return msg
				}
				add(e)
			default:
				return msg
			}
		}
		return msg
	}
}

// abandon cancels the run and stops delivering its events.
func (r *checkRun) abandon() {
	r.cancel()
	select {
	case <-r.abandoned:
	default:
		close(r.abandoned)
	}
}

// wait blocks until Check has returned or the timeout passed, and reports which.
func (r *checkRun) wait(timeout time.Duration) bool {
	select {
	case <-r.done:
		return true
	case <-time.After(timeout):
		return false
	}
}
