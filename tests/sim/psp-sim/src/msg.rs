// SPDX-License-Identifier: GPL-2.0
//! SNP guest messages: the 0x60-byte header, AES-256-GCM sealing and opening.
//!
//! AAD = header bytes 0x30..0x60, IV = msg_seqno (LE, 8 bytes) || 4 zero bytes,
//! 16-byte tag in authtag[0..16], key = VMPCK[msg_vmpck].

use crate::proto::{le16, le64, put16, put64, PAGE_SIZE};
use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};

pub const HDR_SIZE: usize = 0x60;
pub const MAX_PAYLOAD: usize = PAGE_SIZE - HDR_SIZE; // 4000
pub const AAD_RANGE: std::ops::Range<usize> = 0x30..0x60;
pub const TAG_LEN: usize = 16;

pub const OFF_SEQNO: usize = 0x20;
pub const OFF_ALGO: usize = 0x30;
pub const OFF_HDR_VERSION: usize = 0x31;
pub const OFF_HDR_SZ: usize = 0x32;
pub const OFF_TYPE: usize = 0x34;
pub const OFF_VERSION: usize = 0x35;
pub const OFF_MSG_SZ: usize = 0x36;
pub const OFF_VMPCK: usize = 0x3C;

pub const AEAD_AES_256_GCM: u8 = 1;
pub const HDR_VERSION: u8 = 1;

pub const MSG_KEY_REQ: u8 = 3;
pub const MSG_KEY_RSP: u8 = 4;
pub const MSG_REPORT_REQ: u8 = 5;
pub const MSG_REPORT_RSP: u8 = 6;

pub type Page = [u8; PAGE_SIZE];

/// The header fields of a message page, as found (not validated).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub seqno: u64,
    pub algo: u8,
    pub hdr_version: u8,
    pub hdr_sz: u16,
    pub msg_type: u8,
    pub msg_version: u8,
    pub msg_sz: u16,
    pub vmpck: u8,
}

impl Header {
    pub fn parse(page: &Page) -> Header {
        Header {
            seqno: le64(page, OFF_SEQNO),
            algo: page[OFF_ALGO],
            hdr_version: page[OFF_HDR_VERSION],
            hdr_sz: le16(page, OFF_HDR_SZ),
            msg_type: page[OFF_TYPE],
            msg_version: page[OFF_VERSION],
            msg_sz: le16(page, OFF_MSG_SZ),
            vmpck: page[OFF_VMPCK],
        }
    }

    /// A standard header (algo 1, hdr_version 1, hdr_sz 0x60).
    pub fn new(seqno: u64, msg_type: u8, msg_version: u8, msg_sz: u16, vmpck: u8) -> Header {
        Header {
            seqno,
            algo: AEAD_AES_256_GCM,
            hdr_version: HDR_VERSION,
            hdr_sz: HDR_SIZE as u16,
            msg_type,
            msg_version,
            msg_sz,
            vmpck,
        }
    }

    /// Writes the header fields; authtag and reserved bytes are zeroed.
    pub fn write(&self, page: &mut Page) {
        page[..HDR_SIZE].fill(0);
        put64(page, OFF_SEQNO, self.seqno);
        page[OFF_ALGO] = self.algo;
        page[OFF_HDR_VERSION] = self.hdr_version;
        put16(page, OFF_HDR_SZ, self.hdr_sz);
        page[OFF_TYPE] = self.msg_type;
        page[OFF_VERSION] = self.msg_version;
        put16(page, OFF_MSG_SZ, self.msg_sz);
        page[OFF_VMPCK] = self.vmpck;
    }
}

pub fn iv(seqno: u64) -> [u8; 12] {
    let mut iv = [0u8; 12];
    iv[..8].copy_from_slice(&seqno.to_le_bytes());
    iv
}

/// Seals `payload` under `key` into a fresh page with header `hdr`
/// (hdr.msg_sz is used as given; the payload is truncated or zero-padded to it).
pub fn seal(key: &[u8; 32], hdr: &Header, payload: &[u8]) -> Page {
    let mut page = [0u8; PAGE_SIZE];
    hdr.write(&mut page);
    let n = (hdr.msg_sz as usize).min(MAX_PAYLOAD);
    let m = payload.len().min(n);
    page[HDR_SIZE..HDR_SIZE + m].copy_from_slice(&payload[..m]);
    let cipher = Aes256Gcm::new(key.into());
    let aad: Vec<u8> = page[AAD_RANGE].to_vec();
    let tag = cipher
        .encrypt_in_place_detached(
            Nonce::from_slice(&iv(hdr.seqno)),
            &aad,
            &mut page[HDR_SIZE..HDR_SIZE + n],
        )
        .expect("AES-GCM encryption of at most 4000 bytes cannot fail");
    page[..TAG_LEN].copy_from_slice(&tag);
    page
}

/// Authenticates and decrypts the payload (msg_sz bytes) of `page` under `key`.
/// Returns None if msg_sz is out of range or authentication fails.
pub fn open(key: &[u8; 32], page: &Page) -> Option<Vec<u8>> {
    let hdr = Header::parse(page);
    let n = hdr.msg_sz as usize;
    if n > MAX_PAYLOAD {
        return None;
    }
    let mut buf = page[HDR_SIZE..HDR_SIZE + n].to_vec();
    let cipher = Aes256Gcm::new(key.into());
    cipher
        .decrypt_in_place_detached(
            Nonce::from_slice(&iv(hdr.seqno)),
            &page[AAD_RANGE],
            &mut buf,
            Tag::from_slice(&page[..TAG_LEN]),
        )
        .ok()?;
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip() {
        let key = [7u8; 32];
        let hdr = Header::new(1, MSG_REPORT_REQ, 1, 96, 0);
        let page = seal(&key, &hdr, &[0x55; 96]);
        assert_eq!(Header::parse(&page), hdr);
        assert_eq!(&page[TAG_LEN..0x20], &[0u8; 16]);
        assert_eq!(open(&key, &page).unwrap(), vec![0x55; 96]);
        let mut bad = page;
        bad[0x40] ^= 1;
        assert!(open(&key, &bad).is_none());
        assert!(open(&[8u8; 32], &page).is_none());
    }
}
