#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make mutants: builds deliberately broken variants of the driver (scripts/mutants.py lists
# them) and shows that each one fails a test. Each mutant is written into a copy of the
# kernel tree of its own (the developer's tree and build folders are not touched, so other
# targets can run meanwhile), its KUnit kernel is rebuilt incrementally and run. A mutant
# KUnit lets live is then built as the guest module in the main tree and run against the
# kselftests on the simulated platform (nothing else may build meanwhile;
# MUTANTS_SELFTESTS_STAGE=0 leaves this stage out). Survivors listed in
# tests/mutants/equivalent.txt (with the reason) count as equivalent. Writes Documentation/mutants.md, whose last line is
#   mutants: N generated, N killed, N equivalent, N survived
#
# MUTANTS_ONLY=m001,m017 runs just those (the other results are kept); MUTANTS_TABLE_ONLY=1
# rewrites the table from the last results; MUTANTS_SELFTESTS sets the guest's command line
# for the kselftest stage (default "sevtest_only=sevguest_test,sevguest_conc"); MUTANTS_KUNIT=0
# goes straight to the kselftest stage, for mutants an earlier run's KUnit stage let live.
source "$(dirname "$0")/lib.sh"
init_cache

work=$KEY_DIR/mutants
mkdir -p "$work"
results=$work/results.jsonl
out=${MUTANTS_OUT:-$REPO/Documentation/mutants.md}
mtree=$work/src
mbuild=$work/build-kunit
tree=$mtree/$DRIVER_SUBDIR
orig=$work/orig
start=$(date +%s)

python3 "$REPO/scripts/mutants.py" "$REPO" >"$work/list.jsonl"
total=$(wc -l <"$work/list.jsonl")

# The driver's files as they were when the run started: the checkout may change meanwhile.
sync_driver() {
	rsync -rc --delete \
		--include='/Kconfig' --include='/Makefile' --include='/*.rs' \
		--include='/uapi/***' --include='/tests/' --include='/tests/kunit/***' \
		--include='/tests/modules/***' \
		--include='/tests/sim/' --include='/tests/sim/Makefile' --include='/tests/sim/*.[ch]' \
		--exclude='*' "$1/" "$2/"
}

# Puts the unmodified driver back. -c without -t: a file that differs gets a new mtime, so
# Kbuild rebuilds it (restoring the old mtime would leave the mutant's object in place).
restore() {
	sync_driver "$orig" "$1"
}

# kunit_once LOG GLOB [KERNEL_ARG]: one kunit.py run of the mutant tree's KUnit kernel.
kunit_once() {
	local extra=()
	[ -z "${3:-}" ] || extra=(--kernel_args "$3")
	(cd "$mtree" && timeout 1200 python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
		--build_dir="$mbuild" --make_options LLVM=1 --jobs="$JOBS" --timeout=600 \
		--kunitconfig "$REPO/linux/configs/base.config" \
		--kunitconfig "$REPO/linux/configs/kunit.config" \
		--kunitconfig "$REPO/linux/configs/debug.config" "${extra[@]}" "$2") </dev/null >"$1" 2>&1
}

# kunit_verdict LOG RC: 0 when the run passed; prints what failed on stdout otherwise.
kunit_verdict() {
	if ! grep -q 'Testing complete' "$1" && grep -qE '^(ERROR:root:)?error(\[E[0-9]+\])?:' "$1"; then
		echo "rustc"
		return 1
	fi
	[ "$2" = 0 ] && return 0
	local failed
	failed=$(sed -nE 's/.*\[(FAILED|CRASHED)\] ([a-z0-9_]+)$/\2/p' "$1" |
		grep -v '^sevguest_[a-z]*$' | sort -u | head -4 | paste -sd' ')
	grep -q 'Testing complete' "$1" || failed="${failed:+$failed }(kernel crashed or hung)"
	echo "KUnit: ${failed:-failed}"
	return 1
}

# kunit_run NAME: 0 when the KUnit suites pass; prints what failed on stdout otherwise. Every
# suite first with the hostile-host enumeration at a small bound (most mutants die there),
# then, for a mutant that lives, the enumeration again at its default bound.
kunit_run() {
	local log=$work/$1.kunit.log rc
	kunit_once "$log" 'sevguest*' sevguest_explore=2,1
	rc=$?
	kunit_verdict "$log" $rc || return 1
	kunit_once "$log.explore" 'sevguest_explore*'
	rc=$?
	kunit_verdict "$log.explore" $rc
}

# selftests_run NAME: the kselftest programs against the mutant, as the guest module built
# in the main tree (restored afterwards).
selftests_run() {
	local log=$work/$1.selftests.log
	sync_driver "$mtree/$DRIVER_SUBDIR" "$KTREE/$DRIVER_SUBDIR"
	if ! "$REPO/scripts/build.sh" module </dev/null >"$log" 2>&1; then
		echo "rustc (guest build)"
		return 1
	fi
	if GUEST_DRIVER=rust \
		GUEST_APPEND="${MUTANTS_SELFTESTS:-sevtest_only=sevguest_test,sevguest_conc}" \
		"$REPO/scripts/guest.sh" selftests </dev/null >>"$log" 2>&1; then
		return 0
	fi
	local failed
	failed=$(tr -d '\r' <"$KEY_DIR/logs/guest-selftests-rust.log" |
		sed -nE 's/^not ok [0-9]+ ([A-Za-z0-9_.]+).*/\1/p' | sort -u | head -4 | paste -sd' ')
	echo "kselftest: ${failed:-guest run failed}"
	return 1
}

if [ "${MUTANTS_TABLE_ONLY:-0}" != 1 ]; then
	"$REPO/scripts/tree.sh"
	if [ "$(cat "$work/.series" 2>/dev/null)" != "$SERIES_HASH" ] || [ ! -d "$mbuild" ]; then
		say "copying the kernel tree and its KUnit build to $work (once per series)"
		rm -f "$work/.series"
		rsync -a --delete "$KTREE/" "$mtree/"
		rsync -a --delete "$KEY_DIR/build-kunit/" "$mbuild/"
		echo "$SERIES_HASH" >"$work/.series"
	fi
	rm -rf "$orig"
	mkdir -p "$orig"
	sync_driver "$REPO" "$orig"
	restore "$tree"
	# The copied build's dependency files name the original tree: build once from this one.
	touch "$tree"/*.rs
	trap 'restore "$tree"; [ "${MUTANTS_SELFTESTS_STAGE:-1}" != 1 ] || { restore "$KTREE/$DRIVER_SUBDIR"; "$REPO/scripts/build.sh" module >/dev/null 2>&1; }' EXIT
	kunit=${MUTANTS_KUNIT:-1}
	[ "$kunit" = 1 ] || [ "${MUTANTS_SELFTESTS_STAGE:-1}" = 1 ] ||
		die "MUTANTS_KUNIT=0 runs the kselftest stage only: MUTANTS_SELFTESTS_STAGE=0 leaves nothing"
	[ "$kunit" = 0 ] || say "baseline: KUnit on the unmodified driver ($total mutants to run after it)"
	if [ "$kunit" = 1 ] && ! why=$(kunit_run baseline); then
		die "the unmodified driver fails KUnit ($why): $work/baseline.kunit.log"
	fi
	# A partial run (MUTANTS_ONLY) replaces those mutants' results and keeps the others'.
	prev=$work/results.prev.jsonl
	if [ -n "${MUTANTS_ONLY:-}" ] && [ -f "$results" ]; then
		jq -c --arg only ",$MUTANTS_ONLY," 'select(.id as $id | ($only | contains("," + $id + ",")) | not)' \
			"$results" >"$prev"
	else
		: >"$prev"
	fi
	: >"$results"
	while read -r line; do
		id=$(jq -r .id <<<"$line")
		case ",${MUTANTS_ONLY:-$id}," in *",$id,"*) ;; *) continue ;; esac
		t0=$(date +%s)
		restore "$tree"
		python3 - "$tree" "$line" <<-'EOF'
			import json, sys
			tree, m = sys.argv[1], json.loads(sys.argv[2])
			path = f"{tree}/{m['file']}"
			text = open(path).read()
			if m["op"] == "manual":
			    for old, new in m.get("edits", [[m["old"], m["new"]]]):
			        assert text.count(old) == 1, (m["id"], old)
			        text = text.replace(old, new)
			else:
			    lines = text.split("\n")
			    assert lines[m["line"] - 1] == m["old"], (m["id"], lines[m["line"] - 1])
			    lines[m["line"] - 1] = m["new"]
			    text = "\n".join(lines)
			open(path, "w").write(text)
		EOF
		if [ "$kunit" = 0 ] || by=$(kunit_run "$id"); then
			by=""
			if [ "${MUTANTS_SELFTESTS_STAGE:-1}" = 1 ] && ! by=$(selftests_run "$id"); then
				:
			else
				by=""
			fi
		fi
		verdict=killed
		[ -n "$by" ] || verdict=survived
		jq -c --arg v "$verdict" --arg by "$by" --argjson s $(($(date +%s) - t0)) \
			'. + {verdict: $v, by: $by, seconds: $s}' <<<"$line" >>"$results"
		printf '%s %-9s %s:%s %s -- %s (%s s)\n' "$id" "$verdict" "$(jq -r .file <<<"$line")" \
			"$(jq -r .line <<<"$line")" "$(jq -r .desc <<<"$line")" "${by:-no test failed}" \
			"$(($(date +%s) - t0))" >&2
	done <"$work/list.jsonl"
	# Back in list order, the kept results with the new ones.
	jq -sc 'sort_by(.id) | .[]' "$prev" "$results" >"$work/results.merged.jsonl"
	mv "$work/results.merged.jsonl" "$results"
fi

python3 "$REPO/scripts/mutants-table.py" "$results" "$REPO/tests/mutants/equivalent.txt" \
	"$(($(date +%s) - start))" "$total" >"$out"
tail -n 1 "$out"
grep -q ' 0 survived$' "$out"
