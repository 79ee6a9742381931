# rfl-tutor: `make run` opens the tutor, `make test` runs the whole test suite (what CI runs).
.PHONY: run test build lint fuzz bench

run:
	go run ./cmd/rfl-tutor

build:
	go build -o .bin/rfl-tutor ./cmd/rfl-tutor

# Installs the Debian toolchain if missing, prepares (or reuses) the cached kernel tree, runs
# gofmt/vet/staticcheck and every test, including the end-to-end ones against the real tree.
test:
	scripts/test.sh

lint:
	gofmt -l cmd internal lessons snippets
	go vet ./...
	go tool staticcheck ./...

bench:
	scripts/bench.sh
