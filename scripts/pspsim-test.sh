#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# psp-sim's host tests (cargo test): known answers from an independent AES-GCM,
# the PSP's checks, reports and the chain verified by the sev crate, every
# fault plan's shape, the IV-reuse monitor. Prints "psp-sim: N passed, M failed".
source "$(dirname "$0")/lib.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
set +e
(cd "$PSPSIM_SRC" && CARGO_TARGET_DIR="$PSPSIM_TARGET" cargo_user test --locked 2>&1) | tee "$out"
rc=${PIPESTATUS[0]}
set -e
passed=$(sed -nE 's/^test result: .* ([0-9]+) passed; ([0-9]+) failed.*/\1/p' "$out" | paste -sd+ | bc)
failed=$(sed -nE 's/^test result: .* ([0-9]+) passed; ([0-9]+) failed.*/\2/p' "$out" | paste -sd+ | bc)
passed=${passed:-0} failed=${failed:-0}
[ "$rc" = 0 ] || [ "$failed" != 0 ] || failed=1
echo "psp-sim: $passed passed, $failed failed"
[ "$rc" = 0 ]
