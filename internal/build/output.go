package build

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// pollable returns the pty master as a file registered with Go's poller, so a read deadline
// can end a read that would otherwise block forever (a process that left the group with
// setsid can keep the terminal open). creack/pty's ioctls call Fd(), which switches the file to
// blocking mode; a non-blocking duplicate is pollable again. On failure the original is kept.
func pollable(f *os.File) *os.File {
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return f
	}
	if err := unix.SetNonblock(fd, true); err != nil {
		_ = unix.Close(fd)
		return f
	}
	_ = f.Close()
	return os.NewFile(uintptr(fd), f.Name())
}

// reader copies the pty to the caller's callback and into bounded storage.
type reader struct {
	done chan struct{}
	out  *headTail
	err  error
}

func startReader(f *os.File, fn func([]byte), max int) *reader {
	r := &reader{done: make(chan struct{}), out: newHeadTail(max)}
	go func() {
		defer close(r.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				r.out.Write(buf[:n])
				if fn != nil {
					// A fresh slice: callers send chunks on to channels and UI messages.
					fn(append([]byte(nil), buf[:n]...))
				}
			}
			if err != nil {
				// Linux reports the closed slave side as EIO rather than EOF.
				if !errors.Is(err, syscall.EIO) && !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrDeadlineExceeded) {
					r.err = err
				}
				return
			}
		}
	}()
	return r
}

func (r *reader) wait() (*headTail, error) {
	<-r.done
	return r.out, r.err
}

// headTail keeps the first and the last bytes of a stream in fixed memory: the first errors
// of a build and its final summary are what matter, the middle of a flood is not.
type headTail struct {
	headMax int
	head    []byte
	ring    []byte // the tail, circular once full
	pos     int    // next write position in ring
	full    bool
	total   int64
	omitted int64 // set by bytes()
}

func newHeadTail(max int) *headTail {
	return &headTail{headMax: max / 2, ring: make([]byte, 0, max-max/2)}
}

func (h *headTail) Write(p []byte) (int, error) {
	n := len(p)
	h.total += int64(n)
	if room := h.headMax - len(h.head); room > 0 {
		k := min(room, len(p))
		h.head = append(h.head, p[:k]...)
		p = p[k:]
	}
	size := cap(h.ring)
	if len(p) == 0 || size == 0 {
		return n, nil
	}
	if len(p) >= size {
		p = p[len(p)-size:]
	}
	if !h.full {
		k := min(size-len(h.ring), len(p))
		h.ring = append(h.ring, p[:k]...)
		p = p[k:]
		if len(h.ring) < size {
			return n, nil
		}
		h.full = true
		h.pos = 0
	}
	for len(p) > 0 {
		k := copy(h.ring[h.pos:], p)
		p = p[k:]
		h.pos = (h.pos + k) % size
	}
	return n, nil
}

// bytes returns the kept output. When the middle was dropped, the head ends and the tail
// starts on a line boundary (so no line or escape sequence is cut in half where a line
// break is near) and a marker line says how much is missing.
func (h *headTail) bytes() []byte {
	tail := h.ring
	if h.full {
		tail = make([]byte, 0, len(h.ring))
		tail = append(tail, h.ring[h.pos:]...)
		tail = append(tail, h.ring[:h.pos]...)
	}
	kept := int64(len(h.head) + len(tail))
	if kept == h.total {
		out := make([]byte, 0, kept)
		return append(append(out, h.head...), tail...)
	}
	head := h.head
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i+1]
	}
	if i := bytes.IndexByte(tail, '\n'); i >= 0 {
		tail = tail[i+1:]
	}
	h.omitted = h.total - int64(len(head)+len(tail))
	marker := fmt.Sprintf("[rfl-tutor: %d bytes of build output omitted]\r\n", h.omitted)
	if len(head) > 0 && head[len(head)-1] != '\n' {
		marker = "\r\n" + marker
	}
	out := make([]byte, 0, len(head)+len(marker)+len(tail))
	out = append(out, head...)
	out = append(out, marker...)
	return append(out, tail...)
}
