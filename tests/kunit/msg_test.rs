// SPDX-License-Identifier: GPL-2.0

//! KUnit: the guest message header, its AAD and IV. The layouts, sizes and ioctl numbers are
//! checked where the compiler can check them, by `const` assertions in `msg.rs` (and against
//! the C uapi header by `tests/uapi/`); these tests cover what only runs.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_msg)]
mod tests {
    use crate::msg::*;
    use core::mem::size_of;
    use kernel::types::AsBytes;

    fn report_request_header() -> SnpGuestMsgHdr {
        SnpGuestMsgHdr::request(
            0x0102_0304_0506_0708,
            MsgType::ReportReq,
            1,
            size_of::<SnpReportReq>() as u16,
            2,
        )
    }

    #[test]
    fn request_header_serialises_field_by_field() {
        let hdr = report_request_header();
        let b = hdr.as_bytes();
        assert!(b[..0x20].iter().all(|&x| x == 0), "tag starts zeroed");
        assert_eq!(b[0x20..0x28], [8, 7, 6, 5, 4, 3, 2, 1]);
        assert!(b[0x28..0x30].iter().all(|&x| x == 0));
        assert_eq!(b[0x30], SNP_AEAD_AES_256_GCM);
        assert_eq!(b[0x31], MSG_HDR_VER);
        assert_eq!(b[0x32..0x34], [96, 0]);
        assert_eq!(b[0x34], 5);
        assert_eq!(b[0x35], 1);
        assert_eq!(b[0x36..0x38], [96, 0]);
        assert!(b[0x38..0x3c].iter().all(|&x| x == 0));
        assert_eq!(b[0x3c], 2);
        assert!(b[0x3d..].iter().all(|&x| x == 0));
    }

    #[test]
    fn aad_is_algo_through_end_of_header() {
        let hdr = report_request_header();
        let aad = hdr.aad();
        // As a real report request on VMPCK2 puts it on the wire.
        assert_eq!(aad[..0x0e], [1, 1, 96, 0, 5, 1, 96, 0, 0, 0, 0, 0, 2, 0]);
        assert!(aad[0x0e..].iter().all(|&x| x == 0));
    }

    #[test]
    fn aad_excludes_tag_and_seqno() {
        let a = report_request_header();
        let mut b = a;
        b.authtag = [0xff; 32];
        b.msg_seqno = 99;
        b.rsvd1 = [0xee; 8];
        assert_eq!(a.aad(), b.aad());
        let mut c = a;
        c.msg_vmpck = 3;
        assert_ne!(a.aad(), c.aad());
    }

    #[test]
    fn iv_is_le_seqno_then_four_zero_bytes() {
        let hdr = report_request_header();
        assert_eq!(hdr.iv(), [8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0, 0]);
    }

    #[test]
    fn responses_are_request_type_plus_one() {
        assert_eq!(MsgType::ReportReq.response(), Some(MsgType::ReportRsp));
        assert_eq!(MsgType::KeyReq.response(), Some(MsgType::KeyRsp));
        assert_eq!(MsgType::ReportRsp.response(), None);
        assert_eq!(MsgType::ReportRsp as u8, MsgType::ReportReq as u8 + 1);
    }
}
