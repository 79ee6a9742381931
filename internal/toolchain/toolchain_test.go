package toolchain

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/Masterminds/semver/v3"
)

func TestParseVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"rustc 1.96.0 (ac68faa20 2026-05-25) (built from a source tarball)", "1.96.0"},
		{"bindgen 0.60.1", "0.60.1"},
		{"Debian clang version 19.1.7 (3~deb12u1)", "19.1.7"},
		{"6.12.117", "6.12.117"},
		{"6.1.0-18-amd64", "6.1.0"},
		{"6.13.0-rc1+", "6.13.0"},
		{"6.12", "6.12.0"},
		{"no digits here", ""},
	}
	for _, tt := range tests {
		got := ParseVersion(tt.in)
		if (got == nil) != (tt.want == "") || (got != nil && got.String() != tt.want) {
			t.Errorf("ParseVersion(%q) = %v, want %q", tt.in, got, tt.want)
		}
	}
}

func script(t *testing.T, path, body string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestMinVersions(t *testing.T) {
	src := t.TempDir()
	// The real script's shape: a case on the tool name, per-architecture branches for llvm.
	script(t, filepath.Join(src, "scripts/min-tool-version.sh"), `case "$1" in
rustc) echo 1.85.0 ;;
bindgen) echo 0.71.1 ;;
llvm) if [ "$SRCARCH" = s390 ]; then echo 15.0.0; else echo 13.0.1; fi ;;
*) exit 1 ;;
esac`)
	m := MinVersions(t.Context(), src, semver.MustParse("6.12.0"))
	if m.Rustc.String() != "1.85.0" || m.Bindgen.String() != "0.71.1" || m.LLVM.String() != "13.0.1" || m.From == "built-in table" {
		t.Errorf("from the script: %+v", m)
	}
	tests := []struct{ kver, rustc, bindgen string }{
		{"6.1.0", "1.62.0", "0.56.0"},
		{"6.6.30", "1.71.1", "0.65.1"},
		{"6.12.117", "1.78.0", "0.65.1"},
		{"7.1.0", "1.85.0", "0.71.1"},
	}
	for _, tt := range tests {
		m := MinVersions(t.Context(), t.TempDir(), semver.MustParse(tt.kver))
		if m.Rustc.String() != tt.rustc || m.Bindgen.String() != tt.bindgen || m.From != "built-in table" {
			t.Errorf("table for %s: %+v", tt.kver, m)
		}
	}
}

func TestFindLLVMs(t *testing.T) {
	bin := t.TempDir()
	for _, tool := range []string{"clang", "ld.lld", "llvm-ar", "llvm-nm", "llvm-objcopy", "llvm-objdump", "llvm-readelf", "llvm-strip"} {
		script(t, filepath.Join(bin, tool+"-19"), "echo 'Debian clang version 19.1.7'")
	}
	script(t, filepath.Join(bin, "clang-14"), "echo 'Debian clang version 14.0.6'") // incomplete: no lld-14
	env := Env{Path: bin}
	got := env.FindLLVMs(t.Context())
	if len(got) != 1 || got[0].Major != 19 || got[0].Suffix() != "-19" || got[0].Version.String() != "19.1.7" {
		t.Fatalf("FindLLVMs = %+v", got)
	}
	miss := env.MissingLLVM(14)
	if len(miss) != 7 || miss[0] != (Tool{"ld.lld-14", "lld-14"}) {
		t.Fatalf("MissingLLVM(14) = %v", miss)
	}
}

func TestRustcCandidates(t *testing.T) {
	a, b, root := t.TempDir(), t.TempDir(), t.TempDir()
	script(t, filepath.Join(a, "rustc"), "")
	os.Symlink(filepath.Join(a, "rustc"), filepath.Join(b, "rustc")) // same binary twice
	script(t, filepath.Join(root, "usr/bin/rustc"), "")
	env := Env{Path: a + string(os.PathListSeparator) + b, Root: root}
	got := env.RustcCandidates()
	want := []string{filepath.Join(root, "usr/bin/rustc"), filepath.Join(a, "rustc")}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("RustcCandidates = %v, want %v", got, want)
	}
}

func TestProbeRustc(t *testing.T) {
	bin, sysroot := t.TempDir(), t.TempDir()
	script(t, filepath.Join(bin, "rustc"), `case "$1" in --version) echo "rustc 1.96.0 (x)";; --print) echo "`+sysroot+`";; esac`)
	r, err := Env{Path: bin}.ProbeRustc(t.Context(), filepath.Join(bin, "rustc"))
	if err != nil {
		t.Fatal(err)
	}
	if r.VersionText != "rustc 1.96.0 (x)" || r.Sysroot != sysroot || r.HasSrc() {
		t.Fatalf("%+v has src %v", r, r.HasSrc())
	}
	os.MkdirAll(filepath.Dir(r.SrcFile()), 0o755)
	os.WriteFile(r.SrcFile(), nil, 0o644)
	if !r.HasSrc() {
		t.Fatal("rust-src not seen")
	}
	script(t, filepath.Join(bin, "broken"), "echo oops >&2; exit 3")
	if _, err := (Env{Path: bin}).ProbeRustc(t.Context(), filepath.Join(bin, "broken")); err == nil {
		t.Fatal("a failing rustc must be an error")
	}
}
