# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the guest scripts (sourced inside the guest).
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
# not COMMAND...: succeeds when the command (or shell function) fails.
not() { ! "$@"; }
# check DESCRIPTION COMMAND...: one TAP line from a command's exit status.
check() {
	d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# kmemleak_check [WHEN]: one TAP line, no unreferenced object now. kmemleak reports
# objects older than 5 s only, and a second scan confirms what the first found.
kmemleak_check() {
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak)
	[ "$leaks" = 0 ] || cat /sys/kernel/debug/kmemleak
	check "kmemleak finds no leak${1:+ $1} ($leaks)" [ "$leaks" = 0 ]
}

# The simulated SNP platform (guest.sh sim and demo modes).
DRIVER=$(sed -n 's/.*sevtest_driver=\([a-z]*\).*/\1/p' /proc/cmdline)
SECRETS_GPA=$(sed -n 's/.*sevtest_secrets=\(0x[0-9a-f]*\).*/\1/p' /proc/cmdline)
CHAIN=/etc/sevsim-chain
if [ "$DRIVER" = c ]; then
	DRIVER_KO=/lib/modules/c/sev-guest.ko
	DRIVER_MOD=sev_guest
	DRIVER_NAME="sev-guest (C)"
else
	DRIVER_KO=/lib/modules/sevguest.ko
	DRIVER_MOD=sevguest
	DRIVER_NAME="sevguest (Rust)"
fi

# sim_start [psp-sim serve options]: the bridge and the PSP model, no driver yet.
sim_start() {
	# SEVSIM_ARGS: more bridge parameters (msg_seqno=N, model_timeout_ms=N, ...).
	insmod /lib/modules/sevsim.ko secrets_gpa="$SECRETS_GPA" ${SEVSIM_ARGS:-} || return 1
	psp-sim serve --chain "$CHAIN" --stats /tmp/psp.stats --log /tmp/psp.log "$@" \
		2>>/tmp/psp.err &
	PSP_PID=$!
	# The model holds /dev/sevsim once it has read the platform's keys.
	i=0
	while [ $i -lt 100 ] && ! grep -q 'requests=' /tmp/psp.stats 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q 'requests=' /tmp/psp.stats
}

# sim_stop: the driver (if loaded), the model and the bridge.
sim_stop() {
	grep -q "^$DRIVER_MOD " /proc/modules && rmmod "$DRIVER_MOD"
	kill "$PSP_PID" 2>/dev/null
	wait "$PSP_PID" 2>/dev/null
	rm -f /tmp/psp.stats
	rmmod sevsim
}

# driver_load [module parameters]
driver_load() {
	insmod "$DRIVER_KO" "$@" && [ -c /dev/sev-guest ]
}

# secrets_u32 OFFSET: a 32-bit field of the secrets page as it is now (hex, 8 digits).
secrets_u32() {
	od -An -tx4 -j"$(($1))" -N4 /sys/kernel/debug/sevsim/secrets | tr -d ' '
}

# vmpck_zero ID: whether VMPCK<ID> in the secrets page is all zeros (wiped).
vmpck_zero() {
	[ -z "$(od -An -v -tx1 -j$((0x20 + 32 * $1)) -N32 /sys/kernel/debug/sevsim/secrets |
		tr -d ' \n' | tr -d 0)" ]
}

# stat_of KEY: a counter from the PSP model's stats line.
stat_of() {
	tr ' ' '\n' </tmp/psp.stats | sed -n "s/^$1=//p"
}
