// Package atomicfile replaces a file's contents all at once: a reader (or a crash) sees either
// the old file or the new one, never half of it. Progress, prepared-tree records, verdict and
// result caches all rely on it.
package atomicfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// Write puts data at path with mode perm. It writes a uniquely named temporary file beside path
// (so concurrent writers never share one), syncs it, and renames it over path; on any failure
// the temporary file is removed and path is left as it was.
func Write(path string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(Mode(perm)) // CreateTemp makes 0600 files
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// ReadJSON reads the record Write (or WriteJSON) left at path into v. found is false, with no
// error, when there is no file; a file that does not parse is found, with the error, and the
// caller decides what a damaged record means (a cache entry is rebuilt, a tree record refused).
func ReadJSON(path string, v any) (found bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return true, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

// WriteJSON writes v as indented JSON to path, all at once (see Write).
func WriteJSON(path string, v any, perm fs.FileMode) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return Write(path, append(b, '\n'), perm)
}

// Mode is perm less the process's umask: the mode open(2) gives a new file, for files made
// through a temporary file and a chmod (which ignores the umask).
func Mode(perm fs.FileMode) fs.FileMode { return perm &^ umask() }

var (
	umaskOnce sync.Once
	umaskBits fs.FileMode
)

// umask is the process's file mode creation mask, read from /proc/self/status (setting it to
// read it, as umask(2) must, would race with other goroutines creating files). 022 when the
// kernel does not say.
func umask() fs.FileMode {
	umaskOnce.Do(func() {
		umaskBits = 0o022
		b, err := os.ReadFile("/proc/self/status")
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "Umask:"); ok {
				if n, err := strconv.ParseUint(strings.TrimSpace(v), 8, 32); err == nil {
					umaskBits = fs.FileMode(n)
				}
			}
		}
	})
	return umaskBits
}
