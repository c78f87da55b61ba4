//! `/front-desk`: a link worker's or hub coordinator's desk: refer a resident, follow their
//! referrals and record outcomes, and sign residents up in person.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::SignedIn;
use crate::domain::access::{Action, Actor};
use crate::domain::front_desk::{HOPES, NEEDS};
use crate::error::{AppError, parse_id};
use crate::models::assisted::{
    self, AssistedForm, AssistedResident, AssistedSignedUp, CONTACT_PREFERENCES,
};
use crate::models::hubs;
use crate::models::social_referrals::{self, OutcomeForm, ReferralForm, ReferralView};
use crate::routes::QueryPairs;
use crate::routes::api_v1::{query_value, query_values};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

/// The hubs this person works the desk for: a link worker's hub, the hubs they
/// coordinate, or every hub for a link worker attached only to a GP network.
pub async fn desk_hubs(state: &AppState, actor: &Actor) -> Result<Vec<(i32, String)>, AppError> {
    let all = hubs::list(&state.db).await?;
    Ok(all
        .into_iter()
        .filter(|h| actor.link_worker_for(h.id) || actor.coordinates(h.id))
        .map(|h| (h.id, h.name))
        .collect())
}

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/desk.html")]
pub struct DeskPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub notice: String,
    pub hubs: Vec<(i32, String)>,
    pub residents: Vec<AssistedResident>,
    pub organisations: Vec<(i32, String)>,
    pub roles: Vec<(i32, String)>,
    pub form: ReferralForm,
    pub resident_email: String,
    pub hub_chosen: String,
    pub referrals: Vec<ReferralView>,
    pub hopes: Vec<(&'static str, &'static str)>,
    pub needs: Vec<(&'static str, &'static str)>,
    pub checkpoints: Vec<i32>,
}

impl DeskPage {
    pub fn hub_is(&self, id: &i32) -> bool {
        self.hub_chosen == id.to_string() || self.hubs.len() == 1
    }
    pub fn resident_is(&self, id: &i32) -> bool {
        self.form.resident == id.to_string()
    }
    pub fn organisation_is(&self, id: &i32) -> bool {
        self.form.organisation_id == id.to_string()
    }
    pub fn role_is(&self, id: &i32) -> bool {
        self.form.role_id == id.to_string()
    }
    pub fn hours<N: Copy + Into<i64>>(&self, n: &N) -> String {
        match (*n).into() {
            1 => "1 hour".to_owned(),
            n => format!("{n} hours"),
        }
    }

    pub fn confirmed_hours(&self, r: &ReferralView) -> String {
        self.hours(&r.confirmed_hours())
    }

    /// Outcome checks whose date has passed with nothing recorded.
    pub fn checks_due(&self) -> usize {
        self.referrals
            .iter()
            .map(|r| r.due_checkpoints().len())
            .sum()
    }
}

fn notice_text(key: &str) -> &'static str {
    match key {
        "referred" => "Referral sent: we have emailed the organisation.",
        "outcome" => "Outcome recorded.",
        _ => "",
    }
}

async fn build(
    state: &AppState,
    page: PageContext,
    actor: &Actor,
    form: ReferralForm,
    resident_email: String,
    hub_chosen: String,
    errors: FormErrors,
    notice: &str,
) -> Result<DeskPage, AppError> {
    let hubs = desk_hubs(state, actor).await?;
    let hub_ids: Vec<i32> = hubs.iter().map(|(id, _)| *id).collect();
    let rows = social_referrals::for_front_desk(&state.db, actor).await?;
    let referrals =
        social_referrals::views(&state.db, rows, |r| social_referrals::sees_reason(actor, r))
            .await?;
    Ok(DeskPage {
        page,
        errors,
        notice: notice_text(notice).to_owned(),
        residents: assisted::residents_of_hubs(&state.db, &hub_ids).await?,
        hubs,
        organisations: social_referrals::organisation_choices(&state.db).await?,
        roles: crate::models::referrals::open_role_choices(&state.db).await?,
        form,
        resident_email,
        hub_chosen,
        referrals,
        hopes: HOPES.to_vec(),
        needs: NEEDS.to_vec(),
        checkpoints: crate::domain::front_desk::CHECKPOINTS.to_vec(),
    })
}

/// The desk; `resident`, `role_id`, `needs` and `hub_id` in the query prefill the referral
/// form (the links on the role suggestions page).
pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    QueryPairs(query): QueryPairs,
) -> Result<DeskPage, AppError> {
    me.require(&Action::UseFrontDesk)?;
    let prefilled = ReferralForm {
        resident: query_value(&query, "resident"),
        role_id: query_value(&query, "role_id"),
        needs: query_values(&query, "needs"),
        ..ReferralForm::default()
    };
    build(
        &state,
        page,
        &me.0.actor,
        prefilled,
        String::new(),
        query_value(&query, "hub_id"),
        FormErrors::new(),
        &query_value(&query, "notice"),
    )
    .await
}

pub async fn refer(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    fields: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::UseFrontDesk)?;
    let hub_raw = fields.trimmed("hub_id");
    let resident_email = fields.trimmed("resident_email");
    let form = ReferralForm {
        resident: if resident_email.is_empty() {
            fields.trimmed("resident")
        } else {
            resident_email.clone()
        },
        organisation_id: fields.trimmed("organisation_id"),
        role_id: fields.trimmed("role_id"),
        hopes: fields.all("hopes").into_iter().map(str::to_owned).collect(),
        needs: fields.all("needs").into_iter().map(str::to_owned).collect(),
        reason: fields.get("reason").replace("\r\n", "\n"),
        consent: fields.checked("consent"),
    };
    let actor = me.0.actor.clone();
    let reshow = async |form: ReferralForm, errors: FormErrors| -> Result<Response, AppError> {
        let page = build(
            &state,
            page,
            &actor,
            form,
            resident_email.clone(),
            hub_raw.clone(),
            errors,
            "",
        )
        .await?;
        Ok((StatusCode::BAD_REQUEST, page).into_response())
    };
    let hub_id = match hub_raw.parse::<i32>() {
        Ok(id) if id > 0 => id,
        _ => {
            let mut errors = FormErrors::new();
            errors.add("hub_id", "Choose the hub you are referring through");
            return reshow(form, errors).await;
        }
    };
    // Someone outside the hub is refused before anything is checked or written.
    me.require(&Action::ReferResident { hub: hub_id })?;
    let txn = crate::db::begin(&state.db).await?;
    match social_referrals::create(&txn, &me.0.actor, hub_id, &form, &state.base_url).await {
        Ok(_) => {
            txn.commit().await?;
            Ok(Redirect::to("/front-desk?notice=referred").into_response())
        }
        Err(AppError::BadRequest { fields, .. }) => {
            drop(txn);
            reshow(form, fields.into()).await
        }
        Err(e) => Err(e),
    }
}

pub async fn record_outcome(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw_id): Path<String>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let id = parse_id(&raw_id, "id")?;
    let row = social_referrals::find(&state.db, id).await?;
    me.require(&Action::RecordReferralOutcome {
        referred_by: row.referred_by,
        hub: row.hub_id,
    })?;
    let form = OutcomeForm {
        checkpoint_weeks: fields.trimmed("checkpoint_weeks"),
        still_volunteering: fields.trimmed("still_volunteering"),
        hours: fields.trimmed("hours"),
        consent: fields.checked("consent"),
    };
    let txn = crate::db::begin(&state.db).await?;
    social_referrals::record_outcome(&txn, &row, &form, me.0.id()).await?;
    txn.commit().await?;
    Ok(Redirect::to("/front-desk?notice=outcome").into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/resident.html")]
pub struct ResidentPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub hubs: Vec<(i32, String)>,
    pub hub_chosen: String,
    pub form: AssistedForm,
    pub contact_preferences: Vec<(&'static str, &'static str)>,
    pub wards: Vec<crate::models::Named>,
    /// Set once the account is made: the slip to print and hand over.
    pub done: Option<AssistedSignedUp>,
    pub claim_url: String,
}

impl ResidentPage {
    pub fn hub_is(&self, id: &i32) -> bool {
        self.hub_chosen == id.to_string() || self.hubs.len() == 1
    }
    pub fn contact_is(&self, value: &&str) -> bool {
        self.form.contact_preference == *value
    }
    pub fn ward_is(&self, id: &i32) -> bool {
        self.form.ward_id == id.to_string()
    }
    pub fn expires(&self, at: &time::OffsetDateTime) -> String {
        crate::domain::london_time::date(*at)
    }
}

pub async fn resident_form(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
) -> Result<ResidentPage, AppError> {
    me.require(&Action::UseFrontDesk)?;
    Ok(ResidentPage {
        page,
        errors: FormErrors::new(),
        hubs: desk_hubs(&state, &me.0.actor).await?,
        hub_chosen: String::new(),
        form: AssistedForm::default(),
        contact_preferences: CONTACT_PREFERENCES.to_vec(),
        wards: crate::models::vocab::wards(&state.db).await?,
        done: None,
        claim_url: state.link("/claim-account"),
    })
}

pub async fn sign_up_resident(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    fields: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::UseFrontDesk)?;
    let form = AssistedForm {
        display_name: fields.trimmed("display_name"),
        dob_day: fields.trimmed("dob_day"),
        dob_month: fields.trimmed("dob_month"),
        dob_year: fields.trimmed("dob_year"),
        contact_preference: fields.trimmed("contact_preference"),
        phone: fields.trimmed("phone"),
        postal_address: fields.get("postal_address").replace("\r\n", "\n"),
        email: fields.trimmed("email"),
        ward_id: fields.trimmed("ward_id"),
        consent_in_person: fields.checked("consent_in_person"),
    };
    let hub_raw = fields.trimmed("hub_id");
    let hubs = desk_hubs(&state, &me.0.actor).await?;
    let mut result = ResidentPage {
        page,
        errors: FormErrors::new(),
        hubs,
        hub_chosen: hub_raw.clone(),
        form,
        contact_preferences: CONTACT_PREFERENCES.to_vec(),
        wards: crate::models::vocab::wards(&state.db).await?,
        done: None,
        claim_url: state.link("/claim-account"),
    };
    let hub_id = match hub_raw.parse::<i32>() {
        Ok(id) if id > 0 => id,
        _ => {
            result
                .errors
                .add("hub_id", "Choose the hub that will keep in touch with them");
            return Ok((StatusCode::BAD_REQUEST, result).into_response());
        }
    };
    me.require(&Action::AssistedSignUp { hub: hub_id })?;
    let txn = crate::db::begin(&state.db).await?;
    match assisted::sign_up_in_person(&txn, me.0.id(), hub_id, &result.form).await {
        Ok(done) => {
            txn.commit().await?;
            result.done = Some(done);
            Ok(result.into_response())
        }
        Err(AppError::BadRequest { fields, .. }) => {
            drop(txn);
            result.errors = fields.into();
            Ok((StatusCode::BAD_REQUEST, result).into_response())
        }
        Err(e) => Err(e),
    }
}
