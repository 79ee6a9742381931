// Package testkernel gives tests the real kernel tree they build against.
//
// The README's test command prepares (or reuses) a cached Rust-enabled tree and exports
// RFL_TEST_KDIR with RFL_REQUIRE_KERNEL=1, so in CI a missing tree fails the test instead of
// silently skipping it. A developer running `go test` on one package without a tree gets a skip
// that says how to get one.
package testkernel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Dir returns the kernel tree tests must build against, or skips (or fails, when the tree is
// required) if there is none.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("RFL_TEST_KDIR")
	if dir == "" {
		if Required() {
			t.Fatal("RFL_REQUIRE_KERNEL=1 but RFL_TEST_KDIR is not set: run the tests through `make test`")
		}
		t.Skip("no kernel tree: set RFL_TEST_KDIR (or run `make test`, which prepares one)")
	}
	if _, err := os.Stat(filepath.Join(dir, ".config")); err != nil {
		t.Fatalf("RFL_TEST_KDIR=%s is not a configured kernel tree: %v", dir, err)
	}
	return dir
}

// Dirs returns every kernel tree the suite builds against: RFL_TEST_KDIR, then the trees in
// RFL_TEST_KDIRS (space-separated; the README's test command puts the 7.3 tree there), so a
// test of behaviour that differs between kernels runs on each of them.
func Dirs(t testing.TB) []string {
	t.Helper()
	dirs := []string{Dir(t)}
	for _, dir := range strings.Fields(os.Getenv("RFL_TEST_KDIRS")) {
		if _, err := os.Stat(filepath.Join(dir, ".config")); err != nil {
			t.Fatalf("RFL_TEST_KDIRS names %s, which is not a configured kernel tree: %v", dir, err)
		}
		if dir != dirs[0] {
			dirs = append(dirs, dir)
		}
	}
	return dirs
}

// Required reports whether tests must fail rather than skip when the tree is missing.
func Required() bool { return os.Getenv("RFL_REQUIRE_KERNEL") == "1" }
