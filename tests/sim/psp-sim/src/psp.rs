// SPDX-License-Identifier: GPL-2.0
//! The PSP firmware model: SNP_GUEST_REQUEST message handling.
//!
//! Per VMPCK a message count (0 at launch). A request is accepted only if its
//! header is well formed, msg_seqno == count + 1, the tag authenticates and
//! the message type/version is supported; then count = seqno + 1 and the
//! answer is sealed with seqno + 1 under the same key. A rejected request
//! produces no response and leaves the count unchanged.

use crate::ident::{Identity, Tcb};
use crate::msg::{self, Header, Page, HDR_SIZE, MAX_PAYLOAD};
use crate::proto::{le32, le64, put32};
use crate::report::{self, REPORT_SIZE};
use hmac::{Hmac, Mac};
use p384::ecdsa::SigningKey;
use sha2::Sha384;

/// SEV_RET_INVALID_PARAM.
pub const SEV_RET_INVALID_PARAM: u32 = 0x16;
/// SEV_RET_INVALID_KEY.
pub const SEV_RET_INVALID_KEY: u32 = 0x27;

// ASSUMPTION: the SNP firmware ABI text is not available here. The statuses
// for a rejected SNP_GUEST_REQUEST command are therefore named separately
// and all set to INVALID_PARAM; change them here if the spec says otherwise.
/// Malformed header (algo, hdr_version, hdr_sz, msg_vmpck, msg_sz).
pub const FW_ERR_BAD_HEADER: u32 = SEV_RET_INVALID_PARAM;
/// Unsupported msg_type or msg_version.
pub const FW_ERR_UNSUPPORTED: u32 = SEV_RET_INVALID_PARAM;
/// msg_seqno != message count + 1.
pub const FW_ERR_BAD_SEQNO: u32 = SEV_RET_INVALID_PARAM;
/// The tag does not authenticate.
pub const FW_ERR_AUTH: u32 = SEV_RET_INVALID_PARAM;

pub const REPORT_REQ_SIZE: usize = 96;
pub const REPORT_RSP_SIZE: usize = 0x20 + REPORT_SIZE;
pub const KEY_REQ_MIN_SIZE: usize = 32;
pub const KEY_RSP_SIZE: usize = 64;

/// guest_field_select bits defined by the ABI (policy .. launch_mit_vector).
pub const GFS_MASK: u64 = 0x7F;

pub struct Psp {
    vmpck: [[u8; 32]; 4],
    counts: [u64; 4],
    guest_vmpl: u32,
    id: Identity,
    vcek: SigningKey,
}

/// Options the hostile-host oracle may impose on an honest answer.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReplyOpts {
    /// Seal the response with this (smaller) msg_sz (FAULTS R12).
    pub short_msg_sz: Option<u16>,
    /// Put this in a MSG_REPORT_RSP's report_size field (FAULTS R14).
    pub report_size: Option<u32>,
}

/// The one header field an authentic forgery (FAULTS R13) gets wrong, with
/// the value the forged header carries. The answer is sealed with it, so the
/// seqno is also the IV and the other fields are in the AAD.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forge {
    Type(u8),
    Version(u8),
    /// msg_sz; the payload is sealed with this many bytes (truncated or
    /// zero-padded), at most MAX_PAYLOAD so that it still authenticates.
    Size(u16),
    Seqno(u64),
    HdrVersion(u8),
    HdrSize(u16),
    Algo(u8),
    /// msg_vmpck; the key stays the request's.
    Vmpck(u8),
}

impl Forge {
    /// `hdr` with this field changed.
    pub fn apply(self, hdr: Header) -> Header {
        match self {
            Forge::Type(t) => Header { msg_type: t, ..hdr },
            Forge::Version(v) => Header {
                msg_version: v,
                ..hdr
            },
            Forge::Size(n) => Header {
                msg_sz: n.min(MAX_PAYLOAD as u16),
                ..hdr
            },
            Forge::Seqno(s) => Header { seqno: s, ..hdr },
            Forge::HdrVersion(v) => Header {
                hdr_version: v,
                ..hdr
            },
            Forge::HdrSize(n) => Header { hdr_sz: n, ..hdr },
            Forge::Algo(a) => Header { algo: a, ..hdr },
            Forge::Vmpck(id) => Header { vmpck: id, ..hdr },
        }
    }
}

impl Psp {
    pub fn new(vmpck: [[u8; 32]; 4], guest_vmpl: u32, id: Identity, vcek: SigningKey) -> Psp {
        Psp {
            vmpck,
            counts: [0; 4],
            guest_vmpl,
            id,
            vcek,
        }
    }

    /// Starts every VMPCK's message count at `count`, as the secrets page's counters do (a
    /// guest launched long ago, or a test of the counter's end).
    pub fn set_counts(&mut self, count: u64) {
        self.counts = [count; 4];
    }

    pub fn identity(&self) -> &Identity {
        &self.id
    }

    pub fn vcek(&self) -> &SigningKey {
        &self.vcek
    }

    pub fn count(&self, vmpck: usize) -> u64 {
        self.counts[vmpck]
    }

    pub fn key(&self, vmpck: usize) -> &[u8; 32] {
        &self.vmpck[vmpck]
    }

    /// Test-only oracle: decrypt a request with the firmware's key without
    /// touching any state (used by the hypervisor to select fault plans).
    pub fn peek(&self, page: &Page) -> Option<(Header, Vec<u8>)> {
        let hdr = Header::parse(page);
        if hdr.vmpck > 3 {
            return None;
        }
        let pt = msg::open(&self.vmpck[hdr.vmpck as usize], page)?;
        Some((hdr, pt))
    }

    /// Handles one SNP_GUEST_REQUEST: Ok(sealed response page) or Err(status).
    pub fn handle(&mut self, page: &Page) -> Result<Page, u32> {
        self.handle_with(page, ReplyOpts::default())
    }

    pub fn handle_with(&mut self, page: &Page, opts: ReplyOpts) -> Result<Page, u32> {
        let (v, rh, payload) = self.serve(page, opts)?;
        Ok(msg::seal(&self.vmpck[v], &rh, &payload))
    }

    /// Serves a request exactly as [`Psp::handle_with`] (same checks, same
    /// count), then seals the same answer a second time with one header field
    /// changed (FAULTS R13): Ok((genuine page, forged page)) or Err(status).
    /// Both are sealed with the request's VMPCK, so the forgery authenticates;
    /// the genuine page is returned too because the PSP did produce it (the
    /// IV-reuse monitor records it, and it is the replay plan's material).
    pub fn handle_forged(
        &mut self,
        page: &Page,
        opts: ReplyOpts,
        forge: Forge,
    ) -> Result<(Page, Page), u32> {
        let (v, rh, payload) = self.serve(page, opts)?;
        let key = &self.vmpck[v];
        Ok((
            msg::seal(key, &rh, &payload),
            msg::seal(key, &forge.apply(rh), &payload),
        ))
    }

    /// Checks one request and computes its answer, advancing the count:
    /// Ok((VMPCK index, response header, payload)) or Err(status).
    fn serve(&mut self, page: &Page, opts: ReplyOpts) -> Result<(usize, Header, Vec<u8>), u32> {
        let hdr = Header::parse(page);
        if hdr.algo != msg::AEAD_AES_256_GCM
            || hdr.hdr_version != msg::HDR_VERSION
            || hdr.hdr_sz as usize != HDR_SIZE
            || hdr.vmpck > 3
            || hdr.msg_sz as usize > MAX_PAYLOAD
        {
            return Err(FW_ERR_BAD_HEADER);
        }
        let v = hdr.vmpck as usize;
        if self.counts[v].checked_add(1) != Some(hdr.seqno) {
            return Err(FW_ERR_BAD_SEQNO);
        }
        let pt = msg::open(&self.vmpck[v], page).ok_or(FW_ERR_AUTH)?;
        let (payload, mut msg_sz) = match (hdr.msg_type, hdr.msg_version) {
            (msg::MSG_REPORT_REQ, 1) if pt.len() >= REPORT_REQ_SIZE => {
                let mut rsp = self.report(&pt);
                if let Some(n) = opts.report_size {
                    put32(&mut rsp, 4, n);
                }
                (rsp, REPORT_RSP_SIZE)
            }
            (msg::MSG_KEY_REQ, 1 | 2) if pt.len() >= KEY_REQ_MIN_SIZE => {
                (self.derived_key(&pt), KEY_RSP_SIZE)
            }
            _ => return Err(FW_ERR_UNSUPPORTED),
        };
        let rsp_seqno = hdr.seqno.checked_add(1).ok_or(FW_ERR_BAD_SEQNO)?;
        if let Some(s) = opts.short_msg_sz {
            msg_sz = msg_sz.min(s as usize);
        }
        let rh = Header {
            seqno: rsp_seqno,
            msg_type: hdr.msg_type + 1,
            msg_sz: msg_sz as u16,
            ..hdr
        };
        self.counts[v] = rsp_seqno;
        Ok((v, rh, payload))
    }

    /// MSG_REPORT_REQ -> MSG_REPORT_RSP payload (in-band status).
    fn report(&self, req: &[u8]) -> Vec<u8> {
        let mut rsp = vec![0u8; REPORT_RSP_SIZE];
        let report_data: [u8; 64] = req[..64].try_into().unwrap();
        let vmpl = le32(req, 0x40);
        let key_sel_word = le32(req, 0x44);
        let status = if vmpl > 3
            || vmpl < self.guest_vmpl
            || key_sel_word & !3 != 0
            || req[0x48..0x60].iter().any(|&b| b != 0)
        {
            SEV_RET_INVALID_PARAM
        } else if key_sel_word & 3 == 3 {
            SEV_RET_INVALID_KEY
        } else {
            0
        };
        put32(&mut rsp, 0, status);
        if status == 0 {
            put32(&mut rsp, 4, REPORT_SIZE as u32);
            let r = report::build(&self.id, &self.vcek, &report_data, vmpl);
            rsp[0x20..].copy_from_slice(&r);
        }
        rsp
    }

    /// MSG_KEY_REQ -> MSG_KEY_RSP payload (in-band status).
    fn derived_key(&self, req: &[u8]) -> Vec<u8> {
        let mut rsp = vec![0u8; KEY_RSP_SIZE];
        let mut full = [0u8; 40];
        let n = req.len().min(40);
        full[..n].copy_from_slice(&req[..n]); // a missing launch_mit_vector is 0
        match self.check_key_req(&full) {
            Ok(()) => rsp[0x20..0x40].copy_from_slice(&self.key_for(&full)),
            Err(status) => put32(&mut rsp, 0, status),
        }
        rsp
    }

    fn check_key_req(&self, req: &[u8; 40]) -> Result<(), u32> {
        let rks = le32(req, 0);
        let rsvd = le32(req, 4);
        let gfs = le64(req, 8);
        let vmpl = le32(req, 0x10);
        let svn = le32(req, 0x14);
        let tcb = le64(req, 0x18);
        if rks & !7 != 0 || rsvd != 0 || gfs & !GFS_MASK != 0 {
            return Err(SEV_RET_INVALID_PARAM);
        }
        if (rks >> 1) & 3 == 3 {
            return Err(SEV_RET_INVALID_KEY);
        }
        if vmpl > 3 || vmpl < self.guest_vmpl || svn > self.id.guest_svn {
            return Err(SEV_RET_INVALID_PARAM);
        }
        if !Tcb::within(tcb, self.id.tcb) {
            return Err(SEV_RET_INVALID_PARAM);
        }
        Ok(())
    }

    /// HMAC-SHA-384(root secret for VCEK/VMRK, request || selected guest
    /// fields), truncated to 32 bytes.
    fn key_for(&self, req: &[u8; 40]) -> [u8; 32] {
        let rks = le32(req, 0);
        let gfs = le64(req, 8);
        let root = crate::ident::derive(
            self.id.seed,
            if rks & 1 == 0 {
                "root/vcek"
            } else {
                "root/vmrk"
            },
        );
        let mut mac = <Hmac<Sha384> as Mac>::new_from_slice(&root).expect("any key length");
        mac.update(req);
        let fields: [&[u8]; 7] = [
            &self.id.policy.to_le_bytes(),
            &self.id.image_id,
            &self.id.family_id,
            &self.id.measurement,
            &self.id.guest_svn.to_le_bytes(),
            &self.id.tcb.to_u64().to_le_bytes(),
            &[0u8; 8], // launch mitigation vector of the guest: none
        ];
        for (bit, f) in fields.iter().enumerate() {
            if gfs & (1 << bit) != 0 {
                mac.update(f);
            }
        }
        let out = mac.finalize().into_bytes();
        out[..32].try_into().unwrap()
    }
}
