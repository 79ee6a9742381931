package kernel

import (
	"path/filepath"

	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// Source is a kernel source scripts/install-toolchain.sh provides on Debian 12.
type Source struct {
	Series string // "7.3"
	Path   string // the tarball
	What   string // for help texts: "current stable", "LTS"
}

// DefaultSeries is what `kernel prepare` builds without --kernel or --source: the current
// stable kernel, so a newcomer learns today's API.
const DefaultSeries = "7.3"

// Sources lists the kernels the course is verified on, newest first: 7.3 from the project's
// prefix (Debian 12 has no package for it), 6.12 from Debian's linux-source-6.12.
func Sources() []Source {
	return []Source{
		{Series: "7.3", Path: filepath.Join(toolchain.Env{}.Prefix(), "src", "linux-source-7.3.tar.xz"), What: "current stable"},
		{Series: "6.12", Path: "/usr/src/linux-source-6.12.tar.xz", What: "LTS"},
	}
}

// SourceFor returns the source of a series, and whether the series is known.
func SourceFor(series string) (Source, bool) {
	for _, s := range Sources() {
		if s.Series == series {
			return s, true
		}
	}
	return Source{}, false
}

// PrepareHint is what to run when there is no tree.
const PrepareHint = "prepare one with `rfl-tutor kernel prepare` (Linux " + DefaultSeries + "; add `--kernel 6.12` for the LTS), or pass --kdir"
