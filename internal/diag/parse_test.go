package diag

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// scratchMap is the mapping the table tests use: the build ran in /scratch/ex, the learner
// edits /home/u/ex.
var scratchMap = Options{PathMap: map[string]string{"/scratch/ex": "/home/u/ex"}}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opts Options
		want []Diagnostic
	}{
		{
			name: "relative path below make's directory",
			in: "error[E0425]: cannot find value `x` in this scope\n" +
				" --> ../../scratch/ex/hello.rs:3:5\n  |\n3 |     x\n  |     ^ not found in this scope\n\n",
			opts: Options{PathMap: scratchMap.PathMap, Dir: "/tmp/ktree"},
			want: []Diagnostic{{
				Severity: SeverityError, Code: "E0425", Message: "cannot find value `x` in this scope",
				File: "/home/u/ex/hello.rs", Line: 3, Column: 5, SourceLine: "    x", Origin: OriginRustc,
				Labels: []Label{{File: "/home/u/ex/hello.rs", Line: 3, Column: 5, Width: 1, Primary: true, Text: "not found in this scope"}},
			}},
		},
		{
			name: "unmapped paths stay as printed",
			in:   "warning: unused variable: `y`\n --> rust/kernel/lib.rs:9:9\n  |\n9 |     let y = 1;\n  |         ^\n\n",
			opts: Options{PathMap: scratchMap.PathMap, Dir: "/tmp/ktree"},
			want: []Diagnostic{{
				Severity: SeverityWarning, Message: "unused variable: `y`", File: "rust/kernel/lib.rs", Line: 9, Column: 9,
				SourceLine: "    let y = 1;", Origin: OriginRustc,
				Labels: []Label{{File: "rust/kernel/lib.rs", Line: 9, Column: 9, Width: 1, Primary: true}},
			}},
		},
		{
			name: "multi-line note and a label in another file",
			in: "error[E0308]: mismatched types\r\n" +
				"  --> /scratch/ex/hello.rs:5:9\r\n" +
				"   |\r\n" +
				" 5 |     bar(1i32);\r\n" +
				"   |         ^^^^ expected `u32`, found `i32`\r\n" +
				"   |\r\n" +
				"  ::: /tmp/ksrc/rust/kernel/x.rs:10:8\r\n" +
				"   |\r\n" +
				"10 | pub fn bar(v: u32) {}\r\n" +
				"   |        --- defined here\r\n" +
				"   |\r\n" +
				"   = note: expected type `u32`\r\n" +
				"              found type `i32`\r\n" +
				"\r\n",
			opts: scratchMap,
			want: []Diagnostic{{
				Severity: SeverityError, Code: "E0308", Message: "mismatched types",
				File: "/home/u/ex/hello.rs", Line: 5, Column: 9, SourceLine: "    bar(1i32);", Origin: OriginRustc,
				Labels: []Label{
					{File: "/home/u/ex/hello.rs", Line: 5, Column: 9, Width: 4, Primary: true, Text: "expected `u32`, found `i32`"},
					{File: "/tmp/ksrc/rust/kernel/x.rs", Line: 10, Column: 8, Width: 3, Text: "defined here"},
				},
				Notes: []string{"note: expected type `u32`\n   found type `i32`"},
			}},
		},
		{
			name: "diff-style suggestion and two markers",
			in: "warning: unnecessary parentheses around assigned value\n" +
				" --> /scratch/ex/hello.rs:2:13\n  |\n2 |     let x = (5);\n  |             ^ ^\n  |\n" +
				"  = note: `#[warn(unused_parens)]` on by default\n" +
				"help: remove these parentheses\n  |\n2 -     let x = (5);\n2 +     let x = 5;\n  |\n\n" +
				"warning: 1 warning emitted\n\n",
			opts: scratchMap,
			want: []Diagnostic{{
				Severity: SeverityWarning, Message: "unnecessary parentheses around assigned value",
				File: "/home/u/ex/hello.rs", Line: 2, Column: 13, SourceLine: "    let x = (5);", Origin: OriginRustc,
				Labels: []Label{
					{File: "/home/u/ex/hello.rs", Line: 2, Column: 13, Width: 1, Primary: true},
					{File: "/home/u/ex/hello.rs", Line: 2, Column: 15, Width: 1, Primary: true},
				},
				Notes: []string{"note: `#[warn(unused_parens)]` on by default", "help: remove these parentheses\n    let x = 5;"},
			}},
		},
		{
			name: "multi-line span starting mid-line",
			in: "error[E0308]: mismatched types\n --> /scratch/ex/hello.rs:1:17\n  |\n" +
				"1 |   fn foo() -> u32 {\n" +
				"  |  _________________^\n" +
				"2 | |     \"x\"\n" +
				"3 | | }\n" +
				"  | |_^ expected `u32`, found `&str`\n\n",
			opts: scratchMap,
			want: []Diagnostic{{
				Severity: SeverityError, Code: "E0308", Message: "mismatched types",
				File: "/home/u/ex/hello.rs", Line: 1, Column: 17, SourceLine: "fn foo() -> u32 {", Origin: OriginRustc,
				Labels: []Label{
					{File: "/home/u/ex/hello.rs", Line: 1, Column: 17, Width: 1, Primary: true},
					{File: "/home/u/ex/hello.rs", Line: 3, Column: 1, Width: 1, Primary: true, Text: "expected `u32`, found `&str`"},
				},
			}},
		},
		{
			name: "label text that starts with a dash",
			in:   "error: x\n --> /scratch/ex/a.rs:1:1\n  |\n1 | let v = -1;\n  |         ^^ -1 is negative\n\n",
			opts: scratchMap,
			want: []Diagnostic{{
				Severity: SeverityError, Message: "x", File: "/home/u/ex/a.rs", Line: 1, Column: 1, SourceLine: "let v = -1;", Origin: OriginRustc,
				Labels: []Label{{File: "/home/u/ex/a.rs", Line: 1, Column: 9, Width: 2, Primary: true, Text: "-1 is negative"}},
			}},
		},
		{
			name: "label text that starts with an underscore",
			in:   "warning: y\n --> /scratch/ex/a.rs:1:5\n  |\n1 | let x = 1;\n  |     ^ _x would silence this\n\n",
			opts: scratchMap,
			want: []Diagnostic{{
				Severity: SeverityWarning, Message: "y", File: "/home/u/ex/a.rs", Line: 1, Column: 5, SourceLine: "let x = 1;", Origin: OriginRustc,
				Labels: []Label{{File: "/home/u/ex/a.rs", Line: 1, Column: 5, Width: 1, Primary: true, Text: "_x would silence this"}},
			}},
		},
		{
			name: "rustc short format",
			in:   "/scratch/ex/hello.rs:3:5: error[E0425]: cannot find value `x` in this scope\n",
			opts: scratchMap,
			want: []Diagnostic{{Severity: SeverityError, Code: "E0425", Message: "cannot find value `x` in this scope", File: "/home/u/ex/hello.rs", Line: 3, Column: 5, Origin: OriginRustc}},
		},
		{
			name: "linker error with references",
			in:   "ld.lld-19: error: duplicate symbol: init_module\n>>> defined at hello.rs:10\n>>>            /scratch/ex/hello.o:(init_module)\n",
			opts: scratchMap,
			want: []Diagnostic{{Severity: SeverityError, Message: "duplicate symbol: init_module", Origin: OriginLinker,
				Notes: []string{"note: defined at hello.rs:10", "note:            /home/u/ex/hello.o:(init_module)"}}},
		},
		{
			name: "modpost warnings and a missing license",
			in: "WARNING: modpost: missing MODULE_DESCRIPTION() in /scratch/ex/hello.o\n" +
				"ERROR: modpost: missing MODULE_LICENSE() in /scratch/ex/hello.o\n",
			opts: scratchMap,
			want: []Diagnostic{
				{Severity: SeverityWarning, Message: "missing MODULE_DESCRIPTION() in /home/u/ex/hello.o", Origin: OriginModpost},
				{Severity: SeverityError, Message: "missing MODULE_LICENSE() in /home/u/ex/hello.o", Origin: OriginModpost,
					Notes: []string{"help: every module declares its license: `license: \"GPL\"` in `module!` (MODULE_LICENSE(\"GPL\") in C)"}},
			},
		},
		{
			name: "make failure with nothing else to explain it keeps the innermost",
			in: "make[2]: *** [/k/scripts/Makefile.build:289: /scratch/ex/hello.o] Killed\n" +
				"make[1]: *** [/k/Makefile:2008: /scratch/ex] Error 2\n" +
				"make: *** [Makefile:236: __sub-make] Error 2\n",
			opts: scratchMap,
			want: []Diagnostic{{Severity: SeverityError, Message: "making /home/u/ex/hello.o failed (Killed)", Origin: OriginMake}},
		},
		{
			name: "missing object under make -k (no Stop.)",
			in:   "make[2]: *** No rule to make target '/scratch/ex/gone.o', needed by '/scratch/ex/m.o'.\n",
			opts: scratchMap,
			want: []Diagnostic{{Severity: SeverityError, Origin: OriginMake,
				Message: "No rule to make target '/home/u/ex/gone.o', needed by '/home/u/ex/m.o'",
				Notes:   []string{"help: Kbuild lists gone.o, but the module folder has no gone.rs or gone.c to build it from"}}},
		},
		{
			name: "make failures after a real error are dropped",
			in:   "error: x\n\nmake[2]: *** [/k/scripts/Makefile.build:289: /scratch/ex/hello.o] Error 1\n",
			want: []Diagnostic{{Severity: SeverityError, Message: "x", Origin: OriginRustc}},
		},
		{
			name: "makefile warning and compiler mismatch",
			in: "warning: the compiler differs from the one used to build the kernel\n" +
				"  The kernel was built by: clang version 19.1.7\n" +
				"  You are using:           clang version 14.0.6\n" +
				"  CC [M]  /scratch/ex/c.o\n" +
				"/scratch/ex/Makefile:5: warning: overriding recipe for target 'x'\n" +
				"/scratch/ex/other.txt:5: warning: not a makefile, not make's\n",
			opts: scratchMap,
			want: []Diagnostic{
				{Severity: SeverityWarning, Message: "the compiler differs from the one used to build the kernel", Origin: OriginMake,
					Notes: []string{"note: The kernel was built by: clang version 19.1.7", "note: You are using:           clang version 14.0.6"}},
				{Severity: SeverityWarning, Message: "overriding recipe for target 'x'", File: "/home/u/ex/Makefile", Line: 5, Origin: OriginMake},
			},
		},
		{
			name: "C compiler note attaches to its error",
			in: "/scratch/ex/c.c:3:5: error: conflicting types for 'f'\n" +
				"    3 | int f(void);\n      |     ^\n" +
				"/scratch/ex/c.h:1:6: note: previous declaration is here\n" +
				"1 error generated.\n",
			opts: scratchMap,
			want: []Diagnostic{{Severity: SeverityError, Message: "conflicting types for 'f'", File: "/home/u/ex/c.c", Line: 3, Column: 5,
				SourceLine: "int f(void);", Origin: OriginCC, Notes: []string{"note: previous declaration is here\n  --> /home/u/ex/c.h:1:6"}}},
		},
		{
			name: "carriage-return overwrites, colours, paths only as whole prefixes",
			in: "progress 10%\rprogress 100%\r\n\x1b[1m\x1b[91merror\x1b[0m\x1b[1m: cannot read /scratch/ex/a.rs or /scratch/ex2/a.rs\x1b[0m\r\n\r\n" +
				"warning: 3 warnings emitted\r\nerror: aborting due to 1 previous error; 3 warnings emitted\r\n",
			opts: scratchMap,
			want: []Diagnostic{{Severity: SeverityError, Message: "cannot read /home/u/ex/a.rs or /scratch/ex2/a.rs", Origin: OriginRustc}},
		},
		{
			name: "mapping to an empty folder makes paths relative",
			in:   "ERROR: modpost: \"f\" [/scratch/ex/hello.ko] undefined!\n",
			opts: Options{PathMap: map[string]string{"/scratch/ex/": ""}},
			want: []Diagnostic{{Severity: SeverityError, Message: "\"f\" [hello.ko] undefined!", Origin: OriginModpost,
				Notes: []string{"help: nothing in the kernel exports this symbol: check its name, and that the kernel's configuration builds the code that defines it"}}},
		},
		{
			name: "nothing recognised",
			in:   "make: Entering directory '/tmp/ktree'\n  RUSTC [M] /scratch/ex/hello.o\n  LD [M]  /scratch/ex/hello.ko\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse([]byte(tt.in), tt.opts)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestDemangle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"_RNvNtCsl7L7n58I0Vr_6kernel5print11call_printk", "kernel::print::call_printk"},
		{"_RNvNtNtCsl7L7n58I0Vr_6kernel5print14format_strings4INFO", "kernel::print::format_strings::INFO"},
		{"_RNvCs1234_5hello2__x", "hello::_x"},
		{"_RNCNvCs1_5hello4init0", "hello::init::{closure}"},
		{"_RINvNtC4core3ptr13drop_in_placeNtCs1_5hello5HelloEB4_", ""}, // generics: left alone
		{"_RNvC", ""},
		{"_RNvCs_99x", ""},
		{"not_rust", ""},
	}
	for _, tt := range tests {
		got, ok := demangle(tt.in)
		if ok != (tt.want != "") || got != tt.want {
			t.Errorf("demangle(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestFirst(t *testing.T) {
	w := Diagnostic{Severity: SeverityWarning, Message: "w"}
	e := Diagnostic{Severity: SeverityError, Message: "e"}
	n := Diagnostic{Severity: SeverityNote, Message: "n"}
	tests := []struct {
		diags []Diagnostic
		first string
	}{
		{nil, ""},
		{[]Diagnostic{n}, "n"},
		{[]Diagnostic{w}, "w"},
		{[]Diagnostic{w, e, e}, "e"},
		{[]Diagnostic{n, w, w}, "w"},
	}
	for _, tt := range tests {
		f := First(tt.diags)
		if (f == nil) != (tt.first == "") || f != nil && f.Message != tt.first {
			t.Errorf("First(%v) = %v, want %q", tt.diags, f, tt.first)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		d    Diagnostic
		want string
	}{
		{Diagnostic{Severity: SeverityError, Code: "E0308", Message: "mismatched types", File: "hello.rs", Line: 17, Column: 27, Origin: OriginRustc},
			"hello.rs:17:27: error[E0308]: mismatched types"},
		{Diagnostic{Severity: SeverityError, Message: "missing separator", File: "Kbuild", Line: 3, Origin: OriginMake}, "Kbuild:3: error: missing separator"},
		{Diagnostic{Severity: SeverityWarning, Code: "-Wunused", Message: "unused", Origin: OriginCC}, "warning: unused"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

// TestParseLinearTime feeds inputs built to trip quadratic behaviour (huge excerpts, label
// lines with thousands of markers, endless note continuations, a single giant line) and
// compares the time with real build output of the same size, so the bound holds under the
// race detector and on a loaded machine alike.
func TestParseLinearTime(t *testing.T) {
	var b strings.Builder
	b.WriteString("error[E0308]: x\n --> /scratch/ex/a.rs:1:1\n")
	for i := 0; i < 2000; i++ {
		b.WriteString("1 | / " + strings.Repeat("| ", 50) + "x\n  | " + strings.Repeat("^ -", 500) + "\n  |" + strings.Repeat(" |", 200) + " text\n")
	}
	b.WriteString("   = note: a\n" + strings.Repeat("        continued\n", 150000))
	b.WriteString(strings.Repeat("ERROR: modpost: \"_RNvNtCs1_1a1b1c\" [/scratch/ex/h.ko] undefined!\n", 2000))
	b.WriteString(strings.Repeat("/scratch/ex", 20000) + "\n")
	hostile := []byte(b.String())

	real, err := os.ReadFile(filepath.Join("testdata", "e0382.txt"))
	if err != nil {
		t.Fatal(err)
	}
	normal := bytes.Repeat(real, len(hostile)/len(real)+1)

	elapsed := func(in []byte) time.Duration {
		start := time.Now()
		Parse(in, scratchMap)
		return time.Since(start)
	}
	base, hard := elapsed(normal), elapsed(hostile)
	t.Logf("%d bytes of real output in %s, %d hostile bytes in %s", len(normal), base, len(hostile), hard)
	if hard > 10*base+time.Second {
		t.Errorf("hostile input took %s, real output of the same size %s: something is worse than linear", hard, base)
	}
	diags := Parse(hostile, scratchMap)
	if len(diags) == 0 || len(diags[0].Labels) > maxLabels || len(diags[0].Notes) > maxNotes || len(diags[0].Notes[0]) > 2*maxNoteLen {
		t.Errorf("bounds not kept: %d diagnostics", len(diags))
	}
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"error[E0308]: mismatched types\n --> /scratch/ex/a.rs:1:1\n  |\n1 | / x\n  | |_^ y\n  |\n  = note: z\n       w\nhelp: h\n  |\n1 + q\n\n",
		"ERROR: modpost: GPL-incompatible module a.ko uses GPL-only symbol '_RNvNtCs1_6kernel5print11call_printk'\n",
		"make[2]: *** No rule to make target '/scratch/ex/m.o', needed by '/scratch/ex/'.  Stop.\n",
		"/scratch/ex/c.c:1:2: error: e [-Wx]\n    1 | a\n      | ^\n",
		"ld.lld: error: e\n>>> r\n",
		"\x1b[1m\x1b[91merror\x1b[0m: \r\n\r",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		diags := Parse(in, Options{PathMap: map[string]string{"/scratch/ex": "/home/u/ex"}, Dir: "/k"})
		for _, d := range diags {
			if d.Severity == "" || d.Origin == "" || d.Line < 0 || d.Column < 0 {
				t.Fatalf("malformed diagnostic %#v", d)
			}
			for _, l := range d.Labels {
				if l.Column < 1 || l.Width < 1 {
					t.Fatalf("malformed label %#v", l)
				}
			}
		}
		_ = First(diags)
	})
}
