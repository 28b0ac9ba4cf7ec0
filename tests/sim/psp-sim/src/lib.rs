// SPDX-License-Identifier: GPL-2.0
//! psp-sim: a simulated SEV-SNP PSP plus a hostile hypervisor behind the
//! /dev/sevsim bridge, for testing /dev/sev-guest drivers without SNP
//! hardware. Testing only: its keys and certificates are fake.
//!
//! The request handling is pure: [`hv::Hv::handle`] maps a
//! [`proto::SevsimRequest`] and the simulator state to a
//! [`proto::SevsimResponse`]; only `device` and `main` do I/O.

pub mod chain;
pub mod device;
pub mod hv;
pub mod ident;
pub mod monitor;
pub mod msg;
pub mod plans;
pub mod proto;
pub mod psp;
pub mod report;
pub mod server;

#[cfg(test)]
mod tests;
