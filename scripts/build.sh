#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the guest kernel (base + guest + debug fragments) and its modules,
# sevguest.ko among them, in the cache. Incremental: Kbuild rebuilds only what
# changed; a changed fragment reconfigures the same build folder.
#
#   build.sh kernel|module     bzImage + modules (the module is part of it)
#   build.sh clippy            the driver again, through clippy
source "$(dirname "$0")/lib.sh"
init_cache

GUEST_FRAGMENTS=(base.config guest.config debug.config)
GUEST_BUILD=$KEY_DIR/build-guest

# configure BUILD_DIR FRAGMENT...: allnoconfig plus the fragments, then check
# that every option asked for is in the result (a dependency we missed would
# otherwise drop an option silently).
configure() {
	local out=$1 want
	shift
	want=$(config_hash "$@")
	[ "$(cat "$out/.sevguest-config" 2>/dev/null)" = "$want" ] && return 0
	say "configuring $(basename "$out") from ${*}"
	mkdir -p "$out"
	(cd "$REPO/linux/configs" && cat "$@") >"$out/fragments.config"
	kmake "$out" -s KCONFIG_ALLCONFIG="$out/fragments.config" allnoconfig
	local bad=0 line opt val got
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		opt=${line%%=*} val=${line#*=}
		got=$(grep -E "^$opt=" "$out/.config" | cut -d= -f2- || true)
		if [ "$got" != "$val" ]; then
			printf 'error: %s=%s requested, .config has %s\n' "$opt" "$val" "${got:-unset}" >&2
			bad=1
		fi
	done <"$out/fragments.config"
	[ $bad = 0 ] || die "config fragments do not hold in $(basename "$out") (missing dependencies?)"
	echo "$want" >"$out/.sevguest-config"
}

case "${1:-kernel}" in
kernel | module)
	configure "$GUEST_BUILD" "${GUEST_FRAGMENTS[@]}"
	start=$(date +%s)
	kmake "$GUEST_BUILD" bzImage modules
	say "built $(cat "$GUEST_BUILD/include/config/kernel.release") in $(($(date +%s) - start)) s: $GUEST_BUILD/arch/x86/boot/bzImage, $GUEST_BUILD/$DRIVER_SUBDIR/sevguest.ko"
	;;
clippy)
	configure "$GUEST_BUILD" "${GUEST_FRAGMENTS[@]}"
	# Force the driver to be compiled again, through clippy.
	rm -f "$GUEST_BUILD/$DRIVER_SUBDIR"/*.o
	kmake "$GUEST_BUILD" CLIPPY=1 KCFLAGS= "$DRIVER_SUBDIR/"
	;;
*) die "usage: $0 kernel|module|clippy" ;;
esac
