//! unused-suppression: a suppression directive that names an unknown rule or
//! suppresses nothing. Reported by the engine (`suppress`), which knows what
//! each directive removed; this rule has no check of its own.

use super::{ConfigurableRule, OptionError, Reported, Rule};
use crate::document::Document;
use serde::{Deserialize, Serialize};

pub const ID: &str = "unused-suppression";

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

pub struct UnusedSuppression;

impl ConfigurableRule for UnusedSuppression {
    const ID: &'static str = ID;
    type Options = Options;

    fn new(_: Options) -> Result<Self, OptionError> {
        Ok(UnusedSuppression)
    }
}

impl Rule for UnusedSuppression {
    fn check(&self, _doc: &Document, _out: &mut Vec<Reported>) {}
}
