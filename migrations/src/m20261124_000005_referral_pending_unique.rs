//! At most one referral of a volunteer to a role may wait for their answer at a time,
//! even when two coordinators refer at the same moment (a partial unique index; both
//! SQLite and PostgreSQL support `WHERE` on an index).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_referral_pending ON referral (volunteer_id, role_id) \
                 WHERE status = 'pending'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP INDEX uq_referral_pending")
            .await?;
        Ok(())
    }
}
