//! Demo hubs, member organisations, their hub memberships and the named staff accounts.

use std::collections::HashSet;

use super::content::{ESTATES, ORG_KINDS, PARKS, PLACES, SAINTS};
use super::pick::{between, chance, one, weighted_index};
use super::{
    ALLIANCE_ADMIN_EMAIL, DEMO_HUBS, DEMO_ORG_ACCOUNTS, Gen, HUB, HUB_COORDINATOR, HUB_MEMBERSHIP,
    MEMBERSHIP, ORGANISATION, USERS, flag, int, opt_text, opt_ts, slugify, take, text, ts,
};
use crate::seed::batch::WriterGone;
use crate::seed::names;
use crate::seed::reference::southwark_wards;

pub(crate) struct HubInfo {
    pub id: i32,
    pub ward: usize,
}

pub(crate) struct OrgInfo {
    pub id: i32,
    pub name: String,
    pub slug: String,
    pub ward: usize,
    pub hubs: Vec<usize>,
    pub kind: usize,
    pub approved: bool,
    /// Relative size: how many roles it posts.
    pub size: f64,
    /// The admin who decides applications and confirms hours, if the demo has one.
    pub reviewer: Option<i32>,
}

fn ward_index(code: &str) -> usize {
    southwark_wards()
        .iter()
        .position(|w| w.code == code)
        .unwrap_or(0)
}

impl Gen {
    pub(super) fn hubs(&mut self) -> Result<(), WriterGone> {
        let descriptions = [
            "A welcoming community hub: food support, advice sessions, activities and a place to find out how to get involved locally.",
            "Drop in for a cuppa, help with forms and bills, the food hub, and volunteering with groups across the area.",
        ];
        for (i, hub) in DEMO_HUBS.iter().enumerate() {
            let id = take(&mut self.ids.hub);
            let ward = ward_index(hub.ward_code);
            let created = super::date_at(
                self.today - time::Duration::days(700 + i as i64 * 20),
                9,
                30,
            );
            self.sink.row(
                HUB,
                [
                    int(id),
                    text(hub.slug),
                    text(hub.name),
                    text(descriptions[i % descriptions.len()]),
                    int(self.ward_id(ward)),
                    text(hub.address),
                    text(format!("{}@hubs.example.org", hub.slug)),
                    text(format!("020 7946 0{:03}", 100 + i)),
                    ts(created),
                ],
            );
            self.hubs.push(HubInfo { id, ward });
        }
        Ok(())
    }

    pub(super) fn organisations(&mut self, n: usize) -> Result<(), WriterGone> {
        let kind_weights: Vec<f64> = ORG_KINDS.iter().map(|k| k.weight).collect();
        let mut names_used = HashSet::new();
        // A couple are still waiting for approval; never the ones with demo accounts.
        let pending_count = (n / 100).max(2);
        let mut pending = HashSet::new();
        while pending.len() < pending_count.min(n.saturating_sub(DEMO_ORG_ACCOUNTS.len())) {
            pending.insert(
                between(&mut self.rng, DEMO_ORG_ACCOUNTS.len() as i64, n as i64 - 1) as usize,
            );
        }
        for i in 0..n {
            let kind = weighted_index(&mut self.rng, &kind_weights);
            let (name, area, ward) = self.org_name(kind, &mut names_used);
            let slug = slugify(&name);
            let id = take(&mut self.ids.organisation);
            let approved = !pending.contains(&i);
            let about = one(&mut self.rng, ORG_KINDS[kind].about)
                .replace("{name}", &name)
                .replace("{area}", &area);
            let founded = between(&mut self.rng, 1968, 2022);
            let volunteers = between(&mut self.rng, 1, 30) * 5;
            let staff = match between(&mut self.rng, 0, 4) {
                0 => "no paid staff".to_string(),
                1 => "one part-time worker".to_string(),
                k => format!("{} staff", k + between(&mut self.rng, 0, 12)),
            };
            let description = format!(
                "{about}\n\nFounded in {founded}, we have {staff} and around {volunteers} volunteers. \
                 Everyone is welcome, whatever their background."
            );
            let charity = chance(&mut self.rng, 0.65)
                .then(|| format!("{}", between(&mut self.rng, 1_000_000, 1_209_999)));
            let lead = self.person_name();
            let created = self.moment_within_days(1500);
            let updated = created.max(self.moment_within_days(200));
            self.sink.row(
                ORGANISATION,
                [
                    int(id),
                    text(slug.clone()),
                    text(name.clone()),
                    text(description),
                    text(format!("https://{slug}.example.org")),
                    text(format!("hello@{slug}.example.org")),
                    opt_text(
                        chance(&mut self.rng, 0.8)
                            .then(|| format!("020 7946 {:04}", between(&mut self.rng, 200, 999))),
                    ),
                    int(self.ward_id(ward)),
                    opt_text(charity),
                    text(lead),
                    text(if approved { "approved" } else { "pending" }),
                    ts(created),
                    ts(updated),
                ],
            );
            let hubs = self.hubs_for(ward);
            for &h in &hubs {
                self.sink
                    .row(HUB_MEMBERSHIP, [int(self.hubs[h].id), int(id), ts(created)]);
            }
            // The first organisations host the demo accounts, so they get plenty to show.
            let size = if i < DEMO_ORG_ACCOUNTS.len() {
                3.0
            } else {
                0.3 + 2.7 * rand::Rng::random::<f64>(&mut self.rng).powi(2)
            };
            self.orgs.push(OrgInfo {
                id,
                name,
                slug,
                ward,
                hubs,
                kind,
                approved,
                size,
                reviewer: None,
            });
            self.sink.progress(1)?;
        }
        Ok(())
    }

    /// A unique organisation name for `kind`, the area it serves and its ward.
    fn org_name(&mut self, kind: usize, used: &mut HashSet<String>) -> (String, String, usize) {
        for attempt in 0.. {
            let pattern = *one(&mut self.rng, ORG_KINDS[kind].names);
            let (place, place_ward) = *one(&mut self.rng, PLACES);
            let mut name = pattern.replace("{place}", place);
            let mut area = place.to_string();
            let mut ward = ward_index(place_ward);
            if pattern.contains("{estate}") {
                let (estate, w) = *one(&mut self.rng, ESTATES);
                name = name.replace("{estate}", estate);
                area = format!("the {estate}");
                ward = ward_index(w);
            }
            if pattern.contains("{park}") {
                let (park, w) = *one(&mut self.rng, PARKS);
                name = name.replace("{park}", park);
                area = park.to_string();
                ward = ward_index(w);
            }
            if pattern.contains("{saint}") {
                let saint = *one(&mut self.rng, SAINTS);
                name = name.replace("{saint}", saint);
            }
            if attempt >= 40 {
                // Rare at the largest scale: a second group of the same kind in the same place.
                name = format!("{name} ({})", southwark_wards()[ward].name);
                if attempt >= 80 {
                    name = format!("{name} {attempt}");
                }
            }
            if used.insert(slugify(&name)) {
                return (name, area, ward);
            }
        }
        unreachable!("the loop only ends by returning")
    }

    /// The hub nearest the organisation, and sometimes one or two more.
    fn hubs_for(&mut self, ward: usize) -> Vec<usize> {
        let nearest = (0..self.hubs.len())
            .min_by(|&a, &b| {
                self.km(ward, self.hubs[a].ward)
                    .total_cmp(&self.km(ward, self.hubs[b].ward))
            })
            .unwrap_or(0);
        let mut hubs = vec![nearest];
        for p in [0.35, 0.1] {
            if chance(&mut self.rng, p) {
                let h = between(&mut self.rng, 0, self.hubs.len() as i64 - 1) as usize;
                if !hubs.contains(&h) {
                    hubs.push(h);
                }
            }
        }
        hubs
    }

    /// The alliance admin, one coordinator per hub, an admin and a staff member for
    /// each of the first organisations.
    pub(super) fn staff_accounts(&mut self) -> Result<(), WriterGone> {
        let since = self.now - time::Duration::days(400);
        self.account(ALLIANCE_ADMIN_EMAIL, "Ruth Adebayo", true, since);
        for (h, hub) in DEMO_HUBS.iter().enumerate() {
            let user = self.account(hub.coordinator_email, hub.coordinator_name, false, since);
            let id = take(&mut self.ids.hub_coordinator);
            self.sink.row(
                HUB_COORDINATOR,
                [int(id), int(user), int(self.hubs[h].id), ts(since)],
            );
        }
        let people = [
            ("Chinedu Okafor", "Laura García"),
            ("Helen Tesfaye", "David Clarke"),
            ("Nusrat Rahman", "James Wilson"),
        ];
        for (o, ((admin_email, staff_email), (admin_name, staff_name))) in DEMO_ORG_ACCOUNTS
            .iter()
            .zip(people)
            .enumerate()
            .take(self.orgs.len())
        {
            let org_id = self.orgs[o].id;
            let admin = self.account(admin_email, admin_name, false, since);
            let staff = self.account(staff_email, staff_name, false, since);
            for (user, role) in [(admin, "admin"), (staff, "staff")] {
                let id = take(&mut self.ids.membership);
                self.sink.row(
                    MEMBERSHIP,
                    [int(id), int(user), int(org_id), text(role), ts(since)],
                );
            }
            self.orgs[o].reviewer = Some(admin);
        }
        Ok(())
    }

    /// A verified, active user without a password; returns the id.
    fn account(
        &mut self,
        email: &str,
        name: &str,
        alliance_admin: bool,
        since: time::OffsetDateTime,
    ) -> i32 {
        let id = take(&mut self.ids.user);
        let last_login = self.moment_within_days(30).max(since);
        self.sink.row(
            USERS,
            [
                int(id),
                text(email),
                opt_text(None),
                text(name),
                opt_text(None),
                opt_ts(Some(since + time::Duration::minutes(5))),
                flag(alliance_admin),
                text("active"),
                ts(since),
                ts(since),
                opt_ts(Some(last_login)),
            ],
        );
        id
    }

    /// A plausible London name from any origin (contacts, safeguarding leads).
    pub(super) fn person_name(&mut self) -> String {
        const POOLS: &[(names::NamePool, f64)] = &[
            (names::ENGLISH, 5.0),
            (names::NIGERIAN, 1.5),
            (names::CARIBBEAN, 1.2),
            (names::GHANAIAN, 0.6),
            (names::IRISH, 0.6),
            (names::POLISH, 0.5),
            (names::PORTUGUESE, 0.4),
            (names::SPANISH, 0.3),
            (names::LATIN_AMERICAN, 0.5),
            (names::BANGLADESHI, 0.5),
            (names::INDIAN, 0.5),
            (names::CHINESE, 0.4),
            (names::SOMALI, 0.3),
            (names::TURKISH, 0.3),
            (names::ITALIAN, 0.3),
        ];
        let pool = *super::pick::weighted(&mut self.rng, POOLS);
        let first = if chance(&mut self.rng, 0.65) {
            one(&mut self.rng, pool.female)
        } else {
            one(&mut self.rng, pool.male)
        };
        format!("{first} {}", one(&mut self.rng, pool.surnames))
    }
}
