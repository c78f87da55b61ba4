//! Matching volunteers and roles: hard eligibility, then an explainable score.
//! Pure logic of the volunteering world: no I/O, no framework types.
//!
//! Everything comes in as plain facts the caller builds from the database
//! ([`VolunteerFacts`], [`RoleFacts`]). Equality-monitoring answers have no field
//! here on purpose: they must never influence who is shown what (a test holds
//! both field lists to that).
//!
//! Decisions worth knowing:
//! - **DBS** — a role that requires a DBS check excludes volunteers without one
//!   ([`Exclusion::NeedsDbsCheck`]), so rankings are safe by default. It is the
//!   only *waivable* exclusion ([`Exclusion::is_waivable`]): an organisation can
//!   arrange a check, so a page that wants to show such volunteers labelled
//!   "needs a DBS check" can rank with a copy of the role whose `dbs_required` is
//!   false and label each result with [`eligibility`] against the real role.
//! - **Remote** — `remote_ok` means "happy to volunteer remotely", not "only
//!   remotely": it never excludes an in-person role, and a fully remote role
//!   excludes a volunteer who has not said remote is fine. Hybrid roles have
//!   in-person sessions, so they are held to the travel distance like in-person
//!   roles.
//! - **Unknown ward** — if either side's ward is unknown nobody is excluded for
//!   distance and the distance part is neutral (0.5).
//! - **Synonyms** — causes are compared as canonical cause slugs. The caller
//!   resolves synonyms (e.g. "food bank" → `food-poverty`, via the cause
//!   vocabulary) before building the facts, so a volunteer's interests and a
//!   role's causes meet on slugs only.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Database id of a volunteer profile.
pub type VolunteerId = i32;
/// Database id of a role.
pub type RoleId = i32;

/// Bits of an availability mask that mean something: the 21 weekly slots.
pub const ALL_SLOTS: u32 = (1 << 21) - 1;

/// Mean Earth radius (IUGG), in km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Adults, for the under-18 rules.
const ADULT_AGE: i32 = 18;

/// A point given by a ward centroid, in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub const fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }
}

/// Great-circle distance in km between two points (haversine formula).
pub fn haversine_km(a: LatLon, b: LatLon) -> f64 {
    Point::new(a).km_to(Point::new(b))
}

/// A point in radians with its cosine of latitude worked out, so a ranking
/// pays for the fixed side's trigonometry once rather than once per pair.
#[derive(Debug, Clone, Copy)]
struct Point {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Point {
    fn new(p: LatLon) -> Self {
        let lat = p.lat.to_radians();
        Self {
            lat,
            lon: p.lon.to_radians(),
            cos_lat: lat.cos(),
        }
    }

    fn km_to(self, b: Point) -> f64 {
        let h = ((b.lat - self.lat) / 2.0).sin().powi(2)
            + self.cos_lat * b.cos_lat * ((b.lon - self.lon) / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

/// Distances already worked out in one ranking, by the end that varies: volunteers
/// and roles sit at a few dozen ward centroids, so most pairs repeat one and the
/// trigonometry is paid once per place, not once per pair (same bits either way).
#[derive(Default)]
struct Distances {
    seen: Vec<((u64, u64), f64)>,
}

impl Distances {
    /// Places remembered; past this (places not at ward centroids) each is worked out.
    const MAX: usize = 128;

    fn km(&mut self, varying: LatLon, work_out: impl FnOnce() -> f64) -> f64 {
        let key = (varying.lat.to_bits(), varying.lon.to_bits());
        if let Some((_, km)) = self.seen.iter().find(|(k, _)| *k == key) {
            return *km;
        }
        let km = work_out();
        if self.seen.len() < Self::MAX {
            self.seen.push((key, km));
        }
        km
    }
}

/// Distance from the volunteer's ward to the role's place, when both are known.
/// Always measured volunteer → role, so every caller gets the same bits.
fn pair_km(home: Option<Point>, place: Option<Point>) -> Option<f64> {
    Some(home?.km_to(place?))
}

fn home_of(v: &VolunteerFacts) -> Option<Point> {
    v.ward_centroid.map(Point::new)
}

fn place_of(r: &RoleFacts) -> Option<Point> {
    r.location.place().map(Point::new)
}

/// What matching knows about a volunteer. Built by the caller from the profile,
/// skills, causes, availability and pathway progress — never from equality
/// monitoring.
#[derive(Debug, Clone, PartialEq)]
pub struct VolunteerFacts {
    pub id: VolunteerId,
    /// Whole years, from the date of birth; used only for the legal and
    /// safeguarding age rules, never for scoring.
    pub age_years: i32,
    /// Centroid of the volunteer's ward, if they gave one.
    pub ward_centroid: Option<LatLon>,
    /// How far they will travel, in km.
    pub travel_km: f64,
    /// Happy to volunteer remotely (not "only remotely").
    pub remote_ok: bool,
    pub dbs_checked: bool,
    /// A parent or guardian's consent is recorded (matters under 18 only).
    pub guardian_consent: bool,
    /// ISO 639-1 codes; empty means English.
    pub languages: Vec<String>,
    /// Access tags (`step_free`, `hearing_loop`, …) the role must provide.
    pub access_needs: Vec<String>,
    /// Skill slug and level (0–15; Functional Skills 1–5).
    pub skills: Vec<(String, i32)>,
    /// Canonical cause slugs, synonyms already resolved by the caller.
    pub causes: Vec<String>,
    /// 21-bit mask: bit i is slot i, Monday morning (0) .. Sunday evening (20).
    /// 0 means the volunteer has not said.
    pub availability: u32,
    /// Tags of the pathway stage(s) the volunteer is working towards next.
    pub pathway_stage_tags: Vec<String>,
    /// How often the volunteer has been suggested to organisations lately.
    pub recent_suggestions: u32,
}

impl VolunteerFacts {
    /// Every field, kept in sync by an exhaustive destructuring in the tests.
    pub const FIELD_NAMES: &[&str] = &[
        "id",
        "age_years",
        "ward_centroid",
        "travel_km",
        "remote_ok",
        "dbs_checked",
        "guardian_consent",
        "languages",
        "access_needs",
        "skills",
        "causes",
        "availability",
        "pathway_stage_tags",
        "recent_suggestions",
    ];
}

/// Where a role happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RoleLocation {
    /// At a place; the centroid of its ward if the role has one.
    InPerson(Option<LatLon>),
    Remote,
    /// Some sessions in person (held to travel distance), some remote.
    Hybrid(Option<LatLon>),
}

impl RoleLocation {
    fn place(self) -> Option<LatLon> {
        match self {
            Self::InPerson(p) | Self::Hybrid(p) => p,
            Self::Remote => None,
        }
    }
}

/// What matching knows about a role.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleFacts {
    pub id: RoleId,
    /// Status is `open` (and published).
    pub open: bool,
    pub places_left: i32,
    pub places: i32,
    pub min_age: i32,
    pub youth_friendly: bool,
    pub dbs_required: bool,
    pub location: RoleLocation,
    /// ISO 639-1 codes the role can be done in; empty means English.
    pub languages: Vec<String>,
    /// Access tags the role provides.
    pub access_provisions: Vec<String>,
    /// Skill slug and minimum level wanted.
    pub skills_wanted: Vec<(String, i32)>,
    /// Canonical cause slugs.
    pub causes: Vec<String>,
    /// Mask of the slots the role's sessions fall in; 0 = flexible.
    pub session_slots: u32,
    /// Pathway stage tags this role counts toward.
    pub pathway_stage_tags: Vec<String>,
    /// Whole days until it closes (0 = today), if it has a closing date.
    pub days_to_close: Option<i64>,
}

impl RoleFacts {
    /// Every field, kept in sync by an exhaustive destructuring in the tests.
    pub const FIELD_NAMES: &[&str] = &[
        "id",
        "open",
        "places_left",
        "places",
        "min_age",
        "youth_friendly",
        "dbs_required",
        "location",
        "languages",
        "access_provisions",
        "skills_wanted",
        "causes",
        "session_slots",
        "pathway_stage_tags",
        "days_to_close",
    ];
}

/// Why a volunteer cannot be matched with a role.
#[derive(Debug, Clone, PartialEq)]
pub enum Exclusion {
    RoleNotOpen,
    NoPlacesLeft,
    UnderMinimumAge {
        min_age: i32,
    },
    UnderEighteenNotYouthFriendly,
    NoGuardianConsent,
    /// Waivable: the organisation can arrange a check.
    NeedsDbsCheck,
    TooFar {
        km: f64,
        travel_km: f64,
    },
    RemoteNotWanted,
    /// The access tags the role cannot provide.
    AccessNeedsNotMet(Vec<String>),
    NoSharedLanguage,
}

impl Exclusion {
    /// The reason in plain English, fit for either side to read.
    pub fn reason(&self) -> String {
        match self {
            Self::RoleNotOpen => "the role is not open".into(),
            Self::NoPlacesLeft => "the role has no places left".into(),
            Self::UnderMinimumAge { min_age } => {
                format!("under the minimum age of {min_age} for this role")
            }
            Self::UnderEighteenNotYouthFriendly => {
                "the role is not set up for volunteers under 18".into()
            }
            Self::NoGuardianConsent => {
                "under 18 and no parent or guardian consent recorded yet".into()
            }
            Self::NeedsDbsCheck => "needs a DBS check".into(),
            Self::TooFar { km, travel_km } => {
                format!(
                    "{} away, further than the {} they would travel",
                    km_words(*km),
                    km_words(*travel_km)
                )
            }
            Self::RemoteNotWanted => {
                "the role is done remotely and remote volunteering was not chosen".into()
            }
            Self::AccessNeedsNotMet(tags) => {
                let words: Vec<&str> = tags.iter().map(|t| access_words(t)).collect();
                format!("the role cannot offer {}", and_list(&words))
            }
            Self::NoSharedLanguage => "no language in common".into(),
        }
    }

    /// True for an exclusion a caller may choose to show anyway with its reason
    /// (only the DBS check, which an organisation can arrange).
    pub fn is_waivable(&self) -> bool {
        matches!(self, Self::NeedsDbsCheck)
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason())
    }
}

/// Every hard reason this volunteer cannot take this role, not just the first.
pub fn eligibility(v: &VolunteerFacts, r: &RoleFacts) -> Result<(), Vec<Exclusion>> {
    let mut found = Vec::new();
    check(v, r, || pair_km(home_of(v), place_of(r)), Some(&mut found));
    if found.is_empty() { Ok(()) } else { Err(found) }
}

/// Runs the hard checks in order. With somewhere to put them it records every
/// exclusion; without, it stops at the first and allocates nothing (all a
/// ranking needs). Returns `None` if excluded, else the distance for scoring
/// (worked out only once the cheaper checks have passed).
fn check(
    v: &VolunteerFacts,
    r: &RoleFacts,
    km: impl FnOnce() -> Option<f64>,
    mut found: Option<&mut Vec<Exclusion>>,
) -> Option<Option<f64>> {
    let mut eligible = true;
    macro_rules! exclude {
        ($e:expr) => {{
            eligible = false;
            match found.as_deref_mut() {
                Some(found) => found.push($e),
                None => return None,
            }
        }};
    }
    if !r.open {
        exclude!(Exclusion::RoleNotOpen);
    }
    if r.places_left <= 0 {
        exclude!(Exclusion::NoPlacesLeft);
    }
    if v.age_years < r.min_age {
        exclude!(Exclusion::UnderMinimumAge { min_age: r.min_age });
    }
    if v.age_years < ADULT_AGE {
        if !r.youth_friendly {
            exclude!(Exclusion::UnderEighteenNotYouthFriendly);
        }
        if !v.guardian_consent {
            exclude!(Exclusion::NoGuardianConsent);
        }
    }
    if r.dbs_required && !v.dbs_checked {
        exclude!(Exclusion::NeedsDbsCheck);
    }
    let km = km();
    match (r.location, km) {
        (RoleLocation::Remote, _) if !v.remote_ok => exclude!(Exclusion::RemoteNotWanted),
        // In person or hybrid: there are sessions to travel to.
        (RoleLocation::InPerson(_) | RoleLocation::Hybrid(_), Some(km)) if km > v.travel_km => {
            exclude!(Exclusion::TooFar {
                km,
                travel_km: v.travel_km
            })
        }
        _ => {}
    }
    let unmet = |need: &&String| !r.access_provisions.contains(need);
    if v.access_needs.iter().any(|n| unmet(&n)) {
        exclude!(Exclusion::AccessNeedsNotMet(
            v.access_needs.iter().filter(unmet).cloned().collect()
        ));
    }
    if !shares_language(&v.languages, &r.languages) {
        exclude!(Exclusion::NoSharedLanguage);
    }
    eligible.then_some(km)
}

/// Languages are ISO 639-1 codes compared without case; an empty list means English.
fn shares_language(volunteer: &[String], role: &[String]) -> bool {
    let speaks = |code: &str| {
        if volunteer.is_empty() {
            code.eq_ignore_ascii_case("en")
        } else {
            volunteer.iter().any(|x| x.eq_ignore_ascii_case(code))
        }
    };
    if role.is_empty() {
        speaks("en")
    } else {
        role.iter().any(|y| speaks(y))
    }
}

/// One weighted part of the score; each is worth 0 to 1 before weighting.
/// Declaration order is the order of [`Part::ALL`] and of [`Match::parts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Mean credit over the skills the role wants: 1 for each held at or above
    /// the level wanted, 0.25–0.75 for one held below it, 0 if not held. 0.5
    /// (neutral) for a role that wants no particular skills.
    Skills,
    /// Shared causes over the shorter of the two lists; 0.5 if either is empty.
    Causes,
    /// Share of the role's session slots the volunteer is free in; 1 for a
    /// flexible role, 0.5 if the volunteer has not said when they are free.
    Availability,
    /// exp(−km / 4): 1 in the same ward, 0.78 at 1 km, 0.29 at 5 km; 0.8 for
    /// a remote role (and at least that for a hybrid one if happy remotely);
    /// 0.5 if either ward is unknown.
    Distance,
    /// 1 if the role counts toward the volunteer's next pathway stage, else 0.
    Pathway,
    /// Half closing soon (1 today down to 1/8 in a week, 0 after or with no
    /// closing date), half the share of places still unfilled.
    Urgency,
    /// 1 / (1 + suggestions lately / 4): 1 for someone not suggested lately.
    Fairness,
}

impl Part {
    pub const ALL: [Part; 7] = [
        Part::Skills,
        Part::Causes,
        Part::Availability,
        Part::Distance,
        Part::Pathway,
        Part::Urgency,
        Part::Fairness,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Skills => "skills",
            Self::Causes => "causes",
            Self::Availability => "availability",
            Self::Distance => "distance",
            Self::Pathway => "pathway",
            Self::Urgency => "urgency",
            Self::Fairness => "fairness",
        }
    }
}

/// Relative weights of the parts, read from configuration (`[matching.weights]`
/// later). Weights are relative: the score divides by their sum, so they need
/// not add up to 1; negative or non-finite weights count as 0. Missing keys take
/// the defaults, which add up to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// 0.25: what the role needs doing is the best single predictor of a good
    /// placement, and it is what organisations look at first.
    pub skills: f64,
    /// 0.20: caring about the cause is what keeps volunteers coming back.
    pub causes: f64,
    /// 0.15: a role whose sessions never fit the volunteer's week goes nowhere.
    pub availability: f64,
    /// 0.15: short journeys matter in a borough where most people walk or bus;
    /// the travel limit itself is a hard filter, this only prefers closer.
    pub distance: f64,
    /// 0.10: lifts roles that move a young volunteer on to their next stage;
    /// the part is 0 for anyone not on a pathway, so it stays below the parts
    /// that apply to everyone.
    pub pathway: f64,
    /// 0.10: nudges roles closing soon or with many places unfilled.
    pub urgency: f64,
    /// 0.05: a small lift for volunteers rarely suggested lately, enough to
    /// separate near-ties without overriding a better fit.
    pub fairness: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            skills: 0.25,
            causes: 0.20,
            availability: 0.15,
            distance: 0.15,
            pathway: 0.10,
            urgency: 0.10,
            fairness: 0.05,
        }
    }
}

impl Weights {
    pub fn get(&self, part: Part) -> f64 {
        let w = match part {
            Part::Skills => self.skills,
            Part::Causes => self.causes,
            Part::Availability => self.availability,
            Part::Distance => self.distance,
            Part::Pathway => self.pathway,
            Part::Urgency => self.urgency,
            Part::Fairness => self.fairness,
        };
        // A weight of 1e9 already dominates; capping keeps the sum finite.
        if w.is_finite() && w > 0.0 {
            w.min(1e9)
        } else {
            0.0
        }
    }
}

/// A scored pair: the score in [0, 1], each part's value in [0, 1] (before
/// weighting) and up to three reasons in plain words, strongest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub score: f64,
    pub parts: Vec<(Part, f64)>,
    pub reasons: Vec<String>,
}

impl Match {
    pub fn part(&self, part: Part) -> f64 {
        self.parts
            .iter()
            .find(|(p, _)| *p == part)
            .map_or(0.0, |(_, x)| *x)
    }
}

/// Neutral value for a part where one side has said nothing.
const NEUTRAL: f64 = 0.5;
/// Distance part for a remote role (or a hybrid one, for a volunteer happy
/// remotely): no journey, but not better than just round the corner.
const REMOTE_DISTANCE: f64 = 0.8;
/// Distance at which the distance part has fallen to 1/e (about 0.37).
const DISTANCE_SCALE_KM: f64 = 4.0;
/// "Closing soon" looks this many days ahead.
const URGENT_DAYS: i64 = 7;

/// The part values, in [`Part::ALL`] order, and the distance if known.
struct Parts {
    values: [f64; 7],
    km: Option<f64>,
}

fn parts(v: &VolunteerFacts, r: &RoleFacts, km: Option<f64>) -> Parts {
    let values = [
        skills_part(v, r),
        causes_part(v, r),
        availability_part(v, r),
        distance_part(v, r, km),
        pathway_part(v, r),
        urgency_part(r),
        fairness_part(v),
    ];
    Parts {
        values: values.map(|x| {
            if x.is_finite() {
                x.clamp(0.0, 1.0)
            } else {
                0.0
            }
        }),
        km,
    }
}

fn weighted(values: &[f64; 7], w: &Weights) -> f64 {
    let mut total = 0.0;
    let mut sum = 0.0;
    for (part, x) in Part::ALL.iter().zip(values) {
        let wi = w.get(*part);
        total += wi;
        sum += wi * x;
    }
    if total > 0.0 {
        (sum / total).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The volunteer's level in a skill (the highest, if listed twice).
fn held_level(v: &VolunteerFacts, slug: &str) -> Option<i32> {
    v.skills
        .iter()
        .filter(|(s, _)| s == slug)
        .map(|(_, level)| *level)
        .max()
}

/// Credit for one wanted skill: 1 at or above the wanted level; below it,
/// between 0.25 and 0.75 by how close (having started counts for something,
/// but never as much as being there); 0 if not held.
fn skill_credit(held: Option<i32>, wanted: i32) -> f64 {
    match held {
        None => 0.0,
        Some(h) if h >= wanted => 1.0,
        Some(h) => 0.25 + 0.5 * (h.max(0) as f64) / (wanted.max(1) as f64),
    }
}

fn skills_part(v: &VolunteerFacts, r: &RoleFacts) -> f64 {
    if r.skills_wanted.is_empty() {
        return NEUTRAL;
    }
    let credit: f64 = r
        .skills_wanted
        .iter()
        .map(|(slug, wanted)| skill_credit(held_level(v, slug), *wanted))
        .sum();
    credit / r.skills_wanted.len() as f64
}

/// Shared causes over the shorter list: one shared cause is a full match for a
/// volunteer who named one cause, or a role with one cause.
fn causes_part(v: &VolunteerFacts, r: &RoleFacts) -> f64 {
    if v.causes.is_empty() || r.causes.is_empty() {
        return NEUTRAL;
    }
    let shared = r.causes.iter().filter(|c| v.causes.contains(c)).count();
    shared as f64 / v.causes.len().min(r.causes.len()) as f64
}

fn availability_part(v: &VolunteerFacts, r: &RoleFacts) -> f64 {
    let role = r.session_slots & ALL_SLOTS;
    let free = v.availability & ALL_SLOTS;
    if role == 0 {
        1.0
    } else if free == 0 {
        NEUTRAL
    } else {
        (free & role).count_ones() as f64 / role.count_ones() as f64
    }
}

fn distance_part(v: &VolunteerFacts, r: &RoleFacts, km: Option<f64>) -> f64 {
    let near = km.map_or(NEUTRAL, |d| (-d / DISTANCE_SCALE_KM).exp());
    match r.location {
        RoleLocation::Remote => REMOTE_DISTANCE,
        RoleLocation::Hybrid(_) if v.remote_ok => near.max(REMOTE_DISTANCE),
        _ => near,
    }
}

fn pathway_part(v: &VolunteerFacts, r: &RoleFacts) -> f64 {
    let counts = v
        .pathway_stage_tags
        .iter()
        .any(|t| r.pathway_stage_tags.contains(t));
    if counts { 1.0 } else { 0.0 }
}

/// Half closing soon (1 today, falling to 1/8 at a week), half share of places unfilled.
fn urgency_part(r: &RoleFacts) -> f64 {
    let closing = match r.days_to_close {
        Some(d) if (0..=URGENT_DAYS).contains(&d) => {
            (URGENT_DAYS + 1 - d) as f64 / (URGENT_DAYS + 1) as f64
        }
        _ => 0.0,
    };
    let unfilled = if r.places > 0 {
        (r.places_left.max(0) as f64 / r.places as f64).min(1.0)
    } else {
        0.0
    };
    0.5 * closing + 0.5 * unfilled
}

/// 1 for someone not suggested lately, halving by four suggestions.
fn fairness_part(v: &VolunteerFacts) -> f64 {
    1.0 / (1.0 + v.recent_suggestions as f64 / 4.0)
}

/// Scores a pair (eligibility is the caller's business; see [`eligibility`]).
pub fn score(v: &VolunteerFacts, r: &RoleFacts, w: &Weights) -> Match {
    let p = parts(v, r, pair_km(home_of(v), place_of(r)));
    explain(v, r, w, &p)
}

fn explain(v: &VolunteerFacts, r: &RoleFacts, w: &Weights, p: &Parts) -> Match {
    let mut candidates: Vec<(f64, Part, String)> = Vec::new();
    for (i, part) in Part::ALL.iter().enumerate() {
        let value = p.values[i];
        if value <= 0.0 {
            continue;
        }
        if let Some(reason) = reason_for(*part, v, r, p.km) {
            candidates.push((w.get(*part) * value, *part, reason));
        }
    }
    // Strongest contribution first; equal ones in part order, so it is stable.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Match {
        score: weighted(&p.values, w),
        parts: Part::ALL.iter().copied().zip(p.values).collect(),
        reasons: candidates.into_iter().take(3).map(|c| c.2).collect(),
    }
}

fn reason_for(part: Part, v: &VolunteerFacts, r: &RoleFacts, km: Option<f64>) -> Option<String> {
    match part {
        Part::Skills => skills_reason(v, r),
        Part::Causes => {
            let shared: Vec<String> = r
                .causes
                .iter()
                .filter(|c| v.causes.contains(c))
                .take(2)
                .map(|c| slug_words(c))
                .collect();
            (!shared.is_empty()).then(|| format!("cares about {}", shared.join(" and ")))
        }
        Part::Availability => {
            let role = r.session_slots & ALL_SLOTS;
            if role == 0 {
                return Some("sessions at flexible times".into());
            }
            let both = v.availability & role;
            (both != 0).then(|| format!("free on {}", slot_words(both.trailing_zeros())))
        }
        Part::Distance => match (r.location, km) {
            (RoleLocation::Remote, _) => Some("can be done from home".into()),
            (_, Some(d)) if d < 0.05 => Some("in the same ward".into()),
            (_, Some(d)) => Some(format!("{} away", km_words(d))),
            (RoleLocation::Hybrid(_), None) if v.remote_ok => {
                Some("can be done partly from home".into())
            }
            _ => None,
        },
        Part::Pathway => Some("counts toward your next pathway stage".into()),
        Part::Urgency => urgency_reason(r),
        // Never explained: being suggested less is not a quality of the match.
        Part::Fairness => None,
    }
}

fn skills_reason(v: &VolunteerFacts, r: &RoleFacts) -> Option<String> {
    let n = r.skills_wanted.len();
    let mut full = 0;
    let mut first_full = None;
    let mut first_partial = None;
    for (slug, wanted) in &r.skills_wanted {
        match held_level(v, slug) {
            Some(h) if h >= *wanted => {
                full += 1;
                first_full.get_or_insert(slug);
            }
            Some(_) => {
                first_partial.get_or_insert(slug);
            }
            None => {}
        }
    }
    match (full, first_full, first_partial) {
        (1, Some(slug), _) if n == 1 => {
            Some(format!("has the {} skill it asks for", slug_words(slug)))
        }
        (f, _, _) if f == n && n > 1 => Some(format!("all {n} skills it asks for")),
        (f, _, _) if f > 0 => Some(format!("{f} of {n} skills")),
        (_, _, Some(slug)) => Some(format!("some experience in {}", slug_words(slug))),
        _ => None,
    }
}

fn urgency_reason(r: &RoleFacts) -> Option<String> {
    match r.days_to_close {
        Some(0) => return Some("closes today".into()),
        Some(1) => return Some("closes tomorrow".into()),
        Some(d) if (2..=URGENT_DAYS).contains(&d) => return Some(format!("closes in {d} days")),
        _ => {}
    }
    // Widened so a silly `places` from a form cannot overflow.
    (r.places_left > 1 && 2 * i64::from(r.places_left) >= i64::from(r.places))
        .then(|| format!("{} places still to fill", r.places_left))
}

/// "food-poverty" → "food poverty": vocabulary slugs are the names in lower case.
fn slug_words(slug: &str) -> String {
    slug.replace('-', " ")
}

/// "Saturday mornings" for slot 15.
fn slot_words(slot: u32) -> String {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const TIMES: [&str; 3] = ["mornings", "afternoons", "evenings"];
    let slot = slot.min(20) as usize;
    format!("{} {}", DAYS[slot / 3], TIMES[slot % 3])
}

fn km_words(km: f64) -> String {
    if km < 10.0 {
        format!("{km:.1} km")
    } else {
        format!("{km:.0} km")
    }
}

/// Mid-sentence words for the access tags (`seed::vocab::ACCESS_TAGS`).
fn access_words(tag: &str) -> &str {
    match tag {
        "step_free" => "step-free access",
        "hearing_loop" => "a hearing loop",
        "quiet_space" => "a quiet space",
        "large_print" => "large print",
        "bsl" => "British Sign Language",
        "seated" => "seated work",
        other => other,
    }
}

fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// A candidate in a ranking: better compares greater.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: f64,
    fairness: f64,
    id: i32,
    index: usize,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(self.fairness.total_cmp(&other.fairness))
            // Lower id wins the final tie.
            .then(other.id.cmp(&self.id))
            .then(other.index.cmp(&self.index))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Keeps the best `limit` candidates in a min-heap: O(n log limit).
struct TopK {
    limit: usize,
    heap: BinaryHeap<Reverse<Ranked>>,
}

impl TopK {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            heap: BinaryHeap::with_capacity(limit.saturating_add(1).min(4096)),
        }
    }

    fn offer(&mut self, c: Ranked) {
        if self.limit == 0 {
            return;
        }
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(c));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && c > worst.0
        {
            *worst = Reverse(c);
        }
    }

    /// Best first.
    fn into_sorted(self) -> Vec<Ranked> {
        let mut v: Vec<Ranked> = self.heap.into_iter().map(|r| r.0).collect();
        v.sort_by(|a, b| b.cmp(a));
        v
    }
}

/// Checks and scores one pair for a ranking; `None` if ineligible.
fn rank_pair(
    v: &VolunteerFacts,
    r: &RoleFacts,
    km: impl FnOnce() -> Option<f64>,
    w: &Weights,
    id: i32,
    index: usize,
) -> Option<Ranked> {
    let km = check(v, r, km, None)?;
    let p = parts(v, r, km);
    Some(Ranked {
        score: weighted(&p.values, w),
        fairness: p.values[Part::Fairness as usize],
        id,
        index,
    })
}

/// The best `limit` eligible roles for a volunteer, best first; ties go to the
/// lower role id.
pub fn rank_roles_for(
    volunteer: &VolunteerFacts,
    roles: &[RoleFacts],
    weights: &Weights,
    limit: usize,
) -> Vec<(RoleId, Match)> {
    let home = home_of(volunteer);
    let mut top = TopK::new(limit);
    let mut seen = Distances::default();
    for (index, role) in roles.iter().enumerate() {
        let km = || {
            let (home, place) = (home?, role.location.place()?);
            Some(seen.km(place, || home.km_to(Point::new(place))))
        };
        if let Some(c) = rank_pair(volunteer, role, km, weights, role.id, index) {
            top.offer(c);
        }
    }
    top.into_sorted()
        .into_iter()
        .map(|c| {
            let role = &roles[c.index];
            (role.id, score(volunteer, role, weights))
        })
        .collect()
}

/// The best `limit` eligible volunteers for a role, best first; ties go to the
/// volunteer suggested less lately, then to the lower volunteer id.
pub fn rank_volunteers_for(
    role: &RoleFacts,
    volunteers: &[VolunteerFacts],
    weights: &Weights,
    limit: usize,
) -> Vec<(VolunteerId, Match)> {
    let place = place_of(role);
    let mut top = TopK::new(limit);
    let mut seen = Distances::default();
    for (index, volunteer) in volunteers.iter().enumerate() {
        let km = || {
            let (home, place) = (volunteer.ward_centroid?, place?);
            Some(seen.km(home, || Point::new(home).km_to(place)))
        };
        if let Some(c) = rank_pair(volunteer, role, km, weights, volunteer.id, index) {
            top.offer(c);
        }
    }
    top.into_sorted()
        .into_iter()
        .map(|c| {
            let volunteer = &volunteers[c.index];
            (volunteer.id, score(volunteer, role, weights))
        })
        .collect()
}

/// The ODI Volunteering Data Standard's slot names, in bit order of the masks.
pub const SLOT_NAMES: [&str; 21] = [
    "MondayMorning",
    "MondayAfternoon",
    "MondayEvening",
    "TuesdayMorning",
    "TuesdayAfternoon",
    "TuesdayEvening",
    "WednesdayMorning",
    "WednesdayAfternoon",
    "WednesdayEvening",
    "ThursdayMorning",
    "ThursdayAfternoon",
    "ThursdayEvening",
    "FridayMorning",
    "FridayAfternoon",
    "FridayEvening",
    "SaturdayMorning",
    "SaturdayAfternoon",
    "SaturdayEvening",
    "SundayMorning",
    "SundayAfternoon",
    "SundayEvening",
];

/// The mask of a volunteer's availability from its ODI slot names (unknown names
/// are ignored: the database CHECK keeps them out anyway).
pub fn availability_mask<'a>(slots: impl IntoIterator<Item = &'a str>) -> u32 {
    slots
        .into_iter()
        .filter_map(|name| SLOT_NAMES.iter().position(|s| *s == name))
        .fold(0, |mask, i| mask | 1 << i)
}

/// The slot a session starting at this local (London) time falls in: mornings
/// before noon, afternoons before 5 pm, evenings after. `days_from_monday` is 0–6.
pub fn session_slot(days_from_monday: u8, hour: u8) -> u32 {
    let part = match hour {
        0..=11 => 0,
        12..=16 => 1,
        _ => 2,
    };
    1 << (u32::from(days_from_monday.min(6)) * 3 + part)
}

/// Gini coefficient of non-negative counts: 0 when everyone has the same, towards
/// 1 when a few have everything. Used to measure how unequally volunteers are
/// shown to organisations. 0 for an empty list or all zeros.
pub fn gini(counts: &[f64]) -> f64 {
    let mut xs: Vec<f64> = counts
        .iter()
        .map(|x| if x.is_finite() { x.max(0.0) } else { 0.0 })
        .collect();
    let n = xs.len();
    let total: f64 = xs.iter().sum();
    if n == 0 || total <= 0.0 {
        return 0.0;
    }
    xs.sort_by(f64::total_cmp);
    // G = (2 Σ i·x_i) / (n Σ x) − (n + 1) / n, with i from 1 over the sorted values.
    let weighted: f64 = xs
        .iter()
        .enumerate()
        .map(|(i, x)| (i as f64 + 1.0) * x)
        .sum();
    (2.0 * weighted / (n as f64 * total) - (n as f64 + 1.0) / n as f64).clamp(0.0, 1.0)
}

/// Share of the first `k` results that are relevant (the denominator is `k`, so a
/// short list is not rewarded for being short). 0 for `k` = 0.
pub fn precision_at(k: usize, relevant: impl IntoIterator<Item = bool>) -> f64 {
    if k == 0 {
        return 0.0;
    }
    relevant.into_iter().take(k).filter(|r| *r).count() as f64 / k as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Ward centroids from data-seed/southwark/wards.csv (copied: domain does not
    // read the seed).
    const PECKHAM: LatLon = LatLon::new(51.47773, -0.07385);
    const RYE_LANE: LatLon = LatLon::new(51.46820, -0.06931);
    const BOROUGH_AND_BANKSIDE: LatLon = LatLon::new(51.50393, -0.09955);
    const DULWICH_WOOD: LatLon = LatLon::new(51.43577, -0.07806);

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// Slot index for day 0..7 (Monday first) and time 0..3 (morning first).
    fn slot(day: u32, time: u32) -> u32 {
        1 << (day * 3 + time)
    }

    #[test]
    fn availability_and_session_slots_share_one_bit_order() {
        assert_eq!(availability_mask(["MondayMorning"]), 1);
        assert_eq!(
            availability_mask(["SaturdayMorning", "SundayEvening", "Nonsense"]),
            slot(5, 0) | slot(6, 2)
        );
        assert_eq!(session_slot(5, 10), slot(5, 0));
        assert_eq!(session_slot(0, 12), slot(0, 1));
        assert_eq!(session_slot(2, 16), slot(2, 1));
        assert_eq!(session_slot(6, 17), slot(6, 2));
        assert_eq!(SLOT_NAMES.len() as u32, ALL_SLOTS.count_ones());
    }

    #[test]
    fn gini_is_zero_for_equal_exposure_and_high_when_few_get_everything() {
        assert_eq!(gini(&[]), 0.0);
        assert_eq!(gini(&[0.0, 0.0]), 0.0);
        assert!(gini(&[3.0, 3.0, 3.0, 3.0]).abs() < 1e-12);
        let one_of_four = gini(&[0.0, 0.0, 0.0, 8.0]);
        assert!((one_of_four - 0.75).abs() < 1e-12, "{one_of_four}");
        assert!(gini(&[1.0, 2.0, 3.0]) < one_of_four);
    }

    #[test]
    fn precision_counts_relevant_results_in_the_first_k() {
        assert_eq!(precision_at(0, [true]), 0.0);
        assert_eq!(precision_at(4, [true, false, true, true, true]), 0.75);
        assert_eq!(precision_at(10, [true, true]), 0.2);
    }

    fn volunteer() -> VolunteerFacts {
        VolunteerFacts {
            id: 1,
            age_years: 30,
            ward_centroid: Some(PECKHAM),
            travel_km: 5.0,
            remote_ok: false,
            dbs_checked: false,
            guardian_consent: false,
            languages: strings(&["en"]),
            access_needs: vec![],
            skills: vec![("cooking".into(), 8), ("teamwork".into(), 5)],
            causes: strings(&["food-poverty"]),
            availability: slot(5, 0),
            pathway_stage_tags: vec![],
            recent_suggestions: 0,
        }
    }

    fn role() -> RoleFacts {
        RoleFacts {
            id: 10,
            open: true,
            places_left: 2,
            places: 4,
            min_age: 16,
            youth_friendly: false,
            dbs_required: false,
            location: RoleLocation::InPerson(Some(RYE_LANE)),
            languages: strings(&["en"]),
            access_provisions: vec![],
            skills_wanted: vec![("cooking".into(), 5)],
            causes: strings(&["food-poverty"]),
            session_slots: slot(5, 0),
            pathway_stage_tags: vec![],
            days_to_close: None,
        }
    }

    fn excluded_by(v: &VolunteerFacts, r: &RoleFacts) -> Vec<Exclusion> {
        eligibility(v, r).err().unwrap_or_default()
    }

    #[test]
    fn matching_inputs_hold_no_equality_monitoring_data() {
        // Exhaustive destructuring (no `..`): adding a field to either struct
        // stops this compiling until it is listed here and in FIELD_NAMES. A
        // protected characteristic (sex, ethnicity, religion, disability,
        // sexual orientation, …) added that way must fail review: equality
        // monitoring is never an input to matching. Age is the one exception,
        // used only for the legal minimum-age and under-18 safeguarding rules.
        macro_rules! field_list {
            ($ty:ident, $value:expr, $($field:ident),* $(,)?) => {{
                let $ty { $($field: _),* } = $value;
                vec![$(stringify!($field)),*]
            }};
        }
        let volunteer_fields = field_list!(
            VolunteerFacts,
            volunteer(),
            id,
            age_years,
            ward_centroid,
            travel_km,
            remote_ok,
            dbs_checked,
            guardian_consent,
            languages,
            access_needs,
            skills,
            causes,
            availability,
            pathway_stage_tags,
            recent_suggestions,
        );
        let role_fields = field_list!(
            RoleFacts,
            role(),
            id,
            open,
            places_left,
            places,
            min_age,
            youth_friendly,
            dbs_required,
            location,
            languages,
            access_provisions,
            skills_wanted,
            causes,
            session_slots,
            pathway_stage_tags,
            days_to_close,
        );
        assert_eq!(volunteer_fields, VolunteerFacts::FIELD_NAMES);
        assert_eq!(role_fields, RoleFacts::FIELD_NAMES);
        let forbidden = [
            "sex",
            "gender",
            "ethnic",
            "race",
            "religio",
            "belief",
            "faith",
            "disab",
            "orientation",
            "pregnan",
            "marri",
            "marital",
            "equality",
            "monitoring",
        ];
        for name in VolunteerFacts::FIELD_NAMES
            .iter()
            .chain(RoleFacts::FIELD_NAMES)
        {
            for word in forbidden {
                assert!(!name.contains(word), "{name} looks like equality data");
            }
        }
    }

    #[test]
    fn a_good_pair_is_eligible() {
        assert_eq!(eligibility(&volunteer(), &role()), Ok(()));
    }

    #[test]
    fn a_role_that_is_not_open_excludes() {
        let r = RoleFacts {
            open: false,
            ..role()
        };
        assert_eq!(excluded_by(&volunteer(), &r), vec![Exclusion::RoleNotOpen]);
        assert_eq!(Exclusion::RoleNotOpen.reason(), "the role is not open");
    }

    #[test]
    fn a_full_role_excludes() {
        let r = RoleFacts {
            places_left: 0,
            ..role()
        };
        assert_eq!(excluded_by(&volunteer(), &r), vec![Exclusion::NoPlacesLeft]);
        assert_eq!(
            Exclusion::NoPlacesLeft.reason(),
            "the role has no places left"
        );
    }

    #[test]
    fn under_the_minimum_age_excludes() {
        let v = VolunteerFacts {
            age_years: 19,
            ..volunteer()
        };
        let r = RoleFacts {
            min_age: 21,
            ..role()
        };
        let found = excluded_by(&v, &r);
        assert_eq!(found, vec![Exclusion::UnderMinimumAge { min_age: 21 }]);
        assert_eq!(
            found[0].reason(),
            "under the minimum age of 21 for this role"
        );
    }

    #[test]
    fn under_eighteen_needs_a_youth_friendly_role_and_guardian_consent() {
        let v = VolunteerFacts {
            age_years: 16,
            ..volunteer()
        };
        assert_eq!(
            excluded_by(&v, &role()),
            vec![
                Exclusion::UnderEighteenNotYouthFriendly,
                Exclusion::NoGuardianConsent
            ]
        );
        let youth_role = RoleFacts {
            youth_friendly: true,
            ..role()
        };
        assert_eq!(
            excluded_by(&v, &youth_role),
            vec![Exclusion::NoGuardianConsent]
        );
        let consented = VolunteerFacts {
            guardian_consent: true,
            ..v
        };
        assert_eq!(eligibility(&consented, &youth_role), Ok(()));
        assert_eq!(
            Exclusion::UnderEighteenNotYouthFriendly.reason(),
            "the role is not set up for volunteers under 18"
        );
        assert_eq!(
            Exclusion::NoGuardianConsent.reason(),
            "under 18 and no parent or guardian consent recorded yet"
        );
    }

    #[test]
    fn adults_need_no_guardian_or_youth_friendly_role() {
        let v = VolunteerFacts {
            age_years: 18,
            ..volunteer()
        };
        assert_eq!(eligibility(&v, &role()), Ok(()));
    }

    #[test]
    fn a_dbs_role_excludes_until_checked_and_that_alone_is_waivable() {
        let r = RoleFacts {
            dbs_required: true,
            ..role()
        };
        let found = excluded_by(&volunteer(), &r);
        assert_eq!(found, vec![Exclusion::NeedsDbsCheck]);
        assert_eq!(found[0].reason(), "needs a DBS check");
        assert!(found[0].is_waivable());
        assert!(!Exclusion::RoleNotOpen.is_waivable());
        let checked = VolunteerFacts {
            dbs_checked: true,
            ..volunteer()
        };
        assert_eq!(eligibility(&checked, &r), Ok(()));
    }

    #[test]
    fn an_in_person_or_hybrid_role_beyond_travel_distance_excludes() {
        let v = VolunteerFacts {
            ward_centroid: Some(BOROUGH_AND_BANKSIDE),
            travel_km: 3.0,
            remote_ok: true,
            ..volunteer()
        };
        for location in [
            RoleLocation::InPerson(Some(DULWICH_WOOD)),
            RoleLocation::Hybrid(Some(DULWICH_WOOD)),
        ] {
            let r = RoleFacts { location, ..role() };
            let found = excluded_by(&v, &r);
            assert!(
                matches!(found[..], [Exclusion::TooFar { km, travel_km: 3.0 }] if km > 7.0),
                "{found:?}"
            );
            assert_eq!(
                found[0].reason(),
                "7.7 km away, further than the 3.0 km they would travel"
            );
        }
    }

    #[test]
    fn an_unknown_ward_on_either_side_is_not_excluded_by_distance() {
        let far = RoleFacts {
            location: RoleLocation::InPerson(Some(DULWICH_WOOD)),
            ..role()
        };
        let nowhere = VolunteerFacts {
            ward_centroid: None,
            travel_km: 0.0,
            ..volunteer()
        };
        assert_eq!(eligibility(&nowhere, &far), Ok(()));
        let unplaced = RoleFacts {
            location: RoleLocation::InPerson(None),
            ..role()
        };
        let close_to_home = VolunteerFacts {
            travel_km: 0.0,
            ..volunteer()
        };
        assert_eq!(eligibility(&close_to_home, &unplaced), Ok(()));
        let m = score(&nowhere, &far, &Weights::default());
        assert_eq!(m.part(Part::Distance), NEUTRAL);
    }

    #[test]
    fn a_remote_role_needs_a_volunteer_happy_remotely_but_remote_ok_is_not_remote_only() {
        let remote = RoleFacts {
            location: RoleLocation::Remote,
            ..role()
        };
        let found = excluded_by(&volunteer(), &remote);
        assert_eq!(found, vec![Exclusion::RemoteNotWanted]);
        assert_eq!(
            found[0].reason(),
            "the role is done remotely and remote volunteering was not chosen"
        );
        let happy = VolunteerFacts {
            remote_ok: true,
            ..volunteer()
        };
        assert_eq!(eligibility(&happy, &remote), Ok(()));
        assert_eq!(eligibility(&happy, &role()), Ok(()));
    }

    #[test]
    fn access_needs_the_role_cannot_meet_exclude_and_are_named() {
        let v = VolunteerFacts {
            access_needs: strings(&["step_free", "hearing_loop", "quiet_space"]),
            ..volunteer()
        };
        let r = RoleFacts {
            access_provisions: strings(&["quiet_space"]),
            ..role()
        };
        let found = excluded_by(&v, &r);
        assert_eq!(
            found,
            vec![Exclusion::AccessNeedsNotMet(strings(&[
                "step_free",
                "hearing_loop"
            ]))]
        );
        assert_eq!(
            found[0].reason(),
            "the role cannot offer step-free access or a hearing loop"
        );
        let provided = RoleFacts {
            access_provisions: strings(&["step_free", "hearing_loop", "quiet_space"]),
            ..role()
        };
        assert_eq!(eligibility(&v, &provided), Ok(()));
    }

    #[test]
    fn no_shared_language_excludes_and_english_is_the_default() {
        let v = VolunteerFacts {
            languages: strings(&["es"]),
            ..volunteer()
        };
        let found = excluded_by(&v, &role());
        assert_eq!(found, vec![Exclusion::NoSharedLanguage]);
        assert_eq!(found[0].reason(), "no language in common");
        let spanish_role = RoleFacts {
            languages: strings(&["ES", "pt"]),
            ..role()
        };
        assert_eq!(eligibility(&v, &spanish_role), Ok(()));
        let unsaid = VolunteerFacts {
            languages: vec![],
            ..volunteer()
        };
        let unsaid_role = RoleFacts {
            languages: vec![],
            ..role()
        };
        assert_eq!(eligibility(&unsaid, &unsaid_role), Ok(()));
        assert_eq!(
            eligibility(&unsaid, &spanish_role),
            Err(vec![Exclusion::NoSharedLanguage])
        );
    }

    #[test]
    fn every_reason_is_given_not_just_the_first() {
        let v = VolunteerFacts {
            age_years: 14,
            languages: strings(&["so"]),
            access_needs: strings(&["bsl"]),
            ..volunteer()
        };
        let r = RoleFacts {
            open: false,
            places_left: 0,
            dbs_required: true,
            location: RoleLocation::Remote,
            ..role()
        };
        let found = excluded_by(&v, &r);
        assert_eq!(found.len(), 9, "{found:?}");
        assert_eq!(check(&v, &r, || None, None), None);
        assert_eq!(
            Exclusion::AccessNeedsNotMet(strings(&["bsl"])).to_string(),
            "the role cannot offer British Sign Language"
        );
    }

    #[test]
    fn default_weights_add_up_to_one_and_partial_config_keeps_the_rest() {
        let w = Weights::default();
        let total: f64 = Part::ALL.iter().map(|p| w.get(*p)).sum();
        assert!((total - 1.0).abs() < 1e-12);
        let w: Weights = serde_json::from_str(r#"{"skills": 0.5}"#).expect("partial weights");
        assert_eq!(w.skills, 0.5);
        assert_eq!(w.causes, Weights::default().causes);
        assert!(serde_json::from_str::<Weights>(r#"{"skils": 0.5}"#).is_err());
    }

    #[test]
    fn skills_are_level_aware() {
        assert_eq!(skill_credit(Some(5), 5), 1.0);
        assert_eq!(skill_credit(Some(9), 5), 1.0);
        assert_eq!(skill_credit(None, 0), 0.0);
        let low = skill_credit(Some(1), 8);
        let high = skill_credit(Some(6), 8);
        assert!(0.25 <= low && low < high && high < 1.0);
    }

    #[test]
    fn reason_counts_skills_held_at_the_level_wanted() {
        let v = VolunteerFacts {
            skills: vec![
                ("cooking".into(), 8),
                ("teamwork".into(), 5),
                ("food-hygiene".into(), 3),
                ("driving".into(), 1),
            ],
            ..volunteer()
        };
        let r = RoleFacts {
            skills_wanted: vec![
                ("cooking".into(), 5),
                ("teamwork".into(), 3),
                ("food-hygiene".into(), 2),
                ("driving".into(), 10),
            ],
            ..role()
        };
        assert_eq!(skills_reason(&v, &r).as_deref(), Some("3 of 4 skills"));
        assert_eq!(
            skills_reason(&volunteer(), &role()).as_deref(),
            Some("has the cooking skill it asks for")
        );
        let two = RoleFacts {
            skills_wanted: vec![("cooking".into(), 5), ("teamwork".into(), 5)],
            ..role()
        };
        assert_eq!(
            skills_reason(&volunteer(), &two).as_deref(),
            Some("all 2 skills it asks for")
        );
        let stretch = RoleFacts {
            skills_wanted: vec![("driving".into(), 10)],
            ..role()
        };
        assert_eq!(
            skills_reason(&v, &stretch).as_deref(),
            Some("some experience in driving")
        );
        assert_eq!(skills_reason(&volunteer(), &stretch), None);
    }

    #[test]
    fn reason_names_a_shared_cause() {
        let r = RoleFacts {
            causes: strings(&["crisis-support", "food-poverty"]),
            ..role()
        };
        assert_eq!(
            reason_for(Part::Causes, &volunteer(), &r, None).as_deref(),
            Some("cares about food poverty")
        );
        let m = score(&volunteer(), &r, &Weights::default());
        assert_eq!(m.part(Part::Causes), 1.0);
    }

    #[test]
    fn reason_names_the_first_slot_both_are_free() {
        let v = VolunteerFacts {
            availability: slot(1, 2) | slot(5, 0),
            ..volunteer()
        };
        let r = RoleFacts {
            session_slots: slot(5, 0) | slot(6, 1),
            ..role()
        };
        assert_eq!(
            reason_for(Part::Availability, &v, &r, None).as_deref(),
            Some("free on Saturday mornings")
        );
        assert_eq!(
            score(&v, &r, &Weights::default()).part(Part::Availability),
            0.5
        );
        let flexible = RoleFacts {
            session_slots: 0,
            ..role()
        };
        assert_eq!(
            score(&v, &flexible, &Weights::default()).part(Part::Availability),
            1.0
        );
        assert_eq!(slot_words(20), "Sunday evenings");
        assert_eq!(slot_words(0), "Monday mornings");
    }

    #[test]
    fn reason_says_how_far() {
        let distance_first = Weights {
            distance: 1.0,
            ..Weights::default()
        };
        let m = score(&volunteer(), &role(), &distance_first);
        assert_eq!(m.reasons[0], "1.1 km away");
        let here = RoleFacts {
            location: RoleLocation::InPerson(Some(PECKHAM)),
            ..role()
        };
        assert_eq!(
            reason_for(Part::Distance, &volunteer(), &here, Some(0.0)).as_deref(),
            Some("in the same ward")
        );
        let remote = RoleFacts {
            location: RoleLocation::Remote,
            ..role()
        };
        let happy = VolunteerFacts {
            remote_ok: true,
            ..volunteer()
        };
        let m = score(&happy, &remote, &distance_first);
        assert_eq!(m.part(Part::Distance), REMOTE_DISTANCE);
        assert_eq!(m.reasons[0], "can be done from home");
        // Closer is better.
        let far = RoleFacts {
            location: RoleLocation::InPerson(Some(BOROUGH_AND_BANKSIDE)),
            ..role()
        };
        assert!(
            score(&volunteer(), &here, &Weights::default()).part(Part::Distance)
                > score(&volunteer(), &far, &Weights::default()).part(Part::Distance)
        );
    }

    #[test]
    fn reason_says_it_counts_toward_the_next_pathway_stage() {
        let v = VolunteerFacts {
            pathway_stage_tags: strings(&["food-hub-2"]),
            ..volunteer()
        };
        let r = RoleFacts {
            pathway_stage_tags: strings(&["food-hub-1", "food-hub-2"]),
            ..role()
        };
        let weights = Weights {
            pathway: 0.5,
            ..Weights::default()
        };
        let m = score(&v, &r, &weights);
        assert_eq!(m.part(Part::Pathway), 1.0);
        assert_eq!(m.reasons[0], "counts toward your next pathway stage");
        assert!(m.score > score(&volunteer(), &r, &weights).score);
    }

    #[test]
    fn reason_says_when_it_closes_or_how_many_places_are_left() {
        let days = |d| {
            urgency_reason(&RoleFacts {
                days_to_close: Some(d),
                ..role()
            })
        };
        assert_eq!(days(0).as_deref(), Some("closes today"));
        assert_eq!(days(1).as_deref(), Some("closes tomorrow"));
        assert_eq!(days(3).as_deref(), Some("closes in 3 days"));
        assert_eq!(days(30).as_deref(), Some("2 places still to fill"));
        let nearly_full = RoleFacts {
            places_left: 1,
            places: 10,
            ..role()
        };
        assert_eq!(urgency_reason(&nearly_full), None);
        let soon = RoleFacts {
            days_to_close: Some(1),
            ..role()
        };
        let later = RoleFacts {
            days_to_close: Some(6),
            ..role()
        };
        let w = Weights::default();
        assert!(score(&volunteer(), &soon, &w).score > score(&volunteer(), &later, &w).score);
    }

    #[test]
    fn at_most_three_reasons_strongest_first_and_fairness_never_one() {
        let v = VolunteerFacts {
            pathway_stage_tags: strings(&["t"]),
            ..volunteer()
        };
        let r = RoleFacts {
            pathway_stage_tags: strings(&["t"]),
            days_to_close: Some(2),
            ..role()
        };
        let m = score(&v, &r, &Weights::default());
        assert_eq!(
            m.reasons,
            vec![
                "has the cooking skill it asks for",
                "cares about food poverty",
                "free on Saturday mornings"
            ]
        );
        assert_eq!(m.parts.len(), 7);
        let only_fairness = Weights {
            skills: 0.0,
            causes: 0.0,
            availability: 0.0,
            distance: 0.0,
            pathway: 0.0,
            urgency: 0.0,
            fairness: 1.0,
        };
        let m = score(&v, &r, &only_fairness);
        assert_eq!(m.score, 1.0);
        assert!(m.reasons.iter().all(|r| !r.contains("suggest")));
    }

    #[test]
    fn extreme_values_from_forms_neither_panic_nor_leave_the_range() {
        let v = VolunteerFacts {
            age_years: i32::MAX,
            travel_km: f64::NAN,
            recent_suggestions: u32::MAX,
            availability: u32::MAX,
            skills: vec![("cooking".into(), i32::MIN)],
            ..volunteer()
        };
        for (places, places_left, days) in [
            (i32::MAX, i32::MAX, Some(i64::MIN)),
            (i32::MIN, i32::MAX, Some(i64::MAX)),
            (0, -5, Some(0)),
        ] {
            let r = RoleFacts {
                places,
                places_left,
                days_to_close: days,
                session_slots: u32::MAX,
                skills_wanted: vec![("cooking".into(), i32::MAX)],
                ..role()
            };
            let m = score(&v, &r, &Weights::default());
            assert!((0.0..=1.0).contains(&m.score), "{m:?}");
            let _ = eligibility(&v, &r);
            let _ = rank_roles_for(&v, &[r], &Weights::default(), 3);
        }
    }

    #[test]
    fn haversine_is_zero_at_one_place_and_right_between_wards() {
        assert_eq!(haversine_km(PECKHAM, PECKHAM), 0.0);
        let near = haversine_km(PECKHAM, RYE_LANE);
        assert!((1.0..1.3).contains(&near), "{near}");
        assert!((haversine_km(RYE_LANE, PECKHAM) - near).abs() < 1e-12);
        let across = haversine_km(BOROUGH_AND_BANKSIDE, DULWICH_WOOD);
        assert!((7.5..7.9).contains(&across), "{across}");
    }

    #[test]
    fn volunteers_suggested_less_lately_win_ties() {
        let busy = VolunteerFacts {
            id: 1,
            recent_suggestions: 9,
            ..volunteer()
        };
        let quiet = VolunteerFacts {
            id: 2,
            ..volunteer()
        };
        let w = Weights {
            fairness: 0.0,
            ..Weights::default()
        };
        let ranked = rank_volunteers_for(&role(), &[busy.clone(), quiet.clone()], &w, 10);
        let ids: Vec<i32> = ranked.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, vec![2, 1]);
        let twin = VolunteerFacts {
            id: 3,
            ..quiet.clone()
        };
        let ranked = rank_volunteers_for(&role(), &[twin, quiet], &w, 10);
        let ids: Vec<i32> = ranked.iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, vec![2, 3], "equal in every way: the lower id first");
    }

    #[test]
    fn ranking_keeps_only_the_best_limit_and_skips_the_ineligible() {
        let roles: Vec<RoleFacts> = (0..50)
            .map(|i| RoleFacts {
                id: i,
                open: i % 5 != 0,
                days_to_close: Some(i64::from(i % 9)),
                ..role()
            })
            .collect();
        let ranked = rank_roles_for(&volunteer(), &roles, &Weights::default(), 7);
        assert_eq!(ranked.len(), 7);
        assert!(ranked.iter().all(|(id, _)| id % 5 != 0));
        assert!(ranked.windows(2).all(|w| w[0].1.score >= w[1].1.score));
        assert!(rank_roles_for(&volunteer(), &roles, &Weights::default(), 0).is_empty());
    }

    // Small vocabularies so generated pairs share things often.
    const SKILLS: [&str; 5] = ["cooking", "driving", "teamwork", "admin", "first-aid"];
    const CAUSES: [&str; 4] = ["food-poverty", "older-people", "heritage", "faith"];
    const LANGS: [&str; 3] = ["en", "es", "so"];
    const ACCESS: [&str; 3] = ["step_free", "bsl", "seated"];
    const TAGS: [&str; 3] = ["food-hub-1", "care-2", "digital-1"];

    fn pick(from: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
        proptest::sample::subsequence(from, 0..=from.len())
            .prop_map(|v| v.into_iter().map(String::from).collect())
    }

    fn skill_levels() -> impl Strategy<Value = Vec<(String, i32)>> {
        proptest::collection::vec((proptest::sample::select(&SKILLS[..]), 0..=15i32), 0..4)
            .prop_map(|v| v.into_iter().map(|(s, l)| (s.to_string(), l)).collect())
    }

    fn place() -> impl Strategy<Value = Option<LatLon>> {
        proptest::option::weighted(0.85, (51.42..51.51f64, -0.11..-0.03f64))
            .prop_map(|p| p.map(|(lat, lon)| LatLon::new(lat, lon)))
    }

    prop_compose! {
        fn any_volunteer()(
            age_years in 12..80i32,
            ward_centroid in place(),
            travel_km in 0.0..10.0f64,
            (remote_ok, dbs_checked, guardian_consent) in any::<(bool, bool, bool)>(),
            languages in pick(&LANGS),
            access_needs in pick(&ACCESS).prop_map(|mut v| { v.truncate(1); v }),
            skills in skill_levels(),
            causes in pick(&CAUSES),
            availability in 0..=ALL_SLOTS,
            pathway_stage_tags in pick(&TAGS),
            recent_suggestions in 0..20u32,
        ) -> VolunteerFacts {
            VolunteerFacts {
                id: 0, age_years, ward_centroid, travel_km, remote_ok, dbs_checked,
                guardian_consent, languages, access_needs, skills, causes, availability,
                pathway_stage_tags, recent_suggestions,
            }
        }
    }

    prop_compose! {
        fn any_role()(
            open in proptest::bool::weighted(0.9),
            places in 1..10i32,
            filled in 0..12i32,
            min_age in 14..21i32,
            (youth_friendly, dbs_required) in any::<(bool, bool)>(),
            location in prop_oneof![
                place().prop_map(RoleLocation::InPerson),
                Just(RoleLocation::Remote),
                place().prop_map(RoleLocation::Hybrid),
            ],
            languages in pick(&LANGS),
            access_provisions in pick(&ACCESS),
            skills_wanted in skill_levels(),
            causes in pick(&CAUSES),
            session_slots in prop_oneof![Just(0u32), 0..=ALL_SLOTS],
            pathway_stage_tags in pick(&TAGS),
            days_to_close in proptest::option::of(-2..40i64),
        ) -> RoleFacts {
            RoleFacts {
                id: 0, open, places_left: places - filled, places, min_age, youth_friendly,
                dbs_required, location, languages, access_provisions, skills_wanted, causes,
                session_slots, pathway_stage_tags, days_to_close,
            }
        }
    }

    fn any_weights() -> impl Strategy<Value = Weights> {
        let w = || prop_oneof![4 => 0.0..1.0f64, 1 => any::<f64>()];
        (w(), w(), w(), w(), w(), w(), w()).prop_map(
            |(skills, causes, availability, distance, pathway, urgency, fairness)| Weights {
                skills,
                causes,
                availability,
                distance,
                pathway,
                urgency,
                fairness,
            },
        )
    }

    fn with_ids<T>(mut items: Vec<T>, set: impl Fn(&mut T, i32)) -> Vec<T> {
        for (i, item) in items.iter_mut().enumerate() {
            set(item, i as i32 * 7 % 101);
        }
        items
    }

    proptest! {
        #[test]
        fn an_ineligible_pair_never_appears_in_either_ranking(
            v in any_volunteer(),
            roles in proptest::collection::vec(any_role(), 0..30),
            limit in 0..40usize,
        ) {
            let roles = with_ids(roles, |r, id| r.id = id);
            let w = Weights::default();
            let ranked = rank_roles_for(&v, &roles, &w, limit);
            let eligible = roles.iter().filter(|r| eligibility(&v, r).is_ok()).count();
            prop_assert_eq!(ranked.len(), eligible.min(limit));
            for (id, _) in &ranked {
                let r = roles.iter().find(|r| r.id == *id).expect("ranked role exists");
                prop_assert!(eligibility(&v, r).is_ok());
            }
            for r in &roles {
                let volunteers = vec![v.clone()];
                let ranked = rank_volunteers_for(r, &volunteers, &w, 5);
                prop_assert_eq!(ranked.is_empty(), eligibility(&v, r).is_err());
            }
        }

        #[test]
        fn adding_a_wanted_skill_the_volunteer_holds_never_lowers_the_score(
            v in any_volunteer(),
            r in any_role(),
            w in any_weights(),
            which in any::<prop::sample::Index>(),
            level in 0..=15i32,
        ) {
            prop_assume!(!r.skills_wanted.is_empty());
            let slug = r.skills_wanted[which.index(r.skills_wanted.len())].0.clone();
            let before = score(&v, &r, &w).score;
            let mut more = v.clone();
            more.skills.push((slug, level));
            let after = score(&more, &r, &w).score;
            prop_assert!(after >= before - 1e-12, "{} < {}", after, before);
        }

        #[test]
        fn the_score_and_every_part_are_between_zero_and_one(
            v in any_volunteer(),
            r in any_role(),
            w in any_weights(),
        ) {
            let m = score(&v, &r, &w);
            prop_assert!((0.0..=1.0).contains(&m.score), "{}", m.score);
            for (part, x) in &m.parts {
                prop_assert!((0.0..=1.0).contains(x), "{:?} = {}", part, x);
            }
            prop_assert!(m.reasons.len() <= 3);
        }

        #[test]
        fn the_same_input_gives_the_same_order_whatever_order_it_came_in(
            v in any_volunteer(),
            roles in proptest::collection::vec(any_role(), 0..30),
            volunteers in proptest::collection::vec(any_volunteer(), 0..30),
            r in any_role(),
            limit in 1..12usize,
        ) {
            let roles = with_ids(roles, |r, id| r.id = id);
            let volunteers = with_ids(volunteers, |v, id| v.id = id);
            let w = Weights::default();

            let first = rank_roles_for(&v, &roles, &w, limit);
            prop_assert_eq!(&first, &rank_roles_for(&v, &roles, &w, limit));
            let mut reversed = roles.clone();
            reversed.reverse();
            prop_assert_eq!(&first, &rank_roles_for(&v, &reversed, &w, limit));
            // The bounded heap keeps exactly the head of the full ranking.
            let all = rank_roles_for(&v, &roles, &w, usize::MAX);
            prop_assert_eq!(&first[..], &all[..first.len()]);

            let first = rank_volunteers_for(&r, &volunteers, &w, limit);
            let mut reversed = volunteers.clone();
            reversed.reverse();
            prop_assert_eq!(&first, &rank_volunteers_for(&r, &reversed, &w, limit));
            let all = rank_volunteers_for(&r, &volunteers, &w, usize::MAX);
            prop_assert_eq!(&first[..], &all[..first.len()]);
        }
    }
}
