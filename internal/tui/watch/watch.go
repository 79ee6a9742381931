// Package watch tells when the files of an exercise folder change, so the TUI can re-check an
// exercise the learner saved from an editor in another window.
//
// Inotify (through fsnotify) reports changes at once, but some file systems never send events:
// network mounts, 9p and virtiofs shares of a VM, some container bind mounts. A slow poll runs
// beside the events so those still work. Both only trigger a look at the folder: a change is
// reported when the folder's content (not its timestamps) differs from the last report and has
// been quiet for the debounce delay, so an editor's burst of writes, renames and swap files
// gives one report, and saving an unchanged file gives none.
package watch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for the zero values of Options.
const (
	DefaultDebounce = 300 * time.Millisecond
	DefaultPoll     = time.Second
)

// maxHashed bounds how much of a file is read to fingerprint it; larger files (never an
// exercise's sources) are fingerprinted by size and modification time.
const maxHashed = 4 << 20

// Options tune a Watcher.
type Options struct {
	// Debounce is how long the folder must stay unchanged before a change is reported.
	Debounce time.Duration
	// Poll is the interval of the fallback that looks at the folder without events.
	Poll time.Duration
	// Ignore, when set, excludes files by name (editor swap files, build products).
	Ignore func(name string) bool
	// NoEvents disables fsnotify and relies on polling alone (tests, known event-less mounts).
	NoEvents bool
}

// Watcher watches one folder (not its subfolders).
type Watcher struct {
	// C receives a value after each change. It holds at most one pending report: a reader
	// that falls behind gets one report for several changes, never a stale backlog.
	C <-chan struct{}

	c       chan struct{}
	dir     string
	opts    Options
	fsw     *fsnotify.Watcher
	stop    chan struct{}
	done    chan struct{}
	polling bool
}

// New starts watching dir. The folder's content when New returns is the baseline: only later
// changes are reported.
func New(dir string, opts Options) (*Watcher, error) {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	c := make(chan struct{}, 1)
	w := &Watcher{C: c, c: c, dir: dir, opts: opts, stop: make(chan struct{}), done: make(chan struct{})}
	if !opts.NoEvents {
		fsw, err := fsnotify.NewWatcher()
		if err == nil {
			if err = fsw.Add(dir); err != nil {
				fsw.Close()
			} else {
				w.fsw = fsw
			}
		}
	}
	w.polling = w.fsw == nil
	base := w.fingerprint()
	go w.loop(base)
	return w, nil
}

// Done is closed when the watcher has stopped, so a reader blocked on C can give up.
func (w *Watcher) Done() <-chan struct{} { return w.done }

// PollOnly reports whether the watcher could not get file system events and only polls.
func (w *Watcher) PollOnly() bool { return w.polling }

// Close stops the watcher and waits for its goroutine. It is safe to call more than once.
func (w *Watcher) Close() error {
	select {
	case <-w.stop:
	default:
		close(w.stop)
	}
	<-w.done
	if w.fsw != nil {
		return w.fsw.Close()
	}
	return nil
}

func (w *Watcher) loop(reported string) {
	defer close(w.done)
	var events <-chan fsnotify.Event
	var errs <-chan error
	if w.fsw != nil {
		events, errs = w.fsw.Events, w.fsw.Errors
	}
	poll := time.NewTicker(w.opts.Poll)
	defer poll.Stop()
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	defer settle.Stop()
	polled := reported

	for {
		select {
		case <-w.stop:
			return
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			if w.ignored(filepath.Base(ev.Name)) {
				continue
			}
			settle.Reset(w.opts.Debounce)
		case _, ok := <-errs:
			if !ok {
				errs = nil
			}
			// An overflowed event queue loses events; the poll catches up.
		case <-poll.C:
			if fp := w.fingerprint(); fp != polled {
				polled = fp
				settle.Reset(w.opts.Debounce)
			}
		case <-settle.C:
			fp := w.fingerprint()
			polled = fp
			if fp == reported {
				continue
			}
			reported = fp
			select {
			case w.c <- struct{}{}:
			default: // a report is already pending
			}
		}
	}
}

func (w *Watcher) ignored(name string) bool {
	return w.opts.Ignore != nil && w.opts.Ignore(name)
}

// fingerprint summarises the names and contents of the folder's regular files. A folder that
// cannot be read (moved away during a reset) has its own fingerprint, so its return is a change.
func (w *Watcher) fingerprint() string {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "missing"
		}
		return "unreadable: " + err.Error()
	}
	h := sha256.New()
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if e.Type().IsRegular() && !w.ignored(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for _, name := range names {
		h.Write([]byte(name))
		h.Write([]byte{0})
		h.Write([]byte(fileSum(filepath.Join(w.dir, name))))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func fileSum(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return "error"
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "error"
	}
	if fi.Size() > maxHashed {
		return strconv.FormatInt(fi.Size(), 10) + "@" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "error"
	}
	return hex.EncodeToString(h.Sum(nil))
}
