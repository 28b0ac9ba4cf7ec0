// SPDX-License-Identifier: GPL-2.0

//! KUnit: AES-256-GCM of guest messages against known answers from an independent
//! implementation (`gen_gcm_vectors.py`, pyca/cryptography).

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_crypto)]
mod tests {
    use crate::crypto::{Cipher, MsgBuf};
    use crate::gcm_vectors::{GcmVector, GCM_VECTORS};
    use crate::msg::SNP_GUEST_MSG_PAYLOAD_SIZE;
    use kernel::error::{
        code::{EBADMSG, EINVAL},
        Result,
    };
    use kernel::types::AsBytes;

    /// A message with `v`'s header and `payload`, and `tag` in `authtag[..16]`.
    fn load(m: &mut MsgBuf, v: &GcmVector, payload: &[u8], tag: &[u8; 16]) {
        m.hdr.as_bytes_mut().copy_from_slice(&v.header);
        m.payload.fill(0);
        m.payload[..payload.len()].copy_from_slice(payload);
        m.hdr.authtag[..16].copy_from_slice(tag);
    }

    #[test]
    fn seal_matches_independent_known_answers() -> Result {
        let mut m = MsgBuf::new()?;
        for v in GCM_VECTORS {
            let mut c = Cipher::new(&v.key)?;
            load(&mut m, v, v.plaintext, &[0; 16]);
            c.seal(&mut m, v.plaintext.len())?;
            assert!(
                m.payload[..v.ciphertext.len()] == *v.ciphertext,
                "ciphertext of {}",
                v.name
            );
            assert!(m.hdr.authtag[..16] == v.tag, "tag of {}", v.name);
            assert!(
                m.hdr.authtag[16..].iter().all(|&b| b == 0),
                "authtag tail of {}",
                v.name
            );
            // Sealing leaves the rest of the header and the payload tail alone.
            assert!(
                m.hdr.as_bytes()[0x20..] == v.header[0x20..],
                "header of {}",
                v.name
            );
            assert!(
                m.payload[v.plaintext.len()..].iter().all(|&b| b == 0),
                "tail of {}",
                v.name
            );
        }
        Ok(())
    }

    #[test]
    fn open_accepts_independent_known_answers() -> Result {
        let mut m = MsgBuf::new()?;
        for v in GCM_VECTORS {
            let mut c = Cipher::new(&v.key)?;
            load(&mut m, v, v.ciphertext, &v.tag);
            c.open(&mut m, v.ciphertext.len())?;
            assert!(
                m.payload[..v.plaintext.len()] == *v.plaintext,
                "plaintext of {}",
                v.name
            );
        }
        Ok(())
    }

    #[test]
    fn open_rejects_every_single_byte_corruption() -> Result {
        let mut m = MsgBuf::new()?;
        let mut rejected = 0u32;
        for v in GCM_VECTORS {
            let mut c = Cipher::new(&v.key)?;
            let len = v.ciphertext.len();
            // (offset in the message, what it is): the seqno (the IV), the AAD, the tag and
            // every ciphertext byte.
            let positions = (0x20..0x28)
                .chain(0x30..0x60)
                .chain(0x00..0x10)
                .chain(0x60..0x60 + len);
            for pos in positions {
                load(&mut m, v, v.ciphertext, &v.tag);
                if pos < 0x60 {
                    m.hdr.as_bytes_mut()[pos] ^= 0x01;
                } else {
                    m.payload[pos - 0x60] ^= 0x80;
                }
                assert_eq!(c.open(&mut m, len), Err(EBADMSG));
                rejected += 1;
            }
            // The untouched message still opens with the same cipher.
            load(&mut m, v, v.ciphertext, &v.tag);
            c.open(&mut m, len)?;
        }
        // 8 + 48 + 16 positions per vector plus every ciphertext byte of all five vectors.
        let ct_bytes: usize = GCM_VECTORS.iter().map(|v| v.ciphertext.len()).sum();
        assert_eq!(rejected as usize, GCM_VECTORS.len() * 72 + ct_bytes);
        Ok(())
    }

    #[test]
    fn bytes_outside_aad_tag_and_iv_are_not_authenticated() -> Result {
        // rsvd1 (0x28..0x30) and authtag[16..32] are not covered: GCM cannot notice them,
        // so message validation must not rely on them.
        let v = &GCM_VECTORS[0];
        let mut c = Cipher::new(&v.key)?;
        let mut m = MsgBuf::new()?;
        for pos in (0x28..0x30).chain(0x10..0x20) {
            load(&mut m, v, v.ciphertext, &v.tag);
            m.hdr.as_bytes_mut()[pos] ^= 0xff;
            c.open(&mut m, v.ciphertext.len())?;
        }
        Ok(())
    }

    #[test]
    fn payload_longer_than_the_page_is_refused() -> Result {
        let v = &GCM_VECTORS[0];
        let mut c = Cipher::new(&v.key)?;
        let mut m = MsgBuf::new()?;
        assert_eq!(c.seal(&mut m, SNP_GUEST_MSG_PAYLOAD_SIZE + 1), Err(EINVAL));
        assert_eq!(c.open(&mut m, SNP_GUEST_MSG_PAYLOAD_SIZE + 1), Err(EINVAL));
        Ok(())
    }
}
