#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it: toolchain, the cached real kernel tree,
# static checks, then every Go test with the tree required (a missing tree fails, never skips).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "toolchain (Debian packages for building Rust kernel modules)"
scripts/install-toolchain.sh

step "kernel trees: Linux 7.3 (current stable) and 6.12 (LTS), prepared once, then reused from the cache"
go build -o .bin/rfl-tutor ./cmd/rfl-tutor
if [ -n "${RFL_KERNEL_SOURCE:-}" ]; then
	kdir=$(.bin/rfl-tutor kernel prepare --source "$RFL_KERNEL_SOURCE" --print-dir)
	kdir73=
else
	kdir=$(.bin/rfl-tutor kernel prepare --kernel 6.12 --print-dir)
	kdir73=$(.bin/rfl-tutor kernel prepare --kernel 7.3 --print-dir)
fi
echo "kernel trees: $kdir ${kdir73}" >&2

step "gofmt, go vet, staticcheck, deadcode"
unformatted=$(gofmt -l cmd internal lessons snippets)
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go tool staticcheck ./...
# Dead code must not come back. internal/testkernel is the one package only tests use (it hands
# them the real tree), so the program's call graph alone lists it; with the tests as roots
# nothing may be unreachable.
# A deadcode run that fails (it cannot load the packages) stops the script here (set -e, pipefail).
dead_prog=$(go tool deadcode ./... | { grep -v '^internal/testkernel/' || true; })
dead_test=$(go tool deadcode -test ./...)
if [ -n "$dead_prog$dead_test" ]; then
	echo "dead code:" >&2
	printf '%s\n' "$dead_prog" "$dead_test" | grep -v '^$' >&2
	exit 1
fi

step "tests (against $kdir; kernel-dependent ones also against ${kdir73:-no second tree})"
export RFL_TEST_KDIR=$kdir RFL_TEST_KDIRS=$kdir73 RFL_REQUIRE_KERNEL=1
go test -timeout 60m -count=1 "$@" ./...

if [ -n "$kdir73" ]; then
	step "both trees: kernel list, hello-module on each (check and make-cmd), snippets check and course check as one matrix"
	export XDG_CONFIG_HOME=$(mktemp -d) # the selection below must not depend on a developer's config
	trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
	listed=$(.bin/rfl-tutor kernel list --json)
	for d in "$kdir" "$kdir73"; do
		grep -qF "\"dir\": \"$d\"" <<<"$listed" || { echo "kernel list --json does not name $d" >&2; exit 1; }
	done
	for d in "$kdir" "$kdir73"; do
		.bin/rfl-tutor check hello-module --solution --quiet --kdir "$d"
	done
	# The make line `kernel make-cmd` prints builds the tree's variant of the hello module when
	# a shell runs it in the module's folder (the lessons point learners at it).
	m=$(mktemp -d)
	for d in "$kdir" "$kdir73"; do
		rm -rf "${m:?}"/*
		cp snippets/hello_module/Kbuild snippets/hello_module/src/*.rs "$m"/
		if [ "$d" = "$kdir73" ]; then cp snippets/hello_module/linux-7/src/*.rs "$m"/; fi
		line=$(.bin/rfl-tutor kernel make-cmd "$m" --kdir "$d")
		(cd "$m" && sh -c "$line" >/dev/null) || { echo "the make line for $d failed: $line" >&2; exit 1; }
		[ -f "$m"/hello_module.ko ] || { echo "the make line for $d built no hello_module.ko" >&2; exit 1; }
	done
	rm -rf "$m"
	.bin/rfl-tutor snippets check --kdir "$kdir" --kdir "$kdir73"
	# The boots of every solution, starter and shortcut on both trees are internal/coursecheck's
	# TestEmbeddedCourse above; here the command itself runs over both trees.
	.bin/rfl-tutor course check --kdir "$kdir" --kdir "$kdir73"
fi
