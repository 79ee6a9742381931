// Package boot runs learners' modules in a real kernel: it boots the kernel tree's bzImage under
// QEMU with a busybox initramfs whose /init loads the given modules, runs scripted steps,
// unloads them and powers off, and it parses the serial console into a Transcript (kernel lines,
// init's framed events, each action's exit status and output) that the check package judges.
package boot

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rfl-tutor/rfl-tutor/internal/guestspec"
	"github.com/rfl-tutor/rfl-tutor/internal/proc"
)

// Request is one boot.
type Request struct {
	// QEMU is the qemu-system-x86_64 binary.
	QEMU string
	// Kernel is the bzImage; Initramfs the base archive from EnsureBase.
	Kernel, Initramfs string
	// Units run in order in the one boot.
	Units []Unit
	// Timeout bounds the whole boot, from starting QEMU to init's last word (default 60 s).
	Timeout time.Duration
	// WorkDir holds the boot's own initramfs while it runs (default: the system temp dir).
	WorkDir string
	// Output, when set, receives the console as it arrives (CRLF line ends, as the guest sent).
	Output func([]byte)
	// Keep lists texts the caller judges the console by (expected lines): a kernel line holding
	// one is kept in the transcript however much the guest prints.
	Keep []string
	// Devices are emulated devices to add (names from guestspec.Devices), e.g. pci-testdev.
	Devices []string
	// Firmware, when set, is the x86 firmware QEMU starts with (-bios), e.g. Env.Firmware.
	Firmware string
}

// Result is what a boot showed.
type Result struct {
	Transcript *Transcript
	// Command is the QEMU command line, for the record.
	Command string
	// TimedOut says the guest did not finish in time and QEMU was killed; Canceled that the
	// caller's context ended first.
	TimedOut, Canceled bool
	// EndedAfterReport says QEMU was stopped once the kernel's report of trouble was complete
	// (see Transcript.Reported), without waiting for init or the timeout: a deadlock that
	// lockdep named, or a module that oopsed, is judged in seconds.
	EndedAfterReport bool
	// Exited says QEMU stopped by itself before init finished (a panic reboots the guest, and
	// -no-reboot turns that into an exit), with ExitCode.
	Exited   bool
	ExitCode int
	// Stderr is what QEMU itself said (bounded): why it could not start, usually.
	Stderr   string
	Duration time.Duration
}

// DefaultTimeout bounds a boot when the request gives no timeout. A boot with one module takes
// about 2 s on these machines under TCG; the margin covers a loaded machine.
const DefaultTimeout = 60 * time.Second

// Args is QEMU's command line for kernel and initrd: TCG (no KVM here), one CPU, no devices but
// the serial port on stdio, and a kernel that reboots on panic (which -no-reboot makes an exit).
func Args(kernel, initrd string) []string {
	return []string{
		"-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none",
		"-accel", "tcg", "-smp", "1", "-m", "256M",
		"-serial", "stdio", "-no-reboot",
		"-kernel", kernel, "-initrd", initrd,
		// printk.devkmsg=on: init's framed lines go through /dev/kmsg, which is rate-limited
		// by default.
		"-append", "console=ttyS0 panic=-1 printk.devkmsg=on loglevel=7 rdinit=/init",
	}
}

// A boot whose kernel reported trouble ends once the console was quiet for reportQuiet after the
// report (lockdep and Oops reports arrive in one burst), or reportMax after it began.
const (
	reportQuiet = 1500 * time.Millisecond
	reportMax   = 6 * time.Second
)

// hardLimitMargin is how much longer than the boot's timeout QEMU may live at all: the timeout
// is enforced by Run, the hard limit by timeout(1) even when Run's process is gone.
const hardLimitMargin = 10 * time.Second

// bounded is the command that runs QEMU under timeout(1), a process of its own that kills
// QEMU after limit whatever happens to this one: a guest that loops (a module whose init
// never returns) keeps QEMU busy at full CPU forever otherwise. timeout(1) leads QEMU's process
// group and gets SIGTERM if this process dies, which it passes on to QEMU. Without timeout(1)
// QEMU runs unbounded but still supervised.
func bounded(qemu string, args []string, limit time.Duration) *exec.Cmd {
	t, err := exec.LookPath("timeout")
	if err != nil {
		return exec.Command(qemu, args...)
	}
	secs := int64((limit + time.Second - 1) / time.Second)
	cmd := exec.Command(t, append([]string{"--signal=KILL", strconv.FormatInt(secs, 10) + "s", qemu}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	return cmd
}

// Run boots the kernel with req's units and returns the transcript. An error means the boot could
// not be attempted (no QEMU, unreadable files); a guest that hangs, panics or never starts is a
// Result, judged by the caller.
func Run(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	p, err := makePlan(req.Units)
	if err != nil {
		return nil, err
	}
	nonce, err := newNonce()
	if err != nil {
		return nil, err
	}
	initrd, removeInitrd, err := writeInitrd(ctx, req, nonce, p)
	if err != nil {
		return nil, err
	}
	defer removeInitrd()

	timeout := req.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	args := Args(req.Kernel, initrd)
	if req.Firmware != "" {
		args = append(args, "-bios", req.Firmware)
	}
	for _, d := range req.Devices {
		if _, ok := guestspec.Devices[d]; !ok {
			return nil, fmt.Errorf("device %q is not one the boot stage offers", d)
		}
		args = append(args, "-device", d)
	}
	cmd := bounded(req.QEMU, args, timeout+hardLimitMargin)
	cmd.Stdin = nil // /dev/null: nothing types on the console
	var stderr bytes.Buffer
	cmd.Stderr = &limitedWriter{w: &stderr, left: 16 << 10}
	res := &Result{Transcript: NewTranscript(nonce, req.Keep...), Command: req.QEMU + " " + strings.Join(args, " ")}
	finished := make(chan struct{}) // init said "done"
	reported := make(chan struct{}) // the kernel began a report of trouble during a unit
	con := &console{transcript: res.Transcript, output: req.Output, finished: finished, reported: reported}
	con.last.Store(time.Now().UnixNano())
	cmd.Stdout = con
	// Its own process group, so ending the boot kills QEMU and anything it started. No grace:
	// the guest has nothing to save, and QEMU would only report the SIGTERM on stderr.
	g, err := proc.Start(ctx, cmd, proc.Limits{Timeout: timeout})
	if err != nil {
		return nil, fmt.Errorf("start QEMU: %w", err)
	}
	waited := make(chan struct{})
	var endedAfterReport atomic.Bool
	go func() {
		select {
		case <-finished:
			// Init reported everything; its reboot would only add a fraction of a second.
			g.Stop()
		case <-reported:
			// The verdict is a failure now; wait for the report to be whole (the console
			// quiet for reportQuiet, or reportMax at most), then stop. Init may still finish
			// first, when the kernel carried on after the report.
			since := time.Now()
			tick := time.NewTicker(100 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-finished:
					g.Stop()
					return
				case <-waited:
					return
				case now := <-tick.C:
					quiet := now.Sub(time.Unix(0, con.last.Load()))
					if quiet >= reportQuiet || now.Sub(since) >= reportMax {
						endedAfterReport.Store(true)
						g.Stop()
						return
					}
				}
			}
		case <-waited:
		}
	}()
	o, waitErr := g.Wait()
	close(waited)
	// Wait returns after os/exec's copy into the console ended: nothing writes to it now.
	res.Transcript.Close()
	res.TimedOut, res.Canceled = o.TimedOut, o.Canceled
	res.EndedAfterReport = endedAfterReport.Load() && !o.TimedOut && !o.Canceled
	if res.Exited = !o.TimedOut && !o.Canceled && !o.Stopped; res.Exited {
		if waitErr != nil {
			return nil, fmt.Errorf("QEMU: %w", waitErr)
		}
		res.ExitCode = o.ExitCode
	}
	res.Stderr = strings.TrimSpace(stderr.String())
	res.Duration = time.Since(start)
	return res, nil
}

// writeInitrd writes the base archive followed by this boot's overlay. The kernel unpacks
// concatenated archives, compressed or not, but looks for an uncompressed one only at a 4-byte
// aligned offset, so the base is padded with zeros (which the unpacker skips). remove deletes
// the file once the boot is over.
func writeInitrd(ctx context.Context, req Request, nonce string, p *plan) (path string, remove func(), err error) {
	base, err := os.Open(req.Initramfs)
	if err != nil {
		return "", nil, fmt.Errorf("initramfs: %w", err)
	}
	defer base.Close()
	dir := req.WorkDir
	if dir == "" {
		dir = os.TempDir()
	}
	f, remove, err := createInitrd(ctx, dir)
	if err != nil {
		return "", nil, err
	}
	n, err := io.Copy(f, base)
	if err == nil {
		_, err = f.Write(make([]byte, (4-n%4)%4))
	}
	if err == nil {
		err = overlay(f, nonce, p)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		remove()
		return "", nil, fmt.Errorf("write initrd: %w", err)
	}
	return filepath.Clean(f.Name()), remove, nil
}

// newNonce is a fresh frame tag per boot, so nothing the module prints can pass for init's
// frames by accident.
func newNonce() (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// console feeds the serial console to the transcript and the caller's Output, and closes
// finished once init has said it is done. os/exec calls it from one goroutine.
type console struct {
	transcript         *Transcript
	output             func([]byte)
	finished, reported chan struct{}
	signaled, told     bool
	last               atomic.Int64 // when output last arrived (UnixNano), read by Run's watcher
}

func (c *console) Write(p []byte) (int, error) {
	c.last.Store(time.Now().UnixNano())
	if c.output != nil {
		c.output(bytes.Clone(p))
	}
	_, _ = c.transcript.Write(p)
	if c.transcript.Reported && !c.told {
		c.told = true
		close(c.reported)
	}
	if c.transcript.Done && !c.signaled {
		c.signaled = true
		close(c.finished)
	}
	return len(p), nil
}

type limitedWriter struct {
	w    io.Writer
	left int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	n := len(p)
	if l.left > 0 {
		q := p
		if len(q) > l.left {
			q = q[:l.left]
		}
		l.left -= len(q)
		_, _ = l.w.Write(q)
	}
	return n, nil
}
