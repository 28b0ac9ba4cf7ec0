#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""`make demo`'s evidence: the files tests/guest/demo.sh wrote to the console
(base64, with size and SHA-256) saved into a folder on the host, each checked
against its size and digest, and the fields of the attestation report a user
looks at first, read from report.bin itself (layout: SEV-SNP firmware ABI,
ATTESTATION_REPORT).

    demo-out.py CONSOLE_LOG OUT_DIR
"""
import base64
import hashlib
import os
import struct
import sys


def files(log):
    """(name, size, sha256, bytes) for each demo-file block of the log."""
    cur = None
    for raw in open(log, errors="replace"):
        line = raw.rstrip("\r\n")
        if line.startswith("demo-file: "):
            if cur:
                yield cur
            name, size, digest = line[len("demo-file: "):].split()
            cur = [name, int(size), digest, []]
        elif line.startswith("demo-b64: ") and cur:
            cur[3].append(line[len("demo-b64: "):])
        elif line == "demo-files-end" and cur:
            yield cur
            cur = None
    if cur:
        yield cur


def report_fields(rep):
    """What `snpguest display report` leads with, from the raw report."""
    version, guest_svn, policy = struct.unpack_from("<IIQ", rep, 0x00)
    vmpl, sig_algo = struct.unpack_from("<II", rep, 0x30)
    tcb = struct.unpack_from("<8B", rep, 0x180)
    return [
        ("version", str(version)),
        ("VMPL", str(vmpl)),
        ("guest SVN", str(guest_svn)),
        ("policy", f"{policy:#x}"),
        ("REPORT_DATA", rep[0x50:0x90].hex()),
        ("measurement", rep[0x90:0xC0].hex()),
        ("reported TCB", f"boot loader {tcb[0]}, TEE {tcb[1]}, SNP {tcb[6]}, microcode {tcb[7]}"),
        ("chip ID", rep[0x1A0:0x1E0].hex()[:32] + "..."),
        ("signature algorithm", "ECDSA P-384 with SHA-384" if sig_algo == 1 else str(sig_algo)),
    ]


def main():
    log, out = sys.argv[1], sys.argv[2]
    bad = 0
    saved = []
    for name, size, digest, lines in files(log):
        data = base64.b64decode("".join(lines))
        path = os.path.join(out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            print(f"error: {name}: {len(data)} bytes, want {size}; the console garbled it",
                  file=sys.stderr)
            bad += 1
        saved.append(name)
    if "report.bin" not in saved:
        print("error: the guest wrote no report.bin to the console", file=sys.stderr)
        sys.exit(1)
    with open(os.path.join(out, "report.bin"), "rb") as f:
        rep = f.read()
    for key, val in report_fields(rep):
        print(f"report: {key + ':':21} {val}")
    print(f"saved: {', '.join(saved)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
