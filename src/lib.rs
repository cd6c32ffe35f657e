//! copydesk: a CJK-aware linter for drafts. The pipeline reads off the modules:
//! [`source`] (bytes to text) → [`document`] (blocks, sentences, tokens with
//! byte spans) → [`rules`] run by [`lint`] → [`finding`]s → [`emit`].
//! [`config`], [`discover`] and [`catalogue`] feed the run; [`app`] drives it.

pub mod app;
pub mod baseline;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod discover;
pub mod document;
pub mod emit;
pub mod finding;
pub mod fingerprint;
pub mod jsonl;
pub mod lint;
pub mod pieces;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod texts;
