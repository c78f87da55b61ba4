//! Skills pathways for young volunteers: stages and their requirements, and a
//! volunteer's progress worked out from plain facts (confirmed hours per stage tag,
//! signed-off skill levels, training done, organisations' sign-offs).
//!
//! Levels share the 0–15 `level` column of `volunteer_skill`:
//! - the eight essential skills use Skills Builder's steps 0–15 as they are;
//! - the Functional Skills subjects (English, maths, digital) store Entry Level 1 = 1,
//!   Entry Level 2 = 2, Entry Level 3 = 3, Level 1 = 4, Level 2 = 5
//!   (`crate::seed::vocab::FUNCTIONAL_LEVELS`), so a higher number is always more;
//! - practical skills are rated 0–15 like the Skills Builder steps.
use std::collections::{HashMap, HashSet};

use serde::Serialize;

/// Youngest and oldest volunteers a pathway is meant for (the alliance's youth offer).
pub const YOUTH_MIN_AGE: i32 = 14;
pub const YOUTH_MAX_AGE: i32 = 25;

/// Highest Skills Builder step (and the `level` column's CHECK).
pub const MAX_STEP: i32 = 15;

/// Functional Skills levels as stored, lowest first.
pub const FUNCTIONAL_LEVELS: [(i32, &str); 5] = [
    (1, "Entry Level 1"),
    (2, "Entry Level 2"),
    (3, "Entry Level 3"),
    (4, "Level 1"),
    (5, "Level 2"),
];

/// Training a stage can ask for: `(item, what people call it)`. Kept as data so the
/// admin form, the certificate and the checks agree on one list.
pub const TRAINING_ITEMS: [(&str, &str); 7] = [
    ("food-hygiene", "Food hygiene (level 2)"),
    ("first-aid", "Emergency first aid"),
    ("safeguarding-awareness", "Safeguarding awareness"),
    ("manual-handling", "Manual handling"),
    ("data-protection", "Data protection basics"),
    ("dementia-friends", "Dementia Friends information session"),
    ("digital-inclusion", "Helping people get online"),
];

/// Periods the Duke of Edinburgh's Award volunteering section is done over.
pub const DOFE_MONTHS: [u32; 3] = [3, 6, 12];

/// Longest a stage may ask someone to volunteer: 500 hours.
pub const MAX_STAGE_MINUTES: u32 = 500 * 60;

/// A problem with one named field, in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// How a skill's levels are counted (from the skill's vocabulary group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Skills Builder steps 0–15 (the eight essential skills).
    SkillsBuilder,
    /// Functional Skills, Entry Level 1 (1) to Level 2 (5): English, maths, digital.
    Functional,
    /// Practical skills, rated 0–15.
    Practical,
}

impl Scale {
    /// The scale of a skill in vocabulary group `group` (`essential`, `functional`,
    /// `practical`).
    pub fn of_group(group: &str) -> Self {
        match group {
            "essential" => Self::SkillsBuilder,
            "functional" => Self::Functional,
            _ => Self::Practical,
        }
    }

    pub fn range(self) -> (i32, i32) {
        match self {
            Self::Functional => (1, 5),
            Self::SkillsBuilder | Self::Practical => (0, MAX_STEP),
        }
    }

    /// What the range is, for a message: "a step from 0 to 15".
    fn range_words(self) -> String {
        match self {
            Self::Functional => {
                "a Functional Skills level from 1 (Entry Level 1) to 5 (Level 2)".to_owned()
            }
            Self::SkillsBuilder => format!("a Skills Builder step from 0 to {MAX_STEP}"),
            Self::Practical => format!("a level from 0 to {MAX_STEP}"),
        }
    }
}

/// A level in words: "Step 7 of 15", "Entry Level 3".
pub fn level_words(scale: Scale, level: i32) -> String {
    match scale {
        Scale::Functional => FUNCTIONAL_LEVELS
            .iter()
            .find(|(n, _)| *n == level)
            .map_or_else(|| format!("level {level}"), |(_, name)| (*name).to_owned()),
        Scale::SkillsBuilder => format!("Step {level} of {MAX_STEP}"),
        Scale::Practical => format!("Level {level} of {MAX_STEP}"),
    }
}

/// A level checked against its scale, or a 400 naming `field`.
pub fn check_level(field: &'static str, scale: Scale, level: i64) -> Result<i32, FieldError> {
    let (lo, hi) = scale.range();
    match i32::try_from(level) {
        Ok(l) if (lo..=hi).contains(&l) => Ok(l),
        _ => Err(FieldError::new(
            field,
            format!("must be {}", scale.range_words()),
        )),
    }
}

/// The name of a training item, if it is one of [`TRAINING_ITEMS`].
pub fn training_name(item: &str) -> Option<&'static str> {
    TRAINING_ITEMS
        .iter()
        .find(|(slug, _)| *slug == item)
        .map(|(_, name)| *name)
}

/// A training item checked against the list, or a 400 naming `field`.
pub fn check_training(field: &'static str, item: &str) -> Result<&'static str, FieldError> {
    TRAINING_ITEMS
        .iter()
        .find(|(slug, _)| *slug == item.trim())
        .map(|(slug, _)| *slug)
        .ok_or_else(|| {
            let names: Vec<&str> = TRAINING_ITEMS.iter().map(|(slug, _)| *slug).collect();
            FieldError::new(field, format!("must be one of: {}", names.join(", ")))
        })
}

/// Minutes of volunteering a stage asks for, from whole hours typed or sent.
pub fn check_stage_hours(field: &'static str, hours: i64) -> Result<u32, FieldError> {
    let max = i64::from(MAX_STAGE_MINUTES / 60);
    if (1..=max).contains(&hours) {
        Ok(u32::try_from(hours * 60).unwrap_or(MAX_STAGE_MINUTES))
    } else {
        Err(FieldError::new(
            field,
            format!("must be a whole number of hours from 1 to {max}"),
        ))
    }
}

/// A stage tag (what organisations tag roles with): lower-case letters, digits and
/// hyphens, 3–60 characters, e.g. `care-1-first-steps`.
pub fn check_tag(field: &'static str, tag: &str) -> Result<String, FieldError> {
    let t = tag.trim();
    let ok = (3..=60).contains(&t.len())
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !t.starts_with('-')
        && !t.ends_with('-');
    if ok {
        Ok(t.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "must be 3 to 60 lower-case letters, digits and hyphens, like care-first-steps",
        ))
    }
}

/// The Duke of Edinburgh's Award period, from `months=`: 3, 6 or 12.
pub fn check_dofe_months(raw: &str) -> Result<u32, FieldError> {
    match raw.trim().parse::<u32>() {
        Ok(m) if DOFE_MONTHS.contains(&m) => Ok(m),
        _ => Err(FieldError::new(
            "months",
            "must be 3, 6 or 12 (the Duke of Edinburgh's Award volunteering section)",
        )),
    }
}

/// What a stage asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Requirement {
    /// Confirmed volunteering time in roles tagged with this stage.
    Hours { minutes: u32 },
    /// A skill at least at `min_level`, signed off by an organisation.
    Skill {
        skill: String,
        skill_name: String,
        scale: Scale,
        min_level: i32,
    },
    /// A training item completed (recorded by an organisation).
    Training { item: String },
    /// A sign-off from this organisation (any organisation when `None`).
    SignOff {
        organisation_id: Option<i32>,
        organisation_name: Option<String>,
    },
}

impl Requirement {
    /// The requirement in plain words: "10 hours in roles tagged for this stage".
    pub fn words(&self) -> String {
        match self {
            Self::Hours { minutes } => format!(
                "{} volunteering in roles that count toward this stage",
                crate::domain::applications::duration_words(i64::from(*minutes))
            ),
            Self::Skill {
                skill_name,
                scale,
                min_level,
                ..
            } => format!(
                "{skill_name} at {} or above, signed off by an organisation",
                level_words(*scale, *min_level)
            ),
            Self::Training { item } => {
                format!("{} completed", training_name(item).unwrap_or(item))
            }
            Self::SignOff {
                organisation_name, ..
            } => match organisation_name {
                Some(name) => format!("A sign-off from {name}"),
                None => "A sign-off from an organisation you volunteer with".to_owned(),
            },
        }
    }
}

/// One stage, in its pathway's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub id: i32,
    pub name: String,
    pub tag: String,
    pub requirements: Vec<Requirement>,
}

/// A pathway's stages, first to last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pathway {
    pub id: i32,
    pub name: String,
    pub stages: Vec<Stage>,
}

/// What is known about one volunteer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Confirmed minutes on roles tagged with each stage tag.
    pub confirmed_minutes_by_tag: HashMap<String, u32>,
    /// Signed-off level of each skill (by slug). Self-rated levels are not facts here:
    /// a certificate says an organisation saw it.
    pub verified_levels: HashMap<String, i32>,
    /// Training items recorded.
    pub training_done: HashSet<String>,
    /// Organisations that signed off anything for this volunteer.
    pub signed_off_by: HashSet<i32>,
    /// Stages already completed (and not revoked): they stay done even if facts change
    /// (hours later rejected do not take a certificate back; revoking does).
    pub completed_stages: HashSet<i32>,
}

/// One requirement's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementProgress {
    /// `hours`, `skill`, `training` or `sign_off`.
    pub kind: String,
    /// What it asks for, in words.
    pub needed: String,
    pub met: bool,
    /// What is left, in words ("" when met).
    pub left: String,
    /// 0–100.
    pub percent: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageStatus {
    Done,
    /// The stage being worked on now (the first not done).
    InProgress,
    /// After the stage in progress.
    NotStarted,
}

impl StageStatus {
    pub fn words(self) -> &'static str {
        match self {
            Self::Done => "Completed",
            Self::InProgress => "In progress",
            Self::NotStarted => "Not started",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageProgress {
    pub stage_id: i32,
    pub name: String,
    pub tag: String,
    pub status: StageStatus,
    pub requirements: Vec<RequirementProgress>,
    /// 0–100.
    pub percent: u8,
    /// Every requirement is met now but no completion is recorded yet: record one.
    #[serde(skip)]
    pub ready_to_complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub stages: Vec<StageProgress>,
    /// Index into `stages` of the stage worked on now; `None` once all are done.
    pub next_stage: Option<usize>,
    pub stages_done: usize,
    /// 0–100 over the whole pathway.
    pub percent: u8,
}

fn percent(done: u64, needed: u64) -> u8 {
    if needed == 0 || done >= needed {
        return 100;
    }
    u8::try_from(done * 100 / needed).unwrap_or(100)
}

fn evaluate(requirement: &Requirement, tag: &str, facts: &Facts) -> RequirementProgress {
    let needed = requirement.words();
    let (kind, done, total, left) = match requirement {
        Requirement::Hours { minutes } => {
            let have = facts
                .confirmed_minutes_by_tag
                .get(tag)
                .copied()
                .unwrap_or(0);
            let short = minutes.saturating_sub(have);
            (
                "hours",
                u64::from(have),
                u64::from(*minutes),
                format!(
                    "{} more confirmed volunteering in roles for this stage",
                    crate::domain::applications::duration_words(i64::from(short))
                ),
            )
        }
        Requirement::Skill {
            skill,
            skill_name,
            scale,
            min_level,
        } => {
            let have = facts.verified_levels.get(skill).copied();
            let left = match have {
                Some(l) => format!(
                    "{skill_name}: signed off at {}, needs {}",
                    level_words(*scale, l),
                    level_words(*scale, *min_level)
                ),
                None => format!(
                    "{skill_name}: ask an organisation you volunteer with to sign off {}",
                    level_words(*scale, *min_level)
                ),
            };
            let have = u64::try_from(have.unwrap_or(0).max(0)).unwrap_or(0);
            let need = u64::try_from((*min_level).max(0)).unwrap_or(0);
            // A level of 0 is still something to have signed off.
            let need_some = facts.verified_levels.contains_key(skill);
            let (done, total) = if need == 0 {
                (u64::from(need_some), 1)
            } else {
                (have, need)
            };
            ("skill", done, total, left)
        }
        Requirement::Training { item } => (
            "training",
            u64::from(facts.training_done.contains(item)),
            1,
            format!(
                "Complete {} (an organisation records it)",
                training_name(item).unwrap_or(item)
            ),
        ),
        Requirement::SignOff {
            organisation_id,
            organisation_name,
        } => {
            let met = match organisation_id {
                Some(org) => facts.signed_off_by.contains(org),
                None => !facts.signed_off_by.is_empty(),
            };
            (
                "sign_off",
                u64::from(met),
                1,
                match organisation_name {
                    Some(name) => format!("Ask {name} to sign off your volunteering"),
                    None => "Ask an organisation you volunteer with to sign off your volunteering"
                        .to_owned(),
                },
            )
        }
    };
    let met = done >= total;
    RequirementProgress {
        kind: kind.to_owned(),
        needed,
        met,
        left: if met { String::new() } else { left },
        percent: percent(done, total),
    }
}

/// A volunteer's progress on a pathway. Stages are taken in order: a stage is done
/// when it was completed before, or when every earlier stage is done and all its own
/// requirements are met now (then `ready_to_complete` says to record it).
pub fn progress(pathway: &Pathway, facts: &Facts) -> Progress {
    let mut stages = Vec::with_capacity(pathway.stages.len());
    let mut earlier_done = true;
    let mut next_stage = None;
    for (i, stage) in pathway.stages.iter().enumerate() {
        let requirements: Vec<RequirementProgress> = stage
            .requirements
            .iter()
            .map(|r| evaluate(r, &stage.tag, facts))
            .collect();
        let all_met = requirements.iter().all(|r| r.met);
        let recorded = facts.completed_stages.contains(&stage.id);
        let done = recorded || (earlier_done && all_met);
        let status = if done && earlier_done {
            StageStatus::Done
        } else if next_stage.is_none() {
            next_stage = Some(i);
            StageStatus::InProgress
        } else {
            StageStatus::NotStarted
        };
        // A stage recorded while an earlier one was later revoked still shows done,
        // but the earlier one is where work continues.
        let status = if recorded { StageStatus::Done } else { status };
        let stage_percent = if status == StageStatus::Done {
            100
        } else if requirements.is_empty() {
            0
        } else {
            let sum: u32 = requirements.iter().map(|r| u32::from(r.percent)).sum();
            u8::try_from(sum / requirements.len() as u32).unwrap_or(100)
        };
        earlier_done = earlier_done && status == StageStatus::Done;
        stages.push(StageProgress {
            stage_id: stage.id,
            name: stage.name.clone(),
            tag: stage.tag.clone(),
            status,
            ready_to_complete: status == StageStatus::Done && !recorded,
            requirements,
            percent: stage_percent,
        });
    }
    let stages_done = stages
        .iter()
        .filter(|s| s.status == StageStatus::Done)
        .count();
    let percent = if stages.is_empty() {
        0
    } else {
        let sum: u32 = stages.iter().map(|s| u32::from(s.percent)).sum();
        u8::try_from(sum / stages.len() as u32).unwrap_or(100)
    };
    Progress {
        stages,
        next_stage,
        stages_done,
        percent,
    }
}

/// A certificate serial: the pathway's and stage's positions and a random part, easy
/// to read out on the phone (`HM-3-2-7F3K9QX2`).
pub fn certificate_serial(pathway_id: i32, stage_position: i32, random: &str) -> String {
    let tail: String = random
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .take(8)
        .collect();
    format!("HM-{pathway_id}-{stage_position}-{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn care() -> Pathway {
        Pathway {
            id: 1,
            name: "Into care work".into(),
            stages: vec![
                Stage {
                    id: 10,
                    name: "First steps".into(),
                    tag: "care-first-steps".into(),
                    requirements: vec![
                        Requirement::Hours { minutes: 600 },
                        Requirement::Skill {
                            skill: "listening".into(),
                            skill_name: "Listening".into(),
                            scale: Scale::SkillsBuilder,
                            min_level: 4,
                        },
                    ],
                },
                Stage {
                    id: 11,
                    name: "Trusted helper".into(),
                    tag: "care-trusted-helper".into(),
                    requirements: vec![
                        Requirement::Training {
                            item: "safeguarding-awareness".into(),
                        },
                        Requirement::SignOff {
                            organisation_id: Some(7),
                            organisation_name: Some("Walworth Befrienders".into()),
                        },
                    ],
                },
            ],
        }
    }

    #[test]
    fn nothing_done_means_the_first_stage_is_in_progress_with_everything_left() {
        let p = progress(&care(), &Facts::default());
        assert_eq!(p.next_stage, Some(0));
        assert_eq!(p.stages[0].status, StageStatus::InProgress);
        assert_eq!(p.stages[1].status, StageStatus::NotStarted);
        assert_eq!(p.stages_done, 0);
        assert_eq!(p.percent, 0);
        assert_eq!(
            p.stages[0].requirements[0].left,
            "10 hours more confirmed volunteering in roles for this stage"
        );
        assert!(p.stages[0].requirements[1].left.contains("Step 4 of 15"));
    }

    #[test]
    fn hours_count_only_under_the_stages_own_tag() {
        let mut facts = Facts::default();
        facts
            .confirmed_minutes_by_tag
            .insert("food-first-steps".into(), 6000);
        let p = progress(&care(), &facts);
        assert!(!p.stages[0].requirements[0].met);
        facts
            .confirmed_minutes_by_tag
            .insert("care-first-steps".into(), 300);
        let p = progress(&care(), &facts);
        assert_eq!(p.stages[0].requirements[0].percent, 50);
        assert_eq!(
            p.stages[0].requirements[0].left,
            "5 hours more confirmed volunteering in roles for this stage"
        );
    }

    #[test]
    fn a_stage_completes_when_every_requirement_is_met_and_says_to_record_it() {
        let mut facts = Facts::default();
        facts
            .confirmed_minutes_by_tag
            .insert("care-first-steps".into(), 600);
        facts.verified_levels.insert("listening".into(), 5);
        let p = progress(&care(), &facts);
        assert_eq!(p.stages[0].status, StageStatus::Done);
        assert!(p.stages[0].ready_to_complete);
        assert_eq!(p.next_stage, Some(1));
        assert_eq!(p.stages[1].status, StageStatus::InProgress);
        assert_eq!(p.percent, 50);

        facts.completed_stages.insert(10);
        let p = progress(&care(), &facts);
        assert!(!p.stages[0].ready_to_complete, "recorded once, never twice");
    }

    #[test]
    fn a_later_stage_waits_for_the_earlier_one() {
        let mut facts = Facts::default();
        facts.training_done.insert("safeguarding-awareness".into());
        facts.signed_off_by.insert(7);
        let p = progress(&care(), &facts);
        assert_eq!(p.stages[1].status, StageStatus::NotStarted);
        assert!(!p.stages[1].ready_to_complete);
        assert_eq!(p.stages[1].percent, 100, "its requirements are met");
    }

    #[test]
    fn a_sign_off_from_another_organisation_does_not_count() {
        let mut facts = Facts::default();
        facts.signed_off_by.insert(8);
        facts.completed_stages.insert(10);
        let p = progress(&care(), &facts);
        assert!(!p.stages[1].requirements[1].met);
        assert_eq!(
            p.stages[1].requirements[1].left,
            "Ask Walworth Befrienders to sign off your volunteering"
        );
    }

    #[test]
    fn levels_are_checked_on_their_own_scale() {
        assert_eq!(check_level("level", Scale::SkillsBuilder, 15), Ok(15));
        assert_eq!(check_level("level", Scale::SkillsBuilder, 0), Ok(0));
        let err = check_level("level", Scale::SkillsBuilder, 16).unwrap_err();
        assert_eq!(err.field, "level");
        assert!(err.message.contains("0 to 15"));
        assert!(check_level("level", Scale::Functional, 0).is_err());
        assert!(check_level("level", Scale::Functional, 6).is_err());
        assert_eq!(check_level("min_level", Scale::Functional, 5), Ok(5));
        assert!(check_level("level", Scale::Practical, -1).is_err());
        assert!(check_level("level", Scale::Practical, i64::MAX).is_err());
        assert_eq!(level_words(Scale::Functional, 3), "Entry Level 3");
        assert_eq!(level_words(Scale::Functional, 5), "Level 2");
        assert_eq!(level_words(Scale::SkillsBuilder, 7), "Step 7 of 15");
    }

    #[test]
    fn training_tags_and_dofe_periods_are_checked_with_the_field_named() {
        assert_eq!(check_training("item", "first-aid"), Ok("first-aid"));
        assert_eq!(
            check_training("item", "juggling").unwrap_err().field,
            "item"
        );
        assert_eq!(
            check_tag("tag", "care-first-steps").unwrap(),
            "care-first-steps"
        );
        assert!(check_tag("tag", "Care First").is_err());
        assert!(check_tag("tag", "-a-").is_err());
        assert_eq!(check_dofe_months("6"), Ok(6));
        assert_eq!(check_dofe_months("4").unwrap_err().field, "months");
        assert!(check_dofe_months("").is_err());
        assert_eq!(check_stage_hours("hours", 10), Ok(600));
        assert!(check_stage_hours("hours", 0).is_err());
        assert!(check_stage_hours("hours", 501).is_err());
    }

    #[test]
    fn serials_are_short_and_upper_case() {
        assert_eq!(certificate_serial(3, 2, "ab-c9dEfghij"), "HM-3-2-ABC9DEFG");
    }

    fn facts_strategy() -> impl Strategy<Value = Facts> {
        (
            0u32..1500,
            0u32..1500,
            proptest::option::of(0i32..16),
            any::<bool>(),
            proptest::option::of(6i32..9),
            any::<bool>(),
        )
            .prop_map(|(m1, m2, listening, trained, org, first_recorded)| {
                let mut f = Facts::default();
                f.confirmed_minutes_by_tag
                    .insert("care-first-steps".into(), m1);
                f.confirmed_minutes_by_tag
                    .insert("care-trusted-helper".into(), m2);
                if let Some(l) = listening {
                    f.verified_levels.insert("listening".into(), l);
                }
                if trained {
                    f.training_done.insert("safeguarding-awareness".into());
                }
                if let Some(o) = org {
                    f.signed_off_by.insert(o);
                }
                if first_recorded {
                    f.completed_stages.insert(10);
                }
                f
            })
    }

    proptest! {
        #[test]
        fn percents_stay_in_range_and_the_next_stage_is_the_first_not_done(facts in facts_strategy()) {
            let p = progress(&care(), &facts);
            prop_assert!(p.percent <= 100);
            for s in &p.stages {
                prop_assert!(s.percent <= 100);
                for r in &s.requirements {
                    prop_assert!(r.percent <= 100);
                    prop_assert_eq!(r.met, r.left.is_empty());
                    prop_assert_eq!(r.met, r.percent == 100);
                }
            }
            let first_not_done = p.stages.iter().position(|s| s.status != StageStatus::Done);
            prop_assert_eq!(p.next_stage, first_not_done);
            prop_assert_eq!(p.stages_done == p.stages.len(), p.next_stage.is_none());
        }

        #[test]
        fn more_confirmed_hours_never_lose_progress(facts in facts_strategy(), extra in 0u32..2000) {
            let before = progress(&care(), &facts);
            let mut more = facts.clone();
            *more.confirmed_minutes_by_tag.entry("care-first-steps".into()).or_default() += extra;
            let after = progress(&care(), &more);
            prop_assert!(after.percent >= before.percent);
            prop_assert!(after.stages_done >= before.stages_done);
        }

        #[test]
        fn any_level_in_range_is_accepted_and_any_outside_refused(level in -100i64..100) {
            for scale in [Scale::SkillsBuilder, Scale::Functional, Scale::Practical] {
                let (lo, hi) = scale.range();
                let inside = (i64::from(lo)..=i64::from(hi)).contains(&level);
                prop_assert_eq!(check_level("level", scale, level).is_ok(), inside);
            }
        }
    }
}
