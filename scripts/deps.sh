#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs what the workbench needs, idempotently: Debian packages and a pinned
# bindgen-cli. Quick (no network) when everything is already present.
source "$(dirname "$0")/lib.sh"

APT_PACKAGES=(
	linux-source-6.12 rustc-web rust-web-src rust-web-clippy
	clang-16 lld-16 llvm-16 libclang-16-dev
	libelf-dev bc flex bison libssl-dev cpio rsync xz-utils
	qemu-system-x86 busybox-static python3 jq
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing Debian packages: ${missing[*]}"
	[ "$(id -u)" = 0 ] || die "need root to apt-get install ${missing[*]} (or install them yourself)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
fi

if [ "$(bindgen --version 2>/dev/null)" != "bindgen $BINDGEN_VERSION" ]; then
	command -v cargo >/dev/null ||
		die "cargo not found: needed once to install bindgen-cli $BINDGEN_VERSION"
	say "installing bindgen-cli $BINDGEN_VERSION from crates.io"
	# rustup's cargo builds bindgen; Debian's rustc is only for the kernel.
	env PATH="$HOME/.cargo/bin:$PATH" cargo install --locked --quiet \
		"bindgen-cli@$BINDGEN_VERSION"
fi

# One line per wrong tool, saying how to fix it.
check() { "$@" >/dev/null 2>&1; }
check test -f "$KSRC_TARBALL" || die "$KSRC_TARBALL missing: apt-get install linux-source-6.12"
rustc --version | grep -q '^rustc 1\.96' ||
	die "rustc on the kernel PATH is $(rustc --version), want Debian's 1.96 (apt-get install rustc-web)"
test -d /usr/lib/rustlib/src/rust/library ||
	die "Rust standard library source missing: apt-get install rust-web-src"
clang --version | grep -q 'clang version 16' ||
	die "clang on the kernel PATH is not clang 16: apt-get install clang-16 lld-16 llvm-16"
check command -v qemu-system-x86_64 || die "qemu-system-x86_64 missing: apt-get install qemu-system-x86"
test -x /bin/busybox || die "/bin/busybox missing: apt-get install busybox-static"
say "toolchain: $(rustc --version | cut -d' ' -f1-2), $(bindgen --version), clang $(clang -dumpversion)"
