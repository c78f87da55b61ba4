//! `/organisations/{id}/referrals`: the referrals a receiving organisation has had, with
//! only what it needs to make contact (never the reason), and buttons to move them on.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::entities::organisation;
use crate::error::{AppError, parse_id};
use crate::models::social_referrals::{self, ReferralView};
use crate::routes::forms::FormFields;
use crate::routes::page::PageContext;
use crate::state::AppState;
use sea_orm::EntityTrait;

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/organisation.html")]
pub struct OrganisationReferralsPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub referrals: Vec<ReferralView>,
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Path(raw_id): Path<String>,
) -> Result<OrganisationReferralsPage, AppError> {
    let id = parse_id(&raw_id, "id")?;
    me.require(&Action::UpdateSocialReferral { organisation: id })?;
    let organisation = organisation::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let rows = social_referrals::to_organisation(&state.db, id).await?;
    // The organisation's own page never carries the reason, whoever reads it.
    let referrals = social_referrals::views(&state.db, rows, |_| false).await?;
    Ok(OrganisationReferralsPage {
        page,
        organisation,
        referrals,
    })
}

pub async fn move_on(
    State(state): State<AppState>,
    me: SignedIn,
    Path((raw_org, raw_id)): Path<(String, String)>,
    fields: FormFields,
) -> Result<Response, AppError> {
    let org = parse_id(&raw_org, "id")?;
    let id = parse_id(&raw_id, "referral_id")?;
    let row = social_referrals::find(&state.db, id).await?;
    if row.organisation_id != org {
        return Err(AppError::NotFound("referral"));
    }
    me.require(&Action::UpdateSocialReferral {
        organisation: row.organisation_id,
    })?;
    let txn = crate::db::begin(&state.db).await?;
    social_referrals::move_to(&txn, row, &fields.trimmed("status"), me.0.id()).await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/organisations/{org}/referrals#referral-{id}")).into_response())
}
