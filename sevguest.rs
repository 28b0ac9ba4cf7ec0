// SPDX-License-Identifier: GPL-2.0

//! AMD SEV-SNP guest driver (`/dev/sev-guest`), in Rust.
//!
//! The Rust twin of `drivers/virt/coco/sev-guest/sev-guest.c`: the same platform device, misc
//! device, ioctl ABI, module parameter and errno conventions, with the C driver's weak points
//! closed (see `Documentation/virt/coco/sevguest.rst`). The files, in the order a reviewer
//! might read them: [`msg`] (the wire format), [`engine`] (one request, from sealing to the
//! verified answer), [`crypto`] (AES-256-GCM), [`ghcb`] (the hypervisor boundary), [`secrets`]
//! (the VMPCK and its counter), and this file (probe, the device, the ioctls).

use core::mem::size_of;
use engine::{Engine, RetryPolicy};
use ghcb::{ExitCode, Ghcb, Hypervisor};
use kernel::{
    bindings, c_str,
    cc_platform::{self, Attr},
    fs::File,
    mem_encrypt::EncryptedMapping,
    miscdevice::{MiscDevice, MiscDeviceOptions, MiscDeviceRegistration},
    new_mutex,
    page::PAGE_SIZE,
    platform,
    prelude::*,
    sync::{Arc, ArcBorrow, Mutex},
    tsm,
    types::{AsBytes, FromBytes},
    uaccess::UserSlice,
};
use msg::{
    MsgType, SnpDerivedKeyReq, SnpDerivedKeyResp, SnpExtReportReq, SnpGuestRequestIoctl,
    SnpReportReq, SnpReportResp,
};
use secrets::{Secrets, SecretsPage, VmpckId};

mod crypto;
mod engine;
mod ghcb;
mod msg;
mod secrets;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/msg_test.rs"]
mod msg_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/module_test.rs"]
mod module_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/crypto_test.rs"]
mod crypto_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/gcm_vectors.rs"]
mod gcm_vectors;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/ghcb_test.rs"]
mod ghcb_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/fake_fw.rs"]
mod fake_fw;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/engine_test.rs"]
mod engine_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/explore_test.rs"]
mod explore_test;

#[cfg(CONFIG_SEV_GUEST_RUST_KUNIT_TEST)]
#[path = "tests/kunit/ioctl_test.rs"]
mod ioctl_test;

module! {
    type: SevGuestModule,
    name: "sevguest",
    author: "sevguest developers",
    description: "AMD SEV-SNP guest driver (Rust)",
    license: "GPL",
    alias: ["platform:sev-guest"],
    params: {
        vmpck_id: i32 {
            default: crate::VMPCK_ID_UNSET,
            permissions: 0o444,
            description: "The VMPCK ID to use when communicating with the PSP.",
        },
    },
}

/// The module: the platform driver's registration.
///
/// Field order is drop order: the driver is unregistered (its device's teardown done) before
/// the unload message is logged.
#[pin_data]
struct SevGuestModule {
    #[pin]
    driver: platform::Registration<SevGuestDriver>,
    unloaded: UnloadMessage,
}

/// Logs "unloaded" when dropped: the module's last field.
struct UnloadMessage;

impl Drop for UnloadMessage {
    fn drop(&mut self) {
        pr_info!("unloaded\n");
    }
}

impl kernel::InPlaceModule for SevGuestModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pr_info!(
            "loaded: guest message {} bytes (header {}, payload {}), AAD {:#x}..{:#x}, \
             vmpck_id={}, SEV-SNP guest: {}\n",
            msg::SNP_GUEST_MSG_SIZE,
            size_of::<msg::SnpGuestMsgHdr>(),
            msg::SNP_GUEST_MSG_PAYLOAD_SIZE,
            msg::AAD_RANGE.start,
            msg::AAD_RANGE.end,
            module_parameters::vmpck_id.get(),
            if cc_platform::has(Attr::GuestSevSnp) {
                "yes"
            } else if simulated_platform() {
                "no (simulated platform, testing only)"
            } else {
                "no"
            },
        );
        try_pin_init!(Self {
            driver <- platform::Registration::register(module),
            unloaded: UnloadMessage,
        })
    }
}

/// The driver bound to the `sev-guest` platform device that x86 creates in an SEV-SNP guest.
///
/// Field order is teardown order: the configfs-tsm provider goes first (unregistering it waits
/// for a report being generated, so none can run into a device being torn down: the C driver
/// frees its buffers under one), then the misc device, which has no open file by then (an open
/// file pins the module). The device state goes with the last reference to it.
#[pin_data]
struct SevGuestDriver {
    /// The configfs-tsm provider; unregistering it waits for a report being generated.
    #[pin]
    tsm: tsm::Registration<SnpTsm>,
    #[pin]
    misc: MiscDeviceRegistration<SevGuestMisc>,
}

impl platform::Driver for SevGuestDriver {
    const NAME: &'static CStr = c_str!("sev-guest");
    /// No unbinding through sysfs: the driver data (the misc device) then lives until the module
    /// is unloaded, which an open `/dev/sev-guest` prevents (C: `module_platform_driver_probe`).
    const SUPPRESS_BIND_ATTRS: bool = true;

    fn probe(pdev: &mut platform::Device) -> Result<Pin<KBox<Self>>> {
        if !cc_platform::has(Attr::GuestSevSnp) && !simulated_platform() {
            return Err(ENODEV);
        }
        // SAFETY: The device is named "sev-guest" (others are refused), and its creators,
        // arch/x86/coco/sev/core.c (and in test kernels the simulated platform's bridge,
        // tests/sim/sevsim.c), attach a `sev_guest_platform_data` that lives as long.
        let data = unsafe { pdev.platform_data::<bindings::sev_guest_platform_data>() };
        let data = data.ok_or(ENODEV)?;
        // SAFETY: `secrets_gpa` is the secrets page the platform (the firmware at launch, or in
        // test kernels the simulated platform's reserved page) handed to this device for its
        // driver's use; it is never freed.
        let secrets = unsafe { EncryptedMapping::new(data.secrets_gpa, PAGE_SIZE) };
        let secrets = secrets.map_err(|_| {
            pr_err!("Failed to map the secrets page\n");
            ENODEV
        })?;
        let id = vmpck_id()?;
        let engine = Engine::new(Ghcb, Secrets::new(secrets, id), RetryPolicy::DEFAULT)?;
        let state = Arc::pin_init(SnpDeviceState::new(engine)?, GFP_KERNEL)?;
        let provider = SnpTsm {
            state: state.clone(),
            floor: u32::from(id.get()),
        };
        let this = KBox::try_pin_init(
            try_pin_init!(Self {
                // `privlevel_floor` is the VMPCK in use, as in C: a guest at VMPL n cannot ask
                // for a report of a more privileged level.
                tsm <- tsm::Registration::register(c_str!("sev_guest"), provider.floor, provider),
                // The registration lives in this driver data, dropped only when the driver is
                // unregistered at module exit: sysfs cannot unbind it (`SUPPRESS_BIND_ATTRS`),
                // the arch code never unregisters the `sev-guest` device, and the simulated
                // platform's bridge cannot be unloaded while a driver is bound to its device.
                // SAFETY: So it is dropped at module exit, which cannot happen while the device
                // is open: its file operations are owned by this module.
                misc <- unsafe {
                    MiscDeviceRegistration::register(
                        MiscDeviceOptions {
                            name: c_str!("sev-guest"),
                        },
                        &THIS_MODULE,
                        state,
                    )
                },
            }),
            GFP_KERNEL,
        )?;
        pr_info!(
            "Initialized SEV guest driver (using VMPCK{} communication key)\n",
            id.get()
        );
        Ok(this)
    }
}

/// Whether the simulated SEV-SNP platform (`CONFIG_SEV_GUEST_SIM`, test kernels only) stands
/// in for the hypervisor and the PSP, so that the driver runs in a guest without SNP hardware.
#[cfg(CONFIG_SEV_GUEST_SIM)]
fn simulated_platform() -> bool {
    // SAFETY: No arguments; it only reads whether an emulator is registered.
    unsafe { bindings::snp_sim_active() }
}

#[cfg(not(CONFIG_SEV_GUEST_SIM))]
fn simulated_platform() -> bool {
    false
}

/// The `vmpck_id` parameter's default: not set, use the key of the VMPL the guest runs at.
pub(crate) const VMPCK_ID_UNSET: i32 = -1;

/// The VMPCK to use: the `vmpck_id` parameter, or by default the key of the VMPL the guest runs
/// at (`snp_vmpl`), as in the C driver.
fn vmpck_id() -> Result<VmpckId> {
    // SAFETY: `snp_vmpl` is set during early boot and only read afterwards.
    let vmpl = unsafe { core::ptr::addr_of!(bindings::snp_vmpl).read() };
    select_vmpck(module_parameters::vmpck_id.get(), vmpl)
}

/// The VMPCK for parameter value `param` in a guest running at VMPL `vmpl`: `param` itself
/// (0 to 3), or the VMPL's own key when `param` is [`VMPCK_ID_UNSET`]; anything else is refused.
pub(crate) fn select_vmpck(param: i32, vmpl: u8) -> Result<VmpckId> {
    let id = if param == VMPCK_ID_UNSET {
        i64::from(vmpl)
    } else {
        i64::from(param)
    };
    VmpckId::new(id).inspect_err(|_| pr_err!("Invalid VMPCK{} communication key\n", id))
}

/// What `/dev/sev-guest` and the configfs-tsm provider serve: the request engine.
#[pin_data]
pub(crate) struct DeviceState<H: Hypervisor, S: SecretsPage> {
    /// Serialises guest requests. Owns the engine: the shared pages, the private buffers, the
    /// cipher, the counter and the key are reachable only with this lock held, and it is held
    /// only to seal, send, verify and take the private snapshot of one request. No user memory
    /// is touched under it (a caller stalled on its own page would stall every attester), and
    /// it is waited for killably.
    #[pin]
    engine: Mutex<Engine<H, S>>,
    /// The configfs-tsm provider's staging buffers: report generation touches no user memory
    /// (configfs copies the blobs out after it returns).
    #[pin]
    tsm_staging: Mutex<Staging>,
}

/// The buffers an answer passes through on its way out of the engine, allocated before any
/// request (per open file for the ioctls, at probe for configfs-tsm) so that no request
/// allocates (C allocates per request).
struct Staging {
    /// The response payload; `snp_report_resp` is the largest.
    resp: KVec<u8>,
    /// The host's certificates for an extended request.
    certs: KVVec<u8>,
}

impl Staging {
    fn new() -> Result<Self> {
        Ok(Self {
            resp: KVec::from_elem(0u8, size_of::<SnpReportResp>(), GFP_KERNEL)?,
            certs: KVVec::from_elem(0u8, CERTS_MAX_LEN, GFP_KERNEL)?,
        })
    }

    /// The first `resp_len` bytes of the response buffer and `certs_len` of the certificate
    /// buffer: what a request fills. Not zeroed here: a request that succeeds writes every byte
    /// of both (the engine zero-pads the payload and snapshots the whole certificate range),
    /// and nothing is copied out of them after a failure.
    fn take(&mut self, resp_len: usize, certs_len: usize) -> (&mut [u8], &mut [u8]) {
        (&mut self.resp[..resp_len], &mut self.certs[..certs_len])
    }
}

/// The most certificate bytes a request takes (C: `SEV_FW_BLOB_MAX_SIZE`).
const CERTS_MAX_LEN: usize = engine::CERTS_MAX_PAGES as usize * PAGE_SIZE;

/// The device state on real hardware.
type SnpDeviceState = DeviceState<Ghcb, EncryptedMapping>;

impl<H: Hypervisor, S: SecretsPage> DeviceState<H, S> {
    /// The state of a device served by `engine`.
    pub(crate) fn new(engine: Engine<H, S>) -> Result<impl PinInit<Self>> {
        let staging = Staging::new()?;
        Ok(pin_init!(Self {
            engine <- new_mutex!(engine),
            tsm_staging <- new_mutex!(staging),
        }))
    }

    /// Whether the key is wiped (waiting for a request in progress, killably).
    fn is_disabled(&self) -> Result<bool> {
        Ok(self.engine.lock_killable()?.check_disabled())
    }

    /// Sends one request under the device lock and sets `io.exitinfo2` as the C driver reports
    /// it. The lock is taken killably: a caller killed while it waits returns before anything
    /// of its request was sealed.
    fn send(
        &self,
        io: &mut SnpGuestRequestIoctl,
        exit: ExitCode,
        msg_type: MsgType,
        req: &[u8],
        resp: &mut [u8],
        certs: &mut [u8],
    ) -> Result<(), engine::Failure> {
        let sent = self.engine.lock_killable()?.send_with_certs(
            exit,
            msg_type,
            io.msg_version,
            req,
            resp,
            certs,
        );
        match &sent {
            Ok(()) => io.exitinfo2 = 0,
            Err(failure) => note_failure(io, failure),
        }
        sent
    }

    /// A configfs-tsm report: the attestation report for `inblob` at `privlevel` (never below
    /// `floor`, the VMPL of the key in use: C starts `privlevel` at 0, which the firmware
    /// refuses for a guest above VMPL0), and the host's certificate table trimmed to its
    /// content. Always an extended request with 16 KiB for certificates, message version 1, as
    /// in C.
    pub(crate) fn attest(&self, inblob: &[u8], privlevel: u32, floor: u32) -> Result<Attestation> {
        let mut req = SnpReportReq {
            user_data: [0; 64],
            vmpl: privlevel.max(floor),
            rsvd: [0; 28],
        };
        if inblob.len() != req.user_data.len() {
            return Err(EINVAL);
        }
        req.user_data.copy_from_slice(inblob);
        let mut staging = self.tsm_staging.lock_killable()?;
        let (resp, certs) = staging.take(size_of::<SnpReportResp>(), CERTS_MAX_LEN);
        self.engine
            .lock_killable()?
            .send_with_certs(
                ExitCode::ExtGuestRequest,
                MsgType::ReportReq,
                1,
                req.as_bytes(),
                resp,
                certs,
            )
            .map_err(|failure| failure.err)?;
        // MSG_REPORT_RSP: status, report_size, 24 reserved bytes, the report.
        let word =
            |at: usize| u32::from_le_bytes([resp[at], resp[at + 1], resp[at + 2], resp[at + 3]]);
        match word(0) {
            0 => {}
            // SEV_RET_INVALID_PARAM, SEV_RET_INVALID_KEY: the request's fault.
            0x16 | 0x27 => return Err(EINVAL),
            _ => return Err(ENXIO),
        }
        let size = word(4) as usize;
        let body = resp.get(0x20..0x20 + size).ok_or(ENOMEM)?;
        let mut report = KVVec::new();
        report.extend_from_slice(body, GFP_KERNEL)?;
        // The certificate table: 24-byte entries (GUID, offset, length) up to an all-zero one;
        // the blob ends where the furthest certificate does, at most the buffer. Host data:
        // the sums cannot wrap in `usize`, and the result is clamped.
        let mut end = 0usize;
        for entry in certs.chunks_exact(24) {
            if entry.iter().all(|&b| b == 0) {
                break;
            }
            let offset = u32::from_le_bytes([entry[16], entry[17], entry[18], entry[19]]);
            let length = u32::from_le_bytes([entry[20], entry[21], entry[22], entry[23]]);
            end = end.max(offset as usize + length as usize);
        }
        let mut aux = KVVec::new();
        aux.extend_from_slice(&certs[..end.min(certs.len())], GFP_KERNEL)?;
        Ok(Attestation { report, certs: aux })
    }
}

/// One open `/dev/sev-guest`: the device, and this file's staging buffers.
///
/// An answer waits here between the device lock and the copy to user space, so a caller whose
/// memory stalls (a userfaultfd page, a slow page-in) holds only its own file's buffers: other
/// callers, with their own files, and configfs-tsm keep being served. Threads sharing one file
/// take turns on its buffers, killably.
#[pin_data]
pub(crate) struct OpenFile<H: Hypervisor, S: SecretsPage> {
    dev: Arc<DeviceState<H, S>>,
    #[pin]
    staging: Mutex<Staging>,
}

/// An open file on real hardware.
type SnpOpenFile = OpenFile<Ghcb, EncryptedMapping>;

impl<H: Hypervisor, S: SecretsPage> OpenFile<H, S> {
    /// A file on `dev`, with its staging buffers allocated now rather than per request.
    pub(crate) fn new(dev: Arc<DeviceState<H, S>>) -> Result<impl PinInit<Self>> {
        let staging = Staging::new()?;
        Ok(pin_init!(Self {
            dev,
            staging <- new_mutex!(staging),
        }))
    }

    /// `snp_guest_ioctl()`: the argument is copied in, checked, dispatched, and copied back
    /// when `exitinfo2` is not zero, as the C driver does.
    pub(crate) fn ioctl(&self, cmd: u32, arg: usize) -> Result<isize> {
        let (mut reader, mut writer) =
            UserSlice::new(arg, size_of::<SnpGuestRequestIoctl>()).reader_writer();
        let mut io: SnpGuestRequestIoctl = reader.read()?;
        // Seen by user space when a request fails before reaching the hypervisor.
        io.exitinfo2 = 0xff;
        if io.msg_version == 0 {
            return Err(EINVAL);
        }
        if self.dev.is_disabled()? {
            return Err(ENOTTY);
        }
        let ret = match cmd {
            msg::SNP_GET_REPORT => self.get_report(&mut io),
            msg::SNP_GET_DERIVED_KEY => self.get_derived_key(&mut io),
            msg::SNP_GET_EXT_REPORT => self.get_ext_report(&mut io),
            _ => Err(ENOTTY),
        };
        if io.exitinfo2 != 0 {
            writer.write(&io)?;
        }
        ret.map(|()| 0)
    }

    /// `SNP_GET_REPORT`: an attestation report for the caller's `REPORT_DATA`.
    fn get_report(&self, io: &mut SnpGuestRequestIoctl) -> Result {
        let req: SnpReportReq = read_request(io)?;
        let mut staging = self.staging.lock_killable()?;
        let (resp, _) = staging.take(size_of::<SnpReportResp>(), 0);
        self.dev
            .send(
                io,
                ExitCode::GuestRequest,
                MsgType::ReportReq,
                req.as_bytes(),
                resp,
                &mut [],
            )
            .map_err(|f| f.err)?;
        UserSlice::new(io.resp_data as usize, resp.len())
            .writer()
            .write_slice(resp)
    }

    /// `SNP_GET_DERIVED_KEY`: a key derived by the firmware from the caller's selection.
    fn get_derived_key(&self, io: &mut SnpGuestRequestIoctl) -> Result {
        let req: SnpDerivedKeyReq = read_request(io)?;
        let mut staging = self.staging.lock_killable()?;
        let (resp, _) = staging.take(size_of::<SnpDerivedKeyResp>(), 0);
        let copied = self
            .dev
            .send(
                io,
                ExitCode::GuestRequest,
                MsgType::KeyReq,
                req.as_bytes(),
                resp,
                &mut [],
            )
            .map_err(|f| f.err)
            .and_then(|()| {
                UserSlice::new(io.resp_data as usize, resp.len())
                    .writer()
                    .write_slice(resp)
            });
        // Key material: erased as soon as it has been handed over.
        secrets::zeroize(resp);
        copied
    }

    /// `SNP_GET_EXT_REPORT`: a report plus the host's certificates, in a buffer of
    /// `certs_len` bytes at `certs_address`; `certs_len == 0` (or a null address) asks the host
    /// only how much room its certificates need.
    fn get_ext_report(&self, io: &mut SnpGuestRequestIoctl) -> Result {
        let mut ext: SnpExtReportReq = read_request(io)?;
        let certs_len = if ext.certs_len == 0 || ext.certs_address == 0 {
            0
        } else {
            let len = ext.certs_len as usize;
            if len > CERTS_MAX_LEN || len % PAGE_SIZE != 0 {
                return Err(EINVAL);
            }
            probe_writable(ext.certs_address as usize, len)?;
            len
        };
        let mut staging = self.staging.lock_killable()?;
        let (resp, certs) = staging.take(size_of::<SnpReportResp>(), certs_len);
        let sent = self.dev.send(
            io,
            ExitCode::ExtGuestRequest,
            MsgType::ReportReq,
            ext.data.as_bytes(),
            resp,
            certs,
        );
        if let Err(failure) = sent {
            if let Some(npages) = failure.certs_npages {
                // The room the host asks for: untrusted, only reported (saturating, where C's
                // 32-bit multiplication wraps), never used for a size here.
                ext.certs_len = npages
                    .checked_mul(PAGE_SIZE as u64)
                    .and_then(|b| u32::try_from(b).ok())
                    .unwrap_or(CERTS_LEN_SATURATED);
                UserSlice::new(io.req_data as usize, size_of::<SnpExtReportReq>())
                    .writer()
                    .write(&ext)?;
            }
            return Err(failure.err);
        }
        if certs_len > 0 {
            UserSlice::new(ext.certs_address as usize, certs_len)
                .writer()
                .write_slice(certs)?;
        }
        UserSlice::new(io.resp_data as usize, resp.len())
            .writer()
            .write_slice(resp)
    }
}

/// The request payload `R` at `io.req_data`, read once, before any lock is taken.
fn read_request<R: FromBytes>(io: &SnpGuestRequestIoctl) -> Result<R> {
    if io.req_data == 0 || io.resp_data == 0 {
        return Err(EINVAL);
    }
    UserSlice::new(io.req_data as usize, size_of::<R>())
        .reader()
        .read()
}

/// Proves the caller's certificate buffer mapped and writable before anything is sent, without
/// changing what it holds: one byte of every page it spans is read and written back. (C checks
/// only `access_ok()`, so a request whose buffer is unmapped is sealed and sent, its sequence
/// number spent, and then fails with `EFAULT`.)
fn probe_writable(addr: usize, len: usize) -> Result {
    let last = addr.checked_add(len - 1).ok_or(EFAULT)?;
    let pages = (0..len).step_by(PAGE_SIZE).map(|off| addr + off);
    for at in Iterator::chain(pages, core::iter::once(last)) {
        let mut byte = [0u8; 1];
        UserSlice::new(at, 1).reader().read_slice(&mut byte)?;
        UserSlice::new(at, 1).writer().write_slice(&byte)?;
    }
    Ok(())
}

/// Sets what a failed request reports through `exitinfo2`.
fn note_failure(io: &mut SnpGuestRequestIoctl, failure: &engine::Failure) {
    match failure.exitinfo2 {
        Some(exitinfo2) => io.exitinfo2 = exitinfo2,
        // The key was wiped by a concurrent request after the check in `ioctl`: answer as that
        // check does, without writing the argument back (C makes both under one lock).
        None if failure.err == ENOTTY => io.exitinfo2 = 0,
        None => {}
    }
}

/// The `certs_len` reported when the host asks for more pages than `certs_len` can express:
/// the largest page multiple a `u32` holds.
const CERTS_LEN_SATURATED: u32 = 0xffff_f000;

/// What configfs-tsm hands out for one report.
pub(crate) struct Attestation {
    /// `outblob`: the attestation report.
    pub(crate) report: KVVec<u8>,
    /// `auxblob`: the host's certificate table, trimmed to its content (empty: none).
    pub(crate) certs: KVVec<u8>,
}

/// The configfs-tsm report provider `sev_guest`.
struct SnpTsm {
    state: Arc<SnpDeviceState>,
    floor: u32,
}

impl tsm::ReportProvider for SnpTsm {
    fn report_new(&self, report: &mut tsm::Report) -> Result {
        // SVSM attestation (`service_provider` = "svsm") is not supported yet.
        if report.service_provider().is_some() {
            return Err(EINVAL);
        }
        let attestation = self
            .state
            .attest(report.inblob(), report.privlevel(), self.floor)?;
        report.set_outblob(attestation.report)?;
        report.set_auxblob(attestation.certs);
        Ok(())
    }
}

/// The misc device `/dev/sev-guest`.
struct SevGuestMisc;

#[vtable]
impl MiscDevice for SevGuestMisc {
    type Ptr = Arc<SnpOpenFile>;
    type RegistrationData = Arc<SnpDeviceState>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Self::Ptr> {
        Arc::pin_init(OpenFile::new(misc.data().clone())?, GFP_KERNEL)
    }

    fn ioctl(
        open: ArcBorrow<'_, SnpOpenFile>,
        _file: &File,
        cmd: u32,
        arg: usize,
    ) -> Result<isize> {
        open.ioctl(cmd, arg)
    }

    /// None, as in C: `struct snp_guest_request_ioctl` has another layout for 32-bit callers
    /// (a `__u64` after a `__u8` is 4-byte aligned there), so passing their pointer through
    /// would misread it.
    fn compat_ioctl(
        _open: ArcBorrow<'_, SnpOpenFile>,
        _file: &File,
        _cmd: u32,
        _arg: usize,
    ) -> Result<isize> {
        Err(ENOTTY)
    }
}
