//! What a rule reports. Kept apart from rendering (see `emit`): a finding is
//! data with byte spans; emitters decide what it looks like.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
    pub message: Text,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: Text,
    /// Byte offsets into the file, end exclusive, on char boundaries.
    pub span: Range<usize>,
    /// The label under the primary span.
    pub label: Text,
    pub related: Vec<Related>,
    pub notes: Vec<Text>,
    pub help: Option<Text>,
}

/// A finding's words: most are the same for every finding of a rule, and a
/// run over a corpus holds hundreds of thousands of findings, so a fixed
/// text is borrowed, not copied into each.
pub type Text = Cow<'static, str>;

impl Finding {
    /// A finding at the rule's configured severity; the engine fills in `rule`
    /// and `severity` (see [`crate::lint`]).
    pub fn new(span: Range<usize>, message: impl Into<Text>) -> Finding {
        Finding {
            rule: "",
            severity: Severity::Error,
            message: message.into(),
            span,
            label: Text::Borrowed(""),
            related: Vec::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn label(mut self, label: impl Into<Text>) -> Finding {
        self.label = label.into();
        self
    }

    pub fn related(mut self, file: Option<FileId>, span: Range<usize>, message: impl Into<Text>) -> Finding {
        self.related.push(Related { file, span, message: message.into() });
        self
    }

    pub fn note(mut self, note: impl Into<Text>) -> Finding {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<Text>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// The same finding in a text that starts `base` bytes earlier: its spans,
    /// and those of related spans into the same file, moved on.
    pub fn shifted(mut self, base: usize) -> Finding {
        let shift = |span: &mut Range<usize>| *span = span.start + base..span.end + base;
        shift(&mut self.span);
        for related in self.related.iter_mut().filter(|r| r.file.is_none()) {
            shift(&mut related.span);
        }
        self
    }
}
