//! The equality-monitoring questions a person answers, edits and withdraws (`/account/equality`).
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::error::AppError;
use crate::models::equality::{
    self, Answers, Choice, EthnicGroupChoice, QUESTIONS, Question, choices, ethnicity_choices,
};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/equality", get(form).post(submit))
        .route("/account/equality/withdraw", post(withdraw))
}

/// A question with its choices, for the template.
pub struct AskedQuestion {
    pub question: Question,
    pub choices: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/equality.html")]
pub struct EqualityPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub notice: String,
    pub answers: Answers,
    /// Saved answers exist (so "withdraw" is offered and consent was given).
    pub saved: bool,
    pub consent: bool,
    pub questions: Vec<AskedQuestion>,
    pub ethnic_groups: Vec<EthnicGroupChoice>,
}

impl EqualityPage {
    fn new(page: PageContext, answers: Answers, saved: bool) -> Self {
        Self {
            page,
            errors: FormErrors::new(),
            notice: String::new(),
            answers,
            saved,
            consent: saved,
            questions: QUESTIONS
                .into_iter()
                .map(|question| AskedQuestion {
                    choices: choices(question.field),
                    question,
                })
                .collect(),
            ethnic_groups: ethnicity_choices(),
        }
    }

    /// Whether `value` is the answer given to `field` (for `checked`).
    pub fn is(&self, field: &str, value: &str) -> bool {
        self.answers.value(field) == value
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub notice: String,
}

fn notice_text(key: &str) -> &'static str {
    match key {
        "saved" => "Thank you. Your answers have been saved.",
        "withdrawn" => {
            "Your answers have been deleted. They will not be counted in any report from now on."
        }
        _ => "",
    }
}

pub async fn form(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Query(q): Query<NoticeQuery>,
) -> Result<EqualityPage, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let row = equality::answers_of(&state.db, me.0.user.id).await?;
    let mut view = EqualityPage::new(
        page,
        row.as_ref().map(Answers::from_row).unwrap_or_default(),
        row.is_some(),
    );
    view.notice = notice_text(&q.notice).to_owned();
    Ok(view)
}

pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    let user_id = me.0.user.id;
    let saved = equality::answers_of(&state.db, user_id).await?.is_some();
    let consent = form.checked("consent");
    let checked = equality::check(|name| form.get(name));
    let answers = match &checked {
        Ok(a) => a.clone(),
        // Re-show what was sent, so only the wrong answer needs changing.
        Err(_) => Answers {
            sex: Some(form.trimmed("sex")).filter(|v| !v.is_empty()),
            ethnic_group: Some(form.trimmed("ethnic_group")).filter(|v| !v.is_empty()),
            ethnicity: Some(form.trimmed("ethnicity")).filter(|v| !v.is_empty()),
            disability: Some(form.trimmed("disability")).filter(|v| !v.is_empty()),
            religion: Some(form.trimmed("religion")).filter(|v| !v.is_empty()),
            sexual_orientation: Some(form.trimmed("sexual_orientation")).filter(|v| !v.is_empty()),
        },
    };
    let mut errors: FormErrors = checked.err().map(FormErrors::from).unwrap_or_default();
    if !consent {
        errors.add(
            "consent",
            "Tick the box to agree that we may keep your answers for equality monitoring",
        );
    }
    if !errors.is_empty() {
        let mut view = EqualityPage::new(page, answers, saved);
        view.consent = consent;
        view.errors = errors;
        return Ok((StatusCode::BAD_REQUEST, view).into_response());
    }
    equality::save(&state.db, user_id, &answers).await?;
    Ok(Redirect::to("/account/equality?notice=saved").into_response())
}

pub async fn withdraw(State(state): State<AppState>, me: SignedIn) -> Result<Response, AppError> {
    me.require(&Action::ManageOwnAccount)?;
    equality::withdraw(&state.db, me.0.user.id).await?;
    Ok(Redirect::to("/account/equality?notice=withdrawn").into_response())
}
