// SPDX-License-Identifier: GPL-2.0
/*
 * sevreq: one /dev/sev-guest request, with everything the kernel returned
 * printed on one line, for the guest tests of the simulated platform.
 *
 *   sevreq report [-d REPORT_DATA_FILE] [-v VMPL] [-m MSG_VERSION]
 *   sevreq ext    [-d FILE] [-v VMPL] [-c CERTS_LEN]
 *   sevreq key    [-g GUEST_FIELD_SELECT] [-v VMPL] [-m MSG_VERSION]
 *
 * Prints "ret=<errno name or 0> exitinfo2=0x<16 hex> status=0x<hex>" and,
 * as applicable, "report_size=N vmpl=N data=ok|bad body=zero|set
 * certs_len=N" (body: whether the rest of the response after its 32-byte
 * header is all zero) or "key=<64 hex>".  Exits 0 when the ioctl returned 0, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/sev-guest.h>
#include <linux/types.h>

static void print_usage(void)
{
	fprintf(stderr,
		"usage: sevreq report|ext|key [-d FILE] [-v VMPL] [-m VER] [-c LEN] [-g GFS]\n");
	exit(2);
}

static int all_zero(const __u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return 0;
	return 1;
}

/* The ioctl's result: 0, an errno name, or "+N" for a positive return. */
static const char *err_name(int ret)
{
	static char buf[16];

	if (ret < 0)
		return strerrorname_np(errno);
	snprintf(buf, sizeof(buf), ret ? "+%d" : "0", ret);
	return buf;
}

int main(int argc, char **argv)
{
	struct snp_guest_request_ioctl io = { .msg_version = 1 };
	unsigned long vmpl = 0, certs_len = 0, gfs = 0;
	const char *data_file = NULL, *cmd;
	static __u8 resp[4000], certs[0x4000];
	__u8 data[64] = { 0 };
	int fd, ret, opt;

	if (argc < 2)
		print_usage();
	cmd = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "d:v:m:c:g:")) != -1) {
		switch (opt) {
		case 'd':
			data_file = optarg;
			break;
		case 'v':
			vmpl = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			io.msg_version = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			certs_len = strtoul(optarg, NULL, 0);
			break;
		case 'g':
			gfs = strtoul(optarg, NULL, 0);
			break;
		default:
			print_usage();
		}
	}
	if (data_file) {
		FILE *f = fopen(data_file, "rb");

		if (!f || fread(data, 1, sizeof(data), f) != sizeof(data)) {
			perror(data_file);
			return 2;
		}
		fclose(f);
	}

	fd = open("/dev/sev-guest", O_RDWR);
	if (fd < 0) {
		perror("/dev/sev-guest");
		return 2;
	}

	io.resp_data = (uintptr_t)resp;
	if (!strcmp(cmd, "report") || !strcmp(cmd, "ext")) {
		struct snp_ext_report_req ext = { 0 };
		struct snp_report_resp *r = (void *)resp;
		__u32 status, size, rvmpl;

		memcpy(ext.data.user_data, data, sizeof(data));
		ext.data.vmpl = vmpl;
		if (!strcmp(cmd, "report")) {
			io.req_data = (uintptr_t)&ext.data;
			ret = ioctl(fd, SNP_GET_REPORT, &io);
		} else {
			ext.certs_address = (uintptr_t)certs;
			ext.certs_len = certs_len;
			io.req_data = (uintptr_t)&ext;
			ret = ioctl(fd, SNP_GET_EXT_REPORT, &io);
		}
		memcpy(&status, r->data, 4);
		memcpy(&size, r->data + 4, 4);
		memcpy(&rvmpl, r->data + 32 + 0x30, 4);
		printf("ret=%s exitinfo2=0x%016llx status=0x%x report_size=%u vmpl=%u",
		       err_name(ret), (unsigned long long)io.exitinfo2, status, size, rvmpl);
		printf(" data=%s body=%s", memcmp(r->data + 32 + 0x50, data, 64) ? "bad" : "ok",
		       all_zero(r->data + 32, sizeof(r->data) - 32) ? "zero" : "set");
		if (!strcmp(cmd, "ext"))
			printf(" certs_len=%u", ext.certs_len);
		printf("\n");
	} else if (!strcmp(cmd, "key")) {
		struct snp_derived_key_req req = { 0 };
		__u32 status;
		int i;

		req.guest_field_select = gfs;
		req.vmpl = vmpl;
		io.req_data = (uintptr_t)&req;
		ret = ioctl(fd, SNP_GET_DERIVED_KEY, &io);
		memcpy(&status, resp, 4);
		printf("ret=%s exitinfo2=0x%016llx status=0x%x key=", err_name(ret),
		       (unsigned long long)io.exitinfo2, status);
		for (i = 0; i < 32; i++)
			printf("%02x", resp[32 + i]);
		printf("\n");
	} else {
		print_usage();
	}
	return ret ? 1 : 0;
}
