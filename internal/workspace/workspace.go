// Package workspace keeps the learner's working copies of exercises: a visible folder per
// exercise, filled from the snippet's starter files, that the learner edits in their own editor.
// Learner files are never overwritten: Ensure only adds missing files and Reset moves the old
// folder into a backup before writing the starter again.
package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

// EnvRoot names the environment variable that overrides the default workspace root.
const EnvRoot = "RFL_TUTOR_WORKSPACE"

// BackupDir is the folder, inside each course's folder, that Reset moves old copies into. It
// starts with a dot so that it can never collide with an exercise id.
const BackupDir = ".backup"

// Workspace is a root folder holding <courseID>/<exerciseID>/ copies.
type Workspace struct {
	root string
	// now stamps backup folders; tests replace it to force two resets into one second.
	now func() time.Time
}

// New returns the workspace rooted at root. Nothing is created until Ensure or Reset.
func New(root string) *Workspace {
	return &Workspace{root: root, now: time.Now}
}

// DefaultRoot is $RFL_TUTOR_WORKSPACE when set, else the "workspace" folder in the XDG data
// directory.
func DefaultRoot() string {
	if v := os.Getenv(EnvRoot); v != "" {
		return absolute(v)
	}
	return filepath.Join(xdg.DataHome(), "workspace")
}

// Resolve picks the root from a --workspace flag value, falling back to DefaultRoot. The result
// is absolute, because commands print it for the learner to open in an editor.
func Resolve(flag string) string {
	if flag != "" {
		return absolute(flag)
	}
	return DefaultRoot()
}

func absolute(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// Root is the folder the workspace lives in.
func (w *Workspace) Root() string { return w.root }

// Dir is the learner's folder for one exercise. It is a pure path computation; the folder may not
// exist yet.
func (w *Workspace) Dir(courseID, exerciseID string) string {
	return filepath.Join(w.root, courseID, exerciseID)
}

// Ensure makes the exercise folder hold every file in files, creating only the ones that are
// missing: a file that exists is the learner's and is left as it is, whatever its content. It
// returns the names it created, sorted.
func (w *Workspace) Ensure(courseID, exerciseID string, files map[string][]byte) (created []string, err error) {
	if err := checkIDs(courseID, exerciseID); err != nil {
		return nil, err
	}
	names, err := fileNames(files)
	if err != nil {
		return nil, err
	}
	dir := w.Dir(courseID, exerciseID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create exercise folder: %w", err)
	}
	for _, name := range names {
		ok, err := createNew(dir, name, files[name])
		if err != nil {
			return created, err
		}
		if ok {
			created = append(created, name)
		}
	}
	return created, nil
}

// createNew writes name in dir unless it exists. The content goes to a hidden temporary file that
// is then hard-linked into place: link(2) fails when the name exists, so a file the learner
// creates meanwhile is not overwritten, and a crash never leaves a half-written starter that a
// later Ensure would mistake for the learner's work.
func createNew(dir, name string, data []byte) (bool, error) {
	final := filepath.Join(dir, name)
	if _, err := os.Lstat(final); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("check %s: %w", final, err)
	}
	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return false, fmt.Errorf("write %s: %w", final, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write %s: %w", final, err)
	}
	// CreateTemp makes 0600 files; learner sources are ordinary files, as the umask has them.
	if err := tmp.Chmod(atomicfile.Mode(0o644)); err != nil {
		tmp.Close()
		return false, fmt.Errorf("write %s: %w", final, err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("write %s: %w", final, err)
	}
	if err := os.Link(tmp.Name(), final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return false, nil
		}
		return false, fmt.Errorf("write %s: %w", final, err)
	}
	return true, nil
}

// Reset gives the learner a fresh copy of the starter. The current folder, if it holds anything,
// is moved whole to <root>/<courseID>/.backup/<exerciseID>-<timestamp>[-N]/, whose path is
// returned ("" when there was nothing to keep). If writing the starter fails after the move, the
// backup path is still returned with the error so the learner can find their files.
func (w *Workspace) Reset(courseID, exerciseID string, files map[string][]byte) (backupDir string, err error) {
	if err := checkIDs(courseID, exerciseID); err != nil {
		return "", err
	}
	if _, err := fileNames(files); err != nil {
		return "", err
	}
	dir := w.Dir(courseID, exerciseID)
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return "", fmt.Errorf("read exercise folder: %w", err)
	case len(entries) == 0:
		// An empty folder holds nothing to lose; a backup of it would only be clutter.
	default:
		backupDir, err = w.moveToBackup(courseID, exerciseID, dir)
		if err != nil {
			return "", err
		}
	}
	if _, err := w.Ensure(courseID, exerciseID, files); err != nil {
		return backupDir, err
	}
	return backupDir, nil
}

// moveToBackup renames dir into a backup folder with a name no other backup has. The name is
// reserved with mkdir, which fails if it exists, and the rename then replaces that empty folder
// atomically (rename(2) allows replacing an empty directory), so two resets in the same second,
// even from two processes, never merge or overwrite each other's backups.
func (w *Workspace) moveToBackup(courseID, exerciseID, dir string) (string, error) {
	parent := filepath.Join(w.root, courseID, BackupDir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("create backup folder: %w", err)
	}
	base := exerciseID + "-" + w.now().Format("20060102-150405")
	for n := 1; ; n++ {
		name := base
		if n > 1 {
			name += "-" + strconv.Itoa(n)
		}
		target := filepath.Join(parent, name)
		err := os.Mkdir(target, 0o755)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("create backup folder: %w", err)
		}
		// syscall.Rename, not os.Rename: os.Rename refuses any existing directory as the target.
		if err := syscall.Rename(dir, target); err != nil {
			os.Remove(target)
			return "", fmt.Errorf("move %s to backup %s: %w", dir, target, err)
		}
		return target, nil
	}
}

// Files reads back the learner's files for an exercise (see ReadFiles).
func (w *Workspace) Files(courseID, exerciseID string) (map[string][]byte, error) {
	if err := checkIDs(courseID, exerciseID); err != nil {
		return nil, err
	}
	return ReadFiles(w.Dir(courseID, exerciseID))
}

// ReadFiles reads the learner's files in an exercise folder: the regular files directly in it
// that LearnerFile accepts. A learner who ran make in the folder, or whose editor left a swap
// file, sends none of that to the checker.
func ReadFiles(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read exercise folder: %w", err)
	}
	files := make(map[string][]byte)
	for _, e := range entries {
		if !course.LearnerFile(e.Name()) {
			continue
		}
		if e.Type()&fs.ModeSymlink != 0 {
			// A link is followed while it stays in the folder (a learner's own alias); one
			// leading elsewhere is refused by name, rather than skipped into a puzzling
			// "No rule to make target".
			if err := linkInside(dir, e.Name()); err != nil {
				return nil, err
			}
		} else if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read learner file: %w", err)
		}
		files[e.Name()] = data
	}
	return files, nil
}

// checkIDs refuses ids that are not a single visible path element, so that no id can point
// outside the workspace or land on the backup folder.
func checkIDs(courseID, exerciseID string) error {
	for _, id := range []struct{ kind, v string }{{"course", courseID}, {"exercise", exerciseID}} {
		if !plainName(id.v) {
			return fmt.Errorf("invalid %s id %q: must be a plain name", id.kind, id.v)
		}
	}
	return nil
}

// fileNames returns the names in files, sorted, after checking each is a plain file name.
func fileNames(files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		if !plainName(name) || !course.LearnerFile(name) {
			return nil, fmt.Errorf("invalid starter file name %q", name)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

func plainName(s string) bool {
	return s != "" && !strings.HasPrefix(s, ".") && !strings.ContainsAny(s, `/\`+"\x00")
}

// linkInside checks that the symlink name in dir leads to a regular file inside dir.
func linkInside(dir, name string) error {
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fmt.Errorf("read exercise folder: %w", err)
	}
	target, err := filepath.EvalSymlinks(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("%s is a link that leads nowhere (%v): put the file itself in %s", name, err, dir)
	}
	rel, err := filepath.Rel(realDir, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("%s is a link to %s, outside your exercise folder: copy the file into %s instead", name, target, dir)
	}
	if st, err := os.Stat(target); err != nil || !st.Mode().IsRegular() {
		return fmt.Errorf("%s is a link to %s, which is not a file", name, target)
	}
	return nil
}
