//! Where finished findings go, and what the run learns from them.

use crate::baseline::Recorder;
use crate::config::Settings;
use crate::emit::{self, EmitOptions, FileReport};
use crate::fingerprint::Ordinals;
use std::io::{self, Write};
use std::sync::Arc;

/// Where finished findings go, and what the run learns from them.
pub(super) struct Output {
    pub(super) options: EmitOptions,
    pub(super) summary: emit::Summary,
    /// A finding reached its file's failing level.
    pub(super) fails: bool,
    /// An input could not be read.
    pub(super) failed: bool,
    /// Findings left out because the baseline has them.
    pub(super) hidden: usize,
    /// The first write error that is not a closed pipe; a closed pipe ends
    /// the output quietly.
    pub(super) write_error: Option<io::Error>,
    /// With `--write-baseline`: findings go into the baseline, not out.
    pub(super) recorder: Option<Recorder>,
    pub(super) stream: emit::Stream,
}

impl Output {
    /// Writes `reports`, the first of which have `settings`; the rest are
    /// only there for related spans to point into.
    pub(super) fn write(&mut self, reports: &[FileReport], settings: &[Arc<Settings>]) {
        self.count(&reports[..settings.len()], settings);
        self.emit(reports, None);
    }

    /// Counts what `reports` found, for the summary and the exit code.
    pub(super) fn count(&mut self, reports: &[FileReport], settings: &[Arc<Settings>]) {
        for (report, settings) in reports.iter().zip(settings) {
            self.fails |= report.findings.iter().any(|f| settings.fail_on.fails(f.severity));
        }
        self.summary.add(reports);
    }

    /// Writes `reports` out (or records them for a baseline), without
    /// counting them. `seen`: for the pieces of one file, identical findings
    /// counted on from piece to piece; `None`: each report is a file.
    pub(super) fn emit(&mut self, reports: &[FileReport], seen: Option<&mut Ordinals>) {
        if let Some(recorder) = &mut self.recorder {
            match seen {
                Some(seen) => recorder.record(reports, seen),
                None => {
                    for report in reports {
                        recorder.record(std::slice::from_ref(report), &mut Ordinals::default());
                    }
                }
            }
            return;
        }
        if self.write_error.is_some() {
            return;
        }
        // Standard output is line-buffered: unbuffered here, JSON Lines took a
        // write call per finding, a tenth of a second per 30,000 findings.
        let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let written = emit::emit(&mut stdout, reports, &self.options, &mut self.stream, seen);
        if let Err(e) = written.and_then(|()| stdout.flush()) {
            self.write_error = Some(e);
        }
    }

    /// Ends the output after the last chunk.
    pub(super) fn finish(&mut self) {
        if self.write_error.is_some() || self.recorder.is_some() {
            return;
        }
        let mut stdout = io::stdout().lock();
        let written = emit::finish(&mut stdout, &self.options, &mut self.stream);
        if let Err(e) = written.and_then(|()| stdout.flush()) {
            self.write_error = Some(e);
        }
    }

    /// Whether the output ended with an error worth reporting.
    pub(super) fn broken(&self) -> Option<&io::Error> {
        self.write_error.as_ref().filter(|e| e.kind() != io::ErrorKind::BrokenPipe)
    }
}
