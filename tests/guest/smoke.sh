#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest smoke test: the module loads, reports its wire format, unloads, and
# survives load/unload cycles without a leak. TAP on the console.
. /lib.sh
ko=/lib/modules/sevguest.ko
echo "TAP version 13"
check "insmod sevguest.ko" insmod $ko
check "sevguest is in /proc/modules" grep -q '^sevguest ' /proc/modules
check "load message gives the wire format" \
	sh -c 'dmesg | grep -q "sevguest: loaded: guest message 4096 bytes (header 96, payload 4000), AAD 0x30..0x60"'
check "not an SEV-SNP guest under plain QEMU" sh -c 'dmesg | grep -q "SEV-SNP guest: no"'
check "rmmod sevguest" rmmod sevguest
check "sevguest is gone from /proc/modules" sh -c '! grep -q "^sevguest " /proc/modules'
check "unload message" sh -c 'dmesg | grep -q "sevguest: unloaded"'
cycles=0
i=0
while [ $i -lt 10 ]; do
	insmod $ko && rmmod sevguest && cycles=$((cycles + 1))
	i=$((i + 1))
done
check "10 load/unload cycles" [ $cycles = 10 ]
# kmemleak reports objects older than 5 s only.
sleep 6
echo scan >/sys/kernel/debug/kmemleak
echo scan >/sys/kernel/debug/kmemleak
leaks=$(grep -c 'unreferenced object' /sys/kernel/debug/kmemleak)
[ "$leaks" = 0 ] || cat /sys/kernel/debug/kmemleak
check "kmemleak finds no leak ($leaks)" [ "$leaks" = 0 ]
echo "1..$n"
