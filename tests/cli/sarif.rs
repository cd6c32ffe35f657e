//! The machine formats: SARIF checked by Microsoft's official validator
//! (installed from npm on first use, then run offline), GitHub annotations.

use crate::{copydesk, fixtures, stdout_of, tree};
use std::path::{Path, PathBuf};
use std::process::Command;

const VALIDATOR: &str = "@microsoft/sarif-multitool@5.7.0";

/// `sarif-multitool`, installed under the target directory once.
fn validator() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-multitool");
    let bin = dir.join("node_modules/.bin/sarif-multitool");
    if !bin.exists() {
        let status = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(VALIDATOR)
            .status()
            .expect("npm is needed to install the SARIF validator");
        assert!(status.success(), "npm install {VALIDATOR} failed");
    }
    // npm no longer runs install scripts by default; the native tool needs its exec bit.
    let native = dir.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    if native.exists() {
        let _ = Command::new("chmod").arg("u+x").arg(&native).status();
    }
    bin
}

fn validate(sarif: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.sarif");
    std::fs::write(&file, sarif).unwrap();
    let out = Command::new(validator()).arg("validate").arg(&file).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn sarif_passes_the_official_validator() {
    let sarif = stdout_of(copydesk(&fixtures()).args(["check", ".", "--format", "sarif"]));
    let report = validate(&sarif);
    assert!(report.contains("Analysis completed successfully"), "{report}");
    assert!(!report.contains(": error"), "{report}");
    let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let run = &v["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 5);
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 10);
    let with_related =
        results.iter().filter(|r| !r["relatedLocations"].as_array().unwrap().is_empty()).count();
    assert!(with_related >= 5);
}

#[test]
fn sarif_fingerprints_survive_unrelated_edits() {
    let body = "We ship the the fix today.\n\nThe same caption, pasted twice here.\n\nThe same caption, pasted twice here.\n";
    let prints = |text: &str| {
        let dir = tree(&[("a.md", text)]);
        let sarif = stdout_of(copydesk(dir.path()).args(["check", "--format", "sarif"]));
        let v: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let mut p: Vec<String> = v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["copydeskFindingHash/v1"].as_str().unwrap().to_string())
            .collect();
        p.sort();
        p
    };
    let before = prints(body);
    assert_eq!(before.len(), 2);
    assert_eq!(before, prints(&format!("# A new title\n\nA new first paragraph.\n\n{body}")));
}

#[test]
fn github_annotations() {
    let out = stdout_of(copydesk(&fixtures()).args(["check", "en-damaged.md", "--format", "github"]));
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        "::error file=en-damaged.md,line=5,col=81,endLine=5,endColumn=84,title=copydesk repeated-phrase::“the” is written twice%0Ahelp: delete the repeated “the”"
    );
    assert_eq!(out.lines().count(), 5);
}
