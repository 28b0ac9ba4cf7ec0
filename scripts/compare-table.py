#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Documentation/compare.md from the console logs of `make compare`.

scripts/compare.sh runs the kselftest suite (tests/guest/selftests.sh) once
for the C sev-guest driver of 6.12 and once for sevguest, then calls this
with the folder of the logs:

    compare-table.py --logdir DIR --out FILE

It reads DIR/guest-selftests-{c,rust}.log (the guest consoles, whose
"row: <id> <driver> <case> -> <observed>" lines are the table) and, for the
wall time of each run, DIR/compare-{c,rust}.out (what compare.sh printed
while it ran that guest). Every case where the two drivers' cells differ is
classified by the rules below (CLASSES, NOISE); a difference no rule
explains prints as "unclassified".
"""
import argparse
import datetime
import os
import re
import sys
from collections import Counter, namedtuple

# FAULTS.md's expected outcome per row (short form).
EXPECTED = {
    "H00": "success; counter +2; key kept; no answer changed (the control)",
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
    "R14": "configfs-tsm: -EINVAL / -ENOMEM, never an empty or overlong outblob; key kept",
    "K01": "last usable seqno works; next -EIO before exposure; key kept",
    "K02": "probe refuses with a clear message",
    "K03": "header carries the id; that key used; privlevel_floor = id",
    "K04": "-ENOTTY; nothing exposed",
    "K05": "same id refused; another works; counter continues",
    "K06": "while exposed, the stored counter is already past the request's and its answer's IVs",
    "K07": "odd counter refused before exposure (probe and per request), clear message; key kept",
    "K08": "a sev-guest device without SNP: probe refused, no device",
    "U01": "-EINVAL; no write-back",
    "U02": "-EINVAL",
    "U03": "-EFAULT (read-only argument: the write-back failed); key kept",
    "U04": "-EFAULT; counter consumed; key kept",
    "U05": "-ENOTTY",
    "U06": "-EINVAL / -EFAULT",
    "U07": "passed to the PSP; in-band status 0x16; ioctl succeeds",
    "U08": "no oops, WARN, splat or leak",
    "U09": "works",
    "U10": "others (ioctl, configfs-tsm) served during the stall; nothing of the stalled caller sealed",
    "U11": "killed waiters return promptly; none of theirs reaches the host; no hung-task report",
    "U12": "SVSM attestation asked for at VMPL0: never a plain report",
    "U13": "each slab allocation failed in turn: -ENOMEM or success, nothing cut short; key kept",
    "C01": "each caller gets its REPORT_DATA; seqnos strictly +2",
    "C02": "same as C01",
    "C03": "refused or clean; no use-after-free",
    "C04": "no leak; counter continuous",
}

C_WEAKNESS, OUR_CHOICE, OUR_GAP, NOISE_CLASS, UNCLASSIFIED = (
    "C weakness", "our choice", "sevguest gap", "noise", "unclassified")

# A difference that is not noise. It applies to a case when its row id is
# `row`, `case` (a regex, None: any) is found in the case, and `c` and
# `rust` (regexes, None: any) are found in the two drivers' cells: a rule
# names the behaviour it excuses, so a different difference in the same row
# (a regression on either side) falls through to "unclassified".
Rule = namedtuple("Rule", "row case cls c rust reason")
CLASSES = [
    Rule("H02", r"^busy-forever\+SIGKILL$", C_WEAKNESS,
         r"resends=\d{4,} ", r"resends=\d{1,3} ",
         "with a fatal signal pending C 6.12 resends without pausing (thousands in the "
         "60 s window); sevguest keeps backing off"),
    Rule("H04", r"^invalid-len:", C_WEAKNESS,
         r"certs_len=0 ", r"certs_len=4294963200 ",
         "C shifts the host's page count into a 32-bit certs_len, which wraps to 0 (W3); "
         "sevguest saturates at 0xfffff000"),
    Rule("H05", None, C_WEAKNESS,
         r"key=kept-desync", r"key=wiped probe=ENOTTY",
         "C keeps a key whose counter is now ahead of the firmware's: every later request "
         "fails (W2); sevguest wipes it"),
    Rule("H06", None, C_WEAKNESS,
         r"exitinfo2=0x100000000 .*key=kept-desync", r"key=wiped probe=ENOTTY",
         "C reports INVALID_LEN instead of the re-issue's real error and keeps a "
         "desynchronised key (W2)"),
    Rule("H09", None, C_WEAKNESS,
         r"^ret=\+\d", r"^ret=EIO ",
         "C returns the positive ES_VMM_ERROR from the ioctl: success to user space, "
         "with no data"),
    Rule("R13", None, C_WEAKNESS,
         r"^ret=0 .*key=kept", r"^ret=EBADMSG .*key=wiped",
         "C takes an authentically sealed answer with a wrong header field as genuine "
         "(it checks msg_type, msg_version, msg_sz against its buffer, msg_seqno only)"),
    Rule("K01", r"^stored=0xfffffffd$", C_WEAKNESS,
         r"^1 usable", r"^0 usable, then ret=EIO exitinfo2=0xff exposed=0 .*key=kept",
         "C seals a request on an odd stored counter, the IV space of the PSP's answers "
         "(K07); sevguest refuses it before exposure"),
    Rule("K06", None, C_WEAKNESS,
         r"while exposed \S+ \(\+0\)", r"while exposed \S+ \(\+2\)",
         "C stores the counter only after the answer: a kexec or crash while the host "
         "holds the request leaves a counter whose IVs are in use"),
    Rule("K07", r"-at-probe$", C_WEAKNESS,
         r"device=present request=0 exposed=1", r"device=absent request=- exposed=0",
         "C probes with an odd counter and sends on it"),
    Rule("K07", r"-per-request$", C_WEAKNESS,
         r"exposed=1 .*iv_reuse=[1-9]", r"exposed=0 .*key=kept iv_reuse=0",
         "C sends on an odd counter: its request takes the IV of the answer just "
         "received (the IV-reuse monitor fires)"),
    Rule("U06", r"certs_address=unmapped", C_WEAKNESS,
         r"counter=\+2", r"exitinfo2=0xff counter=\+0",
         "C seals and exposes the request before it finds the certificate buffer "
         "unmapped (access_ok() only); sevguest checks the buffer first"),
    Rule("U10", None, C_WEAKNESS,
         r"served during the stall: 0 of ", r"served during the stall: (\d+) of \1 callers",
         "C holds its mutex across the copy from or to user memory: one stalled caller "
         "blocks every other"),
    Rule("U11", None, C_WEAKNESS,
         r"answered by the PSP: (?:[2-9]|\d\d+) ", r"answered by the PSP: 1 \(the holder's: 1\)",
         "C's killed waiters stay queued on the mutex and their requests still reach "
         "the PSP"),
    Rule("C03", r"^configfs-racing-rmmod$", C_WEAKNESS,
         r"^not run: C 6\.12 use-after-free", r"^run:",
         "C frees its certificate buffer under an in-flight configfs-tsm report (KASAN "
         "use-after-free): for C that race runs only with sevtest_c03_tsm=1"),
    Rule("R14", r"^report_size=0$", C_WEAKNESS,
         r"^configfs=0 outblob=0 ", r"^configfs=EINVAL outblob=0 ",
         "C hands out an empty outblob when the firmware's answer says its report is "
         "0 bytes long"),
    Rule("R14", r"^report_size=0xfa0$", C_WEAKNESS,
         r"^configfs=0 outblob=4000 ", r"^configfs=ENOMEM outblob=0 ",
         "C hands out 4000 bytes (the report and what follows it in its buffer) when the "
         "firmware's answer claims a 4000-byte report"),
    Rule("R14", r"^report_size=0xffffffe1$", C_WEAKNESS,
         r"^not run: ", r"^configfs=ENOMEM outblob=0 ",
         "C's 32-bit bound check wraps and it asks kvzalloc for 4 GiB (a WARN, which "
         "panics these guests): run against sevguest only"),
    Rule("K08", None, OUR_CHOICE,
         r"^load=ENODEV bound=no device=absent", r"^load=0 bound=no device=absent",
         "as K02: the module loads where probe refuses the device"),
    Rule("U12", None, OUR_GAP,
         r"^attribute=absent outblob=- ", r"^attribute=written outblob=EINVAL \(0 bytes\)",
         "sevguest shows the SVSM attributes at VMPL0 (C hides them) until it implements "
         "SVSM attestation, and refuses such a report there"),
    Rule("U13", r"^(report|key|ext) ", C_WEAKNESS,
         r"^allocation-sites=[1-9]\d* enomem=\d+ wipes=[1-9]",
         r"^allocation-sites=0 enomem=0 wipes=0$",
         "C allocates on every request, and when the allocation it makes to open the "
         "answer fails it wipes the key (attestation lost until reboot); sevguest's "
         "ioctls allocate nothing"),
    Rule("U13", r"^configfs ", C_WEAKNESS,
         r"^allocation-sites=\d+ enomem=\d+ wipes=[1-9]", r"^allocation-sites=\d+ enomem=\d+ wipes=0$",
         "as for the ioctls: one of C's allocations on this path wipes the key when it "
         "fails; sevguest's fail with -ENOMEM and keep it"),
    Rule("H02", r"^busy-forever$", OUR_CHOICE,
         r"^ret=ETIMEDOUT .*exposed=\d+ ", r"^ret=ETIMEDOUT .*exposed=\d+ ",
         "the back-off: sevguest doubles its wait from 10 ms to 1.5 s (about 45 resends in the "
         "60 s window), C 6.12 waits a fixed time (about 30); both time out and wipe"),
    Rule("K02", None, OUR_CHOICE,
         r"^load=ENODEV device=absent", r"^load=0 device=absent",
         "sevguest is an ordinary platform driver: the module loads, probe refuses the "
         "zero key, no device (C's module_platform_driver_probe() fails the insmod)"),
    Rule("K05", None, OUR_CHOICE,
         r"^same-id=ENODEV other-id=ok counter-continues=yes",
         r"^same-id=0 other-id=ok counter-continues=yes",
         "as K02: the module loads where probe refuses the wiped key"),
]

# Values that differ between any two runs. For a case of `row` whose case
# matches `case`, each regex in `fields` is blanked in both cells (each
# alternative of an all-or-nothing outcome is replaced by one token): if the
# cells are then equal, and neither run flagged the case (MISMATCH), the
# difference is noise. Whatever a test asserts is left in place.
Noise = namedtuple("Noise", "row case fields reason")
NOISE = [
    Noise("R10", None,
          (r"ret=0 exitinfo2=not-written counter=\+2 key=kept probe=0",
           r"ret=EBADMSG exitinfo2=not-written counter=\+2 key=wiped probe=ENOTTY"),
          "either outcome is all or nothing; which one a run gets depends on timing"),
    Noise("U08", None, (r"\d+ reached the host", r"\d+ keys wiped", r"\d+ s$"),
          "random ioctls from a per-run seed: how many reach the host or wipe a key, and "
          "the time, vary (the number of calls must match)"),
    Noise("C01", None, (r"\d+ ms \([\d.]+ reports/s\)",), "wall-clock time under TCG"),
    Noise("C03", r"^rmmod", (r"\b(?:unloads|reloads|refused|unloaded|ok|nodev)=\d+",),
          "how often an rmmod wins the race and how many requests run meanwhile vary; "
          "other= and errors= must match"),
    Noise("C04", None, (r"\d+ ms$",), "wall-clock time under TCG"),
]

ROW = re.compile(r"^row: (\S+) (\S+) (.*?) -> (.*)$")
# The parts of the guest command line every run has (guest.sh); the rest is
# what the run was asked for.
FIXED_ARGS = ("console=", "rdinit=", "panic=", "oops=", "panic_on_warn=", "loglevel=",
              "memmap=", "sevtest_driver=", "sevtest_secrets=")


def read_rows(path):
    """{(id, case): [observations, first seen first]}, keys in log order."""
    found = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = ROW.match(line.rstrip("\r\n"))
            if not m:
                continue
            rid, _drv, case, obs = m.groups()
            # Fuzzer seeds differ run to run: keep them out of the key.
            key = (rid, re.sub(r"seed=\d+", "seed", case))
            found.setdefault(key, [])
            if obs not in found[key]:
                found[key].append(obs)
    return found


def run_info(logdir, driver):
    """What the header says about one driver's run."""
    log = os.path.join(logdir, f"guest-selftests-{driver}.log")
    out = os.path.join(logdir, f"compare-{driver}.out")
    passed = failed = 0
    planned = None
    extra = []
    prog_secs = []
    with open(log, errors="replace") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if re.match(r"^ok \d+", line):
                passed += 1
            elif re.match(r"^not ok \d+", line):
                failed += 1
            elif re.match(r"^1\.\.\d+$", line):
                planned = int(line[3:])
            elif line.startswith("Command line: ") and not extra:
                extra = [a for a in line.split()[2:] if not a.startswith(FIXED_ARGS)]
            m = re.match(r"^# (\S+): exit (-?\d+), (\d+) s$", line)
            if m:
                prog_secs.append(int(m.group(3)))
    # guest.sh's rule: the last plan must account for every line.
    if planned != passed + failed:
        failed += 1
    mtime = os.path.getmtime(log)
    # compare.sh's own record of this run: its wall time, if the .out file
    # was written by the run that wrote this log (it ends just after it).
    wall = None
    if os.path.exists(out) and 0 <= os.path.getmtime(out) - mtime < 120:
        with open(out, errors="replace") as f:
            for line in f:
                m = re.search(r"guest selftests \(\w+ driver\): .*\((\d+) s\)$", line.rstrip())
                if m:
                    wall = int(m.group(1))
    if wall is not None:
        secs = f"{wall} s"
    elif prog_secs:
        secs = f"{sum(prog_secs)} s in the test programs"
    else:
        secs = "time unknown"
    return {
        "summary": f"guest-selftests-{driver}: {passed} passed, {failed} failed",
        "secs": secs,
        "when": datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "extra": " ".join(extra),
    }


def cell(obs):
    return " / ".join(o.replace("|", "\\|") for o in obs) if obs else "(not run)"


def matches(rule, rid, case):
    return rule.row == rid and (rule.case is None or re.search(rule.case, case))


def blank(fields, obs):
    for f in fields:
        obs = re.sub(f, "#", obs)
    return obs


def classify(rid, case, co, ro):
    """(class, rule) for one case; class "" when the cells are equal."""
    if co == ro:
        return "", None
    if not co or not ro:
        return UNCLASSIFIED, None
    if any("MISMATCH" in o for o in co + ro):
        return UNCLASSIFIED, None
    for n in NOISE:
        if matches(n, rid, case):
            if {blank(n.fields, o) for o in co} == {blank(n.fields, o) for o in ro}:
                return NOISE_CLASS, n
    for r in CLASSES:
        if (matches(r, rid, case)
                and all(r.c is None or re.search(r.c, o) for o in co)
                and all(r.rust is None or re.search(r.rust, o) for o in ro)):
            return r.cls, r
    return UNCLASSIFIED, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--logdir", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    info = {d: run_info(args.logdir, d) for d in ("c", "rust")}
    c = read_rows(os.path.join(args.logdir, "guest-selftests-c.log"))
    r = read_rows(os.path.join(args.logdir, "guest-selftests-rust.log"))
    order = list(r) + [k for k in c if k not in r]
    order.sort(key=lambda k: ("HRKUC".index(k[0][0]) if k[0][0] in "HRKUC" else 9, k[0]))

    extra = info["c"]["extra"], info["rust"]["extra"]
    if extra[0] == extra[1]:
        cmdline = f"kernel command line extra: `{extra[0] or '-'}`"
    else:
        cmdline = (f"**the two runs differ** in their kernel command line extra: C "
                   f"`{extra[0] or '-'}`, sevguest `{extra[1] or '-'}`")
    lines = [
        "<!-- Generated by scripts/compare.sh (make compare); do not edit. -->",
        "# sevguest vs the C sev-guest driver of 6.12, on the simulated SEV-SNP platform",
        "",
        f"Generated {datetime.date.today()} from the console logs of `tests/guest/selftests.sh` "
        f"({cmdline}), one guest run per driver, "
        "debug kernel (KASAN, lockdep, DEBUG_SG, kmemleak, panic_on_warn).",
        "",
    ]
    for d, name in (("c", "C 6.12"), ("rust", "sevguest")):
        i = info[d]
        lines.append(f"- {name}: `{i['summary']}` ({i['secs']}; run of {i['when']})")
    lines += [
        "",
        "Each case ran on a fresh key. `exitinfo2=not-written`: the value user space preset "
        "was left alone; `counter`: change of the stored msg_seqno in the secrets page; `key`: "
        "VMPCK bytes in the secrets page zero (wiped) or not; `probe`: the next genuine request "
        "on the same key; `exposed`: requests that reached the host. `difference`: empty when "
        "the cells are equal, else **C weakness** (C 6.12 is wrong or unsafe by the expected "
        "column; these rows are bold), our choice (a deliberate design difference, not a bug), "
        "sevguest gap (sevguest is behind C: a known missing feature), noise (values that differ between any two runs, both within expectations), or "
        "unclassified (no rule in `scripts/compare-table.py` explains it: look at it).",
        "",
        "| row | case | expected (FAULTS.md) | C 6.12 | sevguest | difference |",
        "|---|---|---|---|---|---|",
    ]
    counts = Counter()
    used = {}
    unclassified = []
    for key in order:
        rid, case = key
        co, ro = c.get(key, []), r.get(key, [])
        cls, rule = classify(rid, case, co, ro)
        counts[cls] += 1
        if rule is not None:
            used.setdefault(rule, []).append(case)
        if cls == UNCLASSIFIED:
            unclassified.append(f"{rid} {case}")
        b = "**" if cls == C_WEAKNESS else ""
        lines.append(f"| {b}{rid}{b} | {case.replace('|', chr(92) + '|')} | "
                     f"{EXPECTED.get(rid, '')} | {cell(co)} | {cell(ro)} | {cls} |")
    summary = (f"{len(order)} cases, {counts['']} equal, {counts[C_WEAKNESS]} C weakness, "
               f"{counts[OUR_CHOICE]} our choice, {counts[OUR_GAP]} sevguest gap, "
               f"{counts[NOISE_CLASS]} noise, "
               f"{counts[UNCLASSIFIED]} unclassified")
    lines += ["", summary, ""]
    if used:
        lines += ["The rules that classified a difference here (`scripts/compare-table.py`):", ""]
        for rule, cases in used.items():
            cls = rule.cls if isinstance(rule, Rule) else NOISE_CLASS
            lines.append(f"- {rule.row} ({len(cases)} case{'s' if len(cases) > 1 else ''}), "
                         f"{cls}: {rule.reason}.")
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"compare: {summary} -> {args.out}")
    if unclassified:
        print(f"compare: unclassified: {'; '.join(unclassified)}", file=sys.stderr)


if __name__ == "__main__":
    main()
