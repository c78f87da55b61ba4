//! Hours: a volunteer logs hours on an accepted application; the organisation sees,
//! confirms or rejects them, and downloads them as CSV.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::Date;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::domain::applications::{self as rules, Status};
use crate::entities::{hours_log, organisation};
use crate::error::{AppError, parse_id};
use crate::models::applications::{self, ApplicationView};
use crate::models::hours::{self, HoursClaim, HoursRow};
use crate::models::{audit, staff};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/applications/{id}/hours", get(log_form).post(log_submit))
        .route("/organisations/{id}/hours", get(organisation_hours))
        .route("/organisations/{id}/hours.csv", get(organisation_csv))
        .route("/hours/{id}/confirm", post(confirm))
        .route("/hours/{id}/reject", post(reject))
}

/// What the volunteer typed, kept to show again.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub day: String,
    pub month: String,
    pub year: String,
    pub hours: String,
    pub minutes: String,
    pub session: String,
    pub note: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "hours/log.html")]
pub struct LogPage {
    pub page: PageContext,
    pub app: ApplicationView,
    pub sessions: Vec<crate::models::roles::Session>,
    pub logged: Vec<hours_log::Model>,
    pub total_confirmed: String,
    pub errors: FormErrors,
    pub typed: Typed,
    pub notice: String,
}

impl LogPage {
    fn logged_date(&self, entry: &hours_log::Model) -> String {
        crate::domain::london_time::long_date(entry.worked_on)
    }

    fn logged_duration(&self, entry: &hours_log::Model) -> String {
        rules::duration_words(i64::from(entry.minutes))
    }
}

/// The application, checked to be this volunteer's.
async fn own_application(state: &AppState, me: &SignedIn, raw_id: &str) -> Result<i32, AppError> {
    let id = parse_id(raw_id, "id")?;
    let (app, _) = applications::facts(&state.db, id).await?;
    me.require(&Action::ActAsVolunteer {
        volunteer_profile: app.volunteer_id,
    })?;
    Ok(id)
}

async fn render_log(
    state: &AppState,
    page: PageContext,
    id: i32,
    errors: FormErrors,
    typed: Typed,
    notice: &str,
) -> Result<LogPage, AppError> {
    let app = applications::view(&state.db, id).await?;
    let (row, _) = applications::facts(&state.db, id).await?;
    let logged = hours::for_application(&state.db, &row).await?;
    let confirmed: i64 = logged
        .iter()
        .filter(|h| h.status == hours::CONFIRMED)
        .map(|h| i64::from(h.minutes))
        .sum();
    let sessions = crate::models::roles::find_public(&state.db, app.role_id)
        .await
        .map(|r| r.sessions)
        .unwrap_or_default();
    // Sessions that have started are the ones hours can be for.
    let now = crate::db::now();
    let mut past: Vec<_> = app
        .sessions
        .iter()
        .chain(sessions.iter())
        .filter(|s| s.starts_at <= now)
        .cloned()
        .collect();
    past.sort_by_key(|s| s.id);
    past.dedup_by_key(|s| s.id);
    Ok(LogPage {
        page,
        app,
        sessions: past,
        logged,
        total_confirmed: rules::duration_words(confirmed),
        errors,
        typed,
        notice: notice.to_owned(),
    })
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

async fn log_form(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let id = own_application(&state, &me, &id).await?;
    let notice = if q.done == "logged" {
        "Hours logged. The organisation will confirm them."
    } else {
        ""
    };
    let page = render_log(
        &state,
        page,
        id,
        FormErrors::new(),
        Typed::default(),
        notice,
    )
    .await?;
    let status = if page.app.status == Status::Accepted {
        StatusCode::OK
    } else {
        StatusCode::CONFLICT
    };
    Ok((status, page).into_response())
}

#[derive(garde::Validate)]
struct NoteForm {
    #[garde(custom(note_fits))]
    note: String,
}

fn note_fits(value: &str, _: &()) -> garde::Result {
    if value.chars().count() > applications::MAX_MESSAGE {
        return Err(garde::Error::new(format!(
            "The note must be {} characters or fewer",
            applications::MAX_MESSAGE
        )));
    }
    Ok(())
}

/// The date from the three boxes of a GOV.UK date input.
fn read_date(day: &str, month: &str, year: &str) -> Result<Date, &'static str> {
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Err("Enter the date you volunteered");
    }
    let (Ok(d), Ok(m), Ok(y)) = (day.parse::<u8>(), month.parse::<u8>(), year.parse::<i32>())
    else {
        return Err("Enter the date you volunteered as numbers, for example 27 3 2026");
    };
    let month = time::Month::try_from(m).map_err(|_| "The month must be between 1 and 12")?;
    if !(2000..=9999).contains(&y) {
        return Err("Enter the year as 4 numbers, for example 2026");
    }
    Date::from_calendar_date(y, month, d)
        .map_err(|_| "The date you volunteered must be a real date")
}

async fn log_submit(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let id = own_application(&state, &me, &id).await?;
    let typed = Typed {
        day: form.trimmed("worked_on-day"),
        month: form.trimmed("worked_on-month"),
        year: form.trimmed("worked_on-year"),
        hours: form.trimmed("hours"),
        minutes: form.trimmed("minutes"),
        session: form.trimmed("session"),
        note: form.trimmed("note"),
    };
    let mut errors = FormErrors::new();
    let date = read_date(&typed.day, &typed.month, &typed.year)
        .map_err(|why| errors.add("worked_on", why))
        .ok();
    let minutes = rules::minutes_worked(&typed.hours, &typed.minutes)
        .map_err(|(field, why)| errors.add(field, why))
        .ok();
    let session_id = match typed.session.as_str() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(s) => Some(s),
            Err(_) => {
                errors.add("session", "Choose one of this role's sessions, or none");
                None
            }
        },
    };
    if let Err(report) = garde::Validate::validate(&NoteForm {
        note: typed.note.clone(),
    }) {
        for (field, why) in FormErrors::from(report).iter() {
            errors.add(field, why.clone());
        }
    }
    let (Some(worked_on), Some(minutes), true) = (date, minutes, errors.is_empty()) else {
        let page = render_log(&state, page, id, errors, typed, "").await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    };
    let claim = HoursClaim {
        worked_on,
        minutes,
        session_id,
        note: typed.note.clone(),
    };
    match hours::log(&state.db, &state.base_url, id, &claim).await {
        Ok(_) => Ok(Redirect::to(&format!("/applications/{id}/hours?done=logged")).into_response()),
        Err(applications::Error::Refused(r)) => {
            let status = StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST);
            let mut errors = FormErrors::new();
            errors.add(r.field, r.message);
            let page = render_log(&state, page, id, errors, typed, "").await?;
            Ok((status, page).into_response())
        }
        Err(applications::Error::Failed(e)) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "hours/organisation.html")]
pub struct OrganisationHoursPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub to_confirm: Vec<HoursRow>,
    pub reviewed: Vec<HoursRow>,
    pub total_confirmed: String,
    pub errors: FormErrors,
    pub notice: String,
}

async fn load_organisation(
    state: &AppState,
    raw_id: &str,
) -> Result<organisation::Model, AppError> {
    staff::find(&state.db, parse_id(raw_id, "id")?)
        .await?
        .ok_or(AppError::NotFound("organisation"))
}

async fn render_organisation(
    state: &AppState,
    page: PageContext,
    organisation: organisation::Model,
    errors: FormErrors,
    notice: &str,
) -> Result<OrganisationHoursPage, AppError> {
    let all = hours::for_organisation(&state.db, organisation.id, None).await?;
    let (to_confirm, reviewed): (Vec<HoursRow>, Vec<HoursRow>) =
        all.into_iter().partition(|h| h.status == hours::CLAIMED);
    let total = hours::total_for_organisation(&state.db, organisation.id).await?;
    Ok(OrganisationHoursPage {
        page,
        organisation,
        to_confirm,
        reviewed,
        total_confirmed: rules::duration_words(total),
        errors,
        notice: notice.to_owned(),
    })
}

async fn organisation_hours(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<OrganisationHoursPage, AppError> {
    let organisation = load_organisation(&state, &id).await?;
    me.require(&Action::ReviewHours {
        organisation: organisation.id,
    })?;
    let notice = match q.done.as_str() {
        "confirmed" => "Hours confirmed. We have emailed the volunteer.",
        "rejected" => "Hours rejected. We have emailed the volunteer.",
        _ => "",
    };
    render_organisation(&state, page, organisation, FormErrors::new(), notice).await
}

async fn organisation_csv(
    State(state): State<AppState>,
    me: SignedIn,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let organisation = load_organisation(&state, &id).await?;
    me.require(&Action::ReviewHours {
        organisation: organisation.id,
    })?;
    let rows = hours::for_organisation(&state.db, organisation.id, None).await?;
    audit::record(
        &state.db,
        audit::Entry {
            actor_user_id: Some(me.0.id()),
            action: "data.export",
            subject_type: "organisation",
            subject_id: Some(organisation.id),
            detail: serde_json::json!({ "export": "hours.csv", "rows": rows.len() }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    let filename = format!("{}-hours.csv", organisation.slug);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        hours::to_csv(&rows),
    )
        .into_response())
}

async fn review(
    state: AppState,
    me: SignedIn,
    page: PageContext,
    raw_id: String,
    form: FormFields,
    confirming: bool,
) -> Result<Response, AppError> {
    let id = parse_id(&raw_id, "id")?;
    let (_, role) = hours::find(&state.db, id).await?;
    me.require(&Action::ReviewHours {
        organisation: role.organisation_id,
    })?;
    let note = form.trimmed("note");
    let outcome = hours::review(&state.db, &state.base_url, id, confirming, me.0.id(), &note).await;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "/organisations/{}/hours?done={}",
            role.organisation_id,
            if confirming { "confirmed" } else { "rejected" }
        ))
        .into_response()),
        Err(applications::Error::Refused(r)) => {
            let status = StatusCode::from_u16(r.status()).unwrap_or(StatusCode::CONFLICT);
            let organisation = load_organisation(&state, &role.organisation_id.to_string()).await?;
            let mut errors = FormErrors::new();
            errors.add(if r.field == "note" { "note" } else { "hours" }, r.message);
            let page = render_organisation(&state, page, organisation, errors, "").await?;
            Ok((status, page).into_response())
        }
        Err(applications::Error::Failed(e)) => Err(e),
    }
}

async fn confirm(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    review(state, me, page, id, form, true).await
}

async fn reject(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    review(state, me, page, id, form, false).await
}
