//! Reference data every installation needs: Southwark's wards and census baseline, and the
//! skill and cause vocabularies.

use std::sync::LazyLock;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, Value};

use super::SeedError;
use super::vocab::{CAUSES, SKILLS};

const WARDS_CSV: &str = include_str!("../../data-seed/southwark/wards.csv");
const BASELINE_CSV: &str = include_str!("../../data-seed/southwark/baseline.csv");

/// One of Southwark's 23 wards (2018 boundaries), as shipped in `data-seed/southwark/wards.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ward {
    pub code: &'static str,
    pub name: &'static str,
    pub population_approx: i32,
    pub centroid_lat: f64,
    pub centroid_lon: f64,
}

static WARDS: LazyLock<Vec<Ward>> =
    LazyLock::new(|| parse_wards(WARDS_CSV).expect("data-seed/southwark/wards.csv is well formed"));

/// Southwark's wards, in file order (by ONS code).
pub fn southwark_wards() -> &'static [Ward] {
    &WARDS
}

fn parse_wards(csv: &'static str) -> Result<Vec<Ward>, SeedError> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header = lines
        .next()
        .ok_or_else(|| SeedError::Data("wards.csv is empty".into()))?;
    if header.trim() != "ward_code,ward_name,population_approx,centroid_lat,centroid_lon" {
        return Err(SeedError::Data(format!(
            "wards.csv: unexpected header {header:?}"
        )));
    }
    lines
        .map(|line| {
            let bad = || SeedError::Data(format!("wards.csv: bad line {line:?}"));
            let f: Vec<&'static str> = line.trim().split(',').collect();
            if f.len() != 5 {
                return Err(bad());
            }
            Ok(Ward {
                code: f[0],
                name: f[1],
                population_approx: f[2].parse().map_err(|_| bad())?,
                centroid_lat: f[3].parse().map_err(|_| bad())?,
                centroid_lon: f[4].parse().map_err(|_| bad())?,
            })
        })
        .collect()
}

/// The answer stored when someone chooses not to say (every equality question offers it).
pub const PREFER_NOT_TO_SAY: &str = "prefer_not_to_say";

/// One line of the Southwark Census 2021 baseline: `dimension,universe,category,count`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineRow {
    pub dimension: &'static str,
    pub universe: &'static str,
    pub category: &'static str,
    pub count: u64,
}

static BASELINE: LazyLock<Vec<BaselineRow>> = LazyLock::new(|| {
    parse_baseline(BASELINE_CSV).expect("data-seed/southwark/baseline.csv is well formed")
});

/// ONS code and name of the borough whose baseline ships with hubmatch.
pub const SOUTHWARK_AREA_CODE: &str = "E09000028";
pub const SOUTHWARK_AREA_NAME: &str = "Southwark";
/// The `source` recorded on the bundled baseline rows.
pub const SOUTHWARK_BASELINE_SOURCE: &str = "data-seed/southwark/baseline.csv (ONS Census 2021)";

/// Southwark's Census 2021 baseline (`data-seed/southwark/baseline.csv`), in file order.
pub fn census_baseline() -> &'static [BaselineRow] {
    &BASELINE
}

/// The category slugs of one dimension (e.g. `ethnicity`), in file order. These,
/// plus [`PREFER_NOT_TO_SAY`], are the values an equality-monitoring answer may take.
pub fn census_categories(dimension: &str) -> Vec<&'static str> {
    census_baseline()
        .iter()
        .filter(|r| r.dimension == dimension)
        .map(|r| r.category)
        .collect()
}

fn parse_baseline(csv: &'static str) -> Result<Vec<BaselineRow>, SeedError> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header = lines
        .next()
        .ok_or_else(|| SeedError::Data("baseline.csv is empty".into()))?;
    if header.trim() != "dimension,universe,category,count" {
        return Err(SeedError::Data(format!(
            "baseline.csv: unexpected header {header:?}"
        )));
    }
    lines
        .map(|line| {
            let bad = || SeedError::Data(format!("baseline.csv: bad line {line:?}"));
            let f: Vec<&'static str> = line.trim().split(',').collect();
            if f.len() != 4 {
                return Err(bad());
            }
            Ok(BaselineRow {
                dimension: f[0],
                universe: f[1],
                category: f[2],
                count: f[3].parse().map_err(|_| bad())?,
            })
        })
        .collect()
}

/// Postcode districts covering each ward, most of the ward's homes first.
/// Wards straddle districts, so a ward can have several.
pub const WARD_POSTCODE_DISTRICTS: &[(&str, &[&str])] = &[
    ("E05011095", &["SE1"]),                  // Borough & Bankside
    ("E05011096", &["SE5"]),                  // Camberwell Green
    ("E05011097", &["SE5", "SE22", "SE24"]),  // Champion Hill
    ("E05011098", &["SE1", "SE17"]),          // Chaucer
    ("E05011099", &["SE22", "SE23"]),         // Dulwich Hill
    ("E05011100", &["SE21", "SE24"]),         // Dulwich Village
    ("E05011101", &["SE21", "SE26", "SE19"]), // Dulwich Wood
    ("E05011102", &["SE17", "SE5"]),          // Faraday
    ("E05011103", &["SE22"]),                 // Goose Green
    ("E05011104", &["SE1"]),                  // London Bridge & West Bermondsey
    ("E05011105", &["SE17", "SE11"]),         // Newington
    ("E05011106", &["SE16", "SE1"]),          // North Bermondsey
    ("E05011107", &["SE17", "SE1"]),          // North Walworth
    ("E05011108", &["SE15"]),                 // Nunhead & Queen's Road
    ("E05011109", &["SE15", "SE1"]),          // Old Kent Road
    ("E05011110", &["SE15"]),                 // Peckham
    ("E05011111", &["SE15", "SE22"]),         // Peckham Rye
    ("E05011112", &["SE16"]),                 // Rotherhithe
    ("E05011113", &["SE15"]),                 // Rye Lane
    ("E05011114", &["SE1", "SE11"]),          // St George's
    ("E05011115", &["SE5"]),                  // St Giles
    ("E05011116", &["SE16", "SE1"]),          // South Bermondsey
    ("E05011117", &["SE16", "SE8"]),          // Surrey Docks
];

/// Postcode districts of a ward (by ONS code); empty for an unknown code.
pub fn postcode_districts(ward_code: &str) -> &'static [&'static str] {
    WARD_POSTCODE_DISTRICTS
        .iter()
        .find(|(c, _)| *c == ward_code)
        .map(|(_, d)| *d)
        .unwrap_or(&[])
}

/// Inserts whatever is missing of the wards, skills and causes (matched by ward
/// code and slug); existing rows are left as they are, so this runs on every start.
/// Southwark's borough baseline is loaded only while that area has no figures at
/// all, so figures an alliance imported for it later are never mixed with these.
pub async fn ensure_reference_data(db: &DatabaseConnection) -> Result<(), SeedError> {
    let backend = db.get_database_backend();
    let wards: Vec<Vec<Value>> = southwark_wards()
        .iter()
        .map(|w| {
            vec![
                w.code.into(),
                w.name.into(),
                w.population_approx.into(),
                w.centroid_lat.into(),
                w.centroid_lon.into(),
            ]
        })
        .collect();
    let skills: Vec<Vec<Value>> = SKILLS
        .iter()
        .map(|s| {
            vec![
                s.slug.into(),
                s.name.into(),
                s.group.into(),
                s.description.into(),
            ]
        })
        .collect();
    let causes: Vec<Vec<Value>> = CAUSES
        .iter()
        .map(|c| vec![c.slug.into(), c.name.into(), c.synonyms.into()])
        .collect();

    insert_missing(
        db,
        backend,
        "ward",
        &[
            "code",
            "name",
            "population_approx",
            "centroid_lat",
            "centroid_lon",
        ],
        "code",
        wards,
    )
    .await?;
    insert_missing(
        db,
        backend,
        "skill",
        &["slug", "name", "skill_group", "description"],
        "slug",
        skills,
    )
    .await?;
    insert_missing(
        db,
        backend,
        "cause",
        &["slug", "name", "synonyms"],
        "slug",
        causes,
    )
    .await?;

    if !crate::models::baseline::has_area(db, SOUTHWARK_AREA_CODE).await? {
        let imported_at = crate::db::now();
        let baseline: Vec<Vec<Value>> = census_baseline()
            .iter()
            .map(|r| {
                let count = i32::try_from(r.count).map_err(|_| {
                    SeedError::Data(format!("baseline.csv: {} is too large", r.count))
                })?;
                Ok(vec![
                    SOUTHWARK_AREA_CODE.into(),
                    SOUTHWARK_AREA_NAME.into(),
                    r.dimension.into(),
                    r.universe.into(),
                    r.category.into(),
                    count.into(),
                    SOUTHWARK_BASELINE_SOURCE.into(),
                    imported_at.into(),
                ])
            })
            .collect::<Result<_, SeedError>>()?;
        // ON CONFLICT keeps two servers starting at once from loading it twice.
        insert_missing(
            db,
            backend,
            "census_baseline",
            &[
                "area_code",
                "area_name",
                "dimension",
                "universe",
                "category",
                "count",
                "source",
                "imported_at",
            ],
            "area_code, dimension, category",
            baseline,
        )
        .await?;
    }
    Ok(())
}

/// `INSERT .. ON CONFLICT (key) DO NOTHING`, understood by SQLite ≥ 3.24 and PostgreSQL.
async fn insert_missing(
    db: &DatabaseConnection,
    backend: DbBackend,
    table: &str,
    columns: &[&str],
    key: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), SeedError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "{} ON CONFLICT ({key}) DO NOTHING",
        super::batch::insert_sql(backend, table, columns, rows.len())
    );
    let values: Vec<Value> = rows.into_iter().flatten().collect();
    db.execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_23_wards_load_with_districts() {
        let wards = southwark_wards();
        assert_eq!(wards.len(), 23);
        for w in wards {
            assert!(w.code.starts_with("E0501"), "{}", w.code);
            assert!(w.population_approx > 5_000);
            assert!((51.4..51.6).contains(&w.centroid_lat));
            let d = postcode_districts(w.code);
            assert!(
                !d.is_empty() && d.iter().all(|d| d.starts_with("SE")),
                "{}",
                w.name
            );
        }
        assert_eq!(WARD_POSTCODE_DISTRICTS.len(), 23);
    }

    #[test]
    fn the_census_baseline_has_every_equality_dimension() {
        for (dim, n) in [
            ("sex", 2),
            ("ethnic_group", 5),
            ("ethnicity", 19),
            ("disability", 2),
            ("religion", 9),
            ("sexual_orientation", 5),
        ] {
            assert_eq!(census_categories(dim).len(), n, "{dim}");
        }
        assert!(census_baseline().iter().all(|r| r.count > 0));
    }

    #[test]
    fn the_bundled_baseline_reads_the_same_through_the_import_parser() {
        use crate::domain::baseline::{BaselineTable, ParseOptions, parse_table};
        let Ok(BaselineTable::Long(figures)) = parse_table(BASELINE_CSV, ParseOptions::default())
        else {
            panic!("baseline.csv is a long-layout table")
        };
        let bundled: Vec<(&str, &str, &str, u64)> = census_baseline()
            .iter()
            .map(|r| (r.dimension, r.universe, r.category, r.count))
            .collect();
        let parsed: Vec<(&str, &str, &str, u64)> = figures
            .iter()
            .map(|f| {
                (
                    f.dimension.as_str(),
                    f.universe.as_str(),
                    f.category.as_str(),
                    f.count as u64,
                )
            })
            .collect();
        assert_eq!(parsed, bundled);
    }
}
