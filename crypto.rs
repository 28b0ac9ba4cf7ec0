// SPDX-License-Identifier: GPL-2.0

//! AES-256-GCM sealing and opening of guest messages with a VMPCK, over the kernel crypto API.
//!
//! Everything the cipher touches is allocated when the cipher is made, at probe: the transform,
//! the request, the scatterlist and the IV, all in linear-map memory, never on the stack (so
//! `VMAP_STACK` and `DEBUG_SG` are satisfied and an offloading AEAD could DMA them). Sealing
//! and opening allocate nothing and so cannot fail for lack of memory once a message has been
//! exposed to the hypervisor (the C driver allocated there: upstream.md W5, W6). The message
//! itself must be a [`MsgBuf`], which is linear-map memory by construction.
//!
//! The key lives only in the transform; dropping the [`Cipher`] frees the transform and its
//! request with `kfree_sensitive`, which is how a VMPCK is wiped from the crypto side (W7).

use crate::msg::{SnpGuestMsg, AAD_RANGE, AUTHTAG_LEN, SNP_GUEST_MSG_PAYLOAD_SIZE, VMPCK_KEY_LEN};
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;
use kernel::{
    alloc::flags::__GFP_ZERO,
    bindings, c_str,
    error::{from_err_ptr, to_result},
    prelude::*,
};

/// AES-GCM IV length: the 8-byte sequence number and four zero bytes.
const IV_LEN: usize = 12;

/// A guest message in linear-map (kmalloc) memory, zeroed at allocation.
pub(crate) struct MsgBuf(KBox<SnpGuestMsg>);

impl MsgBuf {
    /// Allocates a zeroed message.
    pub(crate) fn new() -> Result<Self> {
        let msg = KBox::<SnpGuestMsg>::new_uninit(GFP_KERNEL | __GFP_ZERO)?;
        // SAFETY: `__GFP_ZERO` zeroed the memory, and all-zero bytes are a valid `SnpGuestMsg`
        // (it is `FromBytes`).
        Ok(Self(unsafe { msg.assume_init() }))
    }
}

impl Deref for MsgBuf {
    type Target = SnpGuestMsg;
    fn deref(&self) -> &SnpGuestMsg {
        &self.0
    }
}

impl DerefMut for MsgBuf {
    fn deref_mut(&mut self) -> &mut SnpGuestMsg {
        &mut self.0
    }
}

/// What one request needs besides the message, in linear-map memory.
struct Scratch {
    /// `[AAD ‖ payload, tag]`, used as both source and destination (in place).
    sg: [bindings::scatterlist; 2],
    iv: [u8; IV_LEN],
}

/// An AES-256-GCM transform keyed with one VMPCK, and its preallocated request.
///
/// # Invariants
///
/// `tfm` is a synchronous `gcm(aes)` transform keyed with a 32-byte key, authsize 16, IV size
/// 12, owned by this object; `req` is a request allocated for `tfm`, owned by this object.
pub(crate) struct Cipher {
    tfm: NonNull<bindings::crypto_aead>,
    req: NonNull<bindings::aead_request>,
    scratch: KBox<Scratch>,
}

// SAFETY: The transform and request are owned and only used through `&mut self`.
unsafe impl Send for Cipher {}
// SAFETY: `&Cipher` allows nothing (every method takes `&mut self`).
unsafe impl Sync for Cipher {}

impl Cipher {
    /// Makes a cipher keyed with `key`.
    ///
    /// Fails with `ENOENT` (and says so) when the kernel has no `gcm(aes)`, e.g. without an
    /// AES cipher: the driver's Kconfig selects one, but a custom config can still lack it.
    pub(crate) fn new(key: &[u8; VMPCK_KEY_LEN]) -> Result<Self> {
        // A synchronous implementation (mask out ASYNC): the result is final when the call
        // returns, so no completion and nothing that can outlive a request.
        // SAFETY: The name is NUL-terminated; the call has no other requirements.
        let tfm = from_err_ptr(unsafe {
            bindings::crypto_alloc_aead(
                c_str!("gcm(aes)").as_char_ptr(),
                0,
                bindings::CRYPTO_ALG_ASYNC,
            )
        })
        .inspect_err(|e| {
            pr_err!(
                "no synchronous gcm(aes) available ({:?}): enable CRYPTO_GCM and an AES cipher\n",
                e
            )
        })?;
        let tfm = NonNull::new(tfm).ok_or(ENOMEM)?;
        let free_tfm = |e: Error| {
            // SAFETY: `tfm` was allocated above and is not used again.
            unsafe { free_aead(tfm.as_ptr()) };
            e
        };
        // SAFETY: `tfm` is a valid transform; `key` is valid for `VMPCK_KEY_LEN` bytes.
        to_result(unsafe {
            bindings::crypto_aead_setkey(tfm.as_ptr(), key.as_ptr(), VMPCK_KEY_LEN as u32)
        })
        .map_err(free_tfm)?;
        // SAFETY: `tfm` is a valid transform.
        to_result(unsafe { bindings::crypto_aead_setauthsize(tfm.as_ptr(), AUTHTAG_LEN as u32) })
            .map_err(free_tfm)?;
        // SAFETY: `tfm` is a valid transform.
        if unsafe { bindings::crypto_aead_ivsize(tfm.as_ptr()) } as usize != IV_LEN {
            return Err(free_tfm(EINVAL));
        }
        let scratch = KBox::new(
            Scratch {
                sg: [bindings::scatterlist::default(); 2],
                iv: [0; IV_LEN],
            },
            GFP_KERNEL,
        )
        .map_err(|_| free_tfm(ENOMEM))?;
        // SAFETY: `tfm` is a valid transform.
        let req = unsafe { bindings::aead_request_alloc(tfm.as_ptr(), bindings::GFP_KERNEL) };
        let req = NonNull::new(req).ok_or_else(|| free_tfm(ENOMEM))?;
        // INVARIANT: Keyed, authsize 16, IV size 12 (checked), synchronous; `req` is for `tfm`.
        Ok(Self { tfm, req, scratch })
    }

    /// Seals `msg` in place: encrypts the first `len` payload bytes with the header's `algo`
    /// through the end of the header as AAD and `msg_seqno` as the IV, and writes the tag into
    /// `authtag[..16]`.
    pub(crate) fn seal(&mut self, msg: &mut MsgBuf, len: usize) -> Result {
        self.crypt(msg, len, true)
    }

    /// Opens `msg` in place: checks the tag over the AAD and the first `len` payload bytes and
    /// decrypts them. A forged or corrupted message gives `EBADMSG`; the payload is then
    /// garbage and must not be used.
    pub(crate) fn open(&mut self, msg: &mut MsgBuf, len: usize) -> Result {
        self.crypt(msg, len, false)
    }

    fn crypt(&mut self, msg: &mut MsgBuf, len: usize, encrypt: bool) -> Result {
        if len > SNP_GUEST_MSG_PAYLOAD_SIZE {
            return Err(EINVAL);
        }
        let aad_len = AAD_RANGE.end - AAD_RANGE.start;
        self.scratch.iv = msg.hdr.iv();
        let base = core::ptr::from_mut::<SnpGuestMsg>(&mut msg.0).cast::<u8>();
        let Scratch { sg, iv } = &mut *self.scratch;
        // The AAD (header bytes 0x30..0x60) and the payload are contiguous in the message, and
        // the tag is `authtag[..16]` at offset 0: all inside the 4096-byte message.
        // SAFETY: `sg` and the message are linear-map memory (`KBox`, `MsgBuf`), the ranges are
        // inside the message (above), the request is ours (`&mut self`) and the transform is
        // synchronous, so nothing uses the buffers after the call.
        let ret = unsafe {
            let sg = sg.as_mut_ptr();
            bindings::sg_init_table(sg, 2);
            bindings::sg_set_buf(sg, base.add(AAD_RANGE.start).cast(), (aad_len + len) as u32);
            bindings::sg_set_buf(sg.add(1), base.cast(), AUTHTAG_LEN as u32);
            let req = self.req.as_ptr();
            bindings::aead_request_set_callback(req, 0, None, core::ptr::null_mut());
            let cryptlen = if encrypt { len } else { len + AUTHTAG_LEN };
            bindings::aead_request_set_crypt(req, sg, sg, cryptlen as u32, iv.as_mut_ptr());
            bindings::aead_request_set_ad(req, aad_len as u32);
            if encrypt {
                bindings::crypto_aead_encrypt(req)
            } else {
                bindings::crypto_aead_decrypt(req)
            }
        };
        to_result(ret)
    }
}

impl Drop for Cipher {
    fn drop(&mut self) {
        // SAFETY: By the type invariant both are ours and valid; neither is used again. Both
        // are freed with `kfree_sensitive`, which erases the key schedule.
        unsafe {
            bindings::aead_request_free(self.req.as_ptr());
            free_aead(self.tfm.as_ptr());
        }
    }
}

/// `crypto_free_aead()`, which is an inline around `crypto_destroy_tfm()`.
///
/// # Safety
///
/// `tfm` must be a transform from `crypto_alloc_aead()` that is not used again.
unsafe fn free_aead(tfm: *mut bindings::crypto_aead) {
    // SAFETY: `tfm` is valid (the caller's contract), so its `base` is too; the transform is
    // freed with `kfree_sensitive`, erasing the key schedule.
    unsafe { bindings::crypto_destroy_tfm(tfm.cast(), core::ptr::addr_of_mut!((*tfm).base)) };
}
