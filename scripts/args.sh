#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The make targets' first step: the user's settings checked before any work
# (no package, tree or build step runs on a typo), each error naming the
# variable the user set.
#
#   args.sh [TARGET]   DRIVER is checked for the targets that take it
source "$(dirname "$0")/lib.sh"

case "${1:-}" in
demo | simtest)
	case "${DRIVER:-rust}" in
	rust | c) ;;
	*) die "DRIVER must be rust (sevguest) or c (the C sev-guest driver), not '$DRIVER': make ${1} DRIVER=c" ;;
	esac
	;;
esac
case "${JOBS:-1}" in
'' | *[!0-9]* | 0) die "JOBS must be a number of parallel build jobs (1 or more), not '$JOBS'" ;;
esac
cache_writable
