#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: on the simulated SEV-SNP platform, the real virtee snpguest
# (unmodified, from crates.io) fetches an attestation report and the
# certificate chain through /dev/sev-guest and verifies them.
. /lib.sh
say() { echo "demo: $*"; }
# run COMMAND...: show it and its output, keep its status.
run() {
	echo "demo: \$ $*"
	"$@" >/tmp/out 2>&1
	rc=$?
	sed 's/^/demo:   /' /tmp/out
	return $rc
}
say "kernel $(uname -r); driver $DRIVER_NAME; snpguest $(snpguest --version | cut -d' ' -f2)"
check "simulated platform up (bridge sevsim.ko, PSP model psp-sim)" sim_start
check "insmod $DRIVER_KO" driver_load
cd /tmp
check "snpguest report (random REPORT_DATA)" run snpguest report report.bin request.bin --random
check "snpguest display report" run snpguest display report report.bin
check "snpguest certificates" run snpguest certificates pem certs
run ls -l certs
check "snpguest verify certs" run snpguest verify certs certs
data=$(od -An -v -tx1 request.bin | tr -d ' \n')
check "snpguest verify attestation, with the report data check" \
	run snpguest verify attestation certs report.bin -r "0x$data"
check "verdict: VEK signed the Attestation Report!" grep -q 'VEK signed the Attestation Report!' /tmp/out
check "verdict: Report Data verified successfully." grep -q 'Report Data verified successfully' /tmp/out
say "psp-sim: $(cat /tmp/psp.stats)"
check "the PSP model saw no IV reuse" [ "$(stat_of iv_reuse)" = 0 ]
check "unload" sim_stop
echo "1..$n"
