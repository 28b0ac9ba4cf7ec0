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
p=/sys/module/sevguest/parameters/vmpck_id
check "vmpck_id parameter defaults to -1" [ "$(cat $p)" = -1 ]
check "vmpck_id parameter is read-only (0444)" [ "$(stat -c %a $p)" = 444 ]
check "modinfo declares vmpck_id as int" sh -c "tr '\\0' '\\n' <$ko | grep -qx 'parmtype=vmpck_id:int'"
check "not an SEV-SNP guest under plain QEMU" sh -c 'dmesg | grep -q "SEV-SNP guest: no"'
check "platform driver sev-guest is registered" [ -d /sys/bus/platform/drivers/sev-guest ]
check "it cannot be unbound through sysfs (as C)" [ ! -e /sys/bus/platform/drivers/sev-guest/unbind ]
check "no sev-guest device, so no /dev/sev-guest" [ ! -e /dev/sev-guest ]
check "rmmod sevguest" rmmod sevguest
check "sevguest is gone from /proc/modules" sh -c '! grep -q "^sevguest " /proc/modules'
check "unload message" sh -c 'dmesg | grep -q "sevguest: unloaded"'
check "insmod sevguest.ko vmpck_id=2" insmod $ko vmpck_id=2
check "vmpck_id=2 reads back from sysfs" [ "$(cat $p)" = 2 ]
check "the module sees vmpck_id=2" sh -c 'dmesg | grep -q "vmpck_id=2,"'
rmmod sevguest
# module! names with hyphens (the platform bus matches drivers by name).
h=/lib/modules/sevguest-hyphen-test.ko
check "insmod a module named sevguest-hyphen-test" insmod $h level=3
check "it logs under its hyphenated name" \
	sh -c 'dmesg | grep -q "sevguest-hyphen-test: loaded as sevguest-hyphen-test, level=3"'
check "its parameter is under /sys/module/sevguest_hyphen_test" \
	[ "$(cat /sys/module/sevguest_hyphen_test/parameters/level)" = 3 ]
check "rmmod sevguest_hyphen_test" rmmod sevguest_hyphen_test
cycles=0
i=0
while [ $i -lt 10 ]; do
	insmod $ko && rmmod sevguest && cycles=$((cycles + 1))
	i=$((i + 1))
done
check "10 load/unload cycles" [ $cycles = 10 ]
kmemleak_check
echo "1..$n"
