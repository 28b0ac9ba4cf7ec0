#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: everything, under the debug config (KASAN, lockdep, DEBUG_SG,
# kmemleak, DEBUG_ATOMIC_SLEEP). Builds what is stale, then lint, psp-sim's
# host tests, KUnit (the fault matrix against the engine), the guest smoke
# test, and on the simulated SNP platform the system tests for both drivers,
# the whole kselftest suite for sevguest and its fault matrix program
# (sevguest_test) for the C driver; ends with one "N passed, N failed" line.
source "$(dirname "$0")/lib.sh"
start=$(date +%s)
"$REPO/scripts/deps.sh"
"$REPO/scripts/tree.sh"
"$REPO/scripts/build.sh" kernel

passed=0 failed=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# step NAME COMMAND...: run a suite; add up the "NAME: N passed, M failed" line it prints.
step() {
	local name=$1 line p f
	shift
	say "check: $name"
	set +e
	"$@" 2>&1 | tee "$tmp" >&2
	rc=${PIPESTATUS[0]}
	set -e
	line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed" "$tmp" | tail -1 || true)
	if [ -z "$line" ]; then
		failed=$((failed + 1))
		say "check: $name produced no result"
		return
	fi
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.*, ([0-9]+) failed.*/\1/' <<<"$line")
	# A suite that failed without counting a failure (a build error, say) still failed.
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		f=1
		say "check: $name exited with $rc"
	fi
	passed=$((passed + p)) failed=$((failed + f))
}

step lint "$REPO/scripts/lint.sh"
step psp-sim "$REPO/scripts/pspsim-test.sh"
step kunit "$REPO/scripts/kunit.sh"
step guest-smoke-rust "$REPO/scripts/guest.sh" smoke
for driver in rust c; do
	step guest-sim-$driver env GUEST_DRIVER=$driver "$REPO/scripts/guest.sh" sim
done
# The kselftest suite (tests/selftests) for sevguest: every row, H02's 60 s windows included;
# C01 at 16 x 250 and the fuzzer at 20,000 calls. For the C driver, the H, R, K and U rows
# (sevguest_test; H02 skipped), each asserting the documented 6.12 behaviour. `make compare`
# runs the whole suite for both drivers with the fuzzer at 100,000.
step guest-selftests-rust env GUEST_DRIVER=rust GUEST_TIMEOUT=1500 \
	GUEST_APPEND="sevtest_slow=1 sevtest_iters=20000" "$REPO/scripts/guest.sh" selftests
step guest-selftests-c env GUEST_DRIVER=c \
	GUEST_APPEND="sevtest_only=sevguest_test" "$REPO/scripts/guest.sh" selftests

say "check finished in $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ $failed = 0 ]
