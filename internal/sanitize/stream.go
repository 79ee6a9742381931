package sanitize

import (
	"bytes"
	"io"

	"github.com/charmbracelet/x/ansi"
)

// Stream passes a live build's output to a terminal as make printed it, colours included, and
// nothing else: SGR sequences (ESC [ … m), printable text, newline, carriage return (progress
// lines redraw with it), tab and backspace pass; every other sequence and control is dropped. A
// sequence cut between two writes is held until its end arrives.
type Stream struct {
	w       io.Writer
	pending []byte
}

// NewStream filters what is written to it into w.
func NewStream(w io.Writer) *Stream { return &Stream{w: w} }

// maxPending bounds a sequence that never ends (a hostile OSC without its terminator).
const maxPending = 4096

// Write implements io.Writer; it reports all of p written when w took the filtered bytes.
func (s *Stream) Write(p []byte) (int, error) {
	data := append(s.pending, p...)
	s.pending = nil
	var out bytes.Buffer
	state := byte(ansi.NormalState)
	for len(data) > 0 {
		seq, width, n, next := ansi.DecodeSequence(data, state, nil)
		if n == 0 {
			break
		}
		if next != ansi.NormalState && n == len(data) {
			// The sequence goes on in the next write.
			if len(data) <= maxPending {
				s.pending = append([]byte(nil), data...)
			}
			break
		}
		state = next
		switch {
		case width > 0 && clean(string(seq)):
			out.Write(seq)
		case width > 0:
			out.WriteString(Text(string(seq))) // broken UTF-8 can hide a control in a "character"
		case passes(seq):
			out.Write(seq)
		}
		data = data[n:]
	}
	if out.Len() > 0 {
		if _, err := s.w.Write(out.Bytes()); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// passes says whether a zero-width piece may reach the terminal.
func passes(seq []byte) bool {
	switch {
	case len(seq) == 1:
		c := seq[0]
		return c == '\n' || c == '\r' || c == '\t' || c == '\b'
	case len(seq) >= 3 && seq[0] == 0x1b && seq[1] == '[' && seq[len(seq)-1] == 'm':
		for _, c := range seq[2 : len(seq)-1] {
			if (c < '0' || c > '9') && c != ';' && c != ':' {
				return false
			}
		}
		return true
	}
	return false
}
