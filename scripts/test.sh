#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it: toolchain, the cached real kernel tree,
# static checks, then every Go test with the tree required (a missing tree fails, never skips).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "toolchain (Debian packages for building Rust kernel modules)"
scripts/install-toolchain.sh

step "kernel tree (prepared once, then reused from the cache)"
source=${RFL_KERNEL_SOURCE:-/usr/src/linux-source-6.12.tar.xz}
go build -o .bin/rfl-tutor ./cmd/rfl-tutor
kdir=$(.bin/rfl-tutor kernel prepare --source "$source" --print-dir)
echo "kernel tree: $kdir" >&2

step "gofmt, go vet, staticcheck"
unformatted=$(gofmt -l cmd internal lessons snippets)
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go tool staticcheck ./...

step "tests (against $kdir)"
export RFL_TEST_KDIR=$kdir RFL_REQUIRE_KERNEL=1
go test -timeout 60m -count=1 "$@" ./...
