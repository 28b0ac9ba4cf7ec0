// SPDX-License-Identifier: GPL-2.0

//! The request engine: one guest message, from sealing to the verified answer.
//!
//! The rule everything here serves: no (VMPCK, IV) pair may seal two plaintexts. The IV is the
//! sequence number, so once a sealed message has been exposed to the hypervisor it is either
//! completed (the firmware answered) or the VMPCK is wiped. [`Exposed`] is that state: the only
//! way out of it is [`Exposed::complete`] or [`Exposed::fail`], and dropping it any other way
//! wipes the key. The counter in the secrets page moves past the request and its answer
//! *before* the first byte reaches the shared page, so a kernel that crashes, kexecs or starts
//! a kdump kernel while a request is exposed leaves the next kernel a counter it cannot reuse.
//! A retry (throttling, the certificate-length probe) re-sends the byte-identical sealed
//! message, never a re-encryption, and nothing between exposure and completion allocates or
//! touches user memory.

use crate::crypto::{Cipher, MsgBuf};
use crate::ghcb::{
    ExitCode, Hypervisor, Outcome, RequestPages, SharedPages, EXITINFO2_INVALID_LEN,
};
use crate::msg::{MsgType, ResponseFor, SnpGuestMsgHdr, SNP_GUEST_MSG_PAYLOAD_SIZE};
use crate::secrets::{Secrets, SecretsPage};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{
    bindings,
    mem_encrypt::DecryptedPages,
    page::PAGE_SIZE,
    prelude::*,
    time::{ktime_ms_delta, msecs_to_jiffies, Ktime},
    types::AsBytes,
};

/// The most certificate pages a request can take: 16 KiB, the C driver's
/// `SEV_FW_BLOB_MAX_SIZE` (no specification sets a maximum).
pub(crate) const CERTS_MAX_PAGES: u32 = 4;

/// How long, and how often, a throttled request is sent again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RetryPolicy {
    /// Give up (and wipe the key) once the host has been busy for this long.
    pub(crate) window_ms: u32,
    /// The first pause before sending again.
    pub(crate) first_delay_ms: u32,
    /// Pauses double up to this.
    pub(crate) max_delay_ms: u32,
}

impl RetryPolicy {
    /// The C driver's 60 s window, but resending after 10 ms first and backing off to 1.5 s,
    /// so a short throttle costs milliseconds (C sleeps 2 s each time) while a host that stays
    /// busy sees about 45 resends (C: 30; the bound we hold ourselves to is twice C's plus 10).
    pub(crate) const DEFAULT: Self = Self {
        window_ms: 60_000,
        first_delay_ms: 10,
        max_delay_ms: 1500,
    };
}

/// A failed request: the errno and what the ioctl reports besides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The errno.
    pub(crate) err: Error,
    /// The `exitinfo2` to report, when the request reached the hypervisor.
    pub(crate) exitinfo2: Option<u64>,
    /// For a certificate buffer that was too small: the page count the host asked for
    /// (untrusted, unchecked).
    pub(crate) certs_npages: Option<u64>,
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Self {
            err,
            exitinfo2: None,
            certs_npages: None,
        }
    }
}

/// The state of one VMPCK's conversation with the firmware. Lives behind the device lock:
/// every method takes `&mut self`.
pub(crate) struct Engine<H: Hypervisor, S: SecretsPage> {
    hv: H,
    retry: RetryPolicy,
    secrets: Secrets<S>,
    /// `None` once the key is wiped: every request then fails with `ENOTTY`.
    cipher: Option<Cipher>,
    shared_req: DecryptedPages,
    shared_resp: DecryptedPages,
    /// The certificate pages of extended requests.
    shared_certs: DecryptedPages,
    /// Private staging copies: the request is sealed here, the response checked here.
    req: MsgBuf,
    resp: MsgBuf,
    resends: u32,
    /// Whether "VMPCK is disabled" has been logged.
    disabled_reported: bool,
}

impl<H: Hypervisor, S: SecretsPage> Engine<H, S> {
    /// Sets up the engine for the VMPCK of `secrets`: its cipher, the shared pages and the
    /// private buffers, everything a request needs.
    ///
    /// An all-zero key is refused (`EINVAL`): it was wiped, here or by an earlier module or
    /// kernel, or never provisioned.
    pub(crate) fn new(hv: H, secrets: Secrets<S>, retry: RetryPolicy) -> Result<Self> {
        let Some(key) = secrets.key()? else {
            pr_err!(
                "VMPCK{} is all zeros (wiped earlier, or not provisioned): not using it\n",
                secrets.id().get()
            );
            return Err(EINVAL);
        };
        // A counter an earlier boot stage left odd would put our requests on the IVs of the
        // firmware's answers: refuse the key before anything is sealed with it.
        secrets.even_counter()?;
        let cipher = Cipher::new(key.bytes())?;
        drop(key);
        Ok(Self {
            hv,
            retry,
            secrets,
            cipher: Some(cipher),
            shared_req: DecryptedPages::new(1, GFP_KERNEL)?,
            shared_resp: DecryptedPages::new(1, GFP_KERNEL)?,
            shared_certs: DecryptedPages::new(CERTS_MAX_PAGES as usize, GFP_KERNEL)?,
            req: MsgBuf::new()?,
            resp: MsgBuf::new()?,
            resends: 0,
            disabled_reported: false,
        })
    }

    /// Whether the key has been wiped.
    #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
    pub(crate) fn is_disabled(&self) -> bool {
        self.cipher.is_none()
    }

    /// Whether the key is wiped, logging that once: a caller looping on the ioctl after a wipe
    /// must not flood the log (C rate-limits the same message).
    pub(crate) fn check_disabled(&mut self) -> bool {
        if self.cipher.is_some() {
            return false;
        }
        if !self.disabled_reported {
            self.disabled_reported = true;
            pr_err!("VMPCK{} is disabled\n", self.secrets.id().get());
        }
        true
    }

    /// The VMPCK's sequence counter, as the secrets page holds it.
    #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
    pub(crate) fn counter(&self) -> Result<u32> {
        self.secrets.counter()
    }

    /// How many times the last request was sent again because the host was busy.
    #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
    pub(crate) fn last_resends(&self) -> u32 {
        self.resends
    }

    /// The hypervisor, for tests to inspect.
    #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
    pub(crate) fn hv(&mut self) -> &mut H {
        &mut self.hv
    }

    /// Whether the key is still in the secrets page, for tests.
    #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
    pub(crate) fn key_in_secrets_page(&self) -> Result<bool> {
        Ok(self.secrets.key()?.is_some())
    }

    /// Whether the private response buffer is all zeros (no opened answer left in it), for
    /// tests.
    #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
    pub(crate) fn private_answer_cleared(&self) -> bool {
        self.resp.as_bytes().iter().all(|&b| b == 0)
    }

    /// Sends `req` as a `msg_type` message of version `msg_version` and writes the answer's
    /// payload into `resp` (zero-padded; a longer answer is refused). The driver always goes
    /// through [`Engine::send_with_certs`]; this is the tests' shorthand for a plain request.
    #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
    pub(crate) fn send(
        &mut self,
        exit: ExitCode,
        msg_type: MsgType,
        msg_version: u8,
        req: &[u8],
        resp: &mut [u8],
    ) -> Result<(), Failure> {
        self.send_with_certs(exit, msg_type, msg_version, req, resp, &mut [])
    }

    /// [`Engine::send`] for an extended request: also offers the host `certs.len() / 4096`
    /// certificate pages (at most [`CERTS_MAX_PAGES`]; none asks the host only whether it has
    /// certificates) and, on success, copies what the host put there into `certs`.
    pub(crate) fn send_with_certs(
        &mut self,
        exit: ExitCode,
        msg_type: MsgType,
        msg_version: u8,
        req: &[u8],
        resp: &mut [u8],
        certs: &mut [u8],
    ) -> Result<(), Failure> {
        let certs_npages = match u32::try_from(certs.len() / PAGE_SIZE) {
            Ok(n) if n <= CERTS_MAX_PAGES && certs.len() % PAGE_SIZE == 0 => n,
            _ => return Err(EINVAL.into()),
        };
        let resp_type = msg_type.response().ok_or(EINVAL)?;
        let Some(cipher) = self.cipher.as_mut() else {
            return Err(ENOTTY.into());
        };
        if req.len() > SNP_GUEST_MSG_PAYLOAD_SIZE {
            return Err(EINVAL.into());
        }
        // The next sequence number: refused before anything is sealed if the stored counter is
        // odd (a request would take the IV of an earlier answer) or the 32-bit counter would
        // wrap (the key is kept: nothing was sent).
        let seqno = u64::from(self.secrets.even_counter()?) + 1;
        if seqno >= u64::from(u32::MAX) {
            if !muted() {
                pr_err!(
                    "VMPCK{} sequence numbers exhausted\n",
                    self.secrets.id().get()
                );
            }
            return Err(EIO.into());
        }
        // Build and seal in private memory: the host never sees the plaintext or a half-built
        // message.
        self.req.as_bytes_mut().fill(0);
        self.req.hdr = SnpGuestMsgHdr::request(
            seqno,
            msg_type,
            msg_version,
            req.len() as u16,
            self.secrets.id().get(),
        );
        self.req.payload[..req.len()].copy_from_slice(req);
        cipher.seal(&mut self.req, req.len())?;

        // The counter moves past `seqno` and its answer `seqno + 1` now, before the message is
        // exposed: a kernel that dies while the host holds the request (kexec, kdump, a crash
        // during a minute of BUSY) must not leave the next kernel a counter that reseals a
        // different message under `seqno`. `seqno + 1` fits: `seqno < u32::MAX` was checked.
        // Nothing was exposed yet if the store fails, so the key is kept.
        self.secrets.set_counter((seqno + 1) as u32)?;

        // No stale answer, and no certificates of an earlier request, can pass for this one's.
        // (A plain request reads no certificates: their pages are left alone.)
        self.shared_resp.fill_zero();
        if certs_npages > 0 {
            self.shared_certs.fill_zero();
        }
        self.resends = 0;
        let mut exposed = Exposed {
            engine: self,
            start: Ktime::ktime_get(),
            certs_npages,
            settled: false,
        };
        let outcome = exposed.issue(exit);
        let expected = ResponseFor {
            seqno: seqno + 1,
            msg_type: resp_type,
            msg_version,
            vmpck: exposed.engine.secrets.id().get(),
            capacity: resp.len(),
        };
        match outcome {
            Outcome::Done => exposed.verify(expected, resp, certs),
            Outcome::Busy => Err(exposed.fail(ETIMEDOUT, outcome.exitinfo2())),
            Outcome::InvalidLen { npages } if exit == ExitCode::ExtGuestRequest => {
                // The certificate buffer was too small. Send the same bytes as a plain request
                // so the firmware consumes the sequence number, then report the size.
                match exposed.issue(ExitCode::GuestRequest) {
                    Outcome::Done => {
                        // Only the firmware's genuine answer shows that it consumed the
                        // sequence number: a host that claims success without passing the
                        // request on (C trusts it) would leave the key one request ahead of the
                        // firmware. The answer itself is not for the caller.
                        exposed.verify(expected, resp, &mut [])?;
                        resp.fill(0);
                        Err(Failure {
                            err: EIO,
                            exitinfo2: Some(EXITINFO2_INVALID_LEN),
                            certs_npages: Some(npages),
                        })
                    }
                    // The real error reaches user space (C reports INVALID_LEN here and keeps
                    // a key the firmware may now be out of step with), and the key goes.
                    Outcome::Busy => Err(exposed.fail(ETIMEDOUT, Outcome::Busy.exitinfo2())),
                    again => Err(exposed.fail(EIO, again.exitinfo2())),
                }
            }
            _ => Err(exposed.fail(EIO, outcome.exitinfo2())),
        }
    }
}

/// A sealed request the hypervisor has seen.
///
/// It must be settled: [`Exposed::complete`] when the firmware's genuine answer arrived,
/// [`Exposed::fail`] otherwise, which wipes the key. Dropping it unsettled (an early return, a
/// path someone forgot) also wipes the key. The counter was moved past it before it was exposed.
#[must_use = "an exposed request must be completed or failed"]
struct Exposed<'a, H: Hypervisor, S: SecretsPage> {
    engine: &'a mut Engine<H, S>,
    /// When the request was first sent: the start of its retry window.
    start: Ktime,
    certs_npages: u32,
    settled: bool,
}

impl<H: Hypervisor, S: SecretsPage> Exposed<'_, H, S> {
    /// Sends the sealed message, again while the host says it is busy, inside the retry window,
    /// pausing with a growing delay. The pauses sleep uninterruptibly: no busy loop even for a
    /// task with a fatal signal pending (the C driver spins then), and the request is never
    /// abandoned half-way: a killed caller stays until its request is answered or the window
    /// closes and the key is wiped.
    fn issue(&mut self, exit: ExitCode) -> Outcome {
        let e = &mut *self.engine;
        let extended = exit == ExitCode::ExtGuestRequest;
        let pages = RequestPages {
            req_gpa: e.shared_req.phys_addr(),
            resp_gpa: e.shared_resp.phys_addr(),
            certs_gpa: if extended {
                e.shared_certs.phys_addr()
            } else {
                0
            },
            certs_npages: if extended { self.certs_npages } else { 0 },
        };
        let mut delay = e.retry.first_delay_ms;
        loop {
            // Byte for byte the message sealed once, whatever the host did to the page.
            if e.shared_req.write_from(0, e.req.as_bytes()).is_err() {
                return Outcome::NoCall;
            }
            let shared = SharedPages {
                req: &mut e.shared_req,
                resp: &mut e.shared_resp,
                certs: &mut e.shared_certs,
            };
            let outcome = e.hv.issue(exit, &pages, shared);
            // One window for the whole request, re-issue included, as in C: the lock is never
            // held longer than that by a busy host.
            if outcome != Outcome::Busy
                || ktime_ms_delta(Ktime::ktime_get(), self.start) >= i64::from(e.retry.window_ms)
            {
                return outcome;
            }
            sleep_ms(delay);
            delay = delay.saturating_mul(2).min(e.retry.max_delay_ms);
            e.resends += 1;
        }
    }

    /// The firmware answered: check the answer on a private copy and open it, and take a
    /// private snapshot of the certificates the host offered.
    fn verify(
        mut self,
        expected: ResponseFor,
        out: &mut [u8],
        certs: &mut [u8],
    ) -> Result<(), Failure> {
        let e = &mut *self.engine;
        // Copy first, then check and decrypt only the copy: a host rewriting the page while we
        // work cannot make us check one answer and decrypt another.
        if e.shared_resp.read_into(0, e.resp.as_bytes_mut()).is_err() {
            return Err(self.fail(EBADMSG, 0));
        }
        // The certificates (unauthenticated host data) are copied once, here; user space gets
        // this snapshot, never the shared pages. Bounds were checked before sealing.
        if e.shared_certs.read_into(0, certs).is_err() {
            return Err(self.fail(EINVAL, 0));
        }
        let hdr = e.resp.hdr;
        let len = usize::from(hdr.msg_sz);
        // Every header field, not only the tag: whoever holds the key (a firmware bug, another
        // VMPL's software with the same key) can seal a header that authenticates but answers
        // another request, or claims more bytes than the caller's buffer holds.
        let opened = hdr.is_response_for(&expected)
            && e.cipher
                .as_mut()
                .is_some_and(|c| c.open(&mut e.resp, len).is_ok());
        if opened {
            out.fill(0);
            out[..len].copy_from_slice(&e.resp.payload[..len]);
        }
        // The plaintext (a derived key, say), or what a forged answer decrypted to, does not
        // linger.
        e.resp.as_bytes_mut().fill(0);
        if !opened {
            return Err(self.fail(EBADMSG, 0));
        }
        self.complete();
        Ok(())
    }

    /// Settles the request as answered: the key stays.
    fn complete(&mut self) {
        self.settled = true;
    }

    /// Settles the request as failed: the key is wiped for good, as the firmware may have
    /// consumed the sequence number (or a forger may know the key's stream at that IV).
    fn fail(&mut self, err: Error, exitinfo2: u64) -> Failure {
        if !muted() {
            pr_alert!(
                "Detected error from ASP request. rc: {}, exitinfo2: {:#x}\n",
                err.to_errno(),
                exitinfo2
            );
        }
        self.engine.wipe();
        self.settled = true;
        Failure {
            err,
            exitinfo2: Some(exitinfo2),
            certs_npages: None,
        }
    }
}

impl<H: Hypervisor, S: SecretsPage> Drop for Exposed<'_, H, S> {
    fn drop(&mut self) {
        if !self.settled {
            self.engine.wipe();
        }
    }
}

impl<H: Hypervisor, S: SecretsPage> Engine<H, S> {
    /// Wipes the key in the secrets page and in the cipher.
    fn wipe(&mut self) {
        if self.cipher.take().is_some() {
            if !muted() {
                pr_alert!(
                    "Disabling VMPCK{} communication key to prevent IV reuse.\n",
                    self.secrets.id().get()
                );
            }
        }
        self.secrets.wipe_key();
    }
}

/// Mutes the engine's messages, for the KUnit enumeration of hostile hosts only: it wipes
/// thousands of keys, and each wipe is logged at `KERN_ALERT` (minutes of output on the test
/// VM's serial console). Nothing else sets it.
pub(crate) static MUTED: AtomicBool = AtomicBool::new(false);

/// Whether the engine's messages are muted (never, outside KUnit builds).
fn muted() -> bool {
    cfg!(CONFIG_SEV_GUEST_RUST_KUNIT_TEST) && MUTED.load(Ordering::Relaxed)
}

/// Sleeps for about `ms` milliseconds, ignoring signals.
fn sleep_ms(ms: u32) {
    let jiffies = msecs_to_jiffies(ms);
    // SAFETY: Called from process context (an ioctl or configfs read) holding only sleepable
    // locks; sleeping is allowed there.
    unsafe { bindings::schedule_timeout_uninterruptible(jiffies as _) };
}
