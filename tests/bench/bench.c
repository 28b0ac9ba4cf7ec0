// SPDX-License-Identifier: GPL-2.0
/*
 * bench: the benchmark client of `make bench`, run in the guest against
 * whichever driver holds /dev/sev-guest, on the simulated SNP platform.
 *
 *   bench latency report|key|ext N   N requests, one caller, one at a time
 *   bench throughput T SECONDS       T callers (threads) of report requests
 *   bench busy MS|forever [N]        N report requests the platform throttles
 *   bench slab N [TRACED]            allocations traced over TRACED key
 *                                    requests, slab before/after N more
 *   bench mem                        MemFree, Slab (kB), slab objects, bytes
 *
 * Every figure is printed as one line
 *   "bench: <metric> <value> <iterations> <spread, free text>"
 * for scripts/bench.sh to tabulate; diagnostics go to stderr and to "# "
 * lines.  The exit status is 0 only when every request did what was asked.
 *
 * Platform time comes from the sevsim bridge's debugfs stats (cumulative
 * requests and nanoseconds spent in the simulated hypervisor + PSP), read
 * before and after every request, so the platform time of each request is
 * exact and "driver-only" = total - platform is per request.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/sev-guest.h>
#include <linux/types.h>

#define DEV		"/dev/sev-guest"
#define SIM_STATS	"/sys/kernel/debug/sevsim/stats"
#define CERTS_LEN	(4 * 4096)
#define TRACEFS		"/sys/kernel/tracing"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int stats_fd = -1;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The bridge's cumulative counters: requests handled and ns spent. */
static void sim_stats(uint64_t *requests, uint64_t *platform_ns)
{
	char buf[128];
	unsigned long long r = 0, p = 0;
	ssize_t n;

	if (stats_fd < 0) {
		stats_fd = open(SIM_STATS, O_RDONLY);
		if (stats_fd < 0)
			die(SIM_STATS);
	}
	n = pread(stats_fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		die(SIM_STATS);
	buf[n] = 0;
	if (sscanf(buf, "requests %llu\nplatform_ns %llu", &r, &p) != 2) {
		fprintf(stderr, "bench: cannot parse %s: %s\n", SIM_STATS, buf);
		exit(2);
	}
	*requests = r;
	*platform_ns = p;
}

static int open_dev(void)
{
	int fd = open(DEV, O_RDWR);

	if (fd < 0)
		die(DEV);
	return fd;
}

enum kind { K_REPORT, K_KEY, K_EXT };

/* One caller's buffers: page aligned, the certificate area included. */
struct caller {
	int fd;
	struct snp_ext_report_req ext;
	struct snp_derived_key_req key;
	struct snp_report_resp resp;
	__u8 *certs;
	__u8 data[64];
};

static void caller_init(struct caller *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = open_dev();
	if (posix_memalign((void **)&c->certs, 4096, CERTS_LEN))
		die("posix_memalign");
	memset(c->certs, 0, CERTS_LEN);
}

/*
 * One request of @kind; returns 0 when the ioctl and the in-band status
 * succeeded and, for reports, the report carries c->data.
 */
static int request(struct caller *c, enum kind kind, __u64 *exitinfo2)
{
	struct snp_guest_request_ioctl io = { .msg_version = 1 };
	__u32 status;
	int ret;

	io.resp_data = (uintptr_t)&c->resp;
	switch (kind) {
	case K_KEY:
		c->key.guest_field_select = 0x3f;
		io.req_data = (uintptr_t)&c->key;
		ret = ioctl(c->fd, SNP_GET_DERIVED_KEY, &io);
		break;
	case K_EXT:
		memcpy(c->ext.data.user_data, c->data, 64);
		c->ext.certs_address = (uintptr_t)c->certs;
		c->ext.certs_len = CERTS_LEN;
		io.req_data = (uintptr_t)&c->ext;
		ret = ioctl(c->fd, SNP_GET_EXT_REPORT, &io);
		break;
	default:
		memcpy(c->ext.data.user_data, c->data, 64);
		io.req_data = (uintptr_t)&c->ext.data;
		ret = ioctl(c->fd, SNP_GET_REPORT, &io);
		break;
	}
	if (exitinfo2)
		*exitinfo2 = io.exitinfo2;
	if (ret)
		return -errno;
	memcpy(&status, c->resp.data, 4);
	if (status)
		return -EPROTO;
	/* The report (after the 32-byte response header) has REPORT_DATA at 0x50. */
	if (kind != K_KEY && memcmp(c->resp.data + 32 + 0x50, c->data, 64))
		return -EBADMSG;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The q-quantile of sorted v[n] (nearest rank). */
static double quantile(const double *v, size_t n, double q)
{
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

static void metric(const char *name, double value, long iterations, const char *spread)
{
	printf("bench: %s %.1f %ld %s\n", name, value, iterations, spread);
	fflush(stdout);
}

/* median, p99, min, max of v[n] (sorted in place), in the unit of v. */
static void summary(const char *prefix, double *v, size_t n, int with_p99)
{
	char name[96], spread[160];
	double med, p25, p75;

	qsort(v, n, sizeof(*v), cmp_double);
	med = quantile(v, n, 0.5);
	p25 = quantile(v, n, 0.25);
	p75 = quantile(v, n, 0.75);
	snprintf(spread, sizeof(spread), "IQR %.1f-%.1f, min %.1f, max %.1f",
		 p25, p75, v[0], v[n - 1]);
	snprintf(name, sizeof(name), "%s_median", prefix);
	metric(name, med, n, spread);
	if (with_p99) {
		snprintf(name, sizeof(name), "%s_p99", prefix);
		snprintf(spread, sizeof(spread), "p90 %.1f, max %.1f",
			 quantile(v, n, 0.9), v[n - 1]);
		metric(name, quantile(v, n, 0.99), n, spread);
	}
}

static enum kind parse_kind(const char *s)
{
	if (!strcmp(s, "report"))
		return K_REPORT;
	if (!strcmp(s, "key"))
		return K_KEY;
	if (!strcmp(s, "ext"))
		return K_EXT;
	fprintf(stderr, "bench: unknown request kind %s\n", s);
	exit(2);
}

static void fill_data(__u8 *data, unsigned int caller, uint64_t seq)
{
	memset(data, 0xa5, 64);
	memcpy(data, "BENCH", 5);
	memcpy(data + 8, &caller, sizeof(caller));
	memcpy(data + 16, &seq, sizeof(seq));
}

/* latency KIND N: total, platform and driver-only time per request, in µs. */
static int cmd_latency(const char *kind_s, long n)
{
	enum kind kind = parse_kind(kind_s);
	double *total = calloc(n, sizeof(double));
	double *plat = calloc(n, sizeof(double));
	double *drv = calloc(n, sizeof(double));
	uint64_t r0, p0, r1, p1, t0, t1;
	struct caller c;
	long i, errors = 0, odd = 0;
	char prefix[64];
	int ret;

	if (!total || !plat || !drv)
		die("calloc");
	caller_init(&c);
	/* Warm-up: caches, the first-use paths of both drivers. */
	for (i = 0; i < 20; i++) {
		fill_data(c.data, 0, i);
		request(&c, kind, NULL);
	}
	for (i = 0; i < n; i++) {
		fill_data(c.data, 0, 1000 + i);
		sim_stats(&r0, &p0);
		t0 = now_ns();
		ret = request(&c, kind, NULL);
		t1 = now_ns();
		sim_stats(&r1, &p1);
		if (ret) {
			errors++;
			if (errors < 5)
				fprintf(stderr, "bench: %s request %ld: %s\n", kind_s, i,
					strerror(-ret));
		}
		/* One request is one VMGEXIT (EXT: more if it had to be re-issued). */
		if (r1 - r0 != 1)
			odd++;
		total[i] = (t1 - t0) / 1000.0;
		plat[i] = (p1 - p0) / 1000.0;
		drv[i] = total[i] - plat[i];
	}
	snprintf(prefix, sizeof(prefix), "%s_latency_us", kind_s);
	summary(prefix, total, n, 1);
	snprintf(prefix, sizeof(prefix), "%s_platform_us", kind_s);
	summary(prefix, plat, n, 0);
	snprintf(prefix, sizeof(prefix), "%s_driver_us", kind_s);
	summary(prefix, drv, n, 0);
	printf("# %s: %ld requests, %ld errors, %ld with more than one platform call\n",
	       kind_s, n, errors, odd);
	snprintf(prefix, sizeof(prefix), "%s_errors", kind_s);
	metric(prefix, errors, n, "-");
	return errors ? 1 : 0;
}

/* throughput T SECONDS: T threads of report requests for SECONDS. */
struct worker {
	pthread_t tid;
	unsigned int id;
	long done, errors;
	struct caller c;
};

static int stop;
static pthread_barrier_t barrier;

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint64_t seq = 0;

	pthread_barrier_wait(&barrier);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		fill_data(w->c.data, w->id + 1, seq++);
		if (request(&w->c, K_REPORT, NULL))
			w->errors++;
		else
			w->done++;
	}
	return NULL;
}

static int cmd_throughput(long threads, double seconds)
{
	struct worker *w = calloc(threads, sizeof(*w));
	long i, total = 0, errors = 0, max = 0, min = -1;
	uint64_t t0, t1;
	char name[64], spread[160];
	struct timespec d;

	if (!w)
		die("calloc");
	pthread_barrier_init(&barrier, NULL, threads + 1);
	for (i = 0; i < threads; i++) {
		w[i].id = i;
		caller_init(&w[i].c);
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]))
			die("pthread_create");
	}
	pthread_barrier_wait(&barrier);
	t0 = now_ns();
	d.tv_sec = (time_t)seconds;
	d.tv_nsec = (long)((seconds - (double)d.tv_sec) * 1e9);
	nanosleep(&d, NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < threads; i++)
		pthread_join(w[i].tid, NULL);
	t1 = now_ns();
	for (i = 0; i < threads; i++) {
		total += w[i].done;
		errors += w[i].errors;
		if (w[i].done > max)
			max = w[i].done;
		if (min < 0 || w[i].done < min)
			min = w[i].done;
	}
	snprintf(name, sizeof(name), "throughput_%ld_rps", threads);
	snprintf(spread, sizeof(spread), "%.1f s, per caller %ld-%ld", (t1 - t0) / 1e9,
		 min, max);
	metric(name, total / ((t1 - t0) / 1e9), total, spread);
	snprintf(name, sizeof(name), "throughput_%ld_fairness", threads);
	snprintf(spread, sizeof(spread), "max/min completed per caller (%ld/%ld)", max, min);
	metric(name, min > 0 ? (double)max / min : 1e9, threads, spread);
	snprintf(name, sizeof(name), "throughput_%ld_min_per_caller", threads);
	metric(name, min, threads, "-");
	snprintf(name, sizeof(name), "throughput_%ld_errors", threads);
	metric(name, errors, total + errors, "wrong REPORT_DATA or failed requests");
	return errors || min <= 0 ? 1 : 0;
}

/*
 * busy MS|forever [N]: report requests whose REPORT_DATA selects the
 * platform's busy-ms:MS (or busy-forever) plan; time to the answer and the
 * resends (VMGEXITs beyond the first, counted by the bridge).
 */
static int cmd_busy(const char *ms, long n)
{
	int forever = !strcmp(ms, "forever");
	double *ttl = calloc(n, sizeof(double));
	double *resends = calloc(n, sizeof(double));
	uint64_t r0, p0, r1, p1, t0, t1;
	char plan[32], name[64];
	struct caller c;
	long i, bad = 0;
	__u64 exitinfo2;
	int ret;

	if (!ttl || !resends)
		die("calloc");
	if (forever)
		snprintf(plan, sizeof(plan), "busy-forever");
	else
		snprintf(plan, sizeof(plan), "busy-ms:%s", ms);
	caller_init(&c);
	for (i = 0; i < n; i++) {
		/* The platform's fault oracle: "SEVSIMFP" + the plan, NUL padded. */
		memset(c.data, 0, 64);
		memcpy(c.data, "SEVSIMFP", 8);
		memcpy(c.data + 8, plan, strlen(plan));
		sim_stats(&r0, &p0);
		t0 = now_ns();
		ret = request(&c, K_REPORT, &exitinfo2);
		t1 = now_ns();
		sim_stats(&r1, &p1);
		ttl[i] = (t1 - t0) / 1e6;
		resends[i] = (double)(r1 - r0 - 1);
		printf("# busy %s #%ld: %s exitinfo2=0x%016llx after %.1f ms, %llu resends\n",
		       ms, i, ret ? strerror(-ret) : "ok", (unsigned long long)exitinfo2,
		       ttl[i], (unsigned long long)(r1 - r0 - 1));
		if (forever ? ret != -ETIMEDOUT : ret != 0)
			bad++;
	}
	snprintf(name, sizeof(name), "busy_%s_ms", ms);
	summary(name, ttl, n, 0);
	snprintf(name, sizeof(name), "busy_%s_resends", ms);
	summary(name, resends, n, 0);
	return bad ? 1 : 0;
}

/* Writes "1" to every /sys/kernel/slab/<cache>/shrink: frees empty slabs and
 * (generic KASAN) the cache's quarantine, so freed objects stop counting.
 */
static void shrink_slabs(void)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir("/sys/kernel/slab");
	int fd;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink", e->d_name);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		/* Some caches refuse; the rest still count. */
		if (write(fd, "1", 1) < 0)
			errno = 0;
		close(fd);
	}
	closedir(d);
}

/* Slab: kB from /proc/meminfo. */
static long meminfo_kb(const char *key)
{
	char line[256];
	size_t k = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, k) && line[k] == ':')
			v = strtol(line + k + 1, NULL, 10);
	fclose(f);
	return v;
}

/* Active objects and their bytes over every cache in /proc/slabinfo. */
static void slab_totals(long *objs, long *bytes)
{
	char line[512], name[128];
	long active, num, size;
	FILE *f = fopen("/proc/slabinfo", "r");

	*objs = *bytes = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %ld %ld %ld", name, &active, &num, &size) != 4)
			continue;
		*objs += active;
		*bytes += active * size;
	}
	fclose(f);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

static const char *const alloc_events[] = {
	"kmem/kmalloc", "kmem/kmem_cache_alloc", "kmem/mm_page_alloc",
};

/*
 * Arms tracing of the kernel's allocation events for this process only,
 * with tracing off; returns the open tracing_on file (write "1" to start),
 * or -1 without tracefs.
 */
static int trace_arm(void)
{
	char path[256], pid[32];
	size_t i;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_str(TRACEFS "/tracing_on", "0") ||
	    write_str(TRACEFS "/buffer_size_kb", "8192") ||
	    write_str(TRACEFS "/set_event_pid", pid) ||
	    write_str(TRACEFS "/trace", ""))
		return -1;
	for (i = 0; i < ARRAY_SIZE(alloc_events); i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/%s/enable", alloc_events[i]);
		if (write_str(path, "1"))
			return -1;
	}
	return open(TRACEFS "/tracing_on", O_WRONLY);
}

/* Events off, buffer emptied (its size kept: resizing allocates). */
static void trace_disarm(void)
{
	char path[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(alloc_events); i++) {
		snprintf(path, sizeof(path), TRACEFS "/events/%s/enable", alloc_events[i]);
		write_str(path, "0");
	}
	write_str(TRACEFS "/trace", "");
	write_str(TRACEFS "/set_event_pid", "");
}

struct site {
	char name[128];
	long count;
};

/*
 * Counts the traced allocations by call site (top ones printed); returns
 * them all but kmemleak's own bookkeeping (its __alloc_object, one per
 * traced allocation under CONFIG_DEBUG_KMEMLEAK), lost events included.
 */
static long trace_report(long *kmemleak)
{
	static struct site sites[64];
	char line[1024], path[256], *p, *e;
	long total = 0, lost = 0, v;
	int nsites = 0, i, j, cpu;
	FILE *f = fopen(TRACEFS "/trace", "r");

	*kmemleak = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		p = strstr(line, "call_site=");
		if (p) {
			p += 10;
		} else {
			p = strstr(line, "mm_page_alloc:");
			if (!p)
				continue;
			p = "mm_page_alloc";
		}
		e = p + strcspn(p, " \n");
		if (strstr(line, "call_site=__alloc_object+") && strstr(line, "kmem_cache_alloc")) {
			(*kmemleak)++;
			continue;
		}
		total++;
		for (i = 0; i < nsites; i++)
			if (!strncmp(sites[i].name, p, e - p) && !sites[i].name[e - p])
				break;
		if (i == nsites && nsites < 64) {
			snprintf(sites[i].name, sizeof(sites[i].name), "%.*s", (int)(e - p), p);
			nsites++;
		}
		if (i < nsites)
			sites[i].count++;
	}
	fclose(f);
	for (cpu = 0; cpu < 64; cpu++) {
		snprintf(path, sizeof(path), TRACEFS "/per_cpu/cpu%d/stats", cpu);
		f = fopen(path, "r");
		if (!f)
			break;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "overrun: %ld", &v) == 1)
				lost += v;
		fclose(f);
	}
	/* Top call sites, most frequent first. */
	for (i = 0; i < nsites && i < 6; i++) {
		for (j = i + 1; j < nsites; j++) {
			if (sites[j].count > sites[i].count) {
				struct site t = sites[i];

				sites[i] = sites[j];
				sites[j] = t;
			}
		}
		printf("# allocation site %s: %ld\n", sites[i].name, sites[i].count);
	}
	printf("# kmemleak bookkeeping: %ld, lost events: %ld\n", *kmemleak, lost);
	return total + lost;
}

/*
 * slab N [TRACED]: the kernel allocations in the caller's context over TRACED
 * key requests (tracefs kmem events, this process only), then Slab before
 * and after N more key requests, untraced (the tracer allocates too).
 */
static int cmd_slab(long n, long traced)
{
	long kb0, kb1, o0, o1, b0, b1, i, errors = 0, allocs = -1, kmemleak = 0;
	char spread[200];
	struct caller c;
	int on_fd;

	caller_init(&c);
	for (i = 0; i < 200; i++)
		request(&c, K_KEY, NULL);
	on_fd = traced > 0 ? trace_arm() : -1;
	if (on_fd >= 0 && write(on_fd, "1", 1) != 1)
		on_fd = -1;
	if (on_fd >= 0) {
		for (i = 0; i < traced; i++)
			if (request(&c, K_KEY, NULL))
				errors++;
		if (write(on_fd, "0", 1) != 1)
			perror("tracing_on");
		close(on_fd);
		allocs = trace_report(&kmemleak);
		snprintf(spread, sizeof(spread),
			 "kmalloc/kmem_cache_alloc/page events in the caller's context, %.2f per request (kmemleak's own %ld not counted)",
			 (double)allocs / traced, kmemleak);
		metric("request_path_allocs", allocs, traced, spread);
		trace_disarm();
	}
	/* Let RCU-deferred frees (kmemleak's among them) finish. */
	sleep(2);
	shrink_slabs();
	kb0 = meminfo_kb("Slab");
	slab_totals(&o0, &b0);
	for (i = 0; i < n; i++)
		if (request(&c, K_KEY, NULL))
			errors++;
	sleep(2);
	shrink_slabs();
	kb1 = meminfo_kb("Slab");
	slab_totals(&o1, &b1);
	snprintf(spread, sizeof(spread), "Slab %ld -> %ld kB (meminfo)", kb0, kb1);
	metric("slab_growth_kb", kb1 - kb0, n, spread);
	snprintf(spread, sizeof(spread), "%ld -> %ld active objects, /proc/slabinfo", o0, o1);
	metric("slab_growth_objects", o1 - o0, n, spread);
	metric("slab_growth_bytes", b1 - b0, n, "active objects x object size, /proc/slabinfo");
	metric("slab_errors", errors, n + (traced > 0 ? traced : 0), "-");
	return errors ? 1 : 0;
}

/* mem: after draining the slab caches, "MemFree_kB Slab_kB objects bytes". */
static int cmd_mem(void)
{
	long objs, bytes;

	shrink_slabs();
	slab_totals(&objs, &bytes);
	printf("%ld %ld %ld %ld\n", meminfo_kb("MemFree"), meminfo_kb("Slab"), objs, bytes);
	return 0;
}

static void print_usage(void)
{
	fprintf(stderr,
		"usage: bench latency report|key|ext N | throughput T SECONDS |\n"
		"       busy MS|forever [N] | slab N [TRACED] | mem\n");
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "mem"))
		return cmd_mem();
	if (argc < 3)
		print_usage();
	if (!strcmp(argv[1], "latency") && argc == 4)
		return cmd_latency(argv[2], atol(argv[3]));
	if (!strcmp(argv[1], "throughput") && argc == 4)
		return cmd_throughput(atol(argv[2]), atof(argv[3]));
	if (!strcmp(argv[1], "busy"))
		return cmd_busy(argv[2], argc > 3 ? atol(argv[3]) : 1);
	if (!strcmp(argv[1], "slab") && (argc == 3 || argc == 4))
		return cmd_slab(atol(argv[2]), argc == 4 ? atol(argv[3]) : 1000);
	print_usage();
	return 2;
}
