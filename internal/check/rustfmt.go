package check

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/sanitize"
)

// rustfmtArgs are the kernel's formatting settings (its .rustfmt.toml: edition 2021, Unix
// newlines), given on the command line so no tree is needed: rustfmt reads no compiled crate,
// so any rustfmt installed will do, unlike clippy.
var rustfmtArgs = []string{"--check", "--color", "never", "--edition", "2021", "--config", "newline_style=Unix"}

// rustfmtTimeout bounds one run; rustfmt takes milliseconds on an exercise's files.
const rustfmtTimeout = 30 * time.Second

// rustfmtStage checks the .rs files with rustfmt --check, in a scratch copy so that nothing of
// the learner's is touched; the diff rustfmt prints is the stage's log, with the copy's paths
// written back as the learner's.
func rustfmtStage(files map[string][]byte, dir string) StageResult {
	r := StageResult{Stage: course.StageRustfmt}
	bin, err := exec.LookPath("rustfmt")
	if err != nil {
		r.Status, r.Reason = Skip, "rustfmt is not installed (rustup component add rustfmt, or Debian's rustfmt package)"
		return r
	}
	tmp, err := os.MkdirTemp("", "rfl-rustfmt-")
	if err != nil {
		r.Status, r.Reason = Fail, "could not run rustfmt: "+err.Error()
		return r
	}
	defer os.RemoveAll(tmp)
	var paths []string
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if !strings.HasSuffix(name, ".rs") {
			continue
		}
		p := filepath.Join(tmp, name)
		err := os.MkdirAll(filepath.Dir(p), 0o755)
		if err == nil {
			err = os.WriteFile(p, files[name], 0o644)
		}
		if err != nil {
			r.Status, r.Reason = Fail, "could not run rustfmt: "+err.Error()
			return r
		}
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		r.Status, r.Reason = Pass, "no Rust file to format"
		return r
	}
	ctx, cancel := context.WithTimeout(context.Background(), rustfmtTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(slices.Clone(rustfmtArgs), paths...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	text := sanitize.Text(strings.ReplaceAll(out.String(), tmp+string(filepath.Separator), dir+string(filepath.Separator)))
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		r.Status, r.Reason = Pass, "formatted as rustfmt formats it"
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 1 && strings.Contains(text, "Diff in "):
		r.Status = Fail
		r.Log = boundedLines(text, maxLog)
		r.Reason = fmt.Sprintf("not formatted as rustfmt would (%s): run rustfmt --edition 2021 on it, or make the changes the log shows", firstDiff(text))
	default:
		r.Status, r.Reason = Fail, "rustfmt could not read the file: "+firstLine(strings.TrimSpace(text))
		r.Log = boundedLines(text, maxLog)
	}
	return r
}

// firstDiff is where rustfmt's first "Diff in FILE:LINE:" points, as file:line.
func firstDiff(text string) string {
	for _, l := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(l, "Diff in "); ok {
			rest = strings.TrimSuffix(strings.TrimSpace(rest), ":")
			if i := strings.LastIndexByte(rest, '/'); i >= 0 {
				rest = rest[i+1:]
			}
			return rest
		}
	}
	return "see the log"
}

func boundedLines(text string, n int) []string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n:n], fmt.Sprintf("… %d more line(s)", len(lines)-n))
	}
	return lines
}
