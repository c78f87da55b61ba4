//! The home page: what hubmatch is, how many roles are open, ways in by cause and by hub.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::error::AppError;
use crate::models::hubs::{self, HubSummary};
use crate::models::roles::{self, RoleCard};
use crate::models::{Named, organisations, vocab};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct Home {
    pub page: PageContext,
    pub open_roles: u64,
    pub organisations: u64,
    pub hubs: Vec<HubSummary>,
    /// Causes with at least one open role, and how many.
    pub causes: Vec<(Named, i64)>,
    pub closing_soon: Vec<RoleCard>,
}

async fn home(State(state): State<AppState>, page: PageContext) -> Result<Home, AppError> {
    let counts = roles::open_counts_by_cause(&state.db).await?;
    let causes = vocab::causes(&state.db)
        .await?
        .into_iter()
        .filter_map(|c| counts.get(&c.id).map(|n| (c, *n)))
        .collect();
    Ok(Home {
        page,
        open_roles: roles::count_open(&state.db).await?,
        organisations: organisations::count_approved(&state.db).await?,
        hubs: hubs::list(&state.db).await?,
        causes,
        closing_soon: roles::closing_soon(&state.db, 3).await?,
    })
}
