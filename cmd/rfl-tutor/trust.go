package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
	"github.com/rfl-tutor/rfl-tutor/internal/course"
	"github.com/rfl-tutor/rfl-tutor/internal/exit"
	"github.com/rfl-tutor/rfl-tutor/internal/sandbox"
	"github.com/rfl-tutor/rfl-tutor/internal/xdg"
)

// trustFile lists the packs the user trusts (--trust): a content hash and the folder it was
// seen in, one pack a line. Trust goes with the content: an edited pack is a new one.
func trustFile() string { return filepath.Join(xdg.ConfigHome(), "trusted-packs") }

// trustedHashes reads trustFile; a missing file trusts nothing.
func trustedHashes() (map[string]bool, error) {
	b, err := os.ReadFile(trustFile())
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	hashes := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 0 {
			hashes[f[0]] = true
		}
	}
	return hashes, nil
}

// settleTrust decides whether c's build code may run outside a sandbox (course.Course.Trusted):
// the built-in course may; a pack from --course DIR may when the user says so with --trust,
// which is remembered for its content, or said so before for the same content.
func (a *app) settleTrust(c *course.Course, fsys fs.FS) error {
	if a.courseDir == "" {
		c.Trusted = true
		return nil
	}
	hash, err := course.ContentHash(fsys)
	if err != nil {
		return exit.UsageErr(err)
	}
	known, err := trustedHashes()
	if err != nil {
		return exit.UsageErr(fmt.Errorf("trusted packs: %w", err))
	}
	if known[hash] {
		c.Trusted = true
		return nil
	}
	if !a.trust {
		return nil
	}
	b, err := os.ReadFile(trustFile())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return exit.UsageErr(fmt.Errorf("trusted packs: %w", err))
	}
	dir, _ := filepath.Abs(a.courseDir)
	b = append(b, hash+" "+dir+"\n"...)
	if err := os.MkdirAll(filepath.Dir(trustFile()), 0o755); err != nil {
		return exit.UsageErr(fmt.Errorf("trusted packs: %w", err))
	}
	if err := atomicfile.Write(trustFile(), b, 0o644); err != nil {
		return exit.UsageErr(fmt.Errorf("trusted packs: %w", err))
	}
	c.Trusted = true
	return nil
}

// needSandbox is called before a command builds the course's code: a pack's Kbuild files are
// code that runs as the user, so without a working sandbox only trusted code is built.
func (a *app) needSandbox(c *course.Course) error {
	if c.Trusted {
		return nil
	}
	if _, err := sandbox.Find(); err != nil {
		return exit.UsageErr(fmt.Errorf(`%s is a lesson pack, and its Kbuild files are code that runs as you when it builds: rfl-tutor runs them in a sandbox, and has none: %w.
Install bubblewrap (apt-get install bubblewrap), or, if you trust whoever wrote this pack, run again with --trust (remembered for this pack as it is now; a changed pack needs it again)`, a.courseDir, err))
	}
	return nil
}
