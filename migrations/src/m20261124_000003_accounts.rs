//! Accounts: one-time account tokens, API tokens, two-factor secrets and recovery codes,
//! rate-limit events, erasure marks, and the session's owner (for "log out everywhere").

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_core_schema::{CASCADE, check_in, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string_null(Users::TotpSecret),
            timestamp_with_time_zone_null(Users::TotpEnabledAt),
            big_integer_null(Users::TotpLastStep),
            timestamp_with_time_zone_null(Users::TermsAcceptedAt),
            timestamp_with_time_zone_null(Users::ErasedAt),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .add_column(integer_null(Session::UserId))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_session_user_id",
            Session::Table,
            &[Session::UserId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AccountToken::Table)
                    .col(pk_auto(AccountToken::Id))
                    .col(string(AccountToken::Kind))
                    .col(string_uniq(AccountToken::TokenHash))
                    .col(integer_null(AccountToken::UserId))
                    .col(integer_null(AccountToken::OrganisationId))
                    .col(string_null(AccountToken::Email))
                    .col(text(AccountToken::Detail).default("{}"))
                    .col(timestamp_with_time_zone(AccountToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(AccountToken::UsedAt))
                    .col(timestamp_with_time_zone(AccountToken::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_account_token_user_id",
                        AccountToken::Table,
                        AccountToken::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_account_token_organisation_id",
                        AccountToken::Table,
                        AccountToken::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .check(check_in(
                        "ck_account_token_kind",
                        AccountToken::Kind,
                        &[
                            "verify_email",
                            "change_email",
                            "password_reset",
                            "guardian_consent",
                            "staff_invite",
                        ],
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_account_token_user_id",
            AccountToken::Table,
            &[AccountToken::UserId],
        )
        .await?;
        index(
            manager,
            "idx_account_token_organisation_id",
            AccountToken::Table,
            &[AccountToken::OrganisationId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiToken::Table)
                    .col(pk_auto(ApiToken::Id))
                    .col(string(ApiToken::Name))
                    .col(string(ApiToken::Prefix))
                    .col(string_uniq(ApiToken::TokenHash))
                    .col(integer(ApiToken::UserId))
                    .col(integer_null(ApiToken::OrganisationId))
                    .col(timestamp_with_time_zone(ApiToken::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiToken::RevokedAt))
                    .foreign_key(&mut fk(
                        "fk_api_token_user_id",
                        ApiToken::Table,
                        ApiToken::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_api_token_organisation_id",
                        ApiToken::Table,
                        ApiToken::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_api_token_user_id",
            ApiToken::Table,
            &[ApiToken::UserId],
        )
        .await?;
        index(
            manager,
            "idx_api_token_organisation_id",
            ApiToken::Table,
            &[ApiToken::OrganisationId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecoveryCode::Table)
                    .col(pk_auto(RecoveryCode::Id))
                    .col(integer(RecoveryCode::UserId))
                    .col(string(RecoveryCode::CodeHash))
                    .col(timestamp_with_time_zone_null(RecoveryCode::UsedAt))
                    .col(timestamp_with_time_zone(RecoveryCode::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_recovery_code_user_id",
                        RecoveryCode::Table,
                        RecoveryCode::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_recovery_code_user_id_code_hash",
            RecoveryCode::Table,
            &[RecoveryCode::UserId, RecoveryCode::CodeHash],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RateLimitEvent::Table)
                    .col(pk_auto(RateLimitEvent::Id))
                    .col(string(RateLimitEvent::Bucket))
                    .col(string(RateLimitEvent::Subject))
                    .col(timestamp_with_time_zone(RateLimitEvent::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_rate_limit_event_bucket_subject_created_at",
            RateLimitEvent::Table,
            &[
                RateLimitEvent::Bucket,
                RateLimitEvent::Subject,
                RateLimitEvent::CreatedAt,
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RateLimitEvent::Table.into_iden(),
            RecoveryCode::Table.into_iden(),
            ApiToken::Table.into_iden(),
            AccountToken::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_session_user_id")
                    .table(Session::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .drop_column(Session::UserId)
                    .to_owned(),
            )
            .await?;
        for column in [
            Users::ErasedAt,
            Users::TermsAcceptedAt,
            Users::TotpLastStep,
            Users::TotpEnabledAt,
            Users::TotpSecret,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    TotpSecret,
    TotpEnabledAt,
    TotpLastStep,
    TermsAcceptedAt,
    ErasedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Session {
    Table,
    UserId,
}

#[derive(DeriveIden, Clone, Copy)]
enum AccountToken {
    Table,
    Id,
    Kind,
    TokenHash,
    UserId,
    OrganisationId,
    Email,
    Detail,
    ExpiresAt,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiToken {
    Table,
    Id,
    Name,
    Prefix,
    TokenHash,
    UserId,
    OrganisationId,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RecoveryCode {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RateLimitEvent {
    Table,
    Id,
    Bucket,
    Subject,
    CreatedAt,
}
