// SPDX-License-Identifier: GPL-2.0
//! Host-side tests of the PSP model and the hypervisor (no device needed).

use crate::chain::{self, Chain};
use crate::hv::{Hv, PlanConfig};
use crate::ident::{unhex, Identity, Tcb};
use crate::monitor::Monitor;
use crate::msg::{self, Header, Page, HDR_SIZE};
use crate::plans::{self, Plan, SeqnoRule};
use crate::proto::*;
use crate::psp::{self, Psp, SEV_RET_INVALID_KEY, SEV_RET_INVALID_PARAM};
use crate::report::{self, REPORT_SIZE};
use sev::certs::snp::{ca, Certificate, Chain as SevChain, Verifiable};
use sev::firmware::guest::AttestationReport;
use sev::firmware::host::CertTableEntry;
use sev::parser::ByteParser;
use std::collections::HashMap;
use std::sync::OnceLock;

fn fixture() -> &'static (Identity, Chain) {
    static F: OnceLock<(Identity, Chain)> = OnceLock::new();
    F.get_or_init(|| {
        let id = Identity::from_seed(1);
        let c = chain::make(&id).expect("make chain");
        (id, c)
    })
}

fn kat() -> HashMap<String, Vec<u8>> {
    include_str!("../tests/kat.txt")
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), unhex(v).expect("hex")))
        .collect()
}

fn keys() -> [[u8; 32]; 4] {
    let k = kat();
    std::array::from_fn(|i| k[&format!("vmpck{i}")].clone().try_into().unwrap())
}

fn page_of(v: &[u8]) -> Page {
    v.try_into().expect("4096-byte page")
}

fn new_psp(guest_vmpl: u32) -> Psp {
    let (id, c) = fixture();
    Psp::new(keys(), guest_vmpl, id.clone(), c.vcek_key.clone())
}

fn new_hv(plan: Plan) -> Hv {
    let c = &fixture().1;
    Hv::new(
        new_psp(0),
        Some(chain::cert_table(c)),
        PlanConfig {
            plan,
            after: 0,
            count: None,
        },
    )
}

fn report_payload(report_data: &[u8; 64], vmpl: u32) -> Vec<u8> {
    let mut p = vec![0u8; 96];
    p[..64].copy_from_slice(report_data);
    put32(&mut p, 0x40, vmpl);
    p
}

fn seal_req(seqno: u64, vmpck: u8, msg_type: u8, ver: u8, payload: &[u8]) -> Page {
    let hdr = Header::new(seqno, msg_type, ver, payload.len() as u16, vmpck);
    msg::seal(&keys()[vmpck as usize], &hdr, payload)
}

fn report_req(seqno: u64, vmpck: u8, report_data: &[u8; 64]) -> Page {
    seal_req(
        seqno,
        vmpck,
        msg::MSG_REPORT_REQ,
        1,
        &report_payload(report_data, 0),
    )
}

fn open_rsp(page: &Page) -> (Header, Vec<u8>) {
    let h = Header::parse(page);
    let pt = msg::open(&keys()[h.vmpck as usize], page).expect("response authenticates");
    (h, pt)
}

fn plain(id: u64, page: Page) -> SevsimRequest {
    SevsimRequest::new(id, EXIT_GUEST_REQUEST, 0, page)
}

fn ext(id: u64, npages: u32, page: Page) -> SevsimRequest {
    SevsimRequest::new(id, EXIT_EXT_GUEST_REQUEST, npages, page)
}

fn diff(a: &Page, b: &Page) -> Vec<usize> {
    (0..PAGE_SIZE).filter(|&i| a[i] != b[i]).collect()
}

fn report_of(page: &Page) -> Vec<u8> {
    let (_, pt) = open_rsp(page);
    assert_eq!(le32(&pt, 0), 0, "in-band status");
    assert_eq!(le32(&pt, 4), REPORT_SIZE as u32);
    pt[0x20..0x20 + REPORT_SIZE].to_vec()
}

// ---- known answers (sealed by tests/gen_kat.py with Python cryptography) ----

#[test]
fn kat_report_request_is_answered() {
    let mut p = new_psp(0);
    let req = page_of(&kat()["report_req"]);
    let rsp = p.handle(&req).expect("PSP accepts the KAT request");
    let (h, pt) = open_rsp(&rsp);
    assert_eq!(h, Header::new(2, msg::MSG_REPORT_RSP, 1, 0x20 + 1184, 0));
    let rep = &pt[0x20..];
    let want: Vec<u8> = (0..64).collect();
    assert_eq!(&rep[0x50..0x90], &want[..]);
    assert_eq!(p.count(0), 2);
}

#[test]
fn kat_key_request_is_answered() {
    let req = page_of(&kat()["key_req"]);
    let mut p = new_psp(0);
    let (h, pt) = open_rsp(&p.handle(&req).unwrap());
    assert_eq!(h, Header::new(2, msg::MSG_KEY_RSP, 1, 64, 2));
    assert_eq!(le32(&pt, 0), 0);
    let mut p2 = new_psp(0);
    let (_, pt2) = open_rsp(&p2.handle(&req).unwrap());
    assert_eq!(pt[0x20..], pt2[0x20..], "derived key is deterministic");
    assert_ne!(&pt[0x20..0x40], &[0u8; 32]);
}

#[test]
fn kat_tampering_is_rejected() {
    let good = page_of(&kat()["report_req"]);
    let mut cases: Vec<(&str, Page, u32)> = Vec::new();
    let mut t = good;
    t[5] ^= 1;
    cases.push(("tag byte", t, psp::FW_ERR_AUTH));
    let mut t = good;
    t[0x3F] ^= 1;
    cases.push(("AAD byte", t, psp::FW_ERR_AUTH));
    let mut t = good;
    t[HDR_SIZE + 10] ^= 0x80;
    cases.push(("ciphertext byte", t, psp::FW_ERR_AUTH));
    let mut t = good;
    put64(&mut t, msg::OFF_SEQNO, 3);
    cases.push(("wrong seqno", t, psp::FW_ERR_BAD_SEQNO));
    let mut t = good;
    t[msg::OFF_VMPCK] = 1;
    cases.push(("wrong vmpck", t, psp::FW_ERR_AUTH));
    let mut t = good;
    put16(&mut t, msg::OFF_HDR_SZ, 0x50);
    cases.push(("bad hdr_sz", t, psp::FW_ERR_BAD_HEADER));
    let mut t = good;
    t[msg::OFF_VMPCK] = 4;
    cases.push(("vmpck 4", t, psp::FW_ERR_BAD_HEADER));
    let mut t = good;
    put16(&mut t, msg::OFF_MSG_SZ, 4001);
    cases.push(("msg_sz 4001", t, psp::FW_ERR_BAD_HEADER));

    let mut p = new_psp(0);
    for (what, page, status) in &cases {
        assert_eq!(p.handle(page).err(), Some(*status), "{what}");
        assert_eq!((p.count(0), p.count(1)), (0, 0), "{what}: count unchanged");
        // Through the hypervisor: firmware error in exitinfo2, nothing written.
        let mut hv = new_hv(Plan::None);
        let r = hv.handle(&plain(1, *page));
        assert_eq!(r.resp.hdr.exitinfo2, *status as u64, "{what}");
        assert_eq!(r.resp.hdr.flags, 0, "{what}");
        assert_eq!(hv.stats().fw_errors, 1);
    }
    // The untouched request still works afterwards.
    assert!(p.handle(&good).is_ok());
    assert_eq!(p.count(0), 2);
    assert_eq!(psp::SEV_RET_INVALID_PARAM, 0x16);
}

// ---- round trips ----

#[test]
fn round_trip_sequence() {
    let mut hv = new_hv(Plan::None);
    for (i, seqno) in [1u64, 3, 5].into_iter().enumerate() {
        let rd = [i as u8; 64];
        let r = hv.handle(&plain(i as u64, report_req(seqno, 3, &rd)));
        assert_eq!(r.resp.hdr.exitinfo2, 0);
        assert_eq!(r.resp.hdr.flags, F_WRITE_RESP);
        assert_eq!(r.resp.hdr.id, i as u64);
        let (h, _) = open_rsp(&r.resp.hdr.resp_page);
        assert_eq!(
            (h.seqno, h.msg_type, h.msg_version, h.vmpck),
            (seqno + 1, 6, 1, 3)
        );
        assert_eq!(&report_of(&r.resp.hdr.resp_page)[0x50..0x90], &rd);
    }
    // A skipped seqno is refused.
    let r = hv.handle(&plain(9, report_req(9, 3, &[0; 64])));
    assert_eq!(r.resp.hdr.exitinfo2, psp::FW_ERR_BAD_SEQNO as u64);
    assert_eq!(hv.psp().count(3), 6);
    assert_eq!(
        hv.stats().to_string(),
        "requests=4 forwarded=4 fw_errors=1 faults=0 iv_reuse=0 busy=0"
    );
}

#[test]
fn counts_start_where_the_secrets_page_says() {
    // K01: a guest whose counters stand at 0xFFFFFFFC has one request left.
    let mut psp = new_psp(0);
    psp.set_counts(0xFFFF_FFFC);
    let plans = PlanConfig {
        plan: Plan::None,
        after: 0,
        count: None,
    };
    let mut hv = Hv::new(psp, None, plans);
    let r = hv.handle(&plain(1, report_req(1, 0, &[1; 64])));
    assert_eq!(r.resp.hdr.exitinfo2, psp::FW_ERR_BAD_SEQNO as u64);
    let r = hv.handle(&plain(2, report_req(0xFFFF_FFFD, 0, &[2; 64])));
    assert_eq!(r.resp.hdr.exitinfo2, 0);
    assert_eq!(open_rsp(&r.resp.hdr.resp_page).0.seqno, 0xFFFF_FFFE);
    assert_eq!(hv.psp().count(0), 0xFFFF_FFFE);
}

#[test]
fn unsupported_messages_are_refused() {
    let mut p = new_psp(0);
    let cpuid = seal_req(1, 0, 1, 1, &[0u8; 64]);
    assert_eq!(p.handle(&cpuid).err(), Some(psp::FW_ERR_UNSUPPORTED));
    let v2 = seal_req(1, 0, msg::MSG_REPORT_REQ, 2, &report_payload(&[0; 64], 0));
    assert_eq!(p.handle(&v2).err(), Some(psp::FW_ERR_UNSUPPORTED));
    let k3 = seal_req(1, 0, msg::MSG_KEY_REQ, 3, &[0u8; 32]);
    assert_eq!(p.handle(&k3).err(), Some(psp::FW_ERR_UNSUPPORTED));
    let short = seal_req(1, 0, msg::MSG_KEY_REQ, 1, &[0u8; 31]);
    assert_eq!(p.handle(&short).err(), Some(psp::FW_ERR_UNSUPPORTED));
    assert_eq!(p.count(0), 0);
}

// ---- report and chain ----

fn sev_chain(c: &Chain) -> SevChain {
    SevChain {
        ca: ca::Chain {
            ark: Certificate::from_der(&c.ark).unwrap(),
            ask: Certificate::from_der(&c.ask).unwrap(),
        },
        vek: Certificate::from_der(&c.vcek).unwrap(),
    }
}

#[test]
fn report_verifies_with_sev_crate() {
    let (id, c) = fixture();
    let mut hv = new_hv(Plan::None);
    let rd = [0x5A; 64];
    let r = hv.handle(&plain(1, report_req(1, 0, &rd)));
    let raw = report_of(&r.resp.hdr.resp_page);
    for range in report::reserved_ranges() {
        assert!(raw[range.clone()].iter().all(|&b| b == 0), "{range:?}");
    }
    assert_eq!(&raw[0x160..0x180], &[0xFF; 32]);
    assert_eq!(&raw[0x1A0..0x1E0], &id.chip_id);

    let rep = AttestationReport::from_bytes(&raw).expect("sev crate parses the report");
    assert_eq!(rep.version, 3);
    assert_eq!(rep.report_data, rd);
    assert_eq!(rep.vmpl, 0);
    assert_eq!(rep.chip_id, id.chip_id);
    assert_eq!(rep.reported_tcb.microcode, 115);
    assert_eq!(rep.reported_tcb.snp, 8);
    assert_eq!(rep.reported_tcb.bootloader, 3);

    let ch = sev_chain(c);
    (&ch).verify().expect("ARK -> ASK -> VCEK verifies");
    (&ch, &rep)
        .verify()
        .expect("report verifies against the chain");

    for off in [0x00usize, 0x50, 0x90, 0x1A0, 0x29F, 0x2A0, 0x2E8] {
        let mut bad = raw.clone();
        bad[off] ^= 1;
        let ok = AttestationReport::from_bytes(&bad)
            .ok()
            .is_some_and(|r| (&ch, &r).verify().is_ok());
        assert!(!ok, "flipped byte {off:#x} must not verify");
    }
}

#[test]
fn cert_table_parses_with_sev_crate() {
    let (_, c) = fixture();
    let table = chain::cert_table(c);
    assert!(table.len() > PAGE_SIZE && table.len() <= 2 * PAGE_SIZE);
    let mut hv = new_hv(Plan::None);
    let page = report_req(1, 0, &[1; 64]);
    // Too few pages: INVALID_LEN with the pages needed, nothing forwarded.
    let r = hv.handle(&ext(1, 0, page));
    assert_eq!(
        (r.resp.hdr.exitinfo2, r.resp.hdr.rbx),
        (VMM_ERR_INVALID_LEN, 2)
    );
    assert_eq!(r.resp.hdr.flags, 0);
    assert_eq!(hv.psp().count(0), 0);
    // The driver's plain re-issue of the same message is served (no certs).
    let r = hv.handle(&plain(2, page));
    assert_eq!((r.resp.hdr.exitinfo2, r.resp.hdr.flags), (0, F_WRITE_RESP));
    assert_eq!(hv.stats().iv_reuse, 0);
    // Enough pages: response and certificates.
    let r = hv.handle(&ext(3, 4, report_req(3, 0, &[1; 64])));
    assert_eq!(r.resp.hdr.flags, F_WRITE_RESP | F_WRITE_CERTS);
    assert_eq!(r.resp.hdr.certs_len as usize, table.len());
    assert_eq!(r.resp.certs, table);
    let mut bytes = r.resp.certs.clone();
    bytes.resize(4 * PAGE_SIZE, 0);
    let entries = CertTableEntry::vec_bytes_to_cert_table(&mut bytes).unwrap();
    assert_eq!(entries.len(), 3);
    let ch = SevChain::from_cert_table_der(entries).expect("chain from table");
    let rep = AttestationReport::from_bytes(&report_of(&r.resp.hdr.resp_page)).unwrap();
    (&ch, &rep)
        .verify()
        .expect("report verifies against the table's chain");
    assert_eq!(
        chain::guid_bytes(chain::GUID_VCEK)[..4],
        [0x63, 0xda, 0x75, 0x8d]
    );
}

#[test]
fn no_certs_serves_ext_like_plain() {
    let mut hv = Hv::new(new_psp(0), None, PlanConfig::default());
    let r = hv.handle(&ext(1, 0, report_req(1, 0, &[1; 64])));
    assert_eq!((r.resp.hdr.exitinfo2, r.resp.hdr.flags), (0, F_WRITE_RESP));
    assert_eq!(r.resp.hdr.certs_len, 0);
}

#[test]
fn chain_files_round_trip() {
    let (id, c) = fixture();
    let dir = std::env::temp_dir().join(format!("psp-sim-test-{}", std::process::id()));
    chain::write(&dir, id, c).unwrap();
    let (id2, c2) = chain::load(&dir).unwrap();
    assert_eq!(&id2, id);
    assert_eq!(
        (c2.ark, c2.ask, c2.vcek),
        (c.ark.clone(), c.ask.clone(), c.vcek.clone())
    );
    assert_eq!(c2.vcek_key, c.vcek_key);
    let pem = std::fs::read(dir.join("vcek.pem")).unwrap();
    Certificate::from_pem(&pem).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- in-band statuses ----

fn report_status(guest_vmpl: u32, payload: &[u8]) -> (u32, u32) {
    let mut p = new_psp(guest_vmpl);
    let req = seal_req(1, 0, msg::MSG_REPORT_REQ, 1, payload);
    let (_, pt) = open_rsp(&p.handle(&req).expect("ioctl-level success"));
    (le32(&pt, 0), le32(&pt, 4))
}

#[test]
fn report_inband_errors() {
    let ok = report_payload(&[0; 64], 1);
    assert_eq!(report_status(1, &ok), (0, 1184));
    assert_eq!(report_status(1, &report_payload(&[0; 64], 4)), (0x16, 0));
    assert_eq!(report_status(1, &report_payload(&[0; 64], 0)), (0x16, 0));
    let mut ks = ok.clone();
    put32(&mut ks, 0x44, 3);
    assert_eq!(report_status(1, &ks), (0x27, 0));
    let mut rs = ok.clone();
    put32(&mut rs, 0x44, 4);
    assert_eq!(report_status(1, &rs), (0x16, 0));
    let mut rs = ok.clone();
    rs[0x5F] = 1;
    assert_eq!(report_status(1, &rs), (0x16, 0));
}

struct KeyReq {
    rks: u32,
    rsvd: u32,
    gfs: u64,
    vmpl: u32,
    svn: u32,
    tcb: u64,
}

impl KeyReq {
    fn ok() -> KeyReq {
        KeyReq {
            rks: 0,
            rsvd: 0,
            gfs: 0x3F,
            vmpl: 1,
            svn: 1,
            tcb: crate::ident::DEFAULT_TCB.to_u64(),
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut b = vec![0u8; 32];
        put32(&mut b, 0, self.rks);
        put32(&mut b, 4, self.rsvd);
        put64(&mut b, 8, self.gfs);
        put32(&mut b, 0x10, self.vmpl);
        put32(&mut b, 0x14, self.svn);
        put64(&mut b, 0x18, self.tcb);
        b
    }
}

fn derive(version: u8, payload: &[u8]) -> (u32, [u8; 32]) {
    let mut p = new_psp(1);
    let req = seal_req(1, 1, msg::MSG_KEY_REQ, version, payload);
    let (h, pt) = open_rsp(&p.handle(&req).expect("ioctl-level success"));
    assert_eq!((h.msg_type, h.msg_version, h.msg_sz), (4, version, 64));
    (le32(&pt, 0), pt[0x20..0x40].try_into().unwrap())
}

#[test]
fn derived_keys() {
    let base = KeyReq::ok();
    let (st, k) = derive(1, &base.bytes());
    assert_eq!(st, 0);
    assert_eq!(derive(1, &base.bytes()), (0, k), "deterministic");
    // v2 with only 32 bytes (6.12 kernel) == LMV 0; v2 with 40 bytes too.
    assert_eq!(derive(2, &base.bytes()), (0, k));
    let mut b40 = base.bytes();
    b40.extend_from_slice(&[0; 8]);
    assert_eq!(derive(2, &b40), (0, k));
    type Edit = fn(&mut KeyReq);
    let variants: Vec<Edit> = vec![
        |r| r.vmpl = 2,
        |r| r.gfs = 0x3E,
        |r| r.svn = 0,
        |r| r.rks = 1,
        |r| {
            r.tcb = Tcb {
                microcode: 100,
                ..crate::ident::DEFAULT_TCB
            }
            .to_u64()
        },
    ];
    for f in variants {
        let mut r = KeyReq::ok();
        f(&mut r);
        let (st, k2) = derive(1, &r.bytes());
        assert_eq!(st, 0);
        assert_ne!(k2, k);
    }
    let bad: Vec<(u32, Edit)> = vec![
        (SEV_RET_INVALID_KEY, |r| r.rks = 6),
        (SEV_RET_INVALID_PARAM, |r| r.rks = 8),
        (SEV_RET_INVALID_PARAM, |r| r.rsvd = 1),
        (SEV_RET_INVALID_PARAM, |r| r.gfs = 0x80),
        (SEV_RET_INVALID_PARAM, |r| r.vmpl = 4),
        (SEV_RET_INVALID_PARAM, |r| r.vmpl = 0),
        (SEV_RET_INVALID_PARAM, |r| r.svn = 2),
        (SEV_RET_INVALID_PARAM, |r| r.tcb += 1),
        (SEV_RET_INVALID_PARAM, |r| r.tcb |= 1 << 24),
    ];
    for (want, f) in bad {
        let mut r = KeyReq::ok();
        f(&mut r);
        assert_eq!(derive(1, &r.bytes()), (want, [0; 32]));
    }
    // The sev crate's guest_fw_error test: everything all-ones, GFS 48, v2.
    let fw = KeyReq {
        rks: 0,
        rsvd: 0,
        gfs: 48,
        vmpl: u32::MAX,
        svn: u32::MAX,
        tcb: u64::MAX,
    };
    let mut b = fw.bytes();
    b.extend_from_slice(&[0xFF; 8]);
    assert_eq!(derive(2, &b).0, 0x16);
}

// ---- fault plans ----

/// The genuine answer to a first message on VMPCK0.
fn genuine(page: &Page) -> Page {
    new_psp(0).handle(page).unwrap()
}

fn one(plan: &str, req: SevsimRequest) -> (Hv, SevsimResponse) {
    let mut hv = new_hv(plan.parse().unwrap());
    let r = hv.handle(&req).resp;
    (hv, r)
}

#[test]
fn plan_busy_then_genuine() {
    let page = report_req(1, 0, &[2; 64]);
    let mut hv = new_hv("busy:2".parse().unwrap());
    for i in 0..2 {
        let r = hv.handle(&plain(i, page)).resp;
        assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (VMM_ERR_BUSY, 0));
    }
    assert_eq!(hv.psp().count(0), 0);
    let r = hv.handle(&plain(2, page)).resp;
    assert_eq!(r.hdr.exitinfo2, 0);
    assert_eq!(r.hdr.resp_page, genuine(&page));
    // The next message gets its own two BUSYs.
    let r = hv.handle(&plain(3, report_req(3, 0, &[2; 64]))).resp;
    assert_eq!(r.hdr.exitinfo2, VMM_ERR_BUSY);
    assert_eq!(hv.stats().iv_reuse, 0);
    assert_eq!(hv.stats().faults, 3);

    assert_eq!(hv.stats().busy, 3);

    let mut hv = new_hv(Plan::BusyForever);
    for i in 0..5 {
        assert_eq!(hv.handle(&plain(i, page)).resp.hdr.exitinfo2, VMM_ERR_BUSY);
    }
    assert_eq!(hv.stats().busy, 5);
}

#[test]
fn plan_busy_ms_is_timed_from_the_first_send() {
    use std::time::{Duration, Instant};
    let ms = Duration::from_millis;
    let page = report_req(1, 0, &[2; 64]);
    let mut hv = new_hv("busy-ms:50".parse().unwrap());
    let t0 = Instant::now();
    // Every send inside the 50 ms is BUSY, however many there are.
    for (i, at) in [0, 1, 10, 30, 49].into_iter().enumerate() {
        let r = hv.handle_at(&plain(i as u64, page), t0 + ms(at)).resp;
        assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (VMM_ERR_BUSY, 0));
    }
    assert_eq!(hv.psp().count(0), 0);
    assert_eq!(hv.stats().busy, 5);
    // From 50 ms on, the message is served, genuinely.
    let r = hv.handle_at(&plain(5, page), t0 + ms(50)).resp;
    assert_eq!(r.hdr.exitinfo2, 0);
    assert_eq!(r.hdr.resp_page, genuine(&page));
    // The next message's clock starts at its own first send.
    let next = report_req(3, 0, &[2; 64]);
    let r = hv.handle_at(&plain(6, next), t0 + ms(200)).resp;
    assert_eq!(r.hdr.exitinfo2, VMM_ERR_BUSY);
    let r = hv.handle_at(&plain(7, next), t0 + ms(249)).resp;
    assert_eq!(r.hdr.exitinfo2, VMM_ERR_BUSY);
    let r = hv.handle_at(&plain(8, next), t0 + ms(250)).resp;
    assert_eq!(r.hdr.exitinfo2, 0);
    assert_eq!(
        hv.stats().to_string(),
        "requests=9 forwarded=2 fw_errors=0 faults=7 iv_reuse=0 busy=7"
    );

    // busy-ms:0 serves at once; selected by REPORT_DATA like any plan.
    let rd = plans::fault_data("busy-ms:0").unwrap();
    let (hv, r) = one("none", plain(0, report_req(1, 0, &rd)));
    assert_eq!(r.hdr.exitinfo2, 0);
    assert_eq!(hv.stats().busy, 0);
}

#[test]
fn plan_invalid_len() {
    let page = report_req(1, 0, &[3; 64]);
    for n in [0u64, 5, 1 << 20, 1 << 31, u32::MAX as u64] {
        let mut hv = new_hv(Plan::InvalidLen(n));
        let r = hv.handle(&ext(1, 16, page)).resp;
        assert_eq!(
            (r.hdr.exitinfo2, r.hdr.rbx, r.hdr.flags),
            (VMM_ERR_INVALID_LEN, n, 0)
        );
        assert_eq!(hv.psp().count(0), 0);
        let r = hv.handle(&plain(2, page)).resp;
        assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (0, F_WRITE_RESP));
        assert_eq!(r.hdr.resp_page, genuine(&page));
    }
    let (hv, r) = one("invalid-len-plain", plain(1, page));
    assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (VMM_ERR_INVALID_LEN, 0));
    assert_eq!(hv.psp().count(0), 0);

    let mut hv = new_hv("invalid-len-then:0x1d".parse().unwrap());
    let r = hv.handle(&ext(1, 0, page)).resp;
    assert_eq!((r.hdr.exitinfo2, r.hdr.rbx), (VMM_ERR_INVALID_LEN, 2));
    let r = hv.handle(&plain(2, page)).resp;
    assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (0x1d, 0));
    assert_eq!(hv.psp().count(0), 0);
}

#[test]
fn plan_host_errors() {
    let page = report_req(1, 0, &[4; 64]);
    let (hv, r) = one("fw-error:27", plain(1, page));
    assert_eq!(
        (r.hdr.exitinfo2, r.hdr.flags, hv.psp().count(0)),
        (0x27, 0, 0)
    );
    let (_, r) = one("vmm-error:3", ext(1, 4, page));
    assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (3 << 32, 0));
    let (_, r) = one("vmgexit-fail", plain(1, page));
    assert_eq!((r.hdr.action, r.hdr.flags), (ACT_VMGEXIT_FAIL, 0));
    let (_, r) = one("no-ghcb", plain(1, page));
    assert_eq!((r.hdr.action, r.hdr.flags), (ACT_NO_GHCB, 0));
}

#[test]
fn plan_drop_and_replay() {
    let p1 = report_req(1, 0, &[5; 64]);
    let (hv, r) = one("drop", plain(1, p1));
    assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (0, 0));
    assert_eq!(hv.psp().count(0), 2, "the PSP consumed the seqno");

    let mut hv = new_hv(Plan::Replay);
    let r = hv.handle(&plain(1, p1)).resp;
    assert_eq!(r.hdr.flags, 0, "no previous response: dropped");
    let p2 = report_req(3, 0, &[6; 64]);
    let r = hv.handle(&plain(2, p2)).resp;
    assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (0, F_WRITE_RESP));
    assert_eq!(r.hdr.resp_page, genuine(&p1), "the first genuine answer");
    assert_eq!(hv.psp().count(0), 4);
}

#[test]
fn plan_response_tampering() {
    let page = report_req(1, 0, &[7; 64]);
    let g = genuine(&page);
    let check = |plan: &str, want: &[usize]| {
        let (_, r) = one(plan, plain(1, page));
        assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (0, F_WRITE_RESP), "{plan}");
        assert_eq!(diff(&g, &r.hdr.resp_page), want, "{plan}");
        r.hdr.resp_page
    };
    for off in 0x30..0x60 {
        let p = check(&format!("tamper-aad:{off:#x}"), &[off]);
        assert_eq!(p[off], !g[off]);
    }
    for off in 0..16 {
        check(&format!("tamper-tag:{off}"), &[off]);
    }
    let p = check("tamper-ct", &[HDR_SIZE]);
    assert_eq!((p[HDR_SIZE] ^ g[HDR_SIZE]).count_ones(), 1);
    for (v, seq) in [("+3", 4u64), ("0", 0), ("max", u64::MAX), ("+0", 1)] {
        let (_, r) = one(&format!("seqno:{v}"), plain(1, page));
        let p = r.hdr.resp_page;
        assert_eq!(le64(&p, msg::OFF_SEQNO), seq);
        assert!(diff(&g, &p).iter().all(|&i| (0x20..0x28).contains(&i)));
    }
    let p = check("wrong-type", &[msg::OFF_TYPE]);
    assert_eq!(p[msg::OFF_TYPE], msg::MSG_KEY_RSP);
    let p = check("wrong-version", &[msg::OFF_VERSION]);
    assert_eq!(p[msg::OFF_VERSION], 2);
    let (_, r) = one("oversize:65535", plain(1, page));
    assert_eq!(le16(&r.hdr.resp_page, msg::OFF_MSG_SZ), 0xFFFF);
    assert!(diff(&g, &r.hdr.resp_page)
        .iter()
        .all(|&i| i == 0x36 || i == 0x37));
    let (_, r) = one("oversize:4000", plain(1, page));
    assert_eq!(le16(&r.hdr.resp_page, msg::OFF_MSG_SZ), 4000);
    let (_, r) = one("scribble", plain(1, page));
    assert_eq!(r.hdr.flags, F_WRITE_RESP | F_SCRIBBLE);
    assert_eq!(r.hdr.resp_page, g);
    // Key responses get a report type.
    let kp = page_of(&kat()["key_req"]);
    let (_, r) = one("wrong-type", plain(1, kp));
    assert_eq!(r.hdr.resp_page[msg::OFF_TYPE], msg::MSG_REPORT_RSP);
}

#[test]
fn plan_tamper_req_and_short() {
    let page = report_req(1, 0, &[8; 64]);
    let (hv, r) = one("tamper-req", plain(1, page));
    assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (psp::FW_ERR_AUTH as u64, 0));
    assert_eq!(hv.psp().count(0), 0);
    assert_eq!(hv.stats().iv_reuse, 0, "monitor sees the guest's bytes");

    let (_, r) = one("short", plain(1, page));
    let (h, pt) = open_rsp(&r.hdr.resp_page);
    assert_eq!(
        (h.seqno, h.msg_type, h.msg_version, h.msg_sz),
        (2, 6, 1, 0x20)
    );
    let (_, gpt) = open_rsp(&genuine(&page));
    assert_eq!(pt[..], gpt[..0x20]);
    assert!(r.hdr.resp_page[HDR_SIZE + 0x20..].iter().all(|&b| b == 0));
}

#[test]
fn plan_report_size_rewrites_only_that_field_authentically() {
    let page = report_req(1, 0, &[9; 64]);
    let (_, gpt) = open_rsp(&genuine(&page));
    for n in [0u32, 0x1000, u32::MAX] {
        let (hv, r) = one(&format!("report-size:{n}"), plain(1, page));
        assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (0, F_WRITE_RESP));
        let (h, pt) = open_rsp(&r.hdr.resp_page);
        assert_eq!((h.seqno, h.msg_type, h.msg_sz), (2, 6, gpt.len() as u16));
        assert_eq!(le32(&pt, 4), n);
        assert_eq!(pt[..4], gpt[..4]);
        assert_eq!(pt[8..], gpt[8..]);
        assert_eq!(hv.stats().iv_reuse, 0);
    }
}

#[test]
fn plan_after_and_count() {
    let mut hv = Hv::new(
        new_psp(0),
        None,
        PlanConfig {
            plan: Plan::FwError(0x16),
            after: 1,
            count: Some(1),
        },
    );
    let r = hv.handle(&plain(1, report_req(1, 0, &[1; 64]))).resp;
    assert_eq!(r.hdr.exitinfo2, 0);
    let p = report_req(3, 0, &[2; 64]);
    assert_eq!(hv.handle(&plain(2, p)).resp.hdr.exitinfo2, 0x16);
    assert_eq!(
        hv.handle(&plain(3, p)).resp.hdr.exitinfo2,
        0x16,
        "resend: same message"
    );
    let r = hv.handle(&plain(4, report_req(3, 0, &[3; 64]))).resp;
    assert_eq!(r.hdr.exitinfo2, 0);
    let s = hv.stats();
    assert_eq!(
        (s.requests, s.forwarded, s.faults, s.iv_reuse),
        (4, 2, 2, 1)
    );
}

#[test]
fn fault_data_selects_plan() {
    let rd = plans::fault_data("tamper-tag:3").unwrap();
    let page = report_req(1, 0, &rd);
    let mut hv = new_hv(Plan::None);
    let h = hv.handle(&plain(1, page));
    assert_eq!(diff(&genuine(&page), &h.resp.hdr.resp_page), vec![3]);
    assert!(h.line.contains("plan=tamper-tag:3(applied)"), "{}", h.line);
    let rd = plans::fault_data("busy:1").unwrap();
    let page = report_req(3, 0, &rd);
    assert_eq!(hv.handle(&plain(2, page)).resp.hdr.exitinfo2, VMM_ERR_BUSY);
    assert_eq!(hv.handle(&plain(3, page)).resp.hdr.exitinfo2, 0);
    // A plan marker under --plan overrides it for that message.
    let mut hv = new_hv(Plan::Drop);
    let rd = plans::fault_data("none").unwrap();
    let r = hv.handle(&plain(1, report_req(1, 0, &rd))).resp;
    assert_eq!(r.hdr.flags, F_WRITE_RESP);
}

// ---- authentic forgeries (R13) ----

/// Every R13 plan in the form PLAN_HELP shows, with a header-only default.
const FORGE_PLANS: [&str; 8] = [
    "forge-type",
    "forge-version",
    "forge-size:0",
    "forge-seqno:req",
    "forge-hdr-version",
    "forge-hdr-size",
    "forge-algo",
    "forge-vmpck",
];

#[test]
fn forge_plans_parse_and_round_trip_through_display() {
    // Canonical forms: parsed, displayed back as written, and carried by REPORT_DATA.
    for (s, want) in [
        ("forge-type", Plan::ForgeType(None)),
        ("forge-type:4", Plan::ForgeType(Some(4))),
        ("forge-type:255", Plan::ForgeType(Some(255))),
        ("forge-version", Plan::ForgeVersion(None)),
        ("forge-version:0", Plan::ForgeVersion(Some(0))),
        ("forge-size:0", Plan::ForgeSize(0)),
        ("forge-size:4000", Plan::ForgeSize(4000)),
        ("forge-seqno:req", Plan::ForgeSeqno(SeqnoRule::Plus(0))),
        ("forge-seqno:+3", Plan::ForgeSeqno(SeqnoRule::Plus(3))),
        ("forge-seqno:0", Plan::ForgeSeqno(SeqnoRule::Abs(0))),
        ("forge-seqno:max", Plan::ForgeSeqno(SeqnoRule::Max)),
        ("forge-hdr-version:2", Plan::ForgeHdrVersion(2)),
        ("forge-hdr-version:0", Plan::ForgeHdrVersion(0)),
        ("forge-hdr-size:0x50", Plan::ForgeHdrSize(0x50)),
        ("forge-hdr-size:0xffff", Plan::ForgeHdrSize(0xFFFF)),
        ("forge-algo:2", Plan::ForgeAlgo(2)),
        ("forge-algo:0", Plan::ForgeAlgo(0)),
        ("forge-vmpck", Plan::ForgeVmpck(None)),
        ("forge-vmpck:3", Plan::ForgeVmpck(Some(3))),
        ("forge-vmpck:255", Plan::ForgeVmpck(Some(255))),
    ] {
        assert_eq!(s.parse::<Plan>(), Ok(want), "{s}");
        assert_eq!(want.to_string(), s);
        let d = plans::fault_data(s).unwrap();
        assert_eq!(plans::from_report_data(&d), Some(Ok(want)), "{s}");
    }
    // Constant defaults are shown with their value; +0 is `req`; N is clamped to 4000.
    for (s, shown) in [
        ("forge-hdr-version", "forge-hdr-version:2"),
        ("forge-hdr-size", "forge-hdr-size:0x50"),
        ("forge-algo", "forge-algo:2"),
        ("forge-seqno:+0", "forge-seqno:req"),
        ("forge-size:0x20", "forge-size:32"),
        ("forge-size:4001", "forge-size:4000"),
        ("forge-size:65536", "forge-size:4000"),
    ] {
        assert_eq!(s.parse::<Plan>().unwrap().to_string(), shown, "{s}");
    }
    for bad in [
        "forge-size",
        "forge-seqno",
        "forge-seqno:x",
        "forge-type:256",
        "forge-version:-1",
        "forge-hdr-size:0x10000",
        "forge-algo:x",
        "forge-vmpck:256",
    ] {
        assert!(bad.parse::<Plan>().is_err(), "{bad}");
    }
    let r13: Vec<&str> = plans::PLAN_HELP
        .iter()
        .filter(|(id, _, _)| *id == "R13")
        .map(|(_, syntax, _)| *syntax)
        .collect();
    assert_eq!(
        r13,
        [
            "forge-type[:T]",
            "forge-version[:V]",
            "forge-size:N",
            "forge-seqno:RULE",
            "forge-hdr-version[:V]",
            "forge-hdr-size[:N]",
            "forge-algo[:A]",
            "forge-vmpck[:ID]",
        ]
    );
}

/// Header bytes (after the tag) in which two response pages differ.
fn header_diff(a: &Page, b: &Page) -> Vec<usize> {
    (0x10..HDR_SIZE).filter(|&i| a[i] != b[i]).collect()
}

#[test]
fn forged_answers_authenticate_with_one_header_field_wrong() {
    // The genuine answer to a first report request: seqno 2, type 6, version 1, 0x4c0 bytes.
    let g = |v: u8| Header::new(2, msg::MSG_REPORT_RSP, 1, 0x4C0, v);
    let sz = [msg::OFF_MSG_SZ, msg::OFF_MSG_SZ + 1];
    let cases: Vec<(&str, u8, Header, Vec<usize>)> = vec![
        (
            "forge-type",
            0,
            Header {
                msg_type: msg::MSG_REPORT_REQ,
                ..g(0)
            },
            vec![msg::OFF_TYPE],
        ),
        (
            "forge-type:4",
            1,
            Header {
                msg_type: msg::MSG_KEY_RSP,
                ..g(1)
            },
            vec![msg::OFF_TYPE],
        ),
        (
            "forge-version",
            0,
            Header {
                msg_version: 2,
                ..g(0)
            },
            vec![msg::OFF_VERSION],
        ),
        (
            "forge-version:0",
            2,
            Header {
                msg_version: 0,
                ..g(2)
            },
            vec![msg::OFF_VERSION],
        ),
        ("forge-size:0", 0, Header { msg_sz: 0, ..g(0) }, sz.to_vec()),
        (
            "forge-size:0x20",
            0,
            Header {
                msg_sz: 0x20,
                ..g(0)
            },
            sz.to_vec(),
        ),
        (
            "forge-size:5000",
            3,
            Header {
                msg_sz: 4000,
                ..g(3)
            },
            sz.to_vec(),
        ),
        (
            "forge-seqno:req",
            0,
            Header { seqno: 1, ..g(0) },
            vec![msg::OFF_SEQNO],
        ),
        (
            "forge-seqno:+3",
            1,
            Header { seqno: 4, ..g(1) },
            vec![msg::OFF_SEQNO],
        ),
        (
            "forge-hdr-version",
            0,
            Header {
                hdr_version: 2,
                ..g(0)
            },
            vec![msg::OFF_HDR_VERSION],
        ),
        (
            "forge-hdr-size",
            2,
            Header {
                hdr_sz: 0x50,
                ..g(2)
            },
            vec![msg::OFF_HDR_SZ],
        ),
        (
            "forge-algo",
            0,
            Header { algo: 2, ..g(0) },
            vec![msg::OFF_ALGO],
        ),
        (
            "forge-algo:0",
            3,
            Header { algo: 0, ..g(3) },
            vec![msg::OFF_ALGO],
        ),
        (
            "forge-vmpck",
            1,
            Header { vmpck: 2, ..g(1) },
            vec![msg::OFF_VMPCK],
        ),
        (
            "forge-vmpck",
            3,
            Header { vmpck: 0, ..g(3) },
            vec![msg::OFF_VMPCK],
        ),
        (
            "forge-vmpck:7",
            0,
            Header { vmpck: 7, ..g(0) },
            vec![msg::OFF_VMPCK],
        ),
    ];
    for (plan, v, want, bytes) in cases {
        let key = &keys()[v as usize];
        let page = report_req(1, v, &plans::fault_data(plan).unwrap());
        // The same request answered by a second model with the same keys and counts.
        let mut twin = new_psp(0);
        let genuine = twin.handle(&page).unwrap();
        assert_eq!(Header::parse(&genuine), g(v), "{plan}");

        let mut hv = new_hv(Plan::None);
        let h = hv.handle(&plain(1, page));
        let forged = h.resp.hdr.resp_page;
        // Delivered as a genuine answer is: COMPLETE, exitinfo2 0, page written.
        assert_eq!(
            h.resp.to_bytes(),
            SevsimResponse::with_page(1, forged).to_bytes(),
            "{plan}"
        );
        assert_eq!(Header::parse(&forged), want, "{plan}");
        assert_eq!(header_diff(&genuine, &forged), bytes, "{plan}");
        // Sealed with the request's VMPCK (whatever msg_vmpck says) and the header's
        // seqno as IV: it authenticates, carrying the genuine payload cut or padded to
        // msg_sz.
        let pt = msg::open(key, &forged).expect("the forgery authenticates");
        let mut want_pt = msg::open(key, &genuine).unwrap();
        want_pt.resize(want.msg_sz as usize, 0);
        assert_eq!(pt, want_pt, "{plan}");
        // The PSP side is exactly as after the genuine answer.
        assert_eq!((hv.psp().count(v as usize), twin.count(v as usize)), (2, 2));
        assert_eq!(
            hv.stats().to_string(),
            "requests=1 forwarded=1 fw_errors=0 faults=1 iv_reuse=0 busy=0",
            "{plan}"
        );
        let shown = plan.parse::<Plan>().unwrap().to_string();
        assert!(
            h.line.contains(&format!("plan={shown}(applied)")),
            "{}",
            h.line
        );
        let next = report_req(3, v, &[3; 64]);
        let r = hv.handle(&plain(2, next)).resp;
        assert_eq!(r.hdr.resp_page, twin.handle(&next).unwrap(), "{plan}");
    }
}

#[test]
fn forged_ext_answers_come_with_the_certificates() {
    let table = chain::cert_table(&fixture().1);
    for plan in FORGE_PLANS {
        let page = report_req(1, 0, &plans::fault_data(plan).unwrap());
        let (hv, r) = one("none", ext(1, 4, page));
        assert_eq!(
            (r.hdr.exitinfo2, r.hdr.flags),
            (0, F_WRITE_RESP | F_WRITE_CERTS)
        );
        assert_eq!(r.certs, table, "{plan}");
        assert!(msg::open(&keys()[0], &r.hdr.resp_page).is_some(), "{plan}");
        assert_ne!(r.hdr.resp_page, genuine(&page), "{plan}");
        assert_eq!((hv.psp().count(0), hv.stats().faults), (2, 1), "{plan}");
    }
}

#[test]
fn forged_key_answers_through_serve_plan() {
    // Derived-key requests carry no REPORT_DATA: `serve --plan` selects them.
    // The KAT key request: VMPCK2, seqno 1, MSG_KEY_REQ version 1.
    let kp = page_of(&kat()["key_req"]);
    let g = Header::new(2, msg::MSG_KEY_RSP, 1, 64, 2);
    let second = seal_req(3, 2, msg::MSG_KEY_REQ, 1, &KeyReq::ok().bytes());
    for (plan, want) in [
        (
            "forge-type",
            Header {
                msg_type: msg::MSG_KEY_REQ,
                ..g
            },
        ),
        (
            "forge-version",
            Header {
                msg_version: 2,
                ..g
            },
        ),
        ("forge-size:0x20", Header { msg_sz: 0x20, ..g }),
        ("forge-seqno:req", Header { seqno: 1, ..g }),
        ("forge-vmpck", Header { vmpck: 3, ..g }),
        ("forge-hdr-size", Header { hdr_sz: 0x50, ..g }),
    ] {
        let mut twin = new_psp(0);
        let genuine = twin.handle(&kp).unwrap();
        assert_eq!(Header::parse(&genuine), g);
        let mut hv = Hv::new(
            new_psp(0),
            None,
            PlanConfig {
                plan: plan.parse().unwrap(),
                after: 0,
                count: Some(1),
            },
        );
        let r = hv.handle(&plain(1, kp)).resp;
        assert_eq!((r.hdr.exitinfo2, r.hdr.flags), (0, F_WRITE_RESP), "{plan}");
        let forged = r.hdr.resp_page;
        assert_eq!(Header::parse(&forged), want, "{plan}");
        let pt = msg::open(&keys()[2], &forged).expect("the forgery authenticates");
        let mut want_pt = msg::open(&keys()[2], &genuine).unwrap();
        want_pt.resize(want.msg_sz as usize, 0);
        assert_eq!(pt, want_pt, "{plan}");
        assert_eq!(hv.psp().count(2), 2);
        // --plan-count 1: the next message is genuine.
        let r = hv.handle(&plain(2, second)).resp;
        assert_eq!(r.hdr.resp_page, twin.handle(&second).unwrap(), "{plan}");
        let s = hv.stats();
        assert_eq!((s.faults, s.iv_reuse, s.fw_errors), (1, 0, 0), "{plan}");
    }
}

#[test]
fn forged_plan_on_a_rejected_request_is_not_a_fault() {
    // Seqno 3 while the PSP expects 1: nothing is sealed, genuine or forged.
    let page = report_req(3, 0, &plans::fault_data("forge-type").unwrap());
    let (hv, r) = one("none", plain(1, page));
    assert_eq!(
        (r.hdr.exitinfo2, r.hdr.flags),
        (psp::FW_ERR_BAD_SEQNO as u64, 0)
    );
    assert_eq!(
        hv.stats().to_string(),
        "requests=1 forwarded=1 fw_errors=1 faults=0 iv_reuse=0 busy=0"
    );
}

// ---- monitor ----

#[test]
fn monitor_detects_iv_reuse() {
    let mut hv = new_hv(Plan::None);
    let a = report_req(1, 0, &[1; 64]);
    hv.handle(&plain(1, a));
    hv.handle(&plain(2, a));
    assert_eq!(hv.stats().iv_reuse, 0, "identical resend");
    let b = report_req(1, 0, &[2; 64]);
    hv.handle(&plain(3, b));
    assert_eq!(hv.stats().iv_reuse, 1);
    // Same seqno on another VMPCK is a different IV space.
    hv.handle(&plain(4, report_req(1, 1, &[3; 64])));
    assert_eq!(hv.stats().iv_reuse, 1);
}

#[test]
fn monitor_flags_a_request_on_the_iv_of_the_psp_answer() {
    let mut hv = new_hv(Plan::None);
    let r = hv.handle(&plain(1, report_req(1, 0, &[1; 64]))).resp;
    assert_eq!(Header::parse(&r.hdr.resp_page).seqno, 2);
    assert_eq!(hv.stats().iv_reuse, 0);
    // An odd stored counter: the next request takes seqno 2, the IV of that
    // answer. The PSP refuses it (it expects 3), but the IV is reused already.
    let odd = report_req(2, 0, &[2; 64]);
    let r = hv.handle(&plain(2, odd)).resp;
    assert_eq!(r.hdr.exitinfo2, psp::FW_ERR_BAD_SEQNO as u64);
    assert_eq!(
        hv.stats().to_string(),
        "requests=2 forwarded=2 fw_errors=1 faults=0 iv_reuse=1 busy=0"
    );
    // Its byte-identical resend is the same message: counted once.
    hv.handle(&plain(3, odd));
    assert_eq!(hv.stats().iv_reuse, 1);
    // Another VMPCK is another IV space: its seqno 2 is no reuse.
    hv.handle(&plain(4, report_req(2, 1, &[2; 64])));
    assert_eq!(hv.stats().iv_reuse, 1);
    // Back in step, the exchange goes on without further reuse.
    let r = hv.handle(&plain(5, report_req(3, 0, &[3; 64]))).resp;
    assert_eq!(r.hdr.exitinfo2, 0);
    assert_eq!(
        hv.stats().to_string(),
        "requests=5 forwarded=5 fw_errors=3 faults=0 iv_reuse=1 busy=0"
    );
}

#[test]
fn monitor_flags_an_answer_on_the_iv_of_an_earlier_request() {
    let mut hv = new_hv(Plan::None);
    // Seqno 2 first: refused (the PSP expects 1), recorded as a request.
    hv.handle(&plain(1, report_req(2, 0, &[1; 64])));
    assert_eq!(hv.stats().iv_reuse, 0);
    // Seqno 1 is answered with seqno 2: the key and IV of that request.
    let r = hv.handle(&plain(2, report_req(1, 0, &[2; 64]))).resp;
    assert_eq!(r.hdr.exitinfo2, 0);
    assert_eq!(
        hv.stats().to_string(),
        "requests=2 forwarded=2 fw_errors=1 faults=0 iv_reuse=1 busy=0"
    );
}

#[test]
fn monitor_records_answers_the_guest_never_got() {
    // The PSP sealed the dropped answer with seqno 2: a request on 2 reuses it.
    let mut hv = new_hv(Plan::None);
    let p1 = report_req(1, 0, &plans::fault_data("drop").unwrap());
    assert_eq!(hv.handle(&plain(1, p1)).resp.hdr.flags, 0);
    hv.handle(&plain(2, report_req(2, 0, &[2; 64])));
    assert_eq!(hv.stats().iv_reuse, 1);
    // Likewise under a forgery: the genuine answer (seqno 2) was sealed.
    let mut hv = new_hv(Plan::None);
    let p1 = report_req(1, 0, &plans::fault_data("forge-hdr-size").unwrap());
    hv.handle(&plain(1, p1));
    assert_eq!(hv.stats().iv_reuse, 0);
    hv.handle(&plain(2, report_req(2, 0, &[2; 64])));
    assert_eq!(hv.stats().iv_reuse, 1);
}

#[test]
fn monitor_does_not_count_forgeries_resends_or_normal_exchanges() {
    // forge-seqno:req seals the answer with the request's own IV: the
    // attacker's doing, not counted against the guest.
    let page = report_req(1, 0, &plans::fault_data("forge-seqno:req").unwrap());
    let mut hv = new_hv(Plan::None);
    let r = hv.handle(&plain(1, page)).resp;
    assert_eq!(Header::parse(&r.hdr.resp_page).seqno, 1);
    assert_eq!(hv.stats().iv_reuse, 0);
    hv.handle(&plain(2, report_req(3, 0, &[3; 64])));
    assert_eq!(hv.stats().iv_reuse, 0);

    // Every forgery, then the guest going on in step.
    for plan in FORGE_PLANS
        .iter()
        .chain(&["forge-seqno:+3", "forge-size:4000"])
    {
        let mut hv = new_hv(Plan::None);
        hv.handle(&plain(
            1,
            report_req(1, 0, &plans::fault_data(plan).unwrap()),
        ));
        let r = hv.handle(&plain(2, report_req(3, 0, &[3; 64]))).resp;
        assert_eq!(r.hdr.exitinfo2, 0, "{plan}");
        let s = hv.stats();
        assert_eq!((s.faults, s.iv_reuse), (1, 0), "{plan}");
    }

    // Byte-identical resends: BUSY retries, a resend after the answer (refused),
    // the plain re-issue after INVALID_LEN.
    let a = report_req(1, 0, &[1; 64]);
    let mut hv = Hv::new(
        new_psp(0),
        Some(chain::cert_table(&fixture().1)),
        PlanConfig {
            plan: Plan::Busy(2),
            after: 0,
            count: Some(1),
        },
    );
    for i in 0..3 {
        hv.handle(&plain(i, a));
    }
    hv.handle(&plain(3, a));
    let b = report_req(3, 0, &[2; 64]);
    hv.handle(&ext(4, 0, b));
    hv.handle(&plain(5, b));
    let s = hv.stats();
    assert_eq!((s.requests, s.fw_errors, s.iv_reuse), (6, 1, 0));
    assert_eq!(hv.psp().count(0), 4);

    // Replayed and tampered answers are not recorded either.
    let mut hv = new_hv(Plan::Replay);
    for (i, seqno) in [1u64, 3, 5].into_iter().enumerate() {
        hv.handle(&plain(i as u64, report_req(seqno, 0, &[i as u8; 64])));
    }
    assert_eq!(hv.stats().iv_reuse, 0);

    // A normal exchange sequence on every VMPCK, plain and extended.
    let mut hv = new_hv(Plan::None);
    for v in 0..4u8 {
        for seqno in [1u64, 3, 5, 7] {
            let p = report_req(seqno, v, &[v; 64]);
            let r = if seqno % 4 == 1 {
                hv.handle(&plain(seqno, p))
            } else {
                hv.handle(&ext(seqno, 4, p))
            };
            assert_eq!(r.resp.hdr.exitinfo2, 0);
        }
    }
    assert_eq!(
        hv.stats().to_string(),
        "requests=16 forwarded=16 fw_errors=0 faults=0 iv_reuse=0 busy=0"
    );
}

#[test]
fn monitor_judges_both_directions_per_vmpck_and_seqno() {
    let mut m = Monitor::default();
    let req1 = report_req(1, 0, &[1; 64]);
    let rsp2 = new_psp(0).handle(&req1).unwrap();
    assert!(!m.observe(&req1));
    assert!(!m.observe(&req1), "identical request resend");
    assert!(!m.observe_response(&rsp2));
    assert!(!m.observe_response(&rsp2), "identical response");
    assert_eq!(m.reuses, 0);
    // A different response under IV 2.
    let other = msg::seal(&keys()[0], &Header::parse(&rsp2), &[9; 0x4C0]);
    assert!(m.observe_response(&other));
    // A request under IV 2 (a response's), and a response under IV 1 (a request's).
    assert!(m.observe(&report_req(2, 0, &[1; 64])));
    let on1 = msg::seal(&keys()[0], &Header::new(1, 6, 1, 0x20, 0), &[0; 0x20]);
    assert!(m.observe_response(&on1));
    // A different request under IV 1.
    assert!(m.observe(&report_req(1, 0, &[2; 64])));
    // The same pairs under another VMPCK are fresh.
    assert!(!m.observe(&report_req(2, 1, &[1; 64])));
    let on1 = msg::seal(&keys()[1], &Header::new(1, 6, 1, 0x20, 1), &[0; 0x20]);
    assert!(!m.observe_response(&on1));
    assert_eq!(m.reuses, 4);
}

/// With PSP_SIM_DUMP_DIR set, writes the chain and a raw report there so
/// external verifiers (snpguest verify certs/attestation) can be run on them.
#[test]
fn dump_for_external_tools() {
    let Some(dir) = std::env::var_os("PSP_SIM_DUMP_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let (id, c) = fixture();
    chain::write(&dir, id, c).unwrap();
    let mut hv = new_hv(Plan::None);
    let r = hv.handle(&plain(1, report_req(1, 0, &[0x42; 64])));
    std::fs::write(dir.join("report.bin"), report_of(&r.resp.hdr.resp_page)).unwrap();
}

// ---- serve loop ----

struct FakeDevice {
    requests: std::collections::VecDeque<Vec<u8>>,
    written: Vec<Vec<u8>>,
}

impl std::io::Read for FakeDevice {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.requests.pop_front() {
            Some(r) => {
                buf[..r.len()].copy_from_slice(&r);
                Ok(r.len())
            }
            None => Ok(0),
        }
    }
}

impl std::io::Write for FakeDevice {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written.push(buf.to_vec());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn serve_loop_frames_requests_and_writes_stats() {
    let page = report_req(1, 0, &[9; 64]);
    let mut dev = FakeDevice {
        requests: [
            ext(7, 0, page),
            plain(8, page),
            ext(9, 2, report_req(3, 0, &[9; 64])),
        ]
        .iter()
        .map(SevsimRequest::to_bytes)
        .collect(),
        written: Vec::new(),
    };
    let mut hv = new_hv(Plan::None);
    let stats = std::env::temp_dir().join(format!("psp-sim-stats-{}", std::process::id()));
    let mut log = Vec::new();
    let err = crate::server::run(&mut dev, &mut hv, &mut log, Some(&stats), &|| false)
        .expect_err("EOF ends the loop with an error");
    assert!(err.to_string().contains("end of file"));
    assert_eq!(dev.written.len(), 3);
    let w = &dev.written;
    assert_eq!(w[0].len(), RESPONSE_SIZE);
    assert_eq!(
        (le64(&w[0], 8), le64(&w[0], 24), le64(&w[0], 32)),
        (7, VMM_ERR_INVALID_LEN, 2)
    );
    assert_eq!((le64(&w[1], 8), le32(&w[1], 20)), (8, F_WRITE_RESP));
    assert_eq!(
        page_of(&w[1][RESPONSE_HDR_SIZE..RESPONSE_SIZE]),
        genuine(&page)
    );
    let certs_len = le32(&w[2], 40) as usize;
    assert_eq!(w[2].len(), RESPONSE_SIZE + certs_len);
    assert_eq!(le32(&w[2], 20), F_WRITE_RESP | F_WRITE_CERTS);
    let log = String::from_utf8(log).unwrap();
    assert_eq!(log.lines().count(), 3);
    assert!(log
        .lines()
        .next()
        .unwrap()
        .starts_with("id=7 EXT npages=0 vmpck=0 seqno=1 type=5 ver=1"));
    assert_eq!(
        std::fs::read_to_string(&stats).unwrap(),
        "requests=3 forwarded=2 fw_errors=0 faults=0 iv_reuse=0 busy=0\n"
    );
    std::fs::remove_file(&stats).unwrap();
    let mut empty = FakeDevice {
        requests: Default::default(),
        written: Vec::new(),
    };
    assert!(crate::server::run(&mut empty, &mut hv, &mut Vec::new(), None, &|| true).is_ok());
}
