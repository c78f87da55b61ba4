//! Invitations to apply: an organisation invites a volunteer it was shown as a
//! suggestion for one of its roles (once per volunteer and role). Recent invitations
//! also feed matching's fairness tie-break, so the same few volunteers are not
//! invited again and again.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_core_schema::{CASCADE, SET_NULL, fk, index, unique};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoleInvitation::Table)
                    .col(pk_auto(RoleInvitation::Id))
                    .col(integer(RoleInvitation::RoleId))
                    .col(integer(RoleInvitation::VolunteerProfileId))
                    .col(integer_null(RoleInvitation::InvitedBy))
                    .col(text(RoleInvitation::Message).default(""))
                    .col(timestamp_with_time_zone(RoleInvitation::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_role_invitation_role_id",
                        RoleInvitation::Table,
                        RoleInvitation::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_invitation_volunteer_profile_id",
                        RoleInvitation::Table,
                        RoleInvitation::VolunteerProfileId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_invitation_invited_by",
                        RoleInvitation::Table,
                        RoleInvitation::InvitedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_role_invitation_role_volunteer",
            RoleInvitation::Table,
            &[RoleInvitation::RoleId, RoleInvitation::VolunteerProfileId],
        )
        .await?;
        // The fairness tie-break counts a volunteer's invitations since a date.
        index(
            manager,
            "idx_role_invitation_volunteer_created",
            RoleInvitation::Table,
            &[
                RoleInvitation::VolunteerProfileId,
                RoleInvitation::CreatedAt,
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoleInvitation::Table).to_owned())
            .await?;
        Ok(())
    }
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
}

#[derive(DeriveIden, Clone, Copy)]
enum RoleInvitation {
    Table,
    Id,
    RoleId,
    VolunteerProfileId,
    InvitedBy,
    Message,
    CreatedAt,
}
