#!/usr/bin/env bash
# Installs the Debian 12 (bookworm) packages rfl-tutor needs to prepare a Rust-enabled kernel
# tree (`rfl-tutor kernel prepare`) and to build and boot exercises against it. Idempotent: when
# every package is installed it only says so; apt-get update runs only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	linux-source-6.12               # /usr/src/linux-source-6.12.tar.xz (6.12.117)
	rustc-web rust-web-src          # /usr/bin/rustc 1.96 with the rust-src a kernel build needs
	bindgen libclang1-14            # bindgen 0.60.1 (kernel prepare wraps it) and its libclang
	clang-19 lld-19 llvm-19         # the LLVM=-19 toolchain
	libelf-dev libssl-dev bc flex bison cpio make kmod xz-utils
	qemu-system-x86 busybox-static  # the boot stage
	libc6-dev                       # static C library for the boot stage's module loader
	tmux                            # the TUI's end-to-end test drives the real binary in tmux
	bubblewrap                      # the build sandbox for lesson packs and learners' code
	libclang1-19                    # libclang for bindgen 0.71 (the Linux 7.3 tree)
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "toolchain: all ${#packages[@]} packages installed"
	exec scripts/install-kernel-7.3.sh
fi
echo "toolchain: installing ${missing[*]}"

if ! command -v apt-get >/dev/null; then
	echo "error: no apt-get: this script is for Debian 12; install the equivalents of: ${missing[*]}" >&2
	exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
	if ! command -v sudo >/dev/null; then
		echo "error: installing packages needs root; run as root or install sudo. Missing: ${missing[*]}" >&2
		exit 1
	fi
	sudo=(sudo)
fi
if ! "${sudo[@]}" apt-get update -q ||
	! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	echo "error: apt-get could not install: ${missing[*]}" >&2
	echo "  these come from Debian 12's bookworm and bookworm-security suites; check /etc/apt/sources.list" >&2
	exit 1
fi

# Linux 7.3's source and bindgen 0.71 come from newer Debian suites, kept out of the system's apt
# sources (see that script); it runs after the packages because the launcher needs libclang1-19.
exec scripts/install-kernel-7.3.sh
