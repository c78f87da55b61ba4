//! "Send an opportunities digest" from a flagged group on the representativeness report:
//! choose wards or causes and open roles, preview, send.
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::current::{ClientIp, SignedIn};
use crate::domain::access::Action;
use crate::domain::representativeness::category_label;
use crate::entities::hub;
use crate::error::AppError;
use crate::models::Named;
use crate::models::outreach::{self, Plan, RoleChoice, WardChoice};
use crate::models::vocab;
use crate::routes::QueryPairs;
use crate::routes::api_v1::query_values;
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "reports/outreach.html")]
pub struct OutreachPage {
    pub page: PageContext,
    pub errors: FormErrors,
    pub notice: String,
    pub hub_id: i32,
    pub hub_name: String,
    pub hubs: Vec<Named>,
    pub plan: Plan,
    pub group_label: String,
    pub wards: Vec<WardChoice>,
    pub causes: Vec<Named>,
    pub roles: Vec<RoleChoice>,
    /// Set after "Preview": how many would receive it, and the wording.
    pub preview: Option<(usize, Vec<String>)>,
}

impl OutreachPage {
    pub fn ward_checked(&self, code: &str) -> bool {
        self.plan.wards.iter().any(|w| w == code)
    }
    pub fn cause_checked(&self, slug: &str) -> bool {
        self.plan.causes.iter().any(|c| c == slug)
    }
    pub fn role_checked(&self, id: &i32) -> bool {
        self.plan.roles.contains(id)
    }
    pub fn share(&self, w: &WardChoice) -> String {
        w.group_share
            .map(|s| format!(" ({:.0}% of residents)", s * 100.0))
            .unwrap_or_default()
    }
}

fn get<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The hub: as asked, else the first the person coordinates, else (admins) the first.
async fn pick_hub(state: &AppState, me: &SignedIn, raw: &str) -> Result<hub::Model, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let found = if !raw.is_empty() {
        match raw.parse::<i32>() {
            Ok(id) => hub::Entity::find_by_id(id).one(&state.db).await?,
            Err(_) => {
                hub::Entity::find()
                    .filter(hub::Column::Slug.eq(raw))
                    .one(&state.db)
                    .await?
            }
        }
        .ok_or_else(|| AppError::field("hub", format!("no hub '{raw}'")))?
    } else if let Some(h) = me.0.actor.coordinated_hubs.first() {
        hub::Entity::find_by_id(*h)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound("hub"))?
    } else {
        hub::Entity::find()
            .order_by_asc(hub::Column::Name)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound("hub"))?
    };
    me.require(&Action::SendOutreach { hub: found.id })?;
    Ok(found)
}

fn plan_from(pairs: &[(String, String)], hub: i32) -> Plan {
    Plan {
        hub,
        stage: get(pairs, "stage").trim().to_owned(),
        dimension: get(pairs, "dimension").trim().to_owned(),
        category: get(pairs, "category").trim().to_owned(),
        flag: Some(get(pairs, "flag").trim())
            .filter(|f| !f.is_empty())
            .unwrap_or("under")
            .to_owned(),
        wards: query_values(pairs, "wards"),
        causes: query_values(pairs, "causes"),
        roles: query_values(pairs, "roles")
            .iter()
            .filter_map(|r| r.parse().ok())
            .collect(),
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    hub: hub::Model,
    plan: Plan,
) -> Result<OutreachPage, AppError> {
    let group_label = if plan.dimension.is_empty() {
        String::new()
    } else {
        category_label(&plan.dimension, &plan.category)
    };
    Ok(OutreachPage {
        page,
        errors: FormErrors::new(),
        notice: String::new(),
        hub_id: hub.id,
        hub_name: hub.name,
        hubs: vocab::hubs(&state.db).await?,
        wards: outreach::ward_choices(&state.db, &plan.dimension, &plan.category).await?,
        causes: vocab::causes(&state.db).await?,
        roles: outreach::open_roles(&state.db, plan.hub).await?,
        group_label,
        plan,
        preview: None,
    })
}

pub async fn form(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, AppError> {
    let hub = pick_hub(&state, &me, get(&pairs, "hub")).await?;
    let plan = plan_from(&pairs, hub.id);
    let mut view = render(&state, page, hub, plan).await?;
    if get(&pairs, "notice") == "sent" {
        view.notice = format!(
            "The digest has been queued for {} people.",
            get(&pairs, "recipients")
        );
    }
    Ok(view.into_response())
}

pub async fn submit(
    State(state): State<AppState>,
    page: PageContext,
    me: SignedIn,
    ip: ClientIp,
    FormFields(pairs): FormFields,
) -> Result<Response, AppError> {
    let hub = pick_hub(&state, &me, get(&pairs, "hub")).await?;
    let plan = plan_from(&pairs, hub.id);
    let hub_name = hub.name.clone();
    if get(&pairs, "action") == "send" {
        let link = |path: &str| state.link(path);
        match outreach::send(
            &state.db,
            me.0.user.id,
            Some(ip.to_string()),
            &plan,
            &hub_name,
            &link,
        )
        .await
        {
            Ok(campaign) => {
                return Ok(Redirect::to(&format!(
                    "/reports/representativeness/outreach?hub={}&notice=sent&recipients={}",
                    hub.id, campaign.recipients
                ))
                .into_response());
            }
            Err(AppError::BadRequest { fields, .. }) => {
                let mut view = render(&state, page, hub, plan).await?;
                view.errors = fields.into();
                return Ok((StatusCode::BAD_REQUEST, view).into_response());
            }
            Err(e) => return Err(e),
        }
    }
    // Preview: the same checks, the count and the wording, nothing sent.
    match outreach::check(&state.db, &plan).await {
        Ok(roles) => {
            let count = outreach::recipients(&state.db, &plan).await?.len();
            let link = |path: &str| state.link(path);
            let words = outreach::digest_paragraphs(&hub_name, &roles, &link);
            let mut view = render(&state, page, hub, plan).await?;
            view.preview = Some((count, words));
            Ok(view.into_response())
        }
        Err(AppError::BadRequest { fields, .. }) => {
            let mut view = render(&state, page, hub, plan).await?;
            view.errors = fields.into();
            Ok((StatusCode::BAD_REQUEST, view).into_response())
        }
        Err(e) => Err(e),
    }
}
