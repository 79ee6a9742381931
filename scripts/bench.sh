#!/usr/bin/env bash
# The benchmarks the issues name, in one run each, figures as ratios (these machines are noisy):
#   check of the seed solution vs the raw make it wraps (target ≤ 1.05),
#   the whole snippet library, cold cache, vs a serial loop of raw make (target ≤ 0.5), and warm,
#   the boot stage's wall time (median of 5) and its share of a whole check,
#   the TUI's frame costs and startup.
# Needs a prepared kernel tree: KDIR=… or the one `rfl-tutor kernel prepare` made.
set -euo pipefail
cd "$(dirname "$0")/.."
kdir=${KDIR:-$(go run ./cmd/rfl-tutor kernel prepare --kernel 6.12 --print-dir)}
kdir73=${KDIR73:-$(go run ./cmd/rfl-tutor kernel prepare --kernel 7.3 --print-dir)}
export RFL_TEST_KDIR=$kdir RFL_REQUIRE_KERNEL=1 RFL_BENCH=1

echo "== check vs raw make ($kdir)"
go test -count=1 -run 'TestCheckOverheadVsRawMake' -v ./internal/check | grep -E 'ratio|check:|make:|PASS|FAIL|ok'
echo "== boot stage: wall time and share of check"
go test -count=1 -run 'TestBootStageShareOfCheck' -v ./internal/check | grep -E 'boot stage|check:|PASS|FAIL|ok'
echo "== snippet library vs serial raw make, both trees ($kdir $kdir73)"
RFL_BENCH_KDIRS="$kdir $kdir73" go test -count=1 -timeout 60m -run 'TestLibraryVsSerialMake' -v ./internal/library | grep -vE '^=== RUN'
echo "== TUI frames and startup"
go test -count=1 -run '^$' -bench . -benchmem ./internal/tui
