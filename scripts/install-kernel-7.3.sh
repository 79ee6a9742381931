#!/usr/bin/env bash
# Provides what a Linux 7.3 tree needs on Debian 12 without touching the system's apt sources:
#   /opt/rfl-tutor/src/linux-source-7.3.tar.xz   Debian's linux-source-7.3 (trixie-backports)
#   /opt/rfl-tutor/bin/bindgen                   a launcher for trixie's bindgen 0.71.1
# Linux 7.1+ wants bindgen >= 0.71.1; Debian 12 ships 0.60.1. Trixie's binary needs glibc 2.39
# (Debian 12 has 2.36), so the launcher starts it through trixie's own loader and libc, unpacked
# into a private root, with bookworm's libclang-19. `rfl-tutor kernel prepare` and `doctor` look
# for the launcher at this fixed path. The archive URI is read from the machine's own apt sources;
# the newer suites live only in a private apt state folder. Idempotent: does nothing when both
# are in place and the launcher answers.
set -euo pipefail

prefix=${RFL_TUTOR_PREFIX:-/opt/rfl-tutor}
tarball=$prefix/src/linux-source-7.3.tar.xz
launcher=$prefix/bin/bindgen
root=$prefix/bindgen-0.71

if [ -f "$tarball" ] && [ -x "$launcher" ] && "$launcher" --version 2>/dev/null | grep -q '^bindgen 0\.7[1-9]'; then
	echo "kernel 7.3: source and bindgen $("$launcher" --version | cut -d' ' -f2) in place under $prefix"
	exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "error: writing $prefix needs root; run as root or install sudo" >&2; exit 1; }
	sudo=(sudo)
fi

# The Debian archive URI the machine already uses (deb822 .sources files or a classic list), not
# the security archive.
archive_uri() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'BEGIN{RS="";FS="\n"} {
			uri=""; suites=""; enabled=1
			for (i=1;i<=NF;i++) {
				if ($i ~ /^URIs:/) { uri=$i; sub(/^URIs:[ \t]*/,"",uri); split(uri,u," "); uri=u[1] }
				if ($i ~ /^Suites:/) { suites=$i }
				if ($i ~ /^Enabled:[ \t]*no/) { enabled=0 }
			}
			if (enabled && uri != "" && suites ~ /bookworm([ \t]|$)/) { print uri; exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1=="deb" { i=2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1)=="bookworm") { print $i; exit } }' "$f"
	done
}
uri=$(archive_uri | head -n 1)
if [ -z "$uri" ]; then
	echo "error: found no Debian archive for bookworm in /etc/apt/sources.list or /etc/apt/sources.list.d/; cannot fetch linux-source-7.3 and bindgen 0.71" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
apt_dir=$prefix/apt
"${sudo[@]}" mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$prefix/src" "$prefix/bin"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$uri" trixie "$keyring" "$uri" trixie-backports |
	"${sudo[@]}" tee "$apt_dir/sources.list" >/dev/null
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1 -q)

echo "kernel 7.3: reading trixie and trixie-backports from the machine's Debian archive (private apt state in $apt_dir)"
if ! "${sudo[@]}" apt-get "${apt_opts[@]}" update >"$work/update.log" 2>&1; then
	cat "$work/update.log" >&2
	echo "error: apt-get update of trixie/trixie-backports failed (archive $uri)" >&2
	exit 1
fi

pkgs=(linux-source-7.3/trixie-backports bindgen/trixie libc6/trixie libgcc-s1/trixie)
cd "$work"
for p in "${pkgs[@]}"; do
	if ! apt-get "${apt_opts[@]}" download "$p" >"$work/download.log" 2>&1; then
		cat "$work/download.log" >&2
		echo "error: could not download $p from $uri" >&2
		exit 1
	fi
done

if [ ! -f "$tarball" ]; then
	dpkg-deb -x linux-source-7.3_*.deb "$work/src"
	t=$(ls "$work"/src/usr/src/linux-source-7.3*.tar.xz 2>/dev/null | head -n 1)
	[ -n "$t" ] || { echo "error: linux-source-7.3 package holds no usr/src/linux-source-7.3*.tar.xz" >&2; exit 1; }
	"${sudo[@]}" install -m 0644 "$t" "$tarball.tmp"
	"${sudo[@]}" mv "$tarball.tmp" "$tarball"
fi

"${sudo[@]}" rm -rf "$root.tmp"
"${sudo[@]}" mkdir -p "$root.tmp"
for d in bindgen_*.deb libc6_*.deb libgcc-s1_*.deb; do
	"${sudo[@]}" dpkg-deb -x "$d" "$root.tmp"
done
"${sudo[@]}" rm -rf "$root"
"${sudo[@]}" mv "$root.tmp" "$root"

"${sudo[@]}" tee "$launcher.tmp" >/dev/null <<LAUNCH
#!/bin/sh
# bindgen 0.71 from Debian trixie, run through trixie's own loader and libc (installed by
# rfl-tutor's scripts/install-kernel-7.3.sh), with bookworm's libclang 19.
export LIBCLANG_PATH=\${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}
exec $root/usr/lib64/ld-linux-x86-64.so.2 --library-path $root/usr/lib/x86_64-linux-gnu:/usr/lib/llvm-19/lib $root/usr/bin/bindgen "\$@"
LAUNCH
"${sudo[@]}" chmod 0755 "$launcher.tmp"
"${sudo[@]}" mv "$launcher.tmp" "$launcher"
if ! v=$("$launcher" --version 2>&1) || ! echo "$v" | grep -q '^bindgen 0\.7[1-9]'; then
	echo "error: the bindgen launcher does not run: $v" >&2
	echo "  (it needs libclang1-19 from bookworm: scripts/install-toolchain.sh installs it)" >&2
	exit 1
fi
echo "kernel 7.3: $tarball and $launcher ($v) ready"
