#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: on the simulated SEV-SNP platform, the real virtee snpguest
# (unmodified, from crates.io) fetches an attestation report and the
# certificate chain through /dev/sev-guest and verifies them. "demo:" lines
# are what the terminal shows; the files are then written to the console
# (base64, with their sizes and SHA-256) for guest.sh to save on the host.
. /lib.sh
say() { echo "demo: $*"; }
# run COMMAND...: show it, keep its output in /tmp/out and its status.
run() {
	echo "demo: \$ $*"
	"$@" >/tmp/out 2>&1
}
# shown PATTERN: the lines of the last command's output that match, indented.
shown() { grep -E "$1" /tmp/out | sed 's/^/demo:   /'; }
say "kernel $(uname -r); driver $DRIVER_NAME; snpguest $(snpguest --version | cut -d' ' -f2)"
check "simulated platform up (bridge sevsim.ko, PSP model psp-sim)" sim_start
check "insmod $DRIVER_KO" driver_load
mkdir -p /tmp/demo/certs
cd /tmp/demo
check "snpguest report (random REPORT_DATA)" run snpguest report report.bin request.bin --random
check "snpguest display report" sh -c 'snpguest display report report.bin >report.txt 2>&1'
check "snpguest certificates" run snpguest certificates pem certs
say "  certificates: $(ls certs | tr '\n' ' ')"
check "snpguest verify certs" run snpguest verify certs certs
shown 'signed'
data=$(od -An -v -tx1 request.bin | tr -d ' \n')
check "snpguest verify attestation, with the report data check" \
	run snpguest verify attestation certs report.bin -r "0x$data"
shown 'Reported TCB|VEK signed|Report Data'
check "verdict: VEK signed the Attestation Report!" grep -q 'VEK signed the Attestation Report!' /tmp/out
check "verdict: Report Data verified successfully." grep -q 'Report Data verified successfully' /tmp/out
say "psp-sim: $(cat /tmp/psp.stats)"
check "the PSP model saw no IV reuse" [ "$(stat_of iv_reuse)" = 0 ]
check "unload" sim_stop
# The evidence, for the host: name, size, SHA-256, then the bytes in base64.
for f in report.bin request.bin report.txt certs/*; do
	echo "demo-file: $f $(wc -c <"$f") $(sha256sum "$f" | cut -d' ' -f1)"
	base64 "$f" | sed 's/^/demo-b64: /'
done
echo "demo-files-end"
echo "1..$n"
