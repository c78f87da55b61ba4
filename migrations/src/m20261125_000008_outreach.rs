//! Outreach campaigns: opportunity digests a coordinator sent after the representativeness
//! report flagged a group, with who sent it, why, to which wards or causes, and how many.

use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261124_000001_core_schema::{SET_NULL, fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OutreachCampaign::Table)
                    .col(pk_auto(OutreachCampaign::Id))
                    .col(integer_null(OutreachCampaign::SentBy))
                    .col(integer_null(OutreachCampaign::HubId))
                    // The report's flag that prompted it, e.g. registered / ethnic_group / black / under.
                    .col(text(OutreachCampaign::Stage))
                    .col(text(OutreachCampaign::Dimension))
                    .col(text(OutreachCampaign::Category))
                    .col(text(OutreachCampaign::Flag))
                    // Comma-separated ward codes, cause slugs and role ids: a record, not a relation.
                    .col(text(OutreachCampaign::Wards))
                    .col(text(OutreachCampaign::Causes))
                    .col(text(OutreachCampaign::RoleIds))
                    .col(integer(OutreachCampaign::Recipients))
                    .col(timestamp_with_time_zone(OutreachCampaign::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_outreach_campaign_sent_by",
                        OutreachCampaign::Table,
                        OutreachCampaign::SentBy,
                        Users::Table,
                        Users::Id,
                        SET_NULL,
                    ))
                    .foreign_key(&mut fk(
                        "fk_outreach_campaign_hub_id",
                        OutreachCampaign::Table,
                        OutreachCampaign::HubId,
                        Hub::Table,
                        Hub::Id,
                        SET_NULL,
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_outreach_campaign_created_at",
            OutreachCampaign::Table,
            &[OutreachCampaign::CreatedAt],
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OutreachCampaign::Table).to_owned())
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
enum Hub {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum OutreachCampaign {
    Table,
    Id,
    SentBy,
    HubId,
    Stage,
    Dimension,
    Category,
    Flag,
    Wards,
    Causes,
    RoleIds,
    Recipients,
    CreatedAt,
}
