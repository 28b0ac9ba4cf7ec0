#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make compare`: the kselftest suite (tests/guest/selftests.sh) on the
# simulated SEV-SNP platform for the C sev-guest driver of 6.12 and for
# sevguest, then Documentation/compare.md: one table line per FAULTS.md case
# with the expected outcome, what each driver did and the class of any
# difference, built by scripts/compare-table.py from the
# "row: <id> <driver> <case> -> <observed>" lines of the two console logs.
#
# COMPARE_APPEND (default "sevtest_slow=1": H02's 60 s windows included) is
# added to the guest kernel command line, e.g. "sevtest_slow=1 sevtest_full=1"
# for C01 at 16 x 1,000. H07's random firmware error is drawn here, once, and
# given to both runs (sevtest_h07=<hex>; COMPARE_H07=<hex> picks it).
# COMPARE_SKIP_RUN=1 boots nothing and only rebuilds the table from the last
# logs. COMPARE_OUT=FILE writes the table there instead of
# Documentation/compare.md. Exits non-zero if either run failed a check.
source "$(dirname "$0")/lib.sh"
init_cache

logdir=${GUEST_LOGDIR:-$KEY_DIR/logs}
mkdir -p "$logdir"
out=${COMPARE_OUT:-$REPO/Documentation/compare.md}
append=${COMPARE_APPEND-sevtest_slow=1}
h07=${COMPARE_H07:-$(printf '%x' $(((((RANDOM << 17) ^ (RANDOM << 2) ^ RANDOM) & 0xfffffffe) | 1)))}
declare -A summary
rc=0
for driver in c rust; do
	if [ "${COMPARE_SKIP_RUN:-0}" != 1 ]; then
		set +e
		GUEST_DRIVER=$driver GUEST_TIMEOUT=${GUEST_TIMEOUT:-3000} \
			GUEST_APPEND="$append sevtest_h07=$h07 ${GUEST_APPEND:-}" \
			"$REPO/scripts/guest.sh" selftests 2>&1 | tee "$logdir/compare-$driver.out"
		[ "${PIPESTATUS[0]}" = 0 ] || rc=1
		set -e
	fi
	summary[$driver]=$(grep -E "^guest-selftests-$driver: " "$logdir/compare-$driver.out" 2>/dev/null |
		tail -1 || echo "guest-selftests-$driver: no result")
	[ -f "$logdir/guest-selftests-$driver.log" ] || die "no console log for $driver"
done

python3 "$REPO/scripts/compare-table.py" --logdir "$logdir" --out "$out"
echo "${summary[c]}"
echo "${summary[rust]}"
exit $rc
