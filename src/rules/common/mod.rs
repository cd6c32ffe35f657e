//! What several rules share: text measures, the shape of a block's start and
//! end, and the pairing of cut sentences with their stranded tails.

pub mod pairing;
pub mod shape;
pub mod text;
