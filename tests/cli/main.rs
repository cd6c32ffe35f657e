//! Integration tests: one binary (faster builds on two cores), one module per area.

mod config;
mod formats;
mod inputs;
mod overrides;
mod quality;
mod sarif;
mod spans;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `copydesk` run in `dir`, with no config or colour leaking in from outside.
pub fn copydesk(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_copydesk"));
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COPYDESK_PIECE_BYTES");
    cmd
}

pub fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// A scratch directory with the given files.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}
