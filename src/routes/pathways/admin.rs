//! Alliance admins define pathways (stages and requirements); admins and hub
//! coordinators read how many young volunteers are at each stage, by hub.
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::DoneQuery;
use crate::auth::current::SignedIn;
use crate::domain::access::Action;
use crate::domain::pathways::TRAINING_ITEMS;
use crate::domain::representativeness::Published;
use crate::entities::pathway;
use crate::error::{AppError, parse_id};
use crate::models::pathways::{
    self, IssuedCertificate, NewPathway, PathwayCounts, PathwaySummary, RequirementInput,
    StageDefinition,
};
use crate::routes::QueryPairs;
use crate::routes::api_v1::query_value;
use crate::routes::forms::{FormErrors, FormFields};
use crate::routes::page::PageContext;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/pathways", get(index).post(create))
        .route("/admin/pathways/{slug}", get(edit))
        .route("/admin/pathways/{slug}/stages", post(add_stage))
        .route("/admin/pathways/{slug}/retire", post(retire))
        .route("/admin/pathways/{slug}/reopen", post(reopen))
        .route("/admin/pathway-stages/{id}", post(edit_stage))
        .route(
            "/admin/pathway-stages/{id}/requirements",
            post(add_requirement),
        )
        .route(
            "/admin/pathway-requirements/{id}/remove",
            post(remove_requirement),
        )
        .route("/reports/pathways", get(report))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/pathways.html")]
pub struct IndexPage {
    pub page: PageContext,
    pub pathways: Vec<PathwaySummary>,
    pub errors: FormErrors,
    pub typed: NewPathway,
    pub notice: String,
}

async fn index(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Query(q): Query<DoneQuery>,
) -> Result<IndexPage, AppError> {
    me.require(&Action::ManagePathways)?;
    Ok(IndexPage {
        pathways: pathways::list(&state.db, true).await?,
        page,
        errors: FormErrors::new(),
        typed: NewPathway::default(),
        notice: if q.done == "created" {
            "Pathway created. Add its stages next.".into()
        } else {
            String::new()
        },
    })
}

async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManagePathways)?;
    let typed = NewPathway {
        slug: form.trimmed("slug"),
        name: form.trimmed("name"),
        summary: form.trimmed("summary"),
    };
    match pathways::create_pathway(&state.db, me.0.id(), &typed).await {
        Ok(p) => {
            Ok(Redirect::to(&format!("/admin/pathways/{}?done=created", p.slug)).into_response())
        }
        Err(e) => {
            let errors = FormErrors::from_refusal(e)?;
            let page = IndexPage {
                pathways: pathways::list(&state.db, true).await?,
                page,
                errors,
                typed,
                notice: String::new(),
            };
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/pathways_edit.html")]
pub struct EditPage {
    pub page: PageContext,
    pub pathway: pathway::Model,
    pub stages: Vec<StageDefinition>,
    pub skills: Vec<(String, String)>,
    pub organisations: Vec<(i32, String)>,
    pub training_items: Vec<(&'static str, &'static str)>,
    pub certificates: Vec<IssuedCertificate>,
    pub errors: FormErrors,
    pub notice: String,
}

async fn render_edit(
    state: &AppState,
    page: PageContext,
    p: pathway::Model,
    errors: FormErrors,
    notice: &str,
) -> Result<EditPage, AppError> {
    use sea_orm::{EntityTrait, QueryOrder};
    let organisations = crate::entities::organisation::Entity::find()
        .order_by_asc(crate::entities::organisation::Column::Name)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(EditPage {
        stages: pathways::stage_definitions(&state.db, &p).await?,
        skills: pathways::skill_choices(&state.db)
            .await?
            .into_iter()
            .map(|(slug, name, _)| (slug, name))
            .collect(),
        organisations,
        training_items: TRAINING_ITEMS.to_vec(),
        certificates: pathways::issued_for_pathway(&state.db, p.id).await?,
        pathway: p,
        page,
        errors,
        notice: notice.to_owned(),
    })
}

async fn edit(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(slug): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<EditPage, AppError> {
    me.require(&Action::ManagePathways)?;
    let p = pathways::find_by_slug(&state.db, &slug).await?;
    let notice = match q.done.as_str() {
        "created" => "Pathway created. Add its stages next.",
        "stage" => "Stage added.",
        "requirement" => "Requirement added.",
        "removed" => "Requirement removed.",
        "retired" => {
            "Pathway retired: nobody new can join it. Those on it keep their progress and certificates."
        }
        "reopened" => "Pathway open again: young volunteers can join it.",
        "stage-edited" => "Stage changed.",
        _ => "",
    };
    render_edit(&state, page, p, FormErrors::new(), notice).await
}

async fn add_stage(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(slug): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManagePathways)?;
    let p = pathways::find_by_slug(&state.db, &slug).await?;
    match pathways::add_stage(
        &state.db,
        me.0.id(),
        p.id,
        &form.trimmed("name"),
        &form.trimmed("description"),
        &form.trimmed("tag"),
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/pathways/{slug}?done=stage")).into_response()),
        Err(e) => {
            let errors = FormErrors::from_refusal(e)?;
            let page = render_edit(&state, page, p, errors, "").await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

async fn retire(
    State(state): State<AppState>,
    me: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    set_active(state, me, slug, false).await
}

async fn reopen(
    State(state): State<AppState>,
    me: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    set_active(state, me, slug, true).await
}

async fn set_active(
    state: AppState,
    me: SignedIn,
    slug: String,
    active: bool,
) -> Result<Response, AppError> {
    me.require(&Action::ManagePathways)?;
    let p = pathways::find_by_slug(&state.db, &slug).await?;
    pathways::set_active(&state.db, me.0.id(), p.id, active).await?;
    let done = if active { "reopened" } else { "retired" };
    Ok(Redirect::to(&format!("/admin/pathways/{slug}?done={done}")).into_response())
}

async fn edit_stage(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManagePathways)?;
    let (stage_id, p) = stage_and_pathway(&state, &id).await?;
    match pathways::edit_stage(
        &state.db,
        me.0.id(),
        stage_id,
        &form.trimmed("name"),
        &form.trimmed("description"),
    )
    .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/pathways/{}?done=stage-edited", p.slug)).into_response(),
        ),
        Err(e) => {
            // Named after the stage's own inputs, so the summary links to the right form.
            let mut errors = FormErrors::new();
            for (field, why) in FormErrors::from_refusal(e)?.iter() {
                errors.add(&format!("stage-{field}-{stage_id}"), why.clone());
            }
            let page = render_edit(&state, page, p, errors, "").await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// The stage `id` names (from the path) and its pathway.
async fn stage_and_pathway(state: &AppState, id: &str) -> Result<(i32, pathway::Model), AppError> {
    use sea_orm::EntityTrait;
    let stage_id = parse_id(id, "id")?;
    let stage = crate::entities::pathway_stage::Entity::find_by_id(stage_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("stage"))?;
    let p = pathway::Entity::find_by_id(stage.pathway_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("pathway"))?;
    Ok((stage_id, p))
}

impl EditPage {
    /// The message for `field` of stage `id`'s edit form, if it was refused.
    pub fn stage_error(&self, id: &i32, field: &str) -> Option<&str> {
        let key = format!("stage-{field}-{id}");
        self.errors.has(&key).then(|| self.errors.message(&key))
    }
}

async fn add_requirement(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    Path(id): Path<String>,
    form: FormFields,
) -> Result<Response, AppError> {
    me.require(&Action::ManagePathways)?;
    let (stage_id, p) = stage_and_pathway(&state, &id).await?;
    let number = |name: &str| form.trimmed(name).parse::<i64>().ok();
    let input = RequirementInput {
        kind: form.trimmed("kind"),
        hours: number("hours"),
        skill: form.trimmed("skill"),
        min_level: number("min_level"),
        training_item: form.trimmed("training_item"),
        organisation_id: form.trimmed("organisation_id").parse::<i32>().ok(),
    };
    match pathways::add_requirement(&state.db, me.0.id(), stage_id, &input).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/pathways/{}?done=requirement", p.slug)).into_response(),
        ),
        Err(e) => {
            let errors = FormErrors::from_refusal(e)?;
            let page = render_edit(&state, page, p, errors, "").await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

async fn remove_requirement(
    State(state): State<AppState>,
    me: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    use sea_orm::EntityTrait;
    me.require(&Action::ManagePathways)?;
    let pathway_id =
        pathways::remove_requirement(&state.db, me.0.id(), parse_id(&id, "id")?).await?;
    let p = crate::entities::pathway::Entity::find_by_id(pathway_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("pathway"))?;
    Ok(Redirect::to(&format!("/admin/pathways/{}?done=removed", p.slug)).into_response())
}

/// A published count as the page writes it.
pub fn shown(p: &Published) -> String {
    match p.shown() {
        Some(n) => n.to_string(),
        None => "fewer than 5".into(),
    }
}

/// One pathway's table as the page writes it.
pub struct ReportTable {
    pub pathway: String,
    pub columns: Vec<String>,
    /// `(hub, cells, row total)`.
    pub rows: Vec<(String, Vec<String>, String)>,
    pub column_totals: Vec<String>,
    pub grand_total: String,
}

impl From<&PathwayCounts> for ReportTable {
    fn from(p: &PathwayCounts) -> Self {
        Self {
            pathway: p.pathway.clone(),
            columns: p.columns.clone(),
            rows: p
                .rows
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let cells = p
                        .table
                        .cells
                        .get(i)
                        .map(|r| r.iter().map(shown).collect())
                        .unwrap_or_default();
                    let total = p.table.row_totals.get(i).map(shown).unwrap_or_default();
                    (name.clone(), cells, total)
                })
                .collect(),
            column_totals: p.table.column_totals.iter().map(shown).collect(),
            grand_total: shown(&p.table.grand_total),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pathways/report.html")]
pub struct ReportPage {
    pub page: PageContext,
    pub scope: String,
    pub tables: Vec<ReportTable>,
}

/// Alliance admins see the borough (or one hub with `?hub=`); a coordinator sees
/// their own hub.
async fn report(
    State(state): State<AppState>,
    me: SignedIn,
    page: PageContext,
    QueryPairs(pairs): QueryPairs,
) -> Result<ReportPage, AppError> {
    use sea_orm::EntityTrait;
    let raw = query_value(&pairs, "hub");
    let hub = if !raw.is_empty() {
        Some(parse_id(&raw, "hub")?)
    } else if me.0.actor.alliance_admin {
        None
    } else {
        me.0.actor.coordinated_hubs.first().copied()
    };
    me.require(&Action::ViewPathwayReport { hub })?;
    let scope = match hub {
        Some(h) => crate::entities::hub::Entity::find_by_id(h)
            .one(&state.db)
            .await?
            .map(|h| h.name)
            .ok_or(AppError::NotFound("hub"))?,
        None => "All of Southwark".into(),
    };
    let counts = pathways::report(&state.db, hub).await?;
    Ok(ReportPage {
        tables: counts.iter().map(ReportTable::from).collect(),
        page,
        scope,
    })
}
