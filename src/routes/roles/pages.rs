//! HTML pages for roles.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::domain::filters::{RoleFilter, parse_role_filter};
use crate::error::{AppError, FieldErrors, parse_id};
use crate::models::roles::{self, RoleCard, RoleDetail};
use crate::models::{Named, Page, vocab};
use crate::routes::QueryPairs;
use crate::routes::page::PageContext;
use crate::routes::pagination::Pagination;
use crate::state::AppState;

/// The choices the filter form offers.
pub struct FilterChoices {
    pub causes: Vec<Named>,
    pub wards: Vec<Named>,
    pub hubs: Vec<Named>,
    pub organisations: Vec<Named>,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/index.html")]
pub struct RolesIndex {
    pub page: PageContext,
    pub filter: RoleFilter,
    pub choices: FilterChoices,
    pub results: Option<Page<RoleCard>>,
    pub pagination: Option<Pagination>,
    pub errors: Vec<(String, String)>,
}

impl RolesIndex {
    fn cause_checked(&self, slug: &str) -> bool {
        self.filter.causes.iter().any(|c| c == slug)
    }

    fn is_selected(current: &Option<String>, slug: &str) -> bool {
        current.as_deref() == Some(slug)
    }

    fn ward_selected(&self, code: &str) -> bool {
        Self::is_selected(&self.filter.ward, code)
    }

    fn hub_selected(&self, slug: &str) -> bool {
        Self::is_selected(&self.filter.hub, slug)
    }

    fn organisation_selected(&self, slug: &str) -> bool {
        Self::is_selected(&self.filter.organisation, slug)
    }

    fn sort_is(&self, value: &str) -> bool {
        self.filter.sort.as_str() == value
    }
}

pub async fn index(
    State(state): State<AppState>,
    page_context: PageContext,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let choices = FilterChoices {
        causes: vocab::causes(&state.db).await?,
        wards: vocab::wards(&state.db).await?,
        hubs: vocab::hubs(&state.db).await?,
        organisations: vocab::approved_organisations(&state.db).await?,
    };
    let outcome: Result<(RoleFilter, Page<RoleCard>), (RoleFilter, FieldErrors)> =
        match parse_role_filter(&pairs) {
            Ok(filter) => match roles::list_open(&state.db, &filter).await {
                Ok(page) => Ok((filter, page)),
                Err(AppError::BadRequest { fields, .. }) => Err((filter, fields)),
                Err(e) => return Err(e),
            },
            Err(fields) => Err((RoleFilter::default(), fields)),
        };
    // A bad filter re-shows the form with what is wrong, as a 400.
    Ok(match outcome {
        Ok((filter, page)) => {
            let pagination = Pagination::new(page.page, page.total_pages(), |p| {
                format!("/roles?{}", filter.query_for_page(p))
            });
            RolesIndex {
                page: page_context,
                filter,
                choices,
                results: Some(page),
                pagination,
                errors: Vec::new(),
            }
            .into_response()
        }
        Err((filter, fields)) => (
            StatusCode::BAD_REQUEST,
            RolesIndex {
                page: page_context,
                filter,
                choices,
                results: None,
                pagination: None,
                errors: fields.into_iter().collect(),
            },
        )
            .into_response(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/show.html")]
pub struct RoleShow {
    pub page: PageContext,
    pub role: RoleDetail,
    /// The description as sanitised HTML.
    pub description_html: String,
    pub is_open: bool,
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    Path(id): Path<String>,
) -> Result<RoleShow, AppError> {
    let role = roles::find_public(&state.db, parse_id(&id, "id")?).await?;
    let description_html = crate::domain::markdown::to_safe_html(&role.description);
    let is_open =
        role.status == roles::OPEN && role.card.closes_at.is_none_or(|t| t > crate::db::now());
    Ok(RoleShow {
        page,
        role,
        description_html,
        is_open,
    })
}
