package library

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// CheckerVersion is part of every cache key: bump it when the way outcomes are made changes
// (attribution, what an Outcome records, the diagnostics parser), so results of an older
// rfl-tutor are not reused.
const CheckerVersion = "library-2"

// treeIdentity fingerprints what a module build reads from a kernel tree and its toolchain:
// the tree's place and release, its configuration, the kernel crate's metadata, the symbol
// versions modpost checks against, the make variables, and the rustc binary. A rebuilt or
// reconfigured tree, or an upgraded rustc, gets a new identity. It stats files rather than
// hashing them (a few MB), so a warm re-check stays fast; a touched but unchanged file costs
// a rebuild, never a wrong result.
func treeIdentity(t *kernel.Tree) string {
	h := sha256.New()
	fmt.Fprintf(h, "dir=%s\nrelease=%s\nrustc=%s\nmake=%q\n", t.Dir, t.Release, t.RustcVersionText, t.MakeArgs())
	files := []string{t.ConfigFile, filepath.Join(t.Dir, "include", "config", "auto.conf")}
	for _, a := range kernel.Artifacts {
		files = append(files, filepath.Join(t.Dir, a))
	}
	if rustc := rustcOf(t); rustc != "" {
		files = append(files, rustc)
	}
	for _, f := range files {
		if f == "" {
			continue
		}
		if st, err := os.Stat(f); err == nil {
			fmt.Fprintf(h, "%s %d %d\n", f, st.Size(), st.ModTime().UnixNano())
		} else {
			fmt.Fprintf(h, "%s missing\n", f)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// rustcOf is the rustc the module builds run: RUSTC= on make's command line, else the tree's.
func rustcOf(t *kernel.Tree) string {
	for _, a := range t.MakeArgs() {
		if v, ok := strings.CutPrefix(a, "RUSTC="); ok {
			return v
		}
	}
	return t.Rustc
}

// jobKey identifies one build's inputs: the checker, the tree, which variant, and every file
// by name and content.
func jobKey(treeID string, tgt Target, files map[string][]byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", CheckerVersion, treeID, tgt.Variant)
	check.HashFiles(h, files)
	return hex.EncodeToString(h.Sum(nil))
}

// cache stores outcomes, one JSON file per key. A zero cache (no dir) stores nothing.
type cache struct{ dir string }

func (c cache) file(key string) string { return filepath.Join(c.dir, key[:2], key+".json") }

func (c cache) load(key string) *Outcome {
	if c.dir == "" {
		return nil
	}
	var o Outcome
	if found, err := atomicfile.ReadJSON(c.file(key), &o); !found || err != nil {
		return nil // a missing or damaged entry is rebuilt
	}
	o.Cached = true
	return &o
}

// store writes atomically (temporary file, then rename), so a concurrent check reads the old
// entry or the new one, never half of one. Failing to cache is not an error: it only costs a
// build next time.
func (c cache) store(key string, o *Outcome) {
	if c.dir == "" || o.TimedOut {
		return
	}
	b, err := json.Marshal(o)
	if err != nil {
		return
	}
	dst := c.file(key)
	if os.MkdirAll(filepath.Dir(dst), 0o755) != nil {
		return
	}
	_ = atomicfile.Write(dst, b, 0o644) // a result that cannot be stored is rebuilt next time
}
