package build

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
	"github.com/rfl-tutor/rfl-tutor/internal/lock"
	"github.com/rfl-tutor/rfl-tutor/internal/proc"
)

// Files of our own in a scratch folder; hidden, so Kbuild ignores them. syncFiles refuses
// sources of these names.
const (
	manifestName = ".rfl-tutor-sources"
	lockName     = ".rfl-tutor.lock"
	// runningName exists while make runs in the folder: found by the next build, it says the
	// last one was not seen to its end (its supervisor was killed).
	runningName = ".rfl-tutor-running"
)

// tagVar goes into make's environment with the scratch folder as its value, so that whatever
// a killed build left running in the folder can be found and ended by the next one.
const tagVar = "RFL_TUTOR_BUILD"

// recoverKilledBuild ends what a build that was not seen to its end may have left in the
// folder, before the next make starts there: processes still running (two makes in one M=
// folder corrupt each other's objects), and objects half written when make was killed, which
// Kbuild would take as up to date (the sources are made newer than them).
func recoverKilledBuild(scratch string, names []string) error {
	marker := filepath.Join(scratch, runningName)
	if _, err := os.Stat(marker); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	proc.KillTagged(tagVar+"="+scratch, 5*time.Second)
	touch(scratch, names)
	if err := os.Remove(marker); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("build: %w", err)
	}
	return nil
}

// markRunning records that make is about to run in the folder; the returned func clears the
// mark once the build has been seen to its end.
func markRunning(scratch string) (func(), error) {
	marker := filepath.Join(scratch, runningName)
	if err := os.WriteFile(marker, nil, atomicfile.Mode(0o644)); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	return func() { _ = os.Remove(marker) }, nil
}

// ErrBadScratchPath means the scratch folder's path cannot be handed to make as M=.
var ErrBadScratchPath = errors.New("make cannot build in a folder whose path contains spaces or any of :#$%\\'\"*?[]")

// scratchDir is the absolute folder the build runs in.
func scratchDir(req Request) (string, error) {
	if req.ScratchDir == "" {
		return "", errors.New("build: no build folder (ScratchDir)")
	}
	abs, err := filepath.Abs(req.ScratchDir)
	if err != nil {
		return "", fmt.Errorf("build: scratch folder: %w", err)
	}
	if strings.ContainsAny(abs, " \t\n:#$%\\'\"*?[]") {
		return "", fmt.Errorf("build: %w: %s (set ScratchDir or XDG_CACHE_HOME to a plain path)", ErrBadScratchPath, abs)
	}
	return abs, nil
}

// syncFiles makes the scratch folder's sources equal to files. A file is written only when
// its content differs, so its mtime, and with it Kbuild's incremental build, is kept;
// sources copied by an earlier sync that are gone now are deleted. Build products are left
// alone. It returns the names written or kept.
func syncFiles(scratch string, files map[string][]byte) ([]string, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) ||
			name == manifestName || name == lockName || name == runningName {
			return nil, fmt.Errorf("build: invalid file name %q", name)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, fmt.Errorf("build: scratch folder: %w", err)
	}
	for _, old := range readManifest(scratch) {
		if _, ok := files[old]; ok || !fs.ValidPath(old) {
			continue
		}
		if err := os.Remove(filepath.Join(scratch, filepath.FromSlash(old))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("build: remove stale source: %w", err)
		}
	}
	for _, name := range names {
		if err := writeIfChanged(filepath.Join(scratch, filepath.FromSlash(name)), files[name]); err != nil {
			return nil, err
		}
	}
	if err := writeIfChanged(filepath.Join(scratch, manifestName), []byte(strings.Join(names, "\n")+"\n")); err != nil {
		return nil, err
	}
	return names, nil
}

func readManifest(scratch string) []string {
	f, err := os.Open(filepath.Join(scratch, manifestName))
	if err != nil {
		return nil
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" {
			names = append(names, l)
		}
	}
	return names
}

// writeIfChanged replaces dst with data through a rename, unless it already holds data.
func writeIfChanged(dst string, data []byte) error {
	if cur, err := os.ReadFile(dst); err == nil && bytes.Equal(cur, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("build: copy source: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".rfl-tutor-tmp-*")
	if err != nil {
		return fmt.Errorf("build: copy source: %w", err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), atomicfile.Mode(0o644))); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("build: copy source: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("build: copy source: %w", err)
	}
	return nil
}

// touch marks sources as newer than anything built from them.
func touch(scratch string, names []string) {
	now := time.Now()
	for _, name := range names {
		_ = os.Chtimes(filepath.Join(scratch, filepath.FromSlash(name)), now, now)
	}
}

// lockScratch serialises builds of one scratch folder (two snippet batches, or callers that
// do not lock their own folder): two makes in one M= folder corrupt each other's objects.
func lockScratch(ctx context.Context, scratch string) (func(), error) {
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, fmt.Errorf("build: scratch folder: %w", err)
	}
	l, err := lock.Acquire(ctx, filepath.Join(scratch, lockName), lock.Options{})
	var held *lock.HeldError
	switch {
	case errors.As(err, &held):
		return nil, fmt.Errorf("build: waiting for another build of %s (held by %s): %w", scratch, held.Holder, held.Err)
	case err != nil:
		return nil, fmt.Errorf("build: lock scratch folder: %w", err)
	}
	return l.Release, nil
}

// builtModules lists the .ko files of a successful build, in Kbuild's order (modules.order
// names the objects, one per line, relative to the module folder in recent kernels).
func builtModules(scratch string) []string {
	var kos []string
	if b, err := os.ReadFile(filepath.Join(scratch, "modules.order")); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l == "" {
				continue
			}
			l = strings.TrimSuffix(strings.TrimSuffix(l, ".o"), ".ko") + ".ko"
			p := filepath.FromSlash(l)
			if !filepath.IsAbs(p) {
				p = filepath.Join(scratch, p)
			}
			if _, err := os.Stat(p); err == nil {
				kos = append(kos, p)
			}
		}
		return kos
	}
	_ = filepath.WalkDir(scratch, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && path.Ext(p) == ".ko" {
			kos = append(kos, p)
		}
		return nil
	})
	return kos
}
