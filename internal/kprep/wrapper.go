package kprep

import (
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
)

// wrapperScript makes Debian 12's bindgen 0.60.1 usable for Linux 6.12; its comments say why.
//
//go:embed bindgen-wrapper.sh
var wrapperScript []byte

// The wrapper's defaults, replaced at install time by what this machine has, so the installed
// copy works without any environment (as `make rust-analyzer BINDGEN=…` runs it later).
const (
	wrapperRealDefault     = "${RFL_BINDGEN_REAL:-/usr/bin/bindgen}"
	wrapperLibclangDefault = "${RFL_LIBCLANG_PATH:-/usr/lib/llvm-14/lib}"
)

// wrapperFor returns the wrapper script with its defaults set to bindgen and libclangDir.
func wrapperFor(bindgen, libclangDir string) ([]byte, error) {
	out := wrapperScript
	for _, r := range []struct{ old, new string }{
		{wrapperRealDefault, "${RFL_BINDGEN_REAL:-" + bindgen + "}"},
		{wrapperLibclangDefault, "${RFL_LIBCLANG_PATH:-" + libclangDir + "}"},
	} {
		if bytes.Count(out, []byte(r.old)) != 1 {
			return nil, fmt.Errorf("bindgen wrapper: expected one %q in the script", r.old)
		}
		out = bytes.Replace(out, []byte(r.old), []byte(r.new), 1)
	}
	return out, nil
}

// bindingsGenerated are the files Kbuild generates with bindgen. Kbuild rebuilds when a command
// line changes, not when the tool behind it does, so they are removed when the wrapper changes.
var bindingsGenerated = []string{
	"rust/bindings/bindings_generated.rs",
	"rust/bindings/bindings_helpers_generated.rs",
	"rust/uapi/uapi_generated.rs",
}

// installWrapper writes the wrapper to path; when it replaces a different one, the bindings it
// generated in out are removed so the build regenerates them.
func installWrapper(path, out string, script []byte) error {
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, script) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := atomicfile.Write(path, script, 0o755); err != nil {
		return err
	}
	if old != nil {
		for _, g := range bindingsGenerated {
			if err := os.Remove(filepath.Join(out, g)); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	return nil
}
