//! The local append-only journal that holds audit entries while PostgreSQL
//! is unreachable: one JSON line per entry, synced to disk before `append`
//! returns, so an accepted entry survives a crash. Every method does blocking
//! file I/O: the writer calls them on the blocking pool.

use std::{
    fs::{File, OpenOptions},
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
};

use anyhow::Context;

use super::AuditEntry;

/// An audit journal file.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    /// Whether the file holds entries, known without touching the disk on
    /// every audit entry (only this value's owner writes the file).
    has_entries: bool,
}

impl Journal {
    /// Opens (or prepares to create) the journal at `path`.
    pub fn new(path: &Path) -> Self {
        let has_entries = std::fs::metadata(path).is_ok_and(|m| m.len() > 0);
        Self { path: path.to_owned(), has_entries }
    }

    /// Returns the file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends an entry and syncs it to disk.
    pub fn append(&mut self, entry: &AuditEntry) -> anyhow::Result<()> {
        self.append_all(std::slice::from_ref(entry))
    }

    /// Appends entries in order and syncs them to disk, once for them all.
    pub fn append_all(&mut self, entries: &[AuditEntry]) -> anyhow::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let mut lines = Vec::new();
        for entry in entries {
            serde_json::to_writer(&mut lines, entry)?;
            lines.push(b'\n');
        }
        let mut file = open_append(&self.path)?;
        file.write_all(&lines)?;
        file.sync_data()?;
        self.has_entries = true;
        Ok(())
    }

    /// Reads every entry in order. A torn last line (a crash mid-write) is skipped.
    pub fn read_all(&self) -> anyhow::Result<Vec<AuditEntry>> {
        let file = match File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).with_context(|| format!("failed to read {}", self.path.display())),
        };
        let lines: Vec<String> = BufReader::new(file).lines().collect::<Result<_, _>>()?;
        let last = lines.len().saturating_sub(1);
        let mut entries = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            match serde_json::from_str(line) {
                Ok(entry) => entries.push(entry),
                Err(_) if i == last => tracing::warn!(path = %self.path.display(), "skipping a torn last journal line"),
                Err(e) => anyhow::bail!("corrupt audit journal {} at line {}: {e}", self.path.display(), i + 1),
            }
        }
        Ok(entries)
    }

    /// Returns whether the journal holds no entry.
    pub fn is_empty(&self) -> bool {
        !self.has_entries
    }

    /// Replaces the journal's content with `entries` (those not yet replayed), atomically.
    pub fn replace(&mut self, entries: &[AuditEntry]) -> anyhow::Result<()> {
        if entries.is_empty() {
            return match std::fs::remove_file(&self.path) {
                Ok(()) => {
                    self.has_entries = false;
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    self.has_entries = false;
                    Ok(())
                }
                Err(e) => Err(e.into()),
            };
        }
        let tmp = self.path.with_extension("jsonl.tmp");
        {
            let mut file = File::create(&tmp)?;
            for entry in entries {
                let mut line = serde_json::to_vec(entry)?;
                line.push(b'\n');
                file.write_all(&line)?;
            }
            file.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)?;
        self.has_entries = true;
        Ok(())
    }
}

#[cfg(unix)]
fn open_append(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new().create(true).append(true).mode(0o600).open(path)
}

#[cfg(not(unix))]
fn open_append(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Outcome;

    #[test]
    fn appends_reads_in_order_and_survives_a_torn_tail() {
        let dir = std::env::temp_dir().join(format!("vms-journal-{}", uuid::Uuid::new_v4()));
        let mut journal = Journal::new(&dir.join("journal.jsonl"));
        assert!(journal.is_empty());
        let entries: Vec<AuditEntry> =
            (0..3).map(|i| AuditEntry::new(&format!("test.{i}"), Outcome::Success)).collect();
        for e in &entries {
            journal.append(e).unwrap();
        }
        std::fs::OpenOptions::new().append(true).open(journal.path()).unwrap().write_all(b"{\"entry_id\":").unwrap();
        assert_eq!(journal.read_all().unwrap(), entries);
        journal.replace(&entries[2..]).unwrap();
        assert_eq!(journal.read_all().unwrap(), entries[2..]);
        journal.replace(&[]).unwrap();
        assert!(journal.is_empty());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
