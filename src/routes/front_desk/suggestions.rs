//! `/front-desk/suggestions`: roles that might suit a resident the desk signed up in
//! person, from matching, meeting what the referral would ask for (step-free access, a
//! low commitment), each a click away from a prefilled referral. Residents with their
//! own accounts see the same matching on their dashboard.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::desk::desk_hubs;
use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::front_desk::NEEDS;
use crate::error::AppError;
use crate::models::assisted::{self, AssistedResident};
use crate::models::matching::{self, ReferralNeeds, RoleRecommendation};
use crate::routes::QueryPairs;
use crate::routes::api_v1::{query_value, query_values};
use crate::routes::page::PageContext;
use crate::state::AppState;

/// Roles shown for one resident.
const SUGGESTIONS: usize = 10;

#[derive(Template, WebTemplate)]
#[template(path = "front_desk/suggestions.html")]
pub struct SuggestionsPage {
    pub page: PageContext,
    pub resident: AssistedResident,
    /// The needs applied, as `(tag, label)`.
    pub needs: Vec<(&'static str, &'static str)>,
    pub roles: Vec<RoleRecommendation>,
}

impl SuggestionsPage {
    /// The needs a role must offer to be listed (someone going with them the first time is
    /// arranged by whichever organisation they choose, so it only travels to the form).
    pub fn filtering_needs(&self) -> Vec<&'static str> {
        self.needs
            .iter()
            .filter(|(tag, _)| *tag != "accompanied_first_visit")
            .map(|(_, label)| *label)
            .collect()
    }

    /// The desk's referral form, prefilled with this resident, role and needs.
    pub fn refer_link(&self, role_id: &i32) -> String {
        let mut pairs = vec![
            ("resident", self.resident.volunteer_profile_id.to_string()),
            ("role_id", role_id.to_string()),
        ];
        pairs.extend(
            self.needs
                .iter()
                .map(|(tag, _)| ("needs", (*tag).to_owned())),
        );
        format!(
            "/front-desk?{}#refer",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    QueryPairs(query): QueryPairs,
) -> Result<SuggestionsPage, AppError> {
    me.require(&Action::UseFrontDesk)?;
    let hub_ids: Vec<i32> = desk_hubs(&state, &me.0.actor)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let chosen = query_value(&query, "resident");
    let resident = assisted::residents_of_hubs(&state.db, &hub_ids)
        .await?
        .into_iter()
        .find(|r| r.volunteer_profile_id.to_string() == chosen)
        .ok_or_else(|| {
            AppError::field(
                "resident",
                "Choose a resident signed up in person at your hub",
            )
        })?;
    let mut needs = Vec::new();
    for tag in query_values(&query, "needs") {
        let Some(known) = NEEDS.iter().find(|(t, _)| *t == tag) else {
            return Err(AppError::field(
                "needs",
                format!("'{tag}' is not one of the needs listed"),
            ));
        };
        if !needs.contains(known) {
            needs.push(*known);
        }
    }
    let asked = ReferralNeeds {
        step_free: needs.iter().any(|(t, _)| *t == "step_free"),
        low_commitment: needs.iter().any(|(t, _)| *t == "low_commitment"),
    };
    let roles = matching::recommend_roles_for_referral(
        &state.db,
        &state.settings.matching.weights,
        resident.volunteer_profile_id,
        &asked,
        SUGGESTIONS,
    )
    .await?;
    Ok(SuggestionsPage {
        page,
        resident,
        needs,
        roles,
    })
}
