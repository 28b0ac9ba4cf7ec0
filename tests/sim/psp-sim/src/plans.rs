// SPDX-License-Identifier: GPL-2.0
//! Fault plans of the hostile hypervisor (FAULTS.md sections H and R).
//! R13 (`forge-*`) goes beyond what a hypervisor can do: its answers need the
//! VMPCK (a firmware bug, a leaked key), and show which header checks a
//! driver makes besides the tag.
//!
//! A plan is written `name[:arg]`. It is chosen per guest message, either by
//! `serve --plan` or, as a test-only oracle, by the REPORT_DATA of a report
//! request: the 8 ASCII bytes `SEVSIMFP` followed by the NUL-padded plan
//! string in bytes 8..40 (the simulator peeks into the request with the
//! firmware's key, which no real hypervisor could do).

use std::fmt;

pub const FP_MAGIC: &[u8; 8] = b"SEVSIMFP";
pub const FP_PLAN_MAX: usize = 32;

/// R06 and R13 (`forge-seqno`): the seqno written into the response header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeqnoRule {
    /// The request's seqno plus K (`+K`; `+3` is "req + 3").
    Plus(u64),
    /// An absolute value (`0`, decimal or 0x hex).
    Abs(u64),
    /// u64::MAX.
    Max,
}

impl SeqnoRule {
    /// The seqno this rule gives for a request with seqno `req`.
    pub fn resolve(self, req: u64) -> u64 {
        match self {
            SeqnoRule::Plus(k) => req.wrapping_add(k),
            SeqnoRule::Abs(s) => s,
            SeqnoRule::Max => u64::MAX,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    None,
    Busy(u32),
    /// BUSY for every send of a message until this many ms after its first send.
    BusyMs(u32),
    BusyForever,
    InvalidLen(u64),
    InvalidLenPlain,
    InvalidLenThen(u64),
    FwError(u64),
    VmmError(u64),
    VmgexitFail,
    NoGhcb,
    Drop,
    Replay,
    TamperAad(usize),
    TamperTag(usize),
    TamperCt,
    Seqno(SeqnoRule),
    WrongType,
    WrongVersion,
    Oversize(u16),
    Scribble,
    TamperReq,
    Short(u16),
    /// R14: the PSP's own MSG_REPORT_RSP, authentic, with its `report_size`
    /// field set to this (0, or past the message): a firmware bug no host can
    /// make, which the driver must not turn into an empty or overlong report.
    ReportSize(u32),
    /// R13 (all `Forge*`): the PSP serves the request, then the answer is
    /// sealed with the right VMPCK but one header field wrong, so its tag
    /// authenticates and only the header checks can catch it. None: a
    /// default that depends on the request (see PLAN_HELP).
    ForgeType(Option<u8>),
    ForgeVersion(Option<u8>),
    /// msg_sz, at most MAX_PAYLOAD (4000): larger values are clamped so the
    /// answer still authenticates.
    ForgeSize(u16),
    /// The seqno in the header and the IV; `Plus(0)` is written `req`.
    ForgeSeqno(SeqnoRule),
    ForgeHdrVersion(u8),
    ForgeHdrSize(u16),
    ForgeAlgo(u8),
    ForgeVmpck(Option<u8>),
}

/// The largest msg_sz a forged answer can carry and still authenticate:
/// the payload capacity of the page (4000).
pub const FORGE_SIZE_MAX: u16 = crate::msg::MAX_PAYLOAD as u16;

/// (FAULTS id, syntax, meaning) for `psp-sim plans`.
pub const PLAN_HELP: &[(&str, &str, &str)] = &[
    ("-", "none", "serve normally"),
    (
        "H01",
        "busy:K",
        "answer BUSY K times for the same message, then normally",
    ),
    (
        "H01",
        "busy-ms:T",
        "answer BUSY to every send of a message until T ms after its first, then normally",
    ),
    ("H02", "busy-forever", "answer BUSY every time"),
    (
        "H03/H04",
        "invalid-len:N",
        "EXT request: INVALID_LEN with RBX=N, not forwarded; the plain re-issue is served",
    ),
    ("H05", "invalid-len-plain", "plain request: INVALID_LEN"),
    (
        "H06",
        "invalid-len-then:CODE",
        "EXT: INVALID_LEN; the re-issue gets exitinfo2=CODE (hex), not forwarded",
    ),
    (
        "H07",
        "fw-error:CODE",
        "exitinfo2=CODE (hex, low 32 bits), not forwarded",
    ),
    (
        "H08",
        "vmm-error:CODE",
        "exitinfo2=CODE<<32 (hex), not forwarded",
    ),
    (
        "H09",
        "vmgexit-fail",
        "action VMGEXIT_FAIL (sw_exit_info_1 = 1)",
    ),
    ("H10", "no-ghcb", "action NO_GHCB"),
    (
        "R01",
        "drop",
        "forwarded (seqno consumed), response page not written",
    ),
    (
        "R02",
        "replay",
        "forwarded; answer with the previous genuine response of this VMPCK (drop if none)",
    ),
    (
        "R03",
        "tamper-aad:OFF",
        "flip response byte OFF (0x30..0x5f)",
    ),
    (
        "R04",
        "tamper-tag:OFF",
        "flip response tag byte OFF (0..15)",
    ),
    (
        "R05",
        "tamper-ct",
        "flip bit 0 of the first response ciphertext byte",
    ),
    (
        "R06",
        "seqno:V",
        "response msg_seqno = V: +K (request+K), max, or a number",
    ),
    (
        "R07",
        "wrong-type",
        "response msg_type of another response kind",
    ),
    (
        "R08",
        "wrong-version",
        "response msg_version = request's + 1",
    ),
    (
        "R09",
        "oversize:SZ",
        "response msg_sz = SZ (e.g. 4000, 65535)",
    ),
    ("R10", "scribble", "genuine response with SEVSIM_F_SCRIBBLE"),
    (
        "R11",
        "tamper-req",
        "flip a request ciphertext byte before the PSP reads it",
    ),
    (
        "R12",
        "short[:SZ]",
        "genuine response honestly sealed with msg_sz SZ (default 0x20)",
    ),
    (
        "R14",
        "report-size:N",
        "authentic MSG_REPORT_RSP whose report_size field says N (0, or past the message)",
    ),
    (
        "R13",
        "forge-type[:T]",
        "served; answer sealed with the VMPCK, msg_type T (default: the request's type)",
    ),
    (
        "R13",
        "forge-version[:V]",
        "served; answer sealed with the VMPCK, msg_version V (default: request's + 1)",
    ),
    (
        "R13",
        "forge-size:N",
        "served; answer sealed with the VMPCK, msg_sz N and N payload bytes (N <= 4000)",
    ),
    (
        "R13",
        "forge-seqno:RULE",
        "served; answer sealed with the VMPCK, msg_seqno and IV: req, +K, max or a number",
    ),
    (
        "R13",
        "forge-hdr-version[:V]",
        "served; answer sealed with the VMPCK, hdr_version V (default 2)",
    ),
    (
        "R13",
        "forge-hdr-size[:N]",
        "served; answer sealed with the VMPCK, hdr_sz N (default 0x50)",
    ),
    (
        "R13",
        "forge-algo[:A]",
        "served; answer sealed with the VMPCK, algo A (default 2)",
    ),
    (
        "R13",
        "forge-vmpck[:ID]",
        "served; answer sealed with the request's VMPCK, msg_vmpck ID (default: request's + 1 mod 4)",
    ),
];

fn num(s: &str) -> Result<u64, String> {
    let r = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16),
        None => s.parse::<u64>(),
    };
    r.map_err(|_| format!("bad number {s:?}"))
}

fn hexnum(s: &str) -> Result<u64, String> {
    let h = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    u64::from_str_radix(h, 16).map_err(|_| format!("bad hex code {s:?}"))
}

/// A number that must fit a header field of type T.
fn field<T: TryFrom<u64>>(s: &str) -> Result<T, String> {
    T::try_from(num(s)?).map_err(|_| format!("{s} does not fit the header field"))
}

/// An optional argument that must fit a header field of type T.
fn opt_field<T: TryFrom<u64>>(a: Option<&str>) -> Result<Option<T>, String> {
    a.map(field).transpose()
}

impl std::str::FromStr for Plan {
    type Err = String;

    fn from_str(s: &str) -> Result<Plan, String> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let need = || arg.ok_or_else(|| format!("plan {name} needs an argument"));
        let plan = match name {
            "none" => Plan::None,
            "busy" => Plan::Busy(u32::try_from(num(need()?)?).map_err(|e| e.to_string())?),
            "busy-ms" => Plan::BusyMs(u32::try_from(num(need()?)?).map_err(|e| e.to_string())?),
            "busy-forever" => Plan::BusyForever,
            "invalid-len" => Plan::InvalidLen(num(need()?)?),
            "invalid-len-plain" => Plan::InvalidLenPlain,
            "invalid-len-then" => Plan::InvalidLenThen(hexnum(need()?)?),
            "fw-error" => Plan::FwError(hexnum(need()?)? & 0xFFFF_FFFF),
            "vmm-error" => Plan::VmmError(hexnum(need()?)? & 0xFFFF_FFFF),
            "vmgexit-fail" => Plan::VmgexitFail,
            "no-ghcb" => Plan::NoGhcb,
            "drop" => Plan::Drop,
            "replay" => Plan::Replay,
            "tamper-aad" => {
                let off = num(need()?)? as usize;
                if !(0x30..0x60).contains(&off) {
                    return Err(format!("tamper-aad offset {off:#x} not in 0x30..0x5f"));
                }
                Plan::TamperAad(off)
            }
            "tamper-tag" => {
                let off = num(need()?)? as usize;
                if off >= 16 {
                    return Err(format!("tamper-tag offset {off} not in 0..15"));
                }
                Plan::TamperTag(off)
            }
            "tamper-ct" => Plan::TamperCt,
            "seqno" => Plan::Seqno(match need()? {
                "max" => SeqnoRule::Max,
                v => match v.strip_prefix('+') {
                    Some(k) => SeqnoRule::Plus(num(k)?),
                    None => SeqnoRule::Abs(num(v)?),
                },
            }),
            "wrong-type" => Plan::WrongType,
            "wrong-version" => Plan::WrongVersion,
            "oversize" => Plan::Oversize(u16::try_from(num(need()?)?).map_err(|e| e.to_string())?),
            "scribble" => Plan::Scribble,
            "tamper-req" => Plan::TamperReq,
            "short" => Plan::Short(match arg {
                Some(a) => u16::try_from(num(a)?).map_err(|e| e.to_string())?,
                None => 0x20,
            }),
            "report-size" => Plan::ReportSize(field(need()?)?),
            "forge-type" => Plan::ForgeType(opt_field(arg)?),
            "forge-version" => Plan::ForgeVersion(opt_field(arg)?),
            "forge-size" => Plan::ForgeSize(num(need()?)?.min(u64::from(FORGE_SIZE_MAX)) as u16),
            "forge-seqno" => Plan::ForgeSeqno(match need()? {
                "req" => SeqnoRule::Plus(0),
                "max" => SeqnoRule::Max,
                v => match v.strip_prefix('+') {
                    Some(k) => SeqnoRule::Plus(num(k)?),
                    None => SeqnoRule::Abs(num(v)?),
                },
            }),
            "forge-hdr-version" => Plan::ForgeHdrVersion(opt_field(arg)?.unwrap_or(2)),
            "forge-hdr-size" => Plan::ForgeHdrSize(opt_field(arg)?.unwrap_or(0x50)),
            "forge-algo" => Plan::ForgeAlgo(opt_field(arg)?.unwrap_or(2)),
            "forge-vmpck" => Plan::ForgeVmpck(opt_field(arg)?),
            _ => return Err(format!("unknown plan {name:?} (see `psp-sim plans`)")),
        };
        let takes_arg = matches!(
            plan,
            Plan::Busy(_)
                | Plan::BusyMs(_)
                | Plan::InvalidLen(_)
                | Plan::InvalidLenThen(_)
                | Plan::FwError(_)
                | Plan::VmmError(_)
                | Plan::TamperAad(_)
                | Plan::TamperTag(_)
                | Plan::Seqno(_)
                | Plan::Oversize(_)
                | Plan::Short(_)
                | Plan::ReportSize(_)
                | Plan::ForgeType(_)
                | Plan::ForgeVersion(_)
                | Plan::ForgeSize(_)
                | Plan::ForgeSeqno(_)
                | Plan::ForgeHdrVersion(_)
                | Plan::ForgeHdrSize(_)
                | Plan::ForgeAlgo(_)
                | Plan::ForgeVmpck(_)
        );
        if arg.is_some() && !takes_arg {
            return Err(format!("plan {name} takes no argument"));
        }
        Ok(plan)
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Plan::None => write!(f, "none"),
            Plan::Busy(k) => write!(f, "busy:{k}"),
            Plan::BusyMs(t) => write!(f, "busy-ms:{t}"),
            Plan::BusyForever => write!(f, "busy-forever"),
            Plan::InvalidLen(n) => write!(f, "invalid-len:{n}"),
            Plan::InvalidLenPlain => write!(f, "invalid-len-plain"),
            Plan::InvalidLenThen(c) => write!(f, "invalid-len-then:{c:#x}"),
            Plan::FwError(c) => write!(f, "fw-error:{c:#x}"),
            Plan::VmmError(c) => write!(f, "vmm-error:{c:#x}"),
            Plan::VmgexitFail => write!(f, "vmgexit-fail"),
            Plan::NoGhcb => write!(f, "no-ghcb"),
            Plan::Drop => write!(f, "drop"),
            Plan::Replay => write!(f, "replay"),
            Plan::TamperAad(o) => write!(f, "tamper-aad:{o:#x}"),
            Plan::TamperTag(o) => write!(f, "tamper-tag:{o}"),
            Plan::TamperCt => write!(f, "tamper-ct"),
            Plan::Seqno(SeqnoRule::Plus(k)) => write!(f, "seqno:+{k}"),
            Plan::Seqno(SeqnoRule::Abs(v)) => write!(f, "seqno:{v}"),
            Plan::Seqno(SeqnoRule::Max) => write!(f, "seqno:max"),
            Plan::WrongType => write!(f, "wrong-type"),
            Plan::WrongVersion => write!(f, "wrong-version"),
            Plan::Oversize(s) => write!(f, "oversize:{s}"),
            Plan::Scribble => write!(f, "scribble"),
            Plan::TamperReq => write!(f, "tamper-req"),
            Plan::Short(s) => write!(f, "short:{s:#x}"),
            Plan::ReportSize(n) => write!(f, "report-size:{n}"),
            Plan::ForgeType(None) => write!(f, "forge-type"),
            Plan::ForgeType(Some(t)) => write!(f, "forge-type:{t}"),
            Plan::ForgeVersion(None) => write!(f, "forge-version"),
            Plan::ForgeVersion(Some(v)) => write!(f, "forge-version:{v}"),
            Plan::ForgeSize(n) => write!(f, "forge-size:{n}"),
            Plan::ForgeSeqno(SeqnoRule::Plus(0)) => write!(f, "forge-seqno:req"),
            Plan::ForgeSeqno(SeqnoRule::Plus(k)) => write!(f, "forge-seqno:+{k}"),
            Plan::ForgeSeqno(SeqnoRule::Abs(v)) => write!(f, "forge-seqno:{v}"),
            Plan::ForgeSeqno(SeqnoRule::Max) => write!(f, "forge-seqno:max"),
            Plan::ForgeHdrVersion(v) => write!(f, "forge-hdr-version:{v}"),
            Plan::ForgeHdrSize(n) => write!(f, "forge-hdr-size:{n:#x}"),
            Plan::ForgeAlgo(a) => write!(f, "forge-algo:{a}"),
            Plan::ForgeVmpck(None) => write!(f, "forge-vmpck"),
            Plan::ForgeVmpck(Some(id)) => write!(f, "forge-vmpck:{id}"),
        }
    }
}

/// The REPORT_DATA that selects `plan` (as written, must parse).
pub fn fault_data(plan: &str) -> Result<[u8; 64], String> {
    plan.parse::<Plan>()?;
    if plan.len() > FP_PLAN_MAX {
        return Err(format!("plan string longer than {FP_PLAN_MAX} bytes"));
    }
    let mut d = [0u8; 64];
    d[..8].copy_from_slice(FP_MAGIC);
    d[8..8 + plan.len()].copy_from_slice(plan.as_bytes());
    Ok(d)
}

/// The plan a REPORT_DATA selects: None if it carries no plan marker,
/// Some(Err) if the marker is there but the plan does not parse.
pub fn from_report_data(d: &[u8]) -> Option<Result<Plan, String>> {
    if d.len() < 8 + FP_PLAN_MAX || &d[..8] != FP_MAGIC {
        return None;
    }
    let field = &d[8..8 + FP_PLAN_MAX];
    let end = field.iter().position(|&b| b == 0).unwrap_or(FP_PLAN_MAX);
    Some(
        std::str::from_utf8(&field[..end])
            .map_err(|_| "plan string is not UTF-8".to_string())
            .and_then(|s| s.parse()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_display_round_trip() {
        for s in [
            "none",
            "busy:2",
            "busy-ms:500",
            "busy-forever",
            "invalid-len:4294967295",
            "invalid-len-plain",
            "invalid-len-then:0x16",
            "fw-error:0x27",
            "vmm-error:0x3",
            "vmgexit-fail",
            "no-ghcb",
            "drop",
            "replay",
            "tamper-aad:0x34",
            "tamper-tag:15",
            "tamper-ct",
            "seqno:+3",
            "seqno:0",
            "seqno:max",
            "wrong-type",
            "wrong-version",
            "oversize:65535",
            "scribble",
            "tamper-req",
            "short:0x20",
        ] {
            let p: Plan = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
        }
        assert_eq!("fw-error:1d".parse::<Plan>(), Ok(Plan::FwError(0x1d)));
        assert_eq!("short".parse::<Plan>(), Ok(Plan::Short(0x20)));
        assert_eq!("report-size:0".parse::<Plan>(), Ok(Plan::ReportSize(0)));
        assert!("report-size".parse::<Plan>().is_err());
        assert!("report-size:0x100000000".parse::<Plan>().is_err());
        assert!("tamper-aad:0x60".parse::<Plan>().is_err());
        assert!("tamper-tag:16".parse::<Plan>().is_err());
        assert!("drop:1".parse::<Plan>().is_err());
        assert!("busy".parse::<Plan>().is_err());
        assert!("busy-ms".parse::<Plan>().is_err());
        assert!("busy-ms:-1".parse::<Plan>().is_err());
        assert!("bogus".parse::<Plan>().is_err());
    }

    #[test]
    fn fault_data_round_trip() {
        for s in [
            "busy:3",
            "tamper-aad:0x5f",
            "invalid-len:2147483648",
            "none",
        ] {
            let d = fault_data(s).unwrap();
            assert_eq!(&d[..8], b"SEVSIMFP");
            assert!(d[8 + s.len()..].iter().all(|&b| b == 0));
            assert_eq!(from_report_data(&d), Some(Ok(s.parse().unwrap())));
        }
        assert_eq!(from_report_data(&[0u8; 64]), None);
        let mut d = fault_data("drop").unwrap();
        d[8] = b'x';
        assert!(matches!(from_report_data(&d), Some(Err(_))));
        assert!(fault_data("nope").is_err());
    }
}
