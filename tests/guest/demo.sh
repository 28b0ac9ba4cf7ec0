#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: load the driver and show what it reports.
. /lib.sh
ko=/lib/modules/sevguest.ko
info() { tr '\0' '\n' <$ko | sed -n "s/^$1=//p" | head -1; }
echo "demo: kernel $(uname -r)"
echo "demo: module: $(info description), license $(info license), alias $(info alias)"
echo "demo: parameter: $(info parm)"
check "insmod sevguest.ko" insmod $ko
dmesg | grep 'sevguest:' | sed 's/^/demo: dmesg: /'
echo "demo: /proc/modules: $(grep '^sevguest ' /proc/modules)"
check "platform driver sev-guest registered" [ -d /sys/bus/platform/drivers/sev-guest ]
if [ -e /dev/sev-guest ]; then
	echo "demo: /dev/sev-guest exists (an SEV-SNP guest)"
else
	echo "demo: no /dev/sev-guest: this QEMU guest is not an SEV-SNP guest, so the arch code"
	echo "demo: created no sev-guest platform device and the driver did not probe. The simulated"
	echo "demo: SNP platform (next step) provides one; the request path is tested by KUnit."
fi
check "rmmod sevguest" rmmod sevguest
echo "1..$n"
