// Package toolchain probes the host tools a Rust-enabled kernel needs (rustc and its rust-src,
// bindgen, libclang, versioned LLVM) and knows the kernel's minimum versions for them.
//
// It is shared by internal/kernel (which rustc matches a tree), internal/kprep (what a build
// needs) and internal/doctor (what to report), so the three agree on what "found" means.
package toolchain

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
)

// probeTimeout bounds one `--version` run: a wedged tool must not hang doctor or prepare.
const probeTimeout = 10 * time.Second

var versionRe = regexp.MustCompile(`(\d+)\.(\d+)(?:\.(\d+))?`)

// ParseVersion returns the first dotted number in s (e.g. "rustc 1.96.0 (…)" → 1.96.0), or nil.
// Only the numeric part is kept: suffixes such as "-nightly" or "+deb12" would make semver treat
// the version as a prerelease and fail every ordinary constraint.
func ParseVersion(s string) *semver.Version {
	m := versionRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	major, _ := strconv.ParseUint(m[1], 10, 64)
	minor, _ := strconv.ParseUint(m[2], 10, 64)
	var patch uint64
	if m[3] != "" {
		patch, _ = strconv.ParseUint(m[3], 10, 64)
	}
	return semver.New(major, minor, patch, "", "")
}

// Env is where tools are looked for: a PATH list and a root for fixed file locations such as
// /usr/lib/llvm-14. The zero value means the process's PATH and "/".
type Env struct {
	Path string // PATH to search; "" means $PATH
	Root string // prefix for absolute file locations; "" means "/"
}

// PathList is the PATH the environment searches.
func (e Env) PathList() string { return e.path() }

func (e Env) path() string {
	if e.Path != "" {
		return e.Path
	}
	return os.Getenv("PATH")
}

// File maps an absolute location onto the environment's root.
func (e Env) File(abs string) string {
	if e.Root == "" {
		return abs
	}
	return filepath.Join(e.Root, abs)
}

// LookPath finds an executable named name in the environment's PATH.
func (e Env) LookPath(name string) (string, error) {
	if strings.Contains(name, "/") {
		if isExecutable(name) {
			return name, nil
		}
		return "", fmt.Errorf("%s: %w", name, exec.ErrNotFound)
	}
	for _, dir := range filepath.SplitList(e.path()) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, exec.ErrNotFound)
}

// LookPathAll finds every executable named name in PATH order, without duplicates.
func (e Env) LookPathAll(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, dir := range filepath.SplitList(e.path()) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if !isExecutable(p) {
			continue
		}
		// /bin and /usr/bin are one directory on merged-/usr systems: report the file once.
		id := p
		if r, err := filepath.EvalSymlinks(p); err == nil {
			id = r
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, p)
	}
	return out
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// output runs a tool briefly and returns its stdout; results are memoized per binary (path,
// size, modification time) because doctor, kernel.Open and prepare ask the same questions.
func output(ctx context.Context, env []string, name string, args ...string) (string, error) {
	key := name + "\x00" + strings.Join(args, "\x00")
	if fi, err := os.Stat(name); err == nil {
		key += fmt.Sprintf("\x00%d\x00%d", fi.Size(), fi.ModTime().UnixNano())
	}
	memoMu.Lock()
	r, ok := memo[key]
	memoMu.Unlock()
	if ok {
		return r.out, r.err
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg != "" {
			err = fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, msg)
		} else {
			err = fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
		}
		if ctx.Err() != nil {
			// A cancelled probe says nothing about the tool: do not remember it.
			return "", err
		}
	}
	memoMu.Lock()
	memo[key] = memoResult{string(b), err}
	memoMu.Unlock()
	return string(b), err
}

type memoResult struct {
	out string
	err error
}

var (
	memoMu sync.Mutex
	memo   = map[string]memoResult{}
)

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
