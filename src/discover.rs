//! Which files a run lints. Directories are walked with the `ignore` crate, so
//! .gitignore, .ignore and .copydeskignore are honoured and hidden files are
//! skipped, as in ripgrep; walked files must match the config's `include` and
//! not its `exclude`. A file named on the command line is always linted, unless
//! `--force-exclude` asks for `include` and `exclude` to apply to it too
//! (pre-commit passes every staged text file by name, source code included).

use crate::config::{ConfigError, Loader, Settings};
use crate::lint::RuleSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        display: String,
    },
    /// A JSON Lines record, already read.
    Record {
        id: String,
        text: String,
        format: crate::source::Format,
    },
}

pub struct Target {
    pub input: Input,
    pub settings: Arc<Settings>,
    /// The rules for this file: the settings' plus matching `[[overrides]]`.
    pub rules: Arc<RuleSet>,
}

/// A path from the command line that cannot be linted.
pub struct Missing {
    pub display: String,
    pub message: String,
}

pub fn collect(
    paths: &[PathBuf],
    stdin_filename: Option<&str>,
    force_exclude: bool,
    cwd: &Path,
    loader: &mut Loader,
) -> Result<(Vec<Target>, Vec<Missing>), ConfigError> {
    let mut targets = Vec::new();
    let mut missing = Vec::new();
    let mut files: Vec<(PathBuf, String, bool)> = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let dir = stdin_filename
                .and_then(|n| cwd.join(n).parent().map(Path::to_path_buf))
                .unwrap_or_else(|| cwd.to_path_buf());
            let settings = loader.for_dir(&dir)?;
            let named = cwd.join(stdin_filename.unwrap_or("-"));
            let rules = settings.rules_for(&std::path::absolute(&named).unwrap_or(named))?;
            targets.push(Target { input: Input::Stdin, settings, rules });
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let walker = ignore::WalkBuilder::new(path)
                    .add_custom_ignore_filename(".copydeskignore")
                    .require_git(false)
                    .build();
                for entry in walker.flatten() {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let p = entry.into_path();
                        let display = display_path(&p);
                        files.push((p, display, false));
                    }
                }
            }
            Ok(_) => files.push((path.clone(), display_path(path), true)),
            Err(e) => missing.push(Missing { display: display_path(path), message: io_message(&e) }),
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    files.dedup_by(|a, b| a.1 == b.1);
    for (path, display, explicit) in files {
        let absolute = std::path::absolute(cwd.join(&path)).unwrap_or_else(|_| path.clone());
        let dir = absolute.parent().unwrap_or(cwd);
        let settings = loader.for_dir(dir)?;
        // Named files are linted whatever their name, unless --force-exclude
        // asks for the config's filters (pre-commit names every staged text file).
        let linted = if explicit && !force_exclude { true } else { settings.includes(&absolute) };
        if linted {
            let rules = settings.rules_for(&absolute)?;
            targets.push(Target { input: Input::File { path, display }, settings, rules });
        }
    }
    Ok((targets, missing))
}

fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").map(str::to_string).unwrap_or_else(|| s.into_owned())
}

/// "No such file or directory" without Rust's "(os error 2)".
pub fn io_message(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}
