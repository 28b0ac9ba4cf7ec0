// SPDX-License-Identifier: GPL-2.0

//! The SNP guest message wire format: what crosses the shared pages and the user boundary.
//!
//! Layouts follow the SEV-SNP firmware ABI (guest message header, `MSG_REPORT_REQ`,
//! `MSG_KEY_REQ`), the secrets page, and `include/uapi/linux/sev-guest.h`. Every field offset
//! is checked at compile time, so a layout mistake does not build. Safe code only.

// SNP_GET_DERIVED_KEY and SNP_GET_EXT_REPORT (the next step) use the rest of the format; until
// then parts of it serve only the compile-time checks.
#![allow(dead_code)]

use core::mem::{offset_of, size_of};
use core::ops::Range;
use kernel::types::AsBytes;

/// Size of a guest message page: header plus payload.
pub(crate) const SNP_GUEST_MSG_SIZE: usize = 4096;

/// Payload capacity of one guest message page.
pub(crate) const SNP_GUEST_MSG_PAYLOAD_SIZE: usize =
    SNP_GUEST_MSG_SIZE - size_of::<SnpGuestMsgHdr>();

/// `SNP_AEAD_AES_256_GCM`: the only algorithm the firmware defines.
pub(crate) const SNP_AEAD_AES_256_GCM: u8 = 1;

/// `MSG_HDR_VER`.
pub(crate) const MSG_HDR_VER: u8 = 1;

/// Bytes of the header authenticated as AES-GCM additional data: `algo` up to the payload.
pub(crate) const AAD_RANGE: Range<usize> = 0x30..0x60;

/// Length of the GCM tag the firmware uses, stored at the start of `authtag`.
pub(crate) const AUTHTAG_LEN: usize = 16;

/// Length of a VMPCK (an AES-256 key).
pub(crate) const VMPCK_KEY_LEN: usize = 32;

/// Message types (`enum msg_type` of the firmware ABI); requests are odd, responses even.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum MsgType {
    /// `SNP_MSG_KEY_REQ`: derive a key.
    KeyReq = 3,
    /// `SNP_MSG_KEY_RSP`.
    KeyRsp = 4,
    /// `SNP_MSG_REPORT_REQ`: an attestation report.
    ReportReq = 5,
    /// `SNP_MSG_REPORT_RSP`.
    ReportRsp = 6,
}

impl MsgType {
    /// The response type the firmware must answer a request of this type with.
    pub(crate) const fn response(self) -> Option<MsgType> {
        match self {
            MsgType::KeyReq => Some(MsgType::KeyRsp),
            MsgType::ReportReq => Some(MsgType::ReportRsp),
            MsgType::KeyRsp | MsgType::ReportRsp => None,
        }
    }
}

kernel::bytes_struct! {
    /// `struct snp_guest_msg_hdr`: the 96-byte header of every guest message.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(crate) struct SnpGuestMsgHdr {
        /// GCM tag in bytes 0..16; the rest is zero.
        pub(crate) authtag: [u8; 32],
        /// Sequence number; also the IV. Not authenticated as AAD.
        pub(crate) msg_seqno: u64,
        pub(crate) rsvd1: [u8; 8],
        /// `SNP_AEAD_AES_256_GCM`. First AAD byte.
        pub(crate) algo: u8,
        pub(crate) hdr_version: u8,
        pub(crate) hdr_sz: u16,
        pub(crate) msg_type: u8,
        pub(crate) msg_version: u8,
        /// Length of the payload in bytes.
        pub(crate) msg_sz: u16,
        pub(crate) rsvd2: u32,
        /// Which VMPCK sealed the message (0..=3).
        pub(crate) msg_vmpck: u8,
        pub(crate) rsvd3: [u8; 35],
    }
}

impl SnpGuestMsgHdr {
    /// The header of a request, with a zero tag (sealing fills it in).
    pub(crate) const fn request(
        msg_seqno: u64,
        msg_type: MsgType,
        msg_version: u8,
        msg_sz: u16,
        msg_vmpck: u8,
    ) -> Self {
        Self {
            authtag: [0; 32],
            msg_seqno,
            rsvd1: [0; 8],
            algo: SNP_AEAD_AES_256_GCM,
            hdr_version: MSG_HDR_VER,
            hdr_sz: size_of::<SnpGuestMsgHdr>() as u16,
            msg_type: msg_type as u8,
            msg_version,
            msg_sz,
            rsvd2: 0,
            msg_vmpck,
            rsvd3: [0; 35],
        }
    }

    /// The additional authenticated data of this header.
    pub(crate) fn aad(&self) -> &[u8] {
        &self.as_bytes()[AAD_RANGE]
    }

    /// The 12-byte AES-GCM IV of a message with this header: `msg_seqno` LE, then zeros.
    pub(crate) fn iv(&self) -> [u8; 12] {
        let mut iv = [0u8; 12];
        iv[..8].copy_from_slice(&self.msg_seqno.to_le_bytes());
        iv
    }
}

/// What the firmware's genuine answer to one request carries in its header.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ResponseFor {
    /// The answer's sequence number: the request's plus one.
    pub(crate) seqno: u64,
    /// The response type of the request's type.
    pub(crate) msg_type: MsgType,
    /// The request's message version.
    pub(crate) msg_version: u8,
    /// The VMPCK the request was sealed with.
    pub(crate) vmpck: u8,
    /// The most payload bytes the caller can take.
    pub(crate) capacity: usize,
}

/// The smallest payload a genuine answer carries: every response payload starts with the
/// firmware's 32-bit status.
pub(crate) const MSG_RSP_MIN_SIZE: usize = 4;

impl SnpGuestMsgHdr {
    /// Whether this header is the one a genuine answer to `req` carries, field by field.
    ///
    /// The tag alone does not prove that: anyone holding the VMPCK (a firmware fault, or
    /// software at another VMPL that shares the key) can seal a header that authenticates but
    /// answers an older request (`msg_seqno`), another kind of request (`msg_type`,
    /// `msg_version`), comes from another key's conversation (`msg_vmpck`), is in a format this
    /// driver does not speak (`algo`, `hdr_version`, `hdr_sz`), or claims more payload than
    /// the caller's buffer holds or none at all (`msg_sz`).
    pub(crate) fn is_response_for(&self, req: &ResponseFor) -> bool {
        let msg_sz = usize::from(self.msg_sz);
        self.algo == SNP_AEAD_AES_256_GCM
            && self.hdr_version == MSG_HDR_VER
            && usize::from(self.hdr_sz) == size_of::<SnpGuestMsgHdr>()
            && self.msg_seqno == req.seqno
            && self.msg_type == req.msg_type as u8
            && self.msg_version == req.msg_version
            && self.msg_vmpck == req.vmpck
            && msg_sz >= MSG_RSP_MIN_SIZE
            && msg_sz <= req.capacity
    }
}

const _: () = {
    assert!(size_of::<SnpGuestMsgHdr>() == 0x60);
    assert!(offset_of!(SnpGuestMsgHdr, authtag) == 0x00);
    assert!(offset_of!(SnpGuestMsgHdr, msg_seqno) == 0x20);
    assert!(offset_of!(SnpGuestMsgHdr, rsvd1) == 0x28);
    assert!(offset_of!(SnpGuestMsgHdr, algo) == 0x30);
    assert!(offset_of!(SnpGuestMsgHdr, hdr_version) == 0x31);
    assert!(offset_of!(SnpGuestMsgHdr, hdr_sz) == 0x32);
    assert!(offset_of!(SnpGuestMsgHdr, msg_type) == 0x34);
    assert!(offset_of!(SnpGuestMsgHdr, msg_version) == 0x35);
    assert!(offset_of!(SnpGuestMsgHdr, msg_sz) == 0x36);
    assert!(offset_of!(SnpGuestMsgHdr, rsvd2) == 0x38);
    assert!(offset_of!(SnpGuestMsgHdr, msg_vmpck) == 0x3c);
    assert!(offset_of!(SnpGuestMsgHdr, rsvd3) == 0x3d);
    // The AAD is exactly `algo` through the end of the header.
    assert!(AAD_RANGE.start == offset_of!(SnpGuestMsgHdr, algo));
    assert!(AAD_RANGE.end == size_of::<SnpGuestMsgHdr>());
    assert!(AAD_RANGE.end - AAD_RANGE.start == 48);
};

kernel::bytes_struct! {
    /// `struct snp_guest_msg`: one shared page, header then (sealed) payload.
    pub(crate) struct SnpGuestMsg {
        pub(crate) hdr: SnpGuestMsgHdr,
        pub(crate) payload: [u8; SNP_GUEST_MSG_PAYLOAD_SIZE],
    }
}

const _: () = {
    assert!(size_of::<SnpGuestMsg>() == SNP_GUEST_MSG_SIZE);
    assert!(offset_of!(SnpGuestMsg, payload) == 0x60);
    assert!(SNP_GUEST_MSG_PAYLOAD_SIZE == 4000);
};

kernel::bytes_struct! {
    /// The OS area of the secrets page, owned by the guest kernel.
    #[derive(Clone, Copy)]
    pub(crate) struct SecretsOsArea {
        /// Last sequence number the PSP used per VMPCK (the next request uses this + 1).
        pub(crate) msg_seqno: [u32; 4],
        pub(crate) ap_jump_table_pa: u64,
        pub(crate) rsvd: [u8; 40],
        pub(crate) guest_usage: [u8; 32],
    }
}

kernel::bytes_struct! {
    /// `struct snp_secrets_page`: the page the firmware fills with the VMPCKs at launch.
    #[derive(Clone, Copy)]
    pub(crate) struct SnpSecretsPage {
        pub(crate) version: u32,
        pub(crate) imien_rsvd1: u32,
        pub(crate) fms: u32,
        pub(crate) rsvd2: u32,
        pub(crate) gosvw: [u8; 16],
        /// VMPCK0..VMPCK3.
        pub(crate) vmpck: [[u8; VMPCK_KEY_LEN]; 4],
        pub(crate) os_area: SecretsOsArea,
        pub(crate) vmsa_tweak_bitmap: [u8; 64],
        pub(crate) svsm_base: u64,
        pub(crate) svsm_size: u64,
        pub(crate) svsm_caa: u64,
        pub(crate) svsm_max_version: u32,
        pub(crate) svsm_guest_vmpl: u8,
        pub(crate) rsvd3: [u8; 3],
        pub(crate) rsvd4: [u8; 3744],
    }
}

const _: () = {
    assert!(size_of::<SnpSecretsPage>() == 4096);
    assert!(offset_of!(SnpSecretsPage, fms) == 0x008);
    assert!(offset_of!(SnpSecretsPage, gosvw) == 0x010);
    assert!(offset_of!(SnpSecretsPage, vmpck) == 0x020);
    assert!(offset_of!(SnpSecretsPage, os_area) == 0x0a0);
    const OS_AREA: usize = offset_of!(SnpSecretsPage, os_area);
    assert!(OS_AREA + offset_of!(SecretsOsArea, ap_jump_table_pa) == 0x0b0);
    assert!(OS_AREA + offset_of!(SecretsOsArea, guest_usage) == 0x0e0);
    assert!(offset_of!(SnpSecretsPage, vmsa_tweak_bitmap) == 0x100);
    assert!(offset_of!(SnpSecretsPage, svsm_base) == 0x140);
    assert!(offset_of!(SnpSecretsPage, svsm_caa) == 0x150);
    assert!(offset_of!(SnpSecretsPage, svsm_max_version) == 0x158);
    assert!(offset_of!(SnpSecretsPage, svsm_guest_vmpl) == 0x15c);
    assert!(offset_of!(SnpSecretsPage, rsvd4) == 0x160);
};

kernel::bytes_struct! {
    /// `struct snp_report_req` (uapi): the `MSG_REPORT_REQ` payload, passed through as is.
    #[derive(Clone, Copy)]
    pub(crate) struct SnpReportReq {
        /// `REPORT_DATA`: caller data the report binds.
        pub(crate) user_data: [u8; 64],
        pub(crate) vmpl: u32,
        pub(crate) rsvd: [u8; 28],
    }
}

kernel::bytes_struct! {
    /// `struct snp_report_resp` (uapi): the decrypted `MSG_REPORT_RSP` payload, zero-padded.
    pub(crate) struct SnpReportResp {
        pub(crate) data: [u8; 4000],
    }
}

kernel::bytes_struct! {
    /// `struct snp_derived_key_req` (uapi): the `MSG_KEY_REQ` payload.
    #[derive(Clone, Copy)]
    pub(crate) struct SnpDerivedKeyReq {
        pub(crate) root_key_select: u32,
        pub(crate) rsvd: u32,
        pub(crate) guest_field_select: u64,
        pub(crate) vmpl: u32,
        pub(crate) guest_svn: u32,
        pub(crate) tcb_version: u64,
    }
}

kernel::bytes_struct! {
    /// `struct snp_derived_key_resp` (uapi): the decrypted `MSG_KEY_RSP` payload.
    pub(crate) struct SnpDerivedKeyResp {
        pub(crate) data: [u8; 64],
    }
}

kernel::bytes_struct! {
    /// `struct snp_ext_report_req` (uapi): a report request plus the caller's certificate buffer.
    #[derive(Clone, Copy)]
    pub(crate) struct SnpExtReportReq {
        pub(crate) data: SnpReportReq,
        pub(crate) certs_address: u64,
        pub(crate) certs_len: u32,
        /// Tail padding of the C struct, copied in and back verbatim as C does.
        pub(crate) pad: u32,
    }
}

kernel::bytes_struct! {
    /// `struct snp_guest_request_ioctl` (uapi): the argument of every `/dev/sev-guest` ioctl.
    #[derive(Clone, Copy)]
    pub(crate) struct SnpGuestRequestIoctl {
        /// Message version for the header; must be non-zero.
        pub(crate) msg_version: u8,
        /// Implicit padding of the C struct, copied back verbatim.
        pub(crate) pad: [u8; 7],
        pub(crate) req_data: u64,
        pub(crate) resp_data: u64,
        /// GHCB `SW_EXITINFO2`: firmware error in bits 31:0, VMM error in bits 63:32.
        pub(crate) exitinfo2: u64,
    }
}

const _: () = {
    assert!(size_of::<SnpReportReq>() == 96);
    assert!(offset_of!(SnpReportReq, vmpl) == 64);
    assert!(offset_of!(SnpReportReq, rsvd) == 68);
    assert!(size_of::<SnpReportResp>() == 4000);
    assert!(size_of::<SnpDerivedKeyReq>() == 32);
    assert!(offset_of!(SnpDerivedKeyReq, guest_field_select) == 8);
    assert!(offset_of!(SnpDerivedKeyReq, vmpl) == 16);
    assert!(offset_of!(SnpDerivedKeyReq, guest_svn) == 20);
    assert!(offset_of!(SnpDerivedKeyReq, tcb_version) == 24);
    assert!(size_of::<SnpDerivedKeyResp>() == 64);
    assert!(size_of::<SnpExtReportReq>() == 112);
    assert!(offset_of!(SnpExtReportReq, certs_address) == 96);
    assert!(offset_of!(SnpExtReportReq, certs_len) == 104);
    assert!(size_of::<SnpGuestRequestIoctl>() == 32);
    assert!(offset_of!(SnpGuestRequestIoctl, req_data) == 8);
    assert!(offset_of!(SnpGuestRequestIoctl, resp_data) == 16);
    assert!(offset_of!(SnpGuestRequestIoctl, exitinfo2) == 24);
};

/// `'S'`: the ioctl type of `/dev/sev-guest`.
const SNP_GUEST_REQ_IOC_TYPE: u32 = b'S' as u32;

/// `SNP_GET_REPORT`.
pub(crate) const SNP_GET_REPORT: u32 =
    kernel::ioctl::_IOWR::<SnpGuestRequestIoctl>(SNP_GUEST_REQ_IOC_TYPE, 0x0);
/// `SNP_GET_DERIVED_KEY`.
pub(crate) const SNP_GET_DERIVED_KEY: u32 =
    kernel::ioctl::_IOWR::<SnpGuestRequestIoctl>(SNP_GUEST_REQ_IOC_TYPE, 0x1);
/// `SNP_GET_EXT_REPORT`.
pub(crate) const SNP_GET_EXT_REPORT: u32 =
    kernel::ioctl::_IOWR::<SnpGuestRequestIoctl>(SNP_GUEST_REQ_IOC_TYPE, 0x2);

const _: () = {
    assert!(SNP_GET_REPORT == 0xc020_5300);
    assert!(SNP_GET_DERIVED_KEY == 0xc020_5301);
    assert!(SNP_GET_EXT_REPORT == 0xc020_5302);
};

// The same layouts as the kernel's own headers (`asm/sev.h` for the message and the secrets page,
// `uapi/linux/sev-guest.h` for the ioctl ABI), field by field: a drift fails the build.
const _: () = {
    use kernel::{bindings as b, uapi as u};
    macro_rules! same_layout {
        ($ours:ty, $theirs:ty, $($f:ident = $g:ident),* $(,)?) => {
            assert!(size_of::<$ours>() == size_of::<$theirs>());
            $(assert!(offset_of!($ours, $f) == offset_of!($theirs, $g));)*
        };
    }
    same_layout!(
        SnpGuestMsgHdr,
        b::snp_guest_msg_hdr,
        authtag = authtag,
        msg_seqno = msg_seqno,
        rsvd1 = rsvd1,
        algo = algo,
        hdr_version = hdr_version,
        hdr_sz = hdr_sz,
        msg_type = msg_type,
        msg_version = msg_version,
        msg_sz = msg_sz,
        rsvd2 = rsvd2,
        msg_vmpck = msg_vmpck,
        rsvd3 = rsvd3
    );
    same_layout!(SnpGuestMsg, b::snp_guest_msg, hdr = hdr, payload = payload);
    same_layout!(
        SnpSecretsPage,
        b::snp_secrets_page,
        version = version,
        fms = fms,
        gosvw = gosvw,
        vmpck = vmpck0,
        os_area = os_area,
        vmsa_tweak_bitmap = vmsa_tweak_bitmap,
        svsm_base = svsm_base,
        svsm_caa = svsm_caa,
        svsm_guest_vmpl = svsm_guest_vmpl,
        rsvd4 = rsvd4
    );
    same_layout!(
        SecretsOsArea,
        b::secrets_os_area,
        msg_seqno = msg_seqno_0,
        ap_jump_table_pa = ap_jump_table_pa,
        guest_usage = guest_usage
    );
    same_layout!(
        SnpReportReq,
        u::snp_report_req,
        user_data = user_data,
        vmpl = vmpl,
        rsvd = rsvd
    );
    same_layout!(SnpReportResp, u::snp_report_resp, data = data);
    same_layout!(
        SnpDerivedKeyReq,
        u::snp_derived_key_req,
        root_key_select = root_key_select,
        rsvd = rsvd,
        guest_field_select = guest_field_select,
        vmpl = vmpl,
        guest_svn = guest_svn,
        tcb_version = tcb_version
    );
    same_layout!(SnpDerivedKeyResp, u::snp_derived_key_resp, data = data);
    same_layout!(
        SnpExtReportReq,
        u::snp_ext_report_req,
        data = data,
        certs_address = certs_address,
        certs_len = certs_len
    );
    same_layout!(
        SnpGuestRequestIoctl,
        u::snp_guest_request_ioctl,
        msg_version = msg_version,
        req_data = req_data,
        resp_data = resp_data,
        exitinfo2 = __bindgen_anon_1
    );
};
