package boot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/lock"
)

// Each boot writes an initrd of its own (initrd-*.cpio) into the work folder and holds a lock
// beside it (the same name plus ".lock") while QEMU reads it. A boot whose process was killed
// cannot remove its initrd, so the next boot in the folder removes every initrd whose lock is
// free. Creating an initrd and its lock, and clearing old ones, happen under the folder's
// initrd.lock, so a cleaner never sees an initrd whose lock is not yet taken.
const (
	initrdPattern = "initrd-*.cpio"
	initrdDirLock = "initrd.lock"
)

// createInitrd clears the initrds of boots that are gone and creates this boot's, locked. done
// removes it and its lock.
func createInitrd(ctx context.Context, dir string) (f *os.File, done func(), err error) {
	dirLock, err := lock.Acquire(ctx, filepath.Join(dir, initrdDirLock), lock.Options{Label: "rfl-tutor boot: writing an initrd"})
	if err != nil {
		return nil, nil, fmt.Errorf("initrd: %w", err)
	}
	defer dirLock.Release()
	removeLeftInitrds(dir)
	f, err = os.CreateTemp(dir, initrdPattern)
	if err != nil {
		return nil, nil, err
	}
	path := filepath.Clean(f.Name())
	held, err := lock.TryAcquire(path+".lock", lock.Options{Label: "rfl-tutor boot"})
	if err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, nil, fmt.Errorf("initrd: %w", err)
	}
	return f, func() {
		_ = os.Remove(path)
		held.Release()
		_ = os.Remove(path + ".lock")
	}, nil
}

// RemoveLeftInitrds removes the initrds that boots killed with their process left in dir. A
// caller that owns a work folder calls it when it takes the folder over, so a killed run's
// initrd goes even when no boot follows (a cached verdict); every boot does it as well.
func RemoveLeftInitrds(ctx context.Context, dir string) error {
	dirLock, err := lock.Acquire(ctx, filepath.Join(dir, initrdDirLock), lock.Options{Label: "rfl-tutor boot: clearing old initrds"})
	if err != nil {
		return fmt.Errorf("initrd: %w", err)
	}
	defer dirLock.Release()
	removeLeftInitrds(dir)
	return nil
}

// removeLeftInitrds removes the initrds in dir that no running boot holds, with their locks.
func removeLeftInitrds(dir string) {
	initrds, _ := filepath.Glob(filepath.Join(dir, initrdPattern))
	locks, _ := filepath.Glob(filepath.Join(dir, initrdPattern+".lock"))
	seen := map[string]bool{}
	for _, p := range append(initrds, locks...) {
		p = strings.TrimSuffix(p, ".lock")
		if seen[p] {
			continue
		}
		seen[p] = true
		l, err := lock.TryAcquire(p+".lock", lock.Options{})
		var held *lock.HeldError
		if errors.As(err, &held) || err != nil {
			continue // a boot that runs, or a lock this user cannot open
		}
		_ = os.Remove(p)
		l.Release()
		_ = os.Remove(p + ".lock")
	}
}
