//! The outbox page for alliance admins: emails that are failing or dead, and a retry button.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::domain::london_time;
use crate::email::{KIND_PREFIX, OutboxEmail};
use crate::entities::outbox;
use crate::error::{AppError, parse_id};
use crate::models::audit;
use crate::routes::page::PageContext;
use crate::state::AppState;

/// The page shows at most this many rows of each list, newest first.
const SHOWN: u64 = 200;

pub struct OutboxRow {
    pub id: i32,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: String,
    /// When it died, or when it is tried next.
    pub when: String,
}

/// One table: dead emails, or failing ones.
pub struct Section {
    pub heading: &'static str,
    pub dead: bool,
    pub rows: Vec<OutboxRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/outbox.html")]
pub struct OutboxPage {
    pub page: PageContext,
    pub sections: Vec<Section>,
    pub notice: String,
}

#[derive(Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    pub retried: Option<i32>,
}

fn row(m: outbox::Model, dead: bool) -> OutboxRow {
    let email: Option<OutboxEmail> = serde_json::from_str(&m.payload).ok();
    OutboxRow {
        id: m.id,
        kind: m
            .kind
            .strip_prefix(KIND_PREFIX)
            .unwrap_or(&m.kind)
            .replace('_', " "),
        recipient: email.as_ref().map_or_else(String::new, |e| e.to.clone()),
        subject: email.map_or_else(String::new, |e| e.subject),
        attempts: m.attempts,
        last_error: m.last_error.unwrap_or_default(),
        when: london_time::date_time(if dead {
            m.dead_at.unwrap_or(m.next_attempt_at)
        } else {
            m.next_attempt_at
        }),
    }
}

fn emails() -> Condition {
    Condition::all()
        .add(outbox::Column::Kind.like(format!("{KIND_PREFIX}%")))
        .add(outbox::Column::DoneAt.is_null())
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Query(q): Query<Notice>,
) -> Result<OutboxPage, AppError> {
    me.require(&Action::ManageOutbox)?;
    let dead = outbox::Entity::find()
        .filter(emails())
        .filter(outbox::Column::DeadAt.is_not_null())
        .order_by_desc(outbox::Column::DeadAt)
        .limit(SHOWN)
        .all(&state.db)
        .await?;
    // Failing: tried at least once, not sent, not dead yet.
    let failing = outbox::Entity::find()
        .filter(emails())
        .filter(outbox::Column::DeadAt.is_null())
        .filter(outbox::Column::LastError.is_not_null())
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(SHOWN)
        .all(&state.db)
        .await?;
    Ok(OutboxPage {
        page,
        sections: vec![
            Section {
                heading: "Dead: no more attempts",
                dead: true,
                rows: dead.into_iter().map(|m| row(m, true)).collect(),
            },
            Section {
                heading: "Failing: will be tried again",
                dead: false,
                rows: failing.into_iter().map(|m| row(m, false)).collect(),
            },
        ],
        notice: q
            .retried
            .map(|id| format!("Email {id} will be sent again within a few seconds."))
            .unwrap_or_default(),
    })
}

/// Makes a dead or failing email due now, with its attempts counted afresh.
pub async fn retry(
    State(state): State<AppState>,
    me: SignedIn,
    ClientIp(ip): ClientIp,
    Path(raw_id): Path<String>,
) -> Result<Response, AppError> {
    me.require(&Action::ManageOutbox)?;
    let id = parse_id(&raw_id, "id")?;
    let txn = crate::db::begin(&state.db).await?;
    let done = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::DeadAt,
            Expr::value(Option::<time::OffsetDateTime>::None),
        )
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(crate::db::now()))
        .filter(outbox::Column::Id.eq(id))
        .filter(emails())
        .exec(&txn)
        .await?;
    if done.rows_affected == 0 {
        txn.rollback().await?;
        return Err(AppError::NotFound("email waiting to be sent"));
    }
    audit::record(
        &txn,
        audit::Entry {
            actor_user_id: Some(me.0.id()),
            action: "outbox.retry",
            subject_type: "outbox",
            subject_id: Some(id),
            detail: serde_json::json!({}),
            ip: Some(ip.to_string()),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Redirect::to(&format!("/admin/outbox?retried={id}")).into_response())
}
