//! Search documents built from the database: open roles for everyone, and volunteers who opted in to suggestions, for staff.
//!
//! A role is public while it is open, not past its closing date, and its
//! organisation is not suspended; anything else is removed from the index. A
//! volunteer is in the index only while `open_to_suggestions` is on.
use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use time::OffsetDateTime;

use super::Document;
use crate::domain::london_time::to_london;
use crate::entities::{
    availability, cause, hub, hub_membership, organisation, role, role_cause, role_session,
    role_skill, skill, user, volunteer_cause, volunteer_profile, volunteer_skill, ward,
};
use crate::models::roles::split_tags;

/// Which roles the public may find.
pub fn role_is_public(role: &role::Model, organisation_status: &str, now: OffsetDateTime) -> bool {
    role.status == "open"
        && role.closes_at.is_none_or(|c| c > now)
        && organisation_status != "suspended"
}

/// The ODI slot ("SaturdayMorning") a session starting at `at` falls in, in London time.
pub fn slot_of(at: OffsetDateTime) -> String {
    let local = to_london(at);
    let part = match local.hour() {
        0..12 => "Morning",
        12..17 => "Afternoon",
        _ => "Evening",
    };
    format!("{}{part}", local.weekday())
}

/// Documents for the given roles that are public now, and the ids of those that
/// are not (or no longer exist): to upsert and to delete. `None` means every role.
pub async fn roles<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[i32]>,
) -> Result<(Vec<Document>, Vec<i64>), DbErr> {
    let mut q = role::Entity::find().order_by_asc(role::Column::Id);
    if let Some(ids) = ids {
        q = q.filter(role::Column::Id.is_in(ids.to_vec()));
    } else {
        q = q.filter(role::Column::Status.eq("open"));
    }
    let rows = q.all(db).await?;
    let now = crate::db::now();
    let organisations: HashMap<i32, organisation::Model> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut public = Vec::new();
    let mut gone: BTreeSet<i64> = ids
        .unwrap_or_default()
        .iter()
        .map(|&i| i64::from(i))
        .collect();
    for r in rows {
        let status = organisations
            .get(&r.organisation_id)
            .map_or("suspended", |o| o.status.as_str());
        if role_is_public(&r, status, now) {
            gone.remove(&i64::from(r.id));
            public.push(r);
        }
    }
    if public.is_empty() {
        return Ok((Vec::new(), gone.into_iter().collect()));
    }
    let role_ids: Vec<i32> = public.iter().map(|r| r.id).collect();
    let hubs: HashMap<i32, hub::Model> = hub::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let wards: HashMap<i32, ward::Model> = ward::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let mut hubs_of_org: HashMap<i32, Vec<i32>> = HashMap::new();
    for m in hub_membership::Entity::find().all(db).await? {
        hubs_of_org
            .entry(m.organisation_id)
            .or_default()
            .push(m.hub_id);
    }
    let causes: HashMap<i32, cause::Model> = cause::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let skills: HashMap<i32, skill::Model> = skill::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut causes_of: HashMap<i32, Vec<&cause::Model>> = HashMap::new();
    let mut skills_of: HashMap<i32, Vec<&skill::Model>> = HashMap::new();
    let mut slots_of: HashMap<i32, BTreeSet<String>> = HashMap::new();
    // Chunks keep the IN lists within every database's parameter limit.
    for chunk in role_ids.chunks(5_000) {
        for rc in role_cause::Entity::find()
            .filter(role_cause::Column::RoleId.is_in(chunk.to_vec()))
            .order_by_asc(role_cause::Column::CauseId)
            .all(db)
            .await?
        {
            if let Some(c) = causes.get(&rc.cause_id) {
                causes_of.entry(rc.role_id).or_default().push(c);
            }
        }
        for rs in role_skill::Entity::find()
            .filter(role_skill::Column::RoleId.is_in(chunk.to_vec()))
            .order_by_asc(role_skill::Column::SkillId)
            .all(db)
            .await?
        {
            if let Some(s) = skills.get(&rs.skill_id) {
                skills_of.entry(rs.role_id).or_default().push(s);
            }
        }
        for s in role_session::Entity::find()
            .filter(role_session::Column::RoleId.is_in(chunk.to_vec()))
            .filter(role_session::Column::EndsAt.gt(now))
            .all(db)
            .await?
        {
            slots_of
                .entry(s.role_id)
                .or_default()
                .insert(slot_of(s.starts_at));
        }
    }

    let docs = public
        .into_iter()
        .map(|r| {
            let org = organisations.get(&r.organisation_id);
            let ward = r.ward_id.and_then(|w| wards.get(&w));
            let role_hubs: Vec<&hub::Model> = match r.hub_id {
                Some(h) => hubs.get(&h).into_iter().collect(),
                None => hubs_of_org
                    .get(&r.organisation_id)
                    .into_iter()
                    .flatten()
                    .filter_map(|h| hubs.get(h))
                    .collect(),
            };
            let role_causes = causes_of.remove(&r.id).unwrap_or_default();
            let role_skills = skills_of.remove(&r.id).unwrap_or_default();
            let mut d = Document::new(i64::from(r.id))
                .text("title", r.title.clone())
                .text("summary", r.summary.clone())
                .text("description", plain_text(&r.description))
                .text(
                    "cause_names",
                    join(role_causes.iter().map(|c| c.name.as_str())),
                )
                .text(
                    "skill_names",
                    join(role_skills.iter().map(|s| s.name.as_str())),
                )
                .text(
                    "organisation_name",
                    org.map(|o| o.name.clone()).unwrap_or_default(),
                )
                .text("hub_name", join(role_hubs.iter().map(|h| h.name.as_str())))
                .text(
                    "ward_name",
                    ward.map(|w| w.name.clone()).unwrap_or_default(),
                )
                .facet("commitment", r.commitment.clone())
                .facet("location_type", r.location_type.clone())
                .facet("status", r.status.clone())
                .flag("remote", r.location_type != "in_person")
                .flag("youth_friendly", r.youth_friendly)
                .flag("dbs_required", r.dbs_required)
                .number("closes_at", r.closes_at.map(OffsetDateTime::unix_timestamp))
                .number(
                    "opened_at",
                    Some(r.published_at.unwrap_or(r.created_at).unix_timestamp()),
                );
            if let Some(o) = org {
                d = d.facet("organisation", o.slug.clone());
            }
            if let Some(w) = ward {
                d = d.facet("ward", w.code.clone());
                d.geo = Some((w.centroid_lat, w.centroid_lon));
            }
            for h in role_hubs {
                d = d.facet("hub", h.slug.clone());
            }
            for c in role_causes {
                d = d.facet("cause", c.slug.clone());
            }
            for s in role_skills {
                d = d.facet("skill", s.slug.clone());
            }
            for slot in slots_of.remove(&r.id).unwrap_or_default() {
                d = d.facet("time_slot", slot);
            }
            d
        })
        .collect();
    Ok((docs, gone.into_iter().collect()))
}

/// Roles of one organisation (its name, status and hubs are in their documents).
pub async fn role_ids_of_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<i32>, DbErr> {
    Ok(role::Entity::find()
        .filter(role::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Documents for volunteers (by profile id) who are open to suggestions, and the
/// ids of those who are not: to upsert and to delete. `None` means everyone.
pub async fn volunteers<C: ConnectionTrait>(
    db: &C,
    ids: Option<&[i32]>,
) -> Result<(Vec<Document>, Vec<i64>), DbErr> {
    let mut q = volunteer_profile::Entity::find().order_by_asc(volunteer_profile::Column::Id);
    if let Some(ids) = ids {
        q = q.filter(volunteer_profile::Column::Id.is_in(ids.to_vec()));
    } else {
        q = q.filter(volunteer_profile::Column::OpenToSuggestions.eq(true));
    }
    let rows = q.all(db).await?;
    let mut gone: BTreeSet<i64> = ids
        .unwrap_or_default()
        .iter()
        .map(|&i| i64::from(i))
        .collect();
    let open: Vec<volunteer_profile::Model> = rows
        .into_iter()
        .filter(|p| p.open_to_suggestions)
        .inspect(|p| {
            gone.remove(&i64::from(p.id));
        })
        .collect();
    if open.is_empty() {
        return Ok((Vec::new(), gone.into_iter().collect()));
    }
    let profile_ids: Vec<i32> = open.iter().map(|p| p.id).collect();
    let user_ids: Vec<i32> = open.iter().map(|p| p.user_id).collect();
    let wards: HashMap<i32, ward::Model> = ward::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let causes: HashMap<i32, cause::Model> = cause::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let skills: HashMap<i32, skill::Model> = skill::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut names: HashMap<i32, String> = HashMap::new();
    let mut causes_of: HashMap<i32, Vec<&cause::Model>> = HashMap::new();
    let mut skills_of: HashMap<i32, Vec<&skill::Model>> = HashMap::new();
    let mut slots_of: HashMap<i32, Vec<String>> = HashMap::new();
    for (chunk, user_chunk) in profile_ids.chunks(5_000).zip(user_ids.chunks(5_000)) {
        for u in user::Entity::find()
            .filter(user::Column::Id.is_in(user_chunk.to_vec()))
            .all(db)
            .await?
        {
            names.insert(u.id, u.display_name);
        }
        for vc in volunteer_cause::Entity::find()
            .filter(volunteer_cause::Column::VolunteerId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if let Some(c) = causes.get(&vc.cause_id) {
                causes_of.entry(vc.volunteer_id).or_default().push(c);
            }
        }
        for vs in volunteer_skill::Entity::find()
            .filter(volunteer_skill::Column::VolunteerId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            if let Some(s) = skills.get(&vs.skill_id) {
                skills_of.entry(vs.volunteer_id).or_default().push(s);
            }
        }
        for a in availability::Entity::find()
            .filter(availability::Column::VolunteerId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            slots_of.entry(a.volunteer_id).or_default().push(a.slot);
        }
    }
    let docs = open
        .into_iter()
        .map(|p| {
            let ward = p.ward_id.and_then(|w| wards.get(&w));
            let vc = causes_of.remove(&p.id).unwrap_or_default();
            let vs = skills_of.remove(&p.id).unwrap_or_default();
            let languages = split_tags(&p.languages);
            let mut d = Document::new(i64::from(p.id))
                .text("skill_names", join(vs.iter().map(|s| s.name.as_str())))
                .text("cause_names", join(vc.iter().map(|c| c.name.as_str())))
                .text("bio", p.bio.clone())
                .text(
                    "display_name",
                    names.get(&p.user_id).cloned().unwrap_or_default(),
                )
                .text(
                    "ward_name",
                    ward.map(|w| w.name.clone()).unwrap_or_default(),
                )
                .text("language_names", languages.join(", "))
                .flag("remote", p.remote_ok)
                .number("updated_at", Some(p.updated_at.unix_timestamp()));
            if let Some(w) = ward {
                d = d.facet("ward", w.code.clone());
                d.geo = Some((w.centroid_lat, w.centroid_lon));
            }
            for c in vc {
                d = d.facet("cause", c.slug.clone());
            }
            for s in vs {
                d = d.facet("skill", s.slug.clone());
            }
            for slot in slots_of.remove(&p.id).unwrap_or_default() {
                d = d.facet("time_slot", slot);
            }
            for l in languages {
                d = d.facet("language", l);
            }
            d
        })
        .collect();
    Ok((docs, gone.into_iter().collect()))
}

/// A Markdown description as the words a reader sees: what search matches and
/// snippets quote ("**Food bank**" is "Food bank"; a link is its text).
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push_str(if out.ends_with(['.', '!', '?', ':']) {
                        " "
                    } else {
                        ". "
                    });
                }
            }
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

fn join<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn descriptions_are_indexed_as_the_words_a_reader_sees() {
        assert_eq!(
            plain_text(
                "## What you'll do\n\n**Food bank** shifts, see [our site](https://x.org).\n\n- Pack\n- Sort"
            ),
            "What you'll do. Food bank shifts, see our site. Pack. Sort."
        );
    }

    #[test]
    fn sessions_fall_in_london_slots() {
        // 09:30 UTC in July is 10:30 in London: a Saturday morning.
        assert_eq!(slot_of(datetime!(2026-07-04 09:30 UTC)), "SaturdayMorning");
        // 11:30 UTC in July is 12:30 in London: afternoon.
        assert_eq!(
            slot_of(datetime!(2026-07-04 11:30 UTC)),
            "SaturdayAfternoon"
        );
        assert_eq!(slot_of(datetime!(2026-12-07 18:00 UTC)), "MondayEvening");
    }
}
