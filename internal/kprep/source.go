package kprep

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// decompressors maps tarball name endings to the program that decompresses them (tar calls the
// same one when unpacking).
var decompressors = []struct {
	suffix string
	tool   toolchain.Tool
}{
	{".tar.xz", toolchain.Tool{Name: "xz", Package: "xz-utils"}},
	{".txz", toolchain.Tool{Name: "xz", Package: "xz-utils"}},
	{".tar.gz", toolchain.Tool{Name: "gzip", Package: "gzip"}},
	{".tgz", toolchain.Tool{Name: "gzip", Package: "gzip"}},
	{".tar.bz2", toolchain.Tool{Name: "bzip2", Package: "bzip2"}},
	{".tar.zst", toolchain.Tool{Name: "zstd", Package: "zstd"}},
}

// source is the kernel source a preparation starts from.
type source struct {
	path string // absolute
	// decompressor is set for tarballs; zero for directories.
	decompressor toolchain.Tool
	release      string // from the top Makefile
}

func (s *source) tarball() bool { return s.decompressor.Name != "" }

// openSource classifies path and reads the kernel version from its top Makefile; for a tarball
// that means decompressing only up to the Makefile entry (well under a second for 6.12). When
// the tarball's decompressor is missing the release is left empty for the tool check to explain.
func openSource(ctx context.Context, env toolchain.Env, path string) (*source, error) {
	if path == "" {
		return nil, errors.New("no kernel source given (a linux-*.tar.xz tarball or an unpacked source directory)")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("kernel source: %w", err)
	}
	s := &source{path: abs}
	if fi.IsDir() {
		f, err := os.Open(filepath.Join(abs, "Makefile"))
		if err != nil {
			return nil, fmt.Errorf("kernel source %s: %w", abs, err)
		}
		defer f.Close()
		m, err := kernel.ParseMakefile(f)
		if err != nil || m.Version == "" {
			return nil, fmt.Errorf("kernel source %s: top Makefile is not a kernel's (%v)", abs, err)
		}
		s.release = m.Release()
		return s, nil
	}
	for _, d := range decompressors {
		if strings.HasSuffix(abs, d.suffix) {
			s.decompressor = d.tool
		}
	}
	if !s.tarball() {
		return nil, fmt.Errorf("kernel source %s: not a directory or a .tar.xz/.tar.gz/.tar.bz2/.tar.zst tarball", abs)
	}
	prog, err := env.LookPath(s.decompressor.Name)
	if err != nil {
		// The release stays unknown; the tool check reports the decompressor with the rest.
		return s, nil
	}
	if s.release, err = tarballRelease(ctx, prog, abs); err != nil {
		return nil, fmt.Errorf("kernel source %s: %w", abs, err)
	}
	return s, nil
}

// topMakefile matches the kernel's top Makefile inside a tarball: "linux-6.12/Makefile" or
// "./Makefile" for tarballs without a top directory.
var topMakefile = regexp.MustCompile(`^(\./)?([^/]+/)?Makefile$`)

func tarballRelease(ctx context.Context, decompress, path string) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the decompressor once the Makefile is read
	cmd := exec.CommandContext(ctx, decompress, "-dc", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer func() {
		cancel()
		_ = cmd.Wait()
	}()
	tr := tar.NewReader(out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return "", errors.New("no top-level Makefile in the tarball")
		}
		if err != nil {
			return "", fmt.Errorf("reading the tarball: %w", err)
		}
		if !h.FileInfo().Mode().IsRegular() || !topMakefile.MatchString(h.Name) {
			continue
		}
		// In a tarball without a top directory, tools/Makefile also matches: keep looking
		// until a Makefile with the kernel's version lines.
		if m, err := kernel.ParseMakefile(tr); err == nil && m.Version != "" {
			return m.Release(), nil
		}
	}
}

// checkPristine refuses a source directory that has been configured or built in place: Kbuild
// cannot then use it for an O= build ("source tree is not clean").
func checkPristine(dir string) error {
	for _, p := range []string{".config", "include/config", "arch/x86/include/generated"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			return fmt.Errorf("kernel source %s has been configured or built in place (%s exists); "+
				"give a clean source (`make -C %s mrproper` cleans it, or use the tarball)", dir, p, dir)
		}
	}
	return nil
}

// unpack extracts the tarball into dest with the system tar, through a temporary directory so an
// interrupted unpack is never mistaken for a complete one, and returns the source tree inside.
func unpack(ctx context.Context, env []string, tarball, dest string, log io.Writer) (string, error) {
	tmp := dest + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return "", err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "tar", "-xf", tarball, "-C", tmp)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("unpacking %s: %w", tarball, err)
	}
	top, err := findTop(tmp)
	if err != nil {
		return "", fmt.Errorf("unpacking %s: %w", tarball, err)
	}
	if err := os.RemoveAll(dest); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return "", err
	}
	rel, _ := filepath.Rel(tmp, top)
	return filepath.Join(dest, rel), nil
}

// findTop returns the directory holding the kernel's top Makefile: dir itself or its only
// subdirectory.
func findTop(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "Makefile")); err == nil {
		return dir, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	for _, e := range ents {
		if e.IsDir() {
			if _, err := os.Stat(filepath.Join(dir, e.Name(), "Makefile")); err == nil {
				return filepath.Join(dir, e.Name()), nil
			}
		}
	}
	return "", errors.New("no kernel Makefile in the unpacked tarball")
}
