//! The representativeness report: aggregate counts of equality answers per funnel stage,
//! compared with the census baseline and published with small numbers suppressed.
//!
//! Only counts leave this module, and only after [`publish_dimension`]: no query here
//! returns a row about an individual. Counting is done in SQL (GROUP BY), so the
//! report's cost grows with the number of categories, not of volunteers.
use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, Value};
use serde::Serialize;
use time::{Date, Duration, Month};

use crate::domain::representativeness::{
    BaselineCounts, CategoryCount, NOT_ANSWERED, ObservedCounts, Published, PublishedDimension,
    category_label, publish_dimension, report_dimension,
};
use crate::models::baseline;
use crate::seed::reference::SOUTHWARK_AREA_CODE;

/// The dimensions, in the order the report shows them: key and heading.
pub const DIMENSIONS: [(&str, &str); 8] = [
    ("age_band", "Age group"),
    ("sex", "Sex"),
    ("ethnic_group", "Ethnic group (5 groups)"),
    ("ethnicity", "Ethnic background (19 categories)"),
    ("disability", "Disability"),
    ("religion", "Religion"),
    ("sexual_orientation", "Sexual orientation"),
    ("ward", "Ward where volunteers live"),
];

/// Hours in this many days before the period's end make a volunteer "active".
pub const ACTIVE_DAYS: i64 = 90;
/// How many quarters the trend shows, ending with the period's last.
pub const TREND_QUARTERS: usize = 8;

/// A stage of the volunteer funnel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Signed up as a volunteer (a profile) in the period.
    Registered,
    /// Applied in the period to a role in scope.
    Applied,
    /// Applied in the period to a role in scope and was accepted.
    Accepted,
    /// Logged hours (claimed or confirmed) on a role in scope in the last 90 days of the period.
    Active,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Registered,
        Stage::Applied,
        Stage::Accepted,
        Stage::Active,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::Applied => "applied",
            Self::Accepted => "accepted",
            Self::Active => "active",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Registered => "Registered",
            Self::Applied => "Applied",
            Self::Accepted => "Accepted",
            Self::Active => "Active (hours in the last 90 days)",
        }
    }
}

/// What to count: roles of a hub and/or organisation, with a cause, in a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportFilter {
    pub hub: Option<i32>,
    pub organisation: Option<i32>,
    pub cause: Option<i32>,
    /// First day counted; `None` counts from the beginning.
    #[serde(with = "crate::entities::iso_date::option")]
    pub from: Option<Date>,
    /// Last day counted (inclusive); ages are taken on this day.
    #[serde(with = "crate::entities::iso_date")]
    pub to: Date,
}

impl ReportFilter {
    /// Volunteers register with the borough, not with a hub or organisation, so a
    /// report narrowed to one starts its funnel at "applied".
    pub fn stages(&self) -> Vec<Stage> {
        if self.hub.is_some() || self.organisation.is_some() {
            Stage::ALL[1..].to_vec()
        } else {
            Stage::ALL.to_vec()
        }
    }
}

/// One dimension of one stage, as published.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DimensionSection {
    pub dimension: &'static str,
    pub heading: &'static str,
    /// Category slug → the words shown, in the rows' order.
    pub labels: Vec<String>,
    #[serde(flatten)]
    pub figures: PublishedDimension,
}

/// One funnel stage, as published.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StageReport {
    pub stage: Stage,
    pub label: &'static str,
    pub volunteers: Published,
    pub dimensions: Vec<DimensionSection>,
}

/// One quarter of the trend (the funnel's first stage, counted within the quarter).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuarterTrend {
    pub quarter: String,
    #[serde(with = "crate::entities::iso_date")]
    pub from: Date,
    #[serde(with = "crate::entities::iso_date")]
    pub to: Date,
    pub volunteers: Published,
    /// Per dimension: response rate and index of dissimilarity (hidden groups merged).
    pub dimensions: Vec<QuarterDimension>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuarterDimension {
    pub dimension: &'static str,
    pub response_rate: Option<f64>,
    pub dissimilarity_index: Option<f64>,
}

/// The whole report, as published.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub filter: ReportFilter,
    /// The census area the volunteers are compared with.
    pub baseline_area: String,
    pub stages: Vec<StageReport>,
    pub trend: Vec<QuarterTrend>,
    /// Things the reader must know (a dimension left out, the funnel starting later).
    pub notes: Vec<String>,
}

impl Report {
    pub fn stage(&self, stage: Stage) -> Option<&StageReport> {
        self.stages.iter().find(|s| s.stage == stage)
    }
}

/// Census figures per dimension for the borough (and per ward, when loaded).
struct Baselines {
    area: String,
    by_dimension: HashMap<&'static str, BaselineCounts>,
}

async fn baselines(db: &DatabaseConnection, notes: &mut Vec<String>) -> Result<Baselines, DbErr> {
    let areas = baseline::areas(db).await?;
    // The borough: Southwark's bundled figures, else the first imported area that is not a ward.
    let area = areas
        .iter()
        .find(|a| a.code == SOUTHWARK_AREA_CODE)
        .or_else(|| areas.iter().find(|a| !is_ward_code(&a.code)))
        .map(|a| a.code.clone())
        .unwrap_or_default();
    let mut by_dimension = HashMap::new();
    for (dimension, _) in DIMENSIONS {
        if dimension == "ward" {
            continue;
        }
        let rows = baseline::for_area(db, &area, dimension).await?;
        by_dimension.insert(dimension, counts(rows));
    }
    // Residents per ward: each ward area's total of its first dimension.
    let mut wards = Vec::new();
    for a in areas.iter().filter(|a| is_ward_code(&a.code)) {
        let Some(dimension) = a.dimensions.first() else {
            continue;
        };
        let total: i64 = baseline::for_area(db, &a.code, dimension)
            .await?
            .into_iter()
            .filter(|(c, _)| c != NOT_ANSWERED)
            .map(|(_, n)| i64::from(n))
            .sum();
        wards.push((a.code.clone(), total.max(0) as u64));
    }
    if wards.is_empty() {
        notes.push(
            "Ward is left out: no census figures by ward have been loaded. Load them with \
             `hubmatch baseline import` (an ONS table by ward) to compare where volunteers live."
                .to_owned(),
        );
    } else {
        by_dimension.insert(
            "ward",
            BaselineCounts {
                categories: wards
                    .into_iter()
                    .map(|(c, n)| CategoryCount::new(c, n))
                    .collect(),
            },
        );
    }
    Ok(Baselines { area, by_dimension })
}

fn is_ward_code(code: &str) -> bool {
    // ONS ward codes: E05 (England), W05 (Wales), S13 (Scotland).
    code.starts_with("E05") || code.starts_with("W05") || code.starts_with("S13")
}

fn counts(rows: Vec<(String, i32)>) -> BaselineCounts {
    BaselineCounts {
        categories: rows
            .into_iter()
            .map(|(c, n)| CategoryCount::new(c, u64::try_from(n).unwrap_or(0)))
            .collect(),
    }
}

/// Builds the published report for `filter`.
pub async fn report(db: &DatabaseConnection, filter: &ReportFilter) -> Result<Report, DbErr> {
    let mut notes = Vec::new();
    if filter.hub.is_some() || filter.organisation.is_some() {
        notes.push(
            "Volunteers register with the borough, not with a hub or organisation, so this \
             funnel starts at \"applied\"."
                .to_owned(),
        );
    }
    let base = baselines(db, &mut notes).await?;
    let wards = ward_codes(db).await?;
    // Every stage of the period and every quarter of the trend, counted in one pass.
    let stages = filter.stages();
    let quarters = quarters(filter.from, filter.to);
    let mut spans: Vec<Span> = stages
        .iter()
        .map(|&stage| Span {
            stage,
            from: filter.from,
            to: filter.to,
        })
        .collect();
    if let Some(&first) = stages.first() {
        spans.extend(quarters.iter().map(|(_, from, to)| Span {
            stage: first,
            from: Some(*from),
            to: *to,
        }));
    }
    let mut observed = counts_for(db, filter, &spans).await?.into_iter();
    let period: Vec<StageCounts> = observed.by_ref().take(stages.len()).collect();
    let first_stage_total = period.first().map_or(0, |c| c.volunteers);
    let stage_reports = stages
        .iter()
        .zip(&period)
        .map(|(&stage, counts)| publish_stage(stage, counts, &base, &wards))
        .collect();
    let quarter_counts: Vec<StageCounts> = observed.collect();
    let trend = match stages.first() {
        Some(&first) => trend(
            first,
            &quarters,
            &quarter_counts,
            &base,
            &wards,
            first_stage_total,
        ),
        None => Vec::new(),
    };
    Ok(Report {
        filter: filter.clone(),
        baseline_area: base.area,
        stages: stage_reports,
        trend,
        notes,
    })
}

fn publish_stage(
    stage: Stage,
    observed: &StageCounts,
    base: &Baselines,
    wards: &HashMap<String, String>,
) -> StageReport {
    let mut dimensions = Vec::new();
    for (dimension, heading) in DIMENSIONS {
        let Some(baseline) = base.by_dimension.get(dimension) else {
            continue;
        };
        let counts = observed
            .dimensions
            .get(dimension)
            .cloned()
            .unwrap_or_else(|| ObservedCounts {
                not_answered: observed.volunteers,
                ..ObservedCounts::default()
            });
        let full = report_dimension(&counts, baseline);
        let figures = publish_dimension(&full);
        let labels = figures
            .rows
            .iter()
            .map(|r| match dimension {
                "ward" => wards
                    .get(&r.category)
                    .cloned()
                    .unwrap_or_else(|| r.category.clone()),
                _ => category_label(dimension, &r.category),
            })
            .collect();
        dimensions.push(DimensionSection {
            dimension,
            heading,
            labels,
            figures,
        });
    }
    StageReport {
        stage,
        label: stage.label(),
        volunteers: publish_total(observed.volunteers),
        dimensions,
    }
}

/// A stage's head count: the same number every dimension's `volunteers` links to,
/// hidden under the same rule (1–4 people).
fn publish_total(n: u64) -> Published {
    if (1..crate::domain::representativeness::MIN_PUBLISHED).contains(&n) {
        Published::Suppressed
    } else {
        Published::Shown(n)
    }
}

async fn ward_codes(db: &DatabaseConnection) -> Result<HashMap<String, String>, DbErr> {
    use crate::entities::ward;
    use sea_orm::EntityTrait;
    Ok(ward::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.code, w.name))
        .collect())
}

/// The quarters (calendar, Jan–Mar = Q1) overlapping the period, last
/// [`TREND_QUARTERS`] of them, each clipped to the period.
pub fn quarters(from: Option<Date>, to: Date) -> Vec<(String, Date, Date)> {
    let mut out = Vec::new();
    let mut year = to.year();
    let mut q = (to.month() as u8 - 1) / 3; // 0..=3
    while out.len() < TREND_QUARTERS {
        let first_month = Month::try_from(q * 3 + 1).unwrap_or(Month::January);
        let Ok(start) = Date::from_calendar_date(year, first_month, 1) else {
            break;
        };
        let next_start = if q == 3 {
            Date::from_calendar_date(year + 1, Month::January, 1)
        } else {
            Date::from_calendar_date(
                year,
                Month::try_from(q * 3 + 4).unwrap_or(Month::January),
                1,
            )
        };
        let Ok(next_start) = next_start else { break };
        let end = (next_start - Duration::days(1)).min(to);
        let clipped_start = from.map_or(start, |f| start.max(f));
        if clipped_start > end {
            break;
        }
        out.push((format!("{year} Q{}", q + 1), clipped_start, end));
        if from.is_some_and(|f| f >= start) {
            break;
        }
        if q == 0 {
            q = 3;
            year -= 1;
        } else {
            q -= 1;
        }
    }
    out.reverse();
    out
}

fn trend(
    stage: Stage,
    quarters: &[(String, Date, Date)],
    observed: &[StageCounts],
    base: &Baselines,
    wards: &HashMap<String, String>,
    period_total: u64,
) -> Vec<QuarterTrend> {
    let mut out = Vec::new();
    let mut heads = Vec::new();
    for ((quarter, from, to), observed) in quarters.iter().zip(observed) {
        heads.push(observed.volunteers);
        let published = publish_stage(stage, observed, base, wards);
        out.push(QuarterTrend {
            quarter: quarter.clone(),
            from: *from,
            to: *to,
            volunteers: published.volunteers,
            dimensions: published
                .dimensions
                .iter()
                .map(|d| QuarterDimension {
                    dimension: d.dimension,
                    response_rate: d.figures.response_rate,
                    dissimilarity_index: d.figures.dissimilarity_index,
                })
                .collect(),
        });
    }
    // Quarters add up to the period (with whatever came before the trend's first
    // quarter): a small quarter must not be the published total minus the others.
    let n = heads.len();
    let mut cells = heads.clone();
    cells.push(period_total.saturating_sub(heads.iter().sum()));
    cells.push(period_total);
    let linked = crate::domain::representativeness::suppress_linked(
        &cells,
        &[crate::domain::representativeness::LinkedTotal {
            total: n + 1,
            parts: (0..=n).collect(),
        }],
    );
    for (q, count) in out.iter_mut().zip(linked) {
        q.volunteers = count;
    }
    out
}

/// Raw counts for one stage: only ever passed to the domain's publishing step.
struct StageCounts {
    volunteers: u64,
    dimensions: HashMap<String, ObservedCounts>,
}

/// SQL with `?` placeholders and their values; numbered for PostgreSQL at the end.
struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new() -> Self {
        Self {
            text: String::new(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.text.push('?');
        self.values.push(value.into());
        self
    }

    fn statement(self, backend: DbBackend) -> Statement {
        let text = match backend {
            DbBackend::Postgres => {
                let mut out = String::with_capacity(self.text.len() + 16);
                let mut n = 0;
                for c in self.text.chars() {
                    if c == '?' {
                        n += 1;
                        out.push_str(&format!("${n}"));
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            _ => self.text,
        };
        Statement::from_sql_and_values(backend, text, self.values)
    }
}

/// The first instant of `day` and of the day after, in UTC (stored timestamps are UTC).
fn day_bounds(day: Date) -> (time::OffsetDateTime, time::OffsetDateTime) {
    let start = day.midnight().assume_utc();
    (start, start + Duration::days(1))
}

/// `on` minus `years`, 28 February standing in for a missing 29th.
fn years_before(on: Date, years: i32) -> Date {
    let year = on.year() - years;
    Date::from_calendar_date(year, on.month(), on.day())
        .or_else(|_| Date::from_calendar_date(year, on.month(), on.day() - 1))
        .unwrap_or(on)
}

/// Roles in scope: of the hub (posted there, or by one of its organisations without
/// naming a hub — as `models::roles::in_hub`), of the organisation, with the cause.
fn role_scope(sql: &mut Sql, filter: &ReportFilter, role: &str) {
    if let Some(hub) = filter.hub {
        sql.push(&format!(" AND ({role}.hub_id = "))
            .bind(hub)
            .push(&format!(
                " OR ({role}.hub_id IS NULL AND {role}.organisation_id IN \
                 (SELECT hm.organisation_id FROM hub_membership hm WHERE hm.hub_id = "
            ))
            .bind(hub)
            .push(")))");
    }
    if let Some(org) = filter.organisation {
        sql.push(&format!(" AND {role}.organisation_id = "))
            .bind(org);
    }
    if let Some(cause) = filter.cause {
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM role_cause rc WHERE rc.role_id = {role}.id AND rc.cause_id = "
        ))
        .bind(cause)
        .push(")");
    }
}

/// Which table a stage is read from: the profile itself, applications or hours.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Profile,
    Applications,
    Hours,
}

impl Stage {
    fn source(self) -> Source {
        match self {
            Stage::Registered => Source::Profile,
            Stage::Applied | Stage::Accepted => Source::Applications,
            Stage::Active => Source::Hours,
        }
    }
}

/// Whether one row of the stage's source falls in the span: over `volunteer_profile p`
/// for registration, `application a` or `hours_log h` for the others.
fn span_condition(sql: &mut Sql, filter: &ReportFilter, span: &Span) {
    let (_, end) = day_bounds(span.to);
    let start = span.from.map(|f| day_bounds(f).0);
    match span.stage {
        Stage::Registered => {
            sql.push("p.created_at < ").bind(end);
            if let Some(start) = start {
                sql.push(" AND p.created_at >= ").bind(start);
            }
            if let Some(cause) = filter.cause {
                // Before applying, a volunteer's cause is the one they said they care about.
                sql.push(
                    " AND EXISTS (SELECT 1 FROM volunteer_cause vc WHERE vc.volunteer_id = p.id \
                     AND vc.cause_id = ",
                )
                .bind(cause)
                .push(")");
            }
        }
        Stage::Applied | Stage::Accepted => {
            sql.push("a.created_at < ").bind(end);
            if let Some(start) = start {
                sql.push(" AND a.created_at >= ").bind(start);
            }
            if span.stage == Stage::Accepted {
                sql.push(" AND a.status = 'accepted'");
            }
        }
        Stage::Active => {
            let active_from = span.to - Duration::days(ACTIVE_DAYS - 1);
            sql.push("h.worked_on >= ")
                .bind(active_from)
                .push(" AND h.worked_on <= ")
                .bind(span.to);
        }
    }
}

/// Per volunteer, a 0/1 column `in_{i}` for each span read from `source`: one pass over
/// that table (in the report's scope), joined to the volunteers as `alias`.
fn source_flags(sql: &mut Sql, filter: &ReportFilter, spans: &[Span], source: Source, alias: &str) {
    let (table, row) = match source {
        Source::Applications => ("application", "a"),
        Source::Hours => ("hours_log", "h"),
        Source::Profile => return,
    };
    if !spans.iter().any(|s| s.stage.source() == source) {
        return;
    }
    sql.push(&format!(" LEFT JOIN (SELECT {row}.volunteer_id"));
    for (i, span) in spans.iter().enumerate() {
        if span.stage.source() == source {
            sql.push(", MAX(CASE WHEN ");
            span_condition(sql, filter, span);
            sql.push(&format!(" THEN 1 ELSE 0 END) AS in_{i}"));
        }
    }
    sql.push(&format!(
        " FROM {table} {row} JOIN role r ON r.id = {row}.role_id WHERE 1 = 1"
    ));
    if source == Source::Hours {
        sql.push(" AND h.status IN ('claimed', 'confirmed')");
    }
    role_scope(sql, filter, "r");
    sql.push(&format!(
        " GROUP BY {row}.volunteer_id) {alias} ON {alias}.volunteer_id = p.id"
    ));
}

/// A stage counted over a period: the whole report's stages, and each quarter of the trend.
struct Span {
    stage: Stage,
    from: Option<Date>,
    to: Date,
}

/// Age band on `to` (the period's last day), from date of birth (never asked on the
/// form), unless the volunteer chose a band instead; over the `pop` rows.
fn age_band_on(sql: &mut Sql, to: Date) {
    sql.push("COALESCE(age_band_override, CASE WHEN date_of_birth > ")
        .bind(years_before(to, 15))
        .push(" THEN NULL WHEN date_of_birth > ")
        .bind(years_before(to, 25))
        .push(" THEN '15-24' WHEN date_of_birth > ")
        .bind(years_before(to, 35))
        .push(" THEN '25-34' WHEN date_of_birth > ")
        .bind(years_before(to, 45))
        .push(" THEN '35-44' WHEN date_of_birth > ")
        .bind(years_before(to, 55))
        .push(" THEN '45-54' WHEN date_of_birth > ")
        .bind(years_before(to, 65))
        .push(" THEN '55-64' ELSE '65+' END)");
}

/// Counts per category of every dimension for each span, in one round trip and one
/// read of the volunteers: each span is a 0/1 column of the stage's rows, summed per
/// category. Only the age band depends on a span's period end, so it is grouped once
/// per distinct end.
async fn counts_for(
    db: &DatabaseConnection,
    filter: &ReportFilter,
    spans: &[Span],
) -> Result<Vec<StageCounts>, DbErr> {
    if spans.is_empty() {
        return Ok(Vec::new());
    }
    let column = |i: usize| format!("in_{i}");
    let mut sql = Sql::new();
    sql.push(
        "WITH pop AS MATERIALIZED (SELECT * FROM (SELECT p.date_of_birth, e.age_band_override, \
         e.sex, e.ethnic_group, e.ethnicity, e.disability, e.religion, e.sexual_orientation, \
         w.code AS ward",
    );
    for (i, span) in spans.iter().enumerate() {
        match span.stage.source() {
            Source::Profile => {
                sql.push(", CASE WHEN ");
                span_condition(&mut sql, filter, span);
                sql.push(&format!(" THEN 1 ELSE 0 END AS {}", column(i)));
            }
            Source::Applications => {
                sql.push(&format!(", COALESCE(ap.{0}, 0) AS {0}", column(i)));
            }
            Source::Hours => {
                sql.push(&format!(", COALESCE(hl.{0}, 0) AS {0}", column(i)));
            }
        }
    }
    sql.push(
        " FROM volunteer_profile p \
         LEFT JOIN equality_monitoring e ON e.user_id = p.user_id \
         LEFT JOIN ward w ON w.id = p.ward_id",
    );
    source_flags(&mut sql, filter, spans, Source::Applications, "ap");
    source_flags(&mut sql, filter, spans, Source::Hours, "hl");
    sql.push(") flagged WHERE ");
    let any = (0..spans.len())
        .map(|i| format!("{} = 1", column(i)))
        .collect::<Vec<_>>()
        .join(" OR ");
    sql.push(&any).push(")");

    let sums = |only: &dyn Fn(usize) -> bool| {
        (0..spans.len())
            .map(|i| {
                if only(i) {
                    format!(", CAST(SUM({}) AS BIGINT)", column(i))
                } else {
                    ", CAST(0 AS BIGINT)".to_owned()
                }
            })
            .collect::<String>()
    };
    let mut ends: Vec<Date> = spans.iter().map(|s| s.to).collect();
    ends.sort();
    ends.dedup();
    let mut first = true;
    for end in &ends {
        let in_group = |i: usize| spans[i].to == *end;
        if !std::mem::take(&mut first) {
            sql.push(" UNION ALL");
        }
        sql.push(&format!(
            " SELECT 'age_band' AS dimension, age_band AS category{}",
            sums(&in_group)
        ));
        sql.push(" FROM (SELECT ");
        age_band_on(&mut sql, *end);
        let group_columns: Vec<String> = (0..spans.len())
            .filter(|i| in_group(*i))
            .map(column)
            .collect();
        let group_any = group_columns
            .iter()
            .map(|c| format!("{c} = 1"))
            .collect::<Vec<_>>()
            .join(" OR ");
        sql.push(&format!(
            " AS age_band, {} FROM pop WHERE {group_any}) aged GROUP BY age_band",
            group_columns.join(", ")
        ));
    }
    for (dimension, _) in DIMENSIONS.iter().skip(1) {
        sql.push(&format!(
            " UNION ALL SELECT '{dimension}' AS dimension, {dimension} AS category{} \
             FROM pop GROUP BY {dimension}",
            sums(&|_| true)
        ));
    }

    let backend = db.get_database_backend();
    let rows = db.query_all_raw(sql.statement(backend)).await?;
    let mut out: Vec<StageCounts> = spans
        .iter()
        .map(|_| StageCounts {
            volunteers: 0,
            dimensions: HashMap::new(),
        })
        .collect();
    for row in rows {
        let dimension: String = row.try_get_by_index(0)?;
        let category: Option<String> = row.try_get_by_index(1)?;
        for (i, counts) in out.iter_mut().enumerate() {
            let people: i64 = row.try_get_by_index(2 + i)?;
            let people = u64::try_from(people).unwrap_or(0);
            if people == 0 {
                continue;
            }
            if dimension == DIMENSIONS[0].0 {
                counts.volunteers += people;
            }
            let counts = counts.dimensions.entry(dimension.clone()).or_default();
            match category.as_deref() {
                None => counts.not_answered += people,
                Some(crate::domain::representativeness::PREFER_NOT_TO_SAY) => {
                    counts.prefer_not_to_say += people
                }
                Some(NOT_ANSWERED) => counts.not_answered += people,
                Some(slug) => counts.categories.push(CategoryCount::new(slug, people)),
            }
        }
    }
    Ok(out)
}

/// The filters as typed (query string or command line), before they are looked up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FilterInput {
    /// Hub id or slug.
    pub hub: String,
    /// Organisation id or slug.
    pub organisation: String,
    /// Cause slug.
    pub cause: String,
    /// `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
}

impl FilterInput {
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        Self {
            hub: get("hub"),
            organisation: get("organisation"),
            cause: get("cause"),
            from: get("from"),
            to: get("to"),
        }
    }

    /// As a query string (for download links with the same filters).
    pub fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("hub", self.hub.as_str()),
            ("organisation", self.organisation.as_str()),
            ("cause", self.cause.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// The hub, organisation and cause a filter names, for headings and access.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FilterNames {
    pub hub: Option<String>,
    pub organisation: Option<String>,
    pub cause: Option<String>,
}

/// Looks the filters up; every problem is a 400 naming its field.
pub async fn resolve_filter(
    db: &DatabaseConnection,
    input: &FilterInput,
    today: Date,
) -> Result<(ReportFilter, FilterNames), crate::error::AppError> {
    use crate::entities::{cause, hub, organisation};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut errors = crate::error::FieldErrors::new();
    let mut names = FilterNames::default();
    let by_id_or_slug = |raw: &str| raw.parse::<i32>().ok();
    let mut hub_id = None;
    if !input.hub.is_empty() {
        let found = match by_id_or_slug(&input.hub) {
            Some(id) => hub::Entity::find_by_id(id).one(db).await?,
            None => {
                hub::Entity::find()
                    .filter(hub::Column::Slug.eq(input.hub.as_str()))
                    .one(db)
                    .await?
            }
        };
        match found {
            Some(h) => {
                hub_id = Some(h.id);
                names.hub = Some(h.name);
            }
            None => {
                errors.insert("hub".into(), format!("no hub '{}'", input.hub));
            }
        }
    }
    let mut organisation_id = None;
    if !input.organisation.is_empty() {
        let found = match by_id_or_slug(&input.organisation) {
            Some(id) => organisation::Entity::find_by_id(id).one(db).await?,
            None => {
                organisation::Entity::find()
                    .filter(organisation::Column::Slug.eq(input.organisation.as_str()))
                    .one(db)
                    .await?
            }
        };
        match found {
            Some(o) => {
                organisation_id = Some(o.id);
                names.organisation = Some(o.name);
            }
            None => {
                errors.insert(
                    "organisation".into(),
                    format!("no organisation '{}'", input.organisation),
                );
            }
        }
    }
    let mut cause_id = None;
    if !input.cause.is_empty() {
        match cause::Entity::find()
            .filter(cause::Column::Slug.eq(input.cause.as_str()))
            .one(db)
            .await?
        {
            Some(c) => {
                cause_id = Some(c.id);
                names.cause = Some(c.name);
            }
            None => {
                errors.insert("cause".into(), format!("no cause '{}'", input.cause));
            }
        }
    }
    let date = |field: &str, raw: &str, errors: &mut crate::error::FieldErrors| -> Option<Date> {
        if raw.is_empty() {
            return None;
        }
        let format = time::macros::format_description!("[year]-[month]-[day]");
        match Date::parse(raw, format) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.insert(
                    field.to_owned(),
                    format!("'{raw}' is not a date: use YYYY-MM-DD, for example 2025-04-01"),
                );
                None
            }
        }
    };
    let from = date("from", &input.from, &mut errors);
    let to = date("to", &input.to, &mut errors).unwrap_or(today);
    if let Some(f) = from
        && f > to
    {
        errors.insert(
            "from".into(),
            "The start of the period must be on or before its end".into(),
        );
    }
    if !errors.is_empty() {
        return Err(crate::error::AppError::invalid(errors));
    }
    Ok((
        ReportFilter {
            hub: hub_id,
            organisation: organisation_id,
            cause: cause_id,
            from,
            to,
        },
        names,
    ))
}

/// Records a command-line run of the report in the audit log (no signed-in person).
pub async fn record_cli_view(
    db: &DatabaseConnection,
    filter: &ReportFilter,
    format: &str,
) -> Result<(), DbErr> {
    crate::models::audit::record(
        db,
        crate::models::audit::Entry {
            actor_user_id: None,
            action: "report.representativeness.view",
            subject_type: "report",
            subject_id: None,
            detail: serde_json::json!({
                "format": format!("cli-{format}"),
                "hub": filter.hub,
                "organisation": filter.organisation,
                "cause": filter.cause,
                "from": filter.from.map(|d| d.to_string()),
                "to": filter.to.to_string(),
            }),
            ip: None,
        },
    )
    .await
}

/// How many volunteers who applied to an organisation's roles (ever) have given
/// equality answers: an organisation's admins see its report from 20.
pub async fn organisation_respondents(
    db: &DatabaseConnection,
    organisation: i32,
) -> Result<u64, DbErr> {
    let mut sql = Sql::new();
    sql.push(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM volunteer_profile p \
         JOIN equality_monitoring e ON e.user_id = p.user_id \
         WHERE EXISTS (SELECT 1 FROM application a JOIN role r ON r.id = a.role_id \
         WHERE a.volunteer_id = p.id AND r.organisation_id = ",
    )
    .bind(organisation)
    .push(")");
    let backend = db.get_database_backend();
    let row = db.query_one_raw(sql.statement(backend)).await?;
    let n: i64 = match row {
        Some(r) => r.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or(0))
}

// ---------------------------------------------------------------------------
// CSV: one line per stage × dimension × category, plus the dimension's totals.
// ---------------------------------------------------------------------------

fn fmt_opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.4}")).unwrap_or_default()
}

fn fmt_count(p: Published) -> String {
    match p {
        Published::Shown(n) => n.to_string(),
        Published::Suppressed => "suppressed".to_owned(),
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// The report as CSV: the same published (suppressed) figures as the page. The words
/// (`label`) come last, so the figures sit in the same columns on every line.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::from(
        "stage,dimension,category,count,share,share_low,share_high,baseline_share,\
         ratio,ratio_low,ratio_high,flag,label\n",
    );
    for stage in &report.stages {
        let s = stage.stage.as_str();
        for d in &stage.dimensions {
            let dim = d.dimension;
            for (row, label) in d.figures.rows.iter().zip(&d.labels) {
                let flag = row
                    .flag
                    .map(|f| match f {
                        crate::domain::representativeness::Flag::Over => "over",
                        crate::domain::representativeness::Flag::Under => "under",
                        crate::domain::representativeness::Flag::InLine => "in_line",
                    })
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{s},{dim},{},{},{},{},{},{:.4},{},{},{},{flag},{}\n",
                    csv_field(&row.category),
                    fmt_count(row.count),
                    fmt_opt(row.share),
                    fmt_opt(row.share_low),
                    fmt_opt(row.share_high),
                    row.baseline_share,
                    fmt_opt(row.ratio),
                    fmt_opt(row.ratio_low),
                    fmt_opt(row.ratio_high),
                    csv_field(label),
                ));
            }
            let f = &d.figures;
            for (key, label, value) in [
                (
                    "prefer_not_to_say",
                    "Prefer not to say",
                    f.prefer_not_to_say,
                ),
                ("not_answered", "Not answered", f.not_answered),
                ("respondents", "Answered", f.respondents),
                ("volunteers", "All volunteers counted", f.volunteers),
            ] {
                out.push_str(&format!(
                    "{s},{dim},{key},{},,,,,,,,,{label}\n",
                    fmt_count(value)
                ));
            }
            out.push_str(&format!(
                "{s},{dim},response_rate,,{},,,,,,,,Response rate\n",
                fmt_opt(f.response_rate)
            ));
            out.push_str(&format!(
                "{s},{dim},dissimilarity_index,,{},,,,,,,,Index of dissimilarity\n",
                fmt_opt(f.dissimilarity_index)
            ));
            if let Some(chi) = f.chi_square {
                out.push_str(&format!(
                    "{s},{dim},chi_square,,{:.4},,,,,,,,Chi-square (df {}; p {:.4})\n",
                    chi.statistic, chi.degrees_of_freedom, chi.p_value
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn quarters_end_with_the_periods_last_and_are_clipped_to_it() {
        let q = quarters(Some(date!(2025 - 02 - 10)), date!(2025 - 08 - 15));
        let names: Vec<&str> = q.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(names, ["2025 Q1", "2025 Q2", "2025 Q3"]);
        assert_eq!(q[0].1, date!(2025 - 02 - 10));
        assert_eq!(q[0].2, date!(2025 - 03 - 31));
        assert_eq!(q[2].2, date!(2025 - 08 - 15));
        let open = quarters(None, date!(2026 - 01 - 05));
        assert_eq!(open.len(), TREND_QUARTERS);
        assert_eq!(open.last().unwrap().0, "2026 Q1");
        assert_eq!(open[0].0, "2024 Q2");
    }

    #[test]
    fn a_birthday_on_the_29th_of_february_falls_back_to_the_28th() {
        assert_eq!(
            years_before(date!(2024 - 02 - 29), 1),
            date!(2023 - 02 - 28)
        );
        assert_eq!(
            years_before(date!(2024 - 02 - 29), 4),
            date!(2020 - 02 - 29)
        );
    }
}
