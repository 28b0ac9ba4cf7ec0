// SPDX-License-Identifier: GPL-2.0

//! KUnit: every hostile host up to a bound.
//!
//! The fault cases of `engine_test.rs` each try one misbehaviour. Here every sequence of host
//! behaviour is tried, up to a bound: for each VMGEXIT the host picks one action from
//! [`ACTIONS`] (the genuine answer, BUSY, INVALID_LEN with sane and absurd page counts, a
//! firmware or VMM error, a failed VMGEXIT, an untouched response, a replayed or misdelivered
//! answer, a flipped tag byte, authentic forgeries), over a few consecutive requests of mixed
//! kinds (report, derived key, extended report with certificates), with the retry window
//! either open (BUSY means "send again") or closed (BUSY means time out), and from a fresh
//! counter or one two requests from exhaustion. After every request the invariants are
//! checked:
//!
//! - no (key, IV) pair sealed two different messages, in either direction, and every resend
//!   of a request was byte-identical (the fake firmware's monitor);
//! - at every VMGEXIT the stored counter was already past the exposed request and its answer;
//! - the key is wiped, or the stored counter equals the last sequence number the firmware
//!   used (so the next request is in step);
//! - the caller got success only with the genuine answer to its own request, and otherwise
//!   exactly the errno, `exitinfo2` and page count of [`expect`], the model of the fault
//!   matrix in `Documentation/faults.md`;
//! - after a wipe nothing more reaches the host.
//!
//! The bound (requests per sequence, scripted VMGEXITs per sequence) defaults to what `make
//! check` can afford; `sevguest_explore=<requests>,<exits>` on the kernel command line
//! (`scripts/kunit.sh` passes `KUNIT_EXPLORE`) raises it. A violation is printed as the
//! shortest reproducer found: the request kinds, the retry policy, the starting counter and
//! the script.

use kernel::macros::kunit_tests;

#[kunit_tests(sevguest_explore)]
mod tests {
    use crate::engine::{Engine, Failure, RetryPolicy};
    use crate::fake_fw::{fake_engine, FakeFw, Fault, Forgery, MemSecrets, CERT_TABLE_LEN};
    use crate::ghcb::{ExitCode, EXITINFO2_BUSY, EXITINFO2_INVALID_LEN, EXITINFO2_NO_FW_CALL};
    use crate::msg::MsgType;
    use kernel::error::{code::*, Result};
    use kernel::prelude::*;
    use kernel::time::Ktime;

    /// What the host may do at one VMGEXIT. `Fault::None` is the genuine answer.
    const ACTIONS: [Fault; 16] = [
        Fault::None,
        Fault::BusyForever,
        // Offered two pages: one is a lie, three a plausible ask, the rest absurd.
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

    /// The bound to explore: [`DEFAULT_BOUND`], or `sevguest_explore=<requests>,<exits>` from
    /// the kernel command line.
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
                b'0'..=b'9' => nums[i] = nums[i] * 10 + usize::from(c - b'0'),
                b',' if i == 0 => i = 1,
                _ => break,
            }
        }
        if nums[0] == 0 || nums[0] > MAX_REQUESTS || nums[1] > MAX_EXITS {
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
    /// `script` from entry `*pos` on (the genuine answer once the script is used up).
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
        let mut n = 0;
        loop {
            let act = script.get(*pos).copied().unwrap_or(Fault::None);
            *pos += 1;
            n += 1;
            match act {
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

    enum Ran {
        /// The script was used up and every invariant held.
        Held,
        /// The sequence ended before the script did: a shorter sequence covers it.
        Unused,
        /// An invariant broke at this request: which, what the request got and what the
        /// fault matrix prescribes.
        Broke(
            usize,
            &'static str,
            Result<(), Failure>,
            Result<(), Failure>,
        ),
    }

    fn retry(patient: bool) -> RetryPolicy {
        RetryPolicy {
            window_ms: if patient { u32::MAX } else { 0 },
            first_delay_ms: 0,
            max_delay_ms: 0,
        }
    }

    /// Sends one request of `kind`, tagged `tag`, and checks a successful answer is the
    /// genuine one to it.
    fn send(
        e: &mut Engine<FakeFw, MemSecrets>,
        kind: Kind,
        tag: u8,
        out: &mut [u8; 4000],
        certs: &mut [u8],
    ) -> (Result<(), Failure>, bool) {
        out.fill(0xaa);
        certs.fill(0xaa);
        let mut report = [0u8; 96];
        report[..64].fill(tag);
        let r = match kind {
            Kind::Report => e.send(
                ExitCode::GuestRequest,
                MsgType::ReportReq,
                1,
                &report,
                &mut out[..],
            ),
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
                &mut out[..],
                certs,
            ),
        };
        let genuine = match kind {
            Kind::Report | Kind::Ext => {
                out[..4] == [0; 4]
                    && out[0x20 + 0x50..0x20 + 0x90].iter().all(|&b| b == tag)
                    && (kind == Kind::Report
                        || (certs[..CERT_TABLE_LEN].iter().any(|&b| b != 0)
                            && certs[CERT_TABLE_LEN..].iter().all(|&b| b == 0)))
            }
            Kind::Key => (0..32).all(|i| out[0x20 + i] == tag ^ (i as u8)),
        };
        (r, genuine)
    }

    fn run(c: &Case<'_>, out: &mut [u8; 4000], certs: &mut [u8]) -> Result<Ran> {
        let mut e = fake_engine(0, c.start, retry(c.patient))?;
        e.hv().certs_pages = CERT_PAGES;
        e.hv().set_script(c.script)?;
        let (mut pos, mut wiped, mut counter) = (0usize, false, c.start);
        for (step, &kind) in c.kinds.iter().enumerate() {
            let want = expect(kind, c.script, &mut pos, wiped, counter, c.patient);
            let calls = e.hv().calls;
            let (got, genuine) = send(&mut e, kind, step as u8 + 1, out, certs);
            let broke = |what| Ok(Ran::Broke(step, what, got, want.result));
            let fw = e.hv();
            if fw.iv_reuse {
                return broke("a (key, IV) pair sealed two different messages");
            }
            if fw.counter_behind {
                return broke("the stored counter was behind an exposed request");
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
            if got.is_ok() && !genuine {
                return broke("success without the genuine answer");
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

    /// A violation, kept to be printed once the console is loud again.
    struct Violation {
        kinds: [Kind; MAX_REQUESTS],
        requests: usize,
        script: [Fault; MAX_EXITS],
        len: usize,
        patient: bool,
        start: u32,
        step: usize,
        what: &'static str,
        got: Result<(), Failure>,
        want: Result<(), Failure>,
    }

    impl Violation {
        fn print(&self) {
            pr_err!(
                "explore: shortest violation: at request {} of {:?}: {}\n",
                self.step + 1,
                &self.kinds[..self.requests],
                self.what
            );
            pr_err!(
                "explore:   retry window {}, stored counter {:#x}, host script {:?} (then genuine answers)\n",
                if self.patient { "open" } else { "closed" },
                self.start,
                &self.script[..self.len]
            );
            pr_err!(
                "explore:   the request got {:?}, the fault matrix says {:?}\n",
                self.got,
                self.want
            );
        }
    }

    #[derive(Default)]
    struct Tally {
        explored: u64,
        violations: u64,
        /// The shortest violating sequence found.
        shortest: Option<Violation>,
    }

    /// The longest script and request mix the command line may ask for.
    const MAX_EXITS: usize = 6;
    const MAX_REQUESTS: usize = 4;

    /// Explores every script extending `script[..len]` up to `max` entries, pruning a subtree
    /// as soon as every sequence ends before its script does (so do all its extensions).
    #[allow(clippy::too_many_arguments)]
    fn explore(
        kinds: &[Kind],
        script: &mut [Fault; MAX_EXITS],
        len: usize,
        max: usize,
        t: &mut Tally,
        out: &mut [u8; 4000],
        certs: &mut [u8],
    ) -> Result {
        // A script ending in the genuine answer runs exactly as the one without that entry.
        if len == 0 || script[len - 1] != Fault::None {
            let busy = script[..len].contains(&Fault::BusyForever);
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
                    match run(&c, out, certs)? {
                        Ran::Held => {
                            all_unused = false;
                            t.explored += 1;
                        }
                        Ran::Unused => (),
                        Ran::Broke(step, what, got, want) => {
                            all_unused = false;
                            t.explored += 1;
                            t.violations += 1;
                            if t.shortest.as_ref().map_or(true, |v| len < v.len) {
                                let mut k = [Kind::Report; MAX_REQUESTS];
                                k[..kinds.len()].copy_from_slice(kinds);
                                t.shortest = Some(Violation {
                                    kinds: k,
                                    requests: kinds.len(),
                                    script: *script,
                                    len,
                                    patient,
                                    start,
                                    step,
                                    what,
                                    got,
                                    want,
                                });
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
            explore(kinds, script, len + 1, max, t, out, certs)?;
        }
        Ok(())
    }

    /// Keeps the driver's messages off the console while it lives. The exploration wipes
    /// thousands of keys and the driver logs each wipe at `KERN_ALERT`: on the KUnit VM's
    /// serial console that is minutes of output. The messages still reach the log buffer.
    struct QuietConsole(i32);

    impl QuietConsole {
        fn new() -> Self {
            // SAFETY: `console_printk[0]` is `console_loglevel`, a plain `int` the kernel reads
            // without locking (as `sysctl kernel.printk` writes it); only this test writes it
            // while the suite runs.
            unsafe {
                let level = core::ptr::addr_of_mut!(kernel::bindings::console_printk).cast::<i32>();
                let old = level.read_volatile();
                // Only KERN_EMERG reaches the console.
                level.write_volatile(1);
                Self(old)
            }
        }
    }

    impl Drop for QuietConsole {
        fn drop(&mut self) {
            // SAFETY: As in `new`.
            unsafe {
                core::ptr::addr_of_mut!(kernel::bindings::console_printk)
                    .cast::<i32>()
                    .write_volatile(self.0)
            };
        }
    }

    #[test]
    fn no_host_script_up_to_the_bound_breaks_an_invariant() -> Result {
        let (requests, exits) = bound();
        let quiet = QuietConsole::new();
        let began = Ktime::ktime_get();
        let mut t = Tally::default();
        let mut out = KBox::new([0u8; 4000], GFP_KERNEL)?;
        let mut certs = KVec::from_elem(0u8, CERT_PAGES as usize * 4096, GFP_KERNEL)?;
        let mut kinds = [Kind::Report; MAX_REQUESTS];
        let mut script = [Fault::None; MAX_EXITS];
        // Every mix of `requests` kinds, as a number in base 3.
        for mix in 0..3usize.pow(requests as u32) {
            let mut m = mix;
            for k in kinds.iter_mut().take(requests) {
                *k = KINDS[m % 3];
                m /= 3;
            }
            explore(
                &kinds[..requests],
                &mut script,
                0,
                exits,
                &mut t,
                &mut out,
                &mut certs,
            )?;
        }
        let ms = kernel::time::ktime_ms_delta(Ktime::ktime_get(), began);
        drop(quiet);
        if let Some(v) = &t.shortest {
            v.print();
        }
        pr_info!(
            "explore: bound {} requests, {} scripted VMGEXITs, {} host actions, {} starting counters\n",
            requests,
            exits,
            ACTIONS.len(),
            STARTS.len()
        );
        pr_info!(
            "sequences explored: {}, violations: {} ({} ms)\n",
            t.explored,
            t.violations,
            ms
        );
        assert!(t.explored > 0);
        assert_eq!(t.violations, 0);
        Ok(())
    }
}
