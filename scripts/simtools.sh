#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the user-space side of the simulated SNP platform into the cache, each
# part only when stale:
#   - virtee snpguest $SNPGUEST_VERSION from crates.io (unmodified, about 6 min once);
#   - psp-sim (tests/sim/psp-sim), linked statically for the guest;
#   - the simulated ARK/ASK/VCEK chain for seed $SIM_SEED (keyed by psp-sim's sources);
#   - the guest's C programs, static: sevreq (tests/sim/sevreq.c), the one-request
#     test client, and every tests/selftests/*.c and tests/bench/*.c.
# Prints SIM_CHAIN=<dir> last.
source "$(dirname "$0")/lib.sh"

[ -x "$CARGO" ] || die "$CARGO missing: run scripts/deps.sh (apt-get install cargo-web)"
command -v gcc >/dev/null || die "gcc not found: run scripts/deps.sh (apt-get install gcc)"
cache_writable

if [ ! -x "$SNPGUEST" ]; then
	long "building snpguest $SNPGUEST_VERSION from crates.io (once per cache)" \
		"6 minutes, 11 beside a kernel build" \
		cargo_user install --locked --quiet "snpguest@$SNPGUEST_VERSION" \
		--root "$(dirname "$(dirname "$SNPGUEST")")"
fi

say "building psp-sim (static)"
(cd "$PSPSIM_SRC" && RUSTFLAGS="-C target-feature=+crt-static" CARGO_TARGET_DIR="$PSPSIM_TARGET" \
	cargo_user build --release --locked --quiet --target x86_64-unknown-linux-gnu)
[ -x "$PSPSIM" ] || die "psp-sim did not build: $PSPSIM"

src_hash=$(cd "$PSPSIM_SRC" && find src Cargo.toml Cargo.lock -type f | sort | xargs cat | sha256sum | cut -c1-12)
SIM_CHAIN=$SEVGUEST_CACHE/sim-chain-seed$SIM_SEED-$src_hash
if [ ! -f "$SIM_CHAIN/platform.txt" ]; then
	say "making the simulated AMD certificate chain (seed $SIM_SEED)"
	rm -rf "$SIM_CHAIN.tmp"
	"$PSPSIM" make-chain --seed "$SIM_SEED" --out "$SIM_CHAIN.tmp"
	rm -rf "$SIM_CHAIN"
	mv "$SIM_CHAIN.tmp" "$SIM_CHAIN"
fi

# The guest's C test programs: one static binary per file, into $TOOLS_DIR
# (guest.sh copies all of it into the guest's /bin).
init_cache
mkdir -p "$TOOLS_DIR"
for src in "$REPO"/tests/sim/sevreq.c "$REPO"/tests/selftests/*.c "$REPO"/tests/bench/*.c; do
	[ -f "$src" ] || continue
	bin=$TOOLS_DIR/$(basename "$src" .c)
	deps=("$src" "$REPO"/tests/sim/sevsim.h "$REPO"/uapi/linux/sev-guest.h
		"$(dirname "$src")"/*.h)
	stale=0
	for d in "${deps[@]}"; do
		[ -f "$d" ] && [ "$d" -nt "$bin" ] && stale=1
	done
	[ -x "$bin" ] && [ $stale = 0 ] && continue
	gcc -static -O2 -Wall -Wextra -Werror -pthread -I "$REPO/uapi" -I "$REPO/tests/sim" \
		-I "$KTREE/tools/testing/selftests" -I "$(dirname "$src")" -o "$bin" "$src" -lm
done
echo "SIM_CHAIN=$SIM_CHAIN"
