// SPDX-License-Identifier: GPL-2.0

//! KUnit: every hostile host up to a bound.
//!
//! The fault cases of `engine_test.rs` each try one misbehaviour. Here every sequence of host
//! behaviour is tried, up to a bound: for each VMGEXIT the host picks one action from
//! [`ACTIONS`] (the genuine answer, BUSY, INVALID_LEN with sane and absurd page counts, a
//! firmware or VMM error, BUSY after rewriting the request page, a failed VMGEXIT, an untouched
//! response, a replayed answer, another
//! VMPL's answer, a flipped tag byte, authentic forgeries, or passing the request on and then
//! claiming BUSY, INVALID_LEN or an error), over consecutive requests of mixed kinds (report,
//! derived key, extended report with certificates), with the retry window either open (BUSY
//! means "send again") or closed (BUSY means time out), and from a fresh counter or one two
//! requests from exhaustion. After every request the invariants are checked:
//!
//! - no (key, IV) pair sealed two different messages, in either direction, and every resend
//!   of a request was byte-identical (the fake firmware's monitor, which saw every VMGEXIT);
//! - at every VMGEXIT the stored counter was already past the exposed request and its answer;
//! - the key is wiped, or the stored counter equals the last sequence number the firmware
//!   used (so the next request is in step);
//! - the caller got success only with the genuine answer to its own request (its REPORT_DATA
//!   or key field, and this answer's certificates), and otherwise exactly the errno,
//!   `exitinfo2` and page count of [`expect`] (the model of the fault matrix in
//!   `Documentation/faults.md`), with exactly the VMGEXITs it prescribes and nothing written to
//!   the caller's buffer;
//! - after a wipe nothing more reaches the host;
//! - no opened answer (a derived key, say) lingers in the engine's private buffer.
//!
//! One test case per pair of first two request kinds (KUnit gives each case at most 300 s);
//! the last case prints the totals. The bound (requests per sequence, scripted VMGEXITs per
//! sequence) defaults to what `make check` can afford; `sevguest_explore=<requests>,<exits>`
//! on the kernel command line (`scripts/kunit.sh` passes `KUNIT_EXPLORE`) raises it. The
//! shortest violating sequence of a case is printed as a reproducer: the requests up to the
//! one that broke, the retry window, the starting counter, the script entries used, what the
//! request got and what the fault matrix says.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_explore)]
mod tests {
    use crate::engine::{Engine, Failure, RetryPolicy, MUTED};
    use crate::fake_fw::{
        cert_table, fake_engine, FakeFw, Fault, Forgery, Lie, MemSecrets, CERT_TABLE_LEN,
    };
    use crate::ghcb::{ExitCode, EXITINFO2_BUSY, EXITINFO2_INVALID_LEN, EXITINFO2_NO_FW_CALL};
    use crate::msg::MsgType;
    use core::sync::atomic::{AtomicU64, Ordering};
    use kernel::error::{code::*, Result};
    use kernel::prelude::*;
    use kernel::time::{ktime_ms_delta, Ktime};

    /// What the host may do at one VMGEXIT. `Fault::None` is the genuine answer.
    const ACTIONS: [Fault; 20] = [
        Fault::None,
        Fault::BusyForever,
        // BUSY, after changing a ciphertext byte of the request page.
        Fault::TamperThenBusy(0x70, 0xff),
        // Offered two pages: one is a lie, three a plausible ask, the last absurd.
        Fault::InvalidLenAny(1),
        Fault::InvalidLenAny(3),
        Fault::InvalidLenAny(u64::MAX),
        Fault::Error(0x16),
        Fault::Error(3 << 32),
        Fault::NoCall,
        Fault::Drop,
        Fault::Replay,
        Fault::Misroute,
        // Byte 0 of the response page is the first byte of the tag.
        Fault::Flip(0, 0x01),
        Fault::Forge(Forgery::MsgType(0)),
        Fault::Forge(Forgery::MsgSeqno(0)),
        Fault::Forge(Forgery::MsgSz(0)),
        Fault::Forge(Forgery::MsgVmpck(1)),
        Fault::ServedThen(Lie::Busy),
        Fault::ServedThen(Lie::InvalidLen(3)),
        Fault::ServedThen(Lie::Error(0x27)),
    ];

    /// The kinds of request a sequence mixes.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Kind {
        Report,
        Key,
        /// An extended report offering two certificate pages (the host has two).
        Ext,
    }

    const KINDS: [Kind; 3] = [Kind::Report, Kind::Key, Kind::Ext];

    /// Stored counters to start from: fresh, and two requests from exhaustion (the second
    /// request is refused before exposure, the key kept).
    const STARTS: [u32; 2] = [0, 0xffff_fffc];

    /// The host's certificate pages, and what extended requests offer.
    const CERT_PAGES: u32 = 2;

    /// The bound: requests per sequence, scripted VMGEXITs per sequence.
    const DEFAULT_BOUND: (usize, usize) = (2, 2);
    const MAX_REQUESTS: usize = 4;
    const MAX_EXITS: usize = 6;

    /// The firmware's status for a request on a sequence number it has already used.
    const FW_BAD_SEQNO: u64 = 0x16;

    /// The bound to explore: [`DEFAULT_BOUND`], or `sevguest_explore=<requests>,<exits>` from
    /// the kernel command line (2 to 4 requests, at most 6 exits).
    fn bound() -> (usize, usize) {
        // SAFETY: `saved_command_line` is set up before any initcall runs and never freed; it
        // is a NUL-terminated string.
        let line =
            unsafe { kernel::str::CStr::from_char_ptr(kernel::bindings::saved_command_line) };
        let line = line.as_bytes();
        let key = b"sevguest_explore=";
        let Some(at) = line.windows(key.len()).position(|w| w == key) else {
            return DEFAULT_BOUND;
        };
        let mut nums = [0usize; 2];
        let mut i = 0;
        for &c in &line[at + key.len()..] {
            match c {
                b'0'..=b'9' => {
                    nums[i] = match nums[i].checked_mul(10) {
                        Some(n) => n + usize::from(c - b'0'),
                        None => return DEFAULT_BOUND,
                    }
                }
                b',' if i == 0 => i = 1,
                _ => break,
            }
        }
        if i != 1 || !(2..=MAX_REQUESTS).contains(&nums[0]) || nums[1] > MAX_EXITS {
            pr_err!("explore: ignoring malformed sevguest_explore=, want <2..4>,<0..6>\n");
            return DEFAULT_BOUND;
        }
        (nums[0], nums[1])
    }

    /// What one request must end with.
    struct Expect {
        result: Result<(), Failure>,
        /// VMGEXITs it takes (resends and the plain re-issue included).
        exposures: u32,
        /// Whether it wipes the key.
        wipes: bool,
    }

    fn fails(err: Error, exitinfo2: u64, exposures: u32) -> Expect {
        Expect {
            result: Err(Failure {
                err,
                exitinfo2: Some(exitinfo2),
                certs_npages: None,
            }),
            exposures,
            wipes: true,
        }
    }

    /// The fault matrix as a model: what a request of `kind` must get when the host acts by
    /// `script` from entry `*pos` on (the genuine answer once the script is used up), with
    /// `counter` stored.
    fn expect(
        kind: Kind,
        script: &[Fault],
        pos: &mut usize,
        wiped: bool,
        counter: u32,
        patient: bool,
    ) -> Expect {
        if wiped {
            return Expect {
                result: Err(ENOTTY.into()),
                exposures: 0,
                wipes: false,
            };
        }
        if u64::from(counter) + 1 >= u64::from(u32::MAX) {
            return Expect {
                result: Err(EIO.into()),
                exposures: 0,
                wipes: false,
            };
        }
        let mut extended = kind == Kind::Ext;
        let mut asked: Option<u64> = None;
        // Whether the firmware has used this request's sequence number, and whether its
        // answer sits in the response page (the engine clears the page only before the first
        // exposure: a resend finds what the firmware wrote).
        let mut consumed = false;
        let mut answered = false;
        let mut n = 0;
        loop {
            let act = script.get(*pos).copied().unwrap_or(Fault::None);
            *pos += 1;
            n += 1;
            // What the host claims at this VMGEXIT.
            let claim = match act {
                Fault::ServedThen(lie) => {
                    answered |= !consumed;
                    consumed = true;
                    match lie {
                        Lie::Busy => Fault::BusyForever,
                        Lie::InvalidLen(npages) => Fault::InvalidLenAny(npages),
                        Lie::Error(e) => Fault::Error(e),
                    }
                }
                // The engine writes the sealed request again before every send.
                Fault::TamperThenBusy(..) => Fault::BusyForever,
                // "Done" without passing it on: the firmware's earlier answer is still there.
                Fault::Drop if answered => Fault::None,
                // Passed on again, the firmware refuses a sequence number it has used.
                Fault::None
                | Fault::Replay
                | Fault::Misroute
                | Fault::Flip(..)
                | Fault::Forge(_)
                    if consumed =>
                {
                    return fails(EIO, FW_BAD_SEQNO, n)
                }
                other => other,
            };
            match claim {
                Fault::BusyForever if patient => continue,
                Fault::BusyForever => return fails(ETIMEDOUT, EXITINFO2_BUSY, n),
                // The re-issue answered genuinely: the firmware consumed the sequence number,
                // the host's page count is reported raw. (Any other answer to the re-issue
                // fails as below: it does not show the firmware consumed it.)
                Fault::None if asked.is_some() => {
                    return Expect {
                        result: Err(Failure {
                            err: EIO,
                            exitinfo2: Some(EXITINFO2_INVALID_LEN),
                            certs_npages: asked,
                        }),
                        exposures: n,
                        wipes: false,
                    }
                }
                Fault::None => {
                    return Expect {
                        result: Ok(()),
                        exposures: n,
                        wipes: false,
                    }
                }
                // Too small a certificate buffer: the same bytes go again as a plain request.
                Fault::InvalidLenAny(npages) if extended => {
                    extended = false;
                    asked = Some(npages);
                }
                // INVALID_LEN on a plain request (or the re-issue) is an error.
                Fault::InvalidLenAny(_) => return fails(EIO, EXITINFO2_INVALID_LEN, n),
                Fault::Error(e) => return fails(EIO, e, n),
                Fault::NoCall => return fails(EIO, EXITINFO2_NO_FW_CALL, n),
                // Whatever fails to authenticate as the answer to this request.
                _ => return fails(EBADMSG, 0, n),
            }
        }
    }

    /// One sequence to explore.
    struct Case<'a> {
        kinds: &'a [Kind],
        script: &'a [Fault],
        patient: bool,
        start: u32,
    }

    /// A violation, kept to be printed once the engine speaks again.
    struct Violation {
        /// The requests up to the one that broke an invariant.
        kinds: [Kind; MAX_REQUESTS],
        requests: usize,
        /// The script entries used until then.
        script: [Fault; MAX_EXITS],
        len: usize,
        patient: bool,
        start: u32,
        what: &'static str,
        got: Result<(), Failure>,
        want: Result<(), Failure>,
    }

    impl Violation {
        fn print(&self) {
            pr_err!(
                "explore: shortest violation: requests {:?}, the last one: {}\n",
                &self.kinds[..self.requests],
                self.what
            );
            pr_err!(
                "explore:   retry window {}, stored counter {:#x}, host script {:?} (then genuine)\n",
                if self.patient { "open" } else { "closed" },
                self.start,
                &self.script[..self.len]
            );
            pr_err!(
                "explore:   it got {:?}, the fault matrix says {:?}\n",
                self.got,
                self.want
            );
        }

        /// Shorter is simpler: fewer script entries, then fewer requests.
        fn shorter_than(&self, other: &Self) -> bool {
            (self.len, self.requests) < (other.len, other.requests)
        }
    }

    enum Ran {
        /// The script was used up and every invariant held.
        Held,
        /// The sequence ended, or broke an invariant, before its script was used up: the
        /// prefix it used is explored (and counted) on its own.
        Unused,
        /// An invariant broke.
        Broke(Violation),
    }

    fn retry(patient: bool) -> RetryPolicy {
        RetryPolicy {
            window_ms: if patient { u32::MAX } else { 0 },
            first_delay_ms: 0,
            max_delay_ms: 0,
        }
    }

    /// The caller's buffers, allocated once.
    struct Buffers {
        out: KBox<[u8; 4000]>,
        certs: KVec<u8>,
        /// The certificate table expected with an answer.
        table: KVec<u8>,
    }

    impl Buffers {
        fn new() -> Result<Self> {
            Ok(Self {
                out: KBox::new([0u8; 4000], GFP_KERNEL)?,
                certs: KVec::from_elem(0u8, CERT_PAGES as usize * 4096, GFP_KERNEL)?,
                table: KVec::from_elem(0u8, CERT_TABLE_LEN, GFP_KERNEL)?,
            })
        }
    }

    /// What one request came back with.
    struct Sent {
        result: Result<(), Failure>,
        /// The answer is the genuine one to this request (its REPORT_DATA or key field, and
        /// the certificates given with answer `stamp`).
        genuine: bool,
        /// Nothing of an answer reached the caller's response buffer.
        untouched: bool,
    }

    /// Sends one request of `kind` whose data is `tag`, and looks at what came back.
    fn send(
        e: &mut Engine<FakeFw, MemSecrets>,
        kind: Kind,
        tag: u8,
        stamp: u8,
        b: &mut Buffers,
    ) -> Sent {
        b.out.fill(0xaa);
        b.certs.fill(0xaa);
        let mut report = [0u8; 96];
        report[..64].fill(tag);
        let out = &mut b.out[..];
        let result = match kind {
            Kind::Report => e.send(ExitCode::GuestRequest, MsgType::ReportReq, 1, &report, out),
            Kind::Key => e.send(
                ExitCode::GuestRequest,
                MsgType::KeyReq,
                1,
                &[tag; 32],
                &mut out[..64],
            ),
            Kind::Ext => e.send_with_certs(
                ExitCode::ExtGuestRequest,
                MsgType::ReportReq,
                1,
                &report,
                out,
                &mut b.certs,
            ),
        };
        let out = &b.out[..];
        let genuine = match kind {
            Kind::Report => {
                out[..4] == [0; 4] && out[0x20 + 0x50..0x20 + 0x90].iter().all(|&x| x == tag)
            }
            Kind::Ext => {
                cert_table(stamp, &mut b.table);
                out[..4] == [0; 4]
                    && out[0x20 + 0x50..0x20 + 0x90].iter().all(|&x| x == tag)
                    && b.certs[..CERT_TABLE_LEN] == b.table[..]
                    && b.certs[CERT_TABLE_LEN..].iter().all(|&x| x == 0)
            }
            Kind::Key => (0..32).all(|i| out[0x20 + i] == tag ^ (i as u8)),
        };
        let untouched = out.iter().all(|&x| x == 0xaa) || out.iter().all(|&x| x == 0);
        Sent {
            result,
            genuine,
            untouched,
        }
    }

    fn run(c: &Case<'_>, b: &mut Buffers) -> Result<Ran> {
        let mut e = fake_engine(0, c.start, retry(c.patient))?;
        e.hv().certs_pages = CERT_PAGES;
        e.hv().set_script(c.script)?;
        let (mut pos, mut wiped, mut counter) = (0usize, false, c.start);
        for (step, &kind) in c.kinds.iter().enumerate() {
            let want = expect(kind, c.script, &mut pos, wiped, counter, c.patient);
            let calls = e.hv().calls;
            // The answer's sequence number, which the host's certificates carry.
            let stamp = counter.wrapping_add(2) as u8;
            let sent = send(&mut e, kind, step as u8 + 1, stamp, b);
            let used = e.hv().script_used;
            let got = sent.result;
            let broke = |what| {
                if used < c.script.len() {
                    return Ok(Ran::Unused);
                }
                let mut v = Violation {
                    kinds: [Kind::Report; MAX_REQUESTS],
                    requests: step + 1,
                    script: [Fault::None; MAX_EXITS],
                    len: used,
                    patient: c.patient,
                    start: c.start,
                    what,
                    got,
                    want: want.result,
                };
                v.kinds[..=step].copy_from_slice(&c.kinds[..=step]);
                v.script[..used].copy_from_slice(&c.script[..used]);
                Ok(Ran::Broke(v))
            };
            let fw = e.hv();
            if fw.iv_reuse {
                return broke("a (key, IV) pair sealed two different messages");
            }
            if fw.counter_behind {
                return broke("the stored counter was behind an exposed request");
            }
            if fw.counter_checks != fw.calls {
                return broke("the firmware's monitor missed a VMGEXIT");
            }
            if fw.calls - calls != want.exposures {
                return broke(if wiped {
                    "a request reached the host after the wipe"
                } else {
                    "VMGEXIT count differs from the fault matrix"
                });
            }
            if got != want.result {
                return broke("errno/exitinfo2 differ from the fault matrix");
            }
            if got.is_ok() && !sent.genuine {
                return broke("success without the genuine answer");
            }
            if got.is_err() && !sent.untouched {
                return broke("a failed request wrote to the caller's buffer");
            }
            if !e.private_answer_cleared() {
                return broke("an opened answer lingers in the engine's private buffer");
            }
            if want.exposures > 0 {
                counter += 2;
            }
            wiped |= want.wipes;
            if e.is_disabled() != wiped || e.key_in_secrets_page()? == wiped {
                return broke("key wiped (or kept) against the fault matrix");
            }
            if !wiped && (e.counter()? != counter || u64::from(counter) != e.hv().last_seqno(0)) {
                return broke("key kept but the stored counter is out of step with the firmware");
            }
        }
        Ok(if e.hv().script_used < c.script.len() {
            Ran::Unused
        } else {
            Ran::Held
        })
    }

    #[derive(Default)]
    struct Tally {
        explored: u64,
        violations: u64,
        shortest: Option<Violation>,
    }

    /// Explores every script extending `script[..len]` up to `max` entries, pruning a subtree
    /// as soon as every sequence ends before its script does (so do all its extensions).
    fn explore(
        kinds: &[Kind],
        script: &mut [Fault; MAX_EXITS],
        len: usize,
        max: usize,
        t: &mut Tally,
        b: &mut Buffers,
    ) -> Result {
        // A script ending in the genuine answer runs exactly as the one without that entry.
        if len == 0 || script[len - 1] != Fault::None {
            let busy = script[..len].iter().any(|f| {
                matches!(
                    f,
                    Fault::BusyForever | Fault::TamperThenBusy(..) | Fault::ServedThen(Lie::Busy)
                )
            });
            let mut all_unused = true;
            for start in STARTS {
                for patient in [true, false] {
                    if !patient && !busy {
                        continue;
                    }
                    let c = Case {
                        kinds,
                        script: &script[..len],
                        patient,
                        start,
                    };
                    match run(&c, b)? {
                        Ran::Held => {
                            all_unused = false;
                            t.explored += 1;
                        }
                        Ran::Unused => (),
                        Ran::Broke(v) => {
                            all_unused = false;
                            t.explored += 1;
                            t.violations += 1;
                            if t.shortest.as_ref().map_or(true, |s| v.shorter_than(s)) {
                                t.shortest = Some(v);
                            }
                        }
                    }
                }
            }
            if all_unused {
                return Ok(());
            }
        }
        if len == max {
            return Ok(());
        }
        for act in ACTIONS {
            script[len] = act;
            explore(kinds, script, len + 1, max, t, b)?;
        }
        Ok(())
    }

    /// Mutes the engine while it lives: the exploration wipes thousands of keys, and each
    /// wipe is logged at `KERN_ALERT`, minutes of output on the KUnit VM's serial console.
    struct Muted;

    impl Muted {
        fn new() -> Self {
            MUTED.store(true, Ordering::Relaxed);
            Self
        }
    }

    impl Drop for Muted {
        fn drop(&mut self) {
            MUTED.store(false, Ordering::Relaxed);
        }
    }

    /// The whole suite's figures, added up case by case.
    static EXPLORED: AtomicU64 = AtomicU64::new(0);
    static VIOLATIONS: AtomicU64 = AtomicU64::new(0);
    static MILLIS: AtomicU64 = AtomicU64::new(0);
    static CASES: AtomicU64 = AtomicU64::new(0);

    /// Explores every request mix that starts with `first`; returns the sequences explored and
    /// the violations found.
    fn explore_from(first: [Kind; 2]) -> Result<(u64, u64)> {
        let (requests, exits) = bound();
        let mut t = Tally::default();
        let mut b = Buffers::new()?;
        let mut kinds = [Kind::Report; MAX_REQUESTS];
        kinds[..2].copy_from_slice(&first);
        let mut script = [Fault::None; MAX_EXITS];
        let began = Ktime::ktime_get();
        let muted = Muted::new();
        // Every mix of the other requests' kinds, as a number in base 3.
        for mix in 0..3usize.pow((requests - 2) as u32) {
            let mut m = mix;
            for k in kinds[2..requests].iter_mut() {
                *k = KINDS[m % 3];
                m /= 3;
            }
            explore(&kinds[..requests], &mut script, 0, exits, &mut t, &mut b)?;
        }
        drop(muted);
        let ms = ktime_ms_delta(Ktime::ktime_get(), began);
        if let Some(v) = &t.shortest {
            v.print();
        }
        pr_info!(
            "explore: {:?} first, bound {},{}: {} sequences, {} violations ({} ms)\n",
            first,
            requests,
            exits,
            t.explored,
            t.violations,
            ms
        );
        EXPLORED.fetch_add(t.explored, Ordering::Relaxed);
        VIOLATIONS.fetch_add(t.violations, Ordering::Relaxed);
        MILLIS.fetch_add(ms.max(0) as u64, Ordering::Relaxed);
        CASES.fetch_add(1, Ordering::Relaxed);
        Ok((t.explored, t.violations))
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_report_report() -> Result {
        let (explored, violations) = explore_from([Kind::Report, Kind::Report])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_report_key() -> Result {
        let (explored, violations) = explore_from([Kind::Report, Kind::Key])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_report_ext() -> Result {
        let (explored, violations) = explore_from([Kind::Report, Kind::Ext])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_key_report() -> Result {
        let (explored, violations) = explore_from([Kind::Key, Kind::Report])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_key_key() -> Result {
        let (explored, violations) = explore_from([Kind::Key, Kind::Key])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_key_ext() -> Result {
        let (explored, violations) = explore_from([Kind::Key, Kind::Ext])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_ext_report() -> Result {
        let (explored, violations) = explore_from([Kind::Ext, Kind::Report])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_ext_key() -> Result {
        let (explored, violations) = explore_from([Kind::Ext, Kind::Key])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn no_hostile_host_breaks_an_invariant_from_ext_ext() -> Result {
        let (explored, violations) = explore_from([Kind::Ext, Kind::Ext])?;
        assert!(explored > 0);
        assert_eq!(violations, 0);
        Ok(())
    }

    #[test]
    fn every_request_mix_was_explored() {
        let (requests, exits) = bound();
        pr_info!(
            "explore: bound {},{} (requests, VMGEXITs), {} actions, {} counters, {} cases\n",
            requests,
            exits,
            ACTIONS.len(),
            STARTS.len(),
            CASES.load(Ordering::Relaxed)
        );
        pr_info!(
            "sequences explored: {}, violations: {} ({} ms)\n",
            EXPLORED.load(Ordering::Relaxed),
            VIOLATIONS.load(Ordering::Relaxed),
            MILLIS.load(Ordering::Relaxed)
        );
        assert_eq!(CASES.load(Ordering::Relaxed), 9);
        assert_eq!(VIOLATIONS.load(Ordering::Relaxed), 0);
    }
}
