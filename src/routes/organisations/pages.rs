//! HTML pages for organisations.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::domain::filters::parse_paging;
use crate::error::{AppError, parse_id};
use crate::models::Page;
use crate::models::organisations::{self, OrganisationDetail, OrganisationSummary};
use crate::models::roles::{self, RoleCard};
use crate::routes::QueryPairs;
use crate::routes::page::PageContext;
use crate::routes::pagination::Pagination;
use crate::state::AppState;

const PER_PAGE: u32 = 50;
const ROLES_SHOWN: u64 = 20;

#[derive(Template, WebTemplate)]
#[template(path = "organisations/index.html")]
pub struct OrganisationsIndex {
    pub page: PageContext,
    pub results: Page<OrganisationSummary>,
    pub pagination: Option<Pagination>,
}

pub async fn index(
    State(state): State<AppState>,
    page_context: PageContext,
    QueryPairs(pairs): QueryPairs,
) -> Result<OrganisationsIndex, AppError> {
    let (page, _) = parse_paging(&pairs).map_err(AppError::invalid)?;
    let results = organisations::list_approved(&state.db, page, PER_PAGE).await?;
    let pagination = Pagination::new(page, results.total_pages(), |p| {
        format!("/organisations?page={p}")
    });
    Ok(OrganisationsIndex {
        page: page_context,
        results,
        pagination,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "organisations/show.html")]
pub struct OrganisationShow {
    pub page: PageContext,
    pub organisation: OrganisationDetail,
    pub roles: Vec<RoleCard>,
    pub open_roles: u64,
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<OrganisationShow, AppError> {
    let organisation = organisations::find_public(&state.db, parse_id(&id, "id")?).await?;
    let (roles, open_roles) =
        roles::open_for_organisation(&state.db, organisation.summary.id, ROLES_SHOWN).await?;
    Ok(OrganisationShow {
        page,
        organisation,
        roles,
        open_roles,
    })
}
