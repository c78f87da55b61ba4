//! Census baseline: reference population counts per area, dimension and category.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CensusBaseline::Table)
                    .col(pk_auto(CensusBaseline::Id))
                    .col(string(CensusBaseline::AreaCode))
                    .col(string(CensusBaseline::AreaName))
                    .col(string(CensusBaseline::Dimension))
                    .col(string(CensusBaseline::Universe))
                    .col(string(CensusBaseline::Category))
                    .col(integer(CensusBaseline::Count))
                    .col(text(CensusBaseline::Source).default(""))
                    .col(timestamp_with_time_zone(CensusBaseline::ImportedAt))
                    .check(Check::named(
                        "ck_census_baseline_count",
                        Expr::col(CensusBaseline::Count).gte(0),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_census_baseline_area_code_dimension_category")
                    .table(CensusBaseline::Table)
                    .col(CensusBaseline::AreaCode)
                    .col(CensusBaseline::Dimension)
                    .col(CensusBaseline::Category)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_census_baseline_dimension")
                    .table(CensusBaseline::Table)
                    .col(CensusBaseline::Dimension)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CensusBaseline::Table).to_owned())
            .await
    }

    /// All-or-nothing on SQLite too (SQLite DDL is transactional), not only on PostgreSQL.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum CensusBaseline {
    Table,
    Id,
    AreaCode,
    AreaName,
    Dimension,
    Universe,
    Category,
    Count,
    Source,
    ImportedAt,
}
