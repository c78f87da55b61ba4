//! The census baseline: importing an area's figures and reading them back.
use std::fmt;

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use serde::Serialize;

use crate::domain::baseline::{AreaFigures, BaselineFigure, check_area};
use crate::entities::census_baseline;

/// Rows per INSERT: 8 bound values each, far below either database's parameter limit.
const INSERT_CHUNK: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

/// What an import wrote, per area and dimension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub areas: Vec<AreaImport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaImport {
    pub area_code: String,
    pub area_name: String,
    pub dimensions: Vec<DimensionImport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DimensionImport {
    pub dimension: String,
    pub universe: String,
    pub categories: usize,
    /// Sum of the categories' counts.
    pub people: i64,
    /// Rows of this area and dimension that the import replaced.
    pub replaced: u64,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows = 0;
        for area in &self.areas {
            for d in &area.dimensions {
                rows += d.categories;
                writeln!(
                    f,
                    "{} {}: {} ({}), {} categories, {} people, replaced {} rows",
                    area.area_code,
                    area.area_name,
                    d.dimension,
                    d.universe,
                    d.categories,
                    d.people,
                    d.replaced
                )?;
            }
        }
        write!(
            f,
            "imported {rows} figures for {} area(s)",
            self.areas.len()
        )
    }
}

/// An area that has baseline figures, and for which dimensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselineArea {
    pub code: String,
    pub name: String,
    pub dimensions: Vec<String>,
}

/// Replaces one area's rows for the dimensions in `figures`; see [`import_areas`].
pub async fn import(
    db: &DatabaseConnection,
    area_code: &str,
    area_name: &str,
    figures: &[BaselineFigure],
    source: &str,
) -> Result<ImportReport, BaselineError> {
    let area = AreaFigures {
        area_code: area_code.to_owned(),
        area_name: area_name.to_owned(),
        figures: figures.to_vec(),
    };
    import_areas(db, std::slice::from_ref(&area), source).await
}

/// Replaces, for each area, its rows of the dimensions present (other dimensions and
/// other areas are left alone), in one transaction: every area is checked before
/// anything is written, and a failure leaves the table as it was.
pub async fn import_areas(
    db: &DatabaseConnection,
    areas: &[AreaFigures],
    source: &str,
) -> Result<ImportReport, BaselineError> {
    if areas.is_empty() {
        return Err(BaselineError::Invalid("no areas to import".into()));
    }
    let mut codes = std::collections::HashSet::new();
    for area in areas {
        check_area(area).map_err(BaselineError::Invalid)?;
        if !codes.insert(area.area_code.as_str()) {
            return Err(BaselineError::Invalid(format!(
                "area {} is given twice",
                area.area_code
            )));
        }
    }

    let imported_at = crate::db::now();
    let txn = crate::db::begin(db).await?;
    let mut report = ImportReport::default();
    for area in areas {
        let mut dimensions: Vec<DimensionImport> = Vec::new();
        for f in &area.figures {
            match dimensions.iter_mut().find(|d| d.dimension == f.dimension) {
                Some(d) => {
                    d.categories += 1;
                    d.people += i64::from(f.count);
                }
                None => dimensions.push(DimensionImport {
                    dimension: f.dimension.clone(),
                    universe: f.universe.clone(),
                    categories: 1,
                    people: i64::from(f.count),
                    replaced: 0,
                }),
            }
        }
        for d in &mut dimensions {
            d.replaced = census_baseline::Entity::delete_many()
                .filter(census_baseline::Column::AreaCode.eq(&area.area_code))
                .filter(census_baseline::Column::Dimension.eq(&d.dimension))
                .exec(&txn)
                .await?
                .rows_affected;
        }
        // One name per area: the latest import's spelling.
        census_baseline::Entity::update_many()
            .col_expr(
                census_baseline::Column::AreaName,
                Expr::value(area.area_name.clone()),
            )
            .filter(census_baseline::Column::AreaCode.eq(&area.area_code))
            .exec(&txn)
            .await?;
        for chunk in area.figures.chunks(INSERT_CHUNK) {
            census_baseline::Entity::insert_many(chunk.iter().map(|f| {
                census_baseline::ActiveModel {
                    id: NotSet,
                    area_code: Set(area.area_code.clone()),
                    area_name: Set(area.area_name.clone()),
                    dimension: Set(f.dimension.clone()),
                    universe: Set(f.universe.clone()),
                    category: Set(f.category.clone()),
                    count: Set(f.count),
                    source: Set(source.to_owned()),
                    imported_at: Set(imported_at),
                }
            }))
            .exec_without_returning(&txn)
            .await?;
        }
        report.areas.push(AreaImport {
            area_code: area.area_code.clone(),
            area_name: area.area_name.clone(),
            dimensions,
        });
    }
    txn.commit().await?;
    Ok(report)
}

/// The categories of one dimension for an area with their counts, in import (file) order.
pub async fn for_area(
    db: &DatabaseConnection,
    area_code: &str,
    dimension: &str,
) -> Result<Vec<(String, i32)>, DbErr> {
    census_baseline::Entity::find()
        .select_only()
        .column(census_baseline::Column::Category)
        .column(census_baseline::Column::Count)
        .filter(census_baseline::Column::AreaCode.eq(area_code))
        .filter(census_baseline::Column::Dimension.eq(dimension))
        .order_by_asc(census_baseline::Column::Id)
        .into_tuple()
        .all(db)
        .await
}

/// Every area with figures, by code, with its dimensions in alphabetical order.
pub async fn areas(db: &DatabaseConnection) -> Result<Vec<BaselineArea>, DbErr> {
    let rows: Vec<(String, String, String)> = census_baseline::Entity::find()
        .select_only()
        .column(census_baseline::Column::AreaCode)
        .column(census_baseline::Column::AreaName)
        .column(census_baseline::Column::Dimension)
        .distinct()
        .order_by_asc(census_baseline::Column::AreaCode)
        .order_by_asc(census_baseline::Column::Dimension)
        .into_tuple()
        .all(db)
        .await?;
    let mut areas: Vec<BaselineArea> = Vec::new();
    for (code, name, dimension) in rows {
        match areas.last_mut() {
            Some(a) if a.code == code => a.dimensions.push(dimension),
            _ => areas.push(BaselineArea {
                code,
                name,
                dimensions: vec![dimension],
            }),
        }
    }
    Ok(areas)
}

/// Whether an area has any figures.
pub async fn has_area(db: &DatabaseConnection, area_code: &str) -> Result<bool, DbErr> {
    Ok(census_baseline::Entity::find()
        .filter(census_baseline::Column::AreaCode.eq(area_code))
        .count(db)
        .await?
        > 0)
}
