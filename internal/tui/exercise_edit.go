package tui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/diag"
	"github.com/rfl-tutor/rfl-tutor/internal/tui/watch"
)

// diagFile is the file a diagnostic points into, in the learner's folder when it is there.
func (p *exercisePane) diagFile(d diag.Diagnostic) string {
	if d.File == "" {
		return p.file
	}
	f := d.File
	if !filepath.IsAbs(f) {
		f = filepath.Join(p.dir, f)
	}
	if rel, err := filepath.Rel(p.dir, f); err == nil && !strings.HasPrefix(rel, "..") {
		return f
	}
	return p.file
}

// edit hands the terminal to the learner's editor; the check runs when it exits.
func (p *exercisePane) edit(file string, line int) tea.Cmd {
	if !p.ready {
		p.note = "Your copy of the exercise is not set up yet."
		return nil
	}
	args := p.editorArgs(file, line)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = p.dir
	p.editing = true
	exID := p.ex.ID
	return tea.ExecProcess(cmd, func(err error) tea.Msg { return editorDoneMsg{forPane: forPane{exID}, err: err} })
}

// EnvEditorLine says how the editor is told a line when rfl-tutor does not know it by name
// (a script, a wrapper): "plus" passes +LINE before the file (vi's convention), "colon" passes
// FILE:LINE, "goto" passes -g FILE:LINE (VS Code's), "none" opens the file at its top.
const EnvEditorLine = "RFL_TUTOR_EDITOR_LINE"

// editorArgs is the editor's command line for file, at line in the editor's own way.
func (p *exercisePane) editorArgs(file string, line int) []string {
	args := slices.Clone(p.c.Editor)
	if line <= 0 {
		return append(args, file)
	}
	switch lineStyle(args[0], os.Getenv(EnvEditorLine)) {
	case "plus":
		return append(args, fmt.Sprintf("+%d", line), file)
	case "colon":
		return append(args, fmt.Sprintf("%s:%d", file, line))
	case "goto":
		return append(args, "-g", fmt.Sprintf("%s:%d", file, line))
	}
	return append(args, file)
}

// lineStyle is how an editor takes a line to open a file at: by its name, or as the
// environment says for editors it does not know.
func lineStyle(editor, env string) string {
	switch filepath.Base(editor) {
	case "vi", "vim", "nvim", "view", "nano", "emacs", "emacsclient", "micro", "kak", "joe", "ne", "hx", "helix", "mg", "jed":
		return "plus"
	case "code", "codium", "code-insiders", "code-oss":
		return "goto"
	case "subl", "zed", "mate":
		return "colon"
	}
	switch env {
	case "plus", "colon", "goto":
		return env
	}
	return "none"
}

// editorFailure says why the editor did not run, and what to do instead: any editor works,
// since the watch checks the file when it is saved.
func editorFailure(editor []string, err error) string {
	if errors.Is(err, exec.ErrNotFound) {
		return fmt.Sprintf("Your editor %q is not installed here. Set $VISUAL or $EDITOR to one that is, or edit the file in another window: while watching, saving it checks it.", editor[0])
	}
	return "The editor failed: " + err.Error() + ". You can edit the file in another window: while watching, saving it checks it."
}

func (p *exercisePane) toggleWatch() tea.Cmd {
	p.watching = !p.watching
	if !p.watching {
		p.stopWatch()
		p.note = "Watch off: press c to check."
		return nil
	}
	p.note = "Watching: saving your file checks it."
	if !p.ready {
		return nil
	}
	return p.startWatch()
}

// startWatch starts a watcher off the UI goroutine (it fingerprints the folder first).
func (p *exercisePane) startWatch() tea.Cmd {
	p.stopWatch()
	p.watchGen++
	gen, dir, exID := p.watchGen, p.dir, p.ex.ID
	return func() tea.Msg {
		w, err := watch.New(dir, watch.Options{Ignore: func(name string) bool { return !course.LearnerFile(name) }})
		return watchStartedMsg{forPane: forPane{exID}, gen: gen, w: w, err: err}
	}
}

func (p *exercisePane) stopWatch() {
	p.watchGen++
	if p.watcher != nil {
		_ = p.watcher.Close()
		p.watcher = nil
	}
}

func (p *exercisePane) nextWatch() tea.Cmd {
	w, gen, exID := p.watcher, p.watchGen, p.ex.ID
	return func() tea.Msg {
		select {
		case <-w.C:
			return watchMsg{forPane: forPane{exID}, gen: gen}
		case <-w.Done():
			return nil
		}
	}
}
