//! HTML pages for roles.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::error::{AppError, parse_id};
use crate::models::roles::{self, RoleDetail};
use crate::routes::page::PageContext;
use crate::state::AppState;

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
