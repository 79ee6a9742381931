// Package termbuf turns the raw byte stream of a pseudo-terminal into a bounded list of display
// lines that are safe to paint inside another program's screen.
//
// A build writes to its pty as if it owned a terminal: colours, cursor moves, title changes,
// progress lines redrawn with a carriage return. Painting that verbatim inside a TUI would move
// the host's cursor and corrupt its layout, so the buffer keeps only what a scrollback needs:
// printable text and SGR (colour and attribute) sequences. Everything else is parsed and dropped.
// Chunks arrive at arbitrary boundaries, so escape sequences and UTF-8 characters split across
// two writes are carried over by the parser's state.
//
// Every stored line is self-contained: SGR state that is still active at the end of a line is
// closed with a reset and reopened at the start of the next, so any window of lines renders with
// the right colours and never bleeds into the surrounding UI.
package termbuf

import (
	"strconv"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/ansi/parser"
	"github.com/mattn/go-runewidth"
)

const (
	// TabWidth is the distance between tab stops, as on a default terminal.
	TabWidth = 8
	// MaxLineBytes bounds one stored line (text plus colour sequences). Longer lines are
	// wrapped, so output without newlines cannot grow the buffer without bound.
	MaxLineBytes = 4096
	// maxSGRState bounds the remembered colour state; past it only the latest sequence is kept.
	maxSGRState = 256
	sgrReset    = "\x1b[0m"
)

// Buffer is a bounded scrollback. The zero value is not usable; call New. A Buffer is not safe
// for concurrent use: the UI owns it and feeds it on its own goroutine.
type Buffer struct {
	max   int
	ring  []string // completed lines; ring[(start+i)%max] is line i
	start int
	n     int
	// dropped counts lines pushed out of the front, so a reader can keep a stable position.
	dropped int

	cur       []byte // the line being written, including its colour sequences
	col       int    // display column of the cursor in cur, for tab stops
	printed   bool   // cur holds at least one printable character
	crPending bool   // a bare '\r' was seen: the next printable character starts the line over
	sgr       []byte // SGR sequences active since the last reset, reopened on each new line

	p   *ansi.Parser
	seq []byte // scratch for rebuilding an SGR sequence
}

// New returns a buffer that keeps at most maxLines lines (at least 1), dropping the oldest.
func New(maxLines int) *Buffer {
	if maxLines < 1 {
		maxLines = 1
	}
	b := &Buffer{max: maxLines}
	b.p = new(ansi.Parser)
	b.p.SetParamsSize(parser.MaxParamsSize)
	// The data of OSC/DCS/APC strings is discarded, so there is no point collecting it
	// (NewParser would allocate 64 KB for it).
	b.p.SetDataSize(1)
	b.p.SetHandler(ansi.Handler{
		Print:     b.print,
		Execute:   b.execute,
		HandleCsi: b.csi,
	})
	return b
}

// Write feeds a chunk of raw terminal output. It never fails; the signature lets a Buffer be an
// io.Writer.
func (b *Buffer) Write(data []byte) (int, error) {
	for i := 0; i < len(data); i++ {
		c := data[i]
		// Fast path: runs of printable ASCII in the ground state are the bulk of build output
		// and need no parser work.
		if c >= 0x20 && c < 0x7f && b.p.State() == parser.GroundState {
			j := i
			for j < len(data) && data[j] >= 0x20 && data[j] < 0x7f {
				j++
			}
			b.printASCII(data[i:j])
			i = j - 1
			continue
		}
		if c&0xc0 != 0x80 && b.p.State() == parser.Utf8State {
			// A truncated UTF-8 sequence: the parser would swallow this byte (perhaps a
			// newline) as the rest of the character. Show the damage and start afresh.
			b.p.Reset()
			b.print(utf8.RuneError)
			i--
			continue
		}
		b.p.Advance(c)
	}
	return len(data), nil
}

// WriteString is Write for a string.
func (b *Buffer) WriteString(s string) (int, error) {
	return b.Write([]byte(s))
}

// Len is the number of lines held, counting a partly written last line.
func (b *Buffer) Len() int {
	if b.printed {
		return b.n + 1
	}
	return b.n
}

// Dropped is how many lines have been pushed out of the front since the buffer was created or
// reset. Line i of the buffer is line Dropped()+i of the whole stream.
func (b *Buffer) Dropped() int { return b.dropped }

// Lines returns up to n lines starting at line from (0 is the oldest held). Out of range parts
// are clipped; the result shares no memory the buffer will modify.
func (b *Buffer) Lines(from, n int) []string {
	total := b.Len()
	if from < 0 {
		n += from
		from = 0
	}
	if from >= total || n <= 0 {
		return nil
	}
	if from+n > total {
		n = total - from
	}
	out := make([]string, n)
	for i := range out {
		idx := from + i
		if idx < b.n {
			out[i] = b.ring[(b.start+idx)%b.max]
		} else {
			out[i] = b.partial()
		}
	}
	return out
}

// Reset empties the buffer and forgets any carried escape or colour state.
func (b *Buffer) Reset() {
	clear(b.ring)
	b.ring = b.ring[:0]
	b.start, b.n, b.dropped = 0, 0, 0
	b.cur = b.cur[:0]
	b.col, b.printed, b.crPending = 0, false, false
	b.sgr = b.sgr[:0]
	b.p.Reset()
}

// partial renders the line being written, closed with a reset when colour is active.
func (b *Buffer) partial() string {
	if len(b.sgr) > 0 {
		return string(b.cur) + sgrReset
	}
	return string(b.cur)
}

func (b *Buffer) printASCII(run []byte) {
	for len(run) > 0 {
		b.startOver()
		room := MaxLineBytes - len(b.cur)
		if room <= 0 {
			b.commit()
			continue
		}
		k := min(room, len(run))
		b.cur = append(b.cur, run[:k]...)
		b.col += k
		b.printed = true
		run = run[k:]
	}
}

func (b *Buffer) print(r rune) {
	if r >= 0x7f && r < 0xa0 {
		// C1 controls written as UTF-8 are still controls.
		return
	}
	b.startOver()
	if len(b.cur)+4 > MaxLineBytes {
		b.commit()
	}
	b.cur = append(b.cur, string(r)...)
	b.col += runewidth.RuneWidth(r)
	b.printed = true
}

func (b *Buffer) execute(c byte) {
	switch c {
	case '\n':
		b.commit()
	case '\r':
		b.crPending = true
	case '\t':
		b.startOver()
		pad := TabWidth - b.col%TabWidth
		if len(b.cur)+pad > MaxLineBytes {
			b.commit()
			pad = TabWidth
		}
		for range pad {
			b.cur = append(b.cur, ' ')
		}
		b.col += pad
		b.printed = true
	}
	// Other controls (BEL, backspace, shift in/out, C1 codes) have no place in a scrollback.
}

// csi keeps SGR sequences and drops every other CSI sequence (cursor moves, erases, modes).
func (b *Buffer) csi(cmd ansi.Cmd, params ansi.Params) {
	if cmd.Final() != 'm' || cmd.Prefix() != 0 || cmd.Intermediate() != 0 {
		return
	}
	seq := append(b.seq[:0], "\x1b["...)
	for i, p := range params {
		v := p.Param(-1)
		if v > 255 {
			// No SGR parameter or colour component is this large: the sequence is garbage.
			return
		}
		if v >= 0 {
			seq = strconv.AppendInt(seq, int64(v), 10)
		}
		if i < len(params)-1 {
			if p.HasMore() {
				seq = append(seq, ':')
			} else {
				seq = append(seq, ';')
			}
		}
	}
	seq = append(seq, 'm')
	b.seq = seq
	if len(b.cur)+len(seq)+len(sgrReset) > MaxLineBytes {
		// A flood of colour changes without text must not grow one line without bound either.
		b.commit()
	}

	switch last := lastReset(params); {
	case last == len(params)-1:
		// Ends with a reset (or is the bare ESC[m): nothing stays active.
		b.sgr = b.sgr[:0]
	case last >= 0 || len(b.sgr)+len(seq) > maxSGRState:
		// A reset inside the sequence cancels what came before it, so the sequence alone
		// describes the state.
		b.sgr = append(b.sgr[:0], seq...)
	default:
		b.sgr = append(b.sgr, seq...)
	}
	b.cur = append(b.cur, seq...)
}

// lastReset is the index of the last parameter that resets all attributes (0 or empty), skipping
// the arguments of extended colours (38;5;n, 38;2;r;g;b and their colon forms); -1 if none. For
// the empty list (ESC[m, a reset) -1 is also len(params)-1, so callers see a trailing reset.
func lastReset(params ansi.Params) int {
	last := -1
	for i := 0; i < len(params); i++ {
		switch v := params[i].Param(0); v {
		case 0:
			last = i
		case 38, 48, 58:
			if params[i].HasMore() {
				for i < len(params)-1 && params[i].HasMore() {
					i++
				}
				continue
			}
			if i+1 < len(params) {
				switch params[i+1].Param(0) {
				case 5:
					i += 2
				case 2:
					i += 4
				}
			}
		}
	}
	return last
}

// startOver honours a pending bare carriage return: the line is rewritten from its start.
func (b *Buffer) startOver() {
	if !b.crPending {
		return
	}
	b.crPending = false
	b.cur = append(b.cur[:0], b.sgr...)
	b.col = 0
	b.printed = false
}

// commit ends the current line and starts the next with the colour state still active.
func (b *Buffer) commit() {
	b.crPending = false
	line := b.cur
	if len(b.sgr) > 0 {
		line = append(line, sgrReset...)
	}
	b.push(string(line))
	b.cur = append(b.cur[:0], b.sgr...)
	b.col = 0
	b.printed = false
}

func (b *Buffer) push(s string) {
	if b.n < b.max {
		if len(b.ring) < b.max {
			b.ring = append(b.ring, s)
		} else {
			b.ring[(b.start+b.n)%b.max] = s
		}
		b.n++
		return
	}
	b.ring[b.start] = s
	b.start = (b.start + 1) % b.max
	b.dropped++
}
