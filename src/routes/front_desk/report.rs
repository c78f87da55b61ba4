//! `/hubs/{id}/referrals/report`: the hub's referrals by source and outcome per month and
//! the median days to starting, small numbers suppressed as in the diversity report.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::front_desk::{self, OUTCOMES, ReferralReport, SOURCES};
use crate::domain::representativeness::Published;
use crate::error::{AppError, parse_id};
use crate::models::hubs::{self, HubSummary};
use crate::models::social_referrals;
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/report.html")]
pub struct ReferralReportPage {
    pub page: PageContext,
    pub hub: HubSummary,
    pub report: ReferralReport,
    pub sources: Vec<(&'static str, &'static str)>,
    pub outcomes: Vec<(&'static str, &'static str)>,
}

impl ReferralReportPage {
    pub fn figure(&self, p: &Published) -> String {
        match p.shown() {
            Some(n) => n.to_string(),
            None => "fewer than 5".to_owned(),
        }
    }

    pub fn median(&self) -> String {
        match self.report.median_days_to_start {
            Some(d) if (d - d.round()).abs() < f64::EPSILON => format!("{d:.0} days"),
            Some(d) => format!("{d:.1} days"),
            None => "Not shown: fewer than 5 residents have started".to_owned(),
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    Path(raw_id): Path<String>,
) -> Result<ReferralReportPage, AppError> {
    let hub_id = parse_id(&raw_id, "id")?;
    me.require(&Action::ViewReferralReport { hub: hub_id })?;
    let hub = hubs::find(&state.db, hub_id).await?;
    let facts = social_referrals::report_facts(&state.db, hub.id).await?;
    Ok(ReferralReportPage {
        page,
        hub,
        report: front_desk::referral_report(&facts),
        sources: SOURCES.to_vec(),
        outcomes: OUTCOMES.to_vec(),
    })
}
