//! The audit log page: sensitive actions, newest first, optionally narrowed by action.
use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::filters::parse_paging;
use crate::domain::london_time;
use crate::entities::user;
use crate::error::AppError;
use crate::models::audit;
use crate::routes::QueryPairs;
use crate::routes::forms::FormErrors;
use crate::routes::page::PageContext;
use crate::routes::pagination::Pagination;
use crate::state::AppState;

const PER_PAGE: u32 = 50;
const PREFIX_MAX: usize = 60;

/// Actions people most often look for, offered as quick filters.
const COMMON_PREFIXES: &[(&str, &str)] = &[
    ("organisation.", "Organisations"),
    ("staff.", "Staff"),
    ("coordinator.", "Coordinators"),
    ("admin.", "Alliance admins"),
];

pub struct AuditRow {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub action: String,
    pub rows: Vec<AuditRow>,
    pub total: u64,
    pub pagination: Option<Pagination>,
    pub common: &'static [(&'static str, &'static str)],
}

/// A prefix of a dotted action name: lower-case letters, digits, `_` and `.`.
fn check_prefix(raw: &str) -> Result<(), String> {
    if raw.chars().count() > PREFIX_MAX {
        return Err(format!("Action must be {PREFIX_MAX} characters or fewer"));
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
    {
        return Err(
            "Action must be the start of an action name, like staff. or organisation.approve"
                .into(),
        );
    }
    Ok(())
}

pub async fn show(
    State(state): State<AppState>,
    signed: SignedIn,
    page: PageContext,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    signed.require(&Action::ViewAuditLog)?;
    let action = pairs
        .iter()
        .find(|(k, _)| k == "action")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let mut errors = FormErrors::new();
    if let Err(why) = check_prefix(&action) {
        errors.add("action", why);
    }
    let paging = parse_paging(&pairs);
    if let Err(fields) = &paging {
        for (field, why) in fields {
            errors.add(field, format!("{field} {why}"));
        }
    }
    if !errors.is_empty() {
        let page = AuditPage {
            page,
            errors,
            action,
            rows: Vec::new(),
            total: 0,
            pagination: None,
            common: COMMON_PREFIXES,
        };
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let number = paging.map(|(p, _)| p).unwrap_or(1);
    let entries = audit::list(&state.db, Some(&action), number, PER_PAGE).await?;

    let actor_ids: Vec<i32> = entries
        .items
        .iter()
        .filter_map(|e| e.actor_user_id)
        .collect();
    let actors: HashMap<i32, (String, String)> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::Id.is_in(actor_ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| (u.id, (u.display_name, u.email)))
            .collect()
    };
    let query_action = action.clone();
    let pagination = Pagination::new(number, entries.total_pages(), |p| {
        let mut query = vec![("page", p.to_string())];
        if !query_action.is_empty() {
            query.insert(0, ("action", query_action.clone()));
        }
        format!(
            "/admin/audit?{}",
            serde_urlencoded::to_string(&query).unwrap_or_default()
        )
    });
    let rows = entries
        .items
        .into_iter()
        .map(|e| AuditRow {
            when: london_time::date_time(e.created_at),
            actor: match e.actor_user_id {
                None => "system".to_owned(),
                Some(id) => match actors.get(&id) {
                    Some((name, email)) => format!("{name} ({email})"),
                    None => format!("account {id}"),
                },
            },
            subject: match e.subject_id {
                Some(id) => format!("{} {id}", e.subject_type),
                None => e.subject_type.clone(),
            },
            detail: if e.detail == "{}" {
                String::new()
            } else {
                e.detail
            },
            ip: e.ip.unwrap_or_default(),
            action: e.action,
        })
        .collect();
    Ok(AuditPage {
        page,
        errors,
        action,
        rows,
        total: entries.total,
        pagination,
        common: COMMON_PREFIXES,
    }
    .into_response())
}
