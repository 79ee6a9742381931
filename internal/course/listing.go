package course

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Listing a course. A pack directory is read through os.DirFS, which follows symlinks wherever
// they lead. A course must not read outside its folder (a pack is someone else's code, and a
// link to ~/.ssh would otherwise end up in a lesson), so every link met while listing is
// resolved here, inside the file system's own namespace, before anything is read through it.

var (
	errOutside = errors.New("symlink points outside the course folder")
	errLoop    = errors.New("too many levels of symlinks")
)

// maxLinkHops bounds link chains, like the kernel's own limit of 40.
const maxLinkHops = 40

// resolveLinks follows every symlink along name and returns the path it really names, relative
// to the root of fsys. It fails with errOutside when a link is absolute or climbs above the
// root. A path that does not exist (a dangling link inside the course) resolves as far as it
// can: it is then simply a missing file, reported where it is needed.
func resolveLinks(fsys fs.ReadLinkFS, name string) (string, error) {
	todo := strings.Split(name, "/")
	var done []string
	hops := 0
	for len(todo) > 0 {
		elem := todo[0]
		todo = todo[1:]
		switch elem {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return "", errOutside
			}
			done = done[:len(done)-1]
			continue
		}
		p := path.Join(append(done, elem)...)
		info, err := fsys.Lstat(p)
		if err != nil {
			return path.Join(append([]string{p}, todo...)...), nil
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			done = append(done, elem)
			continue
		}
		if hops++; hops > maxLinkHops {
			return "", errLoop
		}
		target, err := fsys.ReadLink(p)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) {
			return "", errOutside
		}
		todo = append(strings.Split(target, "/"), todo...)
	}
	return path.Join(done...), nil
}

// entry is a directory entry with symlinks followed.
type entry struct {
	name, path string
	dir        bool
}

// linkOK reports whether the symlink at p (if it is one) stays inside the course, reporting
// it otherwise.
func (ld *loader) linkOK(p string) bool {
	if ld.links == nil {
		return true
	}
	if ok, seen := ld.checked[p]; seen {
		return ok
	}
	info, err := ld.links.Lstat(p)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		return true
	}
	_, err = resolveLinks(ld.links, p)
	ld.checked[p] = err == nil
	if err != nil {
		target, _ := ld.links.ReadLink(p)
		if errors.Is(err, errOutside) {
			ld.ps.add(p, 0, "%v (it links to %s): copy the file into the course instead", err, target)
		} else {
			ld.ps.add(p, 0, "symlink to %s: %v", target, err)
		}
		ld.c.blocked[p] = true
	}
	return err == nil
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
