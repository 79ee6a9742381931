package kprep

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrapper runs the installed wrapper against a fake bindgen 0.60.1 that records its
// arguments, rejects one flag the way libclang 14 does, and writes a BUG() declaration.
func TestWrapper(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	real := filepath.Join(dir, "bindgen-real")
	argsFile := filepath.Join(dir, "args")
	script(t, real, `#!/bin/sh
for a in "$@"; do
	if [ "$a" = "-fnew-flag" ]; then echo "error: unknown argument: '-fnew-flag'" >&2; exit 1; fi
done
printf '%s\n' "$@" > `+argsFile+`
out=; prev=
for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done
printf 'extern "C" {\n    pub fn BUG();\n    pub fn rust_helper_BUG();\n    pub fn other();\n}\n' > "$out"
echo "LIBCLANG_PATH=$LIBCLANG_PATH" >&2
`)
	w, err := wrapperFor(real, "/opt/llvm-14/lib")
	if err != nil {
		t.Fatal(err)
	}
	wrapper := filepath.Join(dir, "bin", "bindgen")
	if err := installWrapper(wrapper, dir, w); err != nil {
		t.Fatal(err)
	}

	v, err := exec.Command(wrapper, "--version").Output()
	if err != nil || strings.TrimSpace(string(v)) != "bindgen 0.65.1" {
		t.Fatalf("--version: %q %v", v, err)
	}

	outFile := filepath.Join(dir, "bindings_generated.rs")
	cmd := exec.Command(wrapper, "--rust-target", "1.68", "-o", outFile, "header.h", "--",
		"-fstrict-flex-arrays=3", "-fnew-flag", "-O2", "-mskip-rax-setup")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("wrapper: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "LIBCLANG_PATH=/opt/llvm-14/lib") {
		t.Errorf("libclang not pinned: %s", stderr.String())
	}
	b, _ := os.ReadFile(argsFile)
	args := strings.Fields(string(b))
	want := []string{"--rust-target", "1.47", "-o", outFile, "header.h", "--", "-O2", "-w"}
	if strings.Join(args, " ") != strings.Join(want, " ") {
		t.Errorf("bindgen got %v, want %v", args, want)
	}
	gen, _ := os.ReadFile(outFile)
	for _, s := range []string{"pub fn BUG() -> !;", "pub fn rust_helper_BUG() -> !;", "pub fn other();"} {
		if !strings.Contains(string(gen), s) {
			t.Errorf("output lacks %q:\n%s", s, gen)
		}
	}
}

// A changed wrapper invalidates the bindings the old one generated (Kbuild would keep them).
func TestInstallWrapperInvalidatesBindings(t *testing.T) {
	out := t.TempDir()
	path := filepath.Join(out, ".rfl-tutor/bin/bindgen")
	gen := filepath.Join(out, "rust/bindings/bindings_generated.rs")
	put := func() { touch(t, gen) }
	put()
	if err := installWrapper(path, out, []byte("#!/bin/sh\n# A\n")); err != nil {
		t.Fatal(err)
	}
	if !fileExists(gen) {
		t.Fatal("first install removed bindings it did not generate")
	}
	if err := installWrapper(path, out, []byte("#!/bin/sh\n# A\n")); err != nil || !fileExists(gen) {
		t.Fatalf("same wrapper again: err %v, bindings kept %v", err, fileExists(gen))
	}
	if err := installWrapper(path, out, []byte("#!/bin/sh\n# B\n")); err != nil {
		t.Fatal(err)
	}
	if fileExists(gen) {
		t.Fatal("bindings from the old wrapper survived")
	}
}
