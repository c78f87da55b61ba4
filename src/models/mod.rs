//! Queries and writes, one module per aggregate. Handlers call these; pages and API share them.
pub mod account_tokens;
pub mod accounts;
pub mod api_tokens;
pub mod applications;
pub mod assisted;
pub mod audit;
pub mod baseline;
pub mod coordinators;
pub mod email_preferences;
pub mod equality;
pub mod gdpr;
pub mod hours;
pub mod hub_admin;
pub mod hub_dashboard;
pub mod hubs;
pub mod link_workers;
pub mod matching;
pub mod matching_eval;
pub mod organisation_dashboard;
pub mod organisation_profile;
pub mod organisations;
pub mod outreach;
pub mod pathways;
pub mod profiles;
pub mod referrals;
pub mod representativeness;
pub mod role_posting;
pub mod role_sheets;
pub mod roles;
pub mod scheduled_emails;
pub mod sign_up;
pub mod social_referrals;
pub mod staff;
pub mod two_factor;
pub mod vocab;
pub mod volunteer_dashboard;

use serde::Serialize;

/// One page of a list, in the API's list shape.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    pub fn total_pages(&self) -> u32 {
        self.total.div_ceil(u64::from(self.per_page.max(1))) as u32
    }
}

/// A cause, skill, hub, ward or organisation named in a link: id, name and slug or code.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct Named {
    pub id: i32,
    pub name: String,
    pub slug: String,
}
