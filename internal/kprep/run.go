package kprep

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/proc"
	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// quietLine matches Kbuild's quiet-mode progress lines ("  CC      init/main.o",
// "  RUSTC L rust/core.o", "  LD [M]  …"): one per step of the build.
var quietLine = regexp.MustCompile(`^  [A-Z][A-Z0-9_]{1,15} `)

// progress counts quiet lines against an expected total and reports them.
type progress struct {
	done, total int
	report      func(done, total int, line string)
	// persist records the count now and then, so a killed build resumes its bar near where it
	// stopped.
	persist   func(done int)
	persisted time.Time
}

func (p *progress) line(s string) {
	p.done++
	if p.done >= p.total {
		// Past the estimate: keep the bar just short of full until the build really ends.
		p.total = p.done + 1
	}
	if p.report != nil {
		p.report(p.done, p.total, s)
	}
	if p.persist != nil && time.Since(p.persisted) > 10*time.Second {
		p.persisted = time.Now()
		p.persist(p.done)
	}
}

// tailLines keeps the last lines of a command's output for its error message.
type tailLines struct {
	lines []string
	max   int
}

func (t *tailLines) add(s string) {
	if len(t.lines) == t.max {
		t.lines = t.lines[1:]
	}
	t.lines = append(t.lines, s)
}

// runner runs the build's commands with one environment, logging everything.
type runner struct {
	env  []string
	log  io.Writer
	prog *progress
}

// CommandError is a failed build step, with the end of its output.
type CommandError struct {
	Step    string
	Err     error
	Tail    []string
	LogPath string
}

func (e *CommandError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s failed: %v", e.Step, e.Err)
	if len(e.Tail) > 0 {
		b.WriteString("\n  " + strings.Join(e.Tail, "\n  "))
	}
	if e.LogPath != "" {
		fmt.Fprintf(&b, "\nfull log: %s", e.LogPath)
	}
	return b.String()
}

func (e *CommandError) Unwrap() error { return e.Err }

// killGrace is how long a cancelled step's process group gets between SIGTERM and SIGKILL.
const killGrace = 5 * time.Second

// run runs name args, streaming merged stdout/stderr to the log and the progress counter. On
// cancellation the whole process group gets SIGTERM, then SIGKILL: make's children (clang,
// rustc) must not keep building after we return.
func (r *runner) run(ctx context.Context, step string, name string, args ...string) error {
	fmt.Fprintf(r.log, "\n== %s  %s: %s %s\n", time.Now().Format(time.RFC3339), step, name, strings.Join(args, " "))
	cmd := exec.Command(name, args...)
	cmd.Env = r.env
	tail := &tailLines{max: 30}
	out := &lineWriter{line: func(s string) {
		io.WriteString(r.log, s)
		s = strings.TrimRight(s, "\r\n")
		tail.add(s)
		if r.prog != nil && quietLine.MatchString(s) {
			r.prog.line(strings.TrimSpace(s))
		}
	}}
	// One writer for both: os/exec then shares one pipe and never calls it concurrently.
	cmd.Stdout, cmd.Stderr = out, out
	g, err := proc.Start(ctx, cmd, proc.Limits{Grace: killGrace})
	if err != nil {
		return &CommandError{Step: step, Err: err}
	}
	o, werr := g.Wait()
	out.flush()
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", step, ctx.Err())
	}
	if werr != nil {
		return &CommandError{Step: step, Err: werr, Tail: tail.lines}
	}
	if o.ExitCode != 0 {
		return &CommandError{Step: step, Err: &exec.ExitError{ProcessState: o.State}, Tail: tail.lines}
	}
	return nil
}

// lineWriter hands what it is written to line one line at a time, newline included.
type lineWriter struct {
	line    func(string)
	partial []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.line(string(w.partial[:i+1]))
		w.partial = w.partial[i+1:]
	}
	return len(p), nil
}

// flush hands on a last line that had no newline.
func (w *lineWriter) flush() {
	if len(w.partial) > 0 {
		w.line(string(w.partial))
		w.partial = nil
	}
}

// buildEnv is the environment for make (toolchain.MakeEnv), with PATH starting with the given
// directories.
func buildEnv(base []string, path string, prepend ...string) []string {
	for i := len(prepend) - 1; i >= 0; i-- {
		if prepend[i] != "" {
			path = prepend[i] + string(os.PathListSeparator) + path
		}
	}
	return toolchain.MakeEnv(base, "PATH="+path)
}
