//! What a rule reports. Kept apart from rendering (see `emit`): a finding is
//! data with byte spans; emitters decide what it looks like.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// One step down, for sub-cases a rule is less sure of.
    pub fn lower(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            _ => Severity::Info,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identifies a linted file within one run, so that a finding can point into
/// another file (a paragraph copied across a tree).
pub type FileId = usize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// `None`: the same file as the finding.
    pub file: Option<FileId>,
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Byte offsets into the file, end exclusive, on char boundaries.
    pub span: Range<usize>,
    /// The label under the primary span.
    pub label: String,
    pub related: Vec<Related>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Finding {
    /// A finding at the rule's configured severity; the engine fills in `rule`
    /// and `severity` (see [`crate::lint`]).
    pub fn new(span: Range<usize>, message: impl Into<String>) -> Finding {
        Finding {
            rule: "",
            severity: Severity::Error,
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Finding {
        self.label = label.into();
        self
    }

    pub fn related(
        mut self,
        file: Option<FileId>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Finding {
        self.related.push(Related { file, span, message: message.into() });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Finding {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}
