//! CPU time and resident memory of processes, from `/proc`.

use std::process::Command;

use anyhow::Context;

/// Clock ticks per second, the unit of CPU times in `/proc/<pid>/stat`.
pub fn clock_ticks() -> anyhow::Result<f64> {
    let out = Command::new("getconf").arg("CLK_TCK").output().context("getconf CLK_TCK")?;
    String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().context("parsing CLK_TCK")
}

/// CPU seconds a process has used so far, every thread, user and system.
pub fn cpu_seconds(pid: u32, ticks: f64) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).with_context(|| format!("process {pid}"))?;
    // Fields after the command name (which may hold spaces), from field 3 on.
    let rest = stat.rsplit_once(") ").map(|(_, r)| r).context("malformed stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11).context("no utime")?.parse()?;
    let stime: f64 = fields.get(12).context("no stime")?.parse()?;
    Ok((utime + stime) / ticks)
}

/// Resident memory of a process, in MiB.
pub fn rss_mib(pid: u32) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).with_context(|| format!("process {pid}"))?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .context("no VmRSS")?
        .parse()?;
    Ok(kib / 1024.0)
}

/// CPU seconds used by `pids` together over `seconds`, and their summed
/// resident memory at the end.
pub async fn measure(pids: &[u32], seconds: u64) -> anyhow::Result<(f64, f64)> {
    let ticks = clock_ticks()?;
    let total = |pids: &[u32]| -> anyhow::Result<f64> { pids.iter().map(|p| cpu_seconds(*p, ticks)).sum() };
    let before = total(pids)?;
    tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    let after = total(pids)?;
    let rss: f64 = pids.iter().map(|p| rss_mib(*p)).sum::<anyhow::Result<f64>>()?;
    Ok((after - before, rss))
}
