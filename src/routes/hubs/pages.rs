//! HTML pages for hubs.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::error::{AppError, parse_id};
use crate::models::hubs::{self, HubSummary};
use crate::models::organisations::{self, OrganisationSummary};
use crate::models::roles::{self, RoleCard};
use crate::routes::page::PageContext;
use crate::state::AppState;

const ROLES_SHOWN: u64 = 10;

#[derive(Template, WebTemplate)]
#[template(path = "hubs/index.html")]
pub struct HubsIndex {
    pub page: PageContext,
    pub hubs: Vec<HubSummary>,
}

pub async fn index(
    State(state): State<AppState>,
    page: PageContext,
) -> Result<HubsIndex, AppError> {
    Ok(HubsIndex {
        page,
        hubs: hubs::list(&state.db).await?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "hubs/show.html")]
pub struct HubShow {
    pub page: PageContext,
    pub hub: HubSummary,
    pub organisations: Vec<OrganisationSummary>,
    pub roles: Vec<RoleCard>,
    pub open_roles: u64,
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<HubShow, AppError> {
    let hub = hubs::find(&state.db, parse_id(&id, "id")?).await?;
    let organisations = organisations::in_hub(&state.db, hub.id).await?;
    let (roles, open_roles) = roles::open_for_hub(&state.db, hub.id, ROLES_SHOWN).await?;
    Ok(HubShow {
        page,
        hub,
        organisations,
        roles,
        open_roles,
    })
}
