#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Installs what the workbench needs, idempotently, all of it from Debian 12 but
# bindgen-cli (pinned, from crates.io): the kernel source, Debian's Rust
# toolchain (rustc-web, its standard library source, clippy and cargo-web),
# clang 16, QEMU, and every tool the scripts call. Quick (no network) when
# everything is already present. A fresh Debian 12 needs only git and make
# before this (and root, or the packages installed by someone who has it).
source "$(dirname "$0")/lib.sh"

APT_PACKAGES=(
	# the kernel tree and its build
	linux-source-6.12 make gcc libc6-dev bc flex bison perl libelf-dev libssl-dev
	cpio rsync xz-utils git
	# Rust for the kernel and for the user-space crates
	rustc-web rust-web-src rust-web-clippy cargo-web pkg-config ca-certificates
	# LLVM=1, bindgen's libclang
	clang-16 lld-16 llvm-16 libclang-16-dev
	# the guest, the scripts, the tables
	qemu-system-x86 busybox-static python3 jq binutils
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] ||
		die "need root to apt-get install ${missing[*]} (run make as root once, or install them yourself)"
	install_packages() {
		apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				"${missing[@]}" >/dev/null
	}
	say "missing Debian packages: ${missing[*]}"
	long "installing ${#missing[@]} Debian packages" "3 minutes on a fresh machine" install_packages
fi

[ -x "$CARGO" ] || die "$CARGO missing: apt-get install cargo-web"
if [ "$(bindgen --version 2>/dev/null)" != "bindgen $BINDGEN_VERSION" ]; then
	long "installing bindgen-cli $BINDGEN_VERSION from crates.io into ~/.cargo/bin" \
		"1-2 minutes" cargo_user install --locked --quiet "bindgen-cli@$BINDGEN_VERSION"
fi

# One line per wrong tool, saying how to fix it.
check() { "$@" >/dev/null 2>&1; }
check test -f "$KSRC_TARBALL" || die "$KSRC_TARBALL missing: apt-get install linux-source-6.12"
rustc --version | grep -q '^rustc 1\.96' ||
	die "rustc on the kernel PATH is $(rustc --version), want Debian's 1.96 (apt-get install rustc-web)"
"$CARGO" --version | grep -q '^cargo 1\.96' ||
	die "$CARGO is $("$CARGO" --version), want Debian's 1.96 (apt-get install cargo-web)"
test -d /usr/lib/rustlib/src/rust/library ||
	die "Rust standard library source missing: apt-get install rust-web-src"
clang --version | grep -q 'clang version 16' ||
	die "clang on the kernel PATH is not clang 16: apt-get install clang-16 lld-16 llvm-16"
check command -v qemu-system-x86_64 || die "qemu-system-x86_64 missing: apt-get install qemu-system-x86"
test -x /bin/busybox || die "/bin/busybox missing: apt-get install busybox-static"
say "toolchain: $(rustc --version | cut -d' ' -f1-2), $("$CARGO" --version | cut -d' ' -f1-2), $(bindgen --version), clang $(clang -dumpversion)"
