// Package guestspec is what the boot stage's guest offers a course: the emulated devices a boot
// may add, the ioctl arguments its rfl-io helper takes, the errno names a step may expect. The
// course format validates against it at load; the boot package builds QEMU's command line and
// the guest's plan from it, so the two never disagree.
package guestspec

import (
	"regexp"

	"golang.org/x/sys/unix"
)

// Devices are the emulated devices a boot may add (QEMU's -device NAME), with what each is for.
var Devices = map[string]string{
	"pci-testdev": "QEMU's PCI test device: BARs with doorbell registers (the tree's samples/rust/rust_driver_pci.rs drives it)",
	"edu":         "QEMU's educational PCI device: an identification register, a liveness check, factorial, DMA, interrupts",
}

// ioctlArg is what rfl-io takes as an ioctl argument: a number, or @ and a (signed) number.
var ioctlArg = regexp.MustCompile(`^(@-?)?(0x[0-9a-fA-F]+|[0-9]+)$`)

// ValidIoctlArg says whether s is an ioctl argument the guest takes.
func ValidIoctlArg(s string) bool { return ioctlArg.MatchString(s) }

// ErrnoNumber returns the number of a user-space errno name ("EINVAL" → 22), 0 when unknown.
func ErrnoNumber(name string) int {
	for e := unix.Errno(1); e < 256; e++ {
		if unix.ErrnoName(e) == name {
			return int(e)
		}
	}
	return 0
}
