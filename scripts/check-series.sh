#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Checks that every prefix of linux/patches/ applies and builds: the Rust
# crates (rust/) after each patch, the whole driver after the last. Uses its
# own worktree and build folder in the cache, so the main builds are untouched.
# Prints one line per patch and "series: N passed, N failed".
source "$(dirname "$0")/lib.sh"
init_cache
"$REPO/scripts/tree.sh" >/dev/null

wt=$KEY_DIR/series-worktree
out=$KEY_DIR/build-series
git -C "$KTREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$KTREE" worktree prune
git -C "$KTREE" worktree add -q --detach "$wt" base
mkdir -p "$wt/$DRIVER_SUBDIR" "$out"
rsync -a --delete "$KTREE/$DRIVER_SUBDIR/" "$wt/$DRIVER_SUBDIR/"

passed=0 failed=0 n=0
for p in "$REPO"/linux/patches/*.patch; do
	n=$((n + 1))
	name=$(basename "$p")
	if ! git -C "$wt" am -q "$p" >/dev/null 2>&1; then
		git -C "$wt" am --abort >/dev/null 2>&1 || true
		echo "series: $name does not apply"
		failed=$((failed + 1))
		break
	fi
	targets=(rust/)
	# The driver directory exists in Kconfig only once the last patch wires it in.
	grep -q sevguest "$wt/drivers/virt/coco/Makefile" && targets+=("$DRIVER_SUBDIR/")
	# The guest config again each time: olddefconfig drops options that an
	# earlier prefix's Kconfig did not know yet.
	cp "$KEY_DIR/build-guest/.config" "$out/.config"
	start=$(date +%s)
	if make -C "$wt" O="$out" LLVM=1 -j"$JOBS" -s olddefconfig "${targets[@]}" >"$out/patch-$n.log" 2>&1; then
		passed=$((passed + 1))
		echo "series: ok $n $name ($(($(date +%s) - start)) s)"
	else
		failed=$((failed + 1))
		echo "series: FAILED $n $name (log: $out/patch-$n.log)"
		tail -n 20 "$out/patch-$n.log"
	fi
done
git -C "$KTREE" worktree remove --force "$wt"
echo "series: $passed passed, $failed failed"
[ $failed = 0 ]
