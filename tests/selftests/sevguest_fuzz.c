// SPDX-License-Identifier: GPL-2.0
/*
 * sevguest_fuzz: FAULTS.md U08, a bounded random ioctl fuzzer for
 * /dev/sev-guest on the simulated SEV-SNP platform.
 *
 * SEVTEST_ITERS calls (default 100,000) from a seeded PRNG (SEVTEST_SEED,
 * default: from the clock; printed, so a run can be repeated): random
 * command numbers (the real three, near-misses of them - a bit flipped,
 * another size, number or direction - other 'S' numbers, anything), the
 * argument and the request's pointers NULL, unmapped, kernel, non-canonical,
 * random, valid, straddling a guard page, read-only or aliasing the ioctl
 * struct, random msg_version (mostly 1, so that requests get through),
 * random payloads and certificate lengths. A key the fuzzer gets wiped (a
 * version the PSP refuses, say) is replaced by the next vmpck_id, or by a
 * new platform, so the fuzzing stays deep.
 *
 * Afterwards the driver serves a good request on its key or the key is
 * cleanly wiped (ENOTTY, nothing exposed), a fresh key works, and psp-sim
 * saw no IV reuse. The guest run itself fails on any oops, WARN, KASAN,
 * lockdep or DEBUG_SG report, and selftests.sh scans kmemleak afterwards.
 */
#include "sevtest.h"
#include "kselftest_harness.h"

static uint64_t rng;

static uint64_t next(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint64_t below(uint64_t n)
{
	return next() % n;
}

#define REGION	(4 * 4096)	/* read-write, then a guard page */

struct fuzz {
	uint8_t *rw;		/* REGION bytes, followed by PROT_NONE */
	uint8_t *ro;		/* one read-only page */
	void *unmapped;
	int fd, id;
	bool up;
	long long calls, wipes, rotations, by_errno[160], positive, zero;
	long long reuse, reached, reqs_base;	/* summed over platforms */
};

static void fill(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = next();
}

/* A pointer for something of SIZE bytes. */
static uint64_t gen_ptr(struct fuzz *f, size_t size, void *self_io)
{
	static const uint64_t kernel[] = {
		0xffff888000000000ULL, 0xffffffff81000000ULL, 0xfffffffffffff000ULL,
		0xffffc90000000000ULL, 0x8000000000000000ULL, 0x00007ffffffff000ULL,
	};

	switch (below(12)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)f->unmapped + below(4096);
	case 2:
		return kernel[below(6)] + below(64);
	case 3:
		return next();
	case 4:	/* straddling the guard page */
		return (uintptr_t)f->rw + REGION - (size ? below(size) + 1 : 1);
	case 5:
		return (uintptr_t)f->ro + below(64);
	case 6:
		return (uintptr_t)self_io;
	default:	/* somewhere valid */
		return (uintptr_t)f->rw + below(REGION - (size < REGION ? size : 0));
	}
}

static const unsigned long real_cmds[] = {
	SNP_GET_REPORT, SNP_GET_DERIVED_KEY, SNP_GET_EXT_REPORT
};

/* Generic ioctls the VFS answers before the driver sees them: not ours to fuzz. */
static bool vfs_cmd(unsigned long cmd)
{
	unsigned int type = (cmd >> 8) & 0xff;

	return type == 'X' || type == 'f' || type == 0x94 || type == 'T' || type == 0x15 ||
	       cmd == 0x5421 || (cmd >= 0x5450 && cmd <= 0x5460) || cmd <= 3;
}

static unsigned long gen_cmd(void)
{
	unsigned long c;

	do {
		c = real_cmds[below(3)];
		switch (below(10)) {
		case 0 ... 3:
			break;
		case 4:	/* a bit flipped */
			c ^= 1UL << below(32);
			break;
		case 5:	/* another size */
			c = (c & ~(0x3fffUL << 16)) | (below(0x4000) << 16);
			break;
		case 6:	/* another direction */
			c = (c & ~(3UL << 30)) | (below(4) << 30);
			break;
		case 7:	/* another 'S' number */
			c = (c & ~0xffUL) | below(256);
			break;
		case 8:	/* the wrong-size encodings of U05, and sizes near 32 */
			c = (c & ~(0x3fffUL << 16)) | ((24 + below(17)) << 16);
			break;
		default:
			c = (uint32_t)next();
		}
	} while (vfs_cmd(c));
	return c;
}

static uint8_t gen_version(void)
{
	switch (below(100)) {
	case 0:
		return 0;
	case 1:
		return 2;
	case 2:
		return next();
	default:
		return 1;
	}
}

/* The request payload at P (inside the region): random, with plausible fields. */
static void gen_payload(struct fuzz *f, uint8_t *p, size_t room)
{
	struct snp_ext_report_req *ext = (void *)p;
	static const uint32_t lens[] = { 0, 4096, 0x4000, 0x3000, 0x5000, 100, 0xfffff000 };

	if (room < sizeof(*ext))
		return;
	fill(p, sizeof(*ext));
	if (below(4)) {
		ext->data.vmpl = below(5);
		memset(ext->data.rsvd, 0, sizeof(ext->data.rsvd));
	}
	ext->certs_len = below(4) ? lens[below(7)] : (uint32_t)next();
	ext->certs_address = below(3) ? (uintptr_t)f->rw + below(REGION) : gen_ptr(f, 0x4000, NULL);
	/* Never a psp-sim fault plan ("SEVSIMFP..."): this is the driver's input only. */
	p[0] = 0;
}

/* The next key: vmpck_id + 1, or a new platform after VMPCK3. */
static int rotate(struct fuzz *f)
{
	int r;

	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	drv_unload();
	if (!f->up || f->id >= 3) {
		if (f->up) {
			f->reuse += iv_reuse();
			f->reached += sim_requests() - f->reqs_base;
		}
		r = plat_start(NULL);
		if (r)
			return r;
		f->reqs_base = sim_requests();
		f->up = true;
		f->id = 0;
	} else {
		f->id++;
	}
	f->rotations++;
	r = drv_load(f->id);
	if (r)
		return r;
	f->fd = open(DEV_PATH, below(2) ? O_RDONLY : O_RDWR);
	return f->fd < 0 ? -errno : 0;
}

static int one_call(struct fuzz *f)
{
	struct snp_guest_request_ioctl *io;
	unsigned long cmd = gen_cmd();
	uint64_t arg;
	int rc, e;

	/* The ioctl struct: usually valid, sometimes straddling the guard page or bad. */
	fill(f->rw + below(REGION - 256), 256);
	arg = below(10) ? (uintptr_t)f->rw + below(REGION - 32) : gen_ptr(f, 32, NULL);
	if (below(8) == 0)
		arg = (uintptr_t)f->rw + REGION - below(32) - 1;
	if (arg >= (uintptr_t)f->rw && arg + 32 <= (uintptr_t)f->rw + REGION) {
		io = (void *)(uintptr_t)arg;
		io->msg_version = gen_version();
		io->req_data = below(6) ? (uintptr_t)f->rw + below(REGION - 112) : gen_ptr(f, 112, io);
		io->resp_data = below(6) ? (uintptr_t)f->rw + below(REGION - 4000) :
					   gen_ptr(f, 4000, io);
		io->exitinfo2 = next();
		if (io->req_data >= (uintptr_t)f->rw &&
		    io->req_data + 112 <= (uintptr_t)f->rw + REGION)
			gen_payload(f, (uint8_t *)(uintptr_t)io->req_data, 112);
	}
	rc = ioctl(f->fd, cmd, (void *)(uintptr_t)arg);
	e = errno;
	f->calls++;
	if (rc < 0)
		f->by_errno[e < 160 ? e : 0]++;
	else if (rc > 0)
		f->positive++;
	else
		f->zero++;
	return rc < 0 ? e : 0;
}

FIXTURE(fz) {
	struct fuzz f;
};

FIXTURE_SETUP(fz)
{
	env_init();
	memset(&self->f, 0, sizeof(self->f));
	self->f.fd = -1;
	self->f.rw = mmap(NULL, REGION + 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)self->f.rw);
	ASSERT_EQ(0, mprotect(self->f.rw + REGION, 4096, PROT_NONE));
	self->f.ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, (void *)self->f.ro);
	self->f.unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(self->f.unmapped, 4096);
}

FIXTURE_TEARDOWN(fz)
{
	if (self->f.fd >= 0)
		close(self->f.fd);
	plat_stop();
}

TEST_F_TIMEOUT(fz, U08_random_ioctls, 3600)
{
	struct fuzz *f = &self->f;
	unsigned long iters = env_ulong("SEVTEST_ITERS", 100000), i;
	uint64_t seed = env_ulong("SEVTEST_SEED", 0);
	long long t0 = time(NULL);
	uint8_t data[64];
	struct res r;
	int e;

	if (!seed)
		seed = ((uint64_t)time(NULL) << 20) ^ getpid();
	rng = seed | 1;
	printf("# U08: seed %llu (SEVTEST_SEED / sevtest_seed= repeats it), %lu calls\n",
	       (unsigned long long)seed, iters);
	fflush(stdout);
	ASSERT_EQ(0, rotate(f));
	f->rotations = 0;
	for (i = 0; i < iters; i++) {
		e = one_call(f);
		/* A wiped key is replaced (checked after failures that can wipe and
		 * now and then); now and then the file is reopened.
		 */
		if (e == EIO || e == EBADMSG || e == ETIMEDOUT || e == ENOTTY || i % 500 == 499) {
			if (key_wiped(f->id) == 1) {
				f->wipes++;
				ASSERT_EQ(0, rotate(f));
			} else if (i % 500 == 499 && below(4) == 0) {
				close(f->fd);
				f->fd = open(DEV_PATH, below(2) ? O_RDONLY : O_RDWR);
				ASSERT_LE(0, f->fd);
			}
		}
		if (i % 10000 == 9999) {
			printf("# U08: %lu calls, %lld reached the host, %lld keys wiped, %lld s\n",
			       i + 1, f->reached + sim_requests() - f->reqs_base, f->wipes,
			       (long long)time(NULL) - t0);
			fflush(stdout);
		}
	}
	printf("# U08: results: 0: %lld, positive: %lld", f->zero, f->positive);
	for (e = 0; e < 160; e++)
		if (f->by_errno[e])
			printf(", %s: %lld", e ? strerrorname_np(e) : "other", f->by_errno[e]);
	printf("\n");
	EXPECT_EQ(0, f->positive);

	/* The driver still serves a good request, or its key is cleanly wiped. */
	rand_bytes(data, 64);
	if (key_wiped(f->id) == 1) {
		long long before = sim_requests();

		do_report(f->fd, data, 0, &r);
		EXPECT_EQ(-ENOTTY, r.rc);
		EXPECT_EQ(before, sim_requests());
		f->wipes++;
	} else {
		do_report(f->fd, data, 0, &r);
		EXPECT_TRUE(report_ok(&r, data)) TH_LOG("final request: %s", rc_name(r.rc));
	}
	f->reuse += iv_reuse();
	f->reached += sim_requests() - f->reqs_base;
	EXPECT_EQ(0, f->reuse);
	printf("row: U08 %s seed=%llu -> %lld calls, %lld reached the host, %lld keys wiped "
	       "(replaced), final request %s, iv_reuse=%lld, %lld s\n", env.driver,
	       (unsigned long long)seed, f->calls, f->reached, f->wipes,
	       rc_name(r.rc), f->reuse, (long long)time(NULL) - t0);
	/* And a fresh key works. */
	ASSERT_EQ(0, rotate(f));
	do_report(f->fd, data, 0, &r);
	EXPECT_TRUE(report_ok(&r, data));
}

TEST_HARNESS_MAIN
