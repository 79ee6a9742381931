package main

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/check"
	"github.com/rfl-tutor/rfl-tutor/internal/sandbox"
	"github.com/rfl-tutor/rfl-tutor/internal/testkernel"
)

// evilPack's Kbuild tries to write $RFL_EVIL_TARGET and to connect to 127.0.0.1:$RFL_EVIL_PORT
// whenever Kbuild reads it.
const evilPack = "../../internal/library/testdata/evil"

// evilTargets points the evil pack at a file in a fresh folder and at a listener of the test's,
// and returns the file and the count of connections the listener accepted.
func evilTargets(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	target := filepath.Join(t.TempDir(), "planted")
	t.Setenv("RFL_EVIL_TARGET", target)
	t.Setenv("RFL_EVIL_PORT", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
	return target, &accepted
}

// withoutBwrap puts on PATH a folder of links to every program on PATH except bubblewrap.
func withoutBwrap(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if e.Name() != sandbox.Program {
				// The first of a name wins, as on PATH.
				_ = os.Symlink(filepath.Join(d, e.Name()), filepath.Join(dir, e.Name()))
			}
		}
	}
	t.Setenv("PATH", dir)
}

func assertContained(t *testing.T, what, target string, accepted *atomic.Int32) {
	t.Helper()
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s: the pack's Kbuild wrote %s (%v)", what, target, err)
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("%s: the pack's Kbuild connected to the test's listener %d time(s)", what, n)
	}
}

// In the sandbox, the evil pack's writes and connects fail while its module builds and both
// checks report that.
func TestEvilPackIsContained(t *testing.T) {
	kdir := testkernel.Dir(t)
	if _, err := sandbox.Find(); err != nil {
		t.Fatalf("this test needs bubblewrap: %v", err)
	}
	isolateCache(t)
	target, accepted := evilTargets(t)

	out, errOut, code := cli(t, "snippets", "check", "--course", evilPack, "--kdir", kdir, "--json")
	if code != 0 {
		t.Fatalf("snippets check: exit %d, want 0 (the module builds):\n%s\n%s", code, out, errOut)
	}
	var rep struct {
		Snippets []struct {
			ID      string `json:"id"`
			Results []struct {
				Status string `json:"status"`
			} `json:"results"`
		} `json:"snippets"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Snippets) != 1 || rep.Snippets[0].Results[0].Status != "pass" {
		t.Errorf("snippets check: %v\n%s", err, out)
	}
	assertContained(t, "snippets check", target, accepted)

	// The learner's check of the starter fails at the build, for the starter's own error;
	// the solution passes.
	out, errOut, code = cli(t, "check", "evil-exercise", "--course", evilPack, "--kdir", kdir, "--json")
	if code != 1 || !strings.Contains(out, "E0425") {
		t.Errorf("check of the starter: exit %d, want 1 with E0425:\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = cli(t, "check", "evil-exercise", "--course", evilPack, "--kdir", kdir, "--solution", "--json")
	var v check.Verdict
	if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil || !v.Passed {
		t.Errorf("check of the solution: exit %d, %v:\n%s\n%s", code, err, out, errOut)
	}
	// The Kbuild's $(shell) ran, and could write in its own build folder.
	ran, _ := filepath.Glob(filepath.Join(os.Getenv("XDG_CACHE_HOME"), "rfl-tutor", "builds", "evil", "*", "build", "evil-ran"))
	if len(ran) != 2 {
		t.Errorf("the Kbuild left %d evil-ran files in the starter's and the solution's build folders, want 2", len(ran))
	}
	time.Sleep(100 * time.Millisecond)
	assertContained(t, "check", target, accepted)
}

// Without bubblewrap the built-in course still builds, and a pack needs --trust, which is
// remembered for the pack's content.
func TestPackWithoutSandboxNeedsTrust(t *testing.T) {
	isolateCache(t)
	withoutBwrap(t)
	target, accepted := evilTargets(t)
	pack := filepath.Join(t.TempDir(), "evil")
	if err := os.CopyFS(pack, os.DirFS(evilPack)); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "no-tree")
	for _, args := range [][]string{
		{"snippets", "check", "--course", pack, "--kdir", missing},
		{"course", "check", "--course", pack, "--kdir", missing},
		{"check", "evil-exercise", "--course", pack, "--kdir", missing},
	} {
		_, errOut, code := cli(t, args...)
		if code != 2 || !strings.Contains(errOut, "Kbuild files are code") || !strings.Contains(errOut, "--trust") ||
			!strings.Contains(errOut, "apt-get install bubblewrap") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and why --trust is needed", args, code, errOut)
		}
	}
	assertContained(t, "refused", target, accepted)
	// Reading the pack needs no sandbox.
	if _, errOut, code := cli(t, "list", "--course", pack); code != 0 {
		t.Errorf("list: exit %d: %s", code, errOut)
	}

	// --trust is remembered for the content: the next run gets past the sandbox to the tree.
	if _, errOut, code := cli(t, "snippets", "check", "--course", pack, "--kdir", missing, "--trust"); code != 2 || strings.Contains(errOut, "--trust") {
		t.Errorf("--trust: exit %d, stderr %q; want the missing tree reported", code, errOut)
	}
	if _, errOut, code := cli(t, "snippets", "check", "--course", pack, "--kdir", missing); code != 2 || strings.Contains(errOut, "--trust") {
		t.Errorf("trusted before: exit %d, stderr %q; want the missing tree reported", code, errOut)
	}
	// The same pack in another folder is the same content.
	moved := filepath.Join(t.TempDir(), "moved")
	if err := os.CopyFS(moved, os.DirFS(pack)); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := cli(t, "snippets", "check", "--course", moved, "--kdir", missing); code != 2 || strings.Contains(errOut, "--trust") {
		t.Errorf("moved pack: exit %d, stderr %q", code, errOut)
	}
	// An edited pack is not.
	kb := filepath.Join(pack, "snippets", "evil_module", "Kbuild")
	b, err := os.ReadFile(kb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kb, append(b, "$(shell id)\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := cli(t, "snippets", "check", "--course", pack, "--kdir", missing); code != 2 || !strings.Contains(errOut, "--trust") {
		t.Errorf("edited pack: exit %d, stderr %q; want --trust asked for again", code, errOut)
	}

	kdir := testkernel.Dir(t)
	// The built-in course builds unsandboxed.
	out, errOut, code := cli(t, "check", "hello-module", "--kdir", kdir, "--solution", "--no-boot", "--json")
	var v check.Verdict
	if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil || !v.Passed {
		t.Errorf("built-in course without bubblewrap: exit %d, %v:\n%s\n%s", code, err, out, errOut)
	}
	// A trusted pack builds unsandboxed, and its Kbuild does what it likes: the fixture is live.
	out, errOut, code = cli(t, "snippets", "check", "--course", moved, "--kdir", kdir)
	if code != 0 {
		t.Errorf("trusted pack: exit %d:\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(target); err != nil {
		t.Errorf("unsandboxed, the pack's Kbuild could not write %s: %v", target, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for accepted.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if accepted.Load() == 0 {
		t.Error("unsandboxed, the pack's Kbuild did not connect to the test's listener")
	}
}
