//! `/admin/link-workers`: alliance admins appoint link workers to a hub or a GP practice
//! network.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::error::AppError;
use crate::models::link_workers::{self, AppointForm, LinkWorkerRow};
use crate::models::{audit, hubs};
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/link_workers.html")]
pub struct LinkWorkersPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub link_workers: Vec<LinkWorkerRow>,
    pub hubs: Vec<(i32, String)>,
    pub form: AppointForm,
}

impl LinkWorkersPage {
    pub fn chosen(&self, id: &i32) -> bool {
        self.form.hub_id == id.to_string()
    }
}

async fn build(
    state: &AppState,
    page: PageContext,
    form: AppointForm,
    errors: FormErrors,
) -> Result<LinkWorkersPage, AppError> {
    Ok(LinkWorkersPage {
        page,
        errors,
        link_workers: link_workers::list(&state.db).await?,
        hubs: hubs::list(&state.db)
            .await?
            .into_iter()
            .map(|h| (h.id, h.name))
            .collect(),
        form,
    })
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
) -> Result<LinkWorkersPage, AppError> {
    me.require(&Action::ManageLinkWorkers)?;
    build(&state, page, AppointForm::default(), FormErrors::new()).await
}

pub async fn appoint(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    ClientIp(ip): ClientIp,
    fields: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManageLinkWorkers)?;
    let form = AppointForm {
        email: fields.trimmed("email"),
        name: fields.trimmed("name"),
        hub_id: fields.trimmed("hub_id"),
        gp_network: fields.trimmed("gp_network"),
    };
    let txn = crate::db::begin(&state.db).await?;
    match link_workers::appoint(&txn, me.0.id(), &form, &state.base_url).await {
        Ok(saved) => {
            audit::record(
                &txn,
                audit::Entry {
                    actor_user_id: Some(me.0.id()),
                    action: "link_worker.appoint",
                    subject_type: "user",
                    subject_id: Some(saved.user_id),
                    detail: json!({ "hub_id": saved.hub_id, "gp_network": saved.gp_network }),
                    ip: Some(ip.to_string()),
                },
            )
            .await?;
            txn.commit().await?;
            Ok(Redirect::to("/admin/link-workers").into_response())
        }
        Err(AppError::BadRequest { fields, .. }) => {
            drop(txn);
            let page = build(&state, page, form, fields.into()).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e),
    }
}
