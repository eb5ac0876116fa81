//! Typed access to the declarative data in `rules/` (embedded at compile time).

pub mod codes;
