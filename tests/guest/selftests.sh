#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kselftest suite (tests/selftests/*.c, kselftest_harness.h) on the
# simulated SEV-SNP platform, for the driver the command line names
# (sevtest_driver=rust|c). Each program starts and stops the platform
# itself (sevsim.ko, psp-sim, the driver) and prints its own TAP; the
# harness's "ok N" / "not ok N" lines are what guest.sh counts (a SKIP is
# an "ok ... # SKIP" line). FAULTS.md rows print "row: <id> <driver> ..."
# lines for scripts/compare.sh. A kmemleak scan ends the run.
#
# Kernel command line knobs (GUEST_APPEND): sevtest_slow=1 (H02: the 60 s
# retry window, twice), sevtest_full=1 (C01 at 16 x 1,000), sevtest_seed=N
# and sevtest_iters=N (the U08 fuzzer), sevtest_only=PROGRAM[,PROGRAM] and
# sevtest_args=ARG[,ARG] (harness options, e.g. -t,H07_firmware_error) to run less;
# sevtest_c03_tsm=1 also races configfs-tsm reports against rmmod for the C driver
# (a use-after-free in C 6.12: the guest panics under KASAN); sevtest_h07=<hex> is
# H07's random firmware error (scripts/compare.sh draws one for both drivers).
. /lib.sh
cd /tmp
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
export SEVTEST_DRIVER="$DRIVER"
export SEVTEST_SLOW="$(arg sevtest_slow)"
export SEVTEST_FULL="$(arg sevtest_full)"
[ -n "$(arg sevtest_seed)" ] && export SEVTEST_SEED="$(arg sevtest_seed)"
[ -n "$(arg sevtest_iters)" ] && export SEVTEST_ITERS="$(arg sevtest_iters)"
[ -n "$(arg sevtest_c03_tsm)" ] && export SEVTEST_C03_TSM="$(arg sevtest_c03_tsm)"
[ -n "$(arg sevtest_h07)" ] && export SEVTEST_H07="$(arg sevtest_h07)"
only=$(arg sevtest_only)
args=$(arg sevtest_args | tr , " ")
echo "# driver: $DRIVER_NAME, slow=${SEVTEST_SLOW:-0} full=${SEVTEST_FULL:-0}"
# follow_progress PID FILE PROG: while PID runs (and once after), a
# "sevtest-progress:" line per new result line of the harness in FILE. The
# words PASS, FAIL and SKIP stand for ok / not ok, so that a progress line a
# kernel message splits cannot leave a fragment that reads as TAP.
follow_progress() {
	# (Names of their own: the caller's $total must survive this.)
	fp_sent=0
	while :; do
		fp_alive=0
		kill -0 "$1" 2>/dev/null && fp_alive=1
		grep -E '^(not )?ok [0-9]+ ' "$2" >/tmp/progress.now
		fp_now=$(wc -l </tmp/progress.now)
		if [ "$fp_now" -gt "$fp_sent" ]; then
			sed -n "$((fp_sent + 1)),${fp_now}p" /tmp/progress.now | sed -E \
				-e 's/^ok [0-9]+ (.*) # SKIP(.*)$/SKIP \1\2/' -e 's/^ok [0-9]+ /PASS /' \
				-e 's/^not ok [0-9]+ /FAIL /' -e "s/^/sevtest-progress: $3: /"
			fp_sent=$fp_now
		fi
		[ $fp_alive = 1 ] || break
		sleep 2
	done
}

# guest.sh wants one plan for every TAP line: the programs' lines are
# counted here and the last line is "1..<all of them>".
total=0
for prog in sevguest_test sevguest_conc sevguest_fuzz; do
	case ",${only:-$prog}," in
	*",$prog,"*) ;;
	*) continue ;;
	esac
	if [ ! -x "/bin/$prog" ]; then
		echo "not ok 1 $prog: not in the guest"
		total=$((total + 1))
		continue
	fi
	start=$(date +%s)
	# The TAP is printed once the program is done: kernel messages written
	# to the console while a line is still draining would split it (and a
	# split "ok N" would not be counted). Meanwhile follow_progress gives
	# guest.sh a line per finished case for the terminal.
	# shellcheck disable=SC2086
	"/bin/$prog" $args >"/tmp/$prog.out" 2>&1 &
	follow_progress $! "/tmp/$prog.out" "$prog"
	wait $!
	rc=$?
	cat "/tmp/$prog.out"
	# The program's own plan (a test it lost still counts), else its lines.
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "/tmp/$prog.out" | tail -1)
	[ -n "$plan" ] || plan=$(grep -cE '^(ok|not ok) [0-9]+' "/tmp/$prog.out")
	total=$((total + plan))
	echo "# $prog: exit $rc, $(($(date +%s) - start)) s"
done
n=0
kmemleak_check "after the suite"
echo "1..$((total + n))"
