//! The alliance's counts of young volunteers per pathway stage by hub, suppressed.
use super::*;

/// Young volunteers on one pathway, by hub (rows) and stage (columns), suppressed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PathwayCounts {
    pub pathway: String,
    /// Stage names, then "All stages done".
    pub columns: Vec<String>,
    /// Hub names (and "No hub yet" for volunteers who have not applied anywhere).
    pub rows: Vec<String>,
    #[schema(value_type = Object)]
    pub table: crate::domain::representativeness::PublishedTable,
}

/// Counts per pathway: each enrolled volunteer in the stage they work on now, under
/// the hub of the role they applied to most recently. `hub` narrows to one hub's row.
pub async fn report<C: ConnectionTrait>(
    db: &C,
    hub: Option<i32>,
) -> Result<Vec<PathwayCounts>, DbErr> {
    let hubs: BTreeMap<i32, String> = crate::entities::hub::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|h| hub.is_none_or(|only| only == h.id))
        .map(|h| (h.id, h.name))
        .collect();
    let mut out = Vec::new();
    for p in pathway::Entity::find()
        .filter(pathway::Column::Active.eq(true))
        .order_by_asc(pathway::Column::Name)
        .all(db)
        .await?
    {
        let (d, _) = definition(db, &p).await?;
        let enrolments = pathway_enrolment::Entity::find()
            .filter(pathway_enrolment::Column::PathwayId.eq(p.id))
            .filter(pathway_enrolment::Column::LeftAt.is_null())
            .all(db)
            .await?;
        let width = d.stages.len() + 1;
        let mut row_keys: Vec<Option<i32>> = hubs.keys().copied().map(Some).collect();
        if hub.is_none() {
            row_keys.push(None);
        }
        let mut counts = vec![vec![0u64; width]; row_keys.len()];
        for e in enrolments {
            let home = hub_of_volunteer(db, e.volunteer_profile_id).await?;
            let Some(r) = row_keys.iter().position(|k| *k == home) else {
                continue;
            };
            let facts = facts_of(db, e.volunteer_profile_id).await?;
            let col = rules::progress(&d, &facts).next_stage.unwrap_or(width - 1);
            counts[r][col] += 1;
        }
        let mut columns: Vec<String> = d.stages.iter().map(|s| s.name.clone()).collect();
        columns.push("All stages done".into());
        let rows = row_keys
            .iter()
            .map(|k| match k {
                Some(h) => hubs.get(h).cloned().unwrap_or_default(),
                None => "No hub yet".into(),
            })
            .collect();
        out.push(PathwayCounts {
            pathway: p.name,
            columns,
            rows,
            table: crate::domain::representativeness::suppress_table(&counts),
        });
    }
    Ok(out)
}

/// The hub of the role a volunteer applied to most recently: the role's own hub, else
/// its organisation's first hub.
pub(super) async fn hub_of_volunteer<C: ConnectionTrait>(
    db: &C,
    volunteer_profile_id: i32,
) -> Result<Option<i32>, DbErr> {
    let Some(app) = application::Entity::find()
        .filter(application::Column::VolunteerId.eq(volunteer_profile_id))
        .order_by_desc(application::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(r) = role::Entity::find_by_id(app.role_id).one(db).await? else {
        return Ok(None);
    };
    if r.hub_id.is_some() {
        return Ok(r.hub_id);
    }
    Ok(hub_membership::Entity::find()
        .filter(hub_membership::Column::OrganisationId.eq(r.organisation_id))
        .order_by_asc(hub_membership::Column::HubId)
        .one(db)
        .await?
        .map(|m| m.hub_id))
}

/// Refuses hours "for a stage" on a role that does not count toward it, naming the
/// field, before anything is written.
pub async fn check_role_counts_toward<C: ConnectionTrait>(
    db: &C,
    role_id: i32,
    stage_id: i32,
) -> Result<(), AppError> {
    let tagged = role_pathway_stage::Entity::find_by_id((role_id, stage_id))
        .one(db)
        .await?
        .is_some();
    if tagged {
        Ok(())
    } else {
        Err(AppError::field(
            "stage_id",
            "This role does not count toward that pathway stage: hours on it will not count. \
             Choose a role tagged for the stage.",
        ))
    }
}
