#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boots the guest (same kernel build, same simulated platform)
# with the C sev-guest driver, then with sevguest, each running
# tests/guest/bench.sh; collects the "bench: <metric> <value> <n> <spread>"
# lines of both console logs and writes Documentation/bench.md (printed too):
# C figure, sevguest figure, ratio, iterations, spread, and the goals of
# issue 8 with the measured values. BENCH_QUICK=1 shrinks every count;
# BENCH_TABLE_ONLY=1 only rewrites the table from the last logs.
source "$(dirname "$0")/lib.sh"
init_cache

out=${BENCH_OUT:-$REPO/Documentation/bench.md}
GUEST_BUILD=$KEY_DIR/build-guest
append=${GUEST_APPEND:-}
[ "${BENCH_QUICK:-0}" = 1 ] && append="$append sevbench_quick=1"
logdir=$KEY_DIR/logs
start=$(date +%s)
status=0
for d in c rust; do
	# BENCH_TABLE_ONLY=1: tabulate the last runs' logs again, no boot.
	[ "${BENCH_TABLE_ONLY:-0}" = 1 ] && break
	GUEST_DRIVER=$d GUEST_APPEND="$append" GUEST_TIMEOUT=${GUEST_TIMEOUT:-900} \
		"$REPO/scripts/guest.sh" bench || status=1
done
elapsed=$(($(date +%s) - start))

declare -A val iters spread
for d in c rust; do
	log=$logdir/guest-bench-$d.log
	[ -f "$log" ] || continue
	while read -r _ metric value n rest; do
		val[$d.$metric]=$value
		iters[$d.$metric]=$n
		spread[$d.$metric]=$rest
	done < <(tr -d '\r' <"$log" | grep '^bench: ')
done
# Module sections, from the .ko files on the host.
sizes() { size "$1" 2>/dev/null | awk 'NR == 2 { print $1, $2, $3 }'; }
read -r ct cd cb < <(sizes "$GUEST_BUILD/drivers/virt/coco/sev-guest/sev-guest.ko")
read -r rt rd rb < <(sizes "$GUEST_BUILD/$DRIVER_SUBDIR/sevguest.ko")
val[c.ko_text]=$ct val[c.ko_data]=$cd val[c.ko_bss]=$cb
val[rust.ko_text]=$rt val[rust.ko_data]=$rd val[rust.ko_bss]=$rb

kver=$(cat "$GUEST_BUILD/include/config/kernel.release" 2>/dev/null || echo unknown)

# ratio A B: B/A to 2 decimals, "-" when either is missing or A is 0.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "" || b == "" || a + 0 == 0) { print "-"; exit }
		printf "%.2f", b / a }'
}
fmt() {
	awk -v v="$1" 'BEGIN {
		if (v == "") { print "n/a"; exit }
		if (v == int(v)) printf "%d", v; else printf "%.1f", v }'
}
row() {
	local key=$1 label=$2 c=${val[c.$1]:-} r=${val[rust.$1]:-}
	local n_c=${iters[c.$key]:-} n_r=${iters[rust.$key]:-} n sp
	n=$n_c
	[ "$n_c" = "$n_r" ] || n="${n_c:-–} / ${n_r:-–}"
	sp="${spread[c.$key]:-}"
	if [ -n "$sp" ] && [ "$sp" != - ]; then
		sp="C: $sp; sevguest: ${spread[rust.$key]:-}"
	else
		sp=""
	fi
	printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(fmt "$c")" "$(fmt "$r")" \
		"$(ratio "$c" "$r")" "${n:-1}" "$sp"
}
# goal TEXT CONDITION MEASURED
goal() {
	local verdict=missed
	awk "BEGIN { exit !($2) }" 2>/dev/null && verdict=met
	printf '| %s | %s | %s |\n' "$1" "$3" "$verdict"
}
v() { echo "${val[$1]:-0}"; }

{
	cat <<EOF
<!-- SPDX-License-Identifier: GPL-2.0 -->
# Benchmarks: sevguest against the C sev-guest driver

Written by \`make bench\` (\`scripts/bench.sh\`) on $(date -u '+%Y-%m-%d %H:%M UTC'),
kernel $kver, in $elapsed s.

**Read the ratios, not the absolute figures.** Both drivers ran in the same QEMU **TCG**
guest (2 vCPUs, no KVM), on the same kernel build with the **debug config** (KASAN,
lockdep, kmemleak, DEBUG_OBJECTS-style checks) and the same simulated SNP platform
(the sevsim bridge and the psp-sim PSP model, which signs every report with ECDSA P-384
in software). Absolute times are not hardware times; each ratio (sevguest / C) comes from
one \`make bench\` run, both drivers booted one after the other. Times are in µs unless
the metric says ms. Spread: interquartile range (IQR) and min/max, or as stated.

- *Platform time* is the time the bridge (sevsim, debugfs \`stats\`) spent inside the
  simulated hypervisor + PSP, read before and after **each** request, so *driver-only =
  total − platform* is exact per request; the table gives its median.
- Throughput: T threads, each with its own file descriptor and its own REPORT_DATA
  (checked in every answer), SNP_GET_REPORT in a loop for a fixed time.
- Throttling: the platform's \`busy-ms:T\` plan answers BUSY to every send of the
  message until T ms after it first saw it; \`busy-forever\` answers BUSY always.
  Resends are the bridge's VMGEXITs beyond the first (psp-sim's \`busy=\` count agrees).
- Memory: module sections from \`size\` on the .ko; \`coresize\` from sysfs; at probe,
  MemFree and Slab around insmod with slab caches shrunk (and KASAN's quarantine
  drained) before each reading — best-effort, anything else the kernel does at the
  time counts too. Request-path allocations: kmem tracepoints (kmalloc,
  kmem_cache_alloc, mm_page_alloc) for the caller's process only, over key requests.
  Slab growth: over 10,000 SNP_GET_DERIVED_KEY requests (key requests, not reports:
  a report costs the PSP model an ECDSA signature), after a warm-up, caches shrunk
  before and after.

| metric | C sev-guest | sevguest | ratio sevguest/C | iterations | spread |
|---|---|---|---|---|---|
EOF
	row report_latency_us_median "SNP_GET_REPORT latency, median"
	row report_latency_us_p99 "SNP_GET_REPORT latency, p99"
	row report_platform_us_median "SNP_GET_REPORT platform time, median"
	row report_driver_us_median "SNP_GET_REPORT driver-only cost, median"
	row key_latency_us_median "SNP_GET_DERIVED_KEY latency, median"
	row key_latency_us_p99 "SNP_GET_DERIVED_KEY latency, p99"
	row key_driver_us_median "SNP_GET_DERIVED_KEY driver-only cost, median"
	row ext_latency_us_median "SNP_GET_EXT_REPORT (3 certs) latency, median"
	row ext_latency_us_p99 "SNP_GET_EXT_REPORT (3 certs) latency, p99"
	row ext_driver_us_median "SNP_GET_EXT_REPORT driver-only cost, median"
	for t in 1 4 16; do
		row throughput_${t}_rps "throughput, $t caller(s), requests/s"
		row throughput_${t}_fairness "fairness, $t caller(s): max/min completed per caller"
	done
	for t in 50 500 5000; do
		row busy_${t}_ms_median "BUSY for $t ms: time to success (ms), median"
		row busy_${t}_resends_median "BUSY for $t ms: resends, median"
	done
	row busy_forever_ms_median "BUSY for the whole retry window: time to ETIMEDOUT (ms)"
	row busy_forever_resends_median "BUSY for the whole retry window: resends"
	row ko_text "module .ko text (bytes, size)"
	row ko_data "module .ko data (bytes, size)"
	row ko_bss "module .ko bss (bytes, size)"
	row module_coresize_bytes "module core size loaded (bytes, sysfs coresize)"
	row probe_memfree_kb "memory at insmod+probe: MemFree drop (kB)"
	row probe_slab_kb "memory at insmod+probe: Slab growth (kB, meminfo)"
	row probe_slab_bytes "memory at insmod+probe: slab objects (bytes, slabinfo)"
	row request_path_allocs "kernel allocations on the request path (traced key requests)"
	row slab_growth_kb "Slab growth over the key requests (kB, meminfo)"
	row slab_growth_objects "slab growth over the key requests (active objects, slabinfo)"
	cat <<EOF

## Goals (issue 8)

| goal | measured | |
|---|---|---|
EOF
	goal "driver-only cost ≤ 0.8× C (SNP_GET_REPORT, median)" \
		"$(v rust.report_driver_us_median) <= 0.8 * $(v c.report_driver_us_median)" \
		"$(ratio "$(v c.report_driver_us_median)" "$(v rust.report_driver_us_median)")× ($(fmt "$(v rust.report_driver_us_median)") against $(fmt "$(v c.report_driver_us_median)") µs)"
	goal "driver-only cost ≤ 0.8× C (SNP_GET_DERIVED_KEY, median)" \
		"$(v rust.key_driver_us_median) <= 0.8 * $(v c.key_driver_us_median)" \
		"$(ratio "$(v c.key_driver_us_median)" "$(v rust.key_driver_us_median)")× ($(fmt "$(v rust.key_driver_us_median)") against $(fmt "$(v c.key_driver_us_median)") µs)"
	goal "throughput at 16 callers ≥ C's" \
		"$(v rust.throughput_16_rps) >= $(v c.throughput_16_rps)" \
		"$(fmt "$(v rust.throughput_16_rps)") against $(fmt "$(v c.throughput_16_rps)") requests/s"
	goal "no caller starved at 16 callers" "$(v rust.throughput_16_min_per_caller) > 0" \
		"least-served caller completed $(fmt "$(v rust.throughput_16_min_per_caller)") (C: $(fmt "$(v c.throughput_16_min_per_caller)"))"
	goal "BUSY 50 ms: time to success < 150 ms" "$(v rust.busy_50_ms_median) > 0 && $(v rust.busy_50_ms_median) < 150" \
		"$(fmt "$(v rust.busy_50_ms_median)") ms median (C: $(fmt "$(v c.busy_50_ms_median)") ms)"
	goal "BUSY 500 ms: time to success < 1 s" "$(v rust.busy_500_ms_median) > 0 && $(v rust.busy_500_ms_median) < 1000" \
		"$(fmt "$(v rust.busy_500_ms_median)") ms median (C: $(fmt "$(v c.busy_500_ms_median)") ms)"
	goal "busy for the whole window: resends ≤ 2 × C + 10" \
		"$(v rust.busy_forever_resends_median) > 0 && $(v rust.busy_forever_resends_median) <= 2 * $(v c.busy_forever_resends_median) + 10" \
		"$(fmt "$(v rust.busy_forever_resends_median)") against C's $(fmt "$(v c.busy_forever_resends_median)") (limit $(awk "BEGIN { print 2 * $(v c.busy_forever_resends_median) + 10 }"))"
	goal "zero allocations on the request path" "${val[rust.request_path_allocs]:-1} == 0" \
		"$(fmt "${val[rust.request_path_allocs]:-}") in $(fmt "${iters[rust.request_path_allocs]:-}") key requests (C: $(fmt "${val[c.request_path_allocs]:-}"))"
	goal "zero slab growth over the key requests" "${val[rust.slab_growth_objects]:-1} <= 0 && ${val[rust.slab_growth_kb]:-1} <= 0" \
		"$(fmt "${val[rust.slab_growth_objects]:-}") objects, $(fmt "${val[rust.slab_growth_kb]:-}") kB over $(fmt "${iters[rust.slab_growth_objects]:-}") requests (C: $(fmt "${val[c.slab_growth_objects]:-}") objects, $(fmt "${val[c.slab_growth_kb]:-}") kB)"
} >"$out"
cat "$out"
say "wrote $out (${elapsed} s)"
exit $status
