#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prepares the kernel tree in the cache: Debian's linux-source-6.12 as a git
# repository (tag `base`) with linux/patches/ applied by `git am`, then copies
# the driver in at drivers/virt/coco/sevguest/.
#
# A changed series is re-applied on top of `base` in the same tree, so only the
# files the patches touch change and the build folders rebuild incrementally.
source "$(dirname "$0")/lib.sh"
init_cache

if [ ! -f "$KTREE/.sevguest-base" ]; then
	say "extracting $(basename "$KSRC_TARBALL") into $KTREE"
	rm -rf "$KEY_DIR"
	mkdir -p "$KTREE"
	tar -xf "$KSRC_TARBALL" -C "$KTREE" --strip-components=1
	(
		cd "$KTREE"
		git init -q
		git config user.name "sevguest workbench"
		git config user.email "sevguest@localhost"
		# The driver is copied in, not committed: keep it out of git's view.
		echo "/$DRIVER_SUBDIR/" >>.git/info/exclude
		# -f: Debian's .gitignore ignores everything at the top level.
		git add -f -A
		git commit -q -m "Debian linux-source-6.12 $(make -s kernelversion)"
		git tag base
	)
	touch "$KTREE/.sevguest-base"
fi

if [ "$(cat "$KTREE/.sevguest-series" 2>/dev/null)" != "$SERIES_HASH" ]; then
	say "applying linux/patches/ ($(ls "$REPO"/linux/patches/*.patch | wc -l) patches)"
	(
		cd "$KTREE"
		# Re-applying resets the tree: refuse to throw away a developer's work in it.
		dirty=$( { git status --porcelain --untracked-files=no; git ls-files --others |
			grep -v -e "^$DRIVER_SUBDIR/" -e '^\.sevguest-' || true; } | head -5)
		[ -z "$dirty" ] || [ -n "${SEVGUEST_FORCE:-}" ] ||
			die "uncommitted work in $KTREE (commit it and run make export-patches, or set SEVGUEST_FORCE=1 to discard it): $dirty"
		rm -f .sevguest-series
		git am --abort >/dev/null 2>&1 || true
		git reset -q --hard base
		git clean -q -fdx -e "/$DRIVER_SUBDIR/" -e /.sevguest-base
		git am -q --whitespace=nowarn "$REPO"/linux/patches/*.patch ||
			{ git am --abort; die "linux/patches/ does not apply to $(git log -1 --format=%s base)"; }
	)
	echo "$SERIES_HASH" >"$KTREE/.sevguest-series"
fi

# Copy the driver in; -c compares contents so unchanged files keep their
# mtimes and Kbuild rebuilds only what changed.
mkdir -p "$KTREE/$DRIVER_SUBDIR"
rsync -rc --delete \
	--include='/Kconfig' --include='/Makefile' --include='/*.rs' \
	--include='/uapi/***' --include='/tests/' --include='/tests/kunit/***' \
	--include='/tests/modules/***' \
	--include='/tests/sim/' --include='/tests/sim/Makefile' --include='/tests/sim/*.[ch]' \
	--exclude='*' "$REPO/" "$KTREE/$DRIVER_SUBDIR/"

say "kernel $(make -s -C "$KTREE" kernelversion) (Debian $(basename "$KEY_DIR" | sed 's/^linux-//')), series ${SERIES_HASH:0:12}, cache $KEY_DIR"
