// SPDX-License-Identifier: GPL-2.0

//! The secrets page: the VMPCK the driver uses and its message sequence counter.
//!
//! The firmware writes four VMPCKs into the secrets page at launch; the OS area of the same
//! page keeps, per VMPCK, the last sequence number the PSP used. Both live in private
//! (encrypted) memory the hypervisor cannot read or write, and both outlive the module, so a
//! counter continues across reloads and a wiped key stays wiped (also across kexec).

use crate::msg::{SecretsOsArea, SnpSecretsPage, VMPCK_KEY_LEN};
use core::mem::offset_of;
use kernel::{error::code::*, prelude::*};

/// Byte access to the secrets page: the encrypted mapping in production, memory in KUnit.
pub(crate) trait SecretsPage: Send {
    /// Copies bytes out at `offset`.
    fn read(&self, offset: usize, buf: &mut [u8]) -> Result;
    /// Copies `buf` in at `offset`.
    fn write(&mut self, offset: usize, buf: &[u8]) -> Result;
    /// Zeroes `len` bytes at `offset` so that the compiler cannot elide it.
    fn zero_explicit(&mut self, offset: usize, len: usize) -> Result;
}

#[cfg(CONFIG_AMD_MEM_ENCRYPT)]
impl SecretsPage for kernel::mem_encrypt::EncryptedMapping {
    fn read(&self, offset: usize, buf: &mut [u8]) -> Result {
        self.read_into(offset, buf)
    }
    fn write(&mut self, offset: usize, buf: &[u8]) -> Result {
        self.write_from(offset, buf)
    }
    fn zero_explicit(&mut self, offset: usize, len: usize) -> Result {
        kernel::mem_encrypt::EncryptedMapping::zero_explicit(self, offset, len)
    }
}

/// A VMPCK number, 0 to 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VmpckId(u8);

impl VmpckId {
    /// Checks a `vmpck_id` value; anything but 0..=3 is `EINVAL`.
    pub(crate) fn new(id: i64) -> Result<Self> {
        match u8::try_from(id) {
            Ok(id) if id <= 3 => Ok(Self(id)),
            _ => Err(EINVAL),
        }
    }

    /// The number, as the message header carries it.
    pub(crate) fn get(self) -> u8 {
        self.0
    }
}

/// A copy of a VMPCK in linear-map memory, zeroed when dropped.
pub(crate) struct VmpckKey(KBox<[u8; VMPCK_KEY_LEN]>);

impl VmpckKey {
    /// The key bytes.
    pub(crate) fn bytes(&self) -> &[u8; VMPCK_KEY_LEN] {
        &self.0
    }
}

impl Drop for VmpckKey {
    fn drop(&mut self) {
        zeroize(&mut self.0[..]);
        // What the memory held when it went back to the allocator, for the test that no key
        // copy outlives its use (the bytes cannot be read after they are freed).
        #[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
        KEY_COPY_ZEROED_AT_DROP.store(
            self.0.iter().all(|&b| b == 0),
            core::sync::atomic::Ordering::Relaxed,
        );
    }
}

/// Whether the last [`VmpckKey`] dropped was all zeros by then.
#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
pub(crate) static KEY_COPY_ZEROED_AT_DROP: core::sync::atomic::AtomicBool =
    core::sync::atomic::AtomicBool::new(false);

/// Overwrites `buf` with zeros in a way the compiler cannot elide (`memzero_explicit()`): for
/// key material about to be freed.
pub(crate) fn zeroize(buf: &mut [u8]) {
    for b in buf.iter_mut() {
        // SAFETY: `b` is a valid, exclusive byte; a volatile write cannot be elided.
        unsafe { core::ptr::write_volatile(b, 0) };
    }
}

/// The VMPCK `id` of a secrets page and its counter.
pub(crate) struct Secrets<S: SecretsPage> {
    page: S,
    id: VmpckId,
}

const VMPCK_OFFSET: usize = offset_of!(SnpSecretsPage, vmpck);
const SEQNO_OFFSET: usize =
    offset_of!(SnpSecretsPage, os_area) + offset_of!(SecretsOsArea, msg_seqno);

impl<S: SecretsPage> Secrets<S> {
    /// Uses VMPCK `id` of `page`.
    pub(crate) fn new(page: S, id: VmpckId) -> Self {
        Self { page, id }
    }

    /// The VMPCK number in use.
    pub(crate) fn id(&self) -> VmpckId {
        self.id
    }

    fn key_offset(&self) -> usize {
        VMPCK_OFFSET + usize::from(self.id.0) * VMPCK_KEY_LEN
    }

    fn seqno_offset(&self) -> usize {
        SEQNO_OFFSET + usize::from(self.id.0) * 4
    }

    /// A copy of the key, or `None` when it is all zeros (wiped, here or by an earlier module
    /// or kernel, or never provisioned).
    pub(crate) fn key(&self) -> Result<Option<VmpckKey>> {
        let mut key = VmpckKey(KBox::new([0u8; VMPCK_KEY_LEN], GFP_KERNEL)?);
        self.page.read(self.key_offset(), &mut key.0[..])?;
        // Constant time over the whole key: no early exit on the first non-zero byte.
        let any = key.0.iter().fold(0u8, |acc, b| acc | b);
        Ok(if any == 0 { None } else { Some(key) })
    }

    /// Erases the key in the secrets page for good.
    pub(crate) fn wipe_key(&mut self) {
        // The range is inside the page by construction; nothing to report if it were not.
        let _ = self.page.zero_explicit(self.key_offset(), VMPCK_KEY_LEN);
    }

    /// The last sequence number the PSP used with this key.
    pub(crate) fn counter(&self) -> Result<u32> {
        let mut b = [0u8; 4];
        self.page.read(self.seqno_offset(), &mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    /// The counter, refused when it is odd.
    ///
    /// Requests take the odd sequence numbers and the firmware's answers the even ones after
    /// them, so the stored counter (the last number used) is even. An odd one was written by
    /// someone else (a buggy or hostile earlier boot stage); using it would seal our next
    /// request with the IV the firmware already used for an answer. `EIO`, with a message.
    pub(crate) fn even_counter(&self) -> Result<u32> {
        let counter = self.counter()?;
        if counter % 2 != 0 {
            pr_err!(
                "VMPCK{} sequence counter {:#x} in the secrets page is odd: a request would \
                 reuse the IV of a firmware answer; refusing\n",
                self.id.0,
                counter
            );
            return Err(EIO);
        }
        Ok(counter)
    }

    /// Stores the last sequence number the PSP used with this key.
    pub(crate) fn set_counter(&mut self, v: u32) -> Result {
        self.page.write(self.seqno_offset(), &v.to_le_bytes())
    }
}
