//! Skills pathways: pathways and their ordered stages with requirements, the stages
//! organisations tag roles with, volunteers' enrolments, organisations' skill sign-offs
//! and training records (who and when), and completed stages with certificate serials.

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
                    .table(Pathway::Table)
                    .col(pk_auto(Pathway::Id))
                    .col(string_uniq(Pathway::Slug))
                    .col(string(Pathway::Name))
                    .col(text(Pathway::Summary).default(""))
                    .col(integer(Pathway::MinAge).default(14))
                    .col(integer(Pathway::MaxAge).default(25))
                    .col(boolean(Pathway::Active).default(true))
                    .col(timestamp_with_time_zone(Pathway::CreatedAt))
                    .check(Check::named(
                        "ck_pathway_ages",
                        Expr::col(Pathway::MinAge)
                            .gte(0)
                            .and(Expr::col(Pathway::MaxAge).gte(Expr::col(Pathway::MinAge))),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PathwayStage::Table)
                    .col(pk_auto(PathwayStage::Id))
                    .col(integer(PathwayStage::PathwayId))
                    .col(integer(PathwayStage::Position))
                    .col(string(PathwayStage::Name))
                    .col(text(PathwayStage::Description).default(""))
                    .col(string_uniq(PathwayStage::Tag))
                    .foreign_key(&mut fk(
                        "fk_pathway_stage_pathway_id",
                        PathwayStage::Table,
                        PathwayStage::PathwayId,
                        Pathway::Table,
                        Pathway::Id,
                        CASCADE,
                    ))
                    .check(Check::named(
                        "ck_pathway_stage_position",
                        Expr::col(PathwayStage::Position).gte(1),
                    ))
                    .to_owned(),
            )
            .await?;
        unique(
            manager,
            "uq_pathway_stage_position",
            PathwayStage::Table,
            &[PathwayStage::PathwayId, PathwayStage::Position],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(StageRequirement::Table)
                    .col(pk_auto(StageRequirement::Id))
                    .col(integer(StageRequirement::StageId))
                    .col(string(StageRequirement::Kind))
                    .col(integer_null(StageRequirement::Minutes))
                    .col(integer_null(StageRequirement::SkillId))
                    .col(integer_null(StageRequirement::MinLevel))
                    .col(string_null(StageRequirement::TrainingItem))
                    .col(integer_null(StageRequirement::OrganisationId))
                    .foreign_key(&mut fk(
                        "fk_stage_requirement_stage_id",
                        StageRequirement::Table,
                        StageRequirement::StageId,
                        PathwayStage::Table,
                        PathwayStage::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_stage_requirement_skill_id",
                        StageRequirement::Table,
                        StageRequirement::SkillId,
                        Skill::Table,
                        Skill::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_stage_requirement_organisation_id",
                        StageRequirement::Table,
                        StageRequirement::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .check(check_in(
                        "ck_stage_requirement_kind",
                        StageRequirement::Kind,
                        &["hours", "skill", "training", "sign_off"],
                    ))
                    // Each kind carries what it needs: hours their minutes, a skill its
                    // skill and level, training its item.
                    .check(Check::named(
                        "ck_stage_requirement_shape",
                        Expr::cust(
                            "(kind <> 'hours' OR (minutes IS NOT NULL AND minutes > 0)) \
                             AND (kind <> 'skill' OR (skill_id IS NOT NULL \
                                  AND min_level IS NOT NULL AND min_level BETWEEN 0 AND 15)) \
                             AND (kind <> 'training' OR training_item IS NOT NULL)",
                        ),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_stage_requirement_stage",
            StageRequirement::Table,
            &[StageRequirement::StageId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RolePathwayStage::Table)
                    .col(integer(RolePathwayStage::RoleId))
                    .col(integer(RolePathwayStage::StageId))
                    .primary_key(
                        Index::create()
                            .col(RolePathwayStage::RoleId)
                            .col(RolePathwayStage::StageId),
                    )
                    .foreign_key(&mut fk(
                        "fk_role_pathway_stage_role_id",
                        RolePathwayStage::Table,
                        RolePathwayStage::RoleId,
                        Role::Table,
                        Role::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_role_pathway_stage_stage_id",
                        RolePathwayStage::Table,
                        RolePathwayStage::StageId,
                        PathwayStage::Table,
                        PathwayStage::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        // "Roles that move you forward" looks roles up by stage.
        index(
            manager,
            "idx_role_pathway_stage_stage",
            RolePathwayStage::Table,
            &[RolePathwayStage::StageId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PathwayEnrolment::Table)
                    .col(pk_auto(PathwayEnrolment::Id))
                    .col(integer(PathwayEnrolment::VolunteerProfileId))
                    .col(integer(PathwayEnrolment::PathwayId))
                    .col(timestamp_with_time_zone(PathwayEnrolment::JoinedAt))
                    .col(timestamp_with_time_zone_null(PathwayEnrolment::LeftAt))
                    .foreign_key(&mut fk(
                        "fk_pathway_enrolment_volunteer_profile_id",
                        PathwayEnrolment::Table,
                        PathwayEnrolment::VolunteerProfileId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_pathway_enrolment_pathway_id",
                        PathwayEnrolment::Table,
                        PathwayEnrolment::PathwayId,
                        Pathway::Table,
                        Pathway::Id,
                        CASCADE,
                    ))
                    .to_owned(),
            )
            .await?;
        // One row per volunteer and pathway: leaving sets left_at, joining again clears it.
        unique(
            manager,
            "uq_pathway_enrolment_volunteer_pathway",
            PathwayEnrolment::Table,
            &[
                PathwayEnrolment::VolunteerProfileId,
                PathwayEnrolment::PathwayId,
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(SkillSignOff::Table)
                    .col(pk_auto(SkillSignOff::Id))
                    .col(integer(SkillSignOff::VolunteerProfileId))
                    .col(integer(SkillSignOff::SkillId))
                    .col(integer(SkillSignOff::Level))
                    .col(integer(SkillSignOff::OrganisationId))
                    .col(integer_null(SkillSignOff::SignedBy))
                    .col(text(SkillSignOff::Evidence))
                    .col(timestamp_with_time_zone(SkillSignOff::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_skill_sign_off_volunteer_profile_id",
                        SkillSignOff::Table,
                        SkillSignOff::VolunteerProfileId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_skill_sign_off_skill_id",
                        SkillSignOff::Table,
                        SkillSignOff::SkillId,
                        Skill::Table,
                        Skill::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_skill_sign_off_organisation_id",
                        SkillSignOff::Table,
                        SkillSignOff::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_skill_sign_off_signed_by",
                        SkillSignOff::Table,
                        SkillSignOff::SignedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .check(Check::named(
                        "ck_skill_sign_off_level",
                        Expr::col(SkillSignOff::Level).between(0, 15),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_skill_sign_off_volunteer",
            SkillSignOff::Table,
            &[SkillSignOff::VolunteerProfileId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(TrainingRecord::Table)
                    .col(pk_auto(TrainingRecord::Id))
                    .col(integer(TrainingRecord::VolunteerProfileId))
                    .col(string(TrainingRecord::Item))
                    .col(integer(TrainingRecord::OrganisationId))
                    .col(integer_null(TrainingRecord::SignedBy))
                    .col(date(TrainingRecord::CompletedOn))
                    .col(timestamp_with_time_zone(TrainingRecord::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_training_record_volunteer_profile_id",
                        TrainingRecord::Table,
                        TrainingRecord::VolunteerProfileId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_training_record_organisation_id",
                        TrainingRecord::Table,
                        TrainingRecord::OrganisationId,
                        Organisation::Table,
                        Organisation::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_training_record_signed_by",
                        TrainingRecord::Table,
                        TrainingRecord::SignedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_training_record_volunteer",
            TrainingRecord::Table,
            &[TrainingRecord::VolunteerProfileId],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(StageCompletion::Table)
                    .col(pk_auto(StageCompletion::Id))
                    .col(integer(StageCompletion::VolunteerProfileId))
                    .col(integer(StageCompletion::StageId))
                    .col(timestamp_with_time_zone(StageCompletion::CompletedAt))
                    .col(string_uniq(StageCompletion::CertificateSerial))
                    .col(timestamp_with_time_zone_null(StageCompletion::RevokedAt))
                    .col(integer_null(StageCompletion::RevokedBy))
                    .col(text(StageCompletion::RevokedReason).default(""))
                    .foreign_key(&mut fk(
                        "fk_stage_completion_volunteer_profile_id",
                        StageCompletion::Table,
                        StageCompletion::VolunteerProfileId,
                        VolunteerProfile::Table,
                        VolunteerProfile::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_stage_completion_stage_id",
                        StageCompletion::Table,
                        StageCompletion::StageId,
                        PathwayStage::Table,
                        PathwayStage::Id,
                        CASCADE,
                    ))
                    .foreign_key(&mut fk(
                        "fk_stage_completion_revoked_by",
                        StageCompletion::Table,
                        StageCompletion::RevokedBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        // A stage is completed (and its email sent) once per volunteer, however many
        // requests race to record it.
        unique(
            manager,
            "uq_stage_completion_volunteer_stage",
            StageCompletion::Table,
            &[
                StageCompletion::VolunteerProfileId,
                StageCompletion::StageId,
            ],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            StageCompletion::Table.into_iden(),
            TrainingRecord::Table.into_iden(),
            SkillSignOff::Table.into_iden(),
            PathwayEnrolment::Table.into_iden(),
            RolePathwayStage::Table.into_iden(),
            StageRequirement::Table.into_iden(),
            PathwayStage::Table.into_iden(),
            Pathway::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Pathway {
    Table,
    Id,
    Slug,
    Name,
    Summary,
    MinAge,
    MaxAge,
    Active,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum PathwayStage {
    Table,
    Id,
    PathwayId,
    Position,
    Name,
    Description,
    Tag,
}

#[derive(DeriveIden, Clone, Copy)]
enum StageRequirement {
    Table,
    Id,
    StageId,
    Kind,
    Minutes,
    SkillId,
    MinLevel,
    TrainingItem,
    OrganisationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum RolePathwayStage {
    Table,
    RoleId,
    StageId,
}

#[derive(DeriveIden, Clone, Copy)]
enum PathwayEnrolment {
    Table,
    Id,
    VolunteerProfileId,
    PathwayId,
    JoinedAt,
    LeftAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SkillSignOff {
    Table,
    Id,
    VolunteerProfileId,
    SkillId,
    Level,
    OrganisationId,
    SignedBy,
    Evidence,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TrainingRecord {
    Table,
    Id,
    VolunteerProfileId,
    Item,
    OrganisationId,
    SignedBy,
    CompletedOn,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum StageCompletion {
    Table,
    Id,
    VolunteerProfileId,
    StageId,
    CompletedAt,
    CertificateSerial,
    RevokedAt,
    RevokedBy,
    RevokedReason,
}

#[derive(DeriveIden, Clone, Copy)]
enum Skill {
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
enum Users {
    Table,
    Id,
}
