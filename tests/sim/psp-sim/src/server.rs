// SPDX-License-Identifier: GPL-2.0
//! The serve loop: read a request from the bridge, answer it, log, update
//! the stats file. Generic over the device so tests can drive it.

use crate::hv::{Hv, Stats};
use crate::proto::{SevsimRequest, REQUEST_SIZE};
use std::io::{self, Read, Write};
use std::path::Path;

type Error = Box<dyn std::error::Error>;

/// Rewrites the stats file atomically (tmp + rename).
pub fn write_stats(path: &Path, s: &Stats) -> io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, format!("{s}\n"))?;
    std::fs::rename(&tmp, path)
}

/// Serves until `stop()` is true (Ok; checked between requests, for tests) or the device
/// fails or ends (Err).
pub fn run<D: Read + Write>(
    dev: &mut D,
    hv: &mut Hv,
    log: &mut dyn Write,
    stats_path: Option<&Path>,
    stop: &dyn Fn() -> bool,
) -> Result<(), Error> {
    if let Some(p) = stats_path {
        write_stats(p, &hv.stats())?;
    }
    let mut buf = vec![0u8; REQUEST_SIZE];
    loop {
        if stop() {
            return Ok(());
        }
        let n = match dev.read(&mut buf) {
            Ok(0) => return Err("device: end of file".into()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("device read: {e}").into()),
        };
        let req = SevsimRequest::from_bytes(&buf[..n])?;
        let h = hv.handle(&req);
        // Recorded before the answer goes back: whoever reads the stats after the guest's
        // request returned sees it counted (the IV-reuse verdict among them).
        writeln!(log, "{}", h.line)?;
        log.flush()?;
        if let Some(p) = stats_path {
            write_stats(p, &hv.stats())?;
        }
        let bytes = h.resp.to_bytes();
        match dev.write(&bytes) {
            Ok(w) if w == bytes.len() => {}
            Ok(w) => writeln!(log, "psp-sim: short write {w}/{}", bytes.len())?,
            // The bridge may have timed the request out; keep serving.
            Err(e) => writeln!(log, "psp-sim: write id={}: {e}", req.id)?,
        }
    }
}
