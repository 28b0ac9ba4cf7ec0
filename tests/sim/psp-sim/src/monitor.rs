// SPDX-License-Identifier: GPL-2.0
//! IV-reuse monitor. A VMPCK's IV is the msg_seqno, and the guest and the PSP
//! share that seqno space: a request takes count + 1, its answer the number
//! after. The monitor records, per (vmpck, seqno), the SHA-256(AAD ||
//! ciphertext || tag) of the request the guest sent (before any tampering)
//! and of the genuine response the PSP sealed. A pair used by both a request
//! and a response (whatever their bytes), or twice in one direction with
//! different bytes, means two different messages were sealed under the same
//! key and IV. Byte-identical resends are the same message and are fine.
//!
//! Only the guest's and the PSP's own messages are recorded: a forged,
//! tampered or replayed response is the attacker's doing (a `forge-seqno:req`
//! answer reuses the request's IV on purpose) and must not count against the
//! guest.

use crate::msg::{Header, Page, AAD_RANGE, HDR_SIZE, MAX_PAYLOAD, TAG_LEN};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Which way a sealed message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Request,
    Response,
}

/// The messages seen under one (vmpck, seqno): the last digest per direction.
#[derive(Default)]
struct Uses {
    request: Option<[u8; 32]>,
    response: Option<[u8; 32]>,
}

#[derive(Default)]
pub struct Monitor {
    seen: HashMap<(u8, u64), Uses>,
    pub reuses: u64,
}

/// The digest identifying a sealed message.
pub fn digest(page: &Page) -> [u8; 32] {
    let hdr = Header::parse(page);
    let n = (hdr.msg_sz as usize).min(MAX_PAYLOAD);
    let mut h = Sha256::new();
    h.update(&page[AAD_RANGE]);
    h.update(&page[HDR_SIZE..HDR_SIZE + n]);
    h.update(&page[..TAG_LEN]);
    h.finalize().into()
}

impl Monitor {
    /// Records a request the guest sent; true if it reuses an IV.
    pub fn observe(&mut self, page: &Page) -> bool {
        self.record(page, Dir::Request)
    }

    /// Records a genuine response the PSP sealed; true if it reuses an IV.
    pub fn observe_response(&mut self, page: &Page) -> bool {
        self.record(page, Dir::Response)
    }

    /// Records a message; true (counted once, and logged) if its (vmpck,
    /// seqno) was already used by a message of the other direction, or by a
    /// different one of the same direction.
    fn record(&mut self, page: &Page, dir: Dir) -> bool {
        let hdr = Header::parse(page);
        let d = digest(page);
        let uses = self.seen.entry((hdr.vmpck, hdr.seqno)).or_default();
        let (same, other) = match dir {
            Dir::Request => (&mut uses.request, uses.response),
            Dir::Response => (&mut uses.response, uses.request),
        };
        // A resend of a recorded message: already judged when first seen.
        if *same == Some(d) {
            return false;
        }
        let why = match (*same, other) {
            (_, Some(_)) => "a request and a response",
            (Some(_), None) if dir == Dir::Request => "two different requests",
            (Some(_), None) => "two different responses",
            (None, None) => {
                *same = Some(d);
                return false;
            }
        };
        *same = Some(d);
        self.reuses += 1;
        eprintln!(
            "psp-sim: IV REUSE vmpck={} seqno={} ({why})",
            hdr.vmpck, hdr.seqno
        );
        true
    }
}
