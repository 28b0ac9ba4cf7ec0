// SPDX-License-Identifier: GPL-2.0

//! AMD SEV-SNP guest driver (`/dev/sev-guest`), in Rust.
//!
//! The Rust twin of `drivers/virt/coco/sev-guest/sev-guest.c`: same device, ioctls, module
//! parameter and errno conventions. This is the skeleton the workbench builds and boots: the
//! wire format ([`msg`]) with its compile-time layout checks and KUnit suite. Probe, the request
//! engine and the ioctls come next.

use kernel::cc_platform::{self, Attr};
use kernel::prelude::*;

mod crypto;
mod engine;
mod ghcb;
mod msg;
mod secrets;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/msg_test.rs"]
mod msg_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/module_test.rs"]
mod module_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/crypto_test.rs"]
mod crypto_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/gcm_vectors.rs"]
mod gcm_vectors;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/ghcb_test.rs"]
mod ghcb_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/fake_fw.rs"]
mod fake_fw;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/engine_test.rs"]
mod engine_test;

module! {
    type: SevGuest,
    name: "sevguest",
    author: "sevguest developers",
    description: "AMD SEV-SNP guest driver (Rust)",
    license: "GPL",
    params: {
        vmpck_id: i32 {
            default: -1,
            permissions: 0o444,
            description: "The VMPCK ID to use when communicating with the PSP.",
        },
    },
}

struct SevGuest;

impl kernel::Module for SevGuest {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!(
            "loaded: guest message {} bytes (header {}, payload {}), AAD {:#x}..{:#x}, \
             vmpck_id={}, SEV-SNP guest: {}\n",
            msg::SNP_GUEST_MSG_SIZE,
            core::mem::size_of::<msg::SnpGuestMsgHdr>(),
            msg::SNP_GUEST_MSG_PAYLOAD_SIZE,
            msg::AAD_RANGE.start,
            msg::AAD_RANGE.end,
            module_parameters::vmpck_id.get(),
            if cc_platform::has(Attr::GuestSevSnp) {
                "yes"
            } else {
                "no"
            },
        );
        Ok(SevGuest)
    }
}

impl Drop for SevGuest {
    fn drop(&mut self) {
        pr_info!("unloaded\n");
    }
}
