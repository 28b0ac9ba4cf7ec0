// SPDX-License-Identifier: GPL-2.0

//! The boundary to the hypervisor: one SNP guest request through the GHCB.
//!
//! `snp_issue_guest_request()` (arch/x86/coco/sev/core.c) performs the VMGEXIT and reports
//! the hypervisor's answer through its return value, `exitinfo2` and, for an extended request,
//! the certificate page count in RBX. Everything in that answer comes from the untrusted host.
//! [`decode`] turns it into an [`Outcome`] the request engine matches on exhaustively; in
//! particular a positive `es_result` (the VMGEXIT itself failed) is an outcome, never a value
//! handed to user space (the C driver returns it as a positive ioctl result: upstream.md W1).
//!
//! The engine reaches the hypervisor only through the [`Hypervisor`] trait, so KUnit can put
//! a fake firmware in its place.

use kernel::{bindings, error::code::*, mem_encrypt::DecryptedPages, uapi};

/// `SNP_GUEST_VMM_ERR(x)`: a VMM error code in the high half of `exitinfo2`.
const fn vmm_err(code: u32) -> u64 {
    (code as u64) << uapi::SNP_GUEST_VMM_ERR_SHIFT
}

/// `exitinfo2` of a throttled request.
pub(crate) const EXITINFO2_BUSY: u64 = vmm_err(uapi::SNP_GUEST_VMM_ERR_BUSY);
/// `exitinfo2` of an extended request whose certificate buffer is too small.
pub(crate) const EXITINFO2_INVALID_LEN: u64 = vmm_err(uapi::SNP_GUEST_VMM_ERR_INVALID_LEN);
/// `exitinfo2` when the firmware was never called (`SEV_RET_NO_FW_CALL`).
pub(crate) const EXITINFO2_NO_FW_CALL: u64 = u64::MAX;

/// Which NAE event carries the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExitCode {
    /// `SVM_VMGEXIT_GUEST_REQUEST`.
    GuestRequest,
    /// `SVM_VMGEXIT_EXT_GUEST_REQUEST`: also asks for the host's certificates.
    ExtGuestRequest,
}

impl ExitCode {
    fn raw(self) -> u64 {
        match self {
            ExitCode::GuestRequest => uapi::SVM_VMGEXIT_GUEST_REQUEST.into(),
            ExitCode::ExtGuestRequest => uapi::SVM_VMGEXIT_EXT_GUEST_REQUEST.into(),
        }
    }
}

/// The hypervisor's answer to one request. All of it is untrusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The firmware handled the request; the response page holds its answer (still to be
    /// authenticated).
    Done,
    /// `SNP_GUEST_VMM_ERR_BUSY`: throttled. The same bytes must be sent again.
    Busy,
    /// `SNP_GUEST_VMM_ERR_INVALID_LEN` on an extended request: the certificate buffer is too
    /// small and the host claims to need `npages` pages (raw RBX, unchecked).
    InvalidLen {
        /// The page count the host put in RBX.
        npages: u64,
    },
    /// A firmware error (low 32 bits) or an unexpected VMM error (high 32 bits).
    Error {
        /// The raw value, as user space gets it.
        exitinfo2: u64,
    },
    /// The firmware was never called: no GHCB, or the VMGEXIT itself failed.
    NoCall,
}

impl Outcome {
    /// The `exitinfo2` user space sees for this outcome, as the C driver reports it.
    pub(crate) fn exitinfo2(self) -> u64 {
        match self {
            Outcome::Done => 0,
            Outcome::Busy => EXITINFO2_BUSY,
            Outcome::InvalidLen { .. } => EXITINFO2_INVALID_LEN,
            Outcome::Error { exitinfo2 } => exitinfo2,
            Outcome::NoCall => EXITINFO2_NO_FW_CALL,
        }
    }
}

/// Decodes what `snp_issue_guest_request()` returned (`ret`), the `exitinfo2` it wrote and the
/// page count it left in `data_npages`, for a request sent with `exit`.
pub(crate) fn decode(exit: ExitCode, ret: i32, exitinfo2: u64, data_npages: u64) -> Outcome {
    match ret {
        // A positive `enum es_result`: the VMGEXIT failed, the firmware never ran (W1).
        r if r > 0 => Outcome::NoCall,
        0 if exitinfo2 == 0 => Outcome::Done,
        // Success with a non-zero exitinfo2 is contradictory: treat it as the error it names.
        0 => Outcome::Error { exitinfo2 },
        r if r == EAGAIN.to_errno() && exitinfo2 == EXITINFO2_BUSY => Outcome::Busy,
        r if r == ENOSPC.to_errno()
            && exit == ExitCode::ExtGuestRequest
            && exitinfo2 == EXITINFO2_INVALID_LEN =>
        {
            Outcome::InvalidLen {
                npages: data_npages,
            }
        }
        _ if exitinfo2 == EXITINFO2_NO_FW_CALL => Outcome::NoCall,
        // Everything else, INVALID_LEN on a plain request included, is an error (H05, H07,
        // H08); a zero exitinfo2 with a failure code still must not read as success.
        _ if exitinfo2 == 0 => Outcome::Error {
            exitinfo2: EXITINFO2_NO_FW_CALL,
        },
        _ => Outcome::Error { exitinfo2 },
    }
}

/// Physical addresses of one request: the shared request and response pages and, for an
/// extended request, the shared certificate pages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RequestPages {
    pub(crate) req_gpa: u64,
    pub(crate) resp_gpa: u64,
    pub(crate) certs_gpa: u64,
    pub(crate) certs_npages: u32,
}

/// The shared pages of one request.
// The real hypervisor goes by the physical addresses; only the KUnit fake reads these.
#[cfg_attr(not(CONFIG_SEV_GUEST_RUST_KUNIT_TEST), allow(dead_code))]
pub(crate) struct SharedPages<'a> {
    /// The sealed request. The host can rewrite it (the engine writes it again before every
    /// send).
    pub(crate) req: &'a mut DecryptedPages,
    /// Where the firmware's answer goes.
    pub(crate) resp: &'a mut DecryptedPages,
    /// Where the host's certificates go, for an extended request.
    pub(crate) certs: &'a mut DecryptedPages,
}

/// What carries a request to the firmware: the GHCB in production, a fake in KUnit.
pub(crate) trait Hypervisor: Send {
    /// Sends the request in `pages` once. Called in process context with the engine's lock
    /// held: the GHCB call itself runs with interrupts off, and the simulated platform of test
    /// kernels (`CONFIG_SEV_GUEST_SIM`) sleeps while its model answers.
    ///
    /// `shared` are the pages `pages` names, as the hypervisor sees them: the real one goes by
    /// the physical addresses only, a fake firmware reads and writes these.
    fn issue(&mut self, exit: ExitCode, pages: &RequestPages, shared: SharedPages<'_>) -> Outcome;
}

/// The real hypervisor, through `snp_issue_guest_request()`.
pub(crate) struct Ghcb;

impl Hypervisor for Ghcb {
    fn issue(&mut self, exit: ExitCode, pages: &RequestPages, _shared: SharedPages<'_>) -> Outcome {
        // `unsigned long` is 64 bits on x86_64, the only architecture with SEV: lossless.
        let mut input = bindings::snp_req_data {
            req_gpa: pages.req_gpa as _,
            resp_gpa: pages.resp_gpa as _,
            data_gpa: pages.certs_gpa as _,
            data_npages: pages.certs_npages,
        };
        let mut rio = bindings::snp_guest_request_ioctl::default();
        // SAFETY: `input` and `rio` are valid for the call; the pages they name are shared pages
        // the engine owns for the life of the device (`DecryptedPages`), as the callee requires.
        let ret = unsafe { bindings::snp_issue_guest_request(exit.raw(), &mut input, &mut rio) };
        // SAFETY: `exitinfo2` is the whole 8-byte union member the callee writes.
        let exitinfo2 = unsafe { rio.__bindgen_anon_1.exitinfo2 };
        decode(exit, ret, exitinfo2, input.data_npages.into())
    }
}
