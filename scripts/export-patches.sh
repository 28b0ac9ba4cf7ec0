#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Developer tool: after committing changes in the cached kernel tree, write
# them back to linux/patches/ as a `git format-patch` series. The tree then
# already matches the series, so its stamp is updated and nothing is rebuilt.
source "$(dirname "$0")/lib.sh"
init_cache
cd "$KTREE"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "uncommitted changes in $KTREE: commit them first"
rm -f "$REPO"/linux/patches/*.patch
git format-patch -q --signoff --no-signature --zero-commit --no-numbered -o "$REPO/linux/patches" base..HEAD
SERIES_HASH=$(cd "$REPO" && cat linux/patches/*.patch | sha256sum | cut -c1-16)
echo "$SERIES_HASH" >"$KTREE/.sevguest-series"
ls "$REPO"/linux/patches
