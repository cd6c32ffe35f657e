//! What several rules share: text measures, the shape of a block's start and
//! end, the pairing of cut sentences with their stranded tails, and the
//! pattern rules that configs and rule packs define.

pub mod pairing;
pub mod pattern;
pub mod runs;
pub mod shape;
pub mod text;
