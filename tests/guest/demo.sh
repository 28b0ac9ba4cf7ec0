#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# `make demo`: load the driver and show what it reports.
. /lib.sh
ko=/lib/modules/sevguest.ko
echo "demo: kernel $(uname -r)"
echo "demo: modinfo: $(modinfo -F description $ko 2>/dev/null || echo '?'), license $(modinfo -F license $ko 2>/dev/null || echo '?')"
check "insmod sevguest.ko" insmod $ko
dmesg | grep 'sevguest:' | sed 's/^/demo: dmesg: /'
echo "demo: /proc/modules: $(grep '^sevguest ' /proc/modules)"
check "rmmod sevguest" rmmod sevguest
echo "demo: on real SEV-SNP hardware this guest would now have /dev/sev-guest; the driver"
echo "demo: core (probe, ioctls) and the simulated SNP platform are the next steps."
echo "1..$n"
