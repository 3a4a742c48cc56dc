//! The process's own figures, read at each scrape: CPU time, resident
//! memory and open descriptors (from `/proc/self` on Linux), start time and
//! uptime, and how often the supervisor restarted this process before
//! (`VMS_RESTARTS`, which `vms up` sets on each child it starts).

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeMetric},
    metrics::{counter::ConstCounter, gauge::ConstGauge},
};

/// The environment variable carrying the restarts before this start.
pub use vms_base::watchdog::RESTARTS_ENV;

/// Reads the process's figures at each scrape.
#[derive(Debug)]
pub struct ProcessCollector {
    started: Instant,
    started_unix: f64,
    restarts: u64,
}

impl ProcessCollector {
    /// Counts from now: a registry is made as its process starts.
    pub fn start() -> Self {
        let started_unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64());
        let restarts = vms_base::watchdog::StartInfo::from_env().restarts;
        Self { started: Instant::now(), started_unix, restarts }
    }
}

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let gauge = |encoder: &mut DescriptorEncoder, name: &str, help: &str, value: f64| {
            let gauge = ConstGauge::new(value);
            gauge.encode(encoder.encode_descriptor(name, help, None, gauge.metric_type())?)
        };
        let counter = |encoder: &mut DescriptorEncoder, name: &str, help: &str, value: f64| {
            let counter = ConstCounter::new(value);
            counter.encode(encoder.encode_descriptor(name, help, None, counter.metric_type())?)
        };
        gauge(
            &mut encoder,
            "process_start_time_seconds",
            "Start time of the process since the Unix epoch",
            self.started_unix,
        )?;
        gauge(
            &mut encoder,
            "vms_process_uptime_seconds",
            "Seconds since the process started",
            self.started.elapsed().as_secs_f64(),
        )?;
        counter(
            &mut encoder,
            "vms_process_restarts",
            "Times the supervisor restarted this process before its current start",
            self.restarts as f64,
        )?;
        if let Some(used) = os::read() {
            counter(&mut encoder, "process_cpu_seconds", "User and system CPU time spent, in seconds", used.cpu_secs)?;
            gauge(&mut encoder, "process_resident_memory_bytes", "Resident memory size in bytes", used.resident_bytes)?;
            gauge(&mut encoder, "process_open_fds", "Open file descriptors", used.open_fds)?;
            if let Some(max) = used.max_fds {
                gauge(&mut encoder, "process_max_fds", "Most file descriptors the process may open", max)?;
            }
        }
        Ok(())
    }
}

/// What the operating system says the process uses.
struct Used {
    cpu_secs: f64,
    resident_bytes: f64,
    open_fds: f64,
    max_fds: Option<f64>,
}

#[cfg(target_os = "linux")]
mod os {
    use super::Used;

    /// Reads `/proc/self`; `None` when it cannot (no procfs mounted).
    pub(super) fn read() -> Option<Used> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        // The command name may hold spaces and parentheses: fields follow the last ')'.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let resident_kib: f64 = field(&status, "VmRSS:")?.trim_end_matches("kB").trim().parse().ok()?;
        let open_fds = std::fs::read_dir("/proc/self/fd").ok()?.count() as f64;
        let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
        let max_fds = field(&limits, "Max open files")?.split_whitespace().next()?.parse().ok();
        Some(Used {
            cpu_secs: (utime + stime) / ticks_per_second(),
            resident_bytes: resident_kib * 1024.0,
            open_fds,
            max_fds,
        })
    }

    /// The rest of the line of `text` that starts with `name`.
    fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
        text.lines().find_map(|line| line.strip_prefix(name)).map(str::trim)
    }

    /// Clock ticks per second of the times in `/proc` (USER_HZ).
    #[allow(unsafe_code)]
    fn ticks_per_second() -> f64 {
        // SAFETY: sysconf reads a system constant; it has no preconditions.
        let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        if ticks > 0 { ticks as f64 } else { 100.0 }
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    use super::Used;

    /// Not read on this system yet: the process figures above still are.
    pub(super) fn read() -> Option<Used> {
        None
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn the_os_figures_are_plausible() {
        let used = super::os::read().expect("/proc/self is readable on Linux");
        assert!(used.cpu_secs >= 0.0);
        assert!(used.resident_bytes > 1_000_000.0, "{}", used.resident_bytes);
        assert!(used.open_fds >= 3.0, "{}", used.open_fds);
    }
}
