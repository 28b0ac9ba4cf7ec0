/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * /dev/sev-guest: the ioctl ABI of the AMD SEV-SNP guest driver.
 *
 * Layout-identical to the kernel's header of the same name (checked at
 * build time by tests/uapi/check_sev_guest_h.c), so that programs built
 * against either work with either driver.
 */
#ifndef __UAPI_LINUX_SEV_GUEST_H_
#define __UAPI_LINUX_SEV_GUEST_H_

#include <linux/types.h>

#define SNP_REPORT_USER_DATA_SIZE 64

/* MSG_REPORT_REQ payload, passed to the firmware as is. */
struct snp_report_req {
	__u8 user_data[SNP_REPORT_USER_DATA_SIZE];	/* REPORT_DATA */
	__u32 vmpl;					/* VMPL of the report */
	__u8 rsvd[28];					/* must be zero */
};

/* MSG_REPORT_RSP payload: status, report size, report; zero-padded. */
struct snp_report_resp {
	__u8 data[4000];
};

/* MSG_KEY_REQ payload, passed to the firmware as is. */
struct snp_derived_key_req {
	__u32 root_key_select;
	__u32 rsvd;
	__u64 guest_field_select;
	__u32 vmpl;
	__u32 guest_svn;
	__u64 tcb_version;
};

/* MSG_KEY_RSP payload: status, reserved, the 32-byte derived key. */
struct snp_derived_key_resp {
	__u8 data[64];
};

/* The argument of every /dev/sev-guest ioctl. */
struct snp_guest_request_ioctl {
	__u8 msg_version;	/* message version, non-zero */
	__u64 req_data;		/* user address of the request payload */
	__u64 resp_data;	/* user address of the response payload */
	union {
		__u64 exitinfo2;	/* GHCB SW_EXITINFO2 */
		struct {
			__u32 fw_error;		/* bits 31:0: firmware status */
			__u32 vmm_error;	/* bits 63:32: SNP_GUEST_VMM_ERR_* */
		};
	};
};

/* SNP_GET_EXT_REPORT: a report request plus a buffer for the host's certificates. */
struct snp_ext_report_req {
	struct snp_report_req data;
	__u64 certs_address;	/* user address, page aligned */
	__u32 certs_len;	/* bytes, a multiple of 4096; set to the need on -EIO */
};

#define SNP_GUEST_REQ_IOC_TYPE	'S'

#define SNP_GET_REPORT _IOWR(SNP_GUEST_REQ_IOC_TYPE, 0x0, struct snp_guest_request_ioctl)
#define SNP_GET_DERIVED_KEY _IOWR(SNP_GUEST_REQ_IOC_TYPE, 0x1, struct snp_guest_request_ioctl)
#define SNP_GET_EXT_REPORT _IOWR(SNP_GUEST_REQ_IOC_TYPE, 0x2, struct snp_guest_request_ioctl)

/* exitinfo2: firmware status in the low half, VMM error in the high half. */
#define SNP_GUEST_FW_ERR_MASK		GENMASK_ULL(31, 0)
#define SNP_GUEST_VMM_ERR_SHIFT		32
#define SNP_GUEST_VMM_ERR(x)		(((u64)x) << SNP_GUEST_VMM_ERR_SHIFT)
#define SNP_GUEST_FW_ERR(x)		((x) & SNP_GUEST_FW_ERR_MASK)
#define SNP_GUEST_ERR(vmm_err, fw_err)	(SNP_GUEST_VMM_ERR(vmm_err) | \
					 SNP_GUEST_FW_ERR(fw_err))

#define SNP_GUEST_VMM_ERR_INVALID_LEN	1	/* certificate buffer too small */
#define SNP_GUEST_VMM_ERR_BUSY		2	/* throttled: the request is resent */

#endif /* __UAPI_LINUX_SEV_GUEST_H_ */
