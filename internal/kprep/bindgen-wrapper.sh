#!/usr/bin/env bash
# bindgen wrapper: lets Debian 12's bindgen 0.60.1 stand in for the 0.65.1 that Linux 6.12 asks for.
# `rfl-tutor kernel prepare` installs it as <tree>/.rfl-tutor/bin/bindgen, with the defaults below
# set to the bindgen and libclang it found, and builds the tree with BINDGEN=<that path>.
#
# Why each step exists:
#  1. the kernel's version probe refuses anything older than 0.65.1, so --version answers 0.65.1;
#  2. 0.60.1 does not know the Rust target 1.68 the kernel passes; 1.47 is the newest it accepts;
#  3. with libclang newer than 14, 0.60.1 panics on anonymous type names, so pin libclang 14;
#  4. libclang 14 does not know every flag clang 19 builds the kernel with: drop those, and retry
#     dropping whatever it still reports as an unknown argument;
#  5. 0.60.1 ignores __noreturn, and the kernel's panic handler needs BUG() to return `!`.
set -u

real=${RFL_BINDGEN_REAL:-/usr/bin/bindgen}
export LIBCLANG_PATH=${RFL_LIBCLANG_PATH:-/usr/lib/llvm-14/lib}

for a in "$@"; do
	if [ "$a" = "--version" ] || [ "$a" = "-V" ]; then
		echo "bindgen 0.65.1"
		exit 0
	fi
done

drop_patterns=(
	'-fstrict-flex-arrays=*' '-ftrivial-auto-var-init=*' '-fmin-function-alignment=*'
	'-fzero-init-padding-bits=*' '-mno-fp-ret-in-387' '-mpreferred-stack-boundary=*'
	'-mskip-rax-setup' '-mindirect-branch=thunk-extern' '-mindirect-branch-register'
	'-mfunction-return=thunk-extern' '-mrecord-mcount' '-mindirect-branch-cs-prefix'
	'-mstack-protector-guard*' '-fconserve-stack' '-falign-jumps=*' '-falign-loops=*'
	'-fno-ipa-cp-clone' '-fno-ipa-sra' '-fno-partial-inlining' '-fno-reorder-blocks'
	'-fno-allow-store-data-races' '-fzero-call-used-regs=*' '-fno-stack-clash-protection'
	'-fno-inline-functions-called-once' '-fsanitize=bounds-strict' '-fno-isolate-erroneous-paths-dereference'
	'-mretpoline-external-thunk' '-mharden-sls=*' '-fsplit-lto-unit' '-fno-delete-null-pointer-checks'
)

args=()
out=""
after_dashdash=0
prev=""
for a in "$@"; do
	if [ "$prev" = "--rust-target" ]; then
		a=1.47
	fi
	if [ "$prev" = "-o" ]; then
		out=$a
	fi
	prev=$a
	if [ $after_dashdash -eq 1 ]; then
		skip=0
		for p in "${drop_patterns[@]}"; do
			# shellcheck disable=SC2053 # glob match is intended
			if [[ "$a" == $p ]]; then skip=1; break; fi
		done
		[ $skip -eq 1 ] && continue
	fi
	[ "$a" = "--" ] && after_dashdash=1
	args+=("$a")
done
[ $after_dashdash -eq 1 ] && args+=("-w")

errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
for _ in $(seq 1 20); do
	"$real" "${args[@]}" 2>"$errfile"
	rc=$?
	unknown=$(sed -n "s/.*error: unknown argument: '\([^']*\)'.*/\1/p" "$errfile" | head -n 1)
	if [ $rc -ne 0 ] && [ -n "$unknown" ]; then
		kept=()
		for a in "${args[@]}"; do [ "$a" = "$unknown" ] || kept+=("$a"); done
		args=("${kept[@]}")
		continue
	fi
	cat "$errfile" >&2
	break
done

if [ $rc -eq 0 ] && [ -n "$out" ] && [ -f "$out" ]; then
	sed -i -E 's/pub fn (rust_helper_BUG|BUG)\(\);/pub fn \1() -> !;/' "$out"
fi
exit $rc
