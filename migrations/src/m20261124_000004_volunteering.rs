//! Volunteering core: an organisation's causes, cross-hub referrals, and the secret
//! that lets a volunteer's calendar app read their sessions (.ics) without signing in.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_core_schema::{CASCADE, SET_NULL, check_in, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrganisationCause::Table)
                    .col(integer(OrganisationCause::OrganisationId))
                    .col(integer(OrganisationCause::CauseId))
                    .primary_key(
                        Index::create()
                            .col(OrganisationCause::OrganisationId)
                            .col(OrganisationCause::CauseId),
                    )
                    .foreign_key(&mut fk(
                        "fk_organisation_cause_organisation_id",
                        OrganisationCause::Table,
                        OrganisationCause::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_organisation_cause_cause_id",
                        OrganisationCause::Table,
                        OrganisationCause::CauseId,
                        Cause::Table,
                        Cause::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_organisation_cause_cause_id",
            OrganisationCause::Table,
            &[OrganisationCause::CauseId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Referral::Table)
                    .col(pk_auto(Referral::Id))
                    .col(integer(Referral::VolunteerId))
                    .col(integer(Referral::RoleId))
                    .col(integer_null(Referral::ReferredBy))
                    .col(integer_null(Referral::FromHubId))
                    .col(text(Referral::Note).default(""))
                    .col(string(Referral::Status))
                    .col(timestamp_with_time_zone(Referral::CreatedAt))
                    .col(timestamp_with_time_zone_null(Referral::DecidedAt))
                    .foreign_key(&mut fk(
                        "fk_referral_volunteer_id",
                        Referral::Table,
                        Referral::VolunteerId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_referral_role_id",
                        Referral::Table,
                        Referral::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_referral_referred_by",
                        Referral::Table,
                        Referral::ReferredBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .foreign_key(&mut fk(
                        "fk_referral_from_hub_id",
                        Referral::Table,
                        Referral::FromHubId,
                        Hub::Table,
                        Hub::Id,
                        SET_NULL,
                    ))
                    .check(check_in(
                        "ck_referral_status",
                        Referral::Status,
                        &["pending", "accepted", "declined", "withdrawn"],
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_referral_volunteer_id",
            Referral::Table,
            &[Referral::VolunteerId],
        )
        .await?;
        index(
            manager,
            "idx_referral_role_id",
            Referral::Table,
            &[Referral::RoleId],
        )
        .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(VolunteerProfile::Table)
                    .add_column(string_null(VolunteerProfile::CalendarToken))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_volunteer_profile_calendar_token",
            VolunteerProfile::Table,
            &[VolunteerProfile::CalendarToken],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_volunteer_profile_calendar_token")
                    .table(VolunteerProfile::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(VolunteerProfile::Table)
                    .drop_column(VolunteerProfile::CalendarToken)
                    .to_owned(),
            )
            .await?;
        for table in [
            Referral::Table.into_iden(),
            OrganisationCause::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Cause {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Hub {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Role {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum VolunteerProfile {
    Table,
    Id,
    CalendarToken,
}

#[derive(DeriveIden, Clone, Copy)]
enum OrganisationCause {
    Table,
    OrganisationId,
    CauseId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Referral {
    Table,
    Id,
    VolunteerId,
    RoleId,
    ReferredBy,
    FromHubId,
    Note,
    Status,
    CreatedAt,
    DecidedAt,
}
