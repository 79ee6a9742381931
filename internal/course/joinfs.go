package course

import (
	"errors"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"
)

// joinFS mounts file systems side by side at the top of one: joinFS{"lessons": a} serves a's
// "x.md" as "lessons/x.md". The embedded lessons and snippets are two embed.FS values (each
// package can only embed files below its own folder); joined, they look like a pack directory.
type joinFS map[string]fs.FS

var (
	_ fs.ReadDirFS  = joinFS(nil)
	_ fs.ReadFileFS = joinFS(nil)
	_ fs.StatFS     = joinFS(nil)
)

// resolve finds the mounted file system for name and the name inside it.
func (j joinFS) resolve(op, name string) (sub fs.FS, top, rest string, err error) {
	if !fs.ValidPath(name) {
		return nil, "", "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	top, rest, _ = strings.Cut(name, "/")
	sub, ok := j[top]
	if !ok {
		return nil, "", "", &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
	}
	if rest == "" {
		rest = "."
	}
	return sub, top, rest, nil
}

// renamed puts the joined name back into errors from a mounted file system.
func renamed(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}

func (j joinFS) Open(name string) (fs.File, error) {
	if name == "." {
		entries, err := j.ReadDir(".")
		if err != nil {
			return nil, err
		}
		return &rootDir{entries: entries}, nil
	}
	sub, top, rest, err := j.resolve("open", name)
	if err != nil {
		return nil, err
	}
	f, err := sub.Open(rest)
	if err != nil {
		return nil, renamed(err, name)
	}
	if rest == "." {
		return mountDir{File: f, name: top}, nil
	}
	return f, nil
}

func (j joinFS) ReadFile(name string) ([]byte, error) {
	sub, _, rest, err := j.resolve("read", name)
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(sub, rest)
	return data, renamed(err, name)
}

func (j joinFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == "." {
		var out []fs.DirEntry
		for _, top := range slices.Sorted(maps.Keys(j)) {
			info, err := j.Stat(top)
			if err != nil {
				return nil, err
			}
			out = append(out, fs.FileInfoToDirEntry(info))
		}
		return out, nil
	}
	sub, _, rest, err := j.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(sub, rest)
	return entries, renamed(err, name)
}

func (j joinFS) Stat(name string) (fs.FileInfo, error) {
	if name == "." {
		return rootInfo{}, nil
	}
	sub, top, rest, err := j.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := fs.Stat(sub, rest)
	if err != nil {
		return nil, renamed(err, name)
	}
	if rest == "." {
		return renamedInfo{FileInfo: info, name: top}, nil
	}
	return info, nil
}

// mountDir is a mounted file system's root, named after its mount point.
type mountDir struct {
	fs.File
	name string
}

func (d mountDir) Stat() (fs.FileInfo, error) {
	info, err := d.File.Stat()
	if err != nil {
		return nil, err
	}
	return renamedInfo{FileInfo: info, name: d.name}, nil
}

func (d mountDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rd, ok := d.File.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: errors.New("not a directory")}
	}
	return rd.ReadDir(n)
}

type renamedInfo struct {
	fs.FileInfo
	name string
}

func (i renamedInfo) Name() string { return i.name }

// rootDir is the joined root directory, listing the mount points.
type rootDir struct {
	entries []fs.DirEntry
	off     int
}

func (d *rootDir) Stat() (fs.FileInfo, error) { return rootInfo{}, nil }
func (d *rootDir) Close() error               { return nil }
func (d *rootDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: ".", Err: errors.New("is a directory")}
}

func (d *rootDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	rest = rest[:min(n, len(rest))]
	d.off += len(rest)
	return rest, nil
}

type rootInfo struct{}

func (rootInfo) Name() string       { return "." }
func (rootInfo) Size() int64        { return 0 }
func (rootInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o555 }
func (rootInfo) ModTime() time.Time { return time.Time{} }
func (rootInfo) IsDir() bool        { return true }
func (rootInfo) Sys() any           { return nil }
