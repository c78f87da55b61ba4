//! Database migrations for hubmatch: the schema of docs/schema.md, for SQLite and PostgreSQL.

pub use sea_orm_migration::MigratorTrait;
pub use sea_orm_migration::prelude::*;

mod m20261124_000001_core_schema;
mod m20261124_000002_census_baseline;
mod m20261124_000003_accounts;
mod m20261124_000004_volunteering;
mod m20261124_000005_referral_pending_unique;
mod m20261125_000006_email_preferences;
mod m20261125_000007_role_invitations;
mod m20261125_000008_outreach;
mod m20261126_000009_pathways;
mod m20261126_000010_front_desk;

pub use m20261124_000001_core_schema::AVAILABILITY_SLOTS;

/// Runs every migration of this crate, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_core_schema::Migration),
            Box::new(m20261124_000002_census_baseline::Migration),
            Box::new(m20261124_000003_accounts::Migration),
            Box::new(m20261124_000004_volunteering::Migration),
            Box::new(m20261124_000005_referral_pending_unique::Migration),
            Box::new(m20261125_000006_email_preferences::Migration),
            Box::new(m20261125_000007_role_invitations::Migration),
            Box::new(m20261125_000008_outreach::Migration),
            Box::new(m20261126_000009_pathways::Migration),
            Box::new(m20261126_000010_front_desk::Migration),
        ]
    }
}
