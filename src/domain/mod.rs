//! Pure logic of the volunteering world: no I/O, no framework types.
pub mod access;
pub mod applications;
pub mod baseline;
pub mod filters;
pub mod front_desk;
pub mod ics;
pub mod london_time;
pub mod markdown;
pub mod matching;
pub mod pathways;
pub mod profile_completeness;
pub mod representativeness;
