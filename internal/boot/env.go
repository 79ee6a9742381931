package boot

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/rfl-tutor/rfl-tutor/internal/kernel"
)

// Env is what booting a tree's kernel needs on this machine.
type Env struct {
	QEMU    string
	Kernel  string // the tree's bzImage
	Busybox string // a statically linked busybox
	// CC compiles the guest's module loader; "" when there is no C compiler (busybox's
	// insmod is used then).
	CC string
	// Firmware is QEMU's qboot, when installed: it hands over to the kernel about 0.7 s sooner
	// than the default SeaBIOS under TCG (measured: 1.8 s against 2.6 s from start to /init).
	// "" keeps QEMU's default.
	Firmware string
}

// qboot is where Debian's qemu-system-data installs QEMU's minimal x86 firmware.
var qboot = "/usr/share/qemu/qboot.rom"

// Unavailable says why the boot stage cannot run here, and how to fix it.
type Unavailable struct {
	Reasons []string
	Fixes   []string
}

func (u *Unavailable) Error() string {
	s := strings.Join(u.Reasons, "; ")
	if len(u.Fixes) > 0 {
		s += " (fix: " + strings.Join(u.Fixes, "; ") + ")"
	}
	return s
}

// KernelImage is where a built x86 tree keeps its bootable image.
func KernelImage(kdir string) string { return filepath.Join(kdir, "arch", "x86", "boot", "bzImage") }

// BootDir is where `kernel prepare` puts a tree's base initramfs.
func BootDir(kdir string) string { return filepath.Join(kdir, ".rfl-tutor", "boot") }

// Find looks for QEMU, the tree's bzImage and a static busybox, and says everything that is
// missing at once (an *Unavailable error).
func Find(kdir string, lookPath func(string) (string, error)) (*Env, error) {
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	e := &Env{Kernel: KernelImage(kdir)}
	u := &Unavailable{}
	var err error
	if e.QEMU, err = lookPath("qemu-system-x86_64"); err != nil {
		u.Reasons = append(u.Reasons, "qemu-system-x86_64 is not installed")
		u.Fixes = append(u.Fixes, "sudo apt-get install qemu-system-x86")
	}
	if _, err := os.Stat(e.Kernel); err != nil {
		u.Reasons = append(u.Reasons, "the kernel tree has no bzImage ("+e.Kernel+")")
		u.Fixes = append(u.Fixes, "build the whole tree, e.g. `rfl-tutor kernel prepare`")
	}
	if e.Busybox, err = lookPath("busybox"); err != nil {
		u.Reasons = append(u.Reasons, "busybox is not installed")
		u.Fixes = append(u.Fixes, "sudo apt-get install busybox-static")
	} else if static, err := IsStatic(e.Busybox); err != nil || !static {
		u.Reasons = append(u.Reasons, e.Busybox+" is not a statically linked busybox")
		u.Fixes = append(u.Fixes, "sudo apt-get install busybox-static")
	}
	if len(u.Reasons) > 0 {
		return nil, u
	}
	if _, err := os.Stat(qboot); err == nil {
		e.Firmware = qboot
	}
	// The compiler the tree was built with is the one certain to be here.
	for _, cc := range []string{"clang" + llvmSuffix(kdir), "cc", "gcc", "clang"} {
		if p, err := lookPath(cc); err == nil {
			e.CC = p
			break
		}
	}
	return e, nil
}

// Initramfs returns the base initramfs for this env: the one `kernel prepare` left in the tree,
// else one built now in fallbackDir (the tree may be read-only, e.g. an instructor's). When the
// loader helper cannot be compiled (no static C library), the archive is made without it and
// init uses busybox's insmod.
func (e *Env) Initramfs(kdir, fallbackDir string) (string, error) {
	ccs := []string{e.CC}
	if e.CC != "" {
		ccs = append(ccs, "")
	}
	var firstErr error
	for _, cc := range ccs {
		for _, dir := range []string{BootDir(kdir), fallbackDir} {
			p, err := EnsureBase(dir, e.Busybox, cc)
			if err == nil {
				return p, nil
			}
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	return "", fmt.Errorf("build the boot initramfs: %w", firstErr)
}

// llvmSuffix is the LLVM= version suffix a prepared tree records ("-19"), or "".
func llvmSuffix(kdir string) string {
	m, err := kernel.ReadMeta(kdir)
	if err != nil || m == nil || !strings.HasPrefix(m.LLVM, "-") {
		return ""
	}
	return m.LLVM
}
