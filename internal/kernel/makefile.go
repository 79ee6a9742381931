package kernel

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// MakefileVersion is what a kernel's top Makefile says about its version, or, for an O= build
// directory's generated wrapper, which Makefile it includes.
type MakefileVersion struct {
	Version, PatchLevel, SubLevel, ExtraVersion string
	// Include is the path the wrapper includes ("include /src/Makefile"); empty in a real one.
	Include string
}

// Release is the version string the Makefile describes, e.g. "6.12.117" or "6.13.0-rc1". It
// lacks the LOCALVERSION a configured tree appends (include/config/kernel.release has that).
func (m MakefileVersion) Release() string {
	if m.Version == "" {
		return ""
	}
	sub := m.SubLevel
	if sub == "" {
		sub = "0"
	}
	return m.Version + "." + m.PatchLevel + "." + sub + m.ExtraVersion
}

// ParseMakefile reads the version variables (VERSION = 6 …) from the head of a kernel Makefile,
// and the include line of an O= wrapper Makefile.
func ParseMakefile(r io.Reader) (MakefileVersion, error) {
	var m MakefileVersion
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 0; sc.Scan() && n < 200; n++ {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "include "); ok && m.Version == "" {
			m.Include = strings.TrimSpace(rest)
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(name) {
		case "VERSION":
			m.Version = val
		case "PATCHLEVEL":
			m.PatchLevel = val
		case "SUBLEVEL":
			m.SubLevel = val
		case "EXTRAVERSION":
			m.ExtraVersion = val
		}
	}
	if err := sc.Err(); err != nil {
		return m, err
	}
	if m.Version == "" && m.Include == "" {
		return m, fmt.Errorf("no VERSION = line: not a kernel Makefile")
	}
	if m.Version != "" && m.PatchLevel == "" {
		return m, fmt.Errorf("VERSION without PATCHLEVEL: not a kernel Makefile")
	}
	return m, nil
}

// makefileRelease follows dir/Makefile (through O= wrappers, which include the source tree's
// Makefile) to the kernel version and the source directory it belongs to.
func makefileRelease(dir string) (release, srcDir string, err error) {
	path := filepath.Join(dir, "Makefile")
	for range 4 { // wrappers nest at most once or twice (Debian's headers packages)
		f, err := os.Open(path)
		if err != nil {
			return "", "", err
		}
		m, err := ParseMakefile(f)
		f.Close()
		if err != nil {
			return "", "", fmt.Errorf("%s: %w", path, err)
		}
		if m.Version != "" {
			return m.Release(), filepath.Dir(path), nil
		}
		inc := m.Include
		if !filepath.IsAbs(inc) {
			inc = filepath.Join(filepath.Dir(path), inc)
		}
		path = inc
	}
	return "", "", fmt.Errorf("%s: too many nested includes", filepath.Join(dir, "Makefile"))
}
