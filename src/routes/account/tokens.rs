//! A person's own API tokens (create, list, revoke) and `GET /api/v1/me`: who the API
//! sees when a token or session calls it.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use serde_json::json;

use crate::auth::current::{ApiCaller, ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::entities::{api_token, hub, organisation};
use crate::error::{ApiError, AppError, parse_id};
use crate::models::{api_tokens, audit};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account/api-tokens", get(list).post(create))
        .route("/account/api-tokens/{id}/revoke", post(revoke))
}

/// `GET /api/v1/me`.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(me))
}

/// A token as its list shows it (the secret is never kept, so never shown again).
pub struct TokenRow {
    pub id: i32,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub revoked: String,
}

impl TokenRow {
    pub fn from_model(token: &api_token::Model) -> Self {
        Self {
            id: token.id,
            name: token.name.clone(),
            prefix: token.prefix.clone(),
            created: day_and_time(token.created_at),
            last_used: token
                .last_used_at
                .map_or_else(|| "Never".to_owned(), day_and_time),
            revoked: token.revoked_at.map(day_and_time).unwrap_or_default(),
        }
    }
}

/// "3 March 2026, 14:05 UTC": tokens are technical; UTC is what their logs show.
pub fn day_and_time(at: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[day padding:none] [month repr:long] [year], [hour]:[minute] UTC"
    );
    at.format(&format).unwrap_or_else(|_| at.to_string())
}

/// A token just made, shown this once.
pub struct NewSecret {
    pub name: String,
    pub secret: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "account/tokens.html")]
pub struct TokensPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub name: String,
    pub tokens: Vec<TokenRow>,
    pub created: Option<NewSecret>,
    /// Where the list lives; create and revoke post under it.
    pub tokens_path: String,
}

async fn page_for(
    state: &AppState,
    page: PageContext,
    user_id: i32,
) -> Result<TokensPage, AppError> {
    let tokens = api_tokens::personal(&state.db, user_id)
        .await?
        .iter()
        .map(TokenRow::from_model)
        .collect();
    Ok(TokensPage {
        page,
        errors: FormErrors::new(),
        name: String::new(),
        tokens,
        created: None,
        tokens_path: "/account/api-tokens".into(),
    })
}

pub async fn list(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
) -> Result<TokensPage, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    page_for(&state, page, signed_in.0.id()).await
}

pub async fn create(
    State(state): State<AppState>,
    page: PageContext,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
    form: FormFields,
) -> Result<Response, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let user_id = signed_in.0.id();
    let name = match api_tokens::check_name(form.get("name")) {
        Ok(name) => name,
        Err(e) => {
            let mut shown = page_for(&state, page, user_id).await?;
            shown.errors = e.fields().into();
            shown.name = form.trimmed("name");
            return Ok((StatusCode::BAD_REQUEST, shown).into_response());
        }
    };
    let txn = crate::db::begin(&state.db).await?;
    let new = api_tokens::create(&txn, user_id, None, &name).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(user_id),
            action: "api_token.create",
            subject_type: "api_token",
            subject_id: Some(new.row.id),
            detail: json!({ "name": name, "prefix": new.row.prefix }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    txn.commit().await?;
    let mut shown = page_for(&state, page, user_id).await?;
    shown.created = Some(NewSecret {
        name,
        secret: new.secret,
    });
    Ok(shown.into_response())
}

pub async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Redirect, AppError> {
    signed_in.require(&Action::ManageOwnAccount)?;
    let user_id = signed_in.0.id();
    let id = parse_id(&id, "id")?;
    let txn = crate::db::begin(&state.db).await?;
    // Someone else's token, or an organisation's, is not found here: its existence is
    // not theirs to learn.
    let token = api_tokens::find(&txn, id)
        .await?
        .filter(|t| t.user_id == user_id && t.organisation_id.is_none())
        .ok_or(AppError::NotFound("API token"))?;
    revoke_and_record(&txn, &token, user_id, ip.to_string()).await?;
    txn.commit().await?;
    Ok(Redirect::to("/account/api-tokens"))
}

/// Revokes the token and notes who did, in the caller's transaction.
pub async fn revoke_and_record<C: sea_orm::ConnectionTrait>(
    db: &C,
    token: &api_token::Model,
    by: i32,
    ip: String,
) -> Result<(), AppError> {
    if token.revoked_at.is_some() {
        return Ok(());
    }
    api_tokens::revoke(db, token).await?;
    audit::record(
        db,
        audit::Entry {
            actor_user_id: Some(by),
            action: "api_token.revoke",
            subject_type: "api_token",
            subject_id: Some(token.id),
            detail: json!({ "name": token.name, "prefix": token.prefix,
                            "organisation_id": token.organisation_id }),
            ip: Some(ip),
        },
    )
    .await?;
    Ok(())
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub alliance_admin: bool,
    pub organisations: Vec<MeOrganisation>,
    pub hubs: Vec<MeHub>,
    pub token: MeToken,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeOrganisation {
    pub id: i32,
    pub name: String,
    pub role: &'static str,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeHub {
    pub id: i32,
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeToken {
    /// `personal`, `organisation` or `session` (a signed-in browser).
    pub kind: &'static str,
    pub organisation_id: Option<i32>,
}

/// Who the caller is, and what they may act for: an organisation's token shows only
/// that organisation.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "account",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Who the caller is and what they may act for", body = Me),
        (status = 401, description = "No, a wrong or a revoked token", body = crate::error::ErrorBody),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    ApiCaller(caller): ApiCaller,
    headers: HeaderMap,
) -> Result<Json<Me>, ApiError> {
    let actor = &caller.actor;
    let org_ids: Vec<i32> = actor.memberships.iter().map(|(id, _)| *id).collect();
    let names = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(org_ids))
        .order_by_asc(organisation::Column::Name)
        .all(&state.db)
        .await?;
    let organisations = names
        .into_iter()
        .filter_map(|org| {
            actor.role_in(org.id).map(|role| MeOrganisation {
                id: org.id,
                name: org.name,
                role: role.as_str(),
            })
        })
        .collect();
    let hubs = hub::Entity::find()
        .filter(hub::Column::Id.is_in(actor.coordinated_hubs.clone()))
        .order_by_asc(hub::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|h| MeHub {
            id: h.id,
            name: h.name,
        })
        .collect();
    let bearer = headers.contains_key(header::AUTHORIZATION);
    let kind = match (actor.organisation_token, bearer) {
        (Some(_), _) => "organisation",
        (None, true) => "personal",
        (None, false) => "session",
    };
    Ok(Json(Me {
        id: caller.user.id,
        email: caller.user.email.clone(),
        display_name: caller.user.display_name.clone(),
        alliance_admin: actor.alliance_admin,
        organisations,
        hubs,
        token: MeToken {
            kind,
            organisation_id: actor.organisation_token,
        },
    }))
}
