// SPDX-License-Identifier: GPL-2.0

//! KUnit: the module's parameters, as the C driver declares them.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_module)]
mod tests {
    use crate::module_parameters;

    #[test]
    fn vmpck_id_defaults_to_minus_one() {
        // -1 means "the VMPCK of the VMPL the guest runs at", as in the C driver.
        assert_eq!(module_parameters::vmpck_id.get(), -1);
    }
}
