package kprep

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/lock"
)

// Layout inside an output directory (the O= build directory, which becomes the KDIR):
//
//	<out>/rfl-tutor-tree.json     kernel.MetaFile, written last: the tree is complete
//	<out>/.rfl-tutor/state.json   our in-progress marker and resume point
//	<out>/.rfl-tutor/prepare.log  every command and its output, appended per run
//	<out>/.rfl-tutor/bin/bindgen  the bindgen wrapper the tree is built with
//	<out>/.rfl-tutor/src/…        the unpacked source, when the source was a tarball
const (
	privDir   = ".rfl-tutor"
	stateFile = "state.json"
	logFile   = "prepare.log"
	lockFile  = "lock"
)

// state is the in-progress marker: which steps are done, for which key.
type state struct {
	Key     string `json:"key"`
	Source  string `json:"source"`
	Release string `json:"release"`
	// SrcDir is the source tree the build uses; for a tarball it is set once unpacking is done.
	SrcDir string `json:"src_dir,omitempty"`
	// Configured says the configuration for Key was made and verified.
	Configured bool `json:"configured"`
	// Lines counts the progress lines seen so far for Key, so a resumed build's bar starts there.
	Lines   int       `json:"lines"`
	Started time.Time `json:"started"`
}

func statePath(out string) string { return filepath.Join(out, privDir, stateFile) }

func loadState(out string) (*state, error) {
	var st state
	found, err := atomicfile.ReadJSON(statePath(out), &st)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case !found:
		return nil, nil
	case errors.As(err, &syntax), errors.As(err, &typ):
		return nil, nil // a torn write from a crash: start over rather than refuse forever
	case err != nil:
		return nil, err
	}
	return &st, nil
}

func saveState(out string, st *state) error {
	return atomicfile.WriteJSON(statePath(out), st, 0o644)
}

// claim makes out ours: it creates it if needed, and refuses a directory that is not empty and
// holds neither our metadata nor our in-progress marker, because whatever is there is someone
// else's (a source tree, another build, a home directory given by mistake).
func claim(out string) error {
	ents, err := os.ReadDir(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return fmt.Errorf("output directory: %w", err)
	case len(ents) > 0 && !ours(out):
		return fmt.Errorf("refusing to clobber %s: it is not empty and was not made by `rfl-tutor kernel prepare` "+
			"(no %s or %s/%s); choose an empty or new --out directory", out, kernel.MetaFile, privDir, stateFile)
	}
	return os.MkdirAll(filepath.Join(out, privDir), 0o755)
}

func ours(out string) bool {
	for _, p := range []string{filepath.Join(out, kernel.MetaFile), statePath(out)} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

// lockTree takes an exclusive lock on out so two preparations never build the same tree at once;
// the lock goes away with the process, so a crash never leaves a stale one. It does not wait:
// a preparation takes many minutes, so the error names the one already at work.
func lockTree(out string) (release func(), err error) {
	l, err := lock.TryAcquire(filepath.Join(out, privDir, lockFile), lock.Options{})
	var held *lock.HeldError
	switch {
	case errors.As(err, &held):
		return nil, fmt.Errorf("another `rfl-tutor kernel prepare` is working on %s: %s", out, held.Holder)
	case err != nil:
		return nil, fmt.Errorf("locking %s: %w", out, err)
	}
	return l.Release, nil
}
