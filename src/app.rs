//! The run: parse arguments, find files and their settings, lint in parallel,
//! emit in a deterministic order, choose the exit code.
//!
//! Exit codes: 0 nothing reached the failing level, 1 a finding did, 2 usage,
//! config or I/O errors (a per-file I/O error does not stop the run).

use crate::cli::{CheckArgs, Cli, ColorChoice, Command, RecordFormat};
use crate::config::{self, ConfigError, Loader, Overrides, Settings};
use crate::discover::{self, Input, Target};
use crate::document::Document;
use crate::emit::{self, EmitOptions, FileReport, OutputFormat};
use crate::finding::{FileId, Finding};
use crate::lint::{self, RuleSet};
use crate::rules::TreeInput;
use crate::source::{self, Decoded, Format};
use crate::texts::{InMemory, Kept, Store};
use crate::{baseline, catalogue, jsonl, rules, suppress};
use clap::Parser;
use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Read, Write};
use std::process::ExitCode;
use std::sync::Arc;

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

/// What became of one input.
enum Outcome {
    Linted {
        report: FileReport,
        /// The file it was read from, to read it again.
        path: Option<std::path::PathBuf>,
        settings: Arc<Settings>,
        rules: Arc<RuleSet>,
        tree: Vec<(&'static str, TreeInput)>,
        suppressions: Vec<suppress::Scope>,
    },
    /// Not valid UTF-8, unreadable: an error for that file.
    Failed { display: String, message: String, note: Option<String> },
    /// A binary file: skipped with a note.
    Skipped { display: String, why: String },
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
    let collected = match &args.jsonl {
        Some(file) => records(file, &args, &cwd, &mut loader),
        None => discover::collect(
            &args.paths,
            args.stdin_filename.as_deref(),
            args.force_exclude,
            &cwd,
            &mut loader,
        ),
    };
    let (targets, missing) = match collected {
        Ok(c) => c,
        Err(e) => {
            render_config_error(&e, color_err);
            return ExitCode::from(2);
        }
    };
    let stdin_name = args.stdin_filename.clone().unwrap_or_else(|| "-".to_string());
    let baseline = match args.baseline.as_deref().map(baseline::Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => return fatal(&e),
    };
    // Files are linted and written out a chunk at a time, so memory stays with
    // the chunk. One SARIF document, and a baseline of everything, need every
    // file's text at the end: one chunk. Copies across files (tree scope) need
    // every file's fingerprints first: their findings are deferred to the end,
    // when the texts are read again, so memory stays with fingerprints, not
    // with the corpus.
    let whole_run = args.write_baseline.is_some() || args.format == OutputFormat::Sarif;
    let deferred = !whole_run && targets.iter().any(|t| t.rules.has_tree_rules());
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
    };
    {
        let mut stderr = io::stderr().lock();
        for m in &missing {
            let _ = write_problem(&mut stderr, color_err, &m.display, &m.message, None, Level::Error);
        }
    }
    let progress = progress_bar(targets.len(), args.format);
    let mut to_baseline = Vec::new();
    let lint_chunks = if whole_run {
        std::iter::once(0..targets.len()).collect()
    } else {
        chunks(targets.iter().map(input_size), rayon::current_num_threads())
    };
    let mut held = Batch::default();
    let mut store = Store::default();
    for targets in lint_chunks.into_iter().map(|range| &targets[range]) {
        let outcomes: Vec<Outcome> = targets
            .par_iter()
            .map(|t| {
                let outcome = lint_target(t, &stdin_name);
                progress.inc(1);
                outcome
            })
            .collect();
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
        if args.write_baseline.is_some() {
            to_baseline.append(&mut batch.reports);
            continue;
        }
        if let Some(b) = &baseline {
            out.hidden += b.filter(&mut batch.reports, &cwd);
        }
        out.write(&batch.reports, &batch.settings);
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
    if let Some(file) = &args.write_baseline {
        return match baseline::write(file, &to_baseline, &cwd) {
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

/// Files per chunk, at most.
const CHUNK_FILES: usize = 64;
/// Bytes of input per chunk, about: a chunk's files and findings stay in
/// memory until it is written out, so big files go a few at a time.
const CHUNK_BYTES: u64 = 64 << 20;

fn input_size(target: &Target) -> u64 {
    match &target.input {
        Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
        Input::Record { text, .. } => text.len() as u64,
        Input::Stdin => 0,
    }
}

/// Consecutive runs of inputs (by size) linted together, then written out: up
/// to `CHUNK_FILES` files or `CHUNK_BYTES` of input, but never fewer files
/// than there are threads to keep busy.
fn chunks(sizes: impl Iterator<Item = u64>, threads: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes, mut end) = (0, 0, 0);
    for (i, size) in sizes.enumerate() {
        end = i + 1;
        bytes += size;
        let files = end - start;
        if files == CHUNK_FILES || (bytes >= CHUNK_BYTES && files >= threads) {
            out.push(start..end);
            (start, bytes) = (end, 0);
        }
    }
    if start < end {
        out.push(start..end);
    }
    out
}

/// Linted files (a chunk's, or a whole deferred run's), with what each needs
/// to be finished.
#[derive(Default)]
struct Batch {
    reports: Vec<FileReport>,
    settings: Vec<Arc<Settings>>,
    rules: Vec<Arc<RuleSet>>,
    suppressions: Vec<Vec<suppress::Scope>>,
    tree_jobs: Vec<TreeJob>,
    /// Each file's text length, for chunking the output of a deferred run.
    sizes: Vec<u64>,
}

impl Batch {
    /// Keeps the linted files, their texts given to `store` if there is one;
    /// reports the others on stderr.
    fn take(
        &mut self,
        outcomes: Vec<Outcome>,
        color: bool,
        failed: &mut bool,
        mut store: Option<&mut Store>,
    ) {
        let mut stderr = io::stderr().lock();
        for outcome in outcomes {
            match outcome {
                Outcome::Linted { mut report, path, settings, rules, tree, suppressions } => {
                    let file = self.reports.len();
                    self.sizes.push(report.source.len() as u64);
                    if let Some(store) = store.as_deref_mut() {
                        let text = std::mem::take(&mut report.source);
                        store.push(match path {
                            Some(path) => Kept::disk(path, &text),
                            None => Kept::Held(text.into()),
                        });
                    }
                    for (rule, input) in tree {
                        match self.tree_jobs.iter_mut().find(|job| job.rule == rule) {
                            Some(job) => job.inputs.push((file, input)),
                            None => self.tree_jobs.push(TreeJob {
                                rule,
                                rules: rules.clone(),
                                inputs: vec![(file, input)],
                            }),
                        }
                    }
                    self.reports.push(report);
                    self.settings.push(settings);
                    self.rules.push(rules);
                    self.suppressions.push(suppressions);
                }
                Outcome::Failed { display, message, note } => {
                    *failed = true;
                    let _ = write_problem(&mut stderr, color, &display, &message, note, Level::Error);
                }
                Outcome::Skipped { display, why } => {
                    let _ = write_problem(&mut stderr, color, &display, &why, None, Level::Note);
                }
            }
        }
    }

    /// Adds the findings of the tree-wide rules, then applies suppressions:
    /// after those rules, so that a directive covers their findings too.
    fn finish(&mut self, found: Vec<(FileId, Finding)>) {
        for (file, finding) in found {
            self.reports[file].findings.push(finding);
        }
        for ((report, scopes), rules) in self.reports.iter_mut().zip(&self.suppressions).zip(&self.rules) {
            lint::sort(&mut report.findings);
            report.findings = suppress::apply(scopes, std::mem::take(&mut report.findings), rules);
        }
    }

    /// The reports of the files in `range` of a deferred run, their findings
    /// taken and their texts read again, and their settings. Related spans
    /// into other files point at excerpts of those files appended after them
    /// (no findings of their own, so nothing is written for them): a copy
    /// across a tree of big files must not load every file it names at once.
    /// A file whose text cannot be had again is reported on stderr.
    fn reload(
        &mut self,
        range: std::ops::Range<usize>,
        store: &Store,
        color: bool,
        failed: &mut bool,
    ) -> (Vec<FileReport>, Vec<Arc<Settings>>) {
        let mut reports = Vec::new();
        let mut settings = Vec::new();
        // Where each file of the range is in this output, by file id.
        let mut local: rustc_hash::FxHashMap<FileId, usize> = rustc_hash::FxHashMap::default();
        for file in range {
            let report = &mut self.reports[file];
            match store.load(file) {
                Ok(text) => {
                    local.insert(file, reports.len());
                    let findings = std::mem::take(&mut report.findings);
                    reports.push(FileReport::new(report.display.clone(), text.to_string(), findings));
                    settings.push(self.settings[file].clone());
                }
                Err(why) => {
                    *failed = true;
                    let _ = write_problem(
                        &mut io::stderr().lock(),
                        color,
                        &report.display,
                        &why,
                        None,
                        Level::Error,
                    );
                }
            }
        }
        // Related spans into files outside the range, grouped by file: each
        // file is read once, and one excerpt made per span.
        let mut outside: Vec<(FileId, usize, usize, usize)> = Vec::new();
        for (r, report) in reports.iter().enumerate() {
            for (f, finding) in report.findings.iter().enumerate() {
                for (k, related) in finding.related.iter().enumerate() {
                    match related.file.map(|file| (file, local.get(&file))) {
                        Some((_, Some(_))) | None => {}
                        Some((file, None)) => outside.push((file, r, f, k)),
                    }
                }
            }
        }
        // Spans into files of the range: their place in this output.
        for report in &mut reports {
            for finding in &mut report.findings {
                for related in &mut finding.related {
                    if let Some(i) = related.file.and_then(|file| local.get(&file)) {
                        related.file = Some(*i);
                    }
                }
            }
        }
        outside.sort_unstable();
        let mut lost: Vec<(usize, usize, usize)> = Vec::new();
        for same_file in outside.chunk_by(|a, b| a.0 == b.0) {
            let file = same_file[0].0;
            let Ok(text) = store.load(file) else {
                // The other file is gone: its findings stand without the pointer.
                lost.extend(same_file.iter().map(|&(_, r, f, k)| (r, f, k)));
                continue;
            };
            let line_starts: Vec<usize> =
                std::iter::once(0).chain(newline_offsets(&text).map(|i| i + 1)).collect();
            for &(_, r, f, k) in same_file {
                let span = reports[r].findings[f].related[k].span.clone();
                let line = line_starts.partition_point(|&s| s <= span.start) - 1;
                let start = line_starts[line];
                let end = text[span.end.min(text.len())..].find('\n').map_or(text.len(), |i| span.end + i);
                let excerpt = emit::Excerpt { offset: start, line };
                let display = self.reports[file].display.clone();
                let mut context = FileReport::new(display, text[start..end].to_string(), Vec::new());
                context.excerpt = Some(excerpt);
                reports[r].findings[f].related[k].file = Some(reports.len());
                reports.push(context);
            }
        }
        lost.sort_unstable();
        for (r, f, k) in lost.into_iter().rev() {
            reports[r].findings[f].related.remove(k);
        }
        (reports, settings)
    }
}

fn newline_offsets(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i)
}

/// Where finished findings go, and what the run learns from them.
struct Output {
    options: EmitOptions,
    summary: emit::Summary,
    /// A finding reached its file's failing level.
    fails: bool,
    /// An input could not be read.
    failed: bool,
    /// Findings left out because the baseline has them.
    hidden: usize,
    /// The first write error that is not a closed pipe; a closed pipe ends
    /// the output quietly.
    write_error: Option<io::Error>,
}

impl Output {
    /// Writes `reports`, the first of which have `settings`; the rest are
    /// only there for related spans to point into.
    fn write(&mut self, reports: &[FileReport], settings: &[Arc<Settings>]) {
        for (report, settings) in reports.iter().zip(settings) {
            self.fails |= report.findings.iter().any(|f| settings.fail_on.fails(f.severity));
        }
        self.summary.add(&reports[..settings.len()]);
        if self.write_error.is_some() {
            return;
        }
        let mut stdout = io::stdout().lock();
        if let Err(e) = emit::emit(&mut stdout, reports, &self.options).and_then(|()| stdout.flush()) {
            self.write_error = Some(e);
        }
    }

    /// Whether the output ended with an error worth reporting.
    fn broken(&self) -> Option<&io::Error> {
        self.write_error.as_ref().filter(|e| e.kind() != io::ErrorKind::BrokenPipe)
    }
}

/// A progress bar on stderr for long runs, only on a terminal and only with
/// the human formats: machine output and pipes stay clean.
fn progress_bar(files: usize, format: OutputFormat) -> indicatif::ProgressBar {
    let human = matches!(format, OutputFormat::Full | OutputFormat::Concise);
    if files < 200 || !human || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}") {
        bar.set_style(style);
    }
    bar
}

/// JSON Lines records as targets, under the settings of the working directory;
/// unreadable lines are reported like missing files.
fn records(
    file: &std::path::Path,
    args: &CheckArgs,
    cwd: &std::path::Path,
    loader: &mut Loader,
) -> Result<(Vec<Target>, Vec<discover::Missing>), ConfigError> {
    let name = file.display().to_string();
    let (records, bad) = if name == "-" {
        jsonl::read(io::stdin().lock(), &args.id_field, &args.text_field)
    } else {
        match std::fs::File::open(file) {
            Ok(f) => jsonl::read(io::BufReader::new(f), &args.id_field, &args.text_field),
            Err(e) => {
                return Ok((
                    Vec::new(),
                    vec![discover::Missing { display: name, message: discover::io_message(&e) }],
                ));
            }
        }
    };
    let settings = loader.for_dir(cwd)?;
    let rules = settings.rules_for(cwd)?;
    let format = match args.record_format {
        RecordFormat::Text => Format::PlainText,
        RecordFormat::Markdown => Format::Markdown,
    };
    let targets = records
        .into_iter()
        .map(|r| Target {
            input: Input::Record { id: r.id, text: r.text, format },
            settings: settings.clone(),
            rules: rules.clone(),
        })
        .collect();
    let missing = bad
        .into_iter()
        .map(|b| discover::Missing { display: format!("{name}:{}", b.line), message: b.message })
        .collect();
    Ok((targets, missing))
}

fn lint_target(target: &Target, stdin_name: &str) -> Outcome {
    let (display, bytes) = match &target.input {
        Input::Record { id, text, .. } => (id.clone(), text.clone().into_bytes()),
        Input::Stdin => {
            let mut buf = Vec::new();
            match io::stdin().lock().read_to_end(&mut buf) {
                Ok(_) => (stdin_name.to_string(), buf),
                Err(e) => {
                    return Outcome::Failed {
                        display: stdin_name.to_string(),
                        message: format!("cannot read standard input: {}", discover::io_message(&e)),
                        note: None,
                    };
                }
            }
        }
        Input::File { path, display } => match std::fs::read(path) {
            Ok(b) => (display.clone(), b),
            Err(e) => {
                return Outcome::Failed {
                    display: display.clone(),
                    message: discover::io_message(&e),
                    note: None,
                };
            }
        },
    };
    let format = match &target.input {
        Input::Record { format, .. } => *format,
        Input::Stdin if stdin_name == "-" => Format::Markdown,
        _ => Format::from_path(&display),
    };
    match source::decode(bytes) {
        Decoded::Binary => {
            Outcome::Skipped { display, why: "binary file (it contains NUL bytes), skipped".into() }
        }
        Decoded::InvalidUtf8 { offset } => Outcome::Failed {
            display,
            message: format!("not valid UTF-8: the first invalid byte is at offset {offset}"),
            note: Some("convert it to UTF-8 first, e.g. `iconv -f GB18030 -t UTF-8`".into()),
        },
        Decoded::Text(text) => {
            let (findings, tree, suppressions) = {
                let doc = Document::parse(&display, &text.text, text.body_start(), format);
                (target.rules.check(&doc), target.rules.collect(&doc), suppress::scopes(&doc))
            };
            let report = FileReport::new(display, text.text, findings);
            let path = match &target.input {
                Input::File { path, .. } => Some(path.clone()),
                _ => None,
            };
            Outcome::Linted {
                report,
                path,
                settings: target.settings.clone(),
                rules: target.rules.clone(),
                tree,
                suppressions,
            }
        }
    }
}

/// A rule that compares files with each other: the rule set it runs from
/// (that of the first file that has it) and every file's contribution.
struct TreeJob {
    rule: &'static str,
    rules: Arc<RuleSet>,
    inputs: Vec<(FileId, TreeInput)>,
}

/// Rules that compare files with each other run once all files are read.
fn run_tree_rules(jobs: Vec<TreeJob>, texts: &dyn crate::texts::Texts) -> Vec<(FileId, Finding)> {
    let mut found = Vec::new();
    for TreeJob { rule, rules, inputs } in jobs {
        if let Some(active) = rules.get(rule) {
            found.extend(active.check_tree(inputs, texts));
        }
    }
    found
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_bound_files_and_bytes() {
        const MB: u64 = 1 << 20;
        // Small files: 64 a chunk.
        assert_eq!(chunks(std::iter::repeat_n(1000, 130), 2), [0..64, 64..128, 128..130]);
        // Big files: as many as there are threads, once the bytes are reached.
        assert_eq!(chunks(std::iter::repeat_n(100 * MB, 5), 2), [0..2, 2..4, 4..5]);
        assert_eq!(chunks([10 * MB, 60 * MB, MB, MB].into_iter(), 1), [0..2, 2..4]);
        assert!(chunks(std::iter::empty(), 2).is_empty());
    }
}
