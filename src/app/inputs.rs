//! A run's inputs, a chunk at a time: files found up front (their sizes decide
//! the chunks), or JSON Lines records read as they are needed, so that a
//! corpus of records is never held whole.

use super::batch::{chunk_is_full, chunks, input_size};
use crate::cli::{CheckArgs, RecordFormat};
use crate::config::{ConfigError, Loader, Settings};
use crate::discover::{self, Input, Missing, Target};
use crate::jsonl;
use crate::lint::RuleSet;
use crate::source::Format;
use std::collections::VecDeque;
use std::io::{self, BufRead};
use std::sync::Arc;

pub(super) enum Inputs {
    Files {
        targets: VecDeque<Target>,
        /// The number of files in each chunk, in order.
        chunks: VecDeque<usize>,
        /// Their bytes, all told.
        bytes: u64,
    },
    Records {
        records: jsonl::Records<Box<dyn BufRead>>,
        /// The JSON Lines file, to name a bad line.
        name: String,
        settings: Arc<Settings>,
        rules: Arc<RuleSet>,
        format: Format,
    },
}

impl Inputs {
    /// Files, chunked by size.
    pub(super) fn files(targets: Vec<Target>) -> Inputs {
        let sizes: Vec<u64> = targets.iter().map(input_size).collect();
        let chunks = chunks(sizes.iter().copied(), rayon::current_num_threads()).into_iter().map(|r| r.len());
        Inputs::Files { targets: targets.into(), chunks: chunks.collect(), bytes: sizes.iter().sum() }
    }

    /// The records of a JSON Lines file (`-`: standard input), under the
    /// settings of the working directory. A file that cannot be opened is
    /// reported like a missing file.
    pub(super) fn records(
        file: &std::path::Path,
        args: &CheckArgs,
        cwd: &std::path::Path,
        loader: &mut Loader,
    ) -> Result<(Inputs, Vec<Missing>), ConfigError> {
        let name = file.display().to_string();
        let settings = loader.for_dir(cwd)?;
        let rules = settings.rules_for(cwd)?;
        let reader: Box<dyn BufRead> = if name == "-" {
            Box::new(io::BufReader::new(io::stdin()))
        } else {
            match std::fs::File::open(file) {
                Ok(f) => Box::new(io::BufReader::new(f)),
                Err(e) => {
                    let missing = Missing { display: name, message: discover::io_message(&e) };
                    return Ok((Inputs::files(Vec::new()), vec![missing]));
                }
            }
        };
        let format = match args.record_format {
            RecordFormat::Text => Format::PlainText,
            RecordFormat::Markdown => Format::Markdown,
        };
        let records = jsonl::read(reader, &args.id_field, &args.text_field);
        Ok((Inputs::Records { records, name, settings, rules, format }, Vec::new()))
    }

    pub(super) fn has_tree_rules(&self) -> bool {
        match self {
            Inputs::Files { targets, .. } => targets.iter().any(|t| t.rules.has_tree_rules()),
            Inputs::Records { rules, .. } => rules.has_tree_rules(),
        }
    }

    /// How many inputs there are and their bytes, when that is known before
    /// they are read.
    pub(super) fn known_size(&self) -> Option<(usize, u64)> {
        match self {
            Inputs::Files { targets, bytes, .. } => Some((targets.len(), *bytes)),
            Inputs::Records { .. } => None,
        }
    }

    /// The next chunk, and the records that could not be read on the way
    /// (reported like missing files). `None` when all is read.
    pub(super) fn next_chunk(&mut self) -> Option<(Vec<Target>, Vec<Missing>)> {
        match self {
            Inputs::Files { targets, chunks, .. } => {
                let n = chunks.pop_front()?;
                Some((targets.drain(..n).collect(), Vec::new()))
            }
            Inputs::Records { records, name, settings, rules, format } => {
                let threads = rayon::current_num_threads();
                let (mut chunk, mut bad, mut bytes) = (Vec::new(), Vec::new(), 0u64);
                let mut ended = true;
                for record in records.by_ref() {
                    match record {
                        Ok(r) => {
                            bytes += r.text.len() as u64;
                            chunk.push(Target {
                                input: Input::Record { id: r.id, text: r.text, format: *format },
                                settings: settings.clone(),
                                rules: rules.clone(),
                            });
                        }
                        Err(b) => {
                            bad.push(Missing { display: format!("{name}:{}", b.line), message: b.message })
                        }
                    }
                    if chunk_is_full(chunk.len(), bytes, threads) {
                        ended = false;
                        break;
                    }
                }
                (!ended || !chunk.is_empty() || !bad.is_empty()).then_some((chunk, bad))
            }
        }
    }
}
