package termbuf

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name   string
		chunks []string
		want   []string
	}{
		{"plain lines", []string{"one\ntwo\n"}, []string{"one", "two"}},
		{"partial last line counts", []string{"one\ntw"}, []string{"one", "tw"}},
		{"empty lines kept", []string{"a\n\nb\n"}, []string{"a", "", "b"}},
		{"crlf is a newline", []string{"one\r\ntwo\r\n"}, []string{"one", "two"}},
		{"crlf split across chunks", []string{"one\r", "\ntwo\n"}, []string{"one", "two"}},
		{"bare cr rewrites the line", []string{"10%\r50%\r100%\n"}, []string{"100%"}},
		{"bare cr then newline keeps the line", []string{"abc\r\n"}, []string{"abc"}},
		{"bare cr split across chunks", []string{"working", "\r", "done\n"}, []string{"done"}},
		{"cr then erase-line then text", []string{"old text\r\x1b[Knew\n"}, []string{"new"}},
		{"tab to the next stop", []string{"a\tb\n"}, []string{"a       b"}},
		{"tab at a stop moves a full stop", []string{"12345678\tx\n"}, []string{"12345678        x"}},
		{"tab after a wide rune", []string{"日\tx\n"}, []string{"日      x"}},
		{"tab after a colour sequence counts cells, not bytes", []string{"\x1b[1ma\x1b[0m\tb\n"},
			[]string{"\x1b[1ma\x1b[0m       b"}},
		{"sgr kept", []string{"\x1b[31mred\x1b[0m plain\n"}, []string{"\x1b[31mred\x1b[0m plain"}},
		{"sgr with several params", []string{"\x1b[0;1;31mx\x1b[m\n"}, []string{"\x1b[0;1;31mx\x1b[m"}},
		{"sgr colon sub-params", []string{"\x1b[38:5:196mx\x1b[0m\n"}, []string{"\x1b[38:5:196mx\x1b[0m"}},
		{"sgr with missing param", []string{"\x1b[;1mx\x1b[0m\n"}, []string{"\x1b[;1mx\x1b[0m"}},
		{"colour carried to the next line", []string{"\x1b[31mred\nstill\x1b[0m\nplain\n"},
			[]string{"\x1b[31mred\x1b[0m", "\x1b[31mstill\x1b[0m", "plain"}},
		{"colour state accumulates", []string{"\x1b[1m\x1b[32mx\ny\x1b[0m\n"},
			[]string{"\x1b[1m\x1b[32mx\x1b[0m", "\x1b[1m\x1b[32my\x1b[0m"}},
		{"reset inside a sequence replaces the state", []string{"\x1b[1m\x1b[0;32mx\ny\x1b[m\n"},
			[]string{"\x1b[1m\x1b[0;32mx\x1b[0m", "\x1b[0;32my\x1b[m"}},
		{"trailing reset clears the state", []string{"\x1b[1m\x1b[32;0mx\ny\n"},
			[]string{"\x1b[1m\x1b[32;0mx", "y"}},
		{"zero inside a 256 colour is not a reset", []string{"\x1b[38;5;0mx\ny\x1b[0m\n"},
			[]string{"\x1b[38;5;0mx\x1b[0m", "\x1b[38;5;0my\x1b[0m"}},
		{"zero inside a truecolour is not a reset", []string{"\x1b[38;2;0;0;0mx\ny\x1b[0m\n"},
			[]string{"\x1b[38;2;0;0;0mx\x1b[0m", "\x1b[38;2;0;0;0my\x1b[0m"}},
		{"partial line closes open colour", []string{"\x1b[33mwarn"}, []string{"\x1b[33mwarn\x1b[0m"}},
		{"bare cr keeps colour state for the rewrite", []string{"\x1b[32m50%\r100%\x1b[0m\n"},
			[]string{"\x1b[32m100%\x1b[0m"}},
		{"colour set after bare cr applies to the rewrite", []string{"50%\r\x1b[32mok\x1b[0m\n"},
			[]string{"\x1b[32mok\x1b[0m"}},
		{"garbage sgr dropped", []string{"\x1b[999mx\n"}, []string{"x"}},
		{"private sgr-like sequence dropped", []string{"\x1b[>4;2mx\n"}, []string{"x"}},
		{"cursor and erase sequences dropped", []string{"\x1b[2J\x1b[H\x1b[2Khello\x1b[10;5H\x1b[?25l\n"},
			[]string{"hello"}},
		{"osc with bel dropped", []string{"\x1b]0;make: title\x07text\n"}, []string{"text"}},
		{"osc hyperlink with st dropped", []string{"\x1b]8;;https://x.org\x1b\\link\x1b]8;;\x1b\\\n"},
			[]string{"link"}},
		{"dcs dropped", []string{"\x1bP1$r0m\x1b\\ok\n"}, []string{"ok"}},
		{"apc dropped", []string{"\x1b_Gf=24;AAAA\x1b\\ok\n"}, []string{"ok"}},
		{"esc sequences dropped", []string{"\x1b(B\x1b7a\x1b8b\x1bMc\n"}, []string{"abc"}},
		{"other controls dropped", []string{"a\x07b\x08c\x00d\x7fe\n"}, []string{"abcde"}},
		{"csi split in the middle", []string{"\x1b[3", "1mred\x1b", "[0m\n"}, []string{"\x1b[31mred\x1b[0m"}},
		{"osc split across chunks", []string{"\x1b]0;ti", "tle\x07", "x\n"}, []string{"x"}},
		{"utf-8 split across chunks", []string{"h\xc3", "\xa9llo\n"}, []string{"héllo"}},
		{"4-byte rune split three ways", []string{"\xf0\x9f", "\xa6", "\x80!\n"}, []string{"🦀!"}},
		{"stray invalid byte dropped", []string{"a\xffb\n"}, []string{"ab"}},
		{"truncated utf-8 becomes a replacement", []string{"a\xc3b\xe6\x97\n"}, []string{"a\ufffdb\ufffd"}},
		{"multibyte text", []string{"error: expected `;`, found `}` — 日本\n"},
			[]string{"error: expected `;`, found `}` — 日本"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := New(100)
			for _, c := range tt.chunks {
				b.WriteString(c)
			}
			got := b.Lines(0, b.Len())
			if !slices.Equal(got, tt.want) {
				t.Errorf("lines:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestBounded(t *testing.T) {
	b := New(3)
	for i := range 10 {
		fmt.Fprintf(b, "line %d\n", i)
	}
	if got, want := b.Lines(0, 10), []string{"line 7", "line 8", "line 9"}; !slices.Equal(got, want) {
		t.Errorf("lines = %q, want %q", got, want)
	}
	if b.Dropped() != 7 {
		t.Errorf("Dropped = %d, want 7", b.Dropped())
	}
	// A partial line is shown after the held lines (so Len may exceed the limit by one).
	b.WriteString("tail")
	if got := b.Lines(2, 5); !slices.Equal(got, []string{"line 9", "tail"}) {
		t.Errorf("Lines(2, 5) = %q", got)
	}
}

func TestLinesWindow(t *testing.T) {
	b := New(10)
	for i := range 5 {
		fmt.Fprintf(b, "%d\n", i)
	}
	tests := []struct {
		from, n int
		want    []string
	}{
		{0, 2, []string{"0", "1"}},
		{3, 10, []string{"3", "4"}},
		{-2, 3, []string{"0"}},
		{5, 1, nil},
		{1, 0, nil},
	}
	for _, tt := range tests {
		if got := b.Lines(tt.from, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("Lines(%d, %d) = %q, want %q", tt.from, tt.n, got, tt.want)
		}
	}
}

func TestLongLinesWrap(t *testing.T) {
	b := New(100)
	b.WriteString(strings.Repeat("x", MaxLineBytes*2+10))
	if b.Len() != 3 {
		t.Fatalf("Len = %d, want 3", b.Len())
	}
	lines := b.Lines(0, 3)
	if len(lines[0]) != MaxLineBytes || len(lines[1]) != MaxLineBytes || len(lines[2]) != 10 {
		t.Errorf("line lengths %d %d %d", len(lines[0]), len(lines[1]), len(lines[2]))
	}
	// Colour floods without text are bounded as well.
	b.Reset()
	for range MaxLineBytes {
		b.WriteString("\x1b[31m\x1b[32m")
	}
	for _, l := range b.Lines(0, b.Len()) {
		if len(l) > MaxLineBytes+len(sgrReset) {
			t.Fatalf("line of %d bytes", len(l))
		}
	}
}

func TestReset(t *testing.T) {
	b := New(2)
	b.WriteString("\x1b[31ma\nb\nc\n\x1b]0;unterminated")
	b.Reset()
	b.WriteString("fresh\n")
	if got := b.Lines(0, 5); !slices.Equal(got, []string{"fresh"}) || b.Dropped() != 0 {
		t.Errorf("after Reset: %q dropped %d", got, b.Dropped())
	}
}

var sgrRE = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

// FuzzWrite checks the properties the UI relies on for any input: splitting the stream anywhere
// gives the same lines, lines hold only text and SGR sequences, and size stays bounded.
func FuzzWrite(f *testing.F) {
	for _, s := range []string{
		"plain\n", "\x1b[31mred\x1b[0m\n", "a\rb\r\n", "\x1b]0;t\x07x", "\xf0\x9f\xa6\x80\t\n",
		"\x1bP$q\x1b\\", "\x1b[38:2::1:2:3mx", "\x9b31m\x9d0;x\x9c", "\xc3", "\x1b[1;2;3;4;5;6;7;8;9m",
	} {
		f.Add([]byte(s), uint16(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		const max = 8
		whole := New(max)
		whole.Write(data)
		split := New(max)
		k := int(cut) % (len(data) + 1)
		split.Write(data[:k])
		split.Write(data[k:])

		a, b := whole.Lines(0, whole.Len()), split.Lines(0, split.Len())
		if !slices.Equal(a, b) || whole.Dropped() != split.Dropped() {
			t.Fatalf("split at %d changes the result:\n%q\n%q", k, a, b)
		}
		if whole.Len() > max+1 {
			t.Fatalf("Len %d > %d", whole.Len(), max+1)
		}
		for _, l := range a {
			if len(l) > MaxLineBytes+len(sgrReset) {
				t.Fatalf("line of %d bytes", len(l))
			}
			if !utf8.ValidString(l) {
				t.Fatalf("invalid UTF-8 in %q", l)
			}
			text := sgrRE.ReplaceAllString(l, "")
			for _, r := range text {
				if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
					t.Fatalf("control %U left in %q", r, l)
				}
			}
		}
	})
}

// rustcLike is build output the way rustc and Kbuild print it: coloured diagnostics, plain make
// lines and a progress line redrawn with a carriage return.
func rustcLike() []byte {
	var buf bytes.Buffer
	for i := 0; buf.Len() < 64<<10; i++ {
		fmt.Fprintf(&buf, "  RUSTC [M] /tmp/scratch/hello_module.o\n")
		fmt.Fprintf(&buf, "\x1b[0m\x1b[1m\x1b[38;5;9merror[E0425]\x1b[0m\x1b[0m\x1b[1m: cannot find value `x%d` in this scope\x1b[0m\r\n", i)
		fmt.Fprintf(&buf, "\x1b[0m \x1b[0m\x1b[0m\x1b[1m\x1b[38;5;12m--> \x1b[0m\x1b[0mhello_module.rs:%d:9\x1b[0m\n", i%200)
		fmt.Fprintf(&buf, "\t\x1b[1m\x1b[38;5;12m|\x1b[0m        let y = x + 1; // 日本語\n")
		fmt.Fprintf(&buf, "building %d%%\r", i%100)
	}
	return buf.Bytes()
}

// BenchmarkWrite50MB streams 50 MB of build output through a 10,000-line buffer in pty-sized
// chunks.
func BenchmarkWrite50MB(b *testing.B) {
	chunk := rustcLike()
	const total = 50 << 20
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		buf := New(10000)
		for n := 0; n < total; {
			for off := 0; off < len(chunk) && n < total; off += 4096 {
				end := min(off+4096, len(chunk))
				buf.Write(chunk[off:end])
				n += end - off
			}
		}
	}
}

// BenchmarkLines is the per-frame cost of reading a screenful from a full buffer.
func BenchmarkLines(b *testing.B) {
	buf := New(10000)
	data := rustcLike()
	for buf.Dropped() == 0 {
		buf.Write(data)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = buf.Lines(buf.Len()-40, 40)
	}
}
