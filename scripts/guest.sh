#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boots the guest kernel under QEMU (TCG) with an initramfs holding busybox,
# sevguest.ko and the guest-side script tests/guest/<mode>.sh, streams the
# serial console to a log, and turns the guest's TAP into an exit status.
#
#   guest.sh smoke   TAP checks: load, report, unload, no leak; exit 0 only if all pass
#   guest.sh sim     TAP checks on the simulated SNP platform: snpguest, faults, IV monitor
#   guest.sh demo    the simulated platform: snpguest fetches and verifies a report
#
# GUEST_DRIVER=rust (default) or c picks the driver the sim and demo modes
# load: sevguest.ko or the C sev-guest.ko, on the same simulated platform.
# A guest that hangs is killed after GUEST_TIMEOUT seconds; a panic, oops,
# WARN, KASAN or lockdep report fails the run. Either way the console tail is
# printed. GUEST_APPEND adds to the kernel command line.
source "$(dirname "$0")/lib.sh"
init_cache

mode=${1:-smoke}
script=$REPO/tests/guest/$mode.sh
[ -f "$script" ] || die "no guest script $script"
GUEST_BUILD=$KEY_DIR/build-guest
kernel=$GUEST_BUILD/arch/x86/boot/bzImage
module=$GUEST_BUILD/$DRIVER_SUBDIR/sevguest.ko
[ -f "$kernel" ] && [ -f "$module" ] || die "guest kernel not built: run make kernel"
driver=${GUEST_DRIVER:-rust}
case $driver in
rust | c) ;;
*) die "GUEST_DRIVER must be rust or c, not '$driver'" ;;
esac
GUEST_TIMEOUT=${GUEST_TIMEOUT:-600}
logdir=${GUEST_LOGDIR:-$KEY_DIR/logs}
mkdir -p "$logdir"
log=$logdir/guest-$mode-$driver.log
# The simulated platform's secrets page: reserved on the command line.
SECRETS_GPA=0x7000000

# The initramfs: busybox, the module, the mode's script as /init's payload.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,lib/modules,etc}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
cp "$module" "$root/lib/modules/"
# What sevguest.ko needs loaded first (the guest has insmod, not modprobe).
mkdir -p "$root/lib/modules/deps"
for dep in drivers/virt/coco/tsm.ko; do
	[ -f "$GUEST_BUILD/$dep" ] && cp "$GUEST_BUILD/$dep" "$root/lib/modules/deps/"
done
find "$GUEST_BUILD/$DRIVER_SUBDIR/tests" -name '*.ko' -exec cp {} "$root/lib/modules/" \; 2>/dev/null || true
# The C driver, for runs against it on the same platform.
mkdir -p "$root/lib/modules/c"
c_driver=$GUEST_BUILD/drivers/virt/coco/sev-guest/sev-guest.ko
[ -f "$c_driver" ] && cp "$c_driver" "$root/lib/modules/c/"

# add_binary FILE: into /bin, with the shared libraries it needs.
add_binary() {
	cp "$1" "$root/bin/"
	{ ldd "$1" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
		while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
}
if [ "$mode" != smoke ]; then
	chain=$("$REPO/scripts/simtools.sh" | sed -n 's/^SIM_CHAIN=//p')
	add_binary "$PSPSIM"
	add_binary "$SNPGUEST"
	for tool in "$TOOLS_DIR"/*; do
		add_binary "$tool"
	done
	cp -r "$chain" "$root/etc/sevsim-chain"
fi
cp "$REPO/tests/guest/init" "$root/init"
cp "$script" "$root/test.sh"
cp "$REPO/tests/guest/lib.sh" "$root/lib.sh"
chmod +x "$root/init" "$root/test.sh"
initrd=$logdir/initramfs-$mode.cpio.gz
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd"

qemu_args=(
	-accel tcg -cpu max -smp 2 -m 2048
	-nographic -no-reboot -nodefaults -serial stdio
	-kernel "$kernel" -initrd "$initrd"
	-append "console=ttyS0 rdinit=/init panic=-1 oops=panic panic_on_warn=1 loglevel=7 memmap=4K\$$SECRETS_GPA sevtest_driver=$driver sevtest_secrets=$SECRETS_GPA ${GUEST_APPEND:-}"
)
[ -f /usr/share/qemu/qboot.rom ] && qemu_args+=(-bios qboot.rom)

# show: what the terminal sees while the guest runs (the whole console goes to
# the log). The demo's own lines; for the kselftests a line per case as it
# finishes; for the other modes their TAP lines. Each with the time since boot.
show() {
	local line
	while IFS= read -r line; do
		line=${line%$'\r'}
		case $mode in
		demo)
			[[ $line =~ ^(demo:|sevguest:|sev-guest\ |SEV:\ simulated|not\ ok\ ) ]] || continue
			printf '%s\n' "$line"
			continue
			;;
		selftests)
			[[ $line =~ ^sevtest-progress:\ (.*)$ ]] || continue
			line=${BASH_REMATCH[1]}
			;;
		*) [[ $line =~ ^(ok|not\ ok)\ [0-9]+ ]] || continue ;;
		esac
		printf '[%s %s %4d s] %s\n' "$mode" "$driver" $((SECONDS - start)) "$line"
	done
}

say "booting the guest ($mode, $driver driver), console log: $log"
start=$SECONDS
set +e
timeout --foreground -k 5 "$GUEST_TIMEOUT" qemu-system-x86_64 "${qemu_args[@]}" </dev/null 2>&1 |
	tee "$log" | show
rc=${PIPESTATUS[0]}
set -e
elapsed=$((SECONDS - start))

fail() {
	printf '\nerror: %s\n--- console tail (%s) ---\n' "$1" "$log" >&2
	tail -n 40 "$log" >&2
	exit 1
}

[ $rc = 124 ] || [ $rc = 137 ] && fail "guest did not finish within ${GUEST_TIMEOUT} s"
splat=$(grep -nE 'Kernel panic|BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking|INFO: task .* blocked|unreferenced object' "$log" | head -5 || true)
[ -z "$splat" ] || fail "kernel reported a problem: $splat"
grep -q '^SEVGUEST-DONE' "$log" || fail "guest stopped before its script finished (qemu exit $rc)"
grep -q '^SEVGUEST-DONE rc=0' "$log" || fail "the guest script exited with an error"

passed=$(grep -cE '^ok [0-9]+' "$log" || true)
failed=$(grep -cE '^not ok [0-9]+' "$log" || true)
# The TAP plan must account for every test line (a lost line means a garbled console).
planned=$(tr -d '\r' <"$log" | sed -nE 's/^1\.\.([0-9]+)$/\1/p' | tail -1)
if [ "$planned" != $((passed + failed)) ]; then
	failed=$((failed + 1))
	printf 'error: TAP plan 1..%s, but %s ok and %s not ok lines\n' "${planned:-?}" "$passed" \
		"$((failed - 1))" >&2
fi
[ "$failed" = 0 ] && [ "$passed" -gt 0 ] || {
	echo "guest-$mode-$driver: $passed passed, $failed failed (${elapsed} s)"
	fail "guest $mode checks failed"
}

# The demo's evidence, out of the guest: saved, checked, re-verified here.
if [ "$mode" = demo ]; then
	out=${DEMO_OUT:-$SEVGUEST_CACHE/demo/$(date -u +%Y%m%d-%H%M%S)-$driver}
	mkdir -p "$out"
	python3 "$REPO/scripts/demo-out.py" "$log" "$out" || fail "the demo's files did not arrive intact"
	cp "$chain/platform.txt" "$out/" 2>/dev/null || true
	if "$SNPGUEST" verify attestation "$out/certs" "$out/report.bin" >"$out/verify.txt" 2>&1 &&
		grep -q 'VEK signed the Attestation Report!' "$out/verify.txt"; then
		echo "host:   the same report verified again here, from the saved files: VEK signed the Attestation Report!"
	else
		cat "$out/verify.txt" >&2
		fail "the saved report does not verify on the host"
	fi
	echo "files:  $out (report.bin, request.bin, report.txt = snpguest display report, certs/)"
	echo "        re-verify: snpguest verify attestation $out/certs $out/report.bin"
	echo "verdict: the report verified: VEK signature and REPORT_DATA ($driver driver, simulated SEV-SNP platform)"
fi
echo "guest-$mode-$driver: $passed passed, $failed failed (${elapsed} s)"
