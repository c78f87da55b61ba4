//! Demo roles with their causes, skills wanted, sessions and Markdown descriptions.

use std::fmt::Write as _;

use time::{Date, Duration, OffsetDateTime};

use super::content::{OFFERS, ORG_KINDS, ROLE_TEMPLATES, RoleTemplate};
use super::pick::{Cumulative, between, chance, distinct_weighted, one, weighted, weighted_index};
use super::{
    Gen, ROLE, ROLE_CAUSE, ROLE_SESSION, ROLE_SKILL, date_at, int, opt_int, opt_text, opt_ts, take,
    text, ts,
};
use crate::seed::reference::{postcode_districts, southwark_wards};
use crate::seed::vocab::{ACCESS_TAGS, CAUSES, SKILLS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RoleStatus {
    Draft,
    Open,
    Closed,
}

impl RoleStatus {
    fn as_str(self) -> &'static str {
        match self {
            RoleStatus::Draft => "draft",
            RoleStatus::Open => "open",
            RoleStatus::Closed => "closed",
        }
    }
}

pub(crate) const ONE_OFF: u8 = 0;
pub(crate) const REGULAR: u8 = 1;
pub(crate) const FLEXIBLE: u8 = 2;
const COMMITMENTS: [&str; 3] = ["one_off", "regular", "flexible"];
pub(crate) const IN_PERSON: u8 = 0;
pub(crate) const REMOTE: u8 = 1;
const LOCATION_TYPES: [&str; 3] = ["in_person", "remote", "hybrid"];

/// What later rows (applications, hours) need to know about a role.
pub(crate) struct RoleInfo {
    pub id: i32,
    pub org: usize,
    pub status: RoleStatus,
    pub places: i32,
    pub accepted: i32,
    pub min_age: i32,
    pub youth_friendly: bool,
    pub dbs_required: bool,
    /// `None` for remote roles.
    pub ward: Option<usize>,
    pub commitment: u8,
    /// When people could start applying (published_at).
    pub opens: OffsetDateTime,
    /// When applications stopped (closes_at, or now for open roles).
    pub closes: OffsetDateTime,
    pub first_session: i32,
    pub sessions: u8,
    pub first_session_on: Option<Date>,
    /// Usual length of a shift, for hours logged.
    pub shift_minutes: i32,
}

const OTHER_LANGUAGES: &[&str] = &[
    "es", "pt", "bn", "yo", "tw", "so", "ar", "tr", "pl", "fr", "zh", "ti", "ur", "ro",
];

impl Gen {
    /// One role for a weighted-random organisation.
    pub(super) fn role(&mut self) {
        if self.org_pick.is_none() {
            let weights = self
                .orgs
                .iter()
                .map(|o| if o.approved { o.size } else { o.size * 0.1 });
            self.org_pick = Some(Cumulative::new(weights.collect::<Vec<_>>()));
        }
        let o = match &self.org_pick {
            Some(pick) => pick.sample(&mut self.rng),
            None => 0,
        };
        let kind = &ORG_KINDS[self.orgs[o].kind];
        let key = *weighted(&mut self.rng, kind.roles);
        let t: &'static RoleTemplate = ROLE_TEMPLATES
            .iter()
            .find(|t| t.key == key)
            .unwrap_or(&ROLE_TEMPLATES[0]);

        let id = take(&mut self.ids.role);
        let (title, summary) = *one(&mut self.rng, t.variants);
        let min_age = *weighted(&mut self.rng, t.min_age);
        let youth_friendly = min_age < 16;
        let dbs_required = !youth_friendly && chance(&mut self.rng, t.dbs);
        let commitment = weighted_index(&mut self.rng, &t.commitment) as u8;
        // Nudged so about 15% of roles are remote and 10% hybrid overall.
        let location_weights = [t.location[0], t.location[1] * 2.6, t.location[2] * 1.7];
        let location = weighted_index(&mut self.rng, &location_weights) as u8;
        // Places: a little more generous than the template's usual range, never over 20.
        let most = (t.places.1 * 3 / 2).clamp(t.places.0, 20);
        let places = between(&mut self.rng, t.places.0 as i64, most as i64) as i32;
        let hours_per_week = (commitment != ONE_OFF)
            .then(|| between(&mut self.rng, t.hours.0 as i64, t.hours.1 as i64) as i32);

        let org_ward = self.orgs[o].ward;
        let ward = if location == REMOTE {
            None
        } else if chance(&mut self.rng, 0.65) {
            Some(org_ward)
        } else if chance(&mut self.rng, 0.7) {
            let h = *one(&mut self.rng, &self.orgs[o].hubs);
            Some(self.hubs[h].ward)
        } else {
            Some(between(&mut self.rng, 0, southwark_wards().len() as i64 - 1) as usize)
        };
        let district = ward.map(|w| {
            let ds = postcode_districts(southwark_wards()[w].code);
            if chance(&mut self.rng, 0.7) || ds.len() == 1 {
                ds[0].to_string()
            } else {
                one(&mut self.rng, ds).to_string()
            }
        });

        let access = if location == REMOTE {
            if chance(&mut self.rng, 0.5) {
                "seated".to_string()
            } else {
                String::new()
            }
        } else {
            let odds = [0.55, 0.15, 0.2, 0.12, 0.03, 0.3];
            let tags: Vec<&str> = ACCESS_TAGS
                .iter()
                .zip(odds)
                .filter_map(|((tag, _), p)| chance(&mut self.rng, p).then_some(*tag))
                .collect();
            tags.join(",")
        };
        let multilingual = if t.key == "refugee-welcome" || t.key == "esol-conversation" {
            0.45
        } else {
            0.1
        };
        let languages = if chance(&mut self.rng, multilingual) {
            format!("en,{}", one(&mut self.rng, OTHER_LANGUAGES))
        } else {
            "en".to_string()
        };

        let status = if !self.orgs[o].approved {
            RoleStatus::Draft
        } else {
            match weighted_index(&mut self.rng, &[0.07, 0.78, 0.15]) {
                0 => RoleStatus::Draft,
                1 => RoleStatus::Open,
                _ => RoleStatus::Closed,
            }
        };
        let created = match status {
            RoleStatus::Draft => self.moment_within_days(60),
            RoleStatus::Open => self.moment_within_days(365),
            RoleStatus::Closed => {
                let d = between(&mut self.rng, 30, 365);
                date_at(
                    self.today - Duration::days(d),
                    between(&mut self.rng, 9, 17) as u8,
                    0,
                )
            }
        };
        // Published in office hours, up to three days after it was drafted.
        let published = (status != RoleStatus::Draft).then(|| {
            let day = created.date() + Duration::days(between(&mut self.rng, 0, 3));
            let at = date_at(
                day,
                between(&mut self.rng, 9, 17) as u8,
                between(&mut self.rng, 0, 59) as u8,
            );
            at.max(created + Duration::minutes(30)).min(self.now)
        });
        let closed_on = (status == RoleStatus::Closed).then(|| {
            let earliest = created.date() + Duration::days(14);
            let latest = self.today - Duration::days(1);
            let d = earliest + Duration::days(between(&mut self.rng, 0, 120));
            d.min(latest).max(created.date() + Duration::days(1))
        });

        // Sessions: weekly at the template's usual day and time.
        let n_sessions = match commitment {
            ONE_OFF => 1,
            REGULAR => between(&mut self.rng, 2, 6),
            _ => between(&mut self.rng, 0, 2),
        } as u8;
        let weekday = *one(&mut self.rng, t.days);
        let (hour, length) = *one(&mut self.rng, t.times);
        let minute = if chance(&mut self.rng, 0.3) { 30 } else { 0 };
        let first_on = match closed_on {
            Some(closed) => {
                let last = on_or_before(closed, weekday);
                last - Duration::weeks(n_sessions.saturating_sub(1) as i64)
            }
            None => {
                let ahead = if commitment == ONE_OFF {
                    between(&mut self.rng, 1, 7)
                } else {
                    between(&mut self.rng, 0, 2)
                };
                on_or_before(self.today + Duration::days(7), weekday) + Duration::weeks(ahead)
            }
        };
        let first_session = self.ids.session;
        let session_places = chance(&mut self.rng, 0.3).then_some(places);
        for k in 0..n_sessions {
            let session_id = take(&mut self.ids.session);
            let starts = date_at(first_on + Duration::weeks(k as i64), hour, minute);
            let ends = starts + Duration::hours(length as i64);
            self.sink.row(
                ROLE_SESSION,
                [
                    int(session_id),
                    int(id),
                    ts(starts),
                    ts(ends),
                    opt_int(session_places),
                    ts(created),
                ],
            );
        }

        let closes_on = match status {
            RoleStatus::Closed => closed_on,
            _ if chance(&mut self.rng, 0.08) => None,
            _ if commitment == ONE_OFF => Some(
                (first_on - Duration::days(between(&mut self.rng, 1, 3)))
                    .max(self.today + Duration::days(1)),
            ),
            _ => Some(self.today + Duration::days(between(&mut self.rng, 7, 120))),
        };
        let closes_at = closes_on.map(|d| date_at(d, 17, 0));
        let updated = match status {
            RoleStatus::Closed => closes_at.unwrap_or(created).min(self.now),
            _ => published.unwrap_or(created),
        };

        let mut cause_idx = vec![cause_index(t.causes[0])];
        for c in &t.causes[1..] {
            if chance(&mut self.rng, 0.5) {
                cause_idx.push(cause_index(c));
            }
        }
        let n_skills = between(&mut self.rng, 1, t.skills.len().min(4) as i64) as usize;
        let mut skill_weights: Vec<f64> = (0..t.skills.len())
            .map(|i| if i == 0 { 1e9 } else { 1.0 })
            .collect();
        let picked_skills = distinct_weighted(&mut self.rng, &mut skill_weights, n_skills);

        let org_name = self.orgs[o].name.clone();
        let description = self.role_description(
            t,
            &org_name,
            title,
            summary,
            ward,
            location,
            min_age,
            dbs_required,
            commitment,
            hours_per_week,
            &languages,
            &access,
        );
        let contact = self.person_name();
        let contact_email = format!("volunteering@{}.example.org", self.orgs[o].slug);
        let hub = self.orgs[o].hubs[0];
        self.sink.row(
            ROLE,
            [
                int(id),
                int(self.orgs[o].id),
                opt_int(Some(self.hubs[hub].id)),
                text(title),
                text(summary),
                text(description),
                opt_int(ward.map(|w| self.ward_id(w))),
                opt_text(district),
                text(LOCATION_TYPES[location as usize]),
                int(min_age),
                super::flag(youth_friendly),
                super::flag(dbs_required),
                int(places),
                text(COMMITMENTS[commitment as usize]),
                opt_int(hours_per_week),
                text(access),
                text(languages),
                opt_text(Some(contact)),
                opt_text(Some(contact_email)),
                text(status.as_str()),
                opt_ts(closes_at),
                opt_ts(published),
                ts(created),
                ts(updated),
            ],
        );
        for &c in &cause_idx {
            self.sink
                .row(ROLE_CAUSE, [int(id), int(self.refs.cause_ids[c])]);
        }
        for &k in &picked_skills {
            let (slug, base) = t.skills[k];
            let s = skill_index(slug);
            let cap = if SKILLS[s].group == "functional" {
                5
            } else {
                15
            };
            let level = (base + between(&mut self.rng, -1, 1) as i32).clamp(0, cap);
            self.sink.row(
                ROLE_SKILL,
                [int(id), int(self.refs.skill_ids[s]), int(level)],
            );
        }

        let idx = self.roles.len() as u32;
        if status != RoleStatus::Draft {
            self.appliable_roles.push(idx);
            for &c in &cause_idx {
                self.roles_by_cause[c].push(idx);
            }
        }
        self.roles.push(RoleInfo {
            id,
            org: o,
            status,
            places,
            accepted: 0,
            min_age,
            youth_friendly,
            dbs_required,
            ward,
            commitment,
            opens: published.unwrap_or(created),
            closes: closes_at
                .filter(|_| status == RoleStatus::Closed)
                .unwrap_or(self.now)
                .min(self.now),
            first_session,
            sessions: n_sessions,
            first_session_on: (n_sessions > 0).then_some(first_on),
            shift_minutes: length as i32 * 60,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn role_description(
        &mut self,
        t: &RoleTemplate,
        org_name: &str,
        title: &str,
        summary: &str,
        ward: Option<usize>,
        location: u8,
        min_age: i32,
        dbs_required: bool,
        commitment: u8,
        hours_per_week: Option<i32>,
        languages: &str,
        access: &str,
    ) -> String {
        let mut md = String::with_capacity(1400);
        let place = ward
            .map(|w| southwark_wards()[w].name)
            .unwrap_or("Southwark");
        let where_ = match location {
            IN_PERSON => format!(" in {place}"),
            REMOTE => " – you can do it from home".to_string(),
            _ => format!(", partly from home and partly at our base in {place}"),
        };
        let who = if chance(&mut self.rng, 0.5) {
            "volunteers"
        } else {
            "friendly, reliable people"
        };
        let _ = write!(
            md,
            "**{org_name}** is looking for {who} for our **{title}** role{where_}. {summary}\n\n"
        );

        md.push_str("## What you'll do\n\n");
        let n = between(&mut self.rng, 3, t.duties.len().min(5) as i64) as usize;
        let mut w = vec![1.0; t.duties.len()];
        let mut duties = distinct_weighted(&mut self.rng, &mut w, n);
        duties.sort_unstable();
        for d in duties {
            let _ = writeln!(md, "- {}", t.duties[d]);
        }

        md.push_str("\n## What we offer\n\n");
        let mut w = vec![1.0; OFFERS.len()];
        for o in distinct_weighted(&mut self.rng, &mut w, 3) {
            let _ = writeln!(md, "- {}", OFFERS[o]);
        }
        if dbs_required {
            md.push_str("- Your DBS check, arranged and paid for by us\n");
        }
        if min_age < 16 {
            md.push_str(
                "- Hours that count toward the Duke of Edinburgh's Award volunteering section\n",
            );
        }
        if t.skills.iter().any(|(s, _)| *s == "food-hygiene") {
            md.push_str("- Free Level 2 Food Hygiene training\n");
        }

        md.push_str("\n## What you need\n\n");
        let n = between(&mut self.rng, 1, t.needs.len().min(2) as i64) as usize;
        let mut w = vec![1.0; t.needs.len()];
        for k in distinct_weighted(&mut self.rng, &mut w, n) {
            let _ = writeln!(md, "- {}", t.needs[k]);
        }
        let age_line = match min_age {
            a if a < 16 => format!(
                "Open to young people aged {a} and over; under-16s need consent from a parent or carer"
            ),
            21 => "You need to be 21 or over (for our insurance)".to_string(),
            a => format!("You need to be {a} or over"),
        };
        let _ = writeln!(md, "- {age_line}");
        if dbs_required {
            md.push_str("- An enhanced DBS check, because you will be working with children or adults at risk\n");
        }
        if let Some((_, extra)) = languages.split_once(',') {
            let name = crate::seed::vocab::LANGUAGES
                .iter()
                .find(|(c, _)| *c == extra)
                .map(|(_, n)| *n)
                .unwrap_or(extra);
            let _ = writeln!(
                md,
                "- Speaking {name} as well as English would be a real help"
            );
        }
        if access.contains("step_free") {
            md.push_str("\nThe venue has step-free access");
            md.push_str(if access.contains("hearing_loop") {
                " and a hearing loop.\n"
            } else {
                ".\n"
            });
        }
        md.push('\n');
        match (commitment, hours_per_week) {
            (ONE_OFF, _) => {
                md.push_str("This is a one-off: come along once and see how you like it.")
            }
            (FLEXIBLE, _) => md.push_str("Come when you can – we'll agree times that suit you."),
            (_, Some(h)) => {
                let _ = write!(
                    md,
                    "We ask for about {h} hour{} a week for at least three months.",
                    if h == 1 { "" } else { "s" }
                );
            }
            _ => md.push_str("We ask for a regular slot each week."),
        }
        md
    }
}

fn cause_index(slug: &str) -> usize {
    CAUSES.iter().position(|c| c.slug == slug).unwrap_or(0)
}

fn skill_index(slug: &str) -> usize {
    SKILLS.iter().position(|s| s.slug == slug).unwrap_or(0)
}

/// The last date on or before `d` falling on weekday `wd` (0 = Monday).
fn on_or_before(d: Date, wd: u8) -> Date {
    let have = d.weekday().number_days_from_monday();
    let back = (have + 7 - wd % 7) % 7;
    d - Duration::days(back as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn on_or_before_finds_the_weekday() {
        // 2026-01-15 is a Thursday.
        assert_eq!(
            on_or_before(date!(2026 - 01 - 15), 3),
            date!(2026 - 01 - 15)
        );
        assert_eq!(
            on_or_before(date!(2026 - 01 - 15), 0),
            date!(2026 - 01 - 12)
        );
        assert_eq!(
            on_or_before(date!(2026 - 01 - 15), 5),
            date!(2026 - 01 - 10)
        );
    }
}
