// SPDX-License-Identifier: GPL-2.0

//! KUnit: the request engine against a fake firmware behind a hostile hypervisor, one case
//! per row of FAULTS.md that can be driven in-kernel. Each case pins the errno, the
//! `exitinfo2` reported, the counter, whether the key was wiped (in the engine and in the
//! secrets page), and that the firmware never saw one sequence number with two ciphertexts.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_engine)]
mod tests {
    use crate::crypto::MsgBuf;
    use crate::engine::{Engine, Failure, RetryPolicy};
    use crate::fake_fw::{
        fake_engine, test_keys, FakeFw, Fault, Forgery, MemSecrets, REPORT_RSP_LEN,
    };
    use crate::ghcb::{ExitCode, EXITINFO2_BUSY, EXITINFO2_INVALID_LEN, EXITINFO2_NO_FW_CALL};
    use crate::ghcb::{Hypervisor, RequestPages, SharedPages};
    use crate::msg::MsgType;
    use crate::msg::{SnpGuestMsgHdr, MSG_RSP_MIN_SIZE};
    use crate::secrets::{Secrets, VmpckId, KEY_COPY_ZEROED_AT_DROP};
    use core::sync::atomic::Ordering;
    use kernel::error::{code::*, Error, Result};
    use kernel::mem_encrypt::DecryptedPages;
    use kernel::prelude::*;
    use kernel::types::AsBytes;

    const RETRY: RetryPolicy = RetryPolicy {
        window_ms: 40,
        first_delay_ms: 1,
        max_delay_ms: 4,
    };

    struct Rig {
        engine: Engine<FakeFw, MemSecrets>,
    }

    /// An engine on VMPCK `id` whose counter (and the firmware's) starts at `counter`.
    fn rig_at(id: u8, counter: u32) -> Result<Rig> {
        Ok(Rig {
            engine: fake_engine(id, counter, RETRY)?,
        })
    }

    fn rig() -> Result<Rig> {
        rig_at(0, 0)
    }

    fn report_req(tag: u8) -> [u8; 96] {
        let mut r = [0u8; 96];
        r[..64].fill(tag);
        r
    }

    impl Rig {
        fn report(&mut self, exit: ExitCode, tag: u8) -> Result<KBox<[u8; 4000]>, Failure> {
            let mut out =
                KBox::new([0xaau8; 4000], GFP_KERNEL).map_err(|_| Failure::from(ENOMEM))?;
            self.engine
                .send(exit, MsgType::ReportReq, 1, &report_req(tag), &mut out[..])?;
            Ok(out)
        }

        /// A derived key for the 32-byte request `[tag; 32]`, message version 1.
        fn key(&mut self, tag: u8) -> Result<[u8; 64], Failure> {
            let mut out = [0u8; 64];
            self.engine.send(
                ExitCode::GuestRequest,
                MsgType::KeyReq,
                1,
                &[tag; 32],
                &mut out,
            )?;
            Ok(out)
        }

        fn fault(&mut self, f: Fault) {
            self.engine.hv().fault = f;
        }

        /// Whether the key is gone from the engine and the secrets page, and the next request
        /// gets ENOTTY without reaching the hypervisor.
        fn wiped(&mut self) -> bool {
            let calls = self.engine.hv().calls;
            let next = self.report(ExitCode::GuestRequest, 9);
            self.engine.is_disabled()
                && next.err().map(|f| f.err) == Some(ENOTTY)
                && self.engine.hv().calls == calls
                && self.engine.key_in_secrets_page() == Ok(false)
        }

        /// No IV reused in either direction, and at every VMGEXIT the stored counter was
        /// already past the exposed request and its answer.
        fn clean(&mut self) -> bool {
            let fw = self.engine.hv();
            !fw.iv_reuse && !fw.counter_behind && fw.counter_checks == fw.calls
        }

        /// Stores `counter` in the secrets page behind the engine's back.
        fn store_counter(&mut self, id: u8, counter: u32) {
            if let Some(page) = self.engine.hv().secrets.clone() {
                MemSecrets::set_counter(&page, id, counter);
            }
        }
    }

    fn failure(err: Error, exitinfo2: u64) -> Failure {
        Failure {
            err,
            exitinfo2: Some(exitinfo2),
            certs_npages: None,
        }
    }

    #[test]
    fn report_round_trip_returns_the_answer_and_advances_counter_by_two() -> Result {
        let mut r = rig()?;
        let out = r.report(ExitCode::GuestRequest, 0x5a).map_err(|f| f.err)?;
        assert_eq!(out[4..8], 0x4a0u32.to_le_bytes());
        assert!(out[0x20 + 0x50..0x20 + 0x90].iter().all(|&b| b == 0x5a));
        assert!(out[REPORT_RSP_LEN..].iter().all(|&b| b == 0));
        assert_eq!(r.engine.counter()?, 2);
        let out = r.report(ExitCode::GuestRequest, 0x11).map_err(|f| f.err)?;
        assert!(out[0x20 + 0x50..0x20 + 0x90].iter().all(|&b| b == 0x11));
        assert_eq!(r.engine.counter()?, 4);
        assert!(!r.engine.is_disabled());
        assert!(r.clean());
        Ok(())
    }

    #[test]
    fn derived_key_round_trip_returns_64_bytes() -> Result {
        let mut r = rig()?;
        let out = r.key(7).map_err(|f| f.err)?;
        assert_eq!(out[0x20], 7);
        assert_eq!(out[0x21], 7 ^ 1);
        assert_eq!(r.engine.counter()?, 2);
        Ok(())
    }

    #[test]
    fn h01_busy_then_success_resends_identical_bytes() -> Result {
        let mut r = rig()?;
        r.fault(Fault::Busy(3));
        r.report(ExitCode::GuestRequest, 1).map_err(|f| f.err)?;
        assert_eq!(r.engine.last_resends(), 3);
        assert_eq!(r.engine.hv().calls, 4);
        assert_eq!(r.engine.counter()?, 2);
        assert!(!r.engine.is_disabled());
        assert!(r.clean());
        Ok(())
    }

    #[test]
    fn h02_busy_past_the_window_times_out_and_wipes() -> Result {
        let mut r = rig()?;
        r.fault(Fault::BusyForever);
        let f = r.report(ExitCode::GuestRequest, 1).err();
        assert_eq!(f, Some(failure(ETIMEDOUT, EXITINFO2_BUSY)));
        assert!(r.engine.last_resends() >= 3);
        assert_eq!(r.engine.counter()?, 2);
        assert!(r.wiped());
        assert!(r.clean());
        Ok(())
    }

    #[test]
    fn h02_resends_back_off_exponentially_inside_the_window() -> Result {
        // The default's shape over 2 s: pauses of 10, 20, 40, ... ms, capped at 1.5 s. They
        // add up to 1270 ms after 7 resends and the 8th pause ends past the window: at most 8
        // resends (fewer if the sleeps run long); without the back-off, about 200.
        let mut r = Rig {
            engine: fake_engine(
                0,
                0,
                RetryPolicy {
                    window_ms: 2000,
                    first_delay_ms: 10,
                    max_delay_ms: 1500,
                },
            )?,
        };
        r.fault(Fault::BusyForever);
        let f = r.report(ExitCode::GuestRequest, 1).err();
        assert_eq!(f, Some(failure(ETIMEDOUT, EXITINFO2_BUSY)));
        let resends = r.engine.last_resends();
        assert!((4..=8).contains(&resends));
        assert_eq!(r.engine.hv().calls, resends + 1);
        Ok(())
    }

    #[test]
    fn key_copies_are_zeroed_before_they_are_freed() -> Result {
        KEY_COPY_ZEROED_AT_DROP.store(false, Ordering::Relaxed);
        // Setting up the engine reads the key from the secrets page into a copy, builds the
        // cipher from it and drops it.
        let r = rig()?;
        assert!(KEY_COPY_ZEROED_AT_DROP.load(Ordering::Relaxed));
        drop(r);
        Ok(())
    }

    #[test]
    fn opened_answers_do_not_linger_in_the_engine() -> Result {
        let mut r = rig()?;
        r.key(7).map_err(|f| f.err)?;
        assert!(r.engine.private_answer_cleared());
        // Nor does the private copy of an answer that is refused.
        r.fault(Fault::Forge(Forgery::MsgType(0)));
        assert_eq!(r.key(8).err(), Some(failure(EBADMSG, 0)));
        assert!(r.engine.private_answer_cleared());
        Ok(())
    }

    #[test]
    fn h03_invalid_len_reissues_the_same_bytes_plain_and_reports_pages() -> Result {
        for npages in 1..=4u64 {
            let mut r = rig()?;
            r.fault(Fault::InvalidLen(npages));
            let f = r.report(ExitCode::ExtGuestRequest, 1).err();
            assert_eq!(
                f,
                Some(Failure {
                    err: EIO,
                    exitinfo2: Some(EXITINFO2_INVALID_LEN),
                    certs_npages: Some(npages),
                })
            );
            let exits = &r.engine.hv().exits;
            assert!(exits.len() == 2);
            assert!(exits[0] == ExitCode::ExtGuestRequest && exits[1] == ExitCode::GuestRequest);
            assert_eq!(r.engine.hv().served, 1);
            assert_eq!(r.engine.counter()?, 2);
            assert!(!r.engine.is_disabled());
            assert!(r.clean());
        }
        Ok(())
    }

    #[test]
    fn h04_absurd_page_counts_are_reported_raw_and_never_computed_with() -> Result {
        for npages in [0u64, 5, 1 << 20, 1 << 31, u64::from(u32::MAX)] {
            let mut r = rig()?;
            r.fault(Fault::InvalidLen(npages));
            let f = r.report(ExitCode::ExtGuestRequest, 1).err();
            assert_eq!(
                f,
                Some(Failure {
                    err: EIO,
                    exitinfo2: Some(EXITINFO2_INVALID_LEN),
                    certs_npages: Some(npages),
                })
            );
            assert_eq!(r.engine.counter()?, 2);
            assert!(!r.engine.is_disabled());
            assert!(r.clean());
        }
        Ok(())
    }

    #[test]
    fn h05_invalid_len_on_a_plain_request_wipes() -> Result {
        let mut r = rig()?;
        r.fault(Fault::Error(EXITINFO2_INVALID_LEN));
        let f = r.report(ExitCode::GuestRequest, 1).err();
        assert_eq!(f, Some(failure(EIO, EXITINFO2_INVALID_LEN)));
        assert_eq!(r.engine.counter()?, 2);
        assert!(r.wiped());
        Ok(())
    }

    #[test]
    fn h06_failed_reissue_reports_the_real_error_and_wipes() -> Result {
        let mut r = rig()?;
        r.fault(Fault::InvalidLenThen(2));
        let f = r.report(ExitCode::ExtGuestRequest, 1).err();
        assert_eq!(f, Some(failure(EIO, 0x27)));
        assert_eq!(r.engine.counter()?, 2);
        assert!(r.wiped());
        Ok(())
    }

    #[test]
    fn h07_h08_firmware_and_vmm_errors_keep_exitinfo2_and_wipe() -> Result {
        for e in [
            0x16u64,
            0x1d,
            0x27,
            0x1234_5678,
            0x7_0000_0000,
            0x3_0000_0016,
        ] {
            let mut r = rig()?;
            r.fault(Fault::Error(e));
            assert_eq!(
                r.report(ExitCode::GuestRequest, 1).err(),
                Some(failure(EIO, e))
            );
            assert_eq!(r.engine.counter()?, 2);
            assert!(r.wiped());
        }
        Ok(())
    }

    #[test]
    fn h09_h10_no_firmware_call_is_eio_and_wipes() -> Result {
        let mut r = rig()?;
        r.fault(Fault::NoCall);
        let f = r.report(ExitCode::GuestRequest, 1).err();
        assert_eq!(f, Some(failure(EIO, EXITINFO2_NO_FW_CALL)));
        assert_eq!(r.engine.counter()?, 2);
        assert!(r.wiped());
        Ok(())
    }

    /// Runs one hostile-response case: the answer must be refused with EBADMSG and the key
    /// wiped, the counter moved on, and no IV reused.
    fn refused(f: Fault) -> Result<bool> {
        let mut r = rig()?;
        // One genuine exchange first, so a replay has something to replay.
        r.report(ExitCode::GuestRequest, 3).map_err(|f| f.err)?;
        r.fault(f);
        let got = r.report(ExitCode::GuestRequest, 4).err();
        Ok(got == Some(failure(EBADMSG, 0)) && r.engine.counter()? == 4 && r.wiped() && r.clean())
    }

    #[test]
    fn r01_r02_dropped_or_replayed_responses_wipe() -> Result {
        assert!(refused(Fault::Drop)?);
        assert!(refused(Fault::Replay)?);
        Ok(())
    }

    #[test]
    fn r03_each_aad_byte_flipped_wipes() -> Result {
        for off in 0x30..0x60 {
            assert!(refused(Fault::Flip(off, 0x01))?, "AAD byte {:#x}", off);
        }
        Ok(())
    }

    #[test]
    fn r04_each_tag_byte_flipped_wipes() -> Result {
        for off in 0..16 {
            assert!(refused(Fault::Flip(off, 0x80))?, "tag byte {}", off);
        }
        Ok(())
    }

    #[test]
    fn r05_a_ciphertext_bit_flipped_wipes() -> Result {
        for off in [0x60, 0x61, 0x60 + 0x70, 0x60 + REPORT_RSP_LEN - 1] {
            assert!(
                refused(Fault::Flip(off, 0x04))?,
                "ciphertext byte {:#x}",
                off
            );
        }
        Ok(())
    }

    #[test]
    fn r06_wrong_sequence_numbers_wipe() -> Result {
        // The request of the second exchange is 3, its answer must be 4: the request's own
        // number, req + 3, zero and the largest are all refused.
        for s in [3u64, 6, 0, u64::MAX] {
            assert!(refused(Fault::Seqno(s))?, "seqno {}", s);
        }
        Ok(())
    }

    #[test]
    fn r07_r08_r09_wrong_type_version_or_size_wipe() -> Result {
        assert!(refused(Fault::Type(MsgType::KeyRsp as u8))?);
        assert!(refused(Fault::Type(MsgType::ReportReq as u8))?);
        assert!(refused(Fault::Version(2))?);
        assert!(refused(Fault::MsgSz(4000))?);
        assert!(refused(Fault::MsgSz(0xffff))?);
        Ok(())
    }

    #[test]
    fn r11_request_changed_before_the_firmware_reads_it_is_eio_and_wipes() -> Result {
        let mut r = rig()?;
        r.fault(Fault::FlipRequest(0x60, 0x01));
        let f = r.report(ExitCode::GuestRequest, 1).err();
        assert_eq!(f, Some(failure(EIO, 0x1d)));
        assert_eq!(r.engine.counter()?, 2);
        assert!(r.wiped());
        Ok(())
    }

    #[test]
    fn r12_short_genuine_answer_succeeds_zero_filled() -> Result {
        let mut r = rig()?;
        r.engine.hv().report_len = 0x30;
        let out = r.report(ExitCode::GuestRequest, 1).map_err(|f| f.err)?;
        assert_eq!(out[4..8], 0x4a0u32.to_le_bytes());
        assert!(out[0x30..].iter().all(|&b| b == 0));
        assert!(!r.engine.is_disabled());
        // The shortest answer taken: the firmware's status word alone.
        r.engine.hv().report_len = MSG_RSP_MIN_SIZE;
        let out = r.report(ExitCode::GuestRequest, 2).map_err(|f| f.err)?;
        assert!(out.iter().all(|&b| b == 0));
        assert!(!r.engine.is_disabled());
        Ok(())
    }

    #[test]
    fn certificate_buffers_past_four_pages_or_not_whole_pages_are_refused() -> Result {
        // The engine's own bound (the ioctl checks it too): refused before anything is sealed.
        let mut r = rig()?;
        let mut certs = KVec::from_elem(0u8, 5 * 4096, GFP_KERNEL)?;
        for len in [5 * 4096, 4097, 100] {
            let mut out = [0u8; 4000];
            let got = r.engine.send_with_certs(
                ExitCode::ExtGuestRequest,
                MsgType::ReportReq,
                1,
                &report_req(1),
                &mut out,
                &mut certs[..len],
            );
            assert_eq!(got.err(), Some(Failure::from(EINVAL)));
        }
        assert_eq!(r.engine.hv().calls, 0);
        assert_eq!(r.engine.counter()?, 0);
        assert!(!r.engine.is_disabled());
        Ok(())
    }

    #[test]
    fn h01_a_request_page_rewritten_during_busy_is_resent_as_sealed() -> Result {
        let mut r = rig()?;
        r.engine
            .hv()
            .set_script(&[Fault::TamperThenBusy(0x70, 0xff), Fault::None])?;
        r.report(ExitCode::GuestRequest, 1).map_err(|f| f.err)?;
        assert_eq!(r.engine.hv().calls, 2);
        assert!(!r.engine.is_disabled());
        assert!(r.clean());
        Ok(())
    }

    #[test]
    fn certificates_of_an_earlier_request_never_pass_for_this_ones() -> Result {
        let mut r = rig()?;
        let mut certs = KVec::from_elem(0u8, 2 * 4096, GFP_KERNEL)?;
        let mut out = [0u8; 4000];
        r.engine.hv().certs_pages = 2;
        let ext = |r: &mut Rig, out: &mut [u8], certs: &mut [u8]| {
            r.engine.send_with_certs(
                ExitCode::ExtGuestRequest,
                MsgType::ReportReq,
                1,
                &report_req(1),
                out,
                certs,
            )
        };
        ext(&mut r, &mut out, &mut certs).map_err(|f| f.err)?;
        assert!(certs.iter().any(|&b| b != 0));
        // The host has no certificates any more: the answer comes with none.
        r.engine.hv().certs_pages = 0;
        ext(&mut r, &mut out, &mut certs).map_err(|f| f.err)?;
        assert!(certs.iter().all(|&b| b == 0));
        Ok(())
    }

    #[test]
    fn an_answer_shorter_than_the_status_word_is_refused() -> Result {
        let mut r = rig()?;
        r.engine.hv().report_len = MSG_RSP_MIN_SIZE - 1;
        let f = r.report(ExitCode::GuestRequest, 1).err();
        assert_eq!(f, Some(failure(EBADMSG, 0)));
        assert!(r.wiped());
        Ok(())
    }

    #[test]
    fn requests_up_to_the_payload_size_are_sent_longer_ones_refused() -> Result {
        // 4001 bytes: refused before anything is sealed, the key kept.
        let mut r = rig()?;
        let req = KVec::from_elem(0u8, 4001, GFP_KERNEL)?;
        let mut out = [0u8; 64];
        let got = r
            .engine
            .send(ExitCode::GuestRequest, MsgType::KeyReq, 1, &req, &mut out);
        assert_eq!(got.err(), Some(Failure::from(EINVAL)));
        assert_eq!(r.engine.hv().calls, 0);
        assert_eq!(r.engine.counter()?, 0);
        assert!(!r.engine.is_disabled());
        // 4000 bytes fill the payload: sealed and sent (the firmware refuses a key request of
        // that size, so it fails after exposure).
        let got = r.engine.send(
            ExitCode::GuestRequest,
            MsgType::KeyReq,
            1,
            &req[..4000],
            &mut out,
        );
        assert_eq!(got.err(), Some(failure(EIO, 0x16)));
        assert_eq!(r.engine.hv().calls, 1);
        assert_eq!(r.engine.counter()?, 2);
        Ok(())
    }

    #[test]
    fn k01_counter_exhaustion_is_refused_before_exposure_and_keeps_the_key() -> Result {
        // Stored 0xfffffffc: request 0xfffffffd works (answer 0xfffffffe), then the next one
        // would need 0xffffffff and its answer 2^32: refused.
        let mut r = rig_at(0, 0xffff_fffc)?;
        r.report(ExitCode::GuestRequest, 1).map_err(|f| f.err)?;
        assert_eq!(r.engine.counter()?, 0xffff_fffe);
        let calls = r.engine.hv().calls;
        assert_eq!(
            r.report(ExitCode::GuestRequest, 2).err(),
            Some(Failure::from(EIO))
        );
        assert_eq!(r.engine.hv().calls, calls);
        assert_eq!(r.engine.counter()?, 0xffff_fffe);
        assert!(!r.engine.is_disabled());
        assert!(r.clean());
        Ok(())
    }

    #[test]
    fn k06_counter_is_past_the_request_and_its_answer_at_every_vmgexit() -> Result {
        // Whatever the host does while it holds the request, a kernel that started at any of
        // its VMGEXITs (kexec, kdump) would find a counter past both IVs.
        let faults = [
            Fault::None,
            Fault::Busy(3),
            Fault::BusyForever,
            Fault::InvalidLen(2),
            Fault::InvalidLenThen(2),
            Fault::Error(0x16),
            Fault::NoCall,
            Fault::Drop,
        ];
        for f in faults {
            let mut r = rig_at(0, 8)?;
            r.fault(f);
            let _ = r.report(ExitCode::ExtGuestRequest, 1);
            let fw = r.engine.hv();
            assert!(fw.calls >= 1, "{:?}", f);
            assert!(fw.counter_checks == fw.calls, "{:?}", f);
            assert!(!fw.counter_behind, "{:?}", f);
            assert!(r.engine.counter()? == 10, "{:?}", f);
        }
        Ok(())
    }

    #[test]
    fn k07_odd_counter_is_refused_at_setup() -> Result {
        assert_eq!(fake_engine(0, 3, RETRY).err(), Some(EIO));
        assert_eq!(fake_engine(2, 0xffff_fffd, RETRY).err(), Some(EIO));
        Ok(())
    }

    #[test]
    fn k07_odd_counter_is_refused_per_request_before_exposure_keeping_the_key() -> Result {
        let mut r = rig()?;
        r.report(ExitCode::GuestRequest, 1).map_err(|f| f.err)?;
        // An earlier stage moved the counter back onto the answer's IV: the next request
        // would be sealed with seqno 2, the IV the firmware's answer just used.
        r.store_counter(0, 1);
        let calls = r.engine.hv().calls;
        for exit in [ExitCode::GuestRequest, ExitCode::ExtGuestRequest] {
            assert_eq!(r.report(exit, 2).err(), Some(Failure::from(EIO)));
        }
        assert_eq!(r.engine.hv().calls, calls);
        assert_eq!(r.engine.counter()?, 1);
        assert!(!r.engine.is_disabled());
        assert_eq!(r.engine.key_in_secrets_page(), Ok(true));
        // An even counter where the firmware expects it works again.
        r.store_counter(0, 2);
        r.report(ExitCode::GuestRequest, 3).map_err(|f| f.err)?;
        assert!(r.clean());
        Ok(())
    }

    #[test]
    fn iv_monitor_catches_a_request_sealed_on_an_answers_iv() -> Result {
        // What an odd counter would lead to, built by hand since the engine refuses it: after
        // request 1 and answer 2, a request sealed with seqno 2.
        let mut r = rig()?;
        r.report(ExitCode::GuestRequest, 1).map_err(|f| f.err)?;
        assert!(r.clean());
        let mut m = MsgBuf::new()?;
        m.hdr = SnpGuestMsgHdr::request(2, MsgType::ReportReq, 1, 96, 0);
        r.engine.hv().seal_as_guest(0, &mut m, 96);
        let mut req = DecryptedPages::new(1, GFP_KERNEL)?;
        let mut resp = DecryptedPages::new(1, GFP_KERNEL)?;
        let mut certs = DecryptedPages::new(1, GFP_KERNEL)?;
        req.write_from(0, m.as_bytes())?;
        let pages = RequestPages {
            req_gpa: 0,
            resp_gpa: 0,
            certs_gpa: 0,
            certs_npages: 0,
        };
        let shared = SharedPages {
            req: &mut req,
            resp: &mut resp,
            certs: &mut certs,
        };
        let _ = r.engine.hv().issue(ExitCode::GuestRequest, &pages, shared);
        assert!(r.engine.hv().iv_reuse);
        Ok(())
    }

    /// A key request answered with an authentic forgery; must be refused like `refused`.
    fn key_refused(f: Fault) -> Result<bool> {
        let mut r = rig()?;
        r.key(7).map_err(|f| f.err)?;
        r.fault(f);
        let got = r.key(8).err();
        Ok(got == Some(failure(EBADMSG, 0)) && r.engine.counter()? == 4 && r.wiped() && r.clean())
    }

    #[test]
    fn r13_authentic_forgeries_with_one_wrong_header_field_wipe() -> Result {
        // Sealed with the right key, so the tag checks out: only the header check stops them.
        // The second exchange is request 3, answer 4, a report answered with MSG_REPORT_RSP
        // version 1 under VMPCK0.
        let forgeries = [
            Forgery::MsgType(MsgType::KeyRsp as u8),
            Forgery::MsgType(MsgType::ReportReq as u8),
            Forgery::MsgVersion(2),
            Forgery::MsgSz(0),
            Forgery::MsgSz(3),
            Forgery::MsgSeqno(3),
            Forgery::MsgSeqno(6),
            Forgery::HdrVersion(2),
            Forgery::HdrSz(0x50),
            Forgery::Algo(2),
            Forgery::MsgVmpck(1),
        ];
        for f in forgeries {
            assert!(refused(Fault::Forge(f))?, "{:?}", f);
        }
        // Past the caller's buffer: a derived key's 64 bytes.
        assert!(key_refused(Fault::Forge(Forgery::MsgSz(65)))?);
        assert!(key_refused(Fault::Forge(Forgery::MsgSz(4000)))?);
        Ok(())
    }

    #[test]
    fn r13_the_genuine_answer_passes_the_header_check() -> Result {
        // The control for the forgeries above: the same fake, sealing without a forgery.
        let mut r = rig()?;
        r.report(ExitCode::GuestRequest, 3).map_err(|f| f.err)?;
        r.report(ExitCode::GuestRequest, 4).map_err(|f| f.err)?;
        r.key(7).map_err(|f| f.err)?;
        assert_eq!(r.engine.counter()?, 6);
        assert!(!r.engine.is_disabled());
        assert!(r.clean());
        Ok(())
    }

    #[test]
    fn k02_all_zero_key_is_refused_at_setup() -> Result {
        let page = KBox::new([0u8; 4096], GFP_KERNEL)?;
        let fw = FakeFw::new(&test_keys(), [0; 4])?;
        let secrets = Secrets::new(MemSecrets::new(page)?, VmpckId::new(1)?);
        assert_eq!(Engine::new(fw, secrets, RETRY).err(), Some(EINVAL));
        Ok(())
    }

    #[test]
    fn k03_each_vmpck_id_seals_with_its_own_key() -> Result {
        for id in 0..4u8 {
            let mut r = rig_at(id, 10)?;
            r.report(ExitCode::GuestRequest, id).map_err(|f| f.err)?;
            assert_eq!(r.engine.counter()?, 12);
        }
        assert_eq!(VmpckId::new(4).err(), Some(EINVAL));
        assert_eq!(VmpckId::new(-1).err(), Some(EINVAL));
        Ok(())
    }

    #[test]
    fn k04_after_a_wipe_requests_get_enotty_and_nothing_is_exposed() -> Result {
        let mut r = rig()?;
        r.fault(Fault::Error(0x16));
        let _ = r.report(ExitCode::GuestRequest, 1);
        for _ in 0..3 {
            assert!(r.wiped());
        }
        assert_eq!(r.engine.counter()?, 2);
        Ok(())
    }
}
