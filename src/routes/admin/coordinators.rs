//! A hub's coordinators: assigned and removed by alliance admins.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::SqlErr;
use serde::Deserialize;
use serde_json::json;

use crate::auth::EmailAddress;
use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::error::{AppError, parse_id};
use crate::models::coordinators::{self, Coordinator};
use crate::models::hubs::{self, HubSummary};
use crate::models::{accounts, audit};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::organisations::staff::queue;
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "admin/coordinators.html")]
pub struct CoordinatorsPage {
    pub page: PageContext,
    pub hub: HubSummary,
    pub coordinators: Vec<Coordinator>,
    pub errors: FormErrors,
    pub email: String,
    pub notice: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: String,
}

async fn render(
    state: &AppState,
    page: PageContext,
    hub: HubSummary,
    errors: FormErrors,
    email: String,
    notice: &str,
) -> Result<CoordinatorsPage, AppError> {
    Ok(CoordinatorsPage {
        page,
        coordinators: coordinators::of_hub(&state.db, hub.id).await?,
        hub,
        errors,
        email,
        notice: notice.to_owned(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<CoordinatorsPage, AppError> {
    signed.require(&Action::ManageHubCoordinators)?;
    let hub = hubs::find(&state.db, parse_id(&id, "id")?).await?;
    let notice = match q.done.as_str() {
        "assigned" => {
            "Coordinator assigned. They must set up two-factor sign-in before they can use \
             any signed-in page."
        }
        "removed" => "Coordinator removed.",
        _ => "",
    };
    render(&state, page, hub, FormErrors::new(), String::new(), notice).await
}

pub async fn assign(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    signed.require(&Action::ManageHubCoordinators)?;
    let hub = hubs::find(&state.db, parse_id(&id, "id")?).await?;
    let typed = form.trimmed("email");
    let mut errors = FormErrors::new();
    let person = match EmailAddress::parse(&typed) {
        Err(e) => {
            errors.add("email", e.to_string());
            None
        }
        Ok(email) => match accounts::find_by_email(&state.db, email.as_str()).await? {
            Some(p) if p.status == accounts::ACTIVE && p.erased_at.is_none() => Some(p),
            Some(_) => {
                errors.add(
                    "email",
                    "This account cannot be used: it is not active. They must confirm their \
                     email address first",
                );
                None
            }
            None => {
                errors.add(
                    "email",
                    "No account uses this email address. Ask them to create an account first",
                );
                None
            }
        },
    };
    let reshow = |errors: FormErrors, hub: HubSummary, page: PageContext| async {
        let page = render(&state, page, hub, errors, typed.clone(), "").await?;
        Ok::<_, AppError>((StatusCode::BAD_REQUEST, page).into_response())
    };
    let Some(person) = person else {
        return reshow(errors, hub, page).await;
    };
    if coordinators::find(&state.db, hub.id, person.id)
        .await?
        .is_some()
    {
        errors.add(
            "email",
            format!("{} already coordinates {}", person.email, hub.name),
        );
        return reshow(errors, hub, page).await;
    }

    let txn = crate::db::begin(&state.db).await?;
    match coordinators::assign(&txn, hub.id, person.id).await {
        Ok(_) => {}
        // Assigned by someone else a moment ago.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            errors.add(
                "email",
                format!("{} already coordinates {}", person.email, hub.name),
            );
            return reshow(errors, hub, page).await;
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(signed.0.id()),
            action: "coordinator.assign",
            subject_type: "hub",
            subject_id: Some(hub.id),
            detail: json!({ "user_id": person.id, "email": person.email }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    queue(
        &txn,
        &state.base_url,
        "email.coordinator_assigned",
        &crate::email::draft(
            &person.email,
            &format!("You now coordinate {}", hub.name),
            &[
                &format!(
                    "You are now a coordinator of {} on hubmatch: you can see every role and \
                     volunteer of the hub's organisations.",
                    hub.name
                ),
                "Because coordinators see information about many people, you will be asked to \
                 set up two-factor sign-in (an authenticator app) the next time you sign in.",
            ],
            Some(("Sign in", &state.link("/sign-in"))),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!(
        "/admin/hubs/{}/coordinators?done=assigned",
        hub.id
    ))
    .into_response())
}

pub async fn remove(
    State(state): State<AppState>,
    signed: SignedIn,
    ClientIp(ip): ClientIp,
    Path((id, user_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    signed.require(&Action::ManageHubCoordinators)?;
    let hub = hubs::find(&state.db, parse_id(&id, "id")?).await?;
    let user_id = parse_id(&user_id, "user_id")?;
    let txn = crate::db::begin(&state.db).await?;
    if !coordinators::remove(&txn, hub.id, user_id).await? {
        return Err(AppError::NotFound("coordinator"));
    }
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(signed.0.id()),
            action: "coordinator.remove",
            subject_type: "hub",
            subject_id: Some(hub.id),
            detail: json!({ "user_id": user_id }),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/admin/hubs/{}/coordinators?done=removed", hub.id)).into_response())
}
