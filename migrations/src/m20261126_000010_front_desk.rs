//! The hub front desk: link workers, social-prescribing referrals with their lifecycle
//! and outcomes, accounts made in person for residents offline, and the hub's calls to make.

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
                    .table(LinkWorker::Table)
                    .col(pk_auto(LinkWorker::Id))
                    .col(integer_uniq(LinkWorker::UserId))
                    .col(integer_null(LinkWorker::HubId))
                    .col(text_null(LinkWorker::GpNetwork))
                    .col(integer_null(LinkWorker::CreatedBy))
                    .col(timestamp_with_time_zone(LinkWorker::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_link_worker_user_id",
                        LinkWorker::Table,
                        LinkWorker::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_link_worker_hub_id",
                        LinkWorker::Table,
                        LinkWorker::HubId,
                        Hub::Table,
                        Hub::Id,
                        SET_NULL,
                    ))
                    .foreign_key(&mut fk(
                        "fk_link_worker_created_by",
                        LinkWorker::Table,
                        LinkWorker::CreatedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    // Attached to a hub, a GP practice network, or both; never to nothing.
                    .check(Check::named(
                        "ck_link_worker_attached",
                        Expr::col(LinkWorker::HubId)
                            .is_not_null()
                            .or(Expr::col(LinkWorker::GpNetwork).is_not_null()),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SocialReferral::Table)
                    .col(pk_auto(SocialReferral::Id))
                    .col(integer(SocialReferral::VolunteerProfileId))
                    .col(integer_null(SocialReferral::ReferredBy))
                    .col(text(SocialReferral::Source))
                    .col(text_null(SocialReferral::GpNetwork))
                    .col(integer(SocialReferral::HubId))
                    .col(integer(SocialReferral::OrganisationId))
                    .col(integer_null(SocialReferral::RoleId))
                    .col(timestamp_with_time_zone(SocialReferral::ConsentRecordedAt))
                    .col(integer_null(SocialReferral::ConsentBy))
                    .col(text(SocialReferral::Hopes))
                    .col(text(SocialReferral::Needs))
                    // Stays with the link worker and the hub: never shown to the organisation.
                    .col(text(SocialReferral::Reason))
                    .col(text(SocialReferral::Status))
                    .col(timestamp_with_time_zone(SocialReferral::CreatedAt))
                    .col(timestamp_with_time_zone(SocialReferral::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_social_referral_volunteer_profile_id",
                        SocialReferral::Table,
                        SocialReferral::VolunteerProfileId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_social_referral_referred_by",
                        SocialReferral::Table,
                        SocialReferral::ReferredBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .foreign_key(&mut fk(
                        "fk_social_referral_hub_id",
                        SocialReferral::Table,
                        SocialReferral::HubId,
                        Hub::Table,
                        Hub::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_social_referral_organisation_id",
                        SocialReferral::Table,
                        SocialReferral::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_social_referral_role_id",
                        SocialReferral::Table,
                        SocialReferral::RoleId,
                        Role::Table,
                        Role::Id,
                        SET_NULL,
                    ))
                    .foreign_key(&mut fk(
                        "fk_social_referral_consent_by",
                        SocialReferral::Table,
                        SocialReferral::ConsentBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .check(check_in(
                        "ck_social_referral_status",
                        SocialReferral::Status,
                        &[
                            "sent",
                            "received",
                            "contacted",
                            "started",
                            "ended",
                            "declined",
                        ],
                    ))
                    .check(check_in(
                        "ck_social_referral_source",
                        SocialReferral::Source,
                        &["link_worker", "gp_network", "hub"],
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_social_referral_hub_id",
            SocialReferral::Table,
            &[SocialReferral::HubId],
        )
        .await?;
        index(
            manager,
            "idx_social_referral_organisation_id",
            SocialReferral::Table,
            &[SocialReferral::OrganisationId],
        )
        .await?;
        index(
            manager,
            "idx_social_referral_referred_by",
            SocialReferral::Table,
            &[SocialReferral::ReferredBy],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SocialReferralEvent::Table)
                    .col(pk_auto(SocialReferralEvent::Id))
                    .col(integer(SocialReferralEvent::ReferralId))
                    .col(text(SocialReferralEvent::Status))
                    .col(timestamp_with_time_zone(SocialReferralEvent::At))
                    .col(integer_null(SocialReferralEvent::ByUser))
                    .foreign_key(&mut fk(
                        "fk_social_referral_event_referral_id",
                        SocialReferralEvent::Table,
                        SocialReferralEvent::ReferralId,
                        SocialReferral::Table,
                        SocialReferral::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_social_referral_event_by_user",
                        SocialReferralEvent::Table,
                        SocialReferralEvent::ByUser,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .check(check_in(
                        "ck_social_referral_event_status",
                        SocialReferralEvent::Status,
                        &[
                            "sent",
                            "received",
                            "contacted",
                            "started",
                            "ended",
                            "declined",
                        ],
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_social_referral_event_referral_id",
            SocialReferralEvent::Table,
            &[SocialReferralEvent::ReferralId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SocialReferralOutcome::Table)
                    .col(pk_auto(SocialReferralOutcome::Id))
                    .col(integer(SocialReferralOutcome::ReferralId))
                    .col(integer(SocialReferralOutcome::CheckpointWeeks))
                    .col(boolean(SocialReferralOutcome::StillVolunteering))
                    .col(integer(SocialReferralOutcome::Hours))
                    .col(timestamp_with_time_zone(SocialReferralOutcome::RecordedAt))
                    .col(integer_null(SocialReferralOutcome::RecordedBy))
                    .foreign_key(&mut fk(
                        "fk_social_referral_outcome_referral_id",
                        SocialReferralOutcome::Table,
                        SocialReferralOutcome::ReferralId,
                        SocialReferral::Table,
                        SocialReferral::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_social_referral_outcome_recorded_by",
                        SocialReferralOutcome::Table,
                        SocialReferralOutcome::RecordedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .check(Check::named(
                        "ck_social_referral_outcome_checkpoint",
                        Expr::col(SocialReferralOutcome::CheckpointWeeks).is_in([4, 12]),
                    ))
                    .check(Check::named(
                        "ck_social_referral_outcome_hours",
                        Expr::col(SocialReferralOutcome::Hours).gte(0),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_social_referral_outcome_checkpoint",
            SocialReferralOutcome::Table,
            &[
                SocialReferralOutcome::ReferralId,
                SocialReferralOutcome::CheckpointWeeks,
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AssistedAccount::Table)
                    .col(pk_auto(AssistedAccount::Id))
                    .col(integer_uniq(AssistedAccount::UserId))
                    .col(integer(AssistedAccount::HubId))
                    .col(text(AssistedAccount::ContactPreference))
                    .col(text_null(AssistedAccount::Phone))
                    .col(text_null(AssistedAccount::PostalAddress))
                    .col(integer_null(AssistedAccount::AssistedBy))
                    .col(timestamp_with_time_zone(AssistedAccount::ConsentInPersonAt))
                    .col(text_null(AssistedAccount::ClaimCodeHash))
                    .col(timestamp_with_time_zone_null(
                        AssistedAccount::ClaimExpiresAt,
                    ))
                    .col(timestamp_with_time_zone_null(AssistedAccount::ClaimedAt))
                    .col(timestamp_with_time_zone(AssistedAccount::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_assisted_account_user_id",
                        AssistedAccount::Table,
                        AssistedAccount::UserId,
                        Users::Table,
                        Users::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_assisted_account_hub_id",
                        AssistedAccount::Table,
                        AssistedAccount::HubId,
                        Hub::Table,
                        Hub::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_assisted_account_assisted_by",
                        AssistedAccount::Table,
                        AssistedAccount::AssistedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .check(check_in(
                        "ck_assisted_account_contact_preference",
                        AssistedAccount::ContactPreference,
                        &["phone", "post", "email"],
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ToCall::Table)
                    .col(pk_auto(ToCall::Id))
                    .col(integer(ToCall::HubId))
                    .col(integer(ToCall::VolunteerProfileId))
                    .col(text(ToCall::Kind))
                    .col(text(ToCall::Summary))
                    .col(timestamp_with_time_zone(ToCall::CreatedAt))
                    .col(timestamp_with_time_zone_null(ToCall::DoneAt))
                    .col(integer_null(ToCall::DoneBy))
                    .foreign_key(&mut fk(
                        "fk_to_call_hub_id",
                        ToCall::Table,
                        ToCall::HubId,
                        Hub::Table,
                        Hub::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_to_call_volunteer_profile_id",
                        ToCall::Table,
                        ToCall::VolunteerProfileId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_to_call_done_by",
                        ToCall::Table,
                        ToCall::DoneBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_to_call_hub_id_done_at",
            ToCall::Table,
            &[ToCall::HubId, ToCall::DoneAt],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ToCall::Table.into_iden(),
            AssistedAccount::Table.into_iden(),
            SocialReferralOutcome::Table.into_iden(),
            SocialReferralEvent::Table.into_iden(),
            SocialReferral::Table.into_iden(),
            LinkWorker::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Hub {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Role {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum VolunteerProfile {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum LinkWorker {
    Table,
    Id,
    UserId,
    HubId,
    GpNetwork,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SocialReferral {
    Table,
    Id,
    VolunteerProfileId,
    ReferredBy,
    Source,
    GpNetwork,
    HubId,
    OrganisationId,
    RoleId,
    ConsentRecordedAt,
    ConsentBy,
    Hopes,
    Needs,
    Reason,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SocialReferralEvent {
    Table,
    Id,
    ReferralId,
    Status,
    At,
    ByUser,
}

#[derive(DeriveIden, Clone, Copy)]
enum SocialReferralOutcome {
    Table,
    Id,
    ReferralId,
    CheckpointWeeks,
    StillVolunteering,
    Hours,
    RecordedAt,
    RecordedBy,
}

#[derive(DeriveIden, Clone, Copy)]
enum AssistedAccount {
    Table,
    Id,
    UserId,
    HubId,
    ContactPreference,
    Phone,
    PostalAddress,
    AssistedBy,
    ConsentInPersonAt,
    ClaimCodeHash,
    ClaimExpiresAt,
    ClaimedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ToCall {
    Table,
    Id,
    HubId,
    VolunteerProfileId,
    Kind,
    Summary,
    CreatedAt,
    DoneAt,
    DoneBy,
}
