# SPDX-License-Identifier: GPL-2.0
#
# sevguest: the Kbuild part (when the kernel build includes this directory as
# drivers/virt/coco/sevguest/) and the developer entry points otherwise.

ifneq ($(KERNELRELEASE),)

obj-$(CONFIG_SEV_GUEST_RUST) += sevguest.o
obj-$(CONFIG_SEV_GUEST_RUST_TEST_MODULES) += tests/modules/
obj-$(CONFIG_SEV_GUEST_RUST_SIM) += tests/sim/

else

SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help deps tree kernel module kunit selftest simtest pspsim-test demo bench lint compare \
	clippy rustfmtcheck checkpatch export-patches check-series check clean mutants fresh-debian

# DRIVER=c runs simtest and demo against the C sev-guest driver instead.
DRIVER ?= rust

# Every target first checks the user's settings (so a typo fails in well under
# a second), then makes sure the toolchain and the kernel tree are in place
# (both quick when they are).
ARGS = DRIVER=$(DRIVER) scripts/args.sh $@
PREP = $(ARGS) && scripts/deps.sh && scripts/tree.sh

help:
	@echo "make demo        build, boot the simulated SNP guest, fetch and verify a report with snpguest"
	@echo "make check       lint + psp-sim tests + KUnit + guest tests (smoke, simulated platform,"
	@echo "                 fault matrix; both drivers), debug kernel config"
	@echo "make bench       boot the simulated guest with the C driver, then sevguest; latency,"
	@echo "                 throughput, throttling, memory; writes Documentation/bench.md"
	@echo "make compare     the kselftest suite for the C driver and sevguest -> Documentation/compare.md"
	@echo "make mutants     broken variants of the driver, each must fail a test (2-3 h;"
	@echo "                 its kselftest stage rebuilds the guest module: build nothing else)"
	@echo "                 -> Documentation/mutants.md"
	@echo "finer targets:   deps tree kernel module kunit selftest simtest pspsim-test lint clippy"
	@echo "                 rustfmtcheck checkpatch check-series export-patches clean"
	@echo "make fresh-debian  make demo from a clean clone inside a new minimal Debian 12 root"
	@echo "                 file system (mmdebstrap; root; about 30 min): proves the fresh-machine claim"
	@echo "DRIVER=c         demo / simtest against the C sev-guest driver"
	@echo "cache:           $${SEVGUEST_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/sevguest}"
	@echo "                 (SEVGUEST_CACHE=DIR moves it; about 4 GB, 7 with make mutants; make clean deletes this"
	@echo "                 kernel version's part of it: its tree and builds, rebuilt from nothing next time)"

deps:
	@scripts/deps.sh

tree:
	@$(PREP)

kernel module:
	@$(PREP) && scripts/build.sh $@

kunit:
	@$(PREP) && scripts/kunit.sh

selftest:
	@$(PREP) && scripts/build.sh module && scripts/guest.sh smoke

simtest:
	@$(PREP) && scripts/build.sh module && GUEST_DRIVER=$(DRIVER) scripts/guest.sh sim

compare:
	@$(PREP) && scripts/build.sh module && scripts/compare.sh

pspsim-test:
	@$(ARGS) && scripts/pspsim-test.sh

mutants:
	@$(PREP) && scripts/mutants.sh

demo:
	@$(PREP) && scripts/build.sh module && GUEST_DRIVER=$(DRIVER) scripts/guest.sh demo

bench:
	@$(PREP) && scripts/build.sh module && scripts/bench.sh

lint:
	@$(PREP) && scripts/build.sh kernel && scripts/lint.sh

clippy rustfmtcheck checkpatch:
	@$(PREP) && scripts/build.sh kernel && scripts/lint.sh $@

export-patches:
	@$(ARGS) && scripts/export-patches.sh

check-series:
	@$(PREP) && scripts/build.sh kernel && scripts/check-series.sh

check:
	@$(ARGS) && scripts/check.sh

clean:
	@$(ARGS) && scripts/clean.sh

fresh-debian:
	@$(ARGS) && scripts/fresh-debian.sh

endif
