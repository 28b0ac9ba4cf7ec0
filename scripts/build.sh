#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds the guest kernel (base + guest + debug fragments) and its modules,
# sevguest.ko among them, in the cache. Incremental: Kbuild rebuilds only what
# changed; a changed fragment reconfigures the same build folder. Says how
# many objects it rebuilt ("up to date, nothing rebuilt" when none).
#
#   build.sh kernel|module     bzImage + modules (the module is part of it)
#   build.sh clippy            the driver again, through clippy, in build-clippy
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

# rebuilt STAMP DIR: what Kbuild wrote in DIR since STAMP, in a few words.
rebuilt() {
	local objs
	objs=$(find "$2" -newer "$1" \( -name '*.o' -o -name '*.ko' -o -name vmlinux \) -type f | wc -l)
	if [ "$objs" = 0 ]; then
		echo "up to date, nothing rebuilt"
	else
		echo "$objs objects rebuilt"
	fi
}

case "${1:-kernel}" in
kernel | module)
	configure "$GUEST_BUILD" "${GUEST_FRAGMENTS[@]}"
	start=$SECONDS
	stamp=$(mktemp)
	trap 'rm -f "$stamp"' EXIT
	[ -f "$GUEST_BUILD/vmlinux" ] ||
		say "building the guest kernel from nothing (usually 5 minutes on 2 cores, 10 beside other work)"
	kmake "$GUEST_BUILD" bzImage modules
	say "guest kernel $(cat "$GUEST_BUILD/include/config/kernel.release"): $(rebuilt "$stamp" "$GUEST_BUILD") ($((SECONDS - start)) s): $GUEST_BUILD/arch/x86/boot/bzImage, $GUEST_BUILD/$DRIVER_SUBDIR/sevguest.ko"
	;;
clippy)
	# A build folder of its own: CLIPPY=1 changes how every Rust object is
	# built (rust/kernel.o included), so running it in build-guest would leave
	# the next ordinary build recompiling the kernel crate and relinking vmlinux.
	CLIPPY_BUILD=$KEY_DIR/build-clippy
	configure "$CLIPPY_BUILD" "${GUEST_FRAGMENTS[@]}"
	# Force the driver to be compiled again, through clippy.
	rm -f "$CLIPPY_BUILD/$DRIVER_SUBDIR"/*.o
	# The directory target runs `prepare` first, which builds rust/ through clippy too.
	kmake "$CLIPPY_BUILD" CLIPPY=1 KCFLAGS= "$DRIVER_SUBDIR/"
	;;
*) die "usage: $0 kernel|module|clippy" ;;
esac
