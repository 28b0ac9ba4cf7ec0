// SPDX-License-Identifier: GPL-2.0

//! A fake SNP firmware behind a scriptable, hostile hypervisor, for the engine's KUnit suite.
//!
//! The firmware side seals and opens with the kernel's AES-GCM library (`lib/crypto`,
//! `aesgcm_*`), not the crypto API the driver uses, so the two sides share no cipher code. It
//! enforces the sequence numbers per VMPCK as the PSP does, and it keeps an IV-reuse monitor
//! over both directions: a (VMPCK, seqno) that seals two different messages, a request on the
//! IV of an earlier answer included, is recorded. At every VMGEXIT it also reads the secrets
//! page, as a kernel booted at that moment (kexec, kdump) would find it, and records whether
//! the stored counter is already past the exposed request and its answer.

use crate::crypto::MsgBuf;
use crate::ghcb::{ExitCode, Hypervisor, Outcome, RequestPages, SharedPages};
use crate::msg::{MsgType, SnpGuestMsg, SnpGuestMsgHdr, AAD_RANGE, AUTHTAG_LEN};
use crate::secrets::SecretsPage;
use kernel::{
    bindings,
    mem_encrypt::DecryptedPages,
    new_mutex,
    prelude::*,
    sync::{Arc, Mutex},
    types::AsBytes,
};

/// AES-256-GCM from `lib/crypto`.
pub(crate) struct LibGcm(KBox<bindings::aesgcm_ctx>);

impl LibGcm {
    pub(crate) fn new(key: &[u8; 32]) -> Result<Self> {
        // SAFETY: `aesgcm_ctx` is plain data, all zeros is a valid (empty) value.
        let mut ctx = KBox::new(
            unsafe { core::mem::zeroed::<bindings::aesgcm_ctx>() },
            GFP_KERNEL,
        )?;
        // SAFETY: `ctx` is valid for writes; `key` holds 32 bytes.
        kernel::error::to_result(unsafe {
            bindings::aesgcm_expandkey(&mut *ctx, key.as_ptr(), 32, AUTHTAG_LEN as u32)
        })?;
        Ok(Self(ctx))
    }

    pub(crate) fn seal(&self, msg: &mut SnpGuestMsg, len: usize) {
        let iv = msg.hdr.iv();
        let aad: [u8; 48] = msg.hdr.as_bytes()[AAD_RANGE].try_into().unwrap_or([0; 48]);
        let mut tag = [0u8; AUTHTAG_LEN];
        let p = msg.payload.as_mut_ptr();
        // SAFETY: `p` holds `len` bytes (in place is allowed), the other buffers are valid.
        unsafe {
            bindings::aesgcm_encrypt(
                &*self.0,
                p,
                p,
                len as i32,
                aad.as_ptr(),
                48,
                iv.as_ptr(),
                tag.as_mut_ptr(),
            )
        };
        msg.hdr.authtag = [0; 32];
        msg.hdr.authtag[..AUTHTAG_LEN].copy_from_slice(&tag);
    }

    fn open(&self, msg: &mut SnpGuestMsg, len: usize) -> bool {
        let iv = msg.hdr.iv();
        let aad: [u8; 48] = msg.hdr.as_bytes()[AAD_RANGE].try_into().unwrap_or([0; 48]);
        let tag: [u8; AUTHTAG_LEN] = msg.hdr.authtag[..AUTHTAG_LEN].try_into().unwrap_or([0; 16]);
        let p = msg.payload.as_mut_ptr();
        // SAFETY: As in `seal`.
        unsafe {
            bindings::aesgcm_decrypt(
                &*self.0,
                p,
                p,
                len as i32,
                aad.as_ptr(),
                48,
                iv.as_ptr(),
                tag.as_ptr(),
            )
        }
    }
}

/// What the hypervisor does to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Passes requests to the firmware and answers back.
    None,
    /// Answers BUSY this many times, then behaves.
    Busy(u32),
    /// Always BUSY.
    BusyForever,
    /// INVALID_LEN with this page count on extended requests, then behaves.
    InvalidLen(u64),
    /// INVALID_LEN, then this error on the plain re-issue.
    InvalidLenThen(u64),
    /// INVALID_LEN with this page count, whatever the exit (on a plain request a host lie).
    InvalidLenAny(u64),
    /// This `exitinfo2` without calling the firmware.
    Error(u64),
    /// The VMGEXIT fails.
    NoCall,
    /// Claims success, leaves the response page alone.
    Drop,
    /// Serves, then answers with the previous genuine response instead (a blank page when
    /// there was none).
    Replay,
    /// Serves, then XORs `mask` into byte `offset` of the response page.
    Flip(usize, u8),
    /// Serves, then sets the response header's `msg_seqno`.
    Seqno(u64),
    /// Serves, then sets the response header's `msg_type`.
    Type(u8),
    /// Serves, then sets the response header's `msg_version`.
    Version(u8),
    /// Serves, then sets the response header's `msg_sz`.
    MsgSz(u16),
    /// XORs `mask` into byte `offset` of the request page before the firmware reads it.
    FlipRequest(usize, u8),
    /// XORs `mask` into byte `offset` of the request page and answers BUSY.
    TamperThenBusy(usize, u8),
    /// Serves, but seals the answer (with the right key: an authentic forgery) with one header
    /// field changed.
    Forge(Forgery),
    /// Serves, but delivers the firmware's answer to another VMPL's request with the same
    /// sequence number (sealed with that VMPL's key, relabelled for this one) instead.
    Misroute,
    /// Passes the request to the firmware (which consumes its sequence number), then tells
    /// the guest this instead of the answer.
    ServedThen(Lie),
}

/// What a host that had the request served claims instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lie {
    Busy,
    InvalidLen(u64),
    Error(u64),
}

/// The one header field an authentic forgery gets wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Forgery {
    MsgType(u8),
    MsgVersion(u8),
    /// The payload is sealed with this length too.
    MsgSz(u16),
    MsgSeqno(u64),
    HdrVersion(u8),
    HdrSz(u16),
    Algo(u8),
    MsgVmpck(u8),
}

impl Forgery {
    fn apply(self, hdr: &mut SnpGuestMsgHdr) {
        match self {
            Forgery::MsgType(v) => hdr.msg_type = v,
            Forgery::MsgVersion(v) => hdr.msg_version = v,
            Forgery::MsgSz(v) => hdr.msg_sz = v,
            Forgery::MsgSeqno(v) => hdr.msg_seqno = v,
            Forgery::HdrVersion(v) => hdr.hdr_version = v,
            Forgery::HdrSz(v) => hdr.hdr_sz = v,
            Forgery::Algo(v) => hdr.algo = v,
            Forgery::MsgVmpck(v) => hdr.msg_vmpck = v,
        }
    }
}

/// Which way a sealed message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

/// The secrets page, shared between the engine (through [`MemSecrets`]) and the firmware side,
/// which reads it at every VMGEXIT.
pub(crate) type SharedSecrets = Arc<Mutex<KBox<[u8; 4096]>>>;

/// The firmware's answer payload length for a report: status, size, reserved, 1184-byte report.
pub(crate) const REPORT_RSP_LEN: usize = 0x20 + 0x4a0;

/// A fake PSP behind a hostile hypervisor.
pub(crate) struct FakeFw {
    keys: [LibGcm; 4],
    /// The last sequence number used per VMPCK (the PSP's own counter).
    last: [u64; 4],
    pub(crate) fault: Fault,
    /// Requests that reached the hypervisor (every send, resends included).
    pub(crate) calls: u32,
    /// Requests the firmware processed.
    pub(crate) served: u32,
    /// Exit codes of the calls, in order (first 8).
    pub(crate) exits: KVec<ExitCode>,
    /// Seen (vmpck, seqno, direction, sealed message) for the IV-reuse monitor: every
    /// request the driver exposed and every genuine answer the firmware sealed.
    seen: KVec<(u8, u64, Dir, MsgBuf)>,
    /// Set when one (VMPCK, seqno) sealed two different messages, in either direction.
    pub(crate) iv_reuse: bool,
    /// The secrets page the engine uses, when the firmware may read it.
    pub(crate) secrets: Option<SharedSecrets>,
    /// VMGEXITs at which the stored counter was read.
    pub(crate) counter_checks: u32,
    /// Set when, at a VMGEXIT, the stored counter was not yet past the exposed request's
    /// sequence number and its answer's: a kernel starting then would reuse their IVs.
    pub(crate) counter_behind: bool,
    /// The forgery the next answer carries.
    forge: Option<Forgery>,
    /// The last genuine response page.
    last_resp: Option<KBox<[u8; 4096]>>,
    /// Payload length of report answers (a short genuine answer when below `REPORT_RSP_LEN`).
    pub(crate) report_len: usize,
    /// Certificate pages the host has (0: "no certificates", what most hosts give).
    pub(crate) certs_pages: u32,
    /// A per-VMGEXIT script: the n-th call gets `script[n]` as its fault for that call alone;
    /// once the script is used up every call is served. `None`: `fault` applies throughout.
    script: Option<KVec<Fault>>,
    /// How many entries of `script` were used.
    pub(crate) script_used: usize,
    /// Set while serving a [`Fault::Misroute`].
    misroute: bool,
    /// The in-band status of report answers (0: success).
    pub(crate) report_status: u32,
    scratch: MsgBuf,
}

impl FakeFw {
    /// The IV-reuse monitor: every request the driver hands to the hypervisor (resends and
    /// re-issues included), before the hypervisor does anything with it; and the stored counter
    /// as the secrets page holds it at this moment.
    fn monitor(&mut self, req: &DecryptedPages) {
        let Ok(mut m) = MsgBuf::new() else {
            return;
        };
        if req.read_into(0, m.as_bytes_mut()).is_err() {
            return;
        }
        let (vmpck, seqno) = (m.hdr.msg_vmpck, m.hdr.msg_seqno);
        if let Some(page) = &self.secrets {
            let off = seqno_offset(vmpck.min(3));
            let p = page.lock();
            let stored = u32::from_le_bytes([p[off], p[off + 1], p[off + 2], p[off + 3]]);
            self.counter_checks += 1;
            if u64::from(stored) < seqno.saturating_add(1) {
                self.counter_behind = true;
            }
        }
        self.record(vmpck, seqno, Dir::Request, m);
    }

    /// Records one sealed message; a (VMPCK, seqno) already used for other bytes, or used in
    /// the other direction at all, is IV reuse. Byte-identical resends are fine.
    fn record(&mut self, vmpck: u8, seqno: u64, dir: Dir, m: MsgBuf) {
        for (v, s, d, sealed) in self.seen.iter() {
            if *v == vmpck && *s == seqno {
                if *d != dir || sealed.as_bytes() != m.as_bytes() {
                    self.iv_reuse = true;
                }
                return;
            }
        }
        let _ = self.seen.push((vmpck, seqno, dir, m), GFP_KERNEL);
    }

    /// Shares the engine's secrets page with the firmware side, so every VMGEXIT checks the
    /// stored counter.
    pub(crate) fn watch_secrets(&mut self, page: SharedSecrets) {
        self.secrets = Some(page);
    }

    /// Drives the next VMGEXITs by `script`, one entry each (see [`FakeFw::script`]).
    pub(crate) fn set_script(&mut self, script: &[Fault]) -> Result {
        let mut v = KVec::with_capacity(script.len(), GFP_KERNEL)?;
        v.extend_from_slice(script, GFP_KERNEL)?;
        self.script = Some(v);
        self.script_used = 0;
        self.fault = Fault::None;
        Ok(())
    }

    /// The sequence number the firmware expects next on VMPCK `vmpck` (less one: the counter a
    /// driver in step with it stores).
    pub(crate) fn last_seqno(&self, vmpck: usize) -> u64 {
        self.last[vmpck]
    }

    /// Seals `msg` (header filled in, `len` payload bytes) with VMPCK `vmpck`, as a driver
    /// would: for tests that hand the hypervisor a request the engine would refuse to build.
    pub(crate) fn seal_as_guest(&self, vmpck: usize, msg: &mut SnpGuestMsg, len: usize) {
        self.keys[vmpck].seal(msg, len);
    }

    pub(crate) fn new(keys: &[[u8; 32]; 4], counters: [u32; 4]) -> Result<Self> {
        Ok(Self {
            keys: [
                LibGcm::new(&keys[0])?,
                LibGcm::new(&keys[1])?,
                LibGcm::new(&keys[2])?,
                LibGcm::new(&keys[3])?,
            ],
            last: counters.map(u64::from),
            fault: Fault::None,
            calls: 0,
            served: 0,
            exits: KVec::new(),
            seen: KVec::new(),
            iv_reuse: false,
            secrets: None,
            counter_checks: 0,
            counter_behind: false,
            forge: None,
            last_resp: None,
            report_len: REPORT_RSP_LEN,
            certs_pages: 0,
            script: None,
            script_used: 0,
            misroute: false,
            report_status: 0,
            scratch: MsgBuf::new()?,
        })
    }

    /// The PSP: checks and opens the request in `page`, writes a sealed answer. `Err` carries
    /// the firmware status.
    fn serve(&mut self, page: &DecryptedPages, resp: &mut DecryptedPages) -> Result<(), u64> {
        let m = &mut *self.scratch;
        page.read_into(0, m.as_bytes_mut()).map_err(|_| 0x16u64)?;
        let hdr = m.hdr;
        let vmpck = usize::from(hdr.msg_vmpck);
        if vmpck > 3 || hdr.algo != 1 || hdr.hdr_version != 1 || hdr.hdr_sz != 96 {
            return Err(0x16);
        }
        if hdr.msg_seqno != self.last[vmpck] + 1 {
            return Err(0x16);
        }
        let len = usize::from(hdr.msg_sz);
        if len > m.payload.len() || !self.keys[vmpck].open(m, len) {
            return Err(0x1d);
        }
        let (rtype, rlen) = if hdr.msg_type == MsgType::ReportReq as u8 && len == 96 {
            // status 0, report_size, then a report with REPORT_DATA at 0x50 and VMPL at 0x30.
            let mut out = [0u8; 96];
            out.copy_from_slice(&m.payload[..96]);
            m.payload.fill(0);
            m.payload[0..4].copy_from_slice(&self.report_status.to_le_bytes());
            m.payload[4..8].copy_from_slice(&0x4a0u32.to_le_bytes());
            m.payload[0x20 + 0x50..0x20 + 0x90].copy_from_slice(&out[..64]);
            m.payload[0x20 + 0x30..0x20 + 0x34].copy_from_slice(&out[64..68]);
            (MsgType::ReportRsp, self.report_len)
        } else if hdr.msg_type == MsgType::KeyReq as u8 && len == 32 {
            let mut out = [0u8; 32];
            out.copy_from_slice(&m.payload[..32]);
            m.payload.fill(0);
            for (i, b) in m.payload[0x20..0x40].iter_mut().enumerate() {
                *b = out[i % 32] ^ (i as u8) ^ (vmpck as u8);
            }
            (MsgType::KeyRsp, 64)
        } else {
            return Err(0x16);
        };
        self.last[vmpck] = hdr.msg_seqno + 1;
        // Misrouted: the answer to another VMPL's request at the same sequence number (sealed
        // with that VMPL's key), its header relabelled by the host to match this request, so
        // that only the tag can tell.
        let seal_vmpck = if self.misroute {
            (vmpck + 1) % 4
        } else {
            vmpck
        };
        m.hdr = SnpGuestMsgHdr::request(
            hdr.msg_seqno + 1,
            rtype,
            hdr.msg_version,
            rlen as u16,
            hdr.msg_vmpck,
        );
        let mut sealed_len = rlen;
        if let Some(f) = self.forge {
            f.apply(&mut m.hdr);
            sealed_len = usize::from(m.hdr.msg_sz).min(m.payload.len());
        }
        self.keys[seal_vmpck].seal(m, sealed_len);
        resp.write_from(0, m.as_bytes()).map_err(|_| 0x16u64)?;
        self.served += 1;
        // A forger's own sealing is the attack, not the driver's IV use: only genuine answers
        // are recorded (a forged `msg_seqno` may well repeat the request's IV).
        if self.forge.is_none() && !self.misroute {
            if let Ok(mut copy) = MsgBuf::new() {
                copy.as_bytes_mut().copy_from_slice(m.as_bytes());
                let seqno = m.hdr.msg_seqno;
                self.record(hdr.msg_vmpck, seqno, Dir::Response, copy);
            }
        }
        if self.forge.is_none() && !self.misroute {
            self.remember_response(resp);
        }
        Ok(())
    }

    fn remember_response(&mut self, resp: &DecryptedPages) {
        if let Ok(mut b) = KBox::new([0u8; 4096], GFP_KERNEL) {
            if resp.read_into(0, &mut b[..]).is_ok() {
                self.last_resp = Some(b);
            }
        }
    }
}

impl Hypervisor for FakeFw {
    fn issue(&mut self, exit: ExitCode, pages: &RequestPages, shared: SharedPages<'_>) -> Outcome {
        if let Some(script) = &self.script {
            self.fault = script.get(self.script_used).copied().unwrap_or(Fault::None);
            self.script_used = (self.script_used + 1).min(script.len());
        }
        let SharedPages { req, resp, certs } = shared;
        self.calls += 1;
        self.monitor(req);
        if self.exits.len() < 8 {
            let _ = self.exits.push(exit, GFP_KERNEL);
        }
        if let Fault::TamperThenBusy(off, mask) = self.fault {
            // The hypervisor owns the shared page: a resend must not carry its change.
            let mut b = [0u8; 1];
            if req.read_into(off, &mut b).is_ok() {
                b[0] ^= mask;
                let _ = req.write_from(off, &b);
            }
            return Outcome::Busy;
        }
        let req: &DecryptedPages = req;
        let served = |fw: &mut Self, resp: &mut DecryptedPages| match fw.serve(req, resp) {
            Ok(()) => Outcome::Done,
            Err(status) => Outcome::Error { exitinfo2: status },
        };
        // A host with certificates wants room for all of them on an extended request.
        if exit == ExitCode::ExtGuestRequest && self.fault == Fault::None && self.certs_pages > 0 {
            if pages.certs_npages < self.certs_pages {
                return Outcome::InvalidLen {
                    npages: self.certs_pages.into(),
                };
            }
            let o = served(self, resp);
            if o == Outcome::Done {
                // Stamped with the answer's sequence number.
                let stamp = self.last.iter().copied().max().unwrap_or(0) as u8;
                write_cert_table(certs, stamp);
            }
            return o;
        }
        match self.fault {
            Fault::None => served(self, resp),
            Fault::Busy(0) => {
                self.fault = Fault::None;
                served(self, resp)
            }
            Fault::Busy(k) => {
                self.fault = Fault::Busy(k - 1);
                Outcome::Busy
            }
            // (TamperThenBusy was answered above, while the page could still be written.)
            Fault::BusyForever | Fault::TamperThenBusy(..) => Outcome::Busy,
            Fault::InvalidLen(n) | Fault::InvalidLenThen(n)
                if exit == ExitCode::ExtGuestRequest =>
            {
                let _ = n;
                Outcome::InvalidLen { npages: n }
            }
            Fault::InvalidLen(_) => served(self, resp),
            Fault::InvalidLenAny(n) => Outcome::InvalidLen { npages: n },
            Fault::ServedThen(lie) => {
                // The firmware answers (and the host writes its certificates) as for a genuine
                // exchange; only what the host says differs.
                if served(self, resp) == Outcome::Done
                    && exit == ExitCode::ExtGuestRequest
                    && self.certs_pages > 0
                    && pages.certs_npages >= self.certs_pages
                {
                    let stamp = self.last.iter().copied().max().unwrap_or(0) as u8;
                    write_cert_table(certs, stamp);
                }
                match lie {
                    Lie::Busy => Outcome::Busy,
                    Lie::InvalidLen(n) => Outcome::InvalidLen { npages: n },
                    Lie::Error(e) => Outcome::Error { exitinfo2: e },
                }
            }
            Fault::Misroute => {
                self.misroute = true;
                let o = served(self, resp);
                self.misroute = false;
                o
            }
            Fault::InvalidLenThen(_) => Outcome::Error { exitinfo2: 0x27 },
            Fault::Error(e) => Outcome::Error { exitinfo2: e },
            Fault::NoCall => Outcome::NoCall,
            Fault::Drop => Outcome::Done,
            Fault::Replay => {
                let prev = self.last_resp.take();
                let o = served(self, resp);
                // With nothing to replay yet, the host leaves a blank page: a replay never
                // delivers the genuine answer.
                match prev {
                    Some(p) => {
                        let _ = resp.write_from(0, &p[..]);
                    }
                    None => resp.fill_zero(),
                }
                o
            }
            Fault::Flip(off, mask) => {
                let o = served(self, resp);
                let mut b = [0u8; 1];
                if resp.read_into(off, &mut b).is_ok() {
                    b[0] ^= mask;
                    let _ = resp.write_from(off, &b);
                }
                o
            }
            Fault::Seqno(_) | Fault::Type(_) | Fault::Version(_) | Fault::MsgSz(_) => {
                let o = served(self, resp);
                let mut h = [0u8; 96];
                let _ = resp.read_into(0, &mut h);
                match self.fault {
                    Fault::Seqno(s) => h[0x20..0x28].copy_from_slice(&s.to_le_bytes()),
                    Fault::Type(t) => h[0x34] = t,
                    Fault::Version(v) => h[0x35] = v,
                    Fault::MsgSz(z) => h[0x36..0x38].copy_from_slice(&z.to_le_bytes()),
                    _ => (),
                }
                let _ = resp.write_from(0, &h);
                o
            }
            Fault::Forge(f) => {
                self.forge = Some(f);
                let o = served(self, resp);
                self.forge = None;
                o
            }
            Fault::FlipRequest(off, mask) => {
                // The hypervisor owns the shared request page: it can change it.
                let mut b = [0u8; 1];
                let _ = req.read_into(off, &mut b);
                b[0] ^= mask;
                // The fake reads through its own copy, so model the change there.
                let o = match self.serve_flipped(req, resp, off, b[0]) {
                    Ok(()) => Outcome::Done,
                    Err(status) => Outcome::Error { exitinfo2: status },
                };
                o
            }
        }
    }
}

impl FakeFw {
    fn serve_flipped(
        &mut self,
        req: &DecryptedPages,
        resp: &mut DecryptedPages,
        off: usize,
        byte: u8,
    ) -> Result<(), u64> {
        // Serve from a copy of the request page with one byte changed.
        let mut copy = DecryptedPages::new(1, GFP_KERNEL).map_err(|_| 0x17u64)?;
        let mut buf = KBox::new([0u8; 4096], GFP_KERNEL).map_err(|_| 0x17u64)?;
        req.read_into(0, &mut buf[..]).map_err(|_| 0x16u64)?;
        buf[off] = byte;
        copy.write_from(0, &buf[..]).map_err(|_| 0x16u64)?;
        self.serve(&copy, resp)
    }
}

/// Where VMPCK `id`'s counter is in the secrets page (`os_area.msg_seqno_<id>`).
fn seqno_offset(id: u8) -> usize {
    0xa0 + 4 * usize::from(id)
}

/// A secrets page in memory, which the test (and the fake firmware) can also reach.
pub(crate) struct MemSecrets(pub(crate) SharedSecrets);

impl MemSecrets {
    /// A secrets page holding `page`.
    pub(crate) fn new(page: KBox<[u8; 4096]>) -> Result<Self> {
        Ok(Self(Arc::pin_init(new_mutex!(page), GFP_KERNEL)?))
    }

    /// Stores `counter` as VMPCK `id`'s counter, as an earlier boot stage could.
    pub(crate) fn set_counter(page: &SharedSecrets, id: u8, counter: u32) {
        let off = seqno_offset(id);
        page.lock()[off..off + 4].copy_from_slice(&counter.to_le_bytes());
    }
}

impl SecretsPage for MemSecrets {
    fn read(&self, offset: usize, buf: &mut [u8]) -> Result {
        let p = self.0.lock();
        let src = p.get(offset..offset + buf.len()).ok_or(EINVAL)?;
        buf.copy_from_slice(src);
        Ok(())
    }
    fn write(&mut self, offset: usize, buf: &[u8]) -> Result {
        let mut p = self.0.lock();
        let dst = p.get_mut(offset..offset + buf.len()).ok_or(EINVAL)?;
        dst.copy_from_slice(buf);
        Ok(())
    }
    fn zero_explicit(&mut self, offset: usize, len: usize) -> Result {
        let mut p = self.0.lock();
        let dst = p.get_mut(offset..offset + len).ok_or(EINVAL)?;
        dst.fill(0);
        Ok(())
    }
}

/// The four VMPCKs the tests provision.
pub(crate) fn test_keys() -> [[u8; 32]; 4] {
    let mut k = [[0u8; 32]; 4];
    for (i, key) in k.iter_mut().enumerate() {
        for (j, b) in key.iter_mut().enumerate() {
            *b = (i * 64 + j + 1) as u8;
        }
    }
    k
}

/// An engine on VMPCK `id` of a provisioned secrets page whose counter (and the firmware's)
/// starts at `counter`, talking to a fake firmware.
pub(crate) fn fake_engine(
    id: u8,
    counter: u32,
    retry: crate::engine::RetryPolicy,
) -> Result<crate::engine::Engine<FakeFw, MemSecrets>> {
    let mut page = KBox::new([0u8; 4096], GFP_KERNEL)?;
    let k = test_keys();
    for (i, key) in k.iter().enumerate() {
        page[0x20 + 32 * i..0x40 + 32 * i].copy_from_slice(key);
    }
    let off = seqno_offset(id);
    page[off..off + 4].copy_from_slice(&counter.to_le_bytes());
    let mut counters = [0u32; 4];
    counters[usize::from(id)] = counter;
    let mut fw = FakeFw::new(&k, counters)?;
    let page = MemSecrets::new(page)?;
    fw.watch_secrets(page.0.clone());
    let secrets = crate::secrets::Secrets::new(page, crate::secrets::VmpckId::new(id.into())?);
    crate::engine::Engine::new(fw, secrets, retry)
}

/// The length of the certificate table a host with certificates writes ([`cert_table`]).
pub(crate) const CERT_TABLE_LEN: usize = 0x60 + 0x500 + 0x600 + 0x600;

/// Writes the certificate table a host with certificates gives into `buf` (at least
/// [`CERT_TABLE_LEN`] bytes): VCEK, ASK and ARK entries (GUID, offset, length), a zero entry,
/// then the certificates, filler bytes that carry `stamp` so that one request's certificates
/// cannot pass for another's.
pub(crate) fn cert_table(stamp: u8, buf: &mut [u8]) {
    const GUIDS: [[u8; 16]; 3] = [[0x63; 16], [0x4a; 16], [0xc0; 16]];
    const LENS: [usize; 3] = [0x500, 0x600, 0x600];
    buf[..0x60].fill(0);
    let mut off = 0x60;
    for (i, guid) in GUIDS.iter().enumerate() {
        let entry = &mut buf[24 * i..24 * (i + 1)];
        entry[..16].copy_from_slice(guid);
        entry[16..20].copy_from_slice(&(off as u32).to_le_bytes());
        entry[20..24].copy_from_slice(&(LENS[i] as u32).to_le_bytes());
        buf[off..off + LENS[i]].fill(0xa1u8.wrapping_add(i as u8).wrapping_add(stamp));
        off += LENS[i];
    }
}

fn write_cert_table(certs: &mut DecryptedPages, stamp: u8) {
    if let Ok(mut table) = KVec::from_elem(0u8, CERT_TABLE_LEN, GFP_KERNEL) {
        cert_table(stamp, &mut table);
        let _ = certs.write_from(0, &table);
    }
}
