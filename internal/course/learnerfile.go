package course

import (
	"path/filepath"
	"strings"
)

// LearnerFile is the one rule for which files in an exercise folder are the learner's work: what
// Kbuild builds a module from (Rust and C sources, headers, Kbuild, Makefile). Never hidden files
// (vim's .x.swp, emacs's .#x locks, Kbuild's .x.cmd), editor backups (x~, #x#) or build products.
// Checks judge these files, the watch reacts to them, and the loader lets a starter ship only
// these, in one folder, so every starter can be copied to a learner.
func LearnerFile(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"), strings.HasPrefix(name, "#"):
		return false
	case name == "Kbuild", name == "Makefile":
		return true
	}
	switch filepath.Ext(name) {
	case ".rs", ".c", ".h":
		return !strings.HasSuffix(name, ".mod.c") // modpost's generated source
	}
	return false
}
