#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs the driver's KUnit suites with tools/testing/kunit/kunit.py: a kernel
# with the driver built in (base + kunit + debug fragments) booted in QEMU
# (TCG), its KTAP output parsed by kunit.py. kunit.py's exit status is ours.
source "$(dirname "$0")/lib.sh"
init_cache

logdir=$KEY_DIR/logs
mkdir -p "$logdir"
log=$logdir/kunit.log
args=(
	run --arch=x86_64
	--build_dir="$KEY_DIR/build-kunit"
	--make_options LLVM=1 --jobs="$JOBS"
	--timeout="${KUNIT_TIMEOUT:-600}"
)
# KUNIT_EXPLORE=<requests>,<exits> raises the bound of the hostile-host enumeration
# (tests/kunit/explore_test.rs) above its default.
[ -n "${KUNIT_EXPLORE:-}" ] && args+=(--kernel_args "sevguest_explore=$KUNIT_EXPLORE")
for f in base.config kunit.config debug.config; do
	args+=(--kunitconfig "$REPO/linux/configs/$f")
done

say "kunit.py ${args[*]}"
set +e
(cd "$KTREE" && python3 tools/testing/kunit/kunit.py "${args[@]}") 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# kunit.py's summary, as a plain count line for CI.
summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$log" | tail -1 || true)
passed=$(sed -nE 's/.*passed: ([0-9]+).*/\1/p' <<<"$summary")
failed=$(sed -nE 's/.*failed: ([0-9]+).*/\1/p' <<<"$summary")
crashed=$(sed -nE 's/.*crashed: ([0-9]+).*/\1/p' <<<"$summary")
echo "kunit: ${passed:-0} passed, $((${failed:-0} + ${crashed:-0})) failed"
# The hostile-host enumeration's figures (tests/kunit/explore_test.rs), from this run's console.
[ -z "$summary" ] || grep -h -e 'explore: ' -e 'sequences explored:' "$KEY_DIR/build-kunit/test.log" |
	sed 's/^sevguest: /kunit: /' || true
if [ $rc != 0 ] || [ -z "$summary" ]; then
	printf 'error: kunit.py failed (exit %s); console: %s\n' "$rc" "$KEY_DIR/build-kunit/test.log" >&2
	tail -n 40 "$KEY_DIR/build-kunit/test.log" >&2 2>/dev/null || true
	exit 1
fi
