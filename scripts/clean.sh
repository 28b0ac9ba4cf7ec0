#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Removes this kernel version's cache (tree, builds, logs). The next build
# starts from the Debian tarball again.
source "$(dirname "$0")/lib.sh"
init_cache
say "removing $KEY_DIR"
rm -rf "$KEY_DIR"
