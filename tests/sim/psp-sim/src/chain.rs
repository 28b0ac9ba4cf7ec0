// SPDX-License-Identifier: GPL-2.0
//! The fake AMD certificate chain (ARK -> ASK -> VCEK), deterministic for a
//! seed, and the extended-request certificate table.
//!
//! ARK and ASK are RSA-4096 and sign with RSASSA-PSS/SHA-384, salt 48 (the
//! only algorithm the `sev` crate's crypto_nossl backend accepts). The VCEK
//! is P-384 and carries the AMD KDS extensions (1.3.6.1.4.1.3704.1.*) that
//! snpguest compares against the report: the SPLs as DER INTEGERs and hwID as
//! a DER OCTET STRING of the 64-byte CHIP_ID.

use crate::ident::{self, Identity, PRODUCT_NAME};
use der::asn1::{BitString, Ia5String, ObjectIdentifier, OctetString, UtcTime};
use der::{Decode, Encode, EncodePem};
use p384::ecdsa::SigningKey as EcSigningKey;
use p384::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::pss::SigningKey as PssSigningKey;
use rsa::signature::{RandomizedSigner, SignatureEncoding};
use rsa::RsaPrivateKey;
use sha2::Sha384;
use spki::{DynSignatureAlgorithmIdentifier, SubjectPublicKeyInfoOwned};
use std::fs;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

pub const GUID_ARK: &str = "c0b406a4-a803-4952-9743-3fb6014cd0ae";
pub const GUID_ASK: &str = "4ab7b379-bbac-4fe4-a02f-05aef327c782";
pub const GUID_VCEK: &str = "63da758d-e664-4564-adc5-f4b93be8accd";
pub const CERT_ENTRY_SIZE: usize = 24;

const SUBJECT_BASE: &str = "O=Advanced Micro Devices,ST=CA,L=Santa Clara,C=US,OU=Engineering";
/// 2020-01-01T00:00:00Z .. 2045-01-01T00:00:00Z
const NOT_BEFORE: u64 = 1_577_836_800;
const NOT_AFTER: u64 = 2_366_841_600;
const KDS_OID: &str = "1.3.6.1.4.1.3704.1";

/// The chain as DER plus the VCEK private key.
pub struct Chain {
    pub ark: Vec<u8>,
    pub ask: Vec<u8>,
    pub vcek: Vec<u8>,
    pub vcek_key: EcSigningKey,
}

type Error = Box<dyn std::error::Error>;

fn name(cn: &str) -> Result<Name, Error> {
    // RFC 4514 order (reversed on encoding): OU, C, L, ST, O, CN in the DER.
    Ok(Name::from_str(&format!("CN={cn},{SUBJECT_BASE}"))?)
}

fn validity() -> Result<Validity, Error> {
    let t = |s| -> Result<Time, Error> {
        Ok(Time::UtcTime(UtcTime::from_unix_duration(
            Duration::from_secs(s),
        )?))
    };
    Ok(Validity {
        not_before: t(NOT_BEFORE)?,
        not_after: t(NOT_AFTER)?,
    })
}

fn ext(oid: &str, critical: bool, value: Vec<u8>) -> Result<Extension, Error> {
    Ok(Extension {
        extn_id: ObjectIdentifier::new(oid)?,
        critical,
        extn_value: OctetString::new(value)?,
    })
}

fn ca_exts(usage: KeyUsage) -> Result<Vec<Extension>, Error> {
    Ok(vec![
        ext(
            "2.5.29.19",
            true,
            BasicConstraints {
                ca: true,
                path_len_constraint: None,
            }
            .to_der()?,
        )?,
        ext("2.5.29.15", true, usage.to_der()?)?,
    ])
}

/// The KDS extensions of a VCEK for `id`.
pub fn vcek_exts(id: &Identity) -> Result<Vec<Extension>, Error> {
    let int = |v: u8| -> Result<Vec<u8>, Error> { Ok(v.to_der()?) };
    let t = id.tcb;
    let mut v = vec![
        ext(&format!("{KDS_OID}.1"), false, int(0)?)?,
        ext(
            &format!("{KDS_OID}.2"),
            false,
            Ia5String::new(PRODUCT_NAME)?.to_der()?,
        )?,
    ];
    let spl = [t.bootloader, t.tee, t.snp, 0, 0, 0, 0, t.microcode];
    for (i, s) in spl.iter().enumerate() {
        v.push(ext(&format!("{KDS_OID}.3.{}", i + 1), false, int(*s)?)?);
    }
    v.push(ext(
        &format!("{KDS_OID}.4"),
        false,
        OctetString::new(id.chip_id.to_vec())?.to_der()?,
    )?);
    Ok(v)
}

fn sign_cert(
    serial: u8,
    subject: Name,
    issuer: Name,
    spki: SubjectPublicKeyInfoOwned,
    extensions: Vec<Extension>,
    signer: &PssSigningKey<Sha384>,
    rng: &mut rand_chacha::ChaCha20Rng,
) -> Result<Vec<u8>, Error> {
    let alg = signer.signature_algorithm_identifier()?;
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&[serial])?,
        signature: alg.clone(),
        issuer,
        validity: validity()?,
        subject,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    let sig = signer.try_sign_with_rng(rng, &tbs.to_der()?)?;
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: alg,
        signature: BitString::from_bytes(&sig.to_vec())?,
    };
    Ok(cert.to_der()?)
}

/// Generates the chain for `id` (slow: two RSA-4096 keys).
pub fn make(id: &Identity) -> Result<Chain, Error> {
    let seed = id.seed;
    let ark_key = RsaPrivateKey::new(&mut ident::rng(seed, "ark-key"), 4096)?;
    let ask_key = RsaPrivateKey::new(&mut ident::rng(seed, "ask-key"), 4096)?;
    let vcek_key = EcSigningKey::from(p384::SecretKey::random(&mut ident::rng(seed, "vcek-key")));
    let ark_signer = PssSigningKey::<Sha384>::new(ark_key.clone());
    let ask_signer = PssSigningKey::<Sha384>::new(ask_key.clone());
    let mut rng = ident::rng(seed, "pss-salt");

    let ark_name = name("ARK-Milan")?;
    let ask_name = name("SEV-Milan")?;
    let ark = sign_cert(
        1,
        ark_name.clone(),
        ark_name.clone(),
        SubjectPublicKeyInfoOwned::from_key(ark_key.to_public_key())?,
        ca_exts(KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign))?,
        &ark_signer,
        &mut rng,
    )?;
    let ask = sign_cert(
        2,
        ask_name.clone(),
        ark_name,
        SubjectPublicKeyInfoOwned::from_key(ask_key.to_public_key())?,
        ca_exts(KeyUsage(KeyUsages::KeyCertSign.into()))?,
        &ark_signer,
        &mut rng,
    )?;
    let vcek = sign_cert(
        3,
        name("SEV-VCEK")?,
        ask_name,
        SubjectPublicKeyInfoOwned::from_key(*vcek_key.verifying_key())?,
        vcek_exts(id)?,
        &ask_signer,
        &mut rng,
    )?;
    Ok(Chain {
        ark,
        ask,
        vcek,
        vcek_key,
    })
}

fn pem(der: &[u8]) -> Result<String, Error> {
    Ok(Certificate::from_der(der)?.to_pem(LineEnding::LF)?)
}

/// Writes the chain and platform.txt into `dir`.
pub fn write(dir: &Path, id: &Identity, c: &Chain) -> Result<(), Error> {
    fs::create_dir_all(dir)?;
    for (n, der) in [("ark", &c.ark), ("ask", &c.ask), ("vcek", &c.vcek)] {
        fs::write(dir.join(format!("{n}.der")), der)?;
        fs::write(dir.join(format!("{n}.pem")), pem(der)?)?;
    }
    let key = c.vcek_key.to_pkcs8_pem(LineEnding::LF)?;
    fs::write(dir.join("vcek-key.pem"), key.as_bytes())?;
    fs::write(dir.join("platform.txt"), id.to_platform_txt())?;
    Ok(())
}

/// Reads what `serve` needs from a `make-chain` directory and checks that
/// the VCEK certificate matches the key and the platform identity.
pub fn load(dir: &Path) -> Result<(Identity, Chain), Error> {
    let id = Identity::from_platform_txt(&fs::read_to_string(dir.join("platform.txt"))?)?;
    let rd = |n: &str| fs::read(dir.join(n)).map_err(|e| format!("{n}: {e}"));
    let key_pem = fs::read_to_string(dir.join("vcek-key.pem"))?;
    let vcek_key =
        EcSigningKey::from_pkcs8_pem(&key_pem).map_err(|e| format!("vcek-key.pem: {e}"))?;
    let c = Chain {
        ark: rd("ark.der")?,
        ask: rd("ask.der")?,
        vcek: rd("vcek.der")?,
        vcek_key,
    };
    let cert = Certificate::from_der(&c.vcek)?;
    let spki = SubjectPublicKeyInfoOwned::from_key(*c.vcek_key.verifying_key())?;
    if cert.tbs_certificate.subject_public_key_info != spki {
        return Err("vcek.der does not hold vcek-key.pem's public key".into());
    }
    if cert.tbs_certificate.extensions != Some(vcek_exts(&id)?) {
        return Err("vcek.der's KDS extensions do not match platform.txt".into());
    }
    Ok((id, c))
}

/// A GUID as the clients read it: RFC 4122 byte order, i.e. the bytes in
/// the order of the string (the `sev` crate, and so snpguest, parse entries
/// with `Uuid::from_slice`; go-sev-guest and AMD's cert-table tool use the
/// same order). The mixed-endian Microsoft/EFI layout would make every
/// entry an unknown "OTHER" certificate for them.
pub fn guid_bytes(s: &str) -> [u8; 16] {
    let h = ident::unhex(&s.replace('-', "")).expect("valid GUID literal");
    let mut g = [0u8; 16];
    g.copy_from_slice(&h);
    g
}

/// The certificate table: ARK, ASK, VCEK entries, a zero terminator, then
/// the DER certificates; offsets are relative to the table start.
pub fn cert_table(c: &Chain) -> Vec<u8> {
    let certs = [(GUID_ARK, &c.ark), (GUID_ASK, &c.ask), (GUID_VCEK, &c.vcek)];
    let mut t = vec![0u8; CERT_ENTRY_SIZE * (certs.len() + 1)];
    for (i, (guid, der)) in certs.iter().enumerate() {
        let e = &mut t[i * CERT_ENTRY_SIZE..(i + 1) * CERT_ENTRY_SIZE];
        let off = (CERT_ENTRY_SIZE * (certs.len() + 1)
            + certs[..i].iter().map(|(_, d)| d.len()).sum::<usize>()) as u32;
        e[..16].copy_from_slice(&guid_bytes(guid));
        e[16..20].copy_from_slice(&off.to_le_bytes());
        e[20..24].copy_from_slice(&(der.len() as u32).to_le_bytes());
    }
    for (_, der) in certs {
        t.extend_from_slice(der);
    }
    t
}
