package course

import (
	"errors"
	"io/fs"
	"path"
	"strings"
)

// Symlink containment. A pack directory is read through os.DirFS, which follows symlinks wherever
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
