//! How complete a volunteer profile is, and the one thing worth adding next.

/// What the hint looks at: counts and yes/no facts, nothing personal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProfileFacts {
    /// A ward or a postcode district.
    pub has_place: bool,
    pub availability_slots: usize,
    pub skills: usize,
    pub causes: usize,
    pub has_bio: bool,
    pub open_to_suggestions: bool,
}

/// A percentage and, unless the profile is complete, what to add next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completeness {
    pub percent: u8,
    pub next: Option<&'static str>,
}

/// A part of the profile: its weight, the nudge to fill it, and whether it is filled.
type Part = (u8, &'static str, fn(&ProfileFacts) -> bool);

/// Each part, its weight, and the nudge. Ordered by how much the part helps matching,
/// so the first missing one is the most useful thing to add. Weights sum to 100.
/// Languages and access needs are not counted: "English only" and "no access needs"
/// are complete answers.
const PARTS: &[Part] = &[
    (
        25,
        "Add when you are free so we can suggest roles at the right times",
        |f| f.availability_slots > 0,
    ),
    (
        20,
        "Choose the causes you care about so we can suggest roles you will enjoy",
        |f| f.causes > 0,
    ),
    (
        20,
        "Add your skills so organisations can see what you can bring",
        |f| f.skills > 0,
    ),
    (
        15,
        "Add your ward or postcode district so we can suggest roles near you",
        |f| f.has_place,
    ),
    (
        10,
        "Write a short bio so organisations get to know you",
        |f| f.has_bio,
    ),
    (10, "Let organisations suggest roles to you", |f| {
        f.open_to_suggestions
    }),
];

pub fn assess(facts: &ProfileFacts) -> Completeness {
    let percent = PARTS
        .iter()
        .filter(|(_, _, done)| done(facts))
        .map(|(weight, _, _)| *weight)
        .sum();
    let next = PARTS
        .iter()
        .find(|(_, _, done)| !done(facts))
        .map(|(_, hint, _)| *hint);
    Completeness { percent, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_make_a_hundred() {
        assert_eq!(PARTS.iter().map(|p| u32::from(p.0)).sum::<u32>(), 100);
    }

    #[test]
    fn an_empty_profile_is_asked_for_availability_first() {
        let c = assess(&ProfileFacts::default());
        assert_eq!(c.percent, 0);
        assert_eq!(
            c.next,
            Some("Add when you are free so we can suggest roles at the right times")
        );
    }

    #[test]
    fn the_hint_moves_on_as_parts_are_filled() {
        let mut facts = ProfileFacts {
            availability_slots: 3,
            ..ProfileFacts::default()
        };
        let c = assess(&facts);
        assert_eq!(c.percent, 25);
        assert!(c.next.unwrap().starts_with("Choose the causes"));

        facts.causes = 1;
        facts.has_place = true;
        let c = assess(&facts);
        assert_eq!(c.percent, 60);
        assert!(c.next.unwrap().starts_with("Add your skills"));
    }

    #[test]
    fn a_full_profile_is_complete_with_nothing_to_add() {
        let c = assess(&ProfileFacts {
            has_place: true,
            availability_slots: 21,
            skills: 2,
            causes: 4,
            has_bio: true,
            open_to_suggestions: true,
        });
        assert_eq!(
            c,
            Completeness {
                percent: 100,
                next: None
            }
        );
    }
}
