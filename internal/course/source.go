package course

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

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
