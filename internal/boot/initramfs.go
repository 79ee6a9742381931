package boot

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/cavaliergopher/cpio"

	"github.com/rfl-tutor/rfl-tutor/internal/atomicfile"
)

//go:embed guest/init.sh
var initScript []byte

//go:embed guest/insmod.c
var insmodSource []byte

//go:embed guest/io.c
var ioSource []byte

// helpers are the guest programs compiled from C on the host, by name under /bin: the module
// loader and the device driver's user-space side.
var helpers = []struct {
	name string
	src  []byte
}{
	{"rfl-insmod", insmodSource},
	{"rfl-io", ioSource},
}

// baseFormat changes whenever the base archive's layout changes in a way its inputs (the init
// script and busybox) do not show, so older archives are rebuilt.
const baseFormat = "base-2"

// BaseName is the file name of the base initramfs built from busybox and, when cc is not
// empty, the loader helper compiled by cc: it names the content (layout, init script, busybox,
// helper source and compiler), so a changed input gives a new file.
func BaseName(busybox, cc string) (string, error) {
	bb, err := os.ReadFile(busybox)
	if err != nil {
		return "", fmt.Errorf("busybox: %w", err)
	}
	return baseName(bb, cc), nil
}

func baseName(bb []byte, cc string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", baseFormat, len(initScript))
	h.Write(initScript)
	fmt.Fprintf(h, "\x00%d\x00", len(bb))
	h.Write(bb)
	if cc != "" {
		fmt.Fprintf(h, "\x00%s\x00", cc)
		for _, hp := range helpers {
			fmt.Fprintf(h, "\x00%s\x00%d\x00", hp.name, len(hp.src))
			h.Write(hp.src)
		}
	}
	return "initramfs-" + hex.EncodeToString(h.Sum(nil))[:12] + ".cpio.gz"
}

// EnsureBase returns the base initramfs in dir, writing it first if it is not there: busybox
// (which must be statically linked), /init, and rfl-insmod compiled statically with cc (when cc
// is empty or cannot build it, init falls back to busybox's insmod), gzip-compressed. Each boot
// appends its own uncompressed archive (modules and plan) to a copy of it; the kernel unpacks
// both.
func EnsureBase(dir, busybox, cc string) (string, error) {
	bb, err := os.ReadFile(busybox)
	if err != nil {
		return "", fmt.Errorf("busybox: %w", err)
	}
	path := filepath.Join(dir, baseName(bb, cc))
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := checkStatic(busybox); err != nil {
		return "", err
	}
	entries := []entry{
		{name: "bin", dir: true},
		{name: "dev", dir: true},
		{name: "proc", dir: true},
		{name: "sys", dir: true},
		{name: "tmp", dir: true},
		{name: "rfl", dir: true},
		{name: "bin/busybox", data: bb, mode: 0o755},
		{name: "init", data: initScript, mode: 0o755},
	}
	if cc != "" {
		for _, hp := range helpers {
			bin, err := compileHelper(cc, hp.name, hp.src)
			if err != nil {
				return "", err
			}
			entries = append(entries, entry{name: "bin/" + hp.name, data: bin, mode: 0o755})
		}
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	err = writeArchive(zw, entries)
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return "", fmt.Errorf("build initramfs: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := atomicfile.Write(path, buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("write initramfs: %w", err)
	}
	// Archives from older inputs are never used again; one still in use by a running boot was
	// copied into that boot's own initrd already.
	old, _ := filepath.Glob(filepath.Join(dir, "initramfs-*.cpio.gz"))
	for _, o := range old {
		if o != path {
			_ = os.Remove(o)
		}
	}
	return path, nil
}

// compileHelper builds a guest helper's C source as a static executable with cc.
func compileHelper(cc, name string, source []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", name+"-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src, bin := filepath.Join(dir, name+".c"), filepath.Join(dir, name)
	if err := os.WriteFile(src, source, 0o644); err != nil {
		return nil, err
	}
	out, err := exec.Command(cc, "-static", "-Os", "-s", "-o", bin, src).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("compile the guest's %s with %s: %v\n%s(a static C library is needed: sudo apt-get install libc6-dev)", name, cc, err, out)
	}
	return os.ReadFile(bin)
}

// checkStatic refuses a dynamically linked busybox: the initramfs has no C library for it.
func checkStatic(path string) error {
	static, err := IsStatic(path)
	if err != nil {
		return fmt.Errorf("busybox %w", err)
	}
	if !static {
		return fmt.Errorf("busybox %s is dynamically linked and cannot run alone in the initramfs; install busybox-static", path)
	}
	return nil
}

type entry struct {
	name string
	data []byte
	mode os.FileMode
	dir  bool
}

// writeArchive writes a newc cpio archive of entries (directories before what they hold).
func writeArchive(w io.Writer, entries []entry) error {
	cw := cpio.NewWriter(w)
	for i, e := range entries {
		h := &cpio.Header{Name: e.name, Links: 1, Inode: int64(1000 + i), ModTime: time.Unix(0, 0)}
		if e.dir {
			h.Mode = cpio.TypeDir | 0o755
			h.Links = 2
		} else {
			h.Mode = cpio.TypeReg | cpio.FileMode(e.mode.Perm())
			h.Size = int64(len(e.data))
		}
		if err := cw.WriteHeader(h); err != nil {
			return err
		}
		if !e.dir {
			if _, err := cw.Write(e.data); err != nil {
				return err
			}
		}
	}
	return cw.Close()
}

// overlay is the per-boot archive: the nonce, the plan, the modules and the data of writes.
func overlay(w io.Writer, nonce string, p *plan) error {
	entries := []entry{
		{name: "rfl/mod", dir: true},
		{name: "rfl/data", dir: true},
		{name: "rfl/nonce", data: []byte(nonce + "\n"), mode: 0o644},
		{name: "rfl/plan", data: []byte(p.text), mode: 0o644},
	}
	names := make([]string, 0, len(p.modules))
	for n := range p.modules {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(p.modules[n])
		if err != nil {
			return fmt.Errorf("module: %w", err)
		}
		entries = append(entries, entry{name: "rfl/mod/" + n, data: b, mode: 0o644})
	}
	for i, d := range p.data {
		entries = append(entries, entry{name: fmt.Sprintf("rfl/data/%d", i), data: d, mode: 0o644})
	}
	return writeArchive(w, entries)
}
