# SPDX-License-Identifier: GPL-2.0
# Shared settings for the sevguest workbench scripts. Sourced, never run.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Everything that is expensive to rebuild lives here, outside the checkout.
SEVGUEST_CACHE=${SEVGUEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sevguest}

# Debian's rustc (1.96, with rust-src) must win over the rustup toolchain that
# cargo's bin folder puts first on PATH; bindgen stays reachable further down.
export PATH="/usr/lib/llvm-16/bin:/usr/bin:/bin:$PATH:$HOME/.cargo/bin"

JOBS=${JOBS:-$(nproc)}
KSRC_TARBALL=/usr/src/linux-source-6.12.tar.xz
BINDGEN_VERSION=0.73.2

# The simulated SNP platform's user-space side (scripts/simtools.sh builds it):
# the real client, the PSP model, its certificate chain, the test client.
SNPGUEST_VERSION=0.11.0
SNPGUEST=$SEVGUEST_CACHE/snpguest-$SNPGUEST_VERSION/bin/snpguest
PSPSIM_SRC=$REPO/tests/sim/psp-sim
PSPSIM_TARGET=$SEVGUEST_CACHE/psp-sim-target
PSPSIM=$PSPSIM_TARGET/x86_64-unknown-linux-gnu/release/psp-sim
SIM_SEED=${SIM_SEED:-1}
TOOLS_DIR=$SEVGUEST_CACHE/tools
# Debian's cargo (package cargo-web) with Debian's rustc (rustc-web, the kernel's
# compiler) builds the user-space crates too: bindgen-cli, snpguest, psp-sim. One
# toolchain, from the distribution; a rustup install, if there is one, is not used.
CARGO=/usr/bin/cargo
cargo_user() { env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc "$CARGO" "$@"; }

# Where the driver lives inside the kernel tree.
DRIVER_SUBDIR=drivers/virt/coco/sevguest

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# long WHAT USUALLY COMMAND...: run a long step that prints little, saying what it
# is and how long it usually takes first, then every 30 s that it is still going.
long() {
	local what=$1 usually=$2 t0=$SECONDS ticker rc=0
	shift 2
	say "$what (usually $usually)"
	# The command stays in the foreground, so Ctrl-C reaches it (a job started
	# with & in a script ignores SIGINT); only the reminder runs beside it.
	(while sleep 30; do say "... $what: $((SECONDS - t0)) s so far"; done) &
	ticker=$!
	"$@" || rc=$?
	kill "$ticker" 2>/dev/null
	wait "$ticker" 2>/dev/null || true
	[ $rc = 0 ] && say "$what: done in $((SECONDS - t0)) s"
	return $rc
}

# The cache must be a folder we can write: say so in the user's own terms
# before anything is extracted into it.
cache_writable() {
	mkdir -p "$SEVGUEST_CACHE" 2>/dev/null && [ -w "$SEVGUEST_CACHE" ] ||
		die "SEVGUEST_CACHE=$SEVGUEST_CACHE cannot be created or written: set SEVGUEST_CACHE to a folder you can write (it needs about 4 GB, 7 with make mutants)"
}

# The cache: one kernel tree per Debian package version of linux-source-6.12,
# with the patch series applied (re-applied on top of the pristine base when
# the series changes) and one build folder per kernel flavour. Stamps record
# the hash of the series and of the config fragments each was made from.
init_cache() {
	local debver
	cache_writable
	debver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		die "linux-source-6.12 is not installed: run scripts/deps.sh"
	KEY_DIR=$SEVGUEST_CACHE/linux-$debver
	KTREE=$KEY_DIR/src
	SERIES_HASH=$(cd "$REPO" && { cat linux/patches/*.patch 2>/dev/null || true; } | sha256sum | cut -c1-16)
}

# config_hash FRAGMENT... : hash of the fragments a build is configured from.
config_hash() {
	(cd "$REPO/linux/configs" && cat "$@" | sha256sum | cut -c1-16)
}

kmake() {
	# kmake BUILD_DIR target...
	local out=$1
	shift
	make -C "$KTREE" O="$out" LLVM=1 -j"$JOBS" "$@"
}
