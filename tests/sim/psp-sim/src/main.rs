// SPDX-License-Identifier: GPL-2.0
//! psp-sim command line: make-chain, serve, plans, fault-data.

use psp_sim::hv::{Hv, PlanConfig};
use psp_sim::{chain, device, ident, plans, proto, psp, server};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  psp-sim make-chain --seed <u64> --out <dir>
  psp-sim serve --chain <dir> [--device /dev/sevsim] [--no-certs] [--plan PLAN]
                [--plan-after N] [--plan-count N] [--stats FILE] [--log FILE]
  psp-sim plans
  psp-sim fault-data PLAN [--raw]";

type Error = Box<dyn std::error::Error>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("make-chain") => make_chain(&args[1..]),
        Some("serve") => serve(&args[1..]),
        Some("plans") if args.len() == 1 => {
            list_plans();
            Ok(())
        }
        Some("fault-data") => fault_data(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.into()),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("psp-sim: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `--flag value` / `--switch` options; `switches` take no value.
fn options(
    args: &[String],
    valued: &[&str],
    switches: &[&str],
) -> Result<Vec<(String, Option<String>)>, Error> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if valued.contains(&a.as_str()) {
            let v = it.next().ok_or_else(|| format!("{a} needs a value"))?;
            out.push((a.clone(), Some(v.clone())));
        } else if switches.contains(&a.as_str()) {
            out.push((a.clone(), None));
        } else {
            return Err(format!("unexpected argument {a:?}\n{USAGE}").into());
        }
    }
    Ok(out)
}

fn get<'a>(opts: &'a [(String, Option<String>)], k: &str) -> Option<&'a str> {
    opts.iter()
        .rev()
        .find(|(n, _)| n == k)
        .and_then(|(_, v)| v.as_deref())
}

fn has(opts: &[(String, Option<String>)], k: &str) -> bool {
    opts.iter().any(|(n, _)| n == k)
}

fn make_chain(args: &[String]) -> Result<(), Error> {
    let o = options(args, &["--seed", "--out"], &[])?;
    let seed: u64 = get(&o, "--seed").ok_or("--seed is required")?.parse()?;
    let out = PathBuf::from(get(&o, "--out").ok_or("--out is required")?);
    let id = ident::Identity::from_seed(seed);
    let c = chain::make(&id)?;
    chain::write(&out, &id, &c)?;
    println!(
        "psp-sim: chain for seed {seed} written to {}",
        out.display()
    );
    Ok(())
}

fn list_plans() {
    for (id, syntax, meaning) in plans::PLAN_HELP {
        println!("{id:<8} {syntax:<22} {meaning}");
    }
}

fn fault_data(args: &[String]) -> Result<(), Error> {
    let (plan, rest) = args.split_first().ok_or("fault-data needs a PLAN")?;
    let o = options(rest, &[], &["--raw"])?;
    let d = plans::fault_data(plan)?;
    if has(&o, "--raw") {
        io::stdout().write_all(&d)?;
    } else {
        println!("{}", ident::hex(&d));
    }
    Ok(())
}

fn serve(args: &[String]) -> Result<(), Error> {
    let o = options(
        args,
        &[
            "--chain",
            "--device",
            "--plan",
            "--plan-after",
            "--plan-count",
            "--stats",
            "--log",
        ],
        &["--no-certs"],
    )?;
    let dir = PathBuf::from(get(&o, "--chain").ok_or("--chain is required")?);
    let device = get(&o, "--device").unwrap_or("/dev/sevsim");
    let cfg = PlanConfig {
        plan: get(&o, "--plan").unwrap_or("none").parse()?,
        after: get(&o, "--plan-after").map_or(Ok(0), str::parse)?,
        count: get(&o, "--plan-count").map(str::parse).transpose()?,
    };
    let stats_path = get(&o, "--stats").map(PathBuf::from);
    let mut log: Box<dyn Write> = match get(&o, "--log") {
        Some(p) => Box::new(OpenOptions::new().create(true).append(true).open(p)?),
        None => Box::new(io::stderr()),
    };

    let (id, chain) = chain::load(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut dev: File = OpenOptions::new()
        .read(true)
        .write(true)
        .open(device)
        .map_err(|e| format!("{device}: {e}"))?;
    let plat = device::get_platform(&dev).map_err(|e| format!("SEVSIM_IOC_GET_PLATFORM: {e}"))?;
    device::install_signal_handlers()?;
    let table = (!has(&o, "--no-certs")).then(|| chain::cert_table(&chain));
    if table
        .as_ref()
        .is_some_and(|t| t.len() > proto::SEVSIM_MAX_CERTS)
    {
        return Err("certificate table larger than SEVSIM_MAX_CERTS".into());
    }
    let mut psp = psp::Psp::new(plat.vmpck, plat.guest_vmpl, id, chain.vcek_key);
    psp.set_counts(u64::from(plat.msg_seqno));
    let mut hv = Hv::new(psp, table, cfg);
    writeln!(
        log,
        "psp-sim: serving {device} (guest_vmpl={}, plan={}, after={}, count={:?})",
        plat.guest_vmpl, cfg.plan, cfg.after, cfg.count
    )?;
    server::run(
        &mut dev,
        &mut hv,
        &mut log,
        stats_path.as_deref(),
        // SIGTERM and SIGINT end the process from their handler.
        &|| false,
    )
    .map_err(|e| format!("{device}: {e}").into())
}
