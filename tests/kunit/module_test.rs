// SPDX-License-Identifier: GPL-2.0

//! KUnit: the module's `vmpck_id` parameter, as the C driver defines it.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_module)]
mod tests {
    use crate::{module_parameters, select_vmpck, VMPCK_ID_UNSET};
    use kernel::error::code::EINVAL;

    #[test]
    fn vmpck_id_defaults_to_unset() {
        // The KUnit kernel's command line does not set the parameter: this is the default the
        // module declares, -1 as in C.
        assert_eq!(module_parameters::vmpck_id.get(), VMPCK_ID_UNSET);
        assert_eq!(VMPCK_ID_UNSET, -1);
    }

    #[test]
    fn unset_vmpck_id_selects_the_key_of_the_running_vmpl() {
        // A guest at VMPL n uses VMPCKn.
        for vmpl in 0..4u8 {
            assert_eq!(
                select_vmpck(VMPCK_ID_UNSET, vmpl).map(|id| id.get()),
                Ok(vmpl)
            );
        }
    }

    #[test]
    fn explicit_vmpck_id_wins_over_the_vmpl() {
        for id in 0..4i32 {
            assert_eq!(select_vmpck(id, 3).map(|v| v.get()), Ok(id as u8));
        }
    }

    #[test]
    fn vmpck_id_outside_0_to_3_is_refused() {
        for bad in [4, -2, i32::MAX, i32::MIN] {
            assert_eq!(select_vmpck(bad, 0).err(), Some(EINVAL));
        }
        // An unset parameter on a VMPL the firmware does not have.
        assert_eq!(select_vmpck(VMPCK_ID_UNSET, 4).err(), Some(EINVAL));
    }
}
