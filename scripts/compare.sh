#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make compare`: the kselftest suite (tests/guest/selftests.sh) on the
# simulated SEV-SNP platform for the C sev-guest driver of 6.12 and for
# sevguest, then Documentation/compare.md: one table line per FAULTS.md case
# with the expected outcome and what each driver did, built from the
# "row: <id> <driver> <case> -> <observed>" lines of the two console logs.
#
# COMPARE_APPEND (default "sevtest_slow=1": H02's 60 s windows included) is
# added to the guest kernel command line, e.g. "sevtest_slow=1 sevtest_full=1"
# for C01 at 16 x 1,000. COMPARE_SKIP_RUN=1 only rebuilds the table from the
# last logs. Exits non-zero if either run failed a check.
source "$(dirname "$0")/lib.sh"
init_cache

logdir=${GUEST_LOGDIR:-$KEY_DIR/logs}
mkdir -p "$logdir"
out=$REPO/Documentation/compare.md
append=${COMPARE_APPEND-sevtest_slow=1}
declare -A summary secs
rc=0
for driver in c rust; do
	if [ "${COMPARE_SKIP_RUN:-0}" != 1 ]; then
		start=$(date +%s)
		set +e
		GUEST_DRIVER=$driver GUEST_TIMEOUT=${GUEST_TIMEOUT:-3000} \
			GUEST_APPEND="$append ${GUEST_APPEND:-}" \
			"$REPO/scripts/guest.sh" selftests 2>&1 | tee "$logdir/compare-$driver.out"
		[ "${PIPESTATUS[0]}" = 0 ] || rc=1
		set -e
		secs[$driver]=$(($(date +%s) - start))
	fi
	summary[$driver]=$(grep -E "^guest-selftests-$driver: " "$logdir/compare-$driver.out" 2>/dev/null |
		tail -1 || echo "guest-selftests-$driver: no result")
	[ -f "$logdir/guest-selftests-$driver.log" ] || die "no console log for $driver"
done

python3 - "$logdir/guest-selftests-c.log" "$logdir/guest-selftests-rust.log" "$out" \
	"${summary[c]}" "${summary[rust]}" "${secs[c]:-?}" "${secs[rust]:-?}" "$append" <<'EOF'
import re, sys, datetime

clog, rlog, out, sum_c, sum_r, t_c, t_r, append = sys.argv[1:9]

# FAULTS.md's expected outcome per row (short form).
EXPECTED = {
    "H01": "success; resends byte-identical; counter +2; key kept",
    "H02": "-ETIMEDOUT; counter +2; wiped; no busy-spinning with a fatal signal pending",
    "H03": "-EIO, vmm_error 1, certs_len = npages*4096; counter +2; key kept",
    "H04": "no wrap, no host-sized allocation; documented errno; counter +2",
    "H05": "-EIO; wiped",
    "H06": "the real error reaches user space; wiped",
    "H07": "-EIO; exitinfo2 unchanged; wiped",
    "H08": "-EIO; wiped",
    "H09": "-EIO; wiped",
    "H10": "-EIO; wiped",
    "R01": "-EBADMSG; wiped", "R02": "-EBADMSG; wiped", "R03": "-EBADMSG; wiped",
    "R04": "-EBADMSG; wiped", "R05": "-EBADMSG; wiped", "R06": "-EBADMSG; wiped",
    "R07": "-EBADMSG; wiped", "R08": "-EBADMSG; wiped",
    "R09": "-EBADMSG; wiped; nothing read past the buffer",
    "R10": "the genuine answer, or -EBADMSG + wiped; never a mix",
    "R11": "PSP error -> -EIO; wiped",
    "R12": "success, the rest zero-filled",
    "R13": "-EBADMSG; wiped (each header field checked, not only the tag)",
    "K01": "last usable seqno works; next -EIO before exposure; key kept",
    "K02": "probe refuses with a clear message",
    "K03": "header carries the id; that key used; privlevel_floor = id",
    "K04": "-ENOTTY; nothing exposed",
    "K05": "same id refused; another works; counter continues",
    "K06": "while exposed, the stored counter is already past the request's and its answer's IVs",
    "K07": "odd counter refused before exposure (probe and per request), clear message; key kept",
    "U01": "-EINVAL; no write-back",
    "U02": "-EINVAL",
    "U03": "-EFAULT; key kept",
    "U04": "-EFAULT; counter consumed; key kept",
    "U05": "-ENOTTY",
    "U06": "-EINVAL / -EFAULT",
    "U07": "passed to the PSP; in-band status 0x16; ioctl succeeds",
    "U08": "no oops, WARN, splat or leak",
    "U09": "works",
    "U10": "others (ioctl, configfs-tsm) served during the stall; nothing of the stalled caller sealed",
    "U11": "killed waiters return promptly; none of theirs reaches the host; no hung-task report",
    "C01": "each caller gets its REPORT_DATA; seqnos strictly +2",
    "C02": "same as C01",
    "C03": "refused or clean; no use-after-free",
    "C04": "no leak; counter continuous",
}
ROW = re.compile(r"^row: (\S+) (\S+) (.*?) -> (.*)$")

def rows(path):
    found = {}
    order = []
    with open(path, errors="replace") as f:
        for line in f:
            m = ROW.match(line.rstrip("\r\n"))
            if not m:
                continue
            rid, _drv, case, obs = m.groups()
            # Fuzzer seeds and timings differ run to run: keep them out of the key.
            key = (rid, re.sub(r"seed=\d+", "seed", case))
            if key not in found:
                order.append(key)
            found[key] = obs
    return found, order

c, corder = rows(clog)
r, rorder = rows(rlog)
order = rorder + [k for k in corder if k not in r]
order.sort(key=lambda k: ("HRKUC".index(k[0][0]) if k[0][0] in "HRKUC" else 9, k[0]))

def cell(s):
    return s.replace("|", "\\|") if s else "(not run)"

def norm(s):
    s = re.sub(r"\d+ ms \([\d.]+ reports/s\)", "", s or "")
    s = re.sub(r"\d+ s$", "", s)
    return re.sub(r"(resends|ok|calls|reached the host|refused|unloads|reloads|nodev)=?\s*\d+", r"\1", s)

lines = [
    "<!-- Generated by scripts/compare.sh (make compare); do not edit. -->",
    "# sevguest vs the C sev-guest driver of 6.12, on the simulated SEV-SNP platform",
    "",
    f"Generated {datetime.date.today()} from the console logs of `tests/guest/selftests.sh` "
    f"(kernel command line extra: `{append or '-'}`), one guest run per driver, "
    "debug kernel (KASAN, lockdep, DEBUG_SG, kmemleak, panic_on_warn).",
    "",
    f"- C 6.12: `{sum_c}` ({t_c} s)",
    f"- sevguest: `{sum_r}` ({t_r} s)",
    "",
    "Each case ran on a fresh key. `exitinfo2=not-written`: the value user space preset "
    "was left alone; `counter`: change of the stored msg_seqno in the secrets page; `key`: "
    "VMPCK bytes in the secrets page zero (wiped) or not; `probe`: the next genuine request "
    "on the same key; `exposed`: requests that reached the host. **bold**: the drivers differ.",
    "",
    "| row | case | expected (FAULTS.md) | C 6.12 | sevguest |",
    "|---|---|---|---|---|",
]
for key in order:
    rid, case = key
    co, ro = c.get(key), r.get(key)
    diff = co is not None and ro is not None and norm(co) != norm(ro)
    b = "**" if diff else ""
    lines.append(f"| {b}{rid}{b} | {cell(case)} | {EXPECTED.get(rid, '')} | {cell(co)} | {cell(ro)} |")
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
print(f"compare: {len(order)} cases -> {out}")
EOF
echo "${summary[c]}"
echo "${summary[rust]}"
exit $rc
