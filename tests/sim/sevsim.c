// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated SEV-SNP platform's bridge (testing only).
 *
 * There is no SEV-SNP hardware in the test machines, so this module plays
 * the part of the platform for the guest drivers (the Rust sevguest and the
 * C sev-guest alike):
 *
 *  - it fills a secrets page, placed in memory reserved on the kernel command
 *    line (memmap=4K$<secrets_gpa>), with random VMPCK0-3 and the fields a
 *    real secrets page has, and keeps the firmware's own copy of the keys;
 *  - it registers the "sev-guest" platform device that points at it, as the
 *    SNP boot code does on real hardware;
 *  - debugfs sevsim/secrets shows the secrets page as the guest left it
 *    (and lets a test write the four message counters),
 *    sevsim/stats the requests handled and the time spent handling them;
 *  - it registers with the test-only hook in snp_issue_guest_request()
 *    (CONFIG_SEV_GUEST_SIM) and passes each guest request to the PSP model,
 *    a user-space process holding /dev/sevsim open (psp-sim), whose answer
 *    it carries back: the response page, the certificate pages, SW_EXITINFO2
 *    and RBX.
 *
 * The model is untrusted as far as this module is concerned: a request
 * nobody answers within model_timeout_ms, or in flight when the model
 * closes the device, fails as if no VMGEXIT had happened.  The protocol is
 * in sevsim.h.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cc_platform.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/random.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/unaligned.h>
#include <asm/sev.h>

#include "sevsim.h"

static unsigned long secrets_gpa;
module_param(secrets_gpa, ulong, 0444);
MODULE_PARM_DESC(secrets_gpa, "Physical address of the secrets page, reserved with memmap=4K$<addr>");

static unsigned int model_timeout_ms = 5000;
module_param(model_timeout_ms, uint, 0444);
MODULE_PARM_DESC(model_timeout_ms, "How long a guest request waits for the PSP model's answer");

static unsigned int msg_seqno;
module_param(msg_seqno, uint, 0444);
MODULE_PARM_DESC(msg_seqno, "The message count VMPCK0-3 start at (secrets page and firmware)");

static unsigned int scribble_ms = 50;
module_param(scribble_ms, uint, 0444);
MODULE_PARM_DESC(scribble_ms, "How long SEVSIM_F_SCRIBBLE keeps rewriting a response page");

/*
 * N: the sev-guest device is registered but the request hook is not, as
 * when something other than an SNP guest's platform code registers a device
 * of that name. The guest drivers must then refuse to probe.
 */
static bool emulate = true;
module_param(emulate, bool, 0444);
MODULE_PARM_DESC(emulate, "Register the request hook (N: the sev-guest device alone, which the drivers must refuse)");

/* The secrets page fields this module fills (struct snp_secrets_page). */
#define SECRETS_VERSION		3
#define SECRETS_FMS		0x00a00f11	/* family 19h, model 01h, stepping 1 */

enum slot_state {
	SLOT_IDLE,	/* no request */
	SLOT_PENDING,	/* a request waits for the model */
	SLOT_TAKEN,	/* the model read it */
	SLOT_ANSWERED,	/* the model answered */
	SLOT_ABANDONED,	/* the model went away holding it */
};

/*
 * One guest request at a time: SNP guest requests are serialised by the
 * drivers anyway, and a real GHCB is per CPU with interrupts off.
 */
static DEFINE_MUTEX(issue_lock);

/* Protects the slot, the buffers below and model_attached. */
static DEFINE_SPINLOCK(slot_lock);
static DECLARE_WAIT_QUEUE_HEAD(model_wq);
static DECLARE_WAIT_QUEUE_HEAD(guest_wq);
static enum slot_state slot;
static u64 next_id;
static struct sevsim_request *req;	/* what the model reads */
static struct sevsim_response *resp;	/* what it answered */
static u8 *certs;			/* SEVSIM_MAX_CERTS bytes */
static bool model_attached;

static struct snp_secrets_page __iomem *secrets;
static bool driver_bound;
static struct dentry *debugfs_dir;

/* What the guest requests cost inside the platform (benchmarks subtract it). */
static atomic64_t stat_requests;
static atomic64_t stat_platform_ns;
static struct sevsim_platform platform;	/* the firmware's copy */
static struct platform_device *pdev;

/*
 * SEVSIM_F_SCRIBBLE: rewrites a response page while the driver reads it
 * (R10), with the genuine answer, the genuine answer with one byte changed,
 * and the previous genuine answer the platform delivered (authentic too, for
 * another sequence number), each picked at random and held a random few
 * microseconds. A driver that reads the page twice (checks one version's
 * header, decrypts another) returns that previous answer as this one's.
 */
static struct task_struct *scribbler;
static u8 *scribble_copy;		/* the genuine page */
static u8 *scribble_prev;		/* the previous genuine page delivered */
static bool scribble_have_prev;
static DECLARE_COMPLETION(scribble_running);
#define SNP_MSG_HDR_SIZE	0x60
#define SNP_MSG_SZ_OFFSET	0x36
static phys_addr_t scribble_gpa;

static int scribble_fn(void *unused)
{
	unsigned long end = jiffies + msecs_to_jiffies(scribble_ms);
	void *page = memremap(scribble_gpa, PAGE_SIZE, MEMREMAP_WB);
	/* Only the bytes the driver reads: the header and msg_sz of payload. */
	size_t used = SNP_MSG_HDR_SIZE +
		      min_t(size_t, get_unaligned_le16(scribble_copy + SNP_MSG_SZ_OFFSET),
			    PAGE_SIZE - SNP_MSG_HDR_SIZE);
	bool running = false;

	while (page && !kthread_should_stop() && time_before(jiffies, end)) {
		switch (get_random_u32_below(3)) {
		case 0:
			memcpy(page, scribble_copy, PAGE_SIZE);
			break;
		case 1:
			memcpy(page, scribble_copy, PAGE_SIZE);
			((u8 *)page)[get_random_u32_below(used)] ^= 0x5a;
			break;
		default:
			if (scribble_have_prev)
				memcpy(page, scribble_prev, PAGE_SIZE);
			break;
		}
		if (!running) {
			complete(&scribble_running);
			running = true;
		}
		/*
		 * Held a while: the driver's reads of the page see whole versions
		 * as well as torn ones, and a switch can fall between two reads.
		 */
		ndelay(get_random_u32_below(3000));
		cond_resched();
	}
	if (!running)
		complete(&scribble_running);
	if (page)
		memunmap(page);
	/* Wait to be stopped so that the task is never reaped under us. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void scribble_stop(void)
{
	if (scribbler) {
		kthread_stop(scribbler);
		scribbler = NULL;
	}
}

static void scribble_start(phys_addr_t gpa)
{
	unsigned int cpu = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());

	scribble_gpa = gpa;
	memcpy(scribble_copy, resp->resp_page, PAGE_SIZE);
	reinit_completion(&scribble_running);
	scribbler = kthread_create(scribble_fn, NULL, "sevsim-scribble");
	if (IS_ERR(scribbler)) {
		pr_warn("cannot start the scribbler: %ld\n", PTR_ERR(scribbler));
		scribbler = NULL;
		return;
	}
	/*
	 * On another CPU, and already writing when the guest driver goes on:
	 * started after the exit and left to the scheduler, it ran after the
	 * driver had copied the page, and raced nothing.
	 */
	if (cpu < nr_cpu_ids)
		kthread_bind(scribbler, cpu);
	wake_up_process(scribbler);
	wait_for_completion(&scribble_running);
}

static int copy_to_guest(phys_addr_t gpa, const void *src, size_t len)
{
	void *dst = memremap(gpa, len, MEMREMAP_WB);

	if (!dst)
		return -EFAULT;
	memcpy(dst, src, len);
	memunmap(dst);
	return 0;
}

/*
 * Hands one guest request to the model and waits for its answer.  Returns
 * what snp_issue_guest_request() expects of the emulator: 0 when the
 * VMGEXIT completed (@exit filled), ES_VMM_ERROR when it failed, -EIO when
 * no GHCB could be had or nobody answered.
 */
static int sevsim_issue(u64 exit_code, struct snp_req_data *input, struct snp_sim_exit *exit)
{
	bool ext = exit_code == SEVSIM_EXT_GUEST_REQUEST;
	unsigned long timeout = msecs_to_jiffies(model_timeout_ms);
	enum slot_state done;
	void *page;
	int ret;

	lockdep_assert_held(&issue_lock);
	scribble_stop();

	page = memremap(input->req_gpa, PAGE_SIZE, MEMREMAP_WB);
	if (!page)
		return -EIO;

	spin_lock(&slot_lock);
	memset(req, 0, sizeof(*req));
	req->magic = SEVSIM_MAGIC;
	req->version = SEVSIM_VERSION;
	req->id = ++next_id;
	req->exit_code = exit_code;
	req->data_npages = ext ? input->data_npages : 0;
	memcpy(req->req_page, page, PAGE_SIZE);
	slot = SLOT_PENDING;
	spin_unlock(&slot_lock);
	memunmap(page);
	wake_up_interruptible(&model_wq);

	/*
	 * Uninterruptible, as a VMGEXIT is: how a driver copes with a fatal
	 * signal while the host keeps it waiting is for the driver to show,
	 * not for the platform to cut short. Bounded by model_timeout_ms.
	 */
	wait_event_timeout(guest_wq, READ_ONCE(slot) == SLOT_ANSWERED ||
			   READ_ONCE(slot) == SLOT_ABANDONED, timeout);

	spin_lock(&slot_lock);
	done = slot;
	slot = SLOT_IDLE;
	spin_unlock(&slot_lock);
	if (done != SLOT_ANSWERED) {
		pr_warn_ratelimited("request %llu: %s, no firmware call\n", req->id,
				    done == SLOT_ABANDONED ? "the model went away" :
				    "no answer from the model");
		return -EIO;
	}

	/* The model's answer is ours now: only a new request rewrites it. */
	switch (resp->action) {
	case SEVSIM_ACT_NO_GHCB:
		return -EIO;
	case SEVSIM_ACT_VMGEXIT_FAIL:
		return ES_VMM_ERROR;
	}

	if (resp->flags & SEVSIM_F_WRITE_RESP) {
		ret = copy_to_guest(input->resp_gpa, resp->resp_page, PAGE_SIZE);
		if (ret)
			return -EIO;
		/* The scribbler's "previous genuine answer"; it never mixes in its own page. */
		if (!(resp->flags & SEVSIM_F_SCRIBBLE) && resp->action == SEVSIM_ACT_COMPLETE) {
			memcpy(scribble_prev, resp->resp_page, PAGE_SIZE);
			scribble_have_prev = true;
		}
	}
	if (ext && (resp->flags & SEVSIM_F_WRITE_CERTS) && resp->certs_len) {
		size_t room = (size_t)input->data_npages * PAGE_SIZE;

		ret = copy_to_guest(input->data_gpa, certs,
				    min_t(size_t, resp->certs_len, room));
		if (ret)
			return -EIO;
	}
	if (resp->flags & SEVSIM_F_SCRIBBLE)
		scribble_start(input->resp_gpa);

	exit->sw_exit_info_2 = resp->exitinfo2;
	exit->rbx = resp->rbx;
	return 0;
}

static int sevsim_guest_request(u64 exit_code, struct snp_req_data *input,
				struct snp_sim_exit *exit)
{
	int ret;
	u64 start = ktime_get_ns();

	guard(mutex)(&issue_lock);
	ret = sevsim_issue(exit_code, input, exit);
	atomic64_inc(&stat_requests);
	atomic64_add(ktime_get_ns() - start, &stat_platform_ns);
	return ret;
}

static const struct snp_sim_ops sevsim_ops = {
	.guest_request = sevsim_guest_request,
};

static int sevsim_open(struct inode *inode, struct file *file)
{
	scoped_guard(spinlock, &slot_lock) {
		if (model_attached)
			return -EBUSY;
		model_attached = true;
	}
	return stream_open(inode, file);
}

static int sevsim_release(struct inode *inode, struct file *file)
{
	spin_lock(&slot_lock);
	model_attached = false;
	if (slot == SLOT_PENDING || slot == SLOT_TAKEN)
		slot = SLOT_ABANDONED;
	spin_unlock(&slot_lock);
	wake_up(&guest_wq);
	return 0;
}

static ssize_t sevsim_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	struct sevsim_request *copy;
	int ret;

	if (count < sizeof(*copy))
		return -EINVAL;
	copy = kmalloc(sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;

	for (;;) {
		ret = wait_event_interruptible(model_wq, READ_ONCE(slot) == SLOT_PENDING);
		if (ret)
			goto out;
		spin_lock(&slot_lock);
		if (slot == SLOT_PENDING) {
			memcpy(copy, req, sizeof(*copy));
			slot = SLOT_TAKEN;
			spin_unlock(&slot_lock);
			break;
		}
		spin_unlock(&slot_lock);
	}
	ret = copy_to_user(buf, copy, sizeof(*copy)) ? -EFAULT : sizeof(*copy);
out:
	kfree(copy);
	return ret;
}

static ssize_t sevsim_write(struct file *file, const char __user *buf, size_t count,
			    loff_t *ppos)
{
	const size_t fixed = sizeof(struct sevsim_response);
	struct sevsim_response *staged;
	ssize_t ret;

	if (count < fixed || count > fixed + SEVSIM_MAX_CERTS)
		return -EINVAL;
	staged = kvmalloc(count, GFP_KERNEL);
	if (!staged)
		return -ENOMEM;
	if (copy_from_user(staged, buf, count)) {
		ret = -EFAULT;
		goto out;
	}
	ret = -EINVAL;
	if (staged->magic != SEVSIM_MAGIC || staged->version != SEVSIM_VERSION ||
	    staged->action > SEVSIM_ACT_NO_GHCB || staged->flags & ~SEVSIM_F_ALL ||
	    staged->certs_len != count - fixed || staged->reserved)
		goto out;

	spin_lock(&slot_lock);
	if (slot != SLOT_TAKEN || staged->id != req->id) {
		spin_unlock(&slot_lock);
		ret = -ESTALE;
		goto out;
	}
	memcpy(resp, staged, fixed);
	memcpy(certs, (u8 *)staged + fixed, staged->certs_len);
	slot = SLOT_ANSWERED;
	spin_unlock(&slot_lock);
	wake_up(&guest_wq);
	ret = count;
out:
	kvfree(staged);
	return ret;
}

static long sevsim_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	if (cmd != SEVSIM_IOC_GET_PLATFORM)
		return -ENOTTY;
	if (copy_to_user((void __user *)arg, &platform, sizeof(platform)))
		return -EFAULT;
	return 0;
}

static const struct file_operations sevsim_fops = {
	.owner = THIS_MODULE,
	.open = sevsim_open,
	.release = sevsim_release,
	.read = sevsim_read,
	.write = sevsim_write,
	.unlocked_ioctl = sevsim_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice sevsim_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "sevsim",
	.fops = &sevsim_fops,
	.mode = 0600,
};

/* debugfs sevsim/stats: requests handled and the time spent in the platform. */
static int stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "requests %lld\nplatform_ns %lld\n",
		   atomic64_read(&stat_requests), atomic64_read(&stat_platform_ns));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* debugfs sevsim/secrets: the guest's secrets page as it is now (wiped keys, counters). */
static ssize_t secrets_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	void *copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	ssize_t ret;

	if (!copy)
		return -ENOMEM;
	memcpy_fromio(copy, secrets, PAGE_SIZE);
	ret = simple_read_from_buffer(buf, count, ppos, copy, PAGE_SIZE);
	kfree_sensitive(copy);
	return ret;
}

/*
 * Writing sevsim/secrets changes only the OS area's four message counters
 * (msg_seqno_0..3), as an earlier boot stage (a bootloader, a previous
 * kernel) could have left them: the tests write an odd counter this way.
 */
static ssize_t secrets_write(struct file *file, const char __user *buf, size_t count,
			     loff_t *ppos)
{
	const loff_t first = offsetof(struct snp_secrets_page, os_area.msg_seqno_0);
	const loff_t end = offsetof(struct snp_secrets_page, os_area.msg_seqno_3) + 4;
	u8 tmp[16];

	BUILD_BUG_ON(end - first != sizeof(tmp));
	if (*ppos < first || count > sizeof(tmp) || *ppos + count > end)
		return -EINVAL;
	if (copy_from_user(tmp, buf, count))
		return -EFAULT;
	memcpy_toio((u8 __iomem *)secrets + *ppos, tmp, count);
	*ppos += count;
	return count;
}

static const struct file_operations secrets_fops = {
	.owner = THIS_MODULE,
	.read = secrets_read,
	.write = secrets_write,
	.llseek = default_llseek,
};

/* Writes what a freshly launched guest's secrets page holds. */
static int fill_secrets(void)
{
	struct snp_secrets_page *page;
	int i;

	page = kzalloc(sizeof(*page), GFP_KERNEL);
	if (!page)
		return -ENOMEM;

	for (i = 0; i < 4; i++)
		get_random_bytes(platform.vmpck[i], sizeof(platform.vmpck[i]));
	platform.secrets_version = SECRETS_VERSION;
	platform.fms = SECRETS_FMS;
	platform.guest_vmpl = 0;
	platform.msg_seqno = msg_seqno;

	page->version = SECRETS_VERSION;
	page->fms = SECRETS_FMS;
	memcpy(page->vmpck0, platform.vmpck[0], VMPCK_KEY_LEN);
	memcpy(page->vmpck1, platform.vmpck[1], VMPCK_KEY_LEN);
	memcpy(page->vmpck2, platform.vmpck[2], VMPCK_KEY_LEN);
	memcpy(page->vmpck3, platform.vmpck[3], VMPCK_KEY_LEN);
	page->os_area.msg_seqno_0 = msg_seqno;
	page->os_area.msg_seqno_1 = msg_seqno;
	page->os_area.msg_seqno_2 = msg_seqno;
	page->os_area.msg_seqno_3 = msg_seqno;
	memcpy_toio(secrets, page, sizeof(*page));
	kfree_sensitive(page);
	return 0;
}

/*
 * A bound guest driver holds the device (and, through an open file, may keep
 * using it): the bridge cannot be unloaded under it.  Unload the guest driver
 * first.
 */
static int sevsim_bus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;

	/* By name: a driver already loaded binds before pdev is assigned. */
	if (strcmp(dev_name(dev), "sev-guest"))
		return NOTIFY_DONE;
	if (action == BUS_NOTIFY_UNBIND_DRIVER) {
		/* The driver frees its response page next: stop writing to it. */
		mutex_lock(&issue_lock);
		scribble_stop();
		mutex_unlock(&issue_lock);
	} else if (action == BUS_NOTIFY_BOUND_DRIVER && !driver_bound) {
		__module_get(THIS_MODULE);
		driver_bound = true;
	} else if (action == BUS_NOTIFY_UNBOUND_DRIVER && driver_bound) {
		driver_bound = false;
		module_put(THIS_MODULE);
	}
	return NOTIFY_OK;
}

static struct notifier_block sevsim_bus_nb = {
	.notifier_call = sevsim_bus_notify,
};

static void free_buffers(void)
{
	kfree(req);
	kfree(resp);
	kvfree(certs);
	kfree(scribble_copy);
	kfree(scribble_prev);
}

static int __init sevsim_init(void)
{
	struct sev_guest_platform_data data;
	int ret;

	BUILD_BUG_ON(sizeof(struct snp_secrets_page) != PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct sevsim_request) != 32 + SEVSIM_PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct sevsim_response) != 48 + SEVSIM_PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct sevsim_platform) != 144);

	if (cc_platform_has(CC_ATTR_GUEST_SEV_SNP)) {
		pr_err("this is a real SEV-SNP guest: refusing to simulate one\n");
		return -ENODEV;
	}
	if (!secrets_gpa || offset_in_page(secrets_gpa)) {
		pr_err("secrets_gpa=<page address reserved with memmap=4K$addr> is required\n");
		return -EINVAL;
	}

	req = kmalloc(sizeof(*req), GFP_KERNEL);
	resp = kmalloc(sizeof(*resp), GFP_KERNEL);
	certs = kvmalloc(SEVSIM_MAX_CERTS, GFP_KERNEL);
	scribble_copy = kmalloc(PAGE_SIZE, GFP_KERNEL);
	scribble_prev = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!req || !resp || !certs || !scribble_copy || !scribble_prev) {
		ret = -ENOMEM;
		goto e_free;
	}

	secrets = ioremap_encrypted(secrets_gpa, PAGE_SIZE);
	if (!secrets) {
		pr_err("cannot map the secrets page at %#lx (is it reserved?)\n", secrets_gpa);
		ret = -ENODEV;
		goto e_free;
	}
	ret = fill_secrets();
	if (ret)
		goto e_unmap;

	ret = emulate ? snp_sim_register(&sevsim_ops) : 0;
	if (ret)
		goto e_wipe;

	ret = bus_register_notifier(&platform_bus_type, &sevsim_bus_nb);
	if (ret)
		goto e_sim;

	data.secrets_gpa = secrets_gpa;
	pdev = platform_device_register_data(NULL, "sev-guest", PLATFORM_DEVID_NONE,
					     &data, sizeof(data));
	if (IS_ERR(pdev)) {
		ret = PTR_ERR(pdev);
		goto e_notifier;
	}

	debugfs_dir = debugfs_create_dir("sevsim", NULL);
	debugfs_create_file("stats", 0400, debugfs_dir, NULL, &stats_fops);
	debugfs_create_file("secrets", 0600, debugfs_dir, NULL, &secrets_fops);

	/* Last: once a model can attach, init no longer fails. */
	ret = misc_register(&sevsim_misc);
	if (ret)
		goto e_pdev;

	pr_info("simulated SEV-SNP platform: secrets page at %#lx, VMPCK0-3 set, /dev/sevsim\n",
		secrets_gpa);
	return 0;

e_pdev:
	debugfs_remove_recursive(debugfs_dir);
	platform_device_unregister(pdev);
e_notifier:
	bus_unregister_notifier(&platform_bus_type, &sevsim_bus_nb);
e_sim:
	if (emulate)
		snp_sim_unregister(&sevsim_ops);
e_wipe:
	memset_io(secrets, 0, PAGE_SIZE);
	memzero_explicit(&platform, sizeof(platform));
e_unmap:
	iounmap(secrets);
e_free:
	free_buffers();
	return ret;
}

static void __exit sevsim_exit(void)
{
	/* No model holds the device (it would hold this module). */
	misc_deregister(&sevsim_misc);
	debugfs_remove_recursive(debugfs_dir);
	/* No guest driver is bound (it would hold this module). */
	platform_device_unregister(pdev);
	bus_unregister_notifier(&platform_bus_type, &sevsim_bus_nb);
	/* Waits for a request still inside the hook. */
	if (emulate)
		snp_sim_unregister(&sevsim_ops);
	mutex_lock(&issue_lock);
	scribble_stop();
	mutex_unlock(&issue_lock);
	memset_io(secrets, 0, PAGE_SIZE);
	iounmap(secrets);
	memzero_explicit(&platform, sizeof(platform));
	free_buffers();
	pr_info("simulated SEV-SNP platform removed\n");
}

module_init(sevsim_init);
module_exit(sevsim_exit);

MODULE_DESCRIPTION("Simulated SEV-SNP platform bridge (testing only)");
MODULE_LICENSE("GPL");
