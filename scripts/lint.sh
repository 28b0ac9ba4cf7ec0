#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel's own checks on our code: rustfmtcheck, a CLIPPY=1 build of the
# driver, checkpatch.pl on the patch series and on the driver sources, and the
# uapi header's layout against the kernel's.
#
#   lint.sh [rustfmtcheck|clippy|checkpatch|uapi]...   (default: all four)
source "$(dirname "$0")/lib.sh"
init_cache

GUEST_BUILD=$KEY_DIR/build-guest
passed=0 failed=0
run() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		passed=$((passed + 1))
		say "lint $name: ok"
	else
		failed=$((failed + 1))
		printf '%s\n' "$out" | tail -n 60 >&2
		say "lint $name: FAILED"
	fi
}

rustfmtcheck() {
	[ -f "$GUEST_BUILD/.config" ] || die "no configured build: run make kernel"
	kmake "$GUEST_BUILD" -s rustfmtcheck
}

clippy() {
	local out
	out=$("$REPO/scripts/build.sh" clippy 2>&1) || { printf '%s\n' "$out"; return 1; }
	# Kbuild does not make clippy warnings fatal; we do.
	if grep -qE '^(warning|error)' <<<"$out"; then
		grep -E -A8 '^(warning|error)' <<<"$out" | grep -v '^warning: [0-9]* warnings* emitted'
		return 1
	fi
}

checkpatch() {
	local cp=("$KTREE/scripts/checkpatch.pl" --no-tree -q --strict
		--ignore FILE_PATH_CHANGES)
	"${cp[@]}" "$REPO"/linux/patches/*.patch
	(cd "$REPO" && "${cp[@]}" -f Kconfig *.rs tests/kunit/*.rs tests/modules/*.rs tests/sim/*.[ch] \
		uapi/linux/*.h)
}

# uapi/linux/sev-guest.h against the tree's include/uapi/linux/sev-guest.h: every size, offset
# and ioctl number (a C file of static assertions, compiled against the installed headers).
uapi() {
	kmake "$GUEST_BUILD" -s headers
	clang -fsyntax-only -Wall -Werror -I"$GUEST_BUILD/usr/include" \
		-DOURS="\"$REPO/uapi/linux/sev-guest.h\"" -DTHEIRS='"linux/sev-guest.h"' \
		"$REPO/tests/uapi/check_sev_guest_h.c"
}

checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=(rustfmtcheck clippy checkpatch uapi)
for c in "${checks[@]}"; do
	case "$c" in
	rustfmtcheck | clippy | checkpatch | uapi) run "$c" "$c" ;;
	*) die "unknown lint $c" ;;
	esac
done
echo "lint: $passed passed, $failed failed"
[ $failed = 0 ]
