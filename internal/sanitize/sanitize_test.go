package sanitize

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Hello, Rust!\n\tindented", "Hello, Rust!\n\tindented"},
		{"unicode", "Grüße → ✓ 日本", "Grüße → ✓ 日本"},
		{"OSC 52 clipboard, BEL", "hint\x1b]52;c;ZWNobyBwd25lZA==\x07 text", "hint text"},
		{"OSC 52 clipboard, ST", "a\x1b]52;c;eA==\x1b\\b", "ab"},
		{"window title", "\x1b]0;pwned\x07Title", "Title"},
		{"OSC 8 link", "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"clear screen and colour", "\x1b[2J\x1b[1;31mred\x1b[0m", "red"},
		{"DCS", "x\x1bP1$r0m\x1b\\y", "xy"},
		{"carriage return rewrite", "rm -rf /\rls", "rm -rf /ls"},
		{"C0 and DEL", "a\x00b\x07c\x7fd\x08e", "abcde"},
		{"C1 CSI as a rune", "a\u009b2Jb", "a2Jb"},
		{"C1 as a raw byte", "a\x9b2Jb", "a\uFFFD2Jb"},
		{"an ESC sequence of two bytes", "a\x1bcb", "ab"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// safe is what Text promises: no ESC, no control but newline and tab, no C1, valid UTF-8.
func safe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f) {
			return false
		}
	}
	return true
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"plain", "\x1b]52;c;eA==\x07", "\x1b[2J", "\x1bP$q\x1b\\", "a\x9b31mb", "\u009d0;t\u009c", "\x1b", "\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		if !safe(got) {
			t.Fatalf("Text(%q) = %q is not safe", s, got)
		}
		if again := Text(got); again != got {
			t.Fatalf("not idempotent: %q → %q → %q", s, got, again)
		}
	})
}

func TestStreamKeepsColoursOnly(t *testing.T) {
	in := "\x1b[0m\x1b[1m\x1b[38;5;9merror\x1b[0m: x\r\n" + // rustc's colours
		"\x1b]52;c;ZXZpbA==\x07\x1b]0;title\x07\x1b[2J\x1b[H\x1bP1$r\x1b\\" + // not ours to pass
		"  CC [M] a.o\r\n"
	want := "\x1b[0m\x1b[1m\x1b[38;5;9merror\x1b[0m: x\r\n  CC [M] a.o\r\n"
	for _, chunk := range []int{len(in), 1, 3, 7} {
		var out bytes.Buffer
		s := NewStream(&out)
		for i := 0; i < len(in); i += chunk {
			if _, err := s.Write([]byte(in[i:min(i+chunk, len(in))])); err != nil {
				t.Fatal(err)
			}
		}
		if out.String() != want {
			t.Errorf("in chunks of %d: %q, want %q", chunk, out.String(), want)
		}
	}
}

func FuzzStream(f *testing.F) {
	f.Add([]byte("\x1b[31mred\x1b[0m\x1b]52;c;eA==\x07\r\n"))
	f.Fuzz(func(t *testing.T, p []byte) {
		var out bytes.Buffer
		s := NewStream(&out)
		half := len(p) / 2
		_, _ = s.Write(p[:half])
		_, _ = s.Write(p[half:])
		// Every ESC that passed opens an SGR sequence.
		rest := out.String()
		for i := strings.IndexByte(rest, 0x1b); i >= 0; i = strings.IndexByte(rest, 0x1b) {
			rest = rest[i:]
			end := strings.IndexByte(rest, 'm')
			if !strings.HasPrefix(rest, "\x1b[") || end < 0 || strings.Trim(rest[2:end], "0123456789;:") != "" {
				t.Fatalf("a non-SGR escape passed: %q (from %q)", out.String(), p)
			}
			rest = rest[end+1:]
		}
		if bytes.ContainsAny(out.Bytes(), "\x07\x00\x7f") || bytes.Contains(out.Bytes(), []byte("\u009b")) {
			t.Fatalf("a control passed: %q (from %q)", out.String(), p)
		}
	})
}
