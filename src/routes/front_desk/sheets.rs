//! `/roles/{id}/sheet` and `/hubs/{id}/sheet`: one A4 page each to print for a noticeboard
//! or the front desk, with a QR code that opens the page online.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::error::{AppError, parse_id};
use crate::models::hubs::{self, HubSummary};
use crate::models::role_sheets::{self, HUB_SHEET_ROLES};
use crate::models::roles::{self, RoleCard, RoleDetail};
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "roles/sheet.html")]
pub struct RoleSheet {
    pub role: RoleDetail,
    pub url: String,
    pub qr: String,
    pub is_open: bool,
}

impl RoleSheet {
    pub fn closes(&self) -> String {
        self.role
            .card
            .closes_at
            .map_or_else(String::new, crate::domain::london_time::date)
    }
}

pub async fn role(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<RoleSheet, AppError> {
    let role = roles::find_public(&state.db, parse_id(&raw_id, "id")?).await?;
    let url = state.link(&format!("/roles/{}", role.card.id));
    let qr = role_sheets::qr_svg(
        &url,
        &format!("QR code: opens {} on hubmatch", role.card.title),
    )?;
    let is_open =
        role.status == roles::OPEN && role.card.closes_at.is_none_or(|t| t > crate::db::now());
    Ok(RoleSheet {
        role,
        url,
        qr,
        is_open,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "hubs/sheet.html")]
pub struct HubSheet {
    pub hub: HubSummary,
    pub roles: Vec<RoleCard>,
    pub more: u64,
    pub url: String,
    pub qr: String,
    pub base_url: String,
}

pub async fn hub(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
) -> Result<HubSheet, AppError> {
    let hub = hubs::find(&state.db, parse_id(&raw_id, "id")?).await?;
    let (roles, total) = roles::open_for_hub(&state.db, hub.id, HUB_SHEET_ROLES).await?;
    let url = state.link(&format!("/hubs/{}", hub.id));
    let qr = role_sheets::qr_svg(
        &url,
        &format!("QR code: opens {}'s roles on hubmatch", hub.name),
    )?;
    Ok(HubSheet {
        more: total.saturating_sub(roles.len() as u64),
        hub,
        roles,
        url,
        qr,
        base_url: state.base_url.to_string(),
    })
}
