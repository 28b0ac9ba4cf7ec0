#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make fresh-debian`: the README's fresh-machine claim, checked. Builds a
# minimal Debian 12 root file system with mmdebstrap (the apt variant plus git
# and make, which the README says a user needs), clones this checkout's HEAD
# into it and runs `make demo` there, as root in a chroot, with an empty cache
# and no rustup: everything else must come from scripts/deps.sh. Prints the
# time each part took and the disk the result uses. Not part of `make check`.
#
# FRESH_ROOT=DIR puts the root file system elsewhere (default: in the cache);
# FRESH_KEEP=1 keeps it afterwards for a look inside.
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "make fresh-debian needs root (mmdebstrap, mount, chroot)"
root=${FRESH_ROOT:-$SEVGUEST_CACHE/fresh-debian}
case "$root" in
/ | "") die "FRESH_ROOT must be a folder of its own, not '$root'" ;;
esac
if ! command -v mmdebstrap >/dev/null; then
	long "installing mmdebstrap" "under a minute" \
		sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >/dev/null'
fi

mounts=(proc sys dev/pts dev tmp)
cleanup() {
	local m
	for m in "${mounts[@]}"; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	# Never delete through a mount that is still there (the host's /dev).
	if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
		printf 'error: still mounted under %s: not deleting it\n' "$root" >&2
		return 1
	fi
	[ -n "${FRESH_KEEP:-}" ] || rm -rf "$root"
}
trap cleanup EXIT
cleanup
start=$SECONDS

# Debian 12 as this machine's APT sources name it: the release, its updates
# (linux-source-6.12 and rustc-web come from there) and security.
mirror=http://deb.debian.org/debian
long "mmdebstrap: a minimal Debian 12 (apt variant, + git, make) in $root" "1-2 minutes" \
	mmdebstrap --quiet --variant=apt --include=git,make,ca-certificates bookworm "$root" \
	"deb $mirror bookworm main" "deb $mirror bookworm-updates main" \
	"deb $mirror-security bookworm-security main"
t_root=$((SECONDS - start))
base_kb=$(du -sk "$root" | cut -f1)

git clone -q --no-local "$REPO" "$root/root/sevguest"
# What the machine itself knows about its network, as a fresh install on it would:
# the resolver and any local CA certificates (a network that inspects TLS, as this
# workbench's does, re-signs crates.io with one).
cp /etc/resolv.conf "$root/etc/resolv.conf"
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
	cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
	chroot "$root" update-ca-certificates >/dev/null
fi
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount -t devpts devpts "$root/dev/pts"
mount -t tmpfs tmp "$root/tmp"

say "make demo in the fresh root file system (a clean clone of $(git -C "$REPO" log -1 --format=%h))"
t0=$SECONDS
set +e
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb LANG=C.UTF-8 \
	bash -c 'cd /root/sevguest && make demo' 2>&1 | sed -u 's/^/fresh: /'
rc=${PIPESTATUS[0]}
set -e
t_demo=$((SECONDS - t0))

kb() { du -skx "$1" 2>/dev/null | tail -1 | cut -f1 || true; }
gb() { awk -v k="$1" 'BEGIN { printf "%.1f GB", k / 1048576 }'; }
all_kb=$(kb "$root")
cache_kb=$(kb "$root/root/.cache/sevguest")
cargo_kb=$(kb "$root/root/.cargo")
say "fresh-debian: root file system ${t_root} s ($(gb "$base_kb")), make demo ${t_demo} s, exit $rc"
say "fresh-debian: disk used $(gb "$all_kb") in all: packages and system $(gb $((all_kb - cache_kb - cargo_kb))), cache $(gb "$cache_kb"), ~/.cargo $(gb "$cargo_kb")"
echo "fresh-debian: $([ $rc = 0 ] && echo 1 || echo 0) passed, $([ $rc = 0 ] && echo 0 || echo 1) failed ($((SECONDS - start)) s)"
exit $rc
