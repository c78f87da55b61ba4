//! The demo's skills pathways: four pathways of two or three stages, some open roles
//! tagged with their stages, and the 16-year-old demo volunteer part of the way along
//! "Food hub logistics" with an accepted place on a role of the first organisation that
//! counts toward "Youth leadership" (the browser journey finishes that stage).
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use time::Duration;

use super::{SeedError, YOUNG_VOLUNTEER_EMAIL};
use crate::entities::{
    application, application_event, hours_log, organisation, pathway, pathway_enrolment,
    pathway_stage, role, role_pathway_stage, skill, stage_requirement, user, volunteer_profile,
};

/// A requirement in the demo's terms.
enum Needs {
    Hours(i32),
    Skill(&'static str, i32),
    Training(&'static str),
    SignOff,
}

struct StageDef {
    name: &'static str,
    tag: &'static str,
    description: &'static str,
    needs: &'static [Needs],
}

struct PathwayDef {
    slug: &'static str,
    name: &'static str,
    summary: &'static str,
    /// Role titles containing this (lower case) count toward the first stage.
    role_words: &'static [&'static str],
    stages: &'static [StageDef],
}

/// The stage the browser journey completes.
pub const JOURNEY_PATHWAY: &str = "youth-leadership";

const PATHWAYS: &[PathwayDef] = &[
    PathwayDef {
        slug: "into-care-work",
        name: "Into care work",
        summary: "Befriending, lunch clubs and carers' breaks: a first step toward a job in health and social care.",
        role_words: &["befriend", "carer", "care"],
        stages: &[
            StageDef {
                name: "First steps in care",
                tag: "care-first-steps",
                description: "Time with older people and carers, and listening well.",
                needs: &[Needs::Hours(10), Needs::Skill("listening", 4)],
            },
            StageDef {
                name: "Trusted helper",
                tag: "care-trusted-helper",
                description: "Safeguarding, first aid and an organisation's word for you.",
                needs: &[
                    Needs::Training("safeguarding-awareness"),
                    Needs::Training("first-aid"),
                    Needs::SignOff,
                ],
            },
        ],
    },
    PathwayDef {
        slug: "digital-champion",
        name: "Digital champion",
        summary: "Help neighbours get online and build your own digital and speaking skills.",
        role_words: &["digital", "online", "computer"],
        stages: &[
            StageDef {
                name: "Helper",
                tag: "digital-helper",
                description: "Sit with people at a digital drop-in.",
                needs: &[Needs::Hours(6), Needs::Skill("digital", 3)],
            },
            StageDef {
                name: "Champion",
                tag: "digital-champion",
                description: "Run a session and explain things clearly.",
                needs: &[
                    Needs::Hours(12),
                    Needs::Skill("speaking", 5),
                    Needs::Training("digital-inclusion"),
                ],
            },
        ],
    },
    PathwayDef {
        slug: "food-hub-logistics",
        name: "Food hub logistics",
        summary: "From packing parcels to running a shift at a food hub.",
        role_words: &["food", "pack", "kitchen"],
        stages: &[
            StageDef {
                name: "Packing team",
                tag: "food-packing-team",
                description: "Pack and sort with the team.",
                needs: &[Needs::Hours(8), Needs::Skill("teamwork", 3)],
            },
            StageDef {
                name: "Food safety",
                tag: "food-safety",
                description: "Hygiene and safe lifting.",
                needs: &[
                    Needs::Training("food-hygiene"),
                    Needs::Training("manual-handling"),
                ],
            },
            StageDef {
                name: "Shift runner",
                tag: "food-shift-runner",
                description: "Plan a shift and lead a small team.",
                needs: &[
                    Needs::Hours(20),
                    Needs::Skill("leadership", 6),
                    Needs::SignOff,
                ],
            },
        ],
    },
    PathwayDef {
        slug: JOURNEY_PATHWAY,
        name: "Youth leadership",
        summary: "Lead activities and speak up for young people in your community.",
        role_words: &["youth", "mentor", "young"],
        stages: &[
            StageDef {
                name: "Getting started",
                tag: "youth-getting-started",
                description: "Turn up, pitch in, work with others.",
                needs: &[Needs::Hours(6), Needs::Skill("teamwork", 3)],
            },
            StageDef {
                name: "Leading others",
                tag: "youth-leading-others",
                description: "Lead an activity and set goals.",
                needs: &[
                    Needs::Hours(15),
                    Needs::Skill("leadership", 5),
                    Needs::Skill("aiming-high", 5),
                ],
            },
        ],
    },
];

/// Writes the demo's pathway rows through the ORM (after the bulk load). `now` is the
/// generator's clock (noon of its "today"), so the same seed and day give the same rows.
pub async fn seed(
    db: &DatabaseConnection,
    now: time::OffsetDateTime,
) -> Result<Vec<(&'static str, u64)>, SeedError> {
    let mut counts = [0u64; 5];
    let mut first_stage: Vec<(&'static str, i32)> = Vec::new();
    let open_roles = role::Entity::find()
        .filter(role::Column::Status.eq("open"))
        .order_by_asc(role::Column::Id)
        .all(db)
        .await?;
    for def in PATHWAYS {
        let p = pathway::ActiveModel {
            slug: Set(def.slug.into()),
            name: Set(def.name.into()),
            summary: Set(def.summary.into()),
            min_age: Set(crate::domain::pathways::YOUTH_MIN_AGE),
            max_age: Set(crate::domain::pathways::YOUTH_MAX_AGE),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        counts[0] += 1;
        for (i, s) in def.stages.iter().enumerate() {
            let stage = pathway_stage::ActiveModel {
                pathway_id: Set(p.id),
                position: Set(i32::try_from(i).unwrap_or(0) + 1),
                name: Set(s.name.into()),
                description: Set(s.description.into()),
                tag: Set(s.tag.into()),
                ..Default::default()
            }
            .insert(db)
            .await?;
            counts[1] += 1;
            if i == 0 {
                first_stage.push((def.slug, stage.id));
            }
            for need in s.needs {
                let mut row = stage_requirement::ActiveModel {
                    stage_id: Set(stage.id),
                    ..Default::default()
                };
                match need {
                    Needs::Hours(h) => {
                        row.kind = Set("hours".into());
                        row.minutes = Set(Some(h * 60));
                    }
                    Needs::Skill(slug, level) => {
                        let Some(sk) = skill::Entity::find()
                            .filter(skill::Column::Slug.eq(*slug))
                            .one(db)
                            .await?
                        else {
                            continue;
                        };
                        row.kind = Set("skill".into());
                        row.skill_id = Set(Some(sk.id));
                        row.min_level = Set(Some(*level));
                    }
                    Needs::Training(item) => {
                        row.kind = Set("training".into());
                        row.training_item = Set(Some((*item).into()));
                    }
                    Needs::SignOff => {
                        row.kind = Set("sign_off".into());
                    }
                }
                row.insert(db).await?;
                counts[2] += 1;
            }
        }
        // Up to three open roles whose titles fit count toward the first stage.
        let stage_id = first_stage.last().map(|(_, id)| *id).unwrap_or_default();
        for r in open_roles
            .iter()
            .filter(|r| {
                let t = r.title.to_lowercase();
                def.role_words.iter().any(|w| t.contains(w))
            })
            .take(3)
        {
            tag(db, r.id, stage_id).await?;
            counts[3] += 1;
        }
    }
    counts[4] += young_volunteer(db, &first_stage, &open_roles, now).await?;
    Ok(vec![
        ("pathway", counts[0]),
        ("pathway_stage", counts[1]),
        ("stage_requirement", counts[2]),
        ("role_pathway_stage", counts[3]),
        ("pathway_enrolment", counts[4]),
    ])
}

async fn tag(db: &DatabaseConnection, role_id: i32, stage_id: i32) -> Result<(), SeedError> {
    let exists = role_pathway_stage::Entity::find_by_id((role_id, stage_id))
        .one(db)
        .await?
        .is_some();
    if !exists {
        role_pathway_stage::ActiveModel {
            role_id: Set(role_id),
            stage_id: Set(stage_id),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The 16-year-old: on "Food hub logistics" with 4 confirmed hours toward its first
/// stage, and accepted on an open role of the first organisation that counts toward
/// "Youth leadership" stage 1 (4 of its 6 hours confirmed, so logging 2 more and a
/// Teamwork sign-off complete it).
async fn young_volunteer(
    db: &DatabaseConnection,
    first_stage: &[(&'static str, i32)],
    open_roles: &[role::Model],
    now: time::OffsetDateTime,
) -> Result<u64, SeedError> {
    let Some(person) = user::Entity::find()
        .filter(user::Column::Email.eq(YOUNG_VOLUNTEER_EMAIL))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let Some(profile) = volunteer_profile::Entity::find()
        .filter(volunteer_profile::Column::UserId.eq(person.id))
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let Some(first_org) = organisation::Entity::find()
        .order_by_asc(organisation::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(0);
    };
    let stage_of = |slug: &str| {
        first_stage
            .iter()
            .find(|(s, _)| *s == slug)
            .map(|(_, id)| *id)
    };
    let today = crate::domain::london_time::to_london(now).date();
    let mut enrolled = 0;
    pathway_enrolment::ActiveModel {
        volunteer_profile_id: Set(profile.id),
        pathway_id: Set(pathway_id(db, "food-hub-logistics").await?),
        joined_at: Set(now - Duration::days(60)),
        left_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    enrolled += 1;

    // The journey's role: the first organisation's first open role, made youth-friendly.
    if let (Some(r), Some(youth), Some(food)) = (
        open_roles
            .iter()
            .find(|r| r.organisation_id == first_org.id),
        stage_of(JOURNEY_PATHWAY),
        stage_of("food-hub-logistics"),
    ) {
        let mut am: role::ActiveModel = r.clone().into();
        am.youth_friendly = Set(true);
        am.min_age = Set(14);
        am.update(db).await?;
        tag(db, r.id, youth).await?;
        tag(db, r.id, food).await?;
        let existing = application::Entity::find()
            .filter(application::Column::VolunteerId.eq(profile.id))
            .filter(application::Column::RoleId.eq(r.id))
            .one(db)
            .await?;
        let (applied_at, accepted_at) = (now - Duration::days(45), now - Duration::days(44));
        let (app, was) = match existing {
            Some(a) => {
                let was = a.status.clone();
                let mut am: application::ActiveModel = a.into();
                am.status = Set("accepted".into());
                am.created_at = Set(applied_at);
                am.decided_at = Set(Some(accepted_at));
                (am.update(db).await?, Some(was))
            }
            None => {
                let app = application::ActiveModel {
                    volunteer_id: Set(profile.id),
                    role_id: Set(r.id),
                    status: Set("accepted".into()),
                    message: Set("I'd like to help out after school.".into()),
                    created_at: Set(applied_at),
                    updated_at: Set(accepted_at),
                    decided_at: Set(Some(accepted_at)),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                application_event::ActiveModel {
                    application_id: Set(app.id),
                    from_status: Set(None),
                    to_status: Set("applied".into()),
                    actor_user_id: Set(Some(person.id)),
                    note: Set(String::new()),
                    created_at: Set(applied_at),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                (app, Some("applied".to_owned()))
            }
        };
        // Every application's history says how it got to where it is.
        if was.as_deref() != Some("accepted") {
            application_event::ActiveModel {
                application_id: Set(app.id),
                from_status: Set(was),
                to_status: Set("accepted".into()),
                actor_user_id: Set(None),
                note: Set(String::new()),
                created_at: Set(accepted_at),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
        for (days_ago, minutes) in [(30, 120), (16, 120)] {
            hours_log::ActiveModel {
                volunteer_id: Set(profile.id),
                role_id: Set(app.role_id),
                session_id: Set(None),
                worked_on: Set(today - Duration::days(days_ago)),
                minutes: Set(minutes),
                status: Set("confirmed".into()),
                note: Set("Helped set up and clear away.".into()),
                reviewed_by: Set(None),
                reviewed_at: Set(Some(now - Duration::days(days_ago - 1))),
                created_at: Set(now - Duration::days(days_ago)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(enrolled)
}

async fn pathway_id(db: &DatabaseConnection, slug: &str) -> Result<i32, SeedError> {
    pathway::Entity::find()
        .filter(pathway::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(|p| p.id)
        .ok_or_else(|| SeedError::Generator(format!("demo pathway {slug} missing")))
}
