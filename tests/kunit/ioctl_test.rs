// SPDX-License-Identifier: GPL-2.0

//! KUnit: the `/dev/sev-guest` ioctl ABI, errno and `exitinfo2` write-back as the C driver
//! has them (upstream.md §2.1), on real user memory (`kunit_vm_mmap()`) and a fake firmware.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_ioctl)]
mod tests {
    use crate::engine::RetryPolicy;
    use crate::fake_fw::{fake_engine, FakeFw, Fault, MemSecrets, CERT_TABLE_LEN};
    use crate::msg::{
        SnpExtReportReq, SnpGuestRequestIoctl, SnpReportReq, SNP_GET_DERIVED_KEY,
        SNP_GET_EXT_REPORT, SNP_GET_REPORT,
    };
    use crate::{DeviceState, OpenFile};
    use core::mem::size_of;
    use kernel::bindings;
    use kernel::error::code::*;
    use kernel::prelude::*;
    use kernel::sync::Arc;
    use kernel::uaccess::UserSlice;

    const RETRY: RetryPolicy = RetryPolicy {
        window_ms: 20,
        first_delay_ms: 1,
        max_delay_ms: 4,
    };
    const PROT_READ: usize = 1;
    const PROT_WRITE: usize = 2;
    const MAP_PRIVATE: usize = 2;
    const MAP_ANONYMOUS: usize = 0x20;
    /// Where the test puts the pieces inside its user page.
    const IO: usize = 0;
    const REQ: usize = 0x100;
    const RESP: usize = 0x1000;

    /// User memory of this test: `n` pages.
    fn user_pages_n(prot: usize, n: usize) -> Result<usize> {
        // SAFETY: Called from a KUnit case; the mapping is tracked and released by KUnit.
        let addr = unsafe {
            bindings::kunit_vm_mmap(
                bindings::kunit_get_current_test(),
                core::ptr::null_mut(),
                0,
                n * 4096,
                prot,
                MAP_PRIVATE | MAP_ANONYMOUS,
                0,
            )
        };
        // An error comes back as a negative errno in the address.
        if addr == 0 || addr > usize::MAX - 4095 {
            return Err(ENOMEM);
        }
        Ok(addr)
    }

    /// Two pages of user memory.
    fn user_pages(prot: usize) -> Result<usize> {
        user_pages_n(prot, 2)
    }

    /// Writes `len` bytes of `marker` to user memory at `addr`.
    fn fill_user(addr: usize, len: usize, marker: u8) -> Result {
        let mut w = UserSlice::new(addr, len).writer();
        let chunk = [marker; 256];
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len());
            w.write_slice(&chunk[..n])?;
            left -= n;
        }
        Ok(())
    }

    /// Whether `len` bytes of user memory at `addr` all hold `marker`.
    fn user_holds(addr: usize, len: usize, marker: u8) -> Result<bool> {
        let mut r = UserSlice::new(addr, len).reader();
        let mut chunk = [0u8; 256];
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len());
            r.read_slice(&mut chunk[..n])?;
            if chunk[..n].iter().any(|&b| b != marker) {
                return Ok(false);
            }
            left -= n;
        }
        Ok(true)
    }

    struct Dev {
        state: Arc<DeviceState<FakeFw, MemSecrets>>,
        /// An open file on `state`, as `/dev/sev-guest`'s open gives one.
        file: Arc<OpenFile<FakeFw, MemSecrets>>,
        user: usize,
    }

    fn dev() -> Result<Dev> {
        let engine = fake_engine(0, 0, RETRY)?;
        let state = Arc::pin_init(DeviceState::new(engine)?, GFP_KERNEL)?;
        Ok(Dev {
            file: Arc::pin_init(OpenFile::new(state.clone())?, GFP_KERNEL)?,
            state,
            user: user_pages(PROT_READ | PROT_WRITE)?,
        })
    }

    impl Dev {
        /// Writes the ioctl argument (with `exitinfo2` preset to a marker) and a report
        /// request, runs `cmd`, and returns the result and the argument as it is afterwards.
        fn run(
            &self,
            cmd: u32,
            io: SnpGuestRequestIoctl,
        ) -> Result<(Result<isize>, SnpGuestRequestIoctl)> {
            UserSlice::new(self.user + IO, size_of::<SnpGuestRequestIoctl>())
                .writer()
                .write(&io)?;
            let mut req = [0u8; 96];
            req[..64].fill(0x42);
            UserSlice::new(self.user + REQ, 96)
                .writer()
                .write_slice(&req)?;
            let ret = self.file.ioctl(cmd, self.user + IO);
            let after = UserSlice::new(self.user + IO, size_of::<SnpGuestRequestIoctl>())
                .reader()
                .read()?;
            Ok((ret, after))
        }

        fn arg(&self, msg_version: u8) -> SnpGuestRequestIoctl {
            SnpGuestRequestIoctl {
                msg_version,
                pad: [0; 7],
                req_data: (self.user + REQ) as u64,
                resp_data: (self.user + RESP) as u64,
                exitinfo2: 0x5a5a,
            }
        }

        /// `SNP_GET_EXT_REPORT` with a certificate buffer of `certs_len` bytes at `certs`;
        /// returns the result, the ioctl argument and the extended request afterwards.
        fn run_ext(
            &self,
            certs: usize,
            certs_len: u32,
        ) -> Result<(Result<isize>, SnpGuestRequestIoctl, SnpExtReportReq)> {
            let mut data = SnpReportReq {
                user_data: [0x42; 64],
                vmpl: 0,
                rsvd: [0; 28],
            };
            data.vmpl = 0;
            let ext = SnpExtReportReq {
                data,
                certs_address: certs as u64,
                certs_len,
                pad: 0,
            };
            UserSlice::new(self.user + REQ, size_of::<SnpExtReportReq>())
                .writer()
                .write(&ext)?;
            let io = self.arg(1);
            UserSlice::new(self.user + IO, size_of::<SnpGuestRequestIoctl>())
                .writer()
                .write(&io)?;
            let ret = self.file.ioctl(SNP_GET_EXT_REPORT, self.user + IO);
            let io = UserSlice::new(self.user + IO, size_of::<SnpGuestRequestIoctl>())
                .reader()
                .read()?;
            let ext = UserSlice::new(self.user + REQ, size_of::<SnpExtReportReq>())
                .reader()
                .read()?;
            Ok((ret, io, ext))
        }

        fn certs_pages(&self, n: u32) {
            self.state.engine.lock().hv().certs_pages = n;
        }

        fn fault(&self, f: Fault) {
            self.state.engine.lock().hv().fault = f;
        }
    }

    #[test]
    fn get_report_succeeds_without_touching_exitinfo2() -> Result {
        let d = dev()?;
        fill_user(d.user + RESP, 4000, 0xee)?;
        let (ret, after) = d.run(SNP_GET_REPORT, d.arg(1))?;
        assert_eq!(ret, Ok(0));
        // C copies the argument back only when exitinfo2 != 0: on success it is not.
        assert_eq!(after.exitinfo2, 0x5a5a);
        let mut resp = KVec::from_elem(0u8, 4000, GFP_KERNEL)?;
        UserSlice::new(d.user + RESP, 4000)
            .reader()
            .read_slice(&mut resp)?;
        assert_eq!(resp[4..8], 0x4a0u32.to_le_bytes());
        assert!(resp[0x20 + 0x50..0x20 + 0x90].iter().all(|&b| b == 0x42));
        // All 4000 bytes are written: the answer's padding is zeros, not the marker.
        assert!(resp[0x20 + 0x4a0..].iter().all(|&b| b == 0));
        Ok(())
    }

    #[test]
    fn get_derived_key_returns_the_64_byte_answer() -> Result {
        let d = dev()?;
        fill_user(d.user + RESP, 65, 0xee)?;
        // The request written by `run` starts with 0x42 bytes: the fake derives from them.
        let (ret, after) = d.run(SNP_GET_DERIVED_KEY, d.arg(1))?;
        assert_eq!(ret, Ok(0));
        assert_eq!(after.exitinfo2, 0x5a5a);
        let mut resp = [0u8; 64];
        UserSlice::new(d.user + RESP, 64)
            .reader()
            .read_slice(&mut resp)?;
        assert!(resp[..0x20].iter().all(|&b| b == 0));
        assert_eq!(resp[0x20], 0x42);
        assert_eq!(resp[0x21], 0x42 ^ 1);
        // Only 64 bytes are written: the byte after the response keeps its marker.
        let mut next = [0u8; 1];
        UserSlice::new(d.user + RESP + 64, 1)
            .reader()
            .read_slice(&mut next)?;
        assert_eq!(next[0], 0xee);
        assert_eq!(d.state.engine.lock().counter(), Ok(2));
        Ok(())
    }

    #[test]
    fn u01_msg_version_zero_is_einval_without_write_back() -> Result {
        let d = dev()?;
        let (ret, after) = d.run(SNP_GET_REPORT, d.arg(0))?;
        assert_eq!(ret, Err(EINVAL));
        assert_eq!(after.exitinfo2, 0x5a5a);
        Ok(())
    }

    #[test]
    fn u02_null_request_or_response_is_einval_with_0xff() -> Result {
        let d = dev()?;
        let mut a = d.arg(1);
        a.req_data = 0;
        let (ret, after) = d.run(SNP_GET_REPORT, a)?;
        assert_eq!((ret, after.exitinfo2), (Err(EINVAL), 0xff));
        let mut a = d.arg(1);
        a.resp_data = 0;
        let (ret, after) = d.run(SNP_GET_REPORT, a)?;
        assert_eq!((ret, after.exitinfo2), (Err(EINVAL), 0xff));
        // Nothing reached the hypervisor.
        assert_eq!(d.state.engine.lock().hv().calls, 0);
        Ok(())
    }

    #[test]
    fn u03_bad_pointers_are_efault_and_keep_the_key() -> Result {
        let d = dev()?;
        assert_eq!(d.file.ioctl(SNP_GET_REPORT, 0x10), Err(EFAULT));
        let mut a = d.arg(1);
        a.req_data = 0x10;
        let (ret, after) = d.run(SNP_GET_REPORT, a)?;
        assert_eq!((ret, after.exitinfo2), (Err(EFAULT), 0xff));
        let e = d.state.engine.lock();
        assert!(!e.is_disabled());
        assert_eq!(e.counter(), Ok(0));
        Ok(())
    }

    #[test]
    fn u04_unwritable_response_is_efault_after_the_counter_moved_and_keeps_the_key() -> Result {
        let d = dev()?;
        let ro = user_pages(PROT_READ)?;
        let mut a = d.arg(1);
        a.resp_data = ro as u64;
        let (ret, after) = d.run(SNP_GET_REPORT, a)?;
        assert_eq!(ret, Err(EFAULT));
        assert_eq!(after.exitinfo2, 0x5a5a);
        let e = d.state.engine.lock();
        assert_eq!(e.counter(), Ok(2));
        assert!(!e.is_disabled());
        Ok(())
    }

    #[test]
    fn u05_unknown_ioctls_are_enotty_with_0xff() -> Result {
        let d = dev()?;
        for cmd in [
            0xc018_5300u32,
            0xc010_5300,
            0xc018_5301,
            0xc020_5303,
            0x5300,
            0,
        ] {
            let (ret, after) = d.run(cmd, d.arg(1))?;
            assert_eq!((ret, after.exitinfo2), (Err(ENOTTY), 0xff));
        }
        Ok(())
    }

    #[test]
    fn firmware_error_is_eio_and_writes_exitinfo2_back() -> Result {
        let d = dev()?;
        d.fault(Fault::Error(0x27));
        let (ret, after) = d.run(SNP_GET_REPORT, d.arg(1))?;
        assert_eq!((ret, after.exitinfo2), (Err(EIO), 0x27));
        Ok(())
    }

    #[test]
    fn throttled_past_the_window_is_etimedout_with_busy_written_back() -> Result {
        let d = dev()?;
        d.fault(Fault::BusyForever);
        let (ret, after) = d.run(SNP_GET_REPORT, d.arg(1))?;
        assert_eq!((ret, after.exitinfo2), (Err(ETIMEDOUT), 0x2_0000_0000));
        Ok(())
    }

    #[test]
    fn forged_response_is_ebadmsg_without_write_back_then_enotty() -> Result {
        let d = dev()?;
        d.fault(Fault::Flip(0, 1));
        let (ret, after) = d.run(SNP_GET_REPORT, d.arg(1))?;
        assert_eq!((ret, after.exitinfo2), (Err(EBADMSG), 0x5a5a));
        // K04: the key is gone; ENOTTY, and the argument is not written back.
        let (ret, after) = d.run(SNP_GET_REPORT, d.arg(1))?;
        assert_eq!((ret, after.exitinfo2), (Err(ENOTTY), 0x5a5a));
        // Even for unknown commands once the key is gone (the check comes first, as in C).
        let (ret, after) = d.run(0x1234, d.arg(1))?;
        assert_eq!((ret, after.exitinfo2), (Err(ENOTTY), 0x5a5a));
        Ok(())
    }

    #[test]
    fn ext_report_from_a_host_without_certificates_succeeds() -> Result {
        let d = dev()?;
        let certs = user_pages_n(PROT_READ | PROT_WRITE, 4)?;
        // First a host with certificates, so the shared pages hold a table...
        d.certs_pages(2);
        assert_eq!(d.run_ext(certs, 4 * 4096)?.0, Ok(0));
        // ...then one without: none of the earlier table may reach the caller (R20).
        d.certs_pages(0);
        let (ret, io, _) = d.run_ext(certs, 4 * 4096)?;
        assert_eq!((ret, io.exitinfo2), (Ok(0), 0x5a5a));
        let mut table = KVec::from_elem(0xffu8, 4 * 4096, GFP_KERNEL)?;
        UserSlice::new(certs, 4 * 4096)
            .reader()
            .read_slice(&mut table)?;
        assert!(table.iter().all(|&b| b == 0));
        let mut resp = [0u8; 0x90];
        UserSlice::new(d.user + RESP + 0x20, 0x90)
            .reader()
            .read_slice(&mut resp)?;
        assert!(resp[0x50..0x90].iter().all(|&b| b == 0x42));
        Ok(())
    }

    #[test]
    fn ext_report_returns_the_hosts_certificate_table() -> Result {
        let d = dev()?;
        d.certs_pages(2);
        let certs = user_pages_n(PROT_READ | PROT_WRITE, 4)?;
        let (ret, _, _) = d.run_ext(certs, 4 * 4096)?;
        assert_eq!(ret, Ok(0));
        let mut head = [0u8; 0x61];
        UserSlice::new(certs, 0x61).reader().read_slice(&mut head)?;
        assert_eq!(head[..16], [0x63; 16]);
        assert_eq!(head[16..20], 0x60u32.to_le_bytes());
        assert_eq!(head[20..24], 0x500u32.to_le_bytes());
        assert!(head[72..96].iter().all(|&b| b == 0), "terminating entry");
        // The VCEK's filler bytes, stamped with the answer's sequence number (2).
        assert_eq!(head[0x60], 0xa1 + 2);
        Ok(())
    }

    #[test]
    fn h03_certificate_probe_gets_eio_and_the_needed_length() -> Result {
        // certs_len == 0 asks only for the size; a buffer too small gets the same answer.
        for len in [0u32, 4096] {
            let d = dev()?;
            d.certs_pages(2);
            let certs = user_pages_n(PROT_READ | PROT_WRITE, 4)?;
            let (ret, io, ext) = d.run_ext(certs, len)?;
            assert_eq!((ret, io.exitinfo2), (Err(EIO), 0x1_0000_0000));
            assert_eq!(ext.certs_len, 2 * 4096);
            let e = d.state.engine.lock();
            assert_eq!(e.counter(), Ok(2));
            assert!(!e.is_disabled());
        }
        Ok(())
    }

    #[test]
    fn h04_absurd_page_counts_are_reported_saturated_not_wrapped() -> Result {
        for (npages, want) in [
            (5u64, 5 * 4096u32),
            (1 << 20, 0xffff_f000),
            (1 << 31, 0xffff_f000),
        ] {
            let d = dev()?;
            d.fault(Fault::InvalidLen(npages));
            let certs = user_pages_n(PROT_READ | PROT_WRITE, 4)?;
            let (ret, io, ext) = d.run_ext(certs, 4096)?;
            assert_eq!((ret, io.exitinfo2), (Err(EIO), 0x1_0000_0000));
            assert_eq!(ext.certs_len, want);
            let mut e = d.state.engine.lock();
            assert_eq!(e.counter(), Ok(2));
            assert!(!e.is_disabled());
            assert!(!e.hv().iv_reuse);
        }
        Ok(())
    }

    #[test]
    fn u06_bad_certificate_buffers_are_refused_before_sending() -> Result {
        let d = dev()?;
        let certs = user_pages_n(PROT_READ | PROT_WRITE, 4)?;
        for len in [100u32, 4096 + 1, 5 * 4096] {
            let (ret, io, _) = d.run_ext(certs, len)?;
            assert_eq!((ret, io.exitinfo2), (Err(EINVAL), 0xff));
        }
        let (ret, io, _) = d.run_ext(0x10, 4096)?;
        assert_eq!((ret, io.exitinfo2), (Err(EFAULT), 0xff));
        let ro = user_pages_n(PROT_READ, 1)?;
        let (ret, _, _) = d.run_ext(ro, 4096)?;
        assert_eq!(ret, Err(EFAULT));
        let e = d.state.engine.lock();
        assert_eq!(e.counter(), Ok(0));
        assert!(!e.is_disabled());
        Ok(())
    }

    #[test]
    fn tsm_report_is_the_raw_report_and_the_trimmed_certificate_table() -> Result {
        let d = dev()?;
        d.certs_pages(2);
        let a = d.state.attest(&[0x42; 64], 0, 0)?;
        assert_eq!(a.report.len(), 0x4a0);
        assert!(a.report[0x50..0x90].iter().all(|&b| b == 0x42));
        assert_eq!(a.certs.len(), CERT_TABLE_LEN);
        assert_eq!(a.certs[..16], [0x63; 16]);
        Ok(())
    }

    #[test]
    fn tsm_report_from_a_host_without_certificates_has_no_auxblob() -> Result {
        let d = dev()?;
        let a = d.state.attest(&[1; 64], 0, 0)?;
        assert_eq!(a.report.len(), 0x4a0);
        assert!(a.certs.is_empty());
        Ok(())
    }

    #[test]
    fn tsm_inblob_must_be_64_bytes() -> Result {
        let d = dev()?;
        for len in [0usize, 32, 63, 65] {
            let inblob = KVec::from_elem(7u8, len, GFP_KERNEL)?;
            assert_eq!(d.state.attest(&inblob, 0, 0).err(), Some(EINVAL));
        }
        assert_eq!(d.state.engine.lock().hv().calls, 0);
        Ok(())
    }

    #[test]
    fn w12_tsm_privlevel_below_the_floor_is_raised_to_it() -> Result {
        let d = dev()?;
        // The fake copies the requested VMPL into the report (offset 0x30).
        let a = d.state.attest(&[1; 64], 0, 2)?;
        assert_eq!(a.report[0x30..0x34], 2u32.to_le_bytes());
        let a = d.state.attest(&[1; 64], 3, 2)?;
        assert_eq!(a.report[0x30..0x34], 3u32.to_le_bytes());
        Ok(())
    }

    #[test]
    fn tsm_firmware_status_maps_to_einval_or_enxio() -> Result {
        for (status, err) in [
            (0x16u32, EINVAL),
            (0x27, EINVAL),
            (0x07, ENXIO),
            (0x1d, ENXIO),
        ] {
            let d = dev()?;
            d.state.engine.lock().hv().report_status = status;
            assert_eq!(d.state.attest(&[1; 64], 0, 0).err(), Some(err));
            // An in-band status is the firmware's answer, not a failed exchange.
            assert!(!d.state.engine.lock().is_disabled());
        }
        Ok(())
    }

    #[test]
    fn tsm_after_a_wipe_is_enotty() -> Result {
        let d = dev()?;
        d.fault(Fault::Error(0x16));
        assert_eq!(d.state.attest(&[1; 64], 0, 0).err(), Some(EIO));
        assert_eq!(d.state.attest(&[1; 64], 0, 0).err(), Some(ENOTTY));
        Ok(())
    }

    #[test]
    fn certificate_buffer_is_left_untouched_when_the_request_fails() -> Result {
        // C never writes the caller's certificate buffer unless the request succeeded.
        let d = dev()?;
        let certs = user_pages_n(PROT_READ | PROT_WRITE, 4)?;
        fill_user(certs, 4 * 4096, 0xee)?;
        // The host wants more room than offered: EIO and the length, buffer as it was.
        d.certs_pages(4);
        let (ret, _, ext) = d.run_ext(certs, 4096)?;
        assert_eq!((ret, ext.certs_len), (Err(EIO), 4 * 4096));
        assert!(user_holds(certs, 4 * 4096, 0xee)?);
        // A firmware error: EIO, key wiped, buffer as it was.
        d.certs_pages(0);
        d.fault(Fault::Error(0x27));
        let (ret, io, _) = d.run_ext(certs, 4 * 4096)?;
        assert_eq!((ret, io.exitinfo2), (Err(EIO), 0x27));
        assert!(user_holds(certs, 4 * 4096, 0xee)?);
        Ok(())
    }

    #[test]
    fn a_caller_holding_its_file_blocks_neither_other_files_nor_tsm() -> Result {
        // A caller stalled on its own memory (a userfaultfd page, a slow page-in) holds at most
        // its own file's staging buffers: here they are held for the whole test.
        let d = dev()?;
        let stalled = d.file.staging.lock();
        let other = Arc::pin_init(OpenFile::new(d.state.clone())?, GFP_KERNEL)?;
        UserSlice::new(d.user + IO, size_of::<SnpGuestRequestIoctl>())
            .writer()
            .write(&d.arg(1))?;
        UserSlice::new(d.user + REQ, 96)
            .writer()
            .write_slice(&[0x42u8; 96])?;
        assert_eq!(other.ioctl(SNP_GET_REPORT, d.user + IO), Ok(0));
        let a = d.state.attest(&[0x17; 64], 0, 0)?;
        assert_eq!(a.report[0x50], 0x17);
        drop(stalled);
        assert_eq!(d.state.engine.lock().counter(), Ok(4));
        Ok(())
    }
}
