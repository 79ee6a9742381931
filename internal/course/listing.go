package course

import (
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Listing a course's folders: every entry with its links checked (symlinks.go), hidden files and
// build droppings left out.

// entry is a directory entry with symlinks followed.
type entry struct {
	name, path string
	dir        bool
}

// readDir lists dir with symlinks checked and followed. Hidden entries (editor and build
// droppings such as .hello.o.cmd) are left out, so a pack directory and the embedded copy of
// the same folder list the same.
func (ld *loader) readDir(dir string) ([]entry, error) {
	des, err := fs.ReadDir(ld.fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []entry
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") {
			continue
		}
		e := entry{name: de.Name(), path: path.Join(dir, de.Name()), dir: de.IsDir()}
		if de.Type()&fs.ModeSymlink != 0 {
			if !ld.linkOK(e.path) {
				continue
			}
			info, err := fs.Stat(ld.fsys, e.path)
			if err != nil {
				continue // dangling: the file is missing, which is reported where it is needed
			}
			e.dir = info.IsDir()
			if !e.dir && !info.Mode().IsRegular() {
				continue
			}
		} else if !e.dir && !de.Type().IsRegular() {
			continue
		}
		if !e.dir && !ld.sizeOK(e.path) {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// listFiles returns the files below dir, relative to it. parents holds the real paths
// (symlinks resolved) of the folders being listed: a link back to one of them must not make
// listing endless.
func (ld *loader) listFiles(dir string, parents ...string) []string {
	realDir := dir
	if ld.links != nil {
		var err error
		if realDir, err = resolveLinks(ld.links, dir); err != nil {
			return nil
		}
	}
	if slices.Contains(parents, realDir) {
		return nil
	}
	parents = append(parents, realDir)
	entries, err := ld.readDir(dir)
	if err != nil {
		ld.ps.add(dir, 0, "cannot list: %v", err)
		return nil
	}
	var files []string
	for _, e := range entries {
		switch {
		case e.dir:
			for _, f := range ld.listFiles(e.path, parents...) {
				files = append(files, e.name+"/"+f)
			}
		case !isBuildOutput(e.name):
			files = append(files, e.name)
		}
	}
	return files
}

// isBuildOutput spots what running make inside a snippet folder leaves behind, so a
// maintainer's manual build does not end up in learners' workspaces.
func isBuildOutput(name string) bool {
	if name == "modules.order" || name == "Module.symvers" {
		return true
	}
	for _, ext := range []string{".o", ".ko", ".mod", ".mod.c", ".a"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// rootOK checks one of the course's top folders; ok is false when it is missing or a symlink
// leading outside (reported).
func (ld *loader) rootOK(name string) bool {
	if !ld.linkOK(name) {
		return false
	}
	info, err := fs.Stat(ld.fsys, name)
	return err == nil && info.IsDir()
}

// Limits on a pack's size: lessons and code are text, and a pack is read whole on every start,
// so a huge file is a mistake or an attack, not content.
const (
	MaxPackFile = 1 << 20  // one file
	MaxPackSize = 32 << 20 // every file together
)

// sizeOK counts a file against the limits; one over them is reported and left out.
func (ld *loader) sizeOK(p string) bool {
	info, err := fs.Stat(ld.fsys, p)
	if err != nil {
		return true // reported where the file is read
	}
	if info.Size() > MaxPackFile {
		ld.ps.add(p, 0, "%d KiB: a pack's files may be %d KiB at most (lessons and code are text)", info.Size()>>10, MaxPackFile>>10)
		return false
	}
	ld.size += info.Size()
	if ld.size > MaxPackSize && !ld.tooBig {
		ld.tooBig = true
		ld.ps.add(p, 0, "the pack is over %d MiB with this file: a pack may hold %d MiB at most", MaxPackSize>>20, MaxPackSize>>20)
	}
	return !ld.tooBig
}
