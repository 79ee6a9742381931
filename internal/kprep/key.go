package kprep

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/course"
)

// Base is what every prepared tree has, whatever the course asks: the tree exists to build Rust
// modules for x86_64.
var Base = []course.ConfigOption{{Name: "64BIT"}, {Name: "MODULES"}, {Name: "MODULE_UNLOAD"}, {Name: "RUST"}}

// keyVersion changes whenever the way trees are prepared changes enough that old trees must
// not be reused.
const keyVersion = "rfl-tutor kprep 1"

// Fragment merges Base with the requested options: one entry per option, sorted by name; a
// pinned value (NAME=y) wins over a bare NAME, and two different pinned values are an error.
func Fragment(opts []course.ConfigOption) ([]course.ConfigOption, error) {
	byName := map[string]course.ConfigOption{}
	for _, o := range append(append([]course.ConfigOption(nil), Base...), opts...) {
		o.Name = strings.TrimPrefix(strings.TrimSpace(o.Name), "CONFIG_")
		if o.Name == "" {
			return nil, fmt.Errorf("kernel option with no name")
		}
		prev, ok := byName[o.Name]
		switch {
		case !ok || prev.Value == "":
			byName[o.Name] = o
		case o.Value != "" && o.Value != prev.Value:
			return nil, fmt.Errorf("kernel option %s is asked as both %s and %s", o.Name, prev.Value, o.Value)
		}
	}
	out := make([]course.ConfigOption, 0, len(byName))
	for _, o := range byName {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// optionString is NAME or NAME=value, as course files write options.
func optionString(o course.ConfigOption) string {
	if o.Value == "" {
		return o.Name
	}
	return o.Name + "=" + o.Value
}

func fragmentStrings(frag []course.ConfigOption) []string {
	out := make([]string, len(frag))
	for i, o := range frag {
		out[i] = optionString(o)
	}
	return out
}

// Key identifies a prepared tree: the kernel release, the merged fragment (see Fragment) and the
// toolchain versions (a tree built by another rustc cannot build modules with this one). It is
// stable across runs and machines with the same inputs: paths do not enter it, versions do.
func Key(release string, fragment []course.ConfigOption, tc *Toolchain) string {
	h := sha256.New()
	line := func(k, v string) { fmt.Fprintf(h, "%s=%s\n", k, v) }
	line("format", keyVersion)
	line("release", release)
	for _, o := range fragment {
		line("option", optionString(o))
	}
	if tc != nil {
		if tc.LLVM != nil {
			line("clang", tc.LLVM.VersionText)
		}
		if tc.Rustc != nil {
			line("rustc", tc.Rustc.VersionText)
		}
		if tc.Bindgen != nil {
			line("bindgen", tc.Bindgen.Version.String())
		}
		if tc.NeedsWrapper {
			line("wrapper", fmt.Sprintf("%x", sha256.Sum256(wrapperScript)))
			if tc.Libclang != nil {
				line("libclang", fmt.Sprint(tc.Libclang.Major))
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// DefaultOut is where a tree of this release and key goes in the cache:
// cacheDir/<release>-<first 12 hex digits of the key>.
func DefaultOut(cacheDir, release, key string) string {
	return filepath.Join(cacheDir, release+"-"+key[:12])
}
