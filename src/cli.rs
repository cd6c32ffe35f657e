//! Command-line interface (clap derive). Thin: parsing only; `app` does the work.

use crate::config::FailOn;
use crate::emit::OutputFormat;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// copydesk: finds what copy-paste, bad extraction and hurried editing leave in
/// drafts: duplicated paragraphs, repeated phrases, truncated sentences and
/// orphaned fragments, in Chinese, Japanese, English and mixed text.
#[derive(Parser, Debug)]
#[command(name = "copydesk", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint files and directories (Markdown and plain text).
    Check(Box<CheckArgs>),
    /// List every rule with its default severity and summary.
    Rules,
    /// Print a rule's documentation: what it finds, why, options, examples.
    Rule {
        /// The rule id, e.g. duplicate-paragraph.
        id: String,
    },
    /// Show the settings that apply to a file, and where each comes from.
    Config {
        /// The file to show settings for.
        #[arg(long, value_name = "FILE")]
        show: PathBuf,
        /// Use this config file instead of discovering one.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Ignore all config files.
        #[arg(long, conflicts_with = "config")]
        isolated: bool,
    },
    /// Write a commented copydesk.toml with every rule and option at its default.
    Init {
        /// Where to write it.
        #[arg(default_value = "copydesk.toml")]
        path: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full)]
    pub format: OutputFormat,

    /// When to colour the output. NO_COLOR is honoured under `auto`.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Use this config file for every input instead of discovering one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore all config files; use the defaults.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Run only these rules (comma-separated ids), whatever the config says.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Do not run these rules (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Lowest severity that makes the run exit 1 [default: error, or the config's fail-on].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Name for standard input in diagnostics; its extension picks the format
    /// (Markdown unless it is not .md/.markdown).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Apply the config's `include` and `exclude` to files named on the
    /// command line too (for pre-commit, which passes files by name).
    #[arg(long)]
    pub force_exclude: bool,

    /// Lint the records of a JSON Lines FILE (`-`: stdin) instead of files:
    /// each record's text is a document named by its id.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub jsonl: Option<PathBuf>,

    /// The JSON Lines field holding a record's id.
    #[arg(long, value_name = "NAME", default_value = "id", requires = "jsonl")]
    pub id_field: String,

    /// The JSON Lines field holding a record's text.
    #[arg(long, value_name = "NAME", default_value = "text", requires = "jsonl")]
    pub text_field: String,

    /// How JSON Lines texts are read.
    #[arg(long, value_enum, default_value_t = RecordFormat::Text, requires = "jsonl")]
    pub record_format: RecordFormat,

    /// Record every current finding in FILE (then exit 0), for `--baseline`.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,

    /// Report only findings that are not recorded in this baseline FILE.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Number of threads [default: number of cores].
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RecordFormat {
    Text,
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
