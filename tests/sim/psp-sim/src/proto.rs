// SPDX-License-Identifier: GPL-2.0
//! The /dev/sevsim bridge protocol (tests/sim/sevsim.h), mirrored in Rust.
//!
//! The structs are `repr(C)` mirrors of the C header with size asserts; the
//! request and response travel through read()/write() as byte buffers and are
//! (de)serialised field by field (little-endian), so no unsafe is needed here.

use std::fmt;

pub const SEVSIM_MAGIC: u32 = 0x4d49_5353;
pub const SEVSIM_VERSION: u32 = 1;
pub const PAGE_SIZE: usize = 4096;
/// The most certificate bytes a response can carry.
pub const SEVSIM_MAX_CERTS: usize = 16 * PAGE_SIZE;

pub const EXIT_GUEST_REQUEST: u64 = 0x8000_0011;
pub const EXIT_EXT_GUEST_REQUEST: u64 = 0x8000_0012;

/// enum sevsim_action
pub const ACT_COMPLETE: u32 = 0;
pub const ACT_VMGEXIT_FAIL: u32 = 1;
pub const ACT_NO_GHCB: u32 = 2;

pub const F_WRITE_RESP: u32 = 1 << 0;
pub const F_WRITE_CERTS: u32 = 1 << 1;
pub const F_SCRIBBLE: u32 = 1 << 2;

/// VMM errors live in the high 32 bits of SW_EXITINFO2.
pub const VMM_ERR_SHIFT: u32 = 32;
pub const VMM_ERR_INVALID_LEN: u64 = 1 << VMM_ERR_SHIFT;
pub const VMM_ERR_BUSY: u64 = 2 << VMM_ERR_SHIFT;

pub const REQUEST_SIZE: usize = 32 + PAGE_SIZE;
pub const RESPONSE_HDR_SIZE: usize = 48;
pub const RESPONSE_SIZE: usize = RESPONSE_HDR_SIZE + PAGE_SIZE;
pub const PLATFORM_SIZE: usize = 144;

/// struct sevsim_request
#[repr(C)]
#[derive(Clone)]
pub struct SevsimRequest {
    pub magic: u32,
    pub version: u32,
    pub id: u64,
    pub exit_code: u64,
    pub data_npages: u32,
    pub reserved: u32,
    pub req_page: [u8; PAGE_SIZE],
}

/// struct sevsim_response (without the trailing certificates, kept in `certs`).
#[repr(C)]
#[derive(Clone)]
pub struct SevsimResponseHdr {
    pub magic: u32,
    pub version: u32,
    pub id: u64,
    pub action: u32,
    pub flags: u32,
    pub exitinfo2: u64,
    pub rbx: u64,
    pub certs_len: u32,
    pub reserved: u32,
    pub resp_page: [u8; PAGE_SIZE],
}

/// struct sevsim_platform, filled by SEVSIM_IOC_GET_PLATFORM.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct SevsimPlatform {
    pub vmpck: [[u8; 32]; 4],
    pub secrets_version: u32,
    pub fms: u32,
    pub guest_vmpl: u32,
    /// The message count every VMPCK started at (the secrets page's counters).
    pub msg_seqno: u32,
}

const _: () = assert!(std::mem::size_of::<SevsimRequest>() == REQUEST_SIZE);
const _: () = assert!(std::mem::size_of::<SevsimResponseHdr>() == RESPONSE_SIZE);
const _: () = assert!(std::mem::size_of::<SevsimPlatform>() == PLATFORM_SIZE);

/// _IOR('s', 1, struct sevsim_platform)
pub const SEVSIM_IOC_GET_PLATFORM: u64 =
    (2u64 << 30) | ((PLATFORM_SIZE as u64) << 16) | ((b's' as u64) << 8) | 1;
const _: () = assert!(SEVSIM_IOC_GET_PLATFORM == 0x8090_7301);

pub fn le32(b: &[u8], off: usize) -> u32 {
    u32::from_le_bytes(b[off..off + 4].try_into().unwrap())
}

pub fn le64(b: &[u8], off: usize) -> u64 {
    u64::from_le_bytes(b[off..off + 8].try_into().unwrap())
}

pub fn le16(b: &[u8], off: usize) -> u16 {
    u16::from_le_bytes(b[off..off + 2].try_into().unwrap())
}

pub fn put32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

pub fn put64(b: &mut [u8], off: usize, v: u64) {
    b[off..off + 8].copy_from_slice(&v.to_le_bytes());
}

pub fn put16(b: &mut [u8], off: usize, v: u16) {
    b[off..off + 2].copy_from_slice(&v.to_le_bytes());
}

#[derive(Debug, PartialEq, Eq)]
pub enum ProtoError {
    Size(usize),
    Magic(u32),
    Version(u32),
}

impl fmt::Display for ProtoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtoError::Size(n) => write!(f, "request of {n} bytes, expected {REQUEST_SIZE}"),
            ProtoError::Magic(m) => write!(f, "bad request magic {m:#x}"),
            ProtoError::Version(v) => write!(f, "unsupported request version {v}"),
        }
    }
}

impl std::error::Error for ProtoError {}

impl SevsimRequest {
    pub fn new(id: u64, exit_code: u64, data_npages: u32, req_page: [u8; PAGE_SIZE]) -> Self {
        SevsimRequest {
            magic: SEVSIM_MAGIC,
            version: SEVSIM_VERSION,
            id,
            exit_code,
            data_npages,
            reserved: 0,
            req_page,
        }
    }

    pub fn from_bytes(b: &[u8]) -> Result<Self, ProtoError> {
        if b.len() != REQUEST_SIZE {
            return Err(ProtoError::Size(b.len()));
        }
        let magic = le32(b, 0);
        if magic != SEVSIM_MAGIC {
            return Err(ProtoError::Magic(magic));
        }
        let version = le32(b, 4);
        if version != SEVSIM_VERSION {
            return Err(ProtoError::Version(version));
        }
        let mut req_page = [0u8; PAGE_SIZE];
        req_page.copy_from_slice(&b[32..]);
        Ok(SevsimRequest {
            magic,
            version,
            id: le64(b, 8),
            exit_code: le64(b, 16),
            data_npages: le32(b, 24),
            reserved: le32(b, 28),
            req_page,
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; REQUEST_SIZE];
        put32(&mut b, 0, self.magic);
        put32(&mut b, 4, self.version);
        put64(&mut b, 8, self.id);
        put64(&mut b, 16, self.exit_code);
        put32(&mut b, 24, self.data_npages);
        put32(&mut b, 28, self.reserved);
        b[32..].copy_from_slice(&self.req_page);
        b
    }

    pub fn is_ext(&self) -> bool {
        self.exit_code == EXIT_EXT_GUEST_REQUEST
    }
}

/// A complete answer: the response header + page and the certificate bytes.
#[derive(Clone)]
pub struct SevsimResponse {
    pub hdr: SevsimResponseHdr,
    pub certs: Vec<u8>,
}

impl SevsimResponse {
    /// COMPLETE with the given exitinfo2, nothing written.
    pub fn complete(id: u64, exitinfo2: u64) -> Self {
        SevsimResponse {
            hdr: SevsimResponseHdr {
                magic: SEVSIM_MAGIC,
                version: SEVSIM_VERSION,
                id,
                action: ACT_COMPLETE,
                flags: 0,
                exitinfo2,
                rbx: 0,
                certs_len: 0,
                reserved: 0,
                resp_page: [0u8; PAGE_SIZE],
            },
            certs: Vec::new(),
        }
    }

    /// COMPLETE, exitinfo2 0, WRITE_RESP with `page`.
    pub fn with_page(id: u64, page: [u8; PAGE_SIZE]) -> Self {
        let mut r = Self::complete(id, 0);
        r.hdr.flags = F_WRITE_RESP;
        r.hdr.resp_page = page;
        r
    }

    pub fn action(id: u64, action: u32) -> Self {
        let mut r = Self::complete(id, 0);
        r.hdr.action = action;
        r
    }

    pub fn set_certs(&mut self, certs: Vec<u8>) {
        self.hdr.flags |= F_WRITE_CERTS;
        self.hdr.certs_len = certs.len() as u32;
        self.certs = certs;
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let h = &self.hdr;
        let mut b = vec![0u8; RESPONSE_SIZE + self.certs.len()];
        put32(&mut b, 0, h.magic);
        put32(&mut b, 4, h.version);
        put64(&mut b, 8, h.id);
        put32(&mut b, 16, h.action);
        put32(&mut b, 20, h.flags);
        put64(&mut b, 24, h.exitinfo2);
        put64(&mut b, 32, h.rbx);
        put32(&mut b, 40, h.certs_len);
        put32(&mut b, 44, h.reserved);
        b[RESPONSE_HDR_SIZE..RESPONSE_SIZE].copy_from_slice(&h.resp_page);
        b[RESPONSE_SIZE..].copy_from_slice(&self.certs);
        b
    }
}

impl fmt::Debug for SevsimResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SevsimResponse {{ id: {}, action: {}, flags: {:#x}, exitinfo2: {:#x}, rbx: {:#x}, certs_len: {} }}",
            self.hdr.id,
            self.hdr.action,
            self.hdr.flags,
            self.hdr.exitinfo2,
            self.hdr.rbx,
            self.hdr.certs_len
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_round_trip() {
        let mut page = [0u8; PAGE_SIZE];
        page[7] = 9;
        let r = SevsimRequest::new(42, EXIT_EXT_GUEST_REQUEST, 3, page);
        let b = r.to_bytes();
        assert_eq!(b.len(), REQUEST_SIZE);
        let r2 = SevsimRequest::from_bytes(&b).unwrap();
        assert_eq!(r2.id, 42);
        assert!(r2.is_ext());
        assert_eq!(r2.data_npages, 3);
        assert_eq!(r2.req_page[7], 9);
        assert_eq!(
            SevsimRequest::from_bytes(&b[1..]).err(),
            Some(ProtoError::Size(REQUEST_SIZE - 1))
        );
    }

    #[test]
    fn response_layout() {
        let mut r = SevsimResponse::with_page(7, [0xAB; PAGE_SIZE]);
        r.hdr.exitinfo2 = 0x1_0000_0000;
        r.hdr.rbx = 5;
        r.set_certs(vec![1, 2, 3]);
        let b = r.to_bytes();
        assert_eq!(b.len(), RESPONSE_SIZE + 3);
        assert_eq!(le32(&b, 0), SEVSIM_MAGIC);
        assert_eq!(le64(&b, 8), 7);
        assert_eq!(le32(&b, 20), F_WRITE_RESP | F_WRITE_CERTS);
        assert_eq!(le64(&b, 24), 0x1_0000_0000);
        assert_eq!(le64(&b, 32), 5);
        assert_eq!(le32(&b, 40), 3);
        assert_eq!(b[48], 0xAB);
        assert_eq!(&b[RESPONSE_SIZE..], &[1, 2, 3]);
    }
}
