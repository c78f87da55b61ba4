//! Reports for the alliance: the representativeness report as a page with charts,
//! CSV and JSON downloads, and `GET /api/v1/reports/representativeness`.
pub mod chart;
pub mod outreach;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::current::{ApiCaller, ClientIp, SignedIn};
use crate::domain::access::{
    self, Action, Decision, ORGANISATION_REPORT_MIN_RESPONDENTS, OrgRole, ReportScope,
};
use crate::domain::representativeness::{Flag, Published};
use crate::error::{ApiError, AppError};
use crate::models::Named;
use crate::models::accounts::CurrentUser;
use crate::models::audit;
use crate::models::representativeness::{
    self as report_model, FilterInput, FilterNames, Report, Stage,
};
use crate::models::vocab;
use crate::routes::QueryPairs;
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/representativeness", get(page))
        .route("/reports/representativeness.csv", get(csv))
        .route("/reports/representativeness.json", get(json))
        .route(
            "/reports/representativeness/outreach",
            get(outreach::form).post(outreach::submit),
        )
}

/// The report's API route, registered with the API document.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api_report))
}

/// Why a report was not shown, beyond a plain "forbidden".
enum Refusal {
    /// An organisation admin whose organisation has too few respondents yet.
    TooFewRespondents {
        organisation: String,
        respondents: u64,
    },
    Error(AppError),
}

impl<E: Into<AppError>> From<E> for Refusal {
    fn from(e: E) -> Self {
        Self::Error(e.into())
    }
}

/// The report a person asked for, after the access check, with what it was built from.
struct Prepared {
    input: FilterInput,
    names: FilterNames,
    report: Report,
}

/// A person who names no hub or organisation gets the widest scope they may see:
/// the borough for alliance admins, their hub for coordinators, their organisation
/// for its admins.
fn default_scope(me: &CurrentUser, input: &mut FilterInput) {
    if me.actor.alliance_admin || !input.hub.is_empty() || !input.organisation.is_empty() {
        return;
    }
    if let Some(hub) = me.actor.coordinated_hubs.first() {
        input.hub = hub.to_string();
    } else if let Some((org, _)) = me
        .actor
        .memberships
        .iter()
        .find(|(_, role)| *role == OrgRole::Admin)
    {
        input.organisation = org.to_string();
    }
}

/// Looks the filters up, decides access, builds the report and records the view in
/// the audit log (`format`: page, csv, json, api).
async fn prepare(
    state: &AppState,
    me: &CurrentUser,
    mut input: FilterInput,
    format: &str,
    ip: Option<String>,
) -> Result<Prepared, Refusal> {
    default_scope(me, &mut input);
    let today = crate::db::now().date();
    let (filter, names) = report_model::resolve_filter(&state.db, &input, today).await?;
    let organisation_hubs = match filter.organisation {
        Some(org) => crate::models::staff::hub_ids(&state.db, org).await?,
        None => Vec::new(),
    };
    let respondents = match filter.organisation {
        Some(org) => report_model::organisation_respondents(&state.db, org).await?,
        None => 0,
    };
    let scope = match (filter.organisation, filter.hub) {
        (Some(organisation), _) => ReportScope::Organisation {
            organisation,
            organisation_hubs: &organisation_hubs,
            respondents,
        },
        (None, Some(hub)) => ReportScope::Hub(hub),
        (None, None) => ReportScope::Borough,
    };
    // A hub filter on an organisation's report must be one the viewer may see too.
    let hub_allowed = match (filter.organisation, filter.hub) {
        (Some(_), Some(hub)) => {
            access::decide(
                Some(&me.actor),
                &Action::ViewRepresentativeness {
                    scope: ReportScope::Hub(hub),
                },
            ) == Decision::Allow
                || organisation_hubs.contains(&hub)
        }
        _ => true,
    };
    let decision = access::decide(Some(&me.actor), &Action::ViewRepresentativeness { scope });
    if decision != Decision::Allow || !hub_allowed {
        if let Some(org) = filter.organisation
            && me.actor.role_in(org) == Some(OrgRole::Admin)
            && respondents < ORGANISATION_REPORT_MIN_RESPONDENTS
        {
            return Err(Refusal::TooFewRespondents {
                organisation: names.organisation.clone().unwrap_or_default(),
                respondents,
            });
        }
        return Err(Refusal::Error(AppError::Forbidden));
    }
    let report = report_model::report(&state.db, &filter).await?;
    audit::record(
        &state.db,
        audit::Entry {
            actor_user_id: Some(me.id()),
            action: "report.representativeness.view",
            subject_type: "report",
            subject_id: None,
            detail: serde_json::json!({
                "format": format,
                "hub": filter.hub,
                "organisation": filter.organisation,
                "cause": filter.cause,
                "from": input.from,
                "to": filter.to.to_string(),
            }),
            ip,
        },
    )
    .await?;
    Ok(Prepared {
        input,
        names,
        report,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/too_few_respondents.html")]
pub struct TooFewPage {
    pub page: PageContext,
    pub organisation: String,
    pub respondents: u64,
    pub needed: u64,
}

fn refusal_page(page: PageContext, refusal: Refusal) -> Response {
    match refusal {
        Refusal::TooFewRespondents {
            organisation,
            respondents,
        } => (
            StatusCode::FORBIDDEN,
            TooFewPage {
                page,
                organisation,
                respondents,
                needed: ORGANISATION_REPORT_MIN_RESPONDENTS,
            },
        )
            .into_response(),
        Refusal::Error(e) => e.into_response(),
    }
}

fn refusal_json(refusal: Refusal) -> Response {
    match refusal {
        Refusal::TooFewRespondents { respondents, .. } => (
            StatusCode::FORBIDDEN,
            Json(crate::error::ErrorBody {
                error: format!(
                    "this organisation's report opens at {ORGANISATION_REPORT_MIN_RESPONDENTS} \
                     respondents; it has {respondents}"
                ),
                fields: Default::default(),
            }),
        )
            .into_response(),
        Refusal::Error(e) => ApiError(e).into_response(),
    }
}

/// One category row as the page shows it.
pub struct RowView {
    pub label: String,
    pub count: String,
    pub share: String,
    pub interval: String,
    pub baseline: String,
    pub ratio: String,
    pub flag: &'static str,
    pub flag_class: &'static str,
    /// For an under-represented group, where a coordinator starts an outreach digest.
    pub outreach: String,
}

/// One dimension of the chosen stage, with its chart and funnel.
pub struct DimensionView {
    pub key: &'static str,
    pub heading: &'static str,
    pub chart: String,
    pub rows: Vec<RowView>,
    pub respondents: String,
    pub prefer_not_to_say: String,
    pub not_answered: String,
    pub volunteers: String,
    pub response_rate: String,
    pub dissimilarity: String,
    pub chi_square: String,
    /// Category label, then its share at each funnel stage.
    pub funnel: Vec<(String, Vec<String>)>,
}

pub struct QuarterView {
    pub quarter: String,
    pub volunteers: String,
    /// Response rate and dissimilarity per dimension, in `DIMENSIONS` order.
    pub figures: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/representativeness.html")]
pub struct ReportPage {
    pub page: PageContext,
    pub scope_name: String,
    pub input: FilterInput,
    pub query: String,
    pub hubs: Vec<Named>,
    pub organisations: Vec<Named>,
    pub causes: Vec<Named>,
    pub stage: &'static str,
    pub stage_label: &'static str,
    pub stages: Vec<(&'static str, &'static str, String)>,
    pub dimensions: Vec<DimensionView>,
    pub trend_headings: Vec<&'static str>,
    pub trend: Vec<QuarterView>,
    pub notes: Vec<String>,
    pub baseline_area: String,
    pub trend_stage: &'static str,
}

fn count_text(p: Published) -> String {
    match p {
        Published::Shown(n) => n.to_string(),
        Published::Suppressed => "fewer than 5".to_owned(),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0))
        .unwrap_or_else(|| "–".to_owned())
}

fn num(v: Option<f64>, places: usize) -> String {
    v.map(|x| format!("{x:.places$}"))
        .unwrap_or_else(|| "–".to_owned())
}

fn scope_name(names: &FilterNames) -> String {
    let mut parts = Vec::new();
    if let Some(o) = &names.organisation {
        parts.push(o.clone());
    }
    if let Some(h) = &names.hub {
        parts.push(h.clone());
    }
    if parts.is_empty() {
        parts.push("Southwark (all hubs)".to_owned());
    }
    if let Some(c) = &names.cause {
        parts.push(format!("cause: {c}"));
    }
    parts.join(", ")
}

fn build_page(
    page: PageContext,
    can_outreach: bool,
    prepared: Prepared,
    chosen_stage: &str,
    lists: (Vec<Named>, Vec<Named>, Vec<Named>),
) -> ReportPage {
    let Prepared {
        input,
        names,
        report,
    } = prepared;
    let stage = report
        .stages
        .iter()
        .find(|s| s.stage.as_str() == chosen_stage)
        .or_else(|| report.stages.first());
    let stages = report
        .stages
        .iter()
        .map(|s| (s.stage.as_str(), s.label, count_text(s.volunteers)))
        .collect();
    let dimensions = stage
        .map(|stage| {
            stage
                .dimensions
                .iter()
                .map(|d| {
                    let f = &d.figures;
                    let rows = f
                        .rows
                        .iter()
                        .zip(&d.labels)
                        .map(|(r, label)| {
                            let (flag, flag_class) = match r.flag {
                                Some(Flag::Over) => ("Over-represented", "govuk-tag--blue"),
                                Some(Flag::Under) => ("Under-represented", "govuk-tag--orange"),
                                Some(Flag::InLine) => ("In line", "govuk-tag--grey"),
                                None => ("–", ""),
                            };
                            RowView {
                                label: label.clone(),
                                count: count_text(r.count),
                                share: pct(r.share),
                                interval: match (r.share_low, r.share_high) {
                                    (Some(l), Some(h)) => {
                                        format!("{} to {}", pct(Some(l)), pct(Some(h)))
                                    }
                                    _ => "–".to_owned(),
                                },
                                baseline: pct(Some(r.baseline_share)),
                                ratio: match (r.ratio, r.ratio_low, r.ratio_high) {
                                    (Some(x), Some(l), Some(h)) => {
                                        format!("{x:.2} ({l:.2} to {h:.2})")
                                    }
                                    (Some(x), _, _) => format!("{x:.2}"),
                                    _ => "–".to_owned(),
                                },
                                flag,
                                flag_class,
                                outreach: if can_outreach && r.flag == Some(Flag::Under) {
                                    format!(
                                        "/reports/representativeness/outreach?{}",
                                        serde_urlencoded::to_string([
                                            ("hub", input.hub.as_str()),
                                            ("stage", stage.stage.as_str()),
                                            ("dimension", d.dimension),
                                            ("category", r.category.as_str()),
                                            ("flag", "under"),
                                        ])
                                        .unwrap_or_default()
                                    )
                                } else {
                                    String::new()
                                },
                            }
                        })
                        .collect();
                    let funnel = d
                        .labels
                        .iter()
                        .enumerate()
                        .map(|(i, label)| {
                            let shares = report
                                .stages
                                .iter()
                                .map(|s| {
                                    s.dimensions
                                        .iter()
                                        .find(|x| x.dimension == d.dimension)
                                        .and_then(|x| x.figures.rows.get(i))
                                        .map(|r| match r.count {
                                            Published::Suppressed => "fewer than 5".to_owned(),
                                            Published::Shown(_) => pct(r.share),
                                        })
                                        .unwrap_or_else(|| "–".to_owned())
                                })
                                .collect();
                            (label.clone(), shares)
                        })
                        .collect();
                    DimensionView {
                        key: d.dimension,
                        heading: d.heading,
                        chart: chart::bar_chart(d.dimension, d.heading, &f.rows, &d.labels),
                        rows,
                        respondents: count_text(f.respondents),
                        prefer_not_to_say: count_text(f.prefer_not_to_say),
                        not_answered: count_text(f.not_answered),
                        volunteers: count_text(f.volunteers),
                        response_rate: pct(f.response_rate),
                        dissimilarity: num(f.dissimilarity_index, 3),
                        chi_square: f
                            .chi_square
                            .map(|c| {
                                format!(
                                    "{:.2} with {} degrees of freedom, p = {:.4}{}",
                                    c.statistic,
                                    c.degrees_of_freedom,
                                    c.p_value,
                                    if c.min_expected < 5.0 {
                                        " (approximate: some groups expect fewer than 5)"
                                    } else {
                                        ""
                                    }
                                )
                            })
                            .unwrap_or_else(|| "–".to_owned()),
                        funnel,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let trend_headings: Vec<&'static str> = report
        .stages
        .first()
        .map(|s| s.dimensions.iter().map(|d| d.heading).collect())
        .unwrap_or_default();
    let trend = report
        .trend
        .iter()
        .map(|q| QuarterView {
            quarter: q.quarter.clone(),
            volunteers: count_text(q.volunteers),
            figures: q
                .dimensions
                .iter()
                .map(|d| (pct(d.response_rate), num(d.dissimilarity_index, 3)))
                .collect(),
        })
        .collect();
    let (hubs, organisations, causes) = lists;
    ReportPage {
        page,
        scope_name: scope_name(&names),
        query: input.query(),
        input,
        hubs,
        organisations,
        causes,
        stage: stage.map_or("", |s| s.stage.as_str()),
        stage_label: stage.map_or("", |s| s.label),
        stages,
        dimensions,
        trend_headings,
        trend,
        notes: report.notes.clone(),
        baseline_area: report.baseline_area.clone(),
        trend_stage: report
            .stages
            .first()
            .map_or(Stage::Registered.label(), |s| s.label),
    }
}

fn ip_of(ip: ClientIp) -> Option<String> {
    Some(ip.to_string())
}

pub async fn page(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    ip: ClientIp,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let input = FilterInput::from_pairs(&pairs);
    let chosen_stage = pairs
        .iter()
        .find(|(k, _)| k == "stage")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let prepared = match prepare(&state, &me.0, input, "page", ip_of(ip)).await {
        Ok(p) => p,
        Err(refusal) => return Ok(refusal_page(page, refusal)),
    };
    let lists = (
        vocab::hubs(&state.db).await?,
        vocab::approved_organisations(&state.db).await?,
        vocab::causes(&state.db).await?,
    );
    let can_outreach = me.0.actor.alliance_admin || !me.0.actor.coordinated_hubs.is_empty();
    Ok(build_page(page, can_outreach, prepared, &chosen_stage, lists).into_response())
}

pub async fn csv(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    ip: ClientIp,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let input = FilterInput::from_pairs(&pairs);
    let prepared = match prepare(&state, &me.0, input, "csv", ip_of(ip)).await {
        Ok(p) => p,
        Err(refusal) => return Ok(refusal_page(page, refusal)),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"representativeness.csv\"",
            ),
        ],
        report_model::to_csv(&prepared.report),
    )
        .into_response())
}

pub async fn json(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    ip: ClientIp,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let input = FilterInput::from_pairs(&pairs);
    let prepared = match prepare(&state, &me.0, input, "json", ip_of(ip)).await {
        Ok(p) => p,
        Err(refusal) => return Ok(refusal_page(page, refusal)),
    };
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"representativeness.json\"",
        )],
        Json(prepared.report),
    )
        .into_response())
}

/// The representativeness report as JSON: every figure published, small numbers
/// suppressed ("suppressed" in place of a count).
#[utoipa::path(
    get,
    path = "/api/v1/reports/representativeness",
    tag = "reports",
    params(
        ("hub" = Option<String>, Query, description = "Hub id or slug"),
        ("organisation" = Option<String>, Query, description = "Organisation id or slug"),
        ("cause" = Option<String>, Query, description = "Cause slug"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD (default today)"),
    ),
    responses(
        (status = 200, description = "The report: per funnel stage and dimension, counts, shares with 95% Wilson intervals, borough shares, representation ratios and flags, response rate, prefer-not-to-say, index of dissimilarity, chi-square; and the quarterly trend", body = Object),
        (status = 400, description = "A filter is not valid (named in `fields`)", body = crate::error::ErrorBody),
        (status = 401, description = "Not signed in", body = crate::error::ErrorBody),
        (status = 403, description = "Not allowed to see this scope (or the organisation has fewer than 20 respondents)", body = crate::error::ErrorBody),
    ),
    security(("bearer" = []))
)]
pub async fn api_report(
    State(state): State<AppState>,
    caller: ApiCaller,
    ip: ClientIp,
    QueryPairs(pairs): QueryPairs,
) -> Response {
    let input = FilterInput::from_pairs(&pairs);
    match prepare(&state, &caller.0, input, "api", ip_of(ip)).await {
        Ok(prepared) => Json(prepared.report).into_response(),
        Err(refusal) => refusal_json(refusal),
    }
}
