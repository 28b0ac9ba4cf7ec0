#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# System tests on the simulated SEV-SNP platform, for the driver the command
# line names (sevtest_driver=rust|c): the real snpguest client end to end,
# sevreq for exact errno / exitinfo2 / status checks, a fault selected by
# REPORT_DATA, key wipe and reload, configfs-tsm reports, an open file
# pinning the module, a model that goes away, a host without certificates,
# and the PSP model's IV-reuse monitor. TAP on the console.
. /lib.sh
echo "TAP version 13"
echo "# driver: $DRIVER_NAME"
cd /tmp
# expect DESCRIPTION PATTERN COMMAND...: the command's one-line output matches PATTERN.
expect() {
	d=$1 pat=$2
	shift 2
	out=$("$@" 2>&1)
	echo "# $out"
	if echo "$out" | grep -qE "$pat"; then ok "$d"; else not_ok "$d"; fi
}

check "simulated platform up" sim_start
check "the sev-guest platform device exists" [ -d /sys/devices/platform/sev-guest ]
check "insmod $DRIVER_KO" driver_load

# A report, exactly.
head -c 64 /dev/urandom >data.bin
expect "SNP_GET_REPORT: status 0, 1184-byte report, our REPORT_DATA, VMPL 0" \
	'^ret=0 exitinfo2=0x0000000000000000 status=0x0 report_size=1184 vmpl=0 data=ok body=set$' \
	sevreq report -d data.bin
expect "SNP_GET_REPORT at VMPL 1 (snpguest's default)" 'ret=0 .* status=0x0 .* vmpl=1 data=ok' \
	sevreq report -d data.bin -v 1
expect "msg_version 0: EINVAL, nothing written back" '^ret=EINVAL exitinfo2=0x0000000000000000' \
	sevreq report -d data.bin -m 0
expect "VMPL 5: in-band status 0x16, the ioctl succeeds (as C)" '^ret=0 .* status=0x16 report_size=0' \
	sevreq report -v 5

# Extended reports: the host has certificates.
expect "SNP_GET_EXT_REPORT without room: EIO, vmm_error 1, certs_len = pages needed" \
	'^ret=EIO exitinfo2=0x0000000100000000 .* certs_len=(4096|8192|12288|16384)$' \
	sevreq ext -d data.bin -c 0
expect "SNP_GET_EXT_REPORT with 16 KiB: the report and the table" \
	'^ret=0 exitinfo2=0x0000000000000000 status=0x0 report_size=1184 vmpl=0 data=ok body=set certs_len=16384$' \
	sevreq ext -d data.bin -c 16384

# Derived keys.
expect "SNP_GET_DERIVED_KEY: status 0" '^ret=0 exitinfo2=0x0+ status=0x0 key=' sevreq key
k1=$(sevreq key -g 0x3f | sed 's/.*key=//')
k2=$(sevreq key -g 0x3f | sed 's/.*key=//')
k3=$(sevreq key -g 0x1 | sed 's/.*key=//')
check "the same fields derive the same key" sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' _ "$k1" "$k2"
check "other fields derive another key" [ "$k1" != "$k3" ]
expect "key for VMPL 7: in-band status 0x16" '^ret=0 .* status=0x16 ' sevreq key -v 7

# The real client, unmodified.
check "snpguest report --random" snpguest report report.bin request.bin --random
check "snpguest display report" sh -c 'snpguest display report report.bin >display.txt'
check "the report is version 3, signed by the VCEK" \
	sh -c 'grep -qE "^Version: +3$" display.txt && grep -qE "signing key: +vcek" display.txt'
check "snpguest certificates pem" snpguest certificates pem certs
check "ARK, ASK and VCEK written" sh -c '[ -s certs/ark.pem ] && [ -s certs/ask.pem ] && [ -s certs/vcek.pem ]'
check "snpguest verify certs" sh -c 'snpguest verify certs certs | grep -q "The AMD ARK was self-signed"'
data=$(od -An -v -tx1 request.bin | tr -d ' \n')
snpguest verify attestation certs report.bin -r "0x$data" >verify.txt 2>&1
cat verify.txt | sed 's/^/# /'
check "snpguest verify attestation: VEK signed the report" grep -q 'VEK signed the Attestation Report!' verify.txt
check "snpguest verify attestation: report data verified" grep -q 'Report Data verified successfully' verify.txt
check "snpguest key (VCEK root, VMPL 0)" snpguest key key.bin vcek -v 0
check "snpguest key writes 32 bytes" [ "$(wc -c <key.bin)" = 32 ]
check "snpguest key -l 0 (message version 2)" snpguest key key2.bin vcek -v 0 -l 0

# A fault the unmodified client selects through REPORT_DATA.
psp-sim fault-data busy:2 --raw >busy.bin
check "BUSY twice, then the answer: snpguest report succeeds (H01)" snpguest report r-busy.bin busy.bin
psp-sim fault-data fw-error:27 --raw >fwerr.bin
check "firmware error 0x27: snpguest report fails (H07)" sh -c '! snpguest report r-err.bin fwerr.bin'
expect "the key is wiped: ENOTTY, nothing exposed (K04)" '^ret=ENOTTY' sevreq report -d data.bin
before=$(stat_of requests)
sevreq report -d data.bin >/dev/null
check "nothing reached the host after the wipe" [ "$(stat_of requests)" = "$before" ]
rmmod "$DRIVER_MOD"
check "reload with vmpck_id=1" driver_load vmpck_id=1
expect "VMPCK1 works after VMPCK0 was wiped (K05)" '^ret=0 .* data=ok' sevreq report -d data.bin

# configfs-tsm: the sev_guest provider.
r=/sys/kernel/config/tsm/report/sim
check "configfs-tsm: mkdir a report" mkdir $r
check "configfs-tsm: provider is sev_guest" [ "$(cat $r/provider)" = sev_guest ]
check "configfs-tsm: privlevel_floor is the VMPCK in use (1)" [ "$(cat $r/privlevel_floor)" = 1 ]
head -c 63 data.bin >$r/inblob
check "configfs-tsm: a 63-byte inblob: no report (EINVAL)" \
	sh -c "cat $r/outblob 2>&1 >/dev/null | grep -q 'Invalid argument'"
check "configfs-tsm: 64-byte inblob accepted" sh -c "cat data.bin >$r/inblob"
check "configfs-tsm: cat outblob" sh -c "cat $r/outblob >outblob.bin"
check "configfs-tsm: outblob is the raw 1184-byte report" [ "$(wc -c <outblob.bin)" = 1184 ]
check "configfs-tsm: outblob carries the inblob as REPORT_DATA" \
	sh -c "dd if=outblob.bin bs=1 skip=80 count=64 2>/dev/null | cmp -s - data.bin"
check "configfs-tsm: outblob is a version 3 report" \
	[ "$(od -An -tu4 -N4 outblob.bin | tr -d ' ')" = 3 ]
check "configfs-tsm: cat auxblob" sh -c "cat $r/auxblob >auxblob.bin"
# The table starts with the ARK's GUID c0b406a4-a803-4952-9743-3fb6014cd0ae.
check "configfs-tsm: auxblob is the certificate table (ARK entry first)" \
	[ "$(od -An -tx1 -N16 auxblob.bin | tr -d ' \n')" = c0b406a4a803495297433fb6014cd0ae ]
aux=$(wc -c <auxblob.bin)
echo "# auxblob: $aux bytes"
check "configfs-tsm: auxblob trimmed to its content (not the 16 KiB buffer)" \
	[ "$aux" -gt 3000 ] && [ "$aux" -lt 16384 ]
check "configfs-tsm: privlevel 2 accepted" sh -c "echo 2 >$r/privlevel"
check "configfs-tsm: a new report at VMPL 2" sh -c "cat $r/outblob >outblob2.bin"
check "configfs-tsm: its VMPL field is 2" [ "$(od -An -tu4 -j48 -N4 outblob2.bin | tr -d ' ')" = 2 ]
check "configfs-tsm: privlevel 4 refused" sh -c "! echo 4 >$r/privlevel"
check "configfs-tsm: rmdir" rmdir $r

# Teardown with users (C03): an open file pins the module.
exec 3</dev/sev-guest
check "rmmod with /dev/sev-guest open is refused" sh -c "! rmmod $DRIVER_MOD 2>/dev/null"
exec 3<&-

# The model goes away: requests fail as "no firmware call".
kill "$PSP_PID"
wait "$PSP_PID" 2>/dev/null
expect "no PSP model: EIO, exitinfo2 = SEV_RET_NO_FW_CALL" \
	'^ret=EIO exitinfo2=0xffffffffffffffff' sevreq report -d data.bin
echo "# psp-sim: $(cat /tmp/psp.stats)"
check "the PSP model answered requests" [ "$(stat_of requests)" -gt 20 ]
check "the IV-reuse monitor saw no reuse" [ "$(stat_of iv_reuse)" = 0 ]
check "psp-sim logged no IV reuse" sh -c '! grep -q "IV REUSE" /tmp/psp.err'
check "unload the driver and the bridge" sim_stop

# A host without certificates (what most KVM hosts give).
check "platform up without certificates" sim_start --no-certs
check "insmod $DRIVER_KO" driver_load
expect "no certificates: SNP_GET_EXT_REPORT with certs_len 0 succeeds" \
	'^ret=0 exitinfo2=0x0000000000000000 status=0x0 report_size=1184 vmpl=0 data=ok body=set certs_len=0$' \
	sevreq ext -d data.bin -c 0
expect "no certificates: SNP_GET_EXT_REPORT with 16 KiB succeeds" \
	'^ret=0 exitinfo2=0x0000000000000000 status=0x0 report_size=1184 vmpl=0 data=ok body=set certs_len=16384$' \
	sevreq ext -d data.bin -c 16384
check "no certificates: snpguest certificates says the host loaded none" \
	sh -c 'snpguest certificates pem nocerts 2>&1 | grep -q "No certificates were loaded by the host"'
r=/sys/kernel/config/tsm/report/nocerts
mkdir $r
cat data.bin >$r/inblob
check "no certificates: configfs-tsm outblob is the report" [ "$(cat $r/outblob | wc -c)" = 1184 ]
check "no certificates: configfs-tsm auxblob is empty" [ "$(cat $r/auxblob | wc -c)" = 0 ]
rmdir $r
echo "# psp-sim: $(cat /tmp/psp.stats)"
check "no certificates: no IV reuse" [ "$(stat_of iv_reuse)" = 0 ]
check "no certificates: unload" sim_stop

# K01: the end of the sequence counter (the secrets page's counters start at 0xFFFFFFFC).
SEVSIM_ARGS=msg_seqno=0xfffffffc
check "platform with the counters at 0xFFFFFFFC" sim_start
SEVSIM_ARGS=
check "insmod $DRIVER_KO" driver_load
expect "K01: the last usable sequence number (0xFFFFFFFD) works" '^ret=0 .* data=ok ' \
	sevreq report -d data.bin
check "K01: the stored counter is now 0xFFFFFFFE" [ "$(secrets_u32 0xa0)" = fffffffe ]
before=$(stat_of requests)
expect "K01: the next request fails before exposure: EIO" '^ret=EIO exitinfo2=0x00000000000000ff' \
	sevreq report -d data.bin
check "K01: nothing reached the host" [ "$(stat_of requests)" = "$before" ]
check "K01: the key is kept in the secrets page" not vmpck_zero 0
check "K01: the counter did not move" [ "$(secrets_u32 0xa0)" = fffffffe ]
check "K01: unload" sim_stop
echo "1..$n"
