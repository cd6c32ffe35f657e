//! Baselines: record today's findings, then report only new ones. A team
//! with a large existing docs tree can turn copydesk on in CI at once.
//!
//! Entries are (path, rule, fingerprint); paths are relative to the baseline
//! file's directory so the baseline works from any working directory, and
//! fingerprints (see `fingerprint`) survive unrelated edits.

use crate::emit::FileReport;
use crate::fingerprint::{Ordinals, fingerprints_in};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Hash)]
struct Entry {
    path: String,
    rule: String,
    fingerprint: String,
    /// For people reading the file; not compared.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    message: String,
}

/// The key a baseline file stores a report's path under.
fn key(display: &str, cwd: &Path, baseline_dir: &Path) -> String {
    let joined = cwd.join(display);
    let absolute = joined.canonicalize().or_else(|_| std::path::absolute(&joined)).unwrap_or(joined);
    let rel = absolute.strip_prefix(baseline_dir).unwrap_or(&absolute);
    rel.to_string_lossy().replace('\\', "/")
}

/// The baseline's directory, resolved (`..` and links), as report paths are.
fn dir_of(file: &Path) -> PathBuf {
    let parent =
        std::path::absolute(file).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_default();
    parent.canonicalize().unwrap_or(parent)
}

/// The findings of a run, gathered a chunk at a time for a baseline file:
/// entries are small, so a run over a big tree need not hold its texts.
pub struct Recorder {
    dir: PathBuf,
    cwd: PathBuf,
    findings: Vec<Entry>,
}

impl Recorder {
    /// A recorder for a baseline to be written to `file`.
    pub fn new(file: &Path, cwd: &Path) -> Recorder {
        Recorder { dir: dir_of(file), cwd: cwd.to_path_buf(), findings: Vec::new() }
    }

    /// Records every finding of `reports` (whole files, or the pieces of one
    /// file in order: `seen` counts on across them).
    pub fn record(&mut self, reports: &[FileReport], seen: &mut Ordinals) {
        for r in reports {
            let offset = r.excerpt.map_or(0, |e| e.offset);
            let path = key(&r.display, &self.cwd, &self.dir);
            for (f, print) in r.findings.iter().zip(fingerprints_in(&r.source, offset, &r.findings, seen)) {
                self.findings.push(Entry {
                    path: path.clone(),
                    rule: f.rule.to_string(),
                    fingerprint: print,
                    message: f.message.to_string(),
                });
            }
        }
    }

    /// Writes the baseline file; returns how many findings it holds.
    pub fn write(self, file: &Path) -> std::io::Result<usize> {
        let n = self.findings.len();
        let text = serde_json::to_string_pretty(&BaselineFile { version: 1, findings: self.findings })?;
        std::fs::write(file, text + "\n")?;
        Ok(n)
    }
}

/// A baseline read from its file.
pub struct Baseline {
    known: HashSet<(String, String, String)>,
    dir: PathBuf,
}

impl Baseline {
    pub fn load(file: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read baseline {}: {e}", file.display()))?;
        let baseline: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a copydesk baseline: {e}", file.display()))?;
        if baseline.version != 1 {
            return Err(format!("{}: unsupported baseline version {}", file.display(), baseline.version));
        }
        let known = baseline.findings.into_iter().map(|e| (e.path, e.rule, e.fingerprint)).collect();
        Ok(Baseline { known, dir: dir_of(file) })
    }

    /// Removes the findings the baseline records; returns how many.
    pub fn filter(&self, reports: &mut [FileReport], cwd: &Path) -> usize {
        reports.iter_mut().map(|r| self.filter_one(r, cwd, &mut Ordinals::default())).sum()
    }

    /// Removes the findings of one report that the baseline records; `seen`
    /// counts on from the report before it, for the pieces of a file.
    pub fn filter_one(&self, r: &mut FileReport, cwd: &Path, seen: &mut Ordinals) -> usize {
        let path = key(&r.display, cwd, &self.dir);
        let offset = r.excerpt.map_or(0, |e| e.offset);
        let prints = fingerprints_in(&r.source, offset, &r.findings, seen);
        let mut keep = prints
            .iter()
            .zip(&r.findings)
            .map(|(p, f)| !self.known.contains(&(path.clone(), f.rule.to_string(), p.clone())))
            .collect::<Vec<_>>()
            .into_iter();
        let before = r.findings.len();
        r.findings.retain(|_| keep.next().unwrap_or(true));
        before - r.findings.len()
    }
}
