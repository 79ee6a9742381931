package toolchain

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
)

// Minimums are the oldest tool versions a kernel accepts for Rust.
type Minimums struct {
	Rustc   *semver.Version
	Bindgen *semver.Version
	// LLVM is the oldest clang/libclang the kernel supports on x86.
	LLVM *semver.Version
	// From says where the numbers come from: the tree's scripts/min-tool-version.sh, or the
	// built-in table when the source is not at hand (distro headers ship without it).
	From string
}

// MinVersions reads the minimums from srcDir/scripts/min-tool-version.sh, falling back to the
// built-in table for kernel version kver for each tool the script cannot answer.
func MinVersions(ctx context.Context, srcDir string, kver *semver.Version) Minimums {
	m := tableMinimums(kver)
	if srcDir == "" {
		return m
	}
	script := filepath.Join(srcDir, "scripts", "min-tool-version.sh")
	if _, err := os.Stat(script); err != nil {
		return m
	}
	ask := func(tool string) *semver.Version {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, "sh", script, tool)
		// The script answers per architecture; this project builds x86_64 kernels.
		cmd.Env = append(os.Environ(), "SRCARCH=x86", "ARCH=x86_64")
		out, err := cmd.Output()
		if err != nil {
			return nil
		}
		return ParseVersion(strings.TrimSpace(string(out)))
	}
	from := false
	if v := ask("rustc"); v != nil {
		m.Rustc, from = v, true
	}
	if v := ask("bindgen"); v != nil {
		m.Bindgen, from = v, true
	}
	if v := ask("llvm"); v != nil {
		m.LLVM, from = v, true
	}
	if from {
		m.From = script
	}
	return m
}

// minTable is scripts/min-tool-version.sh across kernel releases (rfl-facts §2): up to 6.10 the
// versions were pinned (newer ones only warned), from 6.11 they are minimums.
var minTable = []struct {
	since         string
	rustc, bindgn string
	llvm          string
}{
	{"6.1.0", "1.62.0", "0.56.0", "11.0.0"},
	{"6.5.0", "1.68.2", "0.56.0", "11.0.0"},
	{"6.6.0", "1.71.1", "0.65.1", "11.0.0"},
	{"6.7.0", "1.73.0", "0.65.1", "11.0.0"},
	{"6.8.0", "1.74.1", "0.65.1", "11.0.0"},
	{"6.9.0", "1.76.0", "0.65.1", "13.0.1"},
	{"6.10.0", "1.78.0", "0.65.1", "13.0.1"},
	{"7.1.0", "1.85.0", "0.71.1", "13.0.1"},
}

func tableMinimums(kver *semver.Version) Minimums {
	row := minTable[0]
	if kver != nil {
		for _, r := range minTable {
			if !kver.LessThan(semver.MustParse(r.since)) {
				row = r
			}
		}
	}
	return Minimums{
		Rustc:   semver.MustParse(row.rustc),
		Bindgen: semver.MustParse(row.bindgn),
		LLVM:    semver.MustParse(row.llvm),
		From:    "built-in table",
	}
}
