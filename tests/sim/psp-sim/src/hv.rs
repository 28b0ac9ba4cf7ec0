// SPDX-License-Identifier: GPL-2.0
//! The (hostile) hypervisor: turns one sevsim_request into one
//! sevsim_response, forwarding to the PSP model and applying fault plans.
//! Pure logic: no I/O besides the monitor's stderr line.

use crate::monitor::{self, Monitor};
use crate::msg::{self, Header, Page, HDR_SIZE, OFF_SEQNO, OFF_TYPE, OFF_VERSION};
use crate::plans::{self, Plan};
use crate::proto::{
    put16, put64, SevsimRequest, SevsimResponse, ACT_NO_GHCB, ACT_VMGEXIT_FAIL, F_SCRIBBLE,
    F_WRITE_CERTS, F_WRITE_RESP, PAGE_SIZE, VMM_ERR_BUSY, VMM_ERR_INVALID_LEN,
};
use crate::psp::{Forge, Psp, ReplyOpts};
use std::fmt;
use std::time::{Duration, Instant};

/// Which messages `--plan` applies to.
#[derive(Clone, Copy, Debug)]
pub struct PlanConfig {
    pub plan: Plan,
    /// Messages served normally before the plan starts.
    pub after: u64,
    /// At most this many messages get the plan.
    pub count: Option<u64>,
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            plan: Plan::None,
            after: 0,
            count: None,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub requests: u64,
    pub forwarded: u64,
    pub fw_errors: u64,
    pub faults: u64,
    pub iv_reuse: u64,
    /// BUSY answers given (busy, busy-ms and busy-forever plans).
    pub busy: u64,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "requests={} forwarded={} fw_errors={} faults={} iv_reuse={} busy={}",
            self.requests, self.forwarded, self.fw_errors, self.faults, self.iv_reuse, self.busy
        )
    }
}

/// One guest message (same vmpck, seqno and bytes), across resends and the
/// plain re-issue after INVALID_LEN.
struct MsgState {
    vmpck: u8,
    seqno: u64,
    digest: [u8; 32],
    plan: Plan,
    busy_sent: u32,
    /// When the platform first saw the message (busy-ms).
    first_seen: Instant,
}

pub struct Hv {
    psp: Psp,
    /// The certificate table, None with --no-certs.
    table: Option<Vec<u8>>,
    cfg: PlanConfig,
    messages: u64,
    planned: u64,
    cur: Option<MsgState>,
    last_genuine: [Option<Page>; 4],
    monitor: Monitor,
    stats: Stats,
}

/// The forgery an R13 plan asks for, its defaults resolved against the
/// request's header `req`; None for every other plan.
fn forge_of(plan: Plan, req: &Header) -> Option<Forge> {
    Some(match plan {
        // Default: the request's own type echoed back.
        Plan::ForgeType(t) => Forge::Type(t.unwrap_or(req.msg_type)),
        Plan::ForgeVersion(v) => Forge::Version(v.unwrap_or(req.msg_version.wrapping_add(1))),
        Plan::ForgeSize(n) => Forge::Size(n),
        Plan::ForgeSeqno(rule) => Forge::Seqno(rule.resolve(req.seqno)),
        Plan::ForgeHdrVersion(v) => Forge::HdrVersion(v),
        Plan::ForgeHdrSize(n) => Forge::HdrSize(n),
        Plan::ForgeAlgo(a) => Forge::Algo(a),
        // Default: the next VMPCK id, so the header names a key it was not sealed with.
        Plan::ForgeVmpck(id) => Forge::Vmpck(id.unwrap_or(req.vmpck.wrapping_add(1) % 4)),
        _ => return None,
    })
}

/// What happened to one request, for the log.
pub struct Handled {
    pub resp: SevsimResponse,
    pub line: String,
}

fn pages_for(len: usize) -> u64 {
    len.div_ceil(PAGE_SIZE) as u64
}

impl Hv {
    pub fn new(psp: Psp, table: Option<Vec<u8>>, cfg: PlanConfig) -> Hv {
        Hv {
            psp,
            table,
            cfg,
            messages: 0,
            planned: 0,
            cur: None,
            last_genuine: [None; 4],
            monitor: Monitor::default(),
            stats: Stats::default(),
        }
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    pub fn psp(&self) -> &Psp {
        &self.psp
    }

    /// Pages the certificate table needs (1 if there are no certificates).
    fn table_pages(&self) -> u64 {
        self.table.as_ref().map_or(1, |t| pages_for(t.len()))
    }

    /// Finds or starts the state of the message in `page`, choosing its plan.
    fn message(&mut self, page: &Page, now: Instant) -> (Plan, String) {
        let hdr = Header::parse(page);
        let digest = monitor::digest(page);
        if let Some(c) = &self.cur {
            if c.vmpck == hdr.vmpck && c.seqno == hdr.seqno && c.digest == digest {
                return (c.plan, String::new());
            }
        }
        let mut note = String::new();
        // Test-only oracle: the plan in a report request's REPORT_DATA.
        let fp = self.psp.peek(page).and_then(|(h, pt)| {
            (h.msg_type == msg::MSG_REPORT_REQ)
                .then(|| plans::from_report_data(&pt))
                .flatten()
        });
        let plan = match fp {
            Some(Ok(p)) => p,
            Some(Err(e)) => {
                note = format!(" bad-fault-data({e})");
                Plan::None
            }
            None if self.cfg.plan != Plan::None
                && self.messages >= self.cfg.after
                && self.cfg.count.is_none_or(|c| self.planned < c) =>
            {
                self.planned += 1;
                self.cfg.plan
            }
            None => Plan::None,
        };
        self.messages += 1;
        self.cur = Some(MsgState {
            vmpck: hdr.vmpck,
            seqno: hdr.seqno,
            digest,
            plan,
            busy_sent: 0,
            first_seen: now,
        });
        (plan, note)
    }

    /// Handles one request from the bridge.
    pub fn handle(&mut self, req: &SevsimRequest) -> Handled {
        self.handle_at(req, Instant::now())
    }

    /// Handles one request from the bridge arriving at `now` (time-based plans).
    pub fn handle_at(&mut self, req: &SevsimRequest, now: Instant) -> Handled {
        self.stats.requests += 1;
        let page = req.req_page;
        let hdr = Header::parse(&page);
        if self.monitor.observe(&page) {
            self.stats.iv_reuse += 1;
        }
        let (plan, note) = self.message(&page, now);
        let ext = req.is_ext();
        let mut status = None;
        let (resp, fired) = self.answer(req, plan, now, &mut status);
        if fired {
            self.stats.faults += 1;
        }
        if resp.hdr.exitinfo2 == VMM_ERR_BUSY {
            self.stats.busy += 1;
        }
        let h = &resp.hdr;
        let line = format!(
            "id={} {} npages={} vmpck={} seqno={} type={} ver={} plan={}{}{} -> action={} exitinfo2={:#x} rbx={:#x} flags={:#x} certs_len={} inband={}",
            req.id,
            if ext { "EXT" } else { "GUEST" },
            req.data_npages,
            hdr.vmpck,
            hdr.seqno,
            hdr.msg_type,
            hdr.msg_version,
            plan,
            if fired { "(applied)" } else { "" },
            note,
            h.action,
            h.exitinfo2,
            h.rbx,
            h.flags,
            h.certs_len,
            status.map_or("-".to_string(), |s: u32| format!("{s:#x}")),
        );
        Handled { resp, line }
    }

    /// The PSP step: Ok((genuine page, forged page if `forge`)) or
    /// Err(firmware status). The genuine page goes to the IV-reuse monitor
    /// whatever the plan does with it next: the PSP sealed it, so its IV is
    /// used even if the guest never gets it. A forgery is the attacker's
    /// message, not the guest's or the PSP's, and is not recorded.
    fn forward(
        &mut self,
        page: &Page,
        opts: ReplyOpts,
        forge: Option<Forge>,
    ) -> Result<(Page, Option<Page>), u32> {
        self.stats.forwarded += 1;
        let r = match forge {
            None => self.psp.handle_with(page, opts).map(|g| (g, None)),
            Some(f) => self
                .psp
                .handle_forged(page, opts, f)
                .map(|(g, x)| (g, Some(x))),
        };
        match &r {
            Ok((genuine, _)) => {
                if self.monitor.observe_response(genuine) {
                    self.stats.iv_reuse += 1;
                }
            }
            Err(_) => self.stats.fw_errors += 1,
        }
        r
    }

    /// Returns the response and whether the plan changed it.
    fn answer(
        &mut self,
        req: &SevsimRequest,
        plan: Plan,
        now: Instant,
        inband: &mut Option<u32>,
    ) -> (SevsimResponse, bool) {
        let id = req.id;
        let ext = req.is_ext();
        let invalid_len = |rbx: u64| {
            let mut r = SevsimResponse::complete(id, VMM_ERR_INVALID_LEN);
            r.hdr.rbx = rbx;
            r
        };
        match plan {
            Plan::Busy(k) => {
                let st = self.cur.as_mut().expect("message state");
                if st.busy_sent < k {
                    st.busy_sent += 1;
                    return (SevsimResponse::complete(id, VMM_ERR_BUSY), true);
                }
            }
            Plan::BusyMs(t) => {
                let st = self.cur.as_mut().expect("message state");
                if now.saturating_duration_since(st.first_seen) < Duration::from_millis(t.into()) {
                    st.busy_sent += 1;
                    return (SevsimResponse::complete(id, VMM_ERR_BUSY), true);
                }
            }
            Plan::BusyForever => return (SevsimResponse::complete(id, VMM_ERR_BUSY), true),
            Plan::InvalidLen(n) if ext => return (invalid_len(n), true),
            Plan::InvalidLenPlain if !ext => return (invalid_len(0), true),
            Plan::InvalidLenThen(_) if ext => return (invalid_len(self.table_pages()), true),
            Plan::InvalidLenThen(code) => return (SevsimResponse::complete(id, code), true),
            Plan::FwError(code) => return (SevsimResponse::complete(id, code), true),
            Plan::VmmError(code) => return (SevsimResponse::complete(id, code << 32), true),
            Plan::VmgexitFail => return (SevsimResponse::action(id, ACT_VMGEXIT_FAIL), true),
            Plan::NoGhcb => return (SevsimResponse::action(id, ACT_NO_GHCB), true),
            _ => {}
        }

        // Extended request with certificates: the guest must give enough pages.
        let certs = if ext { self.table.clone() } else { None };
        if let Some(t) = &certs {
            if (req.data_npages as u64) * (PAGE_SIZE as u64) < t.len() as u64 {
                return (invalid_len(pages_for(t.len())), false);
            }
        }

        let mut page = req.req_page;
        let mut fired = false;
        if plan == Plan::TamperReq {
            page[HDR_SIZE] ^= 0x01;
            fired = true;
        }
        let opts = match plan {
            Plan::Short(sz) => {
                fired = true;
                ReplyOpts {
                    short_msg_sz: Some(sz),
                    ..ReplyOpts::default()
                }
            }
            Plan::ReportSize(n) => {
                fired = true;
                ReplyOpts {
                    report_size: Some(n),
                    ..ReplyOpts::default()
                }
            }
            _ => ReplyOpts::default(),
        };
        let v = Header::parse(&page).vmpck as usize;
        let req_hdr = Header::parse(&req.req_page);
        let (genuine, forged) = match self.forward(&page, opts, forge_of(plan, &req_hdr)) {
            Ok(p) => p,
            Err(status) => {
                return (SevsimResponse::complete(id, status as u64), fired);
            }
        };
        *inband = self.inband_status(&genuine, v);
        let previous = self.last_genuine[v].replace(genuine);

        // A forgery goes out exactly as the genuine answer would have.
        fired |= forged.is_some();
        let mut out = forged.unwrap_or(genuine);
        let mut flags = F_WRITE_RESP;
        match plan {
            Plan::Drop => flags = 0,
            Plan::Replay => match previous {
                Some(p) => out = p,
                None => flags = 0,
            },
            Plan::TamperAad(off) | Plan::TamperTag(off) => out[off] ^= 0xFF,
            Plan::TamperCt => out[HDR_SIZE] ^= 0x01,
            Plan::Seqno(rule) => put64(&mut out, OFF_SEQNO, rule.resolve(req_hdr.seqno)),
            Plan::WrongType => {
                out[OFF_TYPE] = if out[OFF_TYPE] == msg::MSG_REPORT_RSP {
                    msg::MSG_KEY_RSP
                } else {
                    msg::MSG_REPORT_RSP
                }
            }
            Plan::WrongVersion => out[OFF_VERSION] = out[OFF_VERSION].wrapping_add(1),
            Plan::Oversize(sz) => put16(&mut out, msg::OFF_MSG_SZ, sz),
            Plan::Scribble => flags |= F_SCRIBBLE,
            _ => {}
        }
        fired |= matches!(
            plan,
            Plan::Drop
                | Plan::Replay
                | Plan::TamperAad(_)
                | Plan::TamperTag(_)
                | Plan::TamperCt
                | Plan::Seqno(_)
                | Plan::WrongType
                | Plan::WrongVersion
                | Plan::Oversize(_)
                | Plan::Scribble
        );
        let mut resp = SevsimResponse::complete(id, 0);
        resp.hdr.flags = flags;
        if flags & F_WRITE_RESP != 0 {
            resp.hdr.resp_page = out;
            if let Some(t) = certs {
                resp.set_certs(t);
            }
        }
        debug_assert!(resp.hdr.flags & F_WRITE_CERTS == 0 || ext);
        (resp, fired)
    }

    /// The in-band status of a genuine response (for the log).
    fn inband_status(&self, genuine: &Page, v: usize) -> Option<u32> {
        let pt = msg::open(self.psp.key(v), genuine)?;
        (pt.len() >= 4).then(|| u32::from_le_bytes(pt[..4].try_into().unwrap()))
    }
}
