// SPDX-License-Identifier: GPL-2.0
/*
 * Build-time check: uapi/linux/sev-guest.h of this project has the same
 * structure sizes, field offsets and ioctl numbers as the kernel tree's
 * include/uapi/linux/sev-guest.h. Compiled (never run) by scripts/lint.sh.
 */
#include <stddef.h>
#include <linux/ioctl.h>
#include <linux/types.h>

/* Ours, under other names. */
#define snp_report_req ours_snp_report_req
#define snp_report_resp ours_snp_report_resp
#define snp_derived_key_req ours_snp_derived_key_req
#define snp_derived_key_resp ours_snp_derived_key_resp
#define snp_guest_request_ioctl ours_snp_guest_request_ioctl
#define snp_ext_report_req ours_snp_ext_report_req
#include OURS
/* The ioctl numbers, ours then theirs below, against the values the ABI fixes. */
#define CHECK_IOCTLS(who) \
	_Static_assert(SNP_GET_REPORT == 0xc0205300UL, who " SNP_GET_REPORT"); \
	_Static_assert(SNP_GET_DERIVED_KEY == 0xc0205301UL, who " SNP_GET_DERIVED_KEY"); \
	_Static_assert(SNP_GET_EXT_REPORT == 0xc0205302UL, who " SNP_GET_EXT_REPORT"); \
	_Static_assert(SNP_GUEST_VMM_ERR_INVALID_LEN == 1 && SNP_GUEST_VMM_ERR_BUSY == 2, \
		       who " VMM errors")
CHECK_IOCTLS("ours");
#undef snp_report_req
#undef snp_report_resp
#undef snp_derived_key_req
#undef snp_derived_key_resp
#undef snp_guest_request_ioctl
#undef snp_ext_report_req
#undef __UAPI_LINUX_SEV_GUEST_H_
#undef SNP_GET_REPORT
#undef SNP_GET_DERIVED_KEY
#undef SNP_GET_EXT_REPORT
#undef SNP_REPORT_USER_DATA_SIZE
#undef SNP_GUEST_REQ_IOC_TYPE
#undef SNP_GUEST_FW_ERR_MASK
#undef SNP_GUEST_VMM_ERR_SHIFT
#undef SNP_GUEST_VMM_ERR
#undef SNP_GUEST_FW_ERR
#undef SNP_GUEST_ERR
#undef SNP_GUEST_VMM_ERR_INVALID_LEN
#undef SNP_GUEST_VMM_ERR_BUSY

/* The kernel's. */
#include THEIRS
CHECK_IOCTLS("theirs");

#define SAME_SIZE(s) _Static_assert(sizeof(struct ours_##s) == sizeof(struct s), #s " size")
#define SAME_OFF(s, f) \
	_Static_assert(offsetof(struct ours_##s, f) == offsetof(struct s, f), #s "." #f " offset")

SAME_SIZE(snp_report_req);
SAME_OFF(snp_report_req, user_data);
SAME_OFF(snp_report_req, vmpl);
SAME_OFF(snp_report_req, rsvd);
SAME_SIZE(snp_report_resp);
SAME_SIZE(snp_derived_key_req);
SAME_OFF(snp_derived_key_req, root_key_select);
SAME_OFF(snp_derived_key_req, rsvd);
SAME_OFF(snp_derived_key_req, guest_field_select);
SAME_OFF(snp_derived_key_req, vmpl);
SAME_OFF(snp_derived_key_req, guest_svn);
SAME_OFF(snp_derived_key_req, tcb_version);
SAME_SIZE(snp_derived_key_resp);
SAME_SIZE(snp_guest_request_ioctl);
SAME_OFF(snp_guest_request_ioctl, msg_version);
SAME_OFF(snp_guest_request_ioctl, req_data);
SAME_OFF(snp_guest_request_ioctl, resp_data);
SAME_OFF(snp_guest_request_ioctl, exitinfo2);
SAME_OFF(snp_guest_request_ioctl, fw_error);
SAME_OFF(snp_guest_request_ioctl, vmm_error);
SAME_SIZE(snp_ext_report_req);
SAME_OFF(snp_ext_report_req, data);
SAME_OFF(snp_ext_report_req, certs_address);
SAME_OFF(snp_ext_report_req, certs_len);
