package course

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/rfl-tutor/rfl-tutor/lessons"
	"github.com/rfl-tutor/rfl-tutor/snippets"
)

// Embedded returns the course compiled into the binary, with lessons/ and snippets/ at its
// root like a pack directory, so both load through the same code.
func Embedded() fs.FS {
	return joinFS{"lessons": lessons.FS, "snippets": snippets.FS}
}

// OpenDir returns a course pack directory (one holding lessons/ and snippets/) as a file
// system for Load. Load reports symlinks in it that lead outside the directory.
func OpenDir(dir string) (fs.FS, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("course folder: %w", err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("course folder: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("course folder %s: not a directory", dir)
	}
	// An absolute root keeps the file system valid if the process changes directory.
	return os.DirFS(abs), nil
}

// ContentHash is a digest of every file of a course file system, names and contents: two packs
// with the same hash hold the same lessons and the same build code. Symlinks count as the file
// they lead to; a symlinked folder counts by its name only, its files being hashed where they
// are (Load refuses links that lead outside the course).
func ContentHash(fsys fs.FS) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			if info, serr := fs.Stat(fsys, name); serr == nil && info.IsDir() {
				data, err = nil, nil
				name += "/"
			} else {
				return err
			}
		}
		// Length-prefixed fields: no two different trees hash the same bytes.
		h.Write([]byte(strconv.Itoa(len(name)) + ":" + name + strconv.Itoa(len(data)) + ":"))
		h.Write(data)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("course content hash: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
