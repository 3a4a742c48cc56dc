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

/// Bytes of every file under `dir`.
pub fn dir_bytes(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    let mut pending = vec![dir.to_owned()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => pending.push(entry.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

/// What a group of processes did over a measurement.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    /// CPU seconds, all processes together.
    pub cpu: f64,
    /// Resident memory at the end, summed, MiB.
    pub rss: f64,
    /// Growth of the watched directory, bytes.
    pub written: u64,
}

/// Measures `pids` over `seconds`: CPU, memory, and how much `dir` grew (when given).
pub async fn measure_all(pids: &[u32], dir: Option<&std::path::Path>, seconds: u64) -> anyhow::Result<Measured> {
    let ticks = clock_ticks()?;
    let cpu = |pids: &[u32]| -> anyhow::Result<f64> { pids.iter().map(|p| cpu_seconds(*p, ticks)).sum() };
    let (cpu0, dir0) = (cpu(pids)?, dir.map_or(0, dir_bytes));
    tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    let (cpu1, dir1) = (cpu(pids)?, dir.map_or(0, dir_bytes));
    let rss: f64 = pids.iter().map(|p| rss_mib(*p)).sum::<anyhow::Result<f64>>()?;
    Ok(Measured { cpu: cpu1 - cpu0, rss, written: dir1.saturating_sub(dir0) })
}

/// CPU seconds used by `pids` together over `seconds`, and their summed
/// resident memory at the end.
pub async fn measure(pids: &[u32], seconds: u64) -> anyhow::Result<(f64, f64)> {
    let m = measure_all(pids, None, seconds).await?;
    Ok((m.cpu, m.rss))
}
