//! Accepting a staff invitation: as the invited person when signed in, after signing
//! in, or by creating an account there and then (opening the link proved the address).
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::SqlErr;
use serde_json::json;
use tower_sessions::Session;

use crate::auth::current::{ClientIp, session_user};
use crate::auth::{EmailAddress, password};
use crate::entities::{account_token, organisation};
use crate::error::AppError;
use crate::models::account_tokens::{self, Kind};
use crate::models::accounts::{self, CurrentUser};
use crate::models::staff;
use crate::routes::account::sign_in::complete_sign_in;
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

const NAME_MAX: usize = 120;

/// What the invited person is offered, depending on who opens the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Signed in with the invited address: one button.
    Accept,
    /// Not signed in, and the address has an account: sign in first.
    SignIn,
    /// Not signed in, no account yet: name and password.
    CreateAccount,
    /// Signed in as someone else.
    WrongPerson,
    /// Already works for the organisation.
    AlreadyStaff,
}

#[derive(Template, WebTemplate)]
#[template(path = "invitations/show.html")]
pub struct InvitationPage {
    pub page: PageContext,
    pub organisation: organisation::Model,
    pub role: String,
    pub email: String,
    pub offer: Offer,
    /// This page's path, for the form and the sign-in link's `next`.
    pub here: String,
    pub sign_in_link: String,
    pub signed_in_as: String,
    pub errors: FormErrors,
    /// As typed (not `name`: the form macro has a parameter of that name).
    pub your_name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "invitations/invalid.html")]
pub struct InvalidInvitation {
    pub page: PageContext,
}

/// The signed-in person, if any, without sending anyone away (the link must work for
/// people who are not signed in yet).
pub struct MaybeSignedIn(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        session_user(parts, state)
            .await
            .map(Self)
            .map_err(IntoResponse::into_response)
    }
}

fn invalid(page: PageContext) -> Response {
    (StatusCode::BAD_REQUEST, InvalidInvitation { page }).into_response()
}

struct Opened {
    token: account_token::Model,
    organisation: organisation::Model,
    email: String,
    offer: Offer,
}

async fn open(
    state: &AppState,
    secret: &str,
    me: Option<&CurrentUser>,
) -> Result<Option<Opened>, AppError> {
    let Some(token) = account_tokens::peek(&state.db, Kind::StaffInvite, secret).await? else {
        return Ok(None);
    };
    let (Some(org_id), Some(email)) = (token.organisation_id, token.email.clone()) else {
        return Ok(None);
    };
    let Some(organisation) = staff::find(&state.db, org_id).await? else {
        return Ok(None);
    };
    let offer = match me {
        Some(me) if me.user.email.eq_ignore_ascii_case(&email) => {
            if me.actor.role_in(org_id).is_some() {
                Offer::AlreadyStaff
            } else {
                Offer::Accept
            }
        }
        Some(_) => Offer::WrongPerson,
        None => match accounts::find_by_email(&state.db, &email).await? {
            Some(_) => Offer::SignIn,
            None => Offer::CreateAccount,
        },
    };
    Ok(Some(Opened {
        token,
        organisation,
        email,
        offer,
    }))
}

fn render(
    page: PageContext,
    secret: &str,
    opened: Opened,
    me: Option<&CurrentUser>,
    errors: FormErrors,
    name: String,
) -> Response {
    let here = format!("/invitations/{secret}");
    let sign_in_link = format!(
        "/sign-in?{}",
        serde_urlencoded::to_string([("next", here.as_str())]).unwrap_or_default()
    );
    let status = match opened.offer {
        Offer::WrongPerson => StatusCode::FORBIDDEN,
        _ if !errors.is_empty() => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let page = InvitationPage {
        page,
        role: staff::invited_role(&opened.token).as_str().to_owned(),
        organisation: opened.organisation,
        email: opened.email,
        offer: opened.offer,
        here,
        sign_in_link,
        signed_in_as: me.map(|m| m.user.email.clone()).unwrap_or_default(),
        errors,
        your_name: name,
    };
    (status, page).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    MaybeSignedIn(me): MaybeSignedIn,
    Path(secret): Path<String>,
) -> Result<Response, AppError> {
    let Some(opened) = open(&state, &secret, me.as_ref()).await? else {
        return Ok(invalid(page));
    };
    Ok(render(
        page,
        &secret,
        opened,
        me.as_ref(),
        FormErrors::new(),
        String::new(),
    ))
}

pub async fn accept(
    State(state): State<AppState>,
    page: PageContext,
    MaybeSignedIn(me): MaybeSignedIn,
    ClientIp(ip): ClientIp,
    session: Session,
    Path(secret): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    let Some(opened) = open(&state, &secret, me.as_ref()).await? else {
        return Ok(invalid(page));
    };
    let org_id = opened.organisation.id;
    match opened.offer {
        Offer::WrongPerson => Ok(render(
            page,
            &secret,
            opened,
            me.as_ref(),
            FormErrors::new(),
            String::new(),
        )),
        Offer::SignIn => {
            let next = format!("/invitations/{secret}");
            let query = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
            Ok(Redirect::to(&format!("/sign-in?{query}")).into_response())
        }
        Offer::AlreadyStaff => {
            Ok(Redirect::to(&format!("/organisations/{org_id}/staff")).into_response())
        }
        Offer::Accept => {
            let Some(me) = me else {
                return Ok(invalid(page));
            };
            let txn = crate::db::begin(&state.db).await?;
            let Some(token) = account_tokens::consume(&txn, Kind::StaffInvite, &secret).await?
            else {
                return Ok(invalid(page));
            };
            join(&txn, &token, me.id(), org_id, ip).await?;
            txn.commit().await?;
            Ok(Redirect::to(&format!("/organisations/{org_id}/staff?done=joined")).into_response())
        }
        Offer::CreateAccount => {
            let name = form.trimmed("name");
            let typed_password = form.get("password").to_owned();
            let mut errors = FormErrors::new();
            if name.is_empty() {
                errors.add("name", "Enter your name");
            } else if name.chars().count() > NAME_MAX {
                errors.add(
                    "name",
                    format!("Name must be {NAME_MAX} characters or fewer"),
                );
            }
            let email = EmailAddress::parse(&opened.email)
                .map_err(|e| AppError::Internal(format!("invitation address: {e}")))?;
            if typed_password.is_empty() {
                errors.add("password", "Enter a password");
            } else if let Err(e) = password::check_policy(&typed_password, &email) {
                errors.add("password", e.to_string());
            }
            if !errors.is_empty() {
                return Ok(render(page, &secret, opened, None, errors, name));
            }
            let hash = tokio::task::spawn_blocking(move || password::hash(&typed_password))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(|e| AppError::Internal(e.to_string()))?;

            let txn = crate::db::begin(&state.db).await?;
            let Some(token) = account_tokens::consume(&txn, Kind::StaffInvite, &secret).await?
            else {
                return Ok(invalid(page));
            };
            let person = match staff::create_staff_account(&txn, email.as_str(), &name, hash).await
            {
                Ok(person) => person,
                // Someone made an account for this address since the page was shown.
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    drop(txn);
                    let query =
                        serde_urlencoded::to_string([("next", format!("/invitations/{secret}"))])
                            .unwrap_or_default();
                    return Ok(Redirect::to(&format!("/sign-in?{query}")).into_response());
                }
                Err(e) => return Err(e.into()),
            };
            join(&txn, &token, person.id, org_id, ip).await?;
            txn.commit().await?;
            complete_sign_in(&state, &session, person).await?;
            Ok(Redirect::to(&format!("/organisations/{org_id}/staff?done=joined")).into_response())
        }
    }
}

/// The membership the invitation offers, and its audit row.
async fn join<C: sea_orm::ConnectionTrait>(
    db: &C,
    token: &account_token::Model,
    user_id: i32,
    organisation_id: i32,
    ip: std::net::IpAddr,
) -> Result<(), AppError> {
    let role = staff::invited_role(token);
    if staff::membership_of(db, organisation_id, user_id)
        .await?
        .is_none()
    {
        staff::add_member(db, user_id, organisation_id, role).await?;
    }
    super::record(
        db,
        user_id,
        "staff.join",
        organisation_id,
        json!({ "user_id": user_id, "role": role.as_str(), "email": token.email }),
        ip,
    )
    .await?;
    Ok(())
}
