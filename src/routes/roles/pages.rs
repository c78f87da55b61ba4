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
    /// The viewer's own application for this role, if they have one (not withdrawn).
    pub my_application: Option<i32>,
    /// The viewer works for the role's organisation: links to manage it and its applications.
    pub can_manage: bool,
    /// The viewer may see the applications (members, the hub's coordinators, admins).
    pub can_view_applications: bool,
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    mut parts: axum::http::request::Parts,
    Path(id): Path<String>,
) -> Result<RoleShow, AppError> {
    use crate::domain::access::{Action, Decision, decide};

    let role = roles::find_public(&state.db, parse_id(&id, "id")?).await?;
    let description_html = crate::domain::markdown::to_safe_html(&role.description);
    let is_open =
        role.status == roles::OPEN && role.card.closes_at.is_none_or(|t| t > crate::db::now());
    let viewer = crate::auth::current::session_user(&mut parts, &state).await?;
    let (mut my_application, mut can_manage, mut can_view_applications) = (None, false, false);
    if let Some(me) = viewer {
        let organisation = role.card.organisation.id;
        let allowed = |action: &Action<'_>| decide(Some(&me.actor), action) == Decision::Allow;
        can_manage = allowed(&Action::ManageRoles { organisation });
        let hubs = crate::models::staff::hub_ids(&state.db, organisation).await?;
        can_view_applications = allowed(&Action::ViewApplications {
            organisation,
            organisation_hubs: &hubs,
        });
        if let Some(profile) = me.actor.volunteer_profile {
            my_application = crate::models::applications::of_volunteer_for_role(
                &state.db,
                profile,
                role.card.id,
            )
            .await?
            .filter(|a| a.status != "withdrawn")
            .map(|a| a.id);
        }
    }
    Ok(RoleShow {
        page,
        role,
        description_html,
        is_open,
        my_application,
        can_manage,
        can_view_applications,
    })
}
