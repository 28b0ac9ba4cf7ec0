// SPDX-License-Identifier: GPL-2.0
//! IV-reuse monitor: on the bytes the guest sent (before any tampering),
//! (vmpck, seqno) -> SHA-256(AAD || ciphertext || tag). The same pair seen
//! again with a different digest means the guest sealed two different
//! messages under the same key and IV. Byte-identical resends are fine.

use crate::msg::{Header, Page, AAD_RANGE, HDR_SIZE, MAX_PAYLOAD, TAG_LEN};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Default)]
pub struct Monitor {
    seen: HashMap<(u8, u64), [u8; 32]>,
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
    /// Records a request; true if it reuses a (vmpck, seqno) with other bytes.
    pub fn observe(&mut self, page: &Page) -> bool {
        let hdr = Header::parse(page);
        let d = digest(page);
        match self.seen.insert((hdr.vmpck, hdr.seqno), d) {
            Some(old) if old != d => {
                self.reuses += 1;
                eprintln!("psp-sim: IV REUSE vmpck={} seqno={}", hdr.vmpck, hdr.seqno);
                true
            }
            _ => false,
        }
    }
}
