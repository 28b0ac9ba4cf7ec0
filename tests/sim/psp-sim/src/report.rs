// SPDX-License-Identifier: GPL-2.0
//! ATTESTATION_REPORT version 3 (Milan), signed with the VCEK (ECDSA P-384,
//! SHA-384, RFC 6979). Every reserved byte is zero.

use crate::ident::Identity;
use crate::proto::{put32, put64};
use p384::ecdsa::signature::Signer;
use p384::ecdsa::{Signature, SigningKey};

pub const REPORT_SIZE: usize = 0x4A0; // 1184
pub const SIGNED_LEN: usize = 0x2A0;
pub const OFF_REPORT_DATA: usize = 0x50;
pub const OFF_SIG_R: usize = 0x2A0;
pub const OFF_SIG_S: usize = 0x2E8;

pub const CPUID_FAM: u8 = 0x19;
pub const CPUID_MODEL: u8 = 0x01;
pub const CPUID_STEP: u8 = 0x01;

/// Builds and signs a report for `report_data` at `vmpl`.
pub fn build(id: &Identity, vcek: &SigningKey, report_data: &[u8; 64], vmpl: u32) -> Vec<u8> {
    let mut r = vec![0u8; REPORT_SIZE];
    let tcb = id.tcb.to_u64();
    let tcb_b = tcb.to_le_bytes();
    put32(&mut r, 0x00, 3); // version
    put32(&mut r, 0x04, id.guest_svn);
    put64(&mut r, 0x08, id.policy);
    r[0x10..0x20].copy_from_slice(&id.family_id);
    r[0x20..0x30].copy_from_slice(&id.image_id);
    put32(&mut r, 0x30, vmpl);
    put32(&mut r, 0x34, 1); // signature_algo: ECDSA P-384 with SHA-384
    put64(&mut r, 0x38, tcb); // current_tcb
    put64(&mut r, 0x40, id.platform_info);
    put32(&mut r, 0x48, 0); // signer_info: VCEK, no MASK_CHIP_KEY/ID
    r[OFF_REPORT_DATA..OFF_REPORT_DATA + 64].copy_from_slice(report_data);
    r[0x90..0xC0].copy_from_slice(&id.measurement);
    r[0xC0..0xE0].copy_from_slice(&id.host_data);
    // id_key_digest @0xE0 and author_key_digest @0x110: zero (no ID block).
    r[0x140..0x160].copy_from_slice(&id.report_id);
    r[0x160..0x180].fill(0xFF); // report_id_ma: no migration agent
    put64(&mut r, 0x180, tcb); // reported_tcb
    r[0x188] = CPUID_FAM;
    r[0x189] = CPUID_MODEL;
    r[0x18A] = CPUID_STEP;
    r[0x1A0..0x1E0].copy_from_slice(&id.chip_id);
    put64(&mut r, 0x1E0, tcb); // committed_tcb
                               // current build/minor/major and committed build/minor/major
    r[0x1E8..0x1EB].copy_from_slice(&[21, 55, 1]);
    r[0x1EC..0x1EF].copy_from_slice(&[21, 55, 1]);
    put64(&mut r, 0x1F0, tcb); // launch_tcb
    debug_assert_eq!(&tcb_b[2..6], &[0, 0, 0, 0]);
    sign(vcek, &mut r);
    r
}

/// Signs bytes 0..0x2A0 and stores R and S as 72-byte little-endian fields.
pub fn sign(vcek: &SigningKey, r: &mut [u8]) {
    let sig: Signature = vcek.sign(&r[..SIGNED_LEN]);
    let (sr, ss) = sig.split_bytes();
    r[SIGNED_LEN..REPORT_SIZE].fill(0);
    for (i, b) in sr.iter().rev().enumerate() {
        r[OFF_SIG_R + i] = *b;
    }
    for (i, b) in ss.iter().rev().enumerate() {
        r[OFF_SIG_S + i] = *b;
    }
}

/// The reserved byte ranges of a v3 report (including TCB reserved bytes and
/// the signature tail), for tests and self-checks.
pub fn reserved_ranges() -> Vec<std::ops::Range<usize>> {
    let mut v = vec![
        0x4C..0x50,
        0x18B..0x1A0,
        0x1EB..0x1EC,
        0x1EF..0x1F0,
        0x1F8..0x2A0,
    ];
    for tcb_off in [0x38, 0x180, 0x1E0, 0x1F0] {
        v.push(tcb_off + 2..tcb_off + 6);
    }
    v.push(OFF_SIG_R + 48..OFF_SIG_S);
    v.push(OFF_SIG_S + 48..REPORT_SIZE);
    v
}
