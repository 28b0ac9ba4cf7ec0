/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The simulated SEV-SNP platform's device, /dev/sevsim (testing only).
 *
 * The bridge module (sevsim.ko) stands where the hypervisor and the PSP are:
 * every SNP guest request that a guest driver issues through
 * snp_issue_guest_request() is handed to the one process that holds
 * /dev/sevsim open (the PSP model, psp-sim), which answers it.
 *
 *  - read() blocks until a request is pending and returns one
 *    struct sevsim_request (exactly sizeof(struct sevsim_request) bytes).
 *  - write() answers it: struct sevsim_response followed by certs_len bytes
 *    for the guest's certificate pages.  The id must be the request's.
 *  - SEVSIM_IOC_GET_PLATFORM returns the firmware's copy of the four VMPCKs
 *    (the guest's copy lives in its secrets page and is wiped by a driver on
 *    failure; the firmware's never changes) and the secrets page's fields.
 *
 * A request that no model picks up and answers within the bridge's
 * model_timeout_ms (module parameter) fails like a VMGEXIT that never
 * happened: -EIO with exitinfo2 = SEV_RET_NO_FW_CALL.  So does a request
 * in flight when the model closes the device.
 */
#ifndef _UAPI_SEVSIM_H
#define _UAPI_SEVSIM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SEVSIM_MAGIC		0x4d495353	/* "SSIM" little-endian */
#define SEVSIM_VERSION		1
#define SEVSIM_PAGE_SIZE	4096
/* The most certificate bytes a response can carry (the guest gives fewer). */
#define SEVSIM_MAX_CERTS	(16 * SEVSIM_PAGE_SIZE)

/* exit_code values, as in <uapi/asm/svm.h>. */
#define SEVSIM_GUEST_REQUEST		0x80000011ULL
#define SEVSIM_EXT_GUEST_REQUEST	0x80000012ULL

struct sevsim_request {
	__u32 magic;		/* SEVSIM_MAGIC */
	__u32 version;		/* SEVSIM_VERSION */
	__u64 id;		/* echo it in the response */
	__u64 exit_code;	/* SEVSIM_GUEST_REQUEST or SEVSIM_EXT_GUEST_REQUEST */
	__u32 data_npages;	/* EXT: RBX, the guest's certificate pages */
	__u32 reserved;
	__u8 req_page[SEVSIM_PAGE_SIZE];	/* the guest's shared request page */
};

/* What the hypervisor does with the VMGEXIT. */
enum sevsim_action {
	/* The VMGEXIT completes: sw_exit_info_2 = exitinfo2, RBX = rbx. */
	SEVSIM_ACT_COMPLETE = 0,
	/* The VMGEXIT fails: sw_exit_info_1 = 1 (the kernel's ES_VMM_ERROR). */
	SEVSIM_ACT_VMGEXIT_FAIL = 1,
	/* No GHCB could be had: the kernel's -EIO before any VMGEXIT. */
	SEVSIM_ACT_NO_GHCB = 2,
};

/* Response flags. */
#define SEVSIM_F_WRITE_RESP	0x1	/* copy resp_page to the guest's response page */
#define SEVSIM_F_WRITE_CERTS	0x2	/* copy the certs that follow to the guest's pages */
#define SEVSIM_F_SCRIBBLE	0x4	/* keep rewriting the response page after the exit */
#define SEVSIM_F_ALL		(SEVSIM_F_WRITE_RESP | SEVSIM_F_WRITE_CERTS | SEVSIM_F_SCRIBBLE)

struct sevsim_response {
	__u32 magic;		/* SEVSIM_MAGIC */
	__u32 version;		/* SEVSIM_VERSION */
	__u64 id;		/* the request's */
	__u32 action;		/* enum sevsim_action */
	__u32 flags;		/* SEVSIM_F_* */
	__u64 exitinfo2;	/* SW_EXITINFO2: VMM error << 32 | firmware error */
	__u64 rbx;		/* EXT: pages needed, read back on INVALID_LEN */
	__u32 certs_len;	/* bytes that follow resp_page, <= data_npages * 4096 */
	__u32 reserved;
	__u8 resp_page[SEVSIM_PAGE_SIZE];
	/* __u8 certs[certs_len]; */
};

struct sevsim_platform {
	__u8 vmpck[4][32];	/* the firmware's copy of VMPCK0..3 */
	__u32 secrets_version;	/* secrets page version field */
	__u32 fms;		/* secrets page CPUID family/model/stepping */
	__u32 guest_vmpl;	/* the VMPL the guest runs at */
	__u32 msg_seqno;	/* the message count each VMPCK started at */
};

#define SEVSIM_IOC_GET_PLATFORM	_IOR('s', 1, struct sevsim_platform)

#endif /* _UAPI_SEVSIM_H */
