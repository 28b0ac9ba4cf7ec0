#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark of `make bench`, for the driver the command line names
# (sevtest_driver=rust|c), on the simulated SEV-SNP platform: module size and
# memory at probe, latency and driver-only cost, throughput with 1/4/16
# callers, throttling, slab growth. Every figure is a line
# "bench: <metric> <value> <iterations> <spread>" (scripts/bench.sh makes the
# table of both drivers' runs); each measurement that ran is a TAP "ok".
# sevbench_quick=1 on the command line shrinks every count (development).
. /lib.sh
echo "TAP version 13"
echo "# driver: $DRIVER_NAME"
cd /tmp
if grep -q sevbench_quick=1 /proc/cmdline; then
	N_REPORT=200 N_KEY=200 N_EXT=50 TPUT_S=2 N_SLAB=1000 N_TRACED=200 N_BUSY=2 FOREVER=0
else
	N_REPORT=2000 N_KEY=2000 N_EXT=300 TPUT_S=6 N_SLAB=10000 N_TRACED=1000 N_BUSY=3 FOREVER=1
fi
# m METRIC VALUE ITERATIONS SPREAD...: one figure from the shell.
m() {
	name=$1 value=$2 iters=$3
	shift 3
	echo "bench: $name $value $iters ${*:--}"
}
# run DESCRIPTION bench ARGS...: a bench run, its output on the console.
run() {
	d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# The platform, logging to nowhere: its log would grow tmpfs (and slab) by
# a line per request. Its stats file still counts BUSY answers.
check "simulated platform up" sim_start --log /dev/null
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null

# Memory at probe: MemFree and Slab around insmod (the module's own pages,
# the probe's allocations), slab caches drained first (best-effort: anything
# else the kernel does meanwhile counts too).
bench mem >/dev/null
sleep 1
set -- $(bench mem)
insmod_ok=0
driver_load && insmod_ok=1
sleep 1
set -- "$@" $(bench mem)
if [ $insmod_ok = 1 ] && [ $# = 8 ]; then
	ok "insmod $DRIVER_KO"
	m probe_memfree_kb $(($1 - $5)) 1 "MemFree drop around insmod: module image + probe"
	m probe_slab_kb $(($6 - $2)) 1 "Slab (meminfo) around insmod"
	m probe_slab_bytes $(($8 - $4)) 1 "slabinfo active objects x size, $(($7 - $3)) objects"
else
	not_ok "insmod $DRIVER_KO"
fi
core=$(cat /sys/module/"$DRIVER_MOD"/coresize 2>/dev/null)
m module_coresize_bytes "${core:-0}" 1 "/sys/module/$DRIVER_MOD/coresize"
m module_initsize_bytes "$(cat /sys/module/"$DRIVER_MOD"/initsize 2>/dev/null || echo 0)" 1 \
	"/sys/module/$DRIVER_MOD/initsize"

run "latency: SNP_GET_REPORT x $N_REPORT" bench latency report $N_REPORT
run "latency: SNP_GET_DERIVED_KEY x $N_KEY" bench latency key $N_KEY
run "latency: SNP_GET_EXT_REPORT (3 certificates) x $N_EXT" bench latency ext $N_EXT
for t in 1 4 16; do
	run "throughput: $t callers, $TPUT_S s" bench throughput $t $TPUT_S
done
run "allocations: $N_TRACED key requests traced; slab: $N_SLAB key requests" \
	bench slab $N_SLAB $N_TRACED
for t in 50 500; do
	run "throttling: BUSY for $t ms, x $N_BUSY" bench busy $t $N_BUSY
done
run "throttling: BUSY for 5000 ms" bench busy 5000 1
echo "# psp-sim: $(cat /tmp/psp.stats)"
if [ $FOREVER = 1 ]; then
	# Last: a host busy for the whole window makes both drivers wipe the key.
	run "throttling: BUSY for the whole retry window" bench busy forever 1
fi
echo "# psp-sim: $(cat /tmp/psp.stats)"
check "the IV-reuse monitor saw no reuse" [ "$(stat_of iv_reuse)" = 0 ]
check "unload the driver and the bridge" sim_stop
echo "1..$n"
