//! An organisation's side of pathways: tagging a role with the stages it counts
//! toward, and signing off volunteers' skills and training with evidence.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use time::Date;

use super::DoneQuery;
use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::pathways::{self as rules, FUNCTIONAL_LEVELS, MAX_STEP, Scale};
use crate::entities::{organisation, role};
use crate::error::{AppError, parse_id};
use crate::models::pathways::{self, SignOff, SignOffLine, StageChoice, TrainingDone};
use crate::models::{role_posting, staff};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/roles/{id}/pathways", get(role_form).post(role_submit))
        .route(
            "/organisations/{id}/sign-offs",
            get(sign_offs).post(sign_off_submit),
        )
        .route("/organisations/{id}/training", post(training_submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/role_stages.html")]
pub struct RoleStagesPage {
    pub page: PageContext,
    pub role: role::Model,
    pub choices: Vec<StageChoice>,
    pub errors: FormErrors,
    pub notice: String,
}

async fn load_role(state: &AppState, me: &SignedIn, raw: &str) -> Result<role::Model, AppError> {
    let role = role_posting::find(&state.db, parse_id(raw, "id")?)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    me.require(&Action::ManageRoles {
        organisation: role.organisation_id,
    })?;
    Ok(role)
}

async fn role_form(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<RoleStagesPage, AppError> {
    let role = load_role(&state, &me, &id).await?;
    let choices = pathways::stage_choices(&state.db, role.id).await?;
    Ok(RoleStagesPage {
        page,
        role,
        choices,
        errors: FormErrors::new(),
        notice: if q.done == "saved" {
            "Saved. Confirmed hours on this role now count toward the stages you ticked.".into()
        } else {
            String::new()
        },
    })
}

async fn role_submit(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let role = load_role(&state, &me, &id).await?;
    let mut errors = FormErrors::new();
    let mut ids = Vec::new();
    for raw in form.all("stages") {
        match raw.parse::<i32>() {
            Ok(id) => ids.push(id),
            Err(_) => errors.add("stages", "Choose stages from the list"),
        }
    }
    if errors.is_empty() {
        match pathways::set_role_stages(&state.db, me.0.id(), role.id, &ids).await {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/roles/{}/pathways?done=saved", role.id))
                        .into_response(),
                );
            }
            Err(e) => errors = FormErrors::from_refusal(e)?,
        }
    }
    let choices = pathways::stage_choices(&state.db, role.id).await?;
    Ok((
        StatusCode::BAD_REQUEST,
        RoleStagesPage {
            page,
            role,
            choices,
            errors,
            notice: String::new(),
        },
    )
        .into_response())
}

/// What was typed into the sign-off and training forms, to show again.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub volunteer: String,
    pub skill: String,
    pub level: String,
    pub evidence: String,
    pub item: String,
    pub completed_on: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/sign_offs.html")]
pub struct SignOffsPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub volunteers: Vec<(i32, String)>,
    /// `(slug, label with its scale)`.
    pub skills: Vec<(String, String)>,
    pub training_items: Vec<(&'static str, &'static str)>,
    pub history: Vec<SignOffLine>,
    pub errors: FormErrors,
    pub typed: Typed,
    pub notice: String,
    pub levels_hint: String,
}

async fn load_organisation(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<organisation::Model, AppError> {
    let id = parse_id(raw, "id")?;
    me.require(&Action::SignOffSkills { organisation: id })?;
    staff::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound("organisation"))
}

async fn render(
    state: &AppState,
    page: PageContext,
    organisation: organisation::Model,
    errors: FormErrors,
    typed: Typed,
    notice: String,
) -> Result<SignOffsPage, AppError> {
    let volunteers = pathways::volunteers_of(&state.db, organisation.id).await?;
    let skills = pathways::skill_choices(&state.db)
        .await?
        .into_iter()
        .map(|(slug, name, scale)| {
            let label = match scale {
                Scale::SkillsBuilder => format!("{name} (Skills Builder step 0–{MAX_STEP})"),
                Scale::Functional => format!("{name} (Functional Skills, 1–5)"),
                Scale::Practical => format!("{name} (0–{MAX_STEP})"),
            };
            (slug, label)
        })
        .collect();
    let history = pathways::sign_offs_by(&state.db, organisation.id).await?;
    let functional: Vec<String> = FUNCTIONAL_LEVELS
        .iter()
        .map(|(n, name)| format!("{n} = {name}"))
        .collect();
    Ok(SignOffsPage {
        page,
        organisation,
        volunteers,
        skills,
        training_items: rules::TRAINING_ITEMS.to_vec(),
        history,
        errors,
        typed,
        notice,
        levels_hint: format!(
            "Skills Builder steps 0 to {MAX_STEP} for the eight essential skills. For English, maths and digital: {}.",
            functional.join(", ")
        ),
    })
}

async fn sign_offs(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<SignOffsPage, AppError> {
    let organisation = load_organisation(&state, &me, &id).await?;
    let notice = match q.done.as_str() {
        "signed" => "Signed off. The volunteer's pathway progress is updated.",
        "trained" => "Training recorded. The volunteer's pathway progress is updated.",
        _ => "",
    };
    render(
        &state,
        page,
        organisation,
        FormErrors::new(),
        Typed::default(),
        notice.to_owned(),
    )
    .await
}

fn volunteer_field(raw: &str, errors: &mut FormErrors) -> Option<i32> {
    match raw.parse::<i32>() {
        Ok(v) => Some(v),
        Err(_) => {
            errors.add("volunteer_profile_id", "Choose a volunteer");
            None
        }
    }
}

async fn sign_off_submit(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let organisation = load_organisation(&state, &me, &id).await?;
    let typed = Typed {
        volunteer: form.trimmed("volunteer_profile_id"),
        skill: form.trimmed("skill"),
        level: form.trimmed("level"),
        evidence: form.trimmed("evidence"),
        ..Typed::default()
    };
    let mut errors = FormErrors::new();
    let volunteer = volunteer_field(&typed.volunteer, &mut errors);
    let level = match typed.level.parse::<i64>() {
        Ok(l) => Some(l),
        Err(_) => {
            errors.add("level", "Enter the level as a whole number");
            None
        }
    };
    if let (Some(volunteer_profile_id), Some(level), true) = (volunteer, level, errors.is_empty()) {
        let outcome = pathways::sign_off(
            &state.db,
            &state.base_url,
            &SignOff {
                organisation_id: organisation.id,
                volunteer_profile_id,
                skill: typed.skill.clone(),
                level,
                evidence: typed.evidence.clone(),
                signed_by: me.0.id(),
            },
        )
        .await;
        match outcome {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/organisations/{}/sign-offs?done=signed",
                    organisation.id
                ))
                .into_response());
            }
            Err(e) => errors = FormErrors::from_refusal(e)?,
        }
    }
    let page = render(&state, page, organisation, errors, typed, String::new()).await?;
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}

fn parse_iso_date(raw: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &format).ok()
}

async fn training_submit(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let organisation = load_organisation(&state, &me, &id).await?;
    let typed = Typed {
        volunteer: form.trimmed("volunteer_profile_id"),
        item: form.trimmed("item"),
        completed_on: form.trimmed("completed_on"),
        ..Typed::default()
    };
    let mut errors = FormErrors::new();
    let volunteer = volunteer_field(&typed.volunteer, &mut errors);
    let completed_on = parse_iso_date(&typed.completed_on);
    if completed_on.is_none() {
        errors.add(
            "completed_on",
            "Enter the date the training was completed, like 2026-07-04",
        );
    }
    if let (Some(volunteer_profile_id), Some(completed_on), true) =
        (volunteer, completed_on, errors.is_empty())
    {
        let outcome = pathways::record_training(
            &state.db,
            &state.base_url,
            &TrainingDone {
                organisation_id: organisation.id,
                volunteer_profile_id,
                item: typed.item.clone(),
                completed_on,
                signed_by: me.0.id(),
            },
        )
        .await;
        match outcome {
            Ok(_) => {
                return Ok(Redirect::to(&format!(
                    "/organisations/{}/sign-offs?done=trained",
                    organisation.id
                ))
                .into_response());
            }
            Err(e) => errors = FormErrors::from_refusal(e)?,
        }
    }
    let page = render(&state, page, organisation, errors, typed, String::new()).await?;
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}
