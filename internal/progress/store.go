package progress

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/rfl-tutor/rfl-tutor/internal/lock"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

// EnvPath names the environment variable that overrides the progress file's path (tests,
// workshops that keep one file per learner).
const EnvPath = "RFL_TUTOR_PROGRESS"

// DefaultLockTimeout is how long Update waits for another rfl-tutor to finish its update. Updates
// take milliseconds, so waiting this long means the other process is stuck.
const DefaultLockTimeout = 5 * time.Second

// ErrBusy is returned (wrapped) when the lock could not be taken in time.
var ErrBusy = errors.New("another rfl-tutor is updating progress")

// VersionError reports a progress file written by a newer rfl-tutor. The file is left untouched.
type VersionError struct {
	Path      string
	Version   int
	Supported int
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("progress file %s has version %d, newer than the %d this rfl-tutor understands: upgrade rfl-tutor (the file was left as it is)",
		e.Path, e.Version, e.Supported)
}

// CorruptError reports a progress file that could not be read as progress and was moved aside.
// It is a warning: the Load or Update that returns it has completed, on a fresh state.
type CorruptError struct {
	Path   string // the progress file
	KeptAs string // where the unreadable file now is
	Err    error  // why it could not be read
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("progress file %s was corrupt (%v); kept as %s; starting fresh", e.Path, e.Err, e.KeptAs)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Store is the progress file at one path. Its methods are safe to use from several goroutines and
// processes at once.
type Store struct {
	path string
	// LockTimeout bounds how long Update waits for the lock; DefaultLockTimeout after Open.
	LockTimeout time.Duration
}

// DefaultPath is $RFL_TUTOR_PROGRESS when set, else progress.json in the XDG state directory.
func DefaultPath() string {
	if v := os.Getenv(EnvPath); v != "" {
		if a, err := filepath.Abs(v); err == nil {
			return a
		}
		return v
	}
	return filepath.Join(xdg.StateHome(), "progress.json")
}

// Open returns the store for path, creating its directory (private to the user, as the XDG
// specification asks of state directories) so that the lock file can be made beside it.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("progress: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("progress directory: %w", err)
	}
	return &Store{path: path, LockTimeout: DefaultLockTimeout}, nil
}

// Path is the progress file.
func (s *Store) Path() string { return s.path }

// Load reads the progress. A missing file is an empty state. A newer version is a *VersionError.
// An unreadable file is moved aside and Load returns a fresh state together with a
// *CorruptError, which the caller should show to the learner.
//
// Load takes no lock to read: files are only ever replaced by rename, so a reader sees either the
// old or the new file whole. Only moving a corrupt file aside takes the lock.
func (s *Store) Load() (*State, error) {
	st, err := s.read()
	var bad *badFile
	if !errors.As(err, &bad) {
		return st, err
	}
	var warn *CorruptError
	err = s.locked(func() error {
		st, warn, err = s.readRepair()
		return err
	})
	if err != nil {
		return nil, err
	}
	if warn != nil {
		return st, warn
	}
	return st, nil
}

// Update applies fn to the current progress and saves the result atomically, holding an
// exclusive lock throughout so that concurrent updates from other goroutines and processes are
// applied one after the other and none is lost. fn sees the file as it is after taking the lock,
// not as any earlier Load saw it. If fn returns an error, nothing is saved and Update returns it.
// As with Load, a *CorruptError means the update was applied to a fresh state and saved.
func (s *Store) Update(fn func(*State) error) error {
	var warn *CorruptError
	err := s.locked(func() error {
		s.removeStaleTemps()
		st, w, err := s.readRepair()
		if err != nil {
			return err
		}
		warn = w
		if err := fn(st); err != nil {
			if w != nil {
				// The corrupt file is already aside; say so, or the learner never hears of it.
				warn = nil
				return fmt.Errorf("%w (and: %s)", err, w.Error())
			}
			return err
		}
		st.Version = Version
		return s.save(st)
	})
	if err != nil {
		return err
	}
	if warn != nil {
		return warn
	}
	return nil
}

// badFile marks content that is not a valid progress file (as opposed to a failure to read it).
type badFile struct{ err error }

func (b *badFile) Error() string { return b.err.Error() }
func (b *badFile) Unwrap() error { return b.err }

// read reads and checks the file without changing anything on disk.
func (s *Store) read() (*State, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("read progress: %w", err)
	}
	// The version is read on its own first: a newer file may differ in shape in ways that would
	// make it look corrupt, and it must be refused, not moved aside.
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, &badFile{err}
	}
	if head.Version > Version {
		return nil, &VersionError{Path: s.path, Version: head.Version, Supported: Version}
	}
	st := new(State)
	if err := json.Unmarshal(data, st); err != nil {
		return nil, &badFile{err}
	}
	if err := st.validate(); err != nil {
		return nil, &badFile{err}
	}
	return st, nil
}

// readRepair reads the file and, if it is not valid, moves it aside and starts fresh. The caller
// holds the lock, so the file it moves is the one it read.
func (s *Store) readRepair() (*State, *CorruptError, error) {
	st, err := s.read()
	var bad *badFile
	if !errors.As(err, &bad) {
		return st, nil, err
	}
	kept, err := s.keepAside()
	if err != nil {
		return nil, nil, fmt.Errorf("progress file %s is corrupt (%v) and could not be moved aside: %w", s.path, bad.err, err)
	}
	return New(), &CorruptError{Path: s.path, KeptAs: kept, Err: bad.err}, nil
}

// keepAside moves the progress file to <path>.corrupt-<timestamp>[-N]. It links first and
// removes after, because link(2) never replaces an existing file: an earlier corrupt copy is
// never overwritten.
func (s *Store) keepAside() (string, error) {
	base := s.path + ".corrupt-" + time.Now().Format("20060102-150405")
	for n := 1; ; n++ {
		target := base
		if n > 1 {
			target += "-" + strconv.Itoa(n)
		}
		err := os.Link(s.path, target)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := os.Remove(s.path); err != nil {
			return "", err
		}
		return target, syncDir(filepath.Dir(s.path))
	}
}

// save writes st to a temporary file in the same directory, syncs it, renames it over the
// progress file and syncs the directory: after a crash at any point the file is either the old
// one or the new one, complete, and once save returns the new one survives a power cut.
func (s *Store) save(st *State) error {
	data, err := Encode(st)
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.path)
	tmp, err := os.CreateTemp(dir, s.tempPrefix()+"*")
	if err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	renamed := false
	defer func() {
		if !renamed {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("save progress: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("save progress: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return nil
}

func (s *Store) tempPrefix() string { return "." + filepath.Base(s.path) + ".tmp-" }

// removeStaleTemps deletes temporary files left by a writer that died between creating and
// renaming one. Only lock holders create them, so under the lock every one found is stale.
func (s *Store) removeStaleTemps() {
	dir := filepath.Dir(s.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := s.tempPrefix()
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) && e.Type().IsRegular() {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// syncDir makes a rename in dir durable. File systems that cannot sync a directory say so with
// EINVAL; there is nothing more to do on them.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOTSUP) {
		return err
	}
	return nil
}

// locked runs fn holding an exclusive flock on the sidecar file <path>.lock. The lock is on a
// separate file because the progress file itself is replaced by every save; the sidecar is never
// deleted, since deleting a lock file lets two processes lock two different files. flock is
// released by the kernel when a process dies, so a killed rfl-tutor never leaves progress locked.
func (s *Store) locked(fn func() error) error {
	lockPath := s.path + ".lock"
	timeout := s.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	l, err := lock.Acquire(ctx, lockPath, lock.Options{Label: "rfl-tutor updating progress", Perm: 0o600})
	var held *lock.HeldError
	switch {
	case errors.As(err, &held):
		return fmt.Errorf("%w (waited %s for %s, held by %s)", ErrBusy, timeout, lockPath, held.Holder)
	case err != nil:
		return fmt.Errorf("progress lock %s: %w", lockPath, err)
	}
	defer l.Release()
	return fn()
}

// Encode returns st as the progress file would hold it, for `progress --json`.
func Encode(st *State) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // verdict summaries hold things like `Result<()>`
	if err := enc.Encode(st); err != nil {
		return nil, fmt.Errorf("encode progress: %w", err)
	}
	return buf.Bytes(), nil
}
