/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers of the sevguest kselftests (tests/selftests/): the
 * simulated SEV-SNP platform (sevsim.ko + psp-sim), the driver under test
 * (sevguest.ko or the C sev-guest.ko, from sevtest_driver= on the kernel
 * command line), the guest's secrets page as the bridge shows it, and one
 * request of each kind with everything the kernel returned.
 *
 * Environment knobs (tests/guest/selftests.sh sets them from the kernel
 * command line): SEVTEST_DRIVER=rust|c, SEVTEST_SLOW=1 (H02's 60 s retry
 * window), SEVTEST_FULL=1 (C01 at full size), SEVTEST_SEED, SEVTEST_ITERS,
 * SEVTEST_H07=<hex> (H07's random firmware error, drawn by the caller so
 * that two runs use the same one).
 */
#ifndef SEVTEST_H
#define SEVTEST_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sev-guest.h>

/* Each program uses a part of these helpers. */
#pragma GCC diagnostic ignored "-Wunused-function"
/* kselftest_harness.h of 6.12 is not -Wextra clean. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"

#define DEV_PATH	"/dev/sev-guest"
#define SIM_KO		"/lib/modules/sevsim.ko"
#define SIM_SECRETS	"/sys/kernel/debug/sevsim/secrets"
#define SIM_STATS	"/sys/kernel/debug/sevsim/stats"
#define PSP_BIN		"/bin/psp-sim"
#define PSP_CHAIN	"/etc/sevsim-chain"
#define PSP_STATS	"/tmp/psp.stats"
#define PSP_LOG		"/tmp/psp.log"
#define PSP_ERR		"/tmp/psp.err"
#define PSP_PIDFILE	"/tmp/sevtest-psp.pid"
#define TSM_DIR		"/sys/kernel/config/tsm/report"

/* exitinfo2 preset before each ioctl: still there = "not written back". */
#define NOWB		0x5a5a5a5a5a5a5a5aULL
#define EXI_INVALID_LEN	(1ULL << 32)
#define EXI_BUSY	(2ULL << 32)
#define EXI_NO_FW_CALL	0xffffffffffffffffULL

/* Offsets in the secrets page (struct snp_secrets_page). */
#define SECRETS_VMPCK(id)	(0x20 + 32 * (id))
#define SECRETS_SEQNO(id)	(0xa0 + 4 * (id))

/* Offsets in MSG_REPORT_RSP (snp_report_resp.data). */
#define RSP_STATUS	0x00
#define RSP_SIZE	0x04
#define RSP_REPORT	0x20
#define RPT_VMPL	0x30
#define RPT_DATA	0x50

struct sevtest_env {
	char driver[8];		/* "rust" or "c" */
	char ko[128];
	char mod[32];
	char gpa[32];
	bool slow, full;
};

static struct sevtest_env env;

static bool is_c(void)
{
	return !strcmp(env.driver, "c");
}

static void cmdline_value(const char *cmdline, const char *key, char *out, size_t len)
{
	const char *p = strstr(cmdline, key);
	size_t n = 0;

	if (!p)
		return;
	p += strlen(key);
	while (p[n] && p[n] != ' ' && p[n] != '\n' && n + 1 < len)
		n++;
	memcpy(out, p, n);
	out[n] = 0;
}

static void env_init(void)
{
	char cmdline[4096] = "";
	const char *e;
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
	}
	strcpy(env.driver, "rust");
	strcpy(env.gpa, "0x7000000");
	cmdline_value(cmdline, "sevtest_driver=", env.driver, sizeof(env.driver));
	cmdline_value(cmdline, "sevtest_secrets=", env.gpa, sizeof(env.gpa));
	e = getenv("SEVTEST_DRIVER");
	if (e && *e)
		snprintf(env.driver, sizeof(env.driver), "%s", e);
	if (is_c()) {
		strcpy(env.ko, "/lib/modules/c/sev-guest.ko");
		strcpy(env.mod, "sev_guest");
	} else {
		strcpy(env.ko, "/lib/modules/sevguest.ko");
		strcpy(env.mod, "sevguest");
	}
	e = getenv("SEVTEST_SLOW");
	env.slow = (e && *e == '1') || strstr(cmdline, "sevtest_slow=1");
	e = getenv("SEVTEST_FULL");
	env.full = (e && *e == '1') || strstr(cmdline, "sevtest_full=1");
}

static unsigned long env_ulong(const char *name, unsigned long dflt)
{
	const char *e = getenv(name);

	return e && *e ? strtoul(e, NULL, 0) : dflt;
}

/* ---- modules ---------------------------------------------------------- */

/* 0 or -errno. */
static int mod_load(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), r, err;

	if (fd < 0)
		return -errno;
	r = syscall(SYS_finit_module, fd, params, 0);
	err = errno;
	close(fd);
	return r ? -err : 0;
}

static int mod_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static bool mod_loaded(const char *name)
{
	char line[256];
	size_t n = strlen(name);
	bool found = false;
	FILE *f = fopen("/proc/modules", "r");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ' ')
			found = true;
	fclose(f);
	return found;
}

/* The driver under test, with vmpck_id=ID (ID < 0: the default). */
static int drv_load(int id)
{
	char params[32] = "";

	if (id >= 0)
		snprintf(params, sizeof(params), "vmpck_id=%d", id);
	return mod_load(env.ko, params);
}

static int drv_unload(void)
{
	int i, r = 0;

	/* A file still being released can hold the module for a moment. */
	for (i = 0; i < 50 && mod_loaded(env.mod); i++) {
		r = mod_unload(env.mod);
		if (!r)
			break;
		usleep(100000);
	}
	return mod_loaded(env.mod) ? (r ? r : -EBUSY) : 0;
}

/* ---- the platform ----------------------------------------------------- */

static pid_t psp_pid;

static void psp_kill(pid_t pid)
{
	int i;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < 50; i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid || kill(pid, 0))
			return;
		usleep(100000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Removes whatever an earlier (perhaps killed) test left running. */
static void plat_stop(void)
{
	FILE *f;
	int pid = 0;

	drv_unload();
	if (psp_pid > 0) {
		psp_kill(psp_pid);
	} else if ((f = fopen(PSP_PIDFILE, "r"))) {
		if (fscanf(f, "%d", &pid) == 1)
			psp_kill(pid);
		fclose(f);
	}
	psp_pid = 0;
	unlink(PSP_PIDFILE);
	unlink(PSP_STATS);
	if (mod_loaded("sevsim"))
		mod_unload("sevsim");
}

static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return n;
}

/* A counter from psp-sim's stats line, -1 when there is none. */
static long long psp_stat(const char *key)
{
	char buf[512], pat[64];
	const char *p;

	if (read_file(PSP_STATS, buf, sizeof(buf)) <= 0)
		return -1;
	snprintf(pat, sizeof(pat), "%s=", key);
	p = strstr(buf, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* Guest requests the bridge handled (kernel side: exact when the ioctl returns). */
static long long sim_requests(void)
{
	char buf[256];
	const char *p;

	if (read_file(SIM_STATS, buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, "requests ");
	return p ? strtoll(p + 9, NULL, 10) : -1;
}

/* Waits until psp-sim's stats file covers every request the bridge handled. */
static void psp_sync(void)
{
	long long want = sim_requests();
	int i;

	for (i = 0; i < 100 && psp_stat("requests") < want; i++)
		usleep(20000);
}

/* IV reuse seen by psp-sim's monitor (after a sync), -1 if unknown. */
static long long iv_reuse(void)
{
	psp_sync();
	return psp_stat("iv_reuse");
}

/* Answers psp-sim's fault plans changed so far (after a sync), -1 if unknown. */
static long long psp_faults(void)
{
	psp_sync();
	return psp_stat("faults");
}

/*
 * sevsim.ko (SIM_PARAMS added to its parameters, e.g. "msg_seqno=N") and
 * psp-sim serve [extra...]; 0 or -errno. No driver yet.
 */
static int plat_start_with(const char *sim_params, const char *const *extra)
{
	const char *argv[32] = { PSP_BIN, "serve", "--chain", PSP_CHAIN, "--stats", PSP_STATS,
				 "--log", PSP_LOG };
	char params[128];
	int argc = 8, i, r;
	FILE *f;

	plat_stop();
	snprintf(params, sizeof(params), "secrets_gpa=%s %s", env.gpa, sim_params ? sim_params : "");
	r = mod_load(SIM_KO, params);
	if (r)
		return r;
	for (i = 0; extra && extra[i] && argc < 31; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;
	fflush(NULL);
	psp_pid = fork();
	if (psp_pid < 0)
		return -errno;
	if (!psp_pid) {
		int fd = open(PSP_ERR, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0)
			dup2(fd, 2);
		fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
		}
		setpgid(0, 0);
		execv(PSP_BIN, (char **)argv);
		_exit(127);
	}
	f = fopen(PSP_PIDFILE, "w");
	if (f) {
		fprintf(f, "%d\n", psp_pid);
		fclose(f);
	}
	for (i = 0; i < 300 && psp_stat("requests") < 0; i++)
		usleep(50000);
	return psp_stat("requests") < 0 ? -ETIMEDOUT : 0;
}

static int plat_start(const char *const *extra)
{
	return plat_start_with(NULL, extra);
}

/* ---- the kernel log ---------------------------------------------------- */

/* Writes MSG to the kernel log, to find what the kernel printed after it. */
static void kmsg_mark(const char *msg)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, msg, strlen(msg)) < 0)
			perror("/dev/kmsg");
		close(fd);
	}
}

/* The kernel log after MARK, in a malloc'd string. */
static char *klog_after(const char *mark)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *p;

	if (len <= 0)
		return strdup("");
	buf = calloc(1, len + 1);
	if (!buf)
		return strdup("");
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len < 0)
		len = 0;
	buf[len] = 0;
	p = NULL;
	for (char *q = strstr(buf, mark); q; q = strstr(q + 1, mark))
		p = q;
	p = strdup(p ? p : "");
	free(buf);
	return p;
}

/* ---- the secrets page ------------------------------------------------- */

static int secrets_read(uint8_t page[4096])
{
	int fd = open(SIM_SECRETS, O_RDONLY), n = 0, r;

	if (fd < 0)
		return -errno;
	while (n < 4096 && (r = read(fd, page + n, 4096 - n)) > 0)
		n += r;
	close(fd);
	return n == 4096 ? 0 : -EIO;
}

/* The stored counter of VMPCK ID (the last response's seqno). */
static uint32_t seqno_of(int id)
{
	uint8_t p[4096];
	uint32_t v;

	if (secrets_read(p))
		return 0xdeadbeef;
	memcpy(&v, p + SECRETS_SEQNO(id), 4);
	return v;
}

/*
 * Stores V as VMPCK ID's counter in the secrets page behind the driver's
 * back, as an earlier boot stage could have left it.
 */
static int seqno_store(int id, uint32_t v)
{
	int fd = open(SIM_SECRETS, O_WRONLY), r;

	if (fd < 0)
		return -errno;
	r = pwrite(fd, &v, 4, SECRETS_SEQNO(id)) == 4 ? 0 : -errno;
	close(fd);
	return r;
}

/* 1 if VMPCK ID is all zero in the secrets page, 0 if not, -1 if unreadable. */
static int key_wiped(int id)
{
	uint8_t p[4096];
	int i;

	if (secrets_read(p))
		return -1;
	for (i = 0; i < 32; i++)
		if (p[SECRETS_VMPCK(id) + i])
			return 0;
	return 1;
}

/* ---- requests --------------------------------------------------------- */

/*
 * One configfs-tsm report for DATA at PRIVLEVEL (< 0: don't set) under
 * report/NAME: 0 and the outblob in OUT (LEN its size), or -errno (LEN: what
 * was read).
 */
static int tsm_report(const char *name, const uint8_t data[64], int privlevel, uint8_t *out,
		      size_t *len)
{
	char dir[128], path[192], buf[16];
	int fd, r = 0, n;
	size_t got = 0;

	snprintf(dir, sizeof(dir), TSM_DIR "/%s", name);
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	if (privlevel >= 0) {
		snprintf(path, sizeof(path), "%s/privlevel", dir);
		snprintf(buf, sizeof(buf), "%d", privlevel);
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
			r = -errno;
		if (fd >= 0)
			close(fd);
		if (r)
			goto out;
	}
	snprintf(path, sizeof(path), "%s/inblob", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, data, 64) != 64)
		r = -errno;
	if (fd >= 0)
		close(fd);
	if (r)
		goto out;
	snprintf(path, sizeof(path), "%s/outblob", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	while ((n = read(fd, out + got, *len - got)) > 0)
		got += n;
	if (n < 0)
		r = -errno;
	close(fd);
out:
	*len = got;
	rmdir(dir);
	return r;
}

/* Writes LEN bytes of BUF to the configfs-tsm attribute report/NAME/ATTR: 0 or -errno. */
static int tsm_write(const char *name, const char *attr, const void *buf, size_t len)
{
	char path[192];
	int fd, r = 0;

	snprintf(path, sizeof(path), TSM_DIR "/%s/%s", name, attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != (ssize_t)len)
		r = -errno;
	close(fd);
	return r;
}

/* Reads report/NAME/ATTR into OUT (*LEN its size, then what was read): 0 or -errno. */
static int tsm_read(const char *name, const char *attr, uint8_t *out, size_t *len)
{
	char path[192];
	size_t got = 0;
	int fd, n = 0, r = 0;

	snprintf(path, sizeof(path), TSM_DIR "/%s/%s", name, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (got < *len && (n = read(fd, out + got, *len - got)) > 0)
		got += n;
	if (n < 0)
		r = -errno;
	close(fd);
	*len = got;
	return r;
}

/* An outblob that is the whole report for DATA (configfs-tsm: no MSG_REPORT_RSP header). */
static bool outblob_ok(const uint8_t *out, size_t len, const uint8_t data[64])
{
	return len == 1184 && !memcmp(out + RPT_DATA, data, 64);
}

/* ---- injected allocation failures (CONFIG_FAILSLAB) --------------------- */

/* Writes VAL to the debugfs knob failslab/NAME: true on success. */
static bool failslab_set(const char *name, const char *val)
{
	char path[96];
	int fd;
	bool ok;

	snprintf(path, sizeof(path), "/sys/kernel/debug/failslab/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok;
}

/*
 * Sets failslab up for fail_from_arm(): GFP_KERNEL allocations too (by
 * default only those that cannot sleep), every allocation of a task that
 * asked for it (make-it-fail), no stack dump per failure. False if the
 * kernel has no fault injection.
 */
static bool failslab_ready(void)
{
	return failslab_set("ignore-gfp-wait", "N") && failslab_set("verbose", "0") &&
	       failslab_set("task-filter", "Y") && failslab_set("probability", "100") &&
	       failslab_set("interval", "1") && failslab_set("space", "0") &&
	       failslab_set("times", "-1");
}

/*
 * This thread's /proc/thread-self/fail-nth and make-it-fail, opened once:
 * opening them between arming and reading would itself allocate, and count.
 */
static int fail_fd = -1, make_fd = -1;

/*
 * From this thread's Nth slab allocation on, fail MORE more (-1: every one)
 * until fail_from_arm(0, 0). fail-nth alone fails only the Nth, and the
 * kernel retries some allocations once (kvrealloc falls back from krealloc
 * to kvmalloc), so a single failure can be absorbed where memory that stays
 * short would not be; failing every later one hides a failure whose error
 * is lost behind the next allocation's. The Nth fails through fail-nth, the
 * rest through the task filter, limited by failslab's "times".
 */
static int fail_from_arm(int n, int more)
{
	char buf[16];

	if (fail_fd < 0)
		fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (make_fd < 0)
		make_fd = open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
	if (fail_fd < 0 || make_fd < 0)
		return -errno;
	if (!n) {
		/* Off first: nothing may fail after the call under test. */
		if (write(make_fd, "0", 1) < 0 || write(fail_fd, "0", 1) < 0)
			return -errno;
		return 0;
	}
	/* "times" counts the Nth's failure too. */
	snprintf(buf, sizeof(buf), "%d", more < 0 ? -1 : more + 1);
	if (!failslab_set("times", buf))
		return -EIO;
	snprintf(buf, sizeof(buf), "%d", n);
	if (write(fail_fd, buf, strlen(buf)) < 0 || write(make_fd, "1", 1) < 0)
		return -errno;
	return 0;
}

/* What is left of the count fail_from_arm() set: 0 once the failures began. */
static int fail_nth_left(void)
{
	char buf[16] = "";

	if (fail_fd < 0 || pread(fail_fd, buf, sizeof(buf) - 1, 0) <= 0)
		return -1;
	return atoi(buf);
}

struct res {
	int rc;			/* 0, -errno, or the positive value the ioctl returned */
	uint64_t exi;		/* exitinfo2 after the call (NOWB: not written back) */
	uint32_t certs_len;	/* EXT: certs_len after the call */
	uint8_t resp[4000];
};

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r = ioctl(fd, cmd, arg);

	return r < 0 ? -errno : r;
}

static int dev_open(void)
{
	return open(DEV_PATH, O_RDWR | O_CLOEXEC);
}

static void rand_bytes(uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = random();
}

/* SNP_GET_REPORT with REPORT_DATA DATA at VMPL. */
static int do_report(int fd, const uint8_t data[64], uint32_t vmpl, struct res *r)
{
	struct snp_report_req req = { .vmpl = vmpl };
	struct snp_guest_request_ioctl io = { .msg_version = 1, .exitinfo2 = NOWB };

	memcpy(req.user_data, data, 64);
	memset(r->resp, 0xa5, sizeof(r->resp));
	io.req_data = (uintptr_t)&req;
	io.resp_data = (uintptr_t)r->resp;
	r->rc = xioctl(fd, SNP_GET_REPORT, &io);
	r->exi = io.exitinfo2;
	return r->rc;
}

/* SNP_GET_EXT_REPORT with CERTS_LEN bytes of room (CERTS may be NULL: a static buffer). */
static int do_ext(int fd, const uint8_t data[64], uint32_t certs_len, void *certs, struct res *r)
{
	static uint8_t buf[0x4000];
	struct snp_ext_report_req req = { 0 };
	struct snp_guest_request_ioctl io = { .msg_version = 1, .exitinfo2 = NOWB };

	memcpy(req.data.user_data, data, 64);
	req.certs_address = (uintptr_t)(certs ? certs : buf);
	req.certs_len = certs_len;
	memset(r->resp, 0xa5, sizeof(r->resp));
	io.req_data = (uintptr_t)&req;
	io.resp_data = (uintptr_t)r->resp;
	r->rc = xioctl(fd, SNP_GET_EXT_REPORT, &io);
	r->exi = io.exitinfo2;
	r->certs_len = req.certs_len;
	return r->rc;
}

static int do_key(int fd, uint64_t gfs, uint32_t vmpl, struct res *r)
{
	struct snp_derived_key_req req = { .guest_field_select = gfs, .vmpl = vmpl };
	struct snp_guest_request_ioctl io = { .msg_version = 1, .exitinfo2 = NOWB };

	memset(r->resp, 0xa5, 64);
	io.req_data = (uintptr_t)&req;
	io.resp_data = (uintptr_t)r->resp;
	r->rc = xioctl(fd, SNP_GET_DERIVED_KEY, &io);
	r->exi = io.exitinfo2;
	return r->rc;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* A genuine report: status 0, 1184 bytes, our REPORT_DATA. */
static bool report_ok(const struct res *r, const uint8_t data[64])
{
	return r->rc == 0 && rd32(r->resp + RSP_STATUS) == 0 && rd32(r->resp + RSP_SIZE) == 1184 &&
	       !memcmp(r->resp + RSP_REPORT + RPT_DATA, data, 64);
}

static const char *rc_name(int rc)
{
	static __thread char buf[32];

	if (rc < 0)
		return strerrorname_np(-rc) ? strerrorname_np(-rc) : "E?";
	snprintf(buf, sizeof(buf), rc ? "+%d" : "0", rc);
	return buf;
}

static const char *exi_str(uint64_t exi)
{
	static __thread char buf[32];

	if (exi == NOWB)
		return "not-written";
	snprintf(buf, sizeof(buf), "%#llx", (unsigned long long)exi);
	return buf;
}

/* The REPORT_DATA that makes psp-sim apply PLAN to that message. */
static int fault_data(const char *plan, uint8_t out[64])
{
	char cmd[256];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), PSP_BIN " fault-data '%s' --raw", plan);
	p = popen(cmd, "r");
	if (!p)
		return -errno;
	n = fread(out, 1, 64, p);
	return pclose(p) == 0 && n == 64 ? 0 : -EINVAL;
}

/* The last line of psp-sim's log that has KEY=, its value (-1 if none). */
static long long psp_log_last(const char *key)
{
	char line[1024], pat[32];
	long long v = -1;
	const char *p;
	FILE *f;

	psp_sync();
	f = fopen(PSP_LOG, "r");
	if (!f)
		return -1;
	snprintf(pat, sizeof(pat), " %s=", key);
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, pat);
		if (p)
			v = strtoll(p + strlen(pat), NULL, 0);
	}
	fclose(f);
	return v;
}

#endif /* SEVTEST_H */
