//! hubmatch: volunteering matches across a borough's community hubs.
pub mod entities;
pub mod seed;
