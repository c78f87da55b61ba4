//! Reference data (wards, skills, causes) loaded on every start, and the demo data set.
//!
//! - [`ensure_reference_data`]: idempotent; inserts whatever is missing.
//! - [`seed_demo`]: a realistic, deterministic Southwark data set at any scale,
//!   written with batched multi-row inserts (see `batch`).

mod batch;
mod demo;
mod names;
pub mod reference;
pub mod vocab;

#[cfg(test)]
mod tests;

pub use demo::{
    ALLIANCE_ADMIN_EMAIL, DEMO_HUBS, DEMO_ORG_ACCOUNTS, DEMO_PASSWORD, DEMO_VOLUNTEER_EMAIL,
    DemoHub, DemoOptions, DemoReport, YOUNG_VOLUNTEER_EMAIL, seed_demo,
};
pub use reference::{
    BaselineRow, PREFER_NOT_TO_SAY, Ward, census_baseline, census_categories,
    ensure_reference_data, postcode_districts, southwark_wards,
};

/// Why loading data failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Demo data is only loaded into a database without organisations.
    #[error(
        "the database already has organisations; demo data is only loaded into an empty database"
    )]
    AlreadySeeded,
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("writing demo data: {0}")]
    Write(String),
    #[error("the demo data generator failed: {0}")]
    Generator(String),
    #[error("bad seed data: {0}")]
    Data(String),
}

impl From<batch::WriterError> for SeedError {
    fn from(e: batch::WriterError) -> Self {
        match e {
            batch::WriterError::Db(e) => SeedError::Db(e),
            other => SeedError::Write(other.to_string()),
        }
    }
}
