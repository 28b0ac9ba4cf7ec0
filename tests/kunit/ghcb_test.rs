// SPDX-License-Identifier: GPL-2.0

//! KUnit: decoding what `snp_issue_guest_request()` reports into an outcome.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_ghcb)]
mod tests {
    use crate::ghcb::{
        decode, ExitCode::*, Outcome, EXITINFO2_BUSY, EXITINFO2_INVALID_LEN, EXITINFO2_NO_FW_CALL,
    };
    use kernel::error::code::{EAGAIN, EINVAL, EIO, ENOSPC};

    #[test]
    fn success_with_zero_exitinfo2_is_done() {
        assert_eq!(decode(GuestRequest, 0, 0, 0), Outcome::Done);
        assert_eq!(decode(ExtGuestRequest, 0, 0, 3), Outcome::Done);
        assert_eq!(Outcome::Done.exitinfo2(), 0);
    }

    #[test]
    fn busy_is_its_own_outcome() {
        let busy = decode(GuestRequest, EAGAIN.to_errno(), EXITINFO2_BUSY, 0);
        assert_eq!(busy, Outcome::Busy);
        assert_eq!(busy.exitinfo2(), 0x2_0000_0000);
    }

    #[test]
    fn invalid_len_on_extended_request_carries_host_page_count() {
        let o = decode(
            ExtGuestRequest,
            ENOSPC.to_errno(),
            EXITINFO2_INVALID_LEN,
            1 << 31,
        );
        assert_eq!(o, Outcome::InvalidLen { npages: 1 << 31 });
        assert_eq!(o.exitinfo2(), 0x1_0000_0000);
        // Only with the ENOSPC core returns for it: any other failure carrying that exitinfo2
        // is the error it is (the page count is not trusted then).
        let o = decode(ExtGuestRequest, EIO.to_errno(), EXITINFO2_INVALID_LEN, 2);
        assert_eq!(
            o,
            Outcome::Error {
                exitinfo2: EXITINFO2_INVALID_LEN
            }
        );
    }

    #[test]
    fn invalid_len_on_plain_request_is_an_error() {
        // H05: only an extended request can be short of certificate pages.
        let o = decode(GuestRequest, EIO.to_errno(), EXITINFO2_INVALID_LEN, 0);
        assert_eq!(
            o,
            Outcome::Error {
                exitinfo2: EXITINFO2_INVALID_LEN
            }
        );
        let o = decode(GuestRequest, ENOSPC.to_errno(), EXITINFO2_INVALID_LEN, 4);
        assert_eq!(
            o,
            Outcome::Error {
                exitinfo2: EXITINFO2_INVALID_LEN
            }
        );
    }

    #[test]
    fn firmware_and_vmm_errors_keep_exitinfo2() {
        // H07, H08: exitinfo2 goes back to user space unchanged.
        for e in [
            0x16u64,
            0x1d,
            0x27,
            0xdead_beef,
            0x7_0000_0000,
            0xffff_0000_0000_0016,
        ] {
            let o = decode(GuestRequest, EIO.to_errno(), e, 0);
            assert_eq!(o, Outcome::Error { exitinfo2: e });
            assert_eq!(o.exitinfo2(), e);
        }
    }

    #[test]
    fn positive_es_result_is_no_call_not_a_return_value() {
        // H09 / W1: ES_VMM_ERROR (2) and ES_EXCEPTION (4).
        for ret in [2, 4, 1, i32::MAX] {
            let o = decode(GuestRequest, ret, EXITINFO2_NO_FW_CALL, 0);
            assert_eq!(o, Outcome::NoCall);
            assert_eq!(o.exitinfo2(), u64::MAX);
        }
    }

    #[test]
    fn no_ghcb_is_no_call() {
        // H10: -EIO with the NO_FW_CALL preset untouched.
        assert_eq!(
            decode(GuestRequest, EIO.to_errno(), EXITINFO2_NO_FW_CALL, 0),
            Outcome::NoCall
        );
    }

    #[test]
    fn contradictory_answers_are_errors() {
        // Success code with an error in exitinfo2, or a failure code with exitinfo2 == 0:
        // neither may read as success, nor as busy or short of pages.
        assert_eq!(
            decode(GuestRequest, 0, 0x16, 0),
            Outcome::Error { exitinfo2: 0x16 }
        );
        assert_eq!(
            decode(GuestRequest, EINVAL.to_errno(), 0, 0),
            Outcome::Error {
                exitinfo2: EXITINFO2_NO_FW_CALL
            }
        );
        assert_eq!(
            decode(GuestRequest, EAGAIN.to_errno(), 0x16, 0),
            Outcome::Error { exitinfo2: 0x16 }
        );
        assert_eq!(
            decode(ExtGuestRequest, ENOSPC.to_errno(), EXITINFO2_BUSY, 2),
            Outcome::Error {
                exitinfo2: EXITINFO2_BUSY
            }
        );
    }
}
