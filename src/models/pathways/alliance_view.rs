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
        let ids: Vec<i32> = enrolments.iter().map(|e| e.volunteer_profile_id).collect();
        let homes = hubs_of_volunteers(db, &ids).await?;
        let facts = facts_of_many(db, &ids).await?;
        for id in ids {
            let home = homes.get(&id).copied();
            let Some(r) = row_keys.iter().position(|k| *k == home) else {
                continue;
            };
            let Some(f) = facts.get(&id) else { continue };
            let col = rules::progress(&d, f).next_stage.unwrap_or(width - 1);
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

/// The hub of the role each volunteer applied to most recently: the role's own hub,
/// else its organisation's first hub (volunteers who never applied are left out).
pub(super) async fn hubs_of_volunteers<C: ConnectionTrait>(
    db: &C,
    volunteer_ids: &[i32],
) -> Result<HashMap<i32, i32>, DbErr> {
    let mut latest: HashMap<i32, (i32, i32)> = HashMap::new();
    for ids in volunteer_ids.chunks(2_000) {
        for a in application::Entity::find()
            .filter(application::Column::VolunteerId.is_in(ids.to_vec()))
            .all(db)
            .await?
        {
            let e = latest.entry(a.volunteer_id).or_insert((a.id, a.role_id));
            if a.id > e.0 {
                *e = (a.id, a.role_id);
            }
        }
    }
    let role_ids: HashSet<i32> = latest.values().map(|(_, r)| *r).collect();
    let roles: HashMap<i32, role::Model> = role::Entity::find()
        .filter(role::Column::Id.is_in(role_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut first_hub: HashMap<i32, i32> = HashMap::new();
    for m in hub_membership::Entity::find()
        .filter(
            hub_membership::Column::OrganisationId.is_in(
                roles
                    .values()
                    .map(|r| r.organisation_id)
                    .collect::<HashSet<_>>(),
            ),
        )
        .all(db)
        .await?
    {
        let h = first_hub.entry(m.organisation_id).or_insert(m.hub_id);
        *h = (*h).min(m.hub_id);
    }
    Ok(latest
        .into_iter()
        .filter_map(|(v, (_, role_id))| {
            let r = roles.get(&role_id)?;
            let hub = r
                .hub_id
                .or_else(|| first_hub.get(&r.organisation_id).copied())?;
            Some((v, hub))
        })
        .collect())
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
