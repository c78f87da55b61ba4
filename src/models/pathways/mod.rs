//! Skills pathways in the database: definitions (alliance admins), enrolments,
//! organisations' role tags, skill sign-offs and training records, progress and stage
//! completions with their certificates, the Duke of Edinburgh's Award export and the
//! alliance's counts by hub.
//!
//! Split by what a user does; every part reads the same imports and shared helpers
//! from here (`use super::*`).
mod alliance_view;
mod certificates;
mod definitions;
mod dofe;
mod enrolment;
mod progress_records;
mod role_tags;
mod sign_offs;

pub use alliance_view::*;
pub use certificates::*;
pub use definitions::*;
pub use dofe::*;
pub use enrolment::*;
pub use progress_records::*;
pub use role_tags::*;
pub use sign_offs::*;

use std::collections::{BTreeMap, HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;
use sha2::Sha256;
use time::Date;

use crate::domain::london_time;
use crate::domain::pathways::{
    self as rules, FieldError, Pathway, Progress, Requirement, Scale, Stage, StageStatus,
};
use crate::entities::{
    application, hours_log, hub_membership, organisation, pathway, pathway_enrolment,
    pathway_stage, role, role_pathway_stage, skill, skill_sign_off, stage_completion,
    stage_requirement, training_record, user, volunteer_profile, volunteer_skill,
};
use crate::error::{AppError, FieldErrors};
use crate::models::{audit, hours, sign_up};

/// Longest evidence note on a sign-off.
pub const MAX_EVIDENCE: usize = 1000;

pub(super) fn field(e: FieldError) -> AppError {
    AppError::field(e.field, e.message)
}

pub(super) fn today() -> Date {
    london_time::to_london(crate::db::now()).date()
}

pub(super) async fn audit_write<C: ConnectionTrait>(
    db: &C,
    by: i32,
    action: &str,
    subject_type: &str,
    subject_id: i32,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit::record(
        db,
        audit::Entry {
            actor_user_id: Some(by),
            action,
            subject_type,
            subject_id: Some(subject_id),
            detail,
            ip: None,
        },
    )
    .await
}
