// SPDX-License-Identifier: GPL-2.0
//! /dev/sevsim access and signal handling: the only unsafe code.

use crate::proto::{SevsimPlatform, SEVSIM_IOC_GET_PLATFORM};
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

/// SEVSIM_IOC_GET_PLATFORM.
pub fn get_platform(dev: &File) -> io::Result<SevsimPlatform> {
    let mut p = SevsimPlatform::default();
    // SAFETY: the fd is open for the call's duration; the request number
    // encodes sizeof(struct sevsim_platform), which SevsimPlatform mirrors
    // (repr(C), size asserted), so the kernel writes only inside `p`.
    let rc = unsafe {
        libc::ioctl(
            dev.as_raw_fd(),
            SEVSIM_IOC_GET_PLATFORM as libc::c_ulong,
            &mut p as *mut SevsimPlatform,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(p)
}

extern "C" fn on_signal(_sig: libc::c_int) {
    // SAFETY: _exit() is async-signal-safe. Nothing is lost: the stats file is written and the
    // log flushed before each answer goes back, and the bridge fails a request still in flight
    // when the device closes. (Setting a flag instead would leave a window between the flag's
    // check and the blocking read() in which the signal is missed.)
    unsafe { libc::_exit(0) }
}

/// Installs SIGTERM/SIGINT handlers that exit at once with status 0.
pub fn install_signal_handlers() -> io::Result<()> {
    for sig in [libc::SIGTERM, libc::SIGINT] {
        // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; the handler only
        // calls _exit(), which is async-signal-safe.
        let rc = unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut())
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}
