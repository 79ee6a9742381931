package kernel

import (
	"path/filepath"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
)

// MetaFile is the record `rfl-tutor kernel prepare` writes in a tree's build directory once the
// tree is complete; its presence means "prepared by us, and finished".
const MetaFile = "rfl-tutor-tree.json"

// MetaFormat is the version of the Meta layout; readers ignore records of other formats.
const MetaFormat = 1

// Meta records how a tree was prepared, so later module builds use the same tools.
type Meta struct {
	Format  int    `json:"format"`
	Release string `json:"release"`
	// Key identifies the (kernel version, configuration, toolchain) combination; prepared trees
	// in the cache are found by it.
	Key string `json:"key"`
	// Source is the tarball or directory the tree was prepared from; SourceDir the unpacked
	// source tree the O= build directory refers to.
	Source    string   `json:"source"`
	SourceDir string   `json:"source_dir"`
	Fragment  []string `json:"fragment"` // the options requested, as NAME or NAME=value
	// LLVM is the make LLVM= value the tree was built with ("-19").
	LLVM         string `json:"llvm"`
	ClangVersion string `json:"clang_version"`
	Rustc        string `json:"rustc"`
	RustcVersion string `json:"rustc_version"`
	// Bindgen is what the build ran as BINDGEN: the installed wrapper, or a bindgen new enough
	// to need none. BindgenReal and Libclang are what the wrapper runs.
	Bindgen        string `json:"bindgen"`
	BindgenReal    string `json:"bindgen_real"`
	BindgenVersion string `json:"bindgen_version"`
	Libclang       string `json:"libclang,omitempty"`
	// Lines counts Kbuild's progress lines of the whole preparation, the expected total for the
	// progress bar of the next preparation of the same configuration.
	Lines    int           `json:"lines"`
	Jobs     int           `json:"jobs"`
	Date     time.Time     `json:"date"`
	Duration time.Duration `json:"duration_ns"`
}

// ReadMeta reads dir's MetaFile; it returns (nil, nil) when there is none and ignores records of
// another format (a newer rfl-tutor's tree is treated as not prepared by us, never misread).
func ReadMeta(dir string) (*Meta, error) {
	var m Meta
	found, err := atomicfile.ReadJSON(filepath.Join(dir, MetaFile), &m)
	if !found || err != nil || m.Format != MetaFormat {
		return nil, err
	}
	return &m, nil
}

// WriteMeta writes m to dir's MetaFile atomically (temporary file, sync, rename), so a reader
// never sees half a record and a crash leaves either the old state or the new one.
func WriteMeta(dir string, m *Meta) error {
	m.Format = MetaFormat
	return atomicfile.WriteJSON(filepath.Join(dir, MetaFile), m, 0o644)
}
