//! Email preferences (one row per user and kind they changed; a missing row means the
//! kind's default) and the keys of scheduled emails already queued, so a scheduled job
//! run twice sends each email once.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_core_schema::{CASCADE, SET_NULL, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EmailPreference::Table)
                    .col(integer(EmailPreference::UserId))
                    .col(text(EmailPreference::Kind))
                    .col(boolean(EmailPreference::Enabled))
                    .col(timestamp_with_time_zone(EmailPreference::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(EmailPreference::UserId)
                            .col(EmailPreference::Kind),
                    )
                    .foreign_key(&mut fk(
                        "fk_email_preference_user_id",
                        EmailPreference::Table,
                        EmailPreference::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ScheduledEmail::Table)
                    .col(text(ScheduledEmail::Key).primary_key())
                    .col(integer_null(ScheduledEmail::OutboxId))
                    .col(timestamp_with_time_zone(ScheduledEmail::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_scheduled_email_outbox_id",
                        ScheduledEmail::Table,
                        ScheduledEmail::OutboxId,
                        Outbox::Table,
                        Outbox::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        // Housekeeping forgets old keys by age.
        index(
            manager,
            "idx_scheduled_email_created_at",
            ScheduledEmail::Table,
            &[ScheduledEmail::CreatedAt],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ScheduledEmail::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(EmailPreference::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Outbox {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum EmailPreference {
    Table,
    UserId,
    Kind,
    Enabled,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ScheduledEmail {
    Table,
    Key,
    OutboxId,
    CreatedAt,
}
