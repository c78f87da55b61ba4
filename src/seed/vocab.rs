//! The alliance's shared vocabularies (skills, causes, availability slots, access tags) as constant tables.
//!
//! Search, matching and the seed read these same tables, so a synonym or a slug is
//! written down once. Slugs are lower-case kebab and never change once published.

/// The three skill groups of the `skill.skill_group` CHECK.
pub const SKILL_GROUPS: [&str; 3] = ["essential", "functional", "practical"];

/// A skill in the vocabulary: slug, display name, group, one-line description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkillDef {
    pub slug: &'static str,
    pub name: &'static str,
    pub group: &'static str,
    pub description: &'static str,
}

const fn skill(
    slug: &'static str,
    name: &'static str,
    group: &'static str,
    description: &'static str,
) -> SkillDef {
    SkillDef {
        slug,
        name,
        group,
        description,
    }
}

/// Skills Builder's eight essential skills (levels are its 0–15 steps), the three
/// Functional Skills subjects (levels in [`FUNCTIONAL_LEVELS`]) and practical skills
/// (self-rated 0–15).
pub const SKILLS: &[SkillDef] = &[
    skill(
        "listening",
        "Listening",
        "essential",
        "Receiving, retaining and processing information or ideas (Skills Builder).",
    ),
    skill(
        "speaking",
        "Speaking",
        "essential",
        "Transmitting information or ideas orally, clearly and to suit the listener (Skills Builder).",
    ),
    skill(
        "problem-solving",
        "Problem Solving",
        "essential",
        "Finding a solution to a complex situation or challenge (Skills Builder).",
    ),
    skill(
        "creativity",
        "Creativity",
        "essential",
        "Using imagination and generating new ideas (Skills Builder).",
    ),
    skill(
        "staying-positive",
        "Staying Positive",
        "essential",
        "Using tactics and strategies to overcome setbacks and achieve goals (Skills Builder).",
    ),
    skill(
        "aiming-high",
        "Aiming High",
        "essential",
        "Setting clear, tangible goals and devising a robust route to achieving them (Skills Builder).",
    ),
    skill(
        "leadership",
        "Leadership",
        "essential",
        "Supporting, encouraging and developing others to achieve a shared goal (Skills Builder).",
    ),
    skill(
        "teamwork",
        "Teamwork",
        "essential",
        "Working cooperatively with others towards a shared goal (Skills Builder).",
    ),
    skill(
        "english",
        "English",
        "functional",
        "Functional Skills English, from Entry Level 1 to Level 2.",
    ),
    skill(
        "maths",
        "Maths",
        "functional",
        "Functional Skills maths, from Entry Level 1 to Level 2.",
    ),
    skill(
        "digital",
        "Digital",
        "functional",
        "Essential digital skills, from Entry Level 3 to Level 1.",
    ),
    skill(
        "cooking",
        "Cooking",
        "practical",
        "Preparing meals for groups, from community lunches to hot food at a hub.",
    ),
    skill(
        "food-hygiene",
        "Food hygiene",
        "practical",
        "Safe food handling; a Level 2 Food Hygiene certificate or working towards one.",
    ),
    skill(
        "driving",
        "Driving",
        "practical",
        "A full UK licence and confidence driving a car or van in London traffic.",
    ),
    skill(
        "gardening",
        "Gardening",
        "practical",
        "Growing food and flowers, weeding, planting and looking after green spaces.",
    ),
    skill(
        "first-aid",
        "First aid",
        "practical",
        "A current first aid certificate or recent training.",
    ),
    skill(
        "befriending",
        "Befriending",
        "practical",
        "Keeping someone company, in person or by phone, and noticing when they need more help.",
    ),
    skill(
        "mentoring",
        "Mentoring",
        "practical",
        "Supporting a young person or adult one-to-one towards their own goals.",
    ),
    skill(
        "admin",
        "Admin",
        "practical",
        "Office tasks: filing, emails, phones, keeping records tidy.",
    ),
    skill(
        "data-entry",
        "Data entry",
        "practical",
        "Entering and checking records accurately in spreadsheets or databases.",
    ),
    skill(
        "social-media",
        "Social media",
        "practical",
        "Writing posts, taking photos and running accounts for a small organisation.",
    ),
    skill(
        "fundraising",
        "Fundraising",
        "practical",
        "Collections, events, sponsored challenges and simple grant applications.",
    ),
    skill(
        "event-planning",
        "Event planning",
        "practical",
        "Organising fun days, fairs, workshops and meetings from start to finish.",
    ),
    skill(
        "translation-interpreting",
        "Translation/Interpreting",
        "practical",
        "Helping people who speak another language understand and be understood.",
    ),
    skill(
        "advice-and-guidance",
        "Advice and guidance",
        "practical",
        "Helping people with benefits, housing, debt or forms, with training and supervision.",
    ),
    skill(
        "diy-and-repairs",
        "DIY and repairs",
        "practical",
        "Fixing furniture, bikes and small electricals; simple decorating.",
    ),
    skill(
        "sports-coaching",
        "Sports coaching",
        "practical",
        "Running sessions for children or adults; a coaching badge helps.",
    ),
    skill(
        "arts-and-crafts",
        "Arts and crafts",
        "practical",
        "Running or helping with art, craft, sewing and making sessions.",
    ),
    skill(
        "music",
        "Music",
        "practical",
        "Playing, singing or running music sessions.",
    ),
    skill(
        "warehouse-and-stock",
        "Warehouse and stock",
        "practical",
        "Receiving, sorting, stacking and rotating stock; safe lifting.",
    ),
    skill(
        "customer-service",
        "Customer service",
        "practical",
        "Welcoming people, answering questions and dealing calmly with queries.",
    ),
];

/// Functional Skills levels stored in `volunteer_skill.level` / `role_skill.min_level`
/// for skills in the `functional` group.
pub const FUNCTIONAL_LEVELS: &[(i32, &str)] = &[
    (1, "Entry Level 1"),
    (2, "Entry Level 2"),
    (3, "Entry Level 3"),
    (4, "Level 1"),
    (5, "Level 2"),
];

/// Highest level on the Skills Builder scale (and the `level` CHECK).
pub const MAX_SKILL_LEVEL: i32 = 15;

/// A cause in the vocabulary, with comma-separated synonyms that search and
/// matching treat as the same interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CauseDef {
    pub slug: &'static str,
    pub name: &'static str,
    pub synonyms: &'static str,
}

const fn cause(slug: &'static str, name: &'static str, synonyms: &'static str) -> CauseDef {
    CauseDef {
        slug,
        name,
        synonyms,
    }
}

/// Causes in the style of the ODI Volunteering Data Standard's cause list.
pub const CAUSES: &[CauseDef] = &[
    cause(
        "older-people",
        "Older people",
        "elderly,seniors,pensioners,later life,older adults,ageing",
    ),
    cause(
        "children-and-young-people",
        "Children and young people",
        "youth,young people,kids,children,teenagers,families",
    ),
    cause(
        "food-poverty",
        "Food poverty",
        "food bank,food hub,pantry,meals,hunger,community fridge,food insecurity",
    ),
    cause(
        "homelessness-and-housing",
        "Homelessness and housing",
        "homeless,rough sleeping,housing,shelter,tenants,night shelter",
    ),
    cause(
        "health-and-social-care",
        "Health and social care",
        "health,NHS,hospital,care,social prescribing,carers,wellbeing",
    ),
    cause(
        "mental-health",
        "Mental health",
        "wellbeing,loneliness,isolation,peer support,anxiety,depression",
    ),
    cause(
        "disability",
        "Disability",
        "disabled people,accessibility,learning disability,SEND,special needs",
    ),
    cause(
        "environment-and-conservation",
        "Environment and conservation",
        "climate,green,nature,parks,recycling,sustainability,wildlife",
    ),
    cause(
        "animal-welfare",
        "Animal welfare",
        "animals,pets,city farm,wildlife rescue",
    ),
    cause(
        "arts-and-culture",
        "Arts and culture",
        "art,theatre,music,creative,museums,crafts",
    ),
    cause(
        "sport-and-recreation",
        "Sport and recreation",
        "sport,fitness,football,exercise,leisure,physical activity",
    ),
    cause(
        "education-and-literacy",
        "Education and literacy",
        "education,reading,tutoring,homework,literacy,learning,ESOL,English classes",
    ),
    cause(
        "digital-inclusion",
        "Digital inclusion",
        "IT,digital,computers,online,internet,tech,smartphones",
    ),
    cause(
        "advice-and-advocacy",
        "Advice and advocacy",
        "advice,benefits,debt,legal,welfare rights,advocacy,Universal Credit",
    ),
    cause(
        "refugees-and-asylum-seekers",
        "Refugees and asylum seekers",
        "refugees,asylum,migrants,sanctuary,newcomers",
    ),
    cause(
        "community-development",
        "Community development",
        "community,neighbourhood,residents,local,tenants' association,civic",
    ),
    cause(
        "faith",
        "Faith",
        "church,mosque,temple,faith groups,interfaith",
    ),
    cause(
        "heritage",
        "Heritage",
        "history,local history,archives,museums,heritage sites",
    ),
    cause(
        "crisis-support",
        "Crisis support",
        "emergency,crisis,cost of living,hardship,emergency food",
    ),
    cause(
        "employment-and-skills",
        "Employment and skills",
        "jobs,employment,careers,training,CV,work experience,apprenticeships",
    ),
];

/// The 21 weekly availability slots of the ODI Volunteering Data Standard, in
/// order Monday morning .. Sunday evening: the list the `availability.slot`
/// CHECK constraint enforces.
pub use migration::AVAILABILITY_SLOTS;

/// Access tags shared by `volunteer_profile.access_needs` and `role.access_provisions`.
pub const ACCESS_TAGS: &[(&str, &str)] = &[
    ("step_free", "Step-free access"),
    ("hearing_loop", "Hearing loop"),
    ("quiet_space", "Quiet space"),
    ("large_print", "Large print"),
    ("bsl", "British Sign Language"),
    ("seated", "Can be done seated"),
];

/// Languages commonly offered in Southwark, ISO 639-1 code and English name.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("yo", "Yoruba"),
    ("tw", "Twi"),
    ("ig", "Igbo"),
    ("bn", "Bengali"),
    ("tr", "Turkish"),
    ("ku", "Kurdish"),
    ("so", "Somali"),
    ("fr", "French"),
    ("pl", "Polish"),
    ("ro", "Romanian"),
    ("lt", "Lithuanian"),
    ("it", "Italian"),
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("vi", "Vietnamese"),
    ("tl", "Tagalog"),
    ("hi", "Hindi"),
    ("gu", "Gujarati"),
    ("pa", "Punjabi"),
    ("ur", "Urdu"),
    ("ta", "Tamil"),
    ("ti", "Tigrinya"),
    ("am", "Amharic"),
    ("de", "German"),
    ("el", "Greek"),
];

/// Looks up a skill by slug.
pub fn skill_by_slug(slug: &str) -> Option<&'static SkillDef> {
    SKILLS.iter().find(|s| s.slug == slug)
}

/// Looks up a cause by slug.
pub fn cause_by_slug(slug: &str) -> Option<&'static CauseDef> {
    CAUSES.iter().find(|c| c.slug == slug)
}

/// Index (0..21) of an ODI availability slot name.
pub fn slot_index(slot: &str) -> Option<usize> {
    AVAILABILITY_SLOTS.iter().position(|s| *s == slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn is_kebab(s: &str) -> bool {
        !s.is_empty()
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }

    #[test]
    fn vocabulary_slugs_are_unique_lower_kebab() {
        let mut seen = HashSet::new();
        for s in SKILLS {
            assert!(is_kebab(s.slug), "{}", s.slug);
            assert!(SKILL_GROUPS.contains(&s.group), "{}", s.group);
            assert!(seen.insert(s.slug), "duplicate skill {}", s.slug);
        }
        let mut seen = HashSet::new();
        for c in CAUSES {
            assert!(is_kebab(c.slug), "{}", c.slug);
            assert!(seen.insert(c.slug), "duplicate cause {}", c.slug);
            assert!(
                !c.synonyms.is_empty() && !c.synonyms.contains(", "),
                "{}",
                c.slug
            );
        }
    }

    #[test]
    fn the_eight_essential_skills_and_three_functional_subjects_are_there() {
        let count = |g: &str| SKILLS.iter().filter(|s| s.group == g).count();
        assert_eq!(count("essential"), 8);
        assert_eq!(count("functional"), 3);
        assert!(count("practical") >= 20);
        assert!(CAUSES.len() >= 20);
    }
}
