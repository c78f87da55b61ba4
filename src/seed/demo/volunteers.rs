//! Demo volunteers: a user and a profile each, with skills, causes and weekly availability,
//! shaped like Southwark's real volunteers (more women, more 55–74s, fewer 18–24s).

use time::{Date, Duration, OffsetDateTime};

use super::content::{BIO_ADULT, BIO_CLOSING, BIO_INTEREST, BIO_OLDER, BIO_YOUNG, ROLE_TEMPLATES};
use super::pick::{DemoRng, between, chance, distinct_weighted, one, weighted, weighted_index};
use super::{
    AVAILABILITY, DEMO_VOLUNTEER_EMAIL, Gen, USERS, VOLUNTEER_CAUSE, VOLUNTEER_PROFILE,
    VOLUNTEER_SKILL, YOUNG_VOLUNTEER_EMAIL, date, flag, int, opt_date, opt_text, opt_ts, take,
    text, ts,
};
use crate::seed::names::{self, NamePool};
use crate::seed::reference::{postcode_districts, southwark_wards};
use crate::seed::vocab::{ACCESS_TAGS, AVAILABILITY_SLOTS, CAUSES, SKILLS};

/// A volunteer as generated, including what is never stored on the profile
/// (sex, ethnicity, disability) but shapes their equality answers.
pub(crate) struct Person {
    pub user_id: i32,
    pub volunteer_id: i32,
    pub age: i32,
    pub female: bool,
    pub ethnicity: &'static str,
    pub disabled: bool,
    pub ward: usize,
    pub travel_km: i32,
    pub remote_ok: bool,
    pub dbs_checked: bool,
    /// The causes they really care about (their hidden "true preference").
    pub causes: Vec<usize>,
    pub created: OffsetDateTime,
}

/// Age bands of people who volunteer: (from, to, weight). Compared with Southwark's
/// residents there are fewer 18–24s and many more 55–74s.
const AGE_BANDS: &[(i32, i32, f64)] = &[
    (14, 17, 4.0),
    (18, 24, 6.5),
    (25, 34, 17.0),
    (35, 44, 15.5),
    (45, 54, 15.0),
    (55, 64, 17.5),
    (65, 74, 16.5),
    (75, 85, 8.0),
];

/// How much each cause attracts volunteers of a given age.
fn cause_weight(slug: &str, age: i32) -> f64 {
    let base = match slug {
        "food-poverty" => 1.6,
        "older-people" | "mental-health" | "environment-and-conservation" => 1.3,
        "children-and-young-people" => 1.2,
        "education-and-literacy" => 1.1,
        "homelessness-and-housing" | "arts-and-culture" | "community-development" => 1.0,
        "health-and-social-care" | "sport-and-recreation" => 0.9,
        "refugees-and-asylum-seekers" => 0.8,
        "employment-and-skills" => 0.7,
        "disability"
        | "animal-welfare"
        | "digital-inclusion"
        | "advice-and-advocacy"
        | "crisis-support" => 0.6,
        "heritage" => 0.5,
        _ => 0.4,
    };
    let tilt = if age < 25 {
        match slug {
            "children-and-young-people" | "sport-and-recreation" => 1.5,
            "environment-and-conservation" | "animal-welfare" => 1.4,
            "employment-and-skills" => 1.6,
            "education-and-literacy" => 1.3,
            "older-people" => 0.6,
            "heritage" | "faith" => 0.4,
            _ => 1.0,
        }
    } else if age >= 60 {
        match slug {
            "older-people" => 1.8,
            "heritage" => 2.0,
            "faith" => 1.6,
            "arts-and-culture" => 1.2,
            "sport-and-recreation" => 0.6,
            "employment-and-skills" => 0.4,
            _ => 1.0,
        }
    } else {
        1.0
    };
    base * tilt
}

/// How common a skill is among volunteers.
fn skill_weight(slug: &str, age: i32) -> f64 {
    match slug {
        "listening" | "teamwork" => 3.0,
        "speaking" | "problem-solving" | "digital" => 2.0,
        "customer-service" => 1.8,
        "staying-positive" | "creativity" | "english" | "cooking" | "admin" => 1.5,
        "leadership" | "gardening" => 1.2,
        "driving" if age < 18 => 0.0,
        "driving" => 1.2,
        "aiming-high" | "maths" => 1.0,
        _ => 0.8,
    }
}

/// For each cause, the skills that roles for it ask for.
pub(super) fn skills_by_cause() -> Vec<Vec<usize>> {
    CAUSES
        .iter()
        .map(|c| {
            let mut skills: Vec<usize> = ROLE_TEMPLATES
                .iter()
                .filter(|t| t.causes.contains(&c.slug))
                .flat_map(|t| {
                    t.skills
                        .iter()
                        .map(|(s, _)| SKILLS.iter().position(|k| k.slug == *s).unwrap_or(0))
                })
                .collect();
            skills.sort_unstable();
            skills.dedup();
            skills
        })
        .collect()
}

/// Relative chance of being free in each of the 21 slots, by age.
fn slot_weight(slot: usize, age: i32) -> f64 {
    let (day, part) = (slot / 3, slot % 3);
    let weekday = day < 5;
    let w = match (weekday, day, part) {
        (true, _, 0) => 1.5,
        (true, _, 1) => 1.3,
        (true, _, _) => 2.6,
        (false, 5, 0) => 3.0,
        (false, 5, 1) => 2.5,
        (false, 6, 0) => 1.8,
        (false, 6, 1) => 2.2,
        _ => 0.8,
    };
    let tilt = match (age, weekday, part) {
        (a, true, 0 | 1) if a < 18 => 0.15, // at school
        (a, true, 0 | 1) if a >= 65 => 2.5, // retired
        (a, _, 2) if a >= 65 => 0.5,
        _ => 1.0,
    };
    w * tilt
}

/// Age in whole years on `today`.
pub(crate) fn age_on(dob: Date, today: Date) -> i32 {
    let mut age = today.year() - dob.year();
    if (today.month() as u8, today.day()) < (dob.month() as u8, dob.day()) {
        age -= 1;
    }
    age
}

impl Gen {
    /// The `i`-th volunteer (0-based); number 0 is the named 16-year-old demo account.
    pub(super) fn volunteer(&mut self, i: usize) -> Person {
        let young_demo = i == 0;
        let rng = &mut self.rng;
        let age = if young_demo {
            16
        } else {
            let band =
                AGE_BANDS[weighted_index(rng, &AGE_BANDS.iter().map(|b| b.2).collect::<Vec<_>>())];
            between(rng, band.0 as i64, band.1 as i64) as i32
        };
        let dob = birthday(rng, self.today, age);
        let age = age_on(dob, self.today);
        let female = young_demo
            || chance(
                rng,
                if age >= 60 {
                    0.70
                } else if age < 18 {
                    0.58
                } else {
                    0.60
                },
            );
        let ethnicity = self.census.ethnicity(rng);
        let pool: NamePool = *weighted(rng, names::origins_for(ethnicity));
        let (first, last) = if young_demo {
            ("Maya", "Thompson")
        } else {
            // Mixed-heritage people often have a first name from one side and a surname from the other.
            let first_pool = if ethnicity.starts_with("mixed_") && chance(rng, 0.5) {
                names::ENGLISH
            } else {
                pool
            };
            let first = if female {
                *one(rng, first_pool.female)
            } else {
                *one(rng, first_pool.male)
            };
            (first, *one(rng, pool.surnames))
        };
        let n = i + 1;
        let email = if young_demo {
            YOUNG_VOLUNTEER_EMAIL.to_string()
        } else if i == 1 {
            DEMO_VOLUNTEER_EMAIL.to_string()
        } else {
            format!(
                "{}.{}.{n}@example.org",
                names::email_part(first),
                names::email_part(last)
            )
        };
        let ward = if young_demo {
            southwark_wards()
                .iter()
                .position(|w| w.code == "E05011110")
                .unwrap_or(0)
        } else {
            self.ward_pick.sample(rng)
        };
        let districts = postcode_districts(southwark_wards()[ward].code);
        let district = if chance(rng, 0.75) || districts.len() == 1 {
            districts[0]
        } else {
            *one(rng, districts)
        };
        let travel_km = *weighted(
            rng,
            if age >= 70 {
                &[(1, 3.0), (2, 3.0), (3, 2.0), (5, 1.0)]
            } else {
                &[
                    (1, 0.5),
                    (2, 1.5),
                    (3, 2.0),
                    (5, 3.0),
                    (8, 1.5),
                    (10, 1.0),
                    (15, 0.5),
                ]
            },
        );
        let remote_ok = chance(
            rng,
            if age < 30 {
                0.45
            } else if age >= 65 {
                0.2
            } else {
                0.35
            },
        );

        let mut langs = vec!["en"];
        for (code, p) in pool.languages {
            if chance(rng, *p) && !langs.contains(code) {
                langs.push(code);
            }
        }
        let languages = langs.join(",");

        let disabled = chance(rng, 0.05 + 0.002 * (age - 14) as f64);
        let access_needs = if chance(rng, if disabled { 0.45 } else { 0.04 }) {
            let mut w = vec![3.0, 1.2, 2.0, 1.5, 0.4, 2.5];
            let k = between(rng, 1, 2) as usize;
            let mut tags = distinct_weighted(rng, &mut w, k);
            tags.sort_unstable();
            tags.iter()
                .map(|&t| ACCESS_TAGS[t].0)
                .collect::<Vec<_>>()
                .join(",")
        } else {
            String::new()
        };

        // Causes and skills: the volunteer's real interests, which their applications follow.
        let n_causes = 1 + weighted_index(rng, &[0.25, 0.35, 0.25, 0.15]);
        let mut cw: Vec<f64> = CAUSES.iter().map(|c| cause_weight(c.slug, age)).collect();
        if young_demo {
            cw[CAUSES
                .iter()
                .position(|c| c.slug == "children-and-young-people")
                .unwrap_or(0)] = 1e6;
        }
        let causes = distinct_weighted(rng, &mut cw, n_causes);
        let n_skills = 1 + weighted_index(rng, &[0.2, 0.3, 0.25, 0.15, 0.1]);
        let mut sw: Vec<f64> = SKILLS.iter().map(|s| skill_weight(s.slug, age)).collect();
        for &c in &causes {
            for &s in &self.skills_by_cause[c] {
                if sw[s] > 0.0 {
                    sw[s] += 1.0;
                }
            }
        }
        let skills = distinct_weighted(rng, &mut sw, n_skills);

        let k_slots = 2 + weighted_index(rng, &[1.0, 2.0, 3.0, 3.0, 2.5, 2.0, 1.2, 0.8, 0.5]);
        let mut slot_w: Vec<f64> = (0..AVAILABILITY_SLOTS.len())
            .map(|s| slot_weight(s, age))
            .collect();
        let mut slots = distinct_weighted(rng, &mut slot_w, k_slots);
        slots.sort_unstable();

        // Registered over the last three years, more of them recently; under-18s
        // since their last birthday, so they signed up at the age they are now.
        let max_days = if age < 18 {
            (self.today - last_birthday(dob, self.today)).whole_days()
        } else {
            1095
        };
        let days = (max_days as f64 * rand::Rng::random::<f64>(rng).powf(1.3)) as i64;
        let created = self.moment_on(self.today - Duration::days(days));
        let verified = (created + Duration::minutes(between(&mut self.rng, 2, 600))).min(self.now);
        let last_login = chance(&mut self.rng, 0.7).then(|| {
            let since = (self.now - created).whole_days();
            let ago = between(&mut self.rng, 0, since);
            self.moment_on(self.today - Duration::days(ago))
                .max(verified)
        });
        let wants_older_or_children = causes
            .iter()
            .any(|&c| matches!(CAUSES[c].slug, "older-people" | "children-and-young-people"));
        let dbs_checked = age >= 18
            && chance(
                &mut self.rng,
                if wants_older_or_children { 0.45 } else { 0.15 },
            );
        let dbs_on =
            dbs_checked.then(|| self.today - Duration::days(between(&mut self.rng, 30, 1000)));
        let guardian_email =
            (age < 18).then(|| format!("parent.{}.{n}@example.org", names::email_part(last)));
        let guardian_consent = (age < 16)
            .then(|| (created + Duration::hours(between(&mut self.rng, 1, 72))).min(self.now));
        let bio = self.bio(age, causes[0], ward);
        let open_to_suggestions = chance(&mut self.rng, 0.6);
        let phone = chance(&mut self.rng, 0.3)
            .then(|| format!("07700 900{:03}", between(&mut self.rng, 0, 999)));

        let user_id = take(&mut self.ids.user);
        self.sink.row(
            USERS,
            [
                int(user_id),
                text(email),
                opt_text(None),
                text(format!("{first} {last}")),
                opt_text(phone),
                opt_ts(Some(verified)),
                flag(false),
                text("active"),
                ts(created),
                ts(verified),
                opt_ts(last_login),
            ],
        );
        let volunteer_id = take(&mut self.ids.volunteer);
        self.sink.row(
            VOLUNTEER_PROFILE,
            [
                int(volunteer_id),
                int(user_id),
                date(dob),
                super::opt_int(Some(self.ward_id(ward))),
                opt_text(Some(district.to_string())),
                int(travel_km),
                flag(remote_ok),
                text(languages),
                text(access_needs),
                text(bio),
                flag(open_to_suggestions),
                opt_date(dbs_on),
                opt_text(guardian_email),
                opt_ts(guardian_consent),
                ts(created),
                ts(verified),
            ],
        );
        for &s in &skills {
            let level = skill_level(&mut self.rng, SKILLS[s].group, age);
            self.sink.row(
                VOLUNTEER_SKILL,
                [
                    int(volunteer_id),
                    int(self.refs.skill_ids[s]),
                    int(level),
                    super::opt_int(None),
                    opt_ts(None),
                ],
            );
        }
        for &c in &causes {
            self.sink.row(
                VOLUNTEER_CAUSE,
                [int(volunteer_id), int(self.refs.cause_ids[c])],
            );
        }
        for &s in &slots {
            self.sink.row(
                AVAILABILITY,
                [int(volunteer_id), text(AVAILABILITY_SLOTS[s])],
            );
        }
        Person {
            user_id,
            volunteer_id,
            age,
            female,
            ethnicity,
            disabled,
            ward,
            travel_km,
            remote_ok,
            dbs_checked,
            causes,
            created,
        }
    }

    fn bio(&mut self, age: i32, cause: usize, ward: usize) -> String {
        let rng = &mut self.rng;
        let who = match age {
            a if a < 18 => *one(rng, BIO_YOUNG),
            a if a >= 62 => *one(rng, BIO_OLDER),
            _ => *one(rng, BIO_ADULT),
        };
        let cause_name = CAUSES[cause].name.to_lowercase();
        let mut cause_cap = CAUSES[cause].name.to_string();
        if let Some(first) = cause_cap.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        let interest = one(rng, BIO_INTEREST)
            .replace("{Cause}", &cause_cap)
            .replace("{cause}", &cause_name);
        let closing = *one(rng, BIO_CLOSING);
        let who = who
            .replace("{ward}", southwark_wards()[ward].name)
            .replace("{cause}", &cause_name);
        let mut bio = format!("{who} {interest}");
        if !closing.is_empty() {
            bio.push(' ');
            bio.push_str(closing);
        }
        bio
    }
}

/// The most recent birthday on or before `today` (28 February for 29 February birthdays in other years).
fn last_birthday(dob: Date, today: Date) -> Date {
    let this_year = dob
        .replace_year(today.year())
        .or_else(|_| Date::from_calendar_date(today.year(), dob.month(), 28))
        .unwrap_or(today);
    if this_year <= today {
        this_year
    } else {
        dob.replace_year(today.year() - 1)
            .or_else(|_| Date::from_calendar_date(today.year() - 1, dob.month(), 28))
            .unwrap_or(today)
    }
}

/// A date of birth giving exactly `age` on `today`.
fn birthday(rng: &mut DemoRng, today: Date, age: i32) -> Date {
    let since_birthday = between(rng, 0, 364);
    let last_birthday = today - Duration::days(since_birthday);
    let year = last_birthday.year() - age;
    last_birthday
        .replace_year(year)
        .or_else(|_| Date::from_calendar_date(year, last_birthday.month(), 28))
        .unwrap_or(last_birthday)
}

/// A self-rated or assessed level: Skills Builder steps 0–15, Functional Skills 1–5.
fn skill_level(rng: &mut DemoRng, group: &str, age: i32) -> i32 {
    match group {
        "functional" => between(rng, if age < 18 { 1 } else { 2 }, 5) as i32,
        "essential" if age < 18 => between(rng, 1, 7) as i32,
        "essential" => between(rng, 3, 13) as i32,
        _ => between(rng, 1, 12) as i32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use time::macros::date;

    #[test]
    fn birthdays_give_the_exact_age() {
        let mut rng = DemoRng::seed_from_u64(3);
        for today in [
            date!(2026 - 01 - 15),
            date!(2028 - 02 - 29),
            date!(2026 - 12 - 31),
        ] {
            for age in [14, 15, 16, 17, 18, 40, 85] {
                for _ in 0..200 {
                    assert_eq!(age_on(birthday(&mut rng, today, age), today), age);
                }
            }
        }
    }

    #[test]
    fn weekend_and_evening_slots_are_the_popular_ones() {
        assert!(slot_weight(15, 40) > slot_weight(0, 40)); // Saturday morning > Monday morning
        assert!(slot_weight(2, 40) > slot_weight(1, 40)); // Monday evening > Monday afternoon
        assert!(slot_weight(0, 15) < 0.5); // school-age volunteers are not free on weekday mornings
    }
}
