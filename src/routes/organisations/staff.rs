//! An organisation's people: registering it, its staff list, inviting, removing and
//! re-roling staff, leaving, and accepting an invitation.
mod invitations;
mod register;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

use crate::auth::EmailAddress;
use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::{self, Action, OrgRole};
use crate::domain::london_time;
use crate::entities::organisation;
use crate::error::{AppError, parse_id};
use crate::models::account_tokens::{self, Kind, TokenFor};
use crate::models::staff::{self, StaffMember};
use crate::models::{accounts, audit};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/register",
            get(register::form).post(register::submit),
        )
        .route("/organisations/{id}/staff", get(show))
        .route("/organisations/{id}/staff/invite", post(invite))
        .route("/organisations/{id}/staff/{user_id}/remove", post(remove))
        .route(
            "/organisations/{id}/staff/{user_id}/role",
            post(change_role),
        )
        .route("/organisations/{id}/leave", post(leave))
        .route(
            "/invitations/{token}",
            get(invitations::show).post(invitations::accept),
        )
}

/// Queues an email in the action's transaction; the address was checked already, so
/// a refusal here is our fault, not the user's.
pub(crate) async fn queue<C: sea_orm::ConnectionTrait>(
    db: &C,
    base_url: &str,
    kind: &str,
    email: &crate::email::Draft,
) -> Result<(), AppError> {
    crate::email::send_draft(db, base_url, kind, email)
        .await
        .map(|_| ())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// The organisation named in the path, or a 404.
async fn load(state: &AppState, raw_id: &str) -> Result<organisation::Model, AppError> {
    staff::find(&state.db, parse_id(raw_id, "id")?)
        .await?
        .ok_or(AppError::NotFound("organisation"))
}

pub struct InvitationRow {
    pub email: String,
    pub role: String,
    pub expires: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "organisations/staff.html")]
pub struct StaffPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub staff: Vec<StaffMember>,
    pub invitations: Vec<InvitationRow>,
    /// May invite, remove and change roles.
    pub can_manage: bool,
    /// Works for this organisation (so may leave it).
    pub is_member: bool,
    pub me: i32,
    pub errors: FormErrors,
    pub invite_email: String,
    pub invite_role: String,
    pub notice: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

/// Messages the actions below redirect with (`?done=…`); unknown ones show nothing.
fn notice_text(key: &str) -> &'static str {
    match key {
        "registered" => {
            "Your organisation is registered and waiting for approval by the alliance. \
             We will email you when it is approved; until then it is not shown to the public."
        }
        "invited" => "Invitation sent. It works for 14 days.",
        "removed" => "They have been removed from the staff.",
        "role" => "Their permissions have been changed.",
        "joined" => "You have joined the organisation.",
        _ => "",
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    me: &accounts::CurrentUser,
    organisation: organisation::Model,
    errors: FormErrors,
    (invite_email, invite_role): (String, String),
    notice: &str,
) -> Result<StaffPage, AppError> {
    let staff = staff::list(&state.db, organisation.id).await?;
    let invitations = staff::pending_invitations(&state.db, organisation.id)
        .await?
        .into_iter()
        .map(|i| InvitationRow {
            email: i.email,
            role: i.role,
            expires: london_time::date(i.expires_at),
        })
        .collect();
    let can_manage = may(
        me,
        &Action::ManageOrganisationStaff {
            organisation: organisation.id,
        },
    );
    Ok(StaffPage {
        page,
        is_member: me.actor.role_in(organisation.id).is_some(),
        me: me.id(),
        organisation,
        staff,
        invitations,
        can_manage,
        errors,
        invite_email,
        invite_role,
        notice: notice.to_owned(),
    })
}

/// Shows the page again with what went wrong (status 400).
async fn reshow(
    state: &AppState,
    page: PageContext,
    me: &accounts::CurrentUser,
    organisation: organisation::Model,
    errors: FormErrors,
    invite: (String, String),
) -> Result<Response, AppError> {
    let page = render(state, page, me, organisation, errors, invite, "").await?;
    Ok((StatusCode::BAD_REQUEST, page).into_response())
}

/// Whether the person may do `action` (for what a page offers, not for guarding it).
fn may(user: &accounts::CurrentUser, action: &Action<'_>) -> bool {
    access::decide(Some(&user.actor), action) == access::Decision::Allow
}

async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<StaffPage, AppError> {
    let organisation = load(&state, &id).await?;
    let hubs = staff::hub_ids(&state.db, organisation.id).await?;
    signed.require(&Action::ViewOrganisationStaff {
        organisation: organisation.id,
        organisation_hubs: &hubs,
    })?;
    render(
        &state,
        page,
        &signed.0,
        organisation,
        FormErrors::new(),
        (String::new(), OrgRole::Staff.as_str().to_owned()),
        notice_text(&q.done),
    )
    .await
}

/// The audit row of a change to an organisation's staff, in the change's transaction.
async fn record<C: sea_orm::ConnectionTrait>(
    db: &C,
    actor: i32,
    action: &str,
    organisation_id: i32,
    detail: serde_json::Value,
    ip: std::net::IpAddr,
) -> Result<(), AppError> {
    audit::record(
        db,
        audit::Entry {
            actor_user_id: Some(actor),
            action,
            subject_type: "organisation",
            subject_id: Some(organisation_id),
            detail,
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    Ok(())
}

fn staff_page(organisation_id: i32, done: &str) -> Redirect {
    Redirect::to(&format!(
        "/organisations/{organisation_id}/staff?done={done}"
    ))
}

async fn invite(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let organisation = load(&state, &id).await?;
    signed.require(&Action::ManageOrganisationStaff {
        organisation: organisation.id,
    })?;
    let typed = (form.trimmed("email"), form.trimmed("role"));
    let mut errors = FormErrors::new();
    let email = match EmailAddress::parse(&typed.0) {
        Ok(email) => Some(email),
        Err(e) => {
            errors.add("email", e.to_string());
            None
        }
    };
    let role = OrgRole::parse(&typed.1);
    if role.is_none() {
        errors.add("role", "Choose whether they will be an admin or staff");
    }
    let (Some(email), Some(role)) = (email, role) else {
        return reshow(&state, page, &signed.0, organisation, errors, typed).await;
    };
    if let Some(person) = accounts::find_by_email(&state.db, email.as_str()).await?
        && staff::membership_of(&state.db, organisation.id, person.id)
            .await?
            .is_some()
    {
        errors.add(
            "email",
            format!("{} already works for {}", email.as_str(), organisation.name),
        );
        return reshow(&state, page, &signed.0, organisation, errors, typed).await;
    }

    let txn = crate::db::begin(&state.db).await?;
    let secret = account_tokens::issue(
        &txn,
        Kind::StaffInvite,
        TokenFor {
            organisation_id: Some(organisation.id),
            email: Some(email.as_str().to_owned()),
            detail: Some(json!({ "role": role.as_str() })),
            ..TokenFor::default()
        },
    )
    .await?;
    let inviter = signed.0.user.display_name.clone();
    let what = match role {
        OrgRole::Admin => "an admin, who can post roles and manage the organisation's staff",
        OrgRole::Staff => "staff, who can post roles and review applications",
    };
    queue(
        &txn,
        &state.base_url,
        "email.staff_invite",
        &crate::email::draft(
            email.as_str(),
            &format!("Join {} on hubmatch", organisation.name),
            &[
                &format!(
                    "{inviter} has invited you to join {} on hubmatch as {what}.",
                    organisation.name
                ),
                "The link works for 14 days. If you were not expecting this, you can ignore this email.",
            ],
            Some((
                "Accept the invitation",
                &state.link(&format!("/invitations/{secret}")),
            )),
        ),
    )
    .await?;
    record(
        &txn,
        signed.0.id(),
        "staff.invite",
        organisation.id,
        json!({ "email": email.as_str(), "role": role.as_str() }),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(staff_page(organisation.id, "invited").into_response())
}

/// Why taking this person's admin rights away is refused.
fn last_admin_error(organisation: &organisation::Model, leaving_self: bool) -> FormErrors {
    let mut errors = FormErrors::new();
    errors.add(
        "staff",
        if leaving_self {
            format!(
                "You are the only admin of {}. Make someone else an admin before you leave",
                organisation.name
            )
        } else {
            format!(
                "{} must keep at least one admin. Make someone else an admin first",
                organisation.name
            )
        },
    );
    errors
}

async fn remove(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let organisation = load(&state, &id).await?;
    signed.require(&Action::ManageOrganisationStaff {
        organisation: organisation.id,
    })?;
    let user_id = parse_id(&user_id, "user_id")?;

    let txn = crate::db::begin(&state.db).await?;
    staff::lock(&txn, organisation.id).await?;
    let member = staff::membership_of(&txn, organisation.id, user_id)
        .await?
        .ok_or(AppError::NotFound("staff member"))?;
    if staff::is_last_admin(&txn, organisation.id, &member).await? {
        drop(txn);
        let errors = last_admin_error(&organisation, user_id == signed.0.id());
        return reshow(&state, page, &signed.0, organisation, errors, no_invite()).await;
    }
    let role = member.role.clone();
    staff::remove_member(&txn, member).await?;
    record(
        &txn,
        signed.0.id(),
        "staff.remove",
        organisation.id,
        json!({ "user_id": user_id, "role": role }),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(staff_page(organisation.id, "removed").into_response())
}

fn no_invite() -> (String, String) {
    (String::new(), OrgRole::Staff.as_str().to_owned())
}

async fn change_role(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path((id, user_id)): Path<(String, String)>,
    form: FormFields,
) -> Result<Response, AppError> {
    let organisation = load(&state, &id).await?;
    signed.require(&Action::ManageOrganisationStaff {
        organisation: organisation.id,
    })?;
    let user_id = parse_id(&user_id, "user_id")?;
    let role = OrgRole::parse(form.get("role").trim())
        .ok_or_else(|| AppError::field("role", "Choose admin or staff"))?;

    let txn = crate::db::begin(&state.db).await?;
    staff::lock(&txn, organisation.id).await?;
    let member = staff::membership_of(&txn, organisation.id, user_id)
        .await?
        .ok_or(AppError::NotFound("staff member"))?;
    if member.role == role.as_str() {
        return Ok(staff_page(organisation.id, "role").into_response());
    }
    if role == OrgRole::Staff && staff::is_last_admin(&txn, organisation.id, &member).await? {
        drop(txn);
        let errors = last_admin_error(&organisation, false);
        return reshow(&state, page, &signed.0, organisation, errors, no_invite()).await;
    }
    let from = member.role.clone();
    staff::set_role(&txn, member, role).await?;
    record(
        &txn,
        signed.0.id(),
        "staff.role_change",
        organisation.id,
        json!({ "user_id": user_id, "from": from, "to": role.as_str() }),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(staff_page(organisation.id, "role").into_response())
}

async fn leave(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let organisation = load(&state, &id).await?;
    signed.require(&Action::LeaveOrganisation {
        organisation: organisation.id,
    })?;
    let me = signed.0.id();

    let txn = crate::db::begin(&state.db).await?;
    staff::lock(&txn, organisation.id).await?;
    // Checked again inside the transaction: they may have been removed meanwhile.
    let member = staff::membership_of(&txn, organisation.id, me)
        .await?
        .ok_or(AppError::Forbidden)?;
    if staff::is_last_admin(&txn, organisation.id, &member).await? {
        drop(txn);
        let errors = last_admin_error(&organisation, true);
        return reshow(&state, page, &signed.0, organisation, errors, no_invite()).await;
    }
    let role = member.role.clone();
    staff::remove_member(&txn, member).await?;
    record(
        &txn,
        me,
        "staff.leave",
        organisation.id,
        json!({ "user_id": me, "role": role }),
        ip,
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to("/").into_response())
}
