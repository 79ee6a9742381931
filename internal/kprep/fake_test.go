package kprep

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rfl-tutor/rfl-tutor/internal/toolchain"
)

// A fake machine for preparation tests: tools are small shell scripts in a bin directory, fixed
// files (libclang, libelf headers, /usr/bin/rustc) live under a root directory, and a few real
// utilities the scripts need are linked in, so PATH never reaches the machine's real compilers.

const fakeRustcVersion = "rustc 1.96.0 (fake 2026-05-25)"

// fakeMake imitates the kernel's make for the targets kprep runs, reading its O= and RUSTC= like
// Kbuild. Files in the source directory steer it: DROP lists options olddefconfig removes,
// FAIL makes the build fail, SLEEP makes it hang with a child process.
const fakeMake = `#!/bin/sh
src=; out=; rustc=; target=
while [ $# -gt 0 ]; do
	case "$1" in
	-C) src=$2; shift ;;
	O=*) out=${1#O=} ;;
	RUSTC=*) rustc=${1#RUSTC=} ;;
	*=*) ;;
	*) target=$1 ;;
	esac
	shift
done
echo "$target" >> "$out/fake-make.calls"
case "$target" in
tinyconfig)
	echo "  HOSTCC  scripts/kconfig/conf.o"
	printf 'CONFIG_64BIT=y\nCONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=190107\nCONFIG_RUSTC_VERSION_TEXT="%s"\n' "$("$rustc" --version)" > "$out/.config"
	echo 'include '"$src"'/Makefile' > "$out/Makefile"
	;;
olddefconfig)
	awk -v drop="$(cat "$src/DROP" 2>/dev/null)" '
		BEGIN { n = split(drop, d, " "); for (i = 1; i <= n; i++) D["CONFIG_" d[i]] = 1 }
		/^CONFIG_/ { split($0, kv, "="); if (!(kv[1] in D)) v[kv[1]] = $0; next }
		END { for (k in v) print v[k] }' "$out/.config" > "$out/.config.new"
	mv "$out/.config.new" "$out/.config"
	;;
rustavailable)
	echo "***"
	echo "*** Rust bindings generator 'bindgen' is too old."
	exit 2
	;;
-j*)
	if [ -e "$src/FAIL" ]; then echo "  CC      init/main.o"; echo "init/main.c:1: error: boom"; exit 2; fi
	if [ -e "$src/SLEEP" ]; then sleep 300 & echo $! > "$out/child.pid"; wait; fi
	for f in init/main.o kernel/fork.o mm/slub.o; do echo "  CC      $f"; done
	echo "  RUSTC L rust/core.o"
	mkdir -p "$out/rust" "$out/include/config"
	touch "$out/rust/libkernel.rmeta" "$out/rust/libmacros.so" "$out/Module.symvers"
	echo 6.12.117 > "$out/include/config/kernel.release"
	;;
esac
`

// fakeConfig imitates scripts/config by appending the requested values.
const fakeConfig = `#!/bin/sh
file=
while [ $# -gt 0 ]; do
	case "$1" in
	--file) file=$2; shift ;;
	--enable) echo "CONFIG_$2=y" >> "$file"; shift ;;
	--module) echo "CONFIG_$2=m" >> "$file"; shift ;;
	--disable) echo "# CONFIG_$2 is not set" >> "$file"; shift ;;
	--set-val) echo "CONFIG_$2=$3" >> "$file"; shift 2 ;;
	esac
	shift
done
`

type fakeMachine struct {
	bin, root string
	src       string // a pristine fake kernel source directory
	env       toolchain.Env
}

func script(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// newFakeMachine has every tool a preparation needs, with bindgen 0.60.1 (so the wrapper is used).
func newFakeMachine(t *testing.T) *fakeMachine {
	t.Helper()
	m := &fakeMachine{bin: t.TempDir(), root: t.TempDir(), src: t.TempDir()}
	for _, name := range []string{"sh", "awk", "cat", "mv", "mkdir", "touch", "sleep", "tar", "gzip", "rm"} {
		real, err := exec.LookPath(name)
		if err != nil {
			t.Skipf("no %s: %v", name, err)
		}
		if err := os.Symlink(real, filepath.Join(m.bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"flex", "bison", "bc", "cpio"} {
		script(t, filepath.Join(m.bin, name), "#!/bin/sh\n")
	}
	for _, name := range []string{"clang", "ld.lld", "llvm-ar", "llvm-nm", "llvm-objcopy", "llvm-objdump", "llvm-readelf", "llvm-strip"} {
		script(t, filepath.Join(m.bin, name+"-19"), "#!/bin/sh\necho 'Debian clang version 19.1.7 (fake)'\n")
	}
	script(t, filepath.Join(m.bin, "make"), fakeMake)
	m.setBindgen(t, "0.60.1")
	sysroot := filepath.Join(m.root, "usr")
	script(t, filepath.Join(m.root, "usr/bin/rustc"),
		"#!/bin/sh\ncase \"$1\" in --version) echo '"+fakeRustcVersion+"';; --print) echo '"+sysroot+"';; esac\n")
	touch(t, filepath.Join(sysroot, "lib/rustlib/src/rust/library/core/src/lib.rs"))
	touch(t, filepath.Join(m.root, "usr/lib/llvm-14/lib/libclang.so.1"))
	touch(t, filepath.Join(m.root, "usr/include/libelf.h"))

	script(t, filepath.Join(m.src, "Makefile"), "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 117\nEXTRAVERSION =\n")
	script(t, filepath.Join(m.src, "scripts/config"), fakeConfig)
	m.env = toolchain.Env{Path: m.bin, Root: m.root}
	return m
}

func (m *fakeMachine) setBindgen(t *testing.T, version string) {
	script(t, filepath.Join(m.bin, "bindgen"), "#!/bin/sh\necho 'bindgen "+version+"'\n")
}

// calls returns the make targets run so far in out.
func calls(t *testing.T, out string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "fake-make.calls"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(b))
}
