// SPDX-License-Identifier: GPL-2.0

//! Test module (testing only): a `module!` name with hyphens, as the platform bus needs for
//! drivers matched by name, together with a module parameter.

use kernel::prelude::*;

module! {
    type: HyphenTest,
    name: "sevguest-hyphen-test",
    author: "sevguest developers",
    description: "Test module: a Rust module name with '-' (testing only)",
    license: "GPL",
    params: {
        level: u32 {
            default: 7,
            permissions: 0o444,
            description: "A parameter of a module whose name has hyphens",
        },
    },
}

struct HyphenTest;

impl kernel::Module for HyphenTest {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        pr_info!(
            "loaded as {}, level={}\n",
            <Self as kernel::ModuleMetadata>::NAME,
            module_parameters::level.get()
        );
        Ok(Self)
    }
}
