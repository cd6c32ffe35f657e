//! The run: parse arguments, find files and their settings, lint in parallel,
//! emit in a deterministic order, choose the exit code.
//!
//! Exit codes: 0 nothing reached the failing level, 1 a finding did, 2 usage,
//! config or I/O errors (a per-file I/O error does not stop the run).

mod batch;
mod inputs;
mod output;
mod pieced;

use crate::cli::{CheckArgs, Cli, ColorChoice, Command};
use crate::config::{self, ConfigError, Loader, Overrides};
use crate::discover;
use crate::emit::{self, EmitOptions, OutputFormat};
use crate::texts::{InMemory, Store};
use crate::{baseline, catalogue, rules};
use batch::{Batch, Outcome, chunks, lint_target, run_tree_rules};
use clap::Parser;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};
use inputs::Inputs;
use output::Output;
use rayon::prelude::*;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Rules => list_rules(),
        Command::Rule { id } => show_rule(&id),
        Command::Init { path, force } => init(&path, force),
        Command::Config { show, config, isolated } => show_config(&show, config, isolated),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let color_err = use_color(args.color, io::stderr().is_terminal());
    if let Some(n) = args.threads {
        // Only fails if a pool exists already; the default pool is then used.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => return fatal(&format!("cannot read the current directory: {e}")),
    };
    let overrides = Overrides {
        config: args.config.clone(),
        isolated: args.isolated,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        fail_on: args.fail_on,
    };
    let mut loader = Loader::new(overrides, cwd.clone());
    // Files are linted and written out a chunk at a time, so memory stays with
    // the chunk, whatever the format.
    let collected = match &args.jsonl {
        Some(file) => Inputs::records(file, &args, &cwd, &mut loader),
        None => discover::collect(
            &args.paths,
            args.stdin_filename.as_deref(),
            args.force_exclude,
            &cwd,
            &mut loader,
        )
        .map(|(targets, missing)| (Inputs::files(targets), missing)),
    };
    let (mut inputs, missing) = match collected {
        Ok(c) => c,
        Err(e) => {
            render_config_error(&e, color_err);
            return ExitCode::from(2);
        }
    };
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
    let baseline = match args.baseline.as_deref().map(baseline::Baseline::load).transpose() {
        // A baseline being written records every finding.
        Ok(b) => b.filter(|_| args.write_baseline.is_none()),
        Err(e) => return fatal(&e),
    };
    // Copies across files (tree scope) need every file's fingerprints first:
    // their findings are deferred to the end, when the texts are read again,
    // so memory stays with fingerprints, not with the corpus.
    let deferred = inputs.has_tree_rules();
    let mut out = Output {
        options: EmitOptions {
            format: args.format,
            color: use_color(args.color, io::stdout().is_terminal()),
        },
        summary: emit::Summary::default(),
        fails: false,
        failed: !missing.is_empty(),
        hidden: 0,
        write_error: None,
        recorder: args.write_baseline.as_deref().map(|file| baseline::Recorder::new(file, &cwd)),
        stream: emit::Stream::default(),
    };
    report_missing(&missing, color_err);
    let progress = progress_bar(inputs.known_size(), args.format);
    let advance = |bytes: u64| progress.inc(bytes);
    // A file too big to hold is linted a piece at a time, unless copies are
    // compared across files: a tree run reads its files whole again.
    let pieces = (!deferred).then(crate::pieces::Sizes::for_run);
    let mut held = Batch::default();
    let mut store = Store::default();
    // The chunk linted last, to be written out while the next one is linted:
    // writing is serial, and alone it would leave the other threads idle.
    let mut pending: Option<Batch> = None;
    let write =
        |out: &mut Output, batch: Batch| pieced::write_batch(out, batch, baseline.as_ref(), &cwd, color_err);
    while let Some((targets, unreadable)) = inputs.next_chunk() {
        let lint = || -> Vec<Outcome> {
            targets.par_iter().map(|t| lint_target(t, &stdin_name, pieces, &advance)).collect()
        };
        let outcomes = match pending.take() {
            // On one thread nothing overlaps: written first, the chunk is gone
            // before the next one is read.
            Some(batch) if rayon::current_num_threads() == 1 => {
                drop(write(&mut out, batch));
                lint()
            }
            Some(batch) => rayon::join(lint, || drop(write(&mut out, batch))).0,
            None => lint(),
        };
        // Reported after the chunk before is written, as a serial run would.
        out.failed |= !unreadable.is_empty();
        report_missing(&unreadable, color_err);
        if deferred {
            held.take(outcomes, color_err, &mut out.failed, Some(&mut store));
            continue;
        }
        let mut batch = Batch::default();
        batch.take(outcomes, color_err, &mut out.failed, None);
        let found = {
            let texts: Vec<&str> = batch.reports.iter().map(|r| r.source.as_str()).collect();
            run_tree_rules(std::mem::take(&mut batch.tree_jobs), &InMemory(&texts))
        };
        batch.finish(found);
        pending = Some(batch);
    }
    if let Some(batch) = pending {
        // Not freed: the run ends here, and freeing a big file's text and
        // findings an allocation at a time took one thread 20 ms.
        std::mem::forget(write(&mut out, batch));
    }
    if deferred {
        let found = run_tree_rules(std::mem::take(&mut held.tree_jobs), &store);
        held.finish(found);
        for range in chunks(held.sizes.iter().copied(), 1) {
            let (mut reports, settings) = held.reload(range, &store, color_err, &mut out.failed);
            if let Some(b) = &baseline {
                out.hidden += b.filter(&mut reports[..settings.len()], &cwd);
            }
            out.write(&reports, &settings);
        }
    }
    progress.finish_and_clear();
    out.finish();
    if let (Some(file), Some(recorder)) = (&args.write_baseline, out.recorder.take()) {
        return match recorder.write(file) {
            Ok(n) => {
                eprintln!("wrote {n} findings to the baseline {}", file.display());
                if out.failed { ExitCode::from(2) } else { ExitCode::SUCCESS }
            }
            Err(e) => fatal(&format!("cannot write baseline {}: {e}", file.display())),
        };
    }
    if out.hidden > 0 && args.format == OutputFormat::Full {
        eprintln!("{} findings recorded in the baseline are not shown", out.hidden);
    }
    if args.format == OutputFormat::Full && out.write_error.is_none() {
        let mut stdout = io::stdout().lock();
        let _ = writeln!(stdout, "{}", out.summary.render()).and_then(|()| stdout.flush());
    }
    if let Some(e) = out.broken() {
        return fatal(&format!("cannot write output: {e}"));
    }
    if out.failed {
        ExitCode::from(2)
    } else if out.fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

type Level = codespan_reporting::diagnostic::Severity;

/// A progress bar on stderr for long runs (many files, or many bytes: one
/// big file moves it a piece at a time), in bytes read, only on a terminal
/// and only with the human formats: machine output and pipes stay clean.
/// `size`: the inputs' count and bytes, when known before they are read.
fn progress_bar(size: Option<(usize, u64)>, format: OutputFormat) -> indicatif::ProgressBar {
    let human = matches!(format, OutputFormat::Full | OutputFormat::Concise);
    let Some((files, bytes)) = size else { return indicatif::ProgressBar::hidden() };
    let long = files >= 200 || bytes >= 64 << 20;
    if !long || !human || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(bytes);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {elapsed}") {
        bar.set_style(style);
    }
    bar
}

fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn buffer(color: bool) -> Buffer {
    if color { Buffer::ansi() } else { Buffer::no_color() }
}

/// Inputs that cannot be linted (a missing path, a bad JSON Lines record),
/// as errors on stderr.
fn report_missing(missing: &[discover::Missing], color: bool) {
    let mut stderr = io::stderr().lock();
    for m in missing {
        let _ = write_problem(&mut stderr, color, &m.display, &m.message, None, Level::Error);
    }
}

fn write_problem(
    out: &mut dyn Write,
    color: bool,
    display: &str,
    message: &str,
    note: Option<String>,
    severity: codespan_reporting::diagnostic::Severity,
) -> io::Result<()> {
    let diagnostic = Diagnostic::new(severity)
        .with_message(format!("{display}: {message}"))
        .with_notes(note.map(|n| format!("help: {n}")).into_iter().collect());
    let files = SimpleFile::new(display, "");
    let mut buf = buffer(color);
    term::emit_to_write_style(&mut buf, &term::Config::default(), &files, &diagnostic)
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(buf.as_slice())
}

pub fn render_config_error(e: &ConfigError, color: bool) {
    // Relative to the working directory, as the user would type it.
    let cwd = std::env::current_dir().unwrap_or_default();
    let name = e.path.strip_prefix(&cwd).unwrap_or(&e.path).display().to_string();
    let file = SimpleFile::new(name.as_str(), e.text.as_str());
    let mut diagnostic = Diagnostic::error().with_code("config").with_message(&e.message);
    match &e.span {
        Some(span) if !e.text.is_empty() => {
            diagnostic = diagnostic.with_labels(vec![Label::primary((), span.clone())]);
        }
        _ if !name.is_empty() => diagnostic = diagnostic.with_notes(vec![format!("in {name}")]),
        _ => {}
    }
    if let Some(help) = &e.help {
        diagnostic.notes.push(format!("help: {help}"));
    }
    let mut buf = buffer(color);
    if term::emit_to_write_style(&mut buf, &term::Config::default(), &file, &diagnostic).is_ok() {
        let _ = io::stderr().write_all(buf.as_slice());
    }
}

fn fatal(message: &str) -> ExitCode {
    let _ = writeln!(io::stderr(), "error: {message}");
    ExitCode::from(2)
}

fn list_rules() -> ExitCode {
    let mut out = String::new();
    for spec in rules::REGISTRY {
        let (severity, summary) = catalogue::entry(spec.id)
            .map_or(("?".into(), ""), |e| (e.severity.to_string(), e.summary.as_str()));
        out.push_str(&format!("{:<22} {:<8} {}\n", spec.id, severity, summary));
    }
    print_or_quiet(&out)
}

fn show_rule(id: &str) -> ExitCode {
    match catalogue::entry(id) {
        Some(entry) => print_or_quiet(&catalogue::render_long(entry)),
        None => {
            let known: Vec<&str> = rules::REGISTRY.iter().map(|s| s.id).collect();
            fatal(&format!("unknown rule `{id}`; known rules: {}", known.join(", ")))
        }
    }
}

fn show_config(file: &std::path::Path, config: Option<std::path::PathBuf>, isolated: bool) -> ExitCode {
    let cwd = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => return fatal(&format!("cannot read the current directory: {e}")),
    };
    let absolute = std::path::absolute(cwd.join(file)).unwrap_or_else(|_| file.to_path_buf());
    let dir = absolute.parent().unwrap_or(&cwd).to_path_buf();
    let overrides = Overrides { config, isolated, ..Overrides::default() };
    let settings = Loader::new(overrides, cwd.clone()).for_dir(&dir);
    match settings {
        Ok(settings) => print_or_quiet(&config::show(&settings, &absolute, &file.display().to_string())),
        Err(e) => {
            render_config_error(&e, use_color(ColorChoice::Auto, io::stderr().is_terminal()));
            ExitCode::from(2)
        }
    }
}

fn init(path: &std::path::Path, force: bool) -> ExitCode {
    if path.exists() && !force {
        return fatal(&format!("{} already exists; pass --force to overwrite it", path.display()));
    }
    match std::fs::write(path, config::init_template()) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => fatal(&format!("cannot write {}: {}", path.display(), discover::io_message(&e))),
    }
}

fn print_or_quiet(text: &str) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => fatal(&format!("cannot write output: {e}")),
        _ => ExitCode::SUCCESS,
    }
}
