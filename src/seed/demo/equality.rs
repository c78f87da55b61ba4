//! Demo equality-monitoring answers: census categories from `baseline.csv`, skewed
//! the way formal volunteering is (more white British, fewer Black and Asian people
//! than live in Southwark), with "prefer not to say" and unanswered questions.
//!
//! Answers come from a person's hidden demographics only; nothing matching reads
//! (skills, causes, availability) is derived from them.

use super::pick::{Cumulative, chance, weighted_index};
use super::volunteers::Person;
use super::{EQUALITY_MONITORING, Gen, int, opt_text, take, ts};
use crate::seed::reference::{PREFER_NOT_TO_SAY, census_baseline};

/// Categories a person can choose for a dimension, with census counts
/// (the census's own `not_answered` is not a choice on our form).
fn choices(dimension: &str) -> Vec<(&'static str, f64)> {
    census_baseline()
        .iter()
        .filter(|r| r.dimension == dimension && r.category != "not_answered")
        .map(|r| (r.category, r.count as f64))
        .collect()
}

/// Who volunteers, relative to who lives in Southwark: formal volunteers are
/// disproportionately white British; Black African, Asian and "any other"
/// residents are under-represented.
fn ethnicity_skew(ethnicity: &str) -> f64 {
    match ethnicity {
        "white_british" => 1.7,
        "white_irish" => 1.4,
        "white_other" => 1.0,
        "white_gypsy_or_irish_traveller" | "white_roma" => 0.6,
        "black_african" => 0.6,
        "black_caribbean" => 0.75,
        "black_other" => 0.55,
        e if e.starts_with("asian_") => 0.7,
        e if e.starts_with("mixed_") => 0.9,
        "other_arab" => 0.7,
        _ => 0.5,
    }
}

/// Religion given ethnicity, relative to the borough-wide shares.
fn religion_skew(ethnicity: &str, religion: &str) -> f64 {
    let group = ethnicity.split('_').next().unwrap_or("");
    match (ethnicity, religion) {
        ("asian_bangladeshi" | "asian_pakistani" | "other_arab", "muslim") => 40.0,
        ("asian_bangladeshi" | "asian_pakistani" | "other_arab", _) => 0.3,
        ("asian_indian", "hindu") => 40.0,
        ("asian_indian", "sikh") => 60.0,
        ("asian_indian", "muslim") => 1.5,
        ("asian_chinese", "no_religion") => 2.0,
        ("asian_chinese", "buddhist") => 12.0,
        (_, "muslim") if group == "white" => 0.15,
        (_, "jewish") if group == "white" => 2.0,
        (_, "no_religion") if group == "white" => 1.4,
        (_, "christian") if group == "black" => 2.0,
        (_, "no_religion") if group == "black" => 0.35,
        (_, "muslim") if group == "black" => 1.2,
        (_, "hindu" | "sikh" | "buddhist" | "jewish") if group == "black" => 0.1,
        (_, "muslim") if group == "other" => 3.0,
        (_, "hindu" | "sikh") if group == "asian" => 3.0,
        (_, "buddhist") if group == "asian" => 5.0,
        (_, "no_religion") if group == "mixed" => 1.3,
        _ => 1.0,
    }
}

/// Census distributions, prepared once.
pub(crate) struct Census {
    ethnicities: Vec<&'static str>,
    ethnicity_pick: Cumulative,
    religions: Vec<(&'static str, f64)>,
    orientations: Vec<(&'static str, f64)>,
}

impl Census {
    pub(crate) fn new() -> Self {
        let eth = choices("ethnicity");
        Census {
            ethnicity_pick: Cumulative::new(eth.iter().map(|(e, n)| n * ethnicity_skew(e))),
            ethnicities: eth.iter().map(|(e, _)| *e).collect(),
            religions: choices("religion"),
            orientations: choices("sexual_orientation"),
        }
    }

    /// A volunteer's (hidden) ethnicity.
    pub(crate) fn ethnicity(&self, rng: &mut super::pick::DemoRng) -> &'static str {
        self.ethnicities[self.ethnicity_pick.sample(rng)]
    }
}

/// What someone answers to one question: the true answer, "prefer not to say", or nothing.
fn answer(
    rng: &mut super::pick::DemoRng,
    prefer_not: f64,
    skip: f64,
    truth: &'static str,
) -> Option<&'static str> {
    match weighted_index(rng, &[prefer_not, skip, 1.0 - prefer_not - skip]) {
        0 => Some(PREFER_NOT_TO_SAY),
        1 => None,
        _ => Some(truth),
    }
}

impl Gen {
    /// One equality_monitoring row for someone who agreed to answer.
    pub(super) fn equality_answers(&mut self, p: &Person) {
        let rng = &mut self.rng;
        let sex = answer(rng, 0.03, 0.02, if p.female { "female" } else { "male" });
        let ethnicity = answer(rng, 0.07, 0.03, p.ethnicity);
        let group = match ethnicity {
            // The broad group always agrees with the detailed answer.
            Some(e) if e != PREFER_NOT_TO_SAY => e.split('_').next(),
            Some(_) => Some(if chance(rng, 0.8) {
                PREFER_NOT_TO_SAY
            } else {
                group_of(p.ethnicity)
            }),
            None => None,
        };
        let disability = answer(
            rng,
            0.07,
            0.04,
            if p.disabled {
                "disabled"
            } else {
                "not_disabled"
            },
        );
        let weights: Vec<f64> = self
            .census
            .religions
            .iter()
            .map(|(r, n)| n * religion_skew(p.ethnicity, r))
            .collect();
        let religion_truth = self.census.religions[weighted_index(rng, &weights)].0;
        let religion = answer(rng, 0.09, 0.05, religion_truth);
        let orientation = if p.age < 16 {
            None
        } else {
            let young = p.age < 30;
            let weights: Vec<f64> = self
                .census
                .orientations
                .iter()
                .map(|(o, n)| match *o {
                    "bisexual" if young => n * 2.5,
                    "other" if young => n * 1.5,
                    _ => *n,
                })
                .collect();
            let truth = self.census.orientations[weighted_index(rng, &weights)].0;
            answer(rng, 0.10, 0.06, truth)
        };
        let consented =
            (p.created + time::Duration::minutes(super::pick::between(rng, 2, 40))).min(self.now);
        let id = take(&mut self.ids.equality);
        let s = |v: Option<&str>| opt_text(v.map(str::to_string));
        self.sink.row(
            EQUALITY_MONITORING,
            [
                int(id),
                int(p.user_id),
                ts(consented),
                opt_text(None),
                s(sex),
                s(group),
                s(ethnicity),
                s(disability),
                s(religion),
                s(orientation),
                ts(consented),
            ],
        );
    }
}

fn group_of(ethnicity: &'static str) -> &'static str {
    ethnicity.split('_').next().unwrap_or(ethnicity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ethnicity_maps_to_a_five_way_group_in_the_baseline() {
        let groups: Vec<&str> = choices("ethnic_group").iter().map(|(g, _)| *g).collect();
        let eths = choices("ethnicity");
        assert_eq!(eths.len(), 19);
        assert_eq!(groups.len(), 5);
        for (e, _) in eths {
            assert!(groups.contains(&group_of(e)), "{e}");
            assert!(!super::super::super::names::origins_for(e).is_empty());
        }
    }

    #[test]
    fn the_skew_over_represents_white_british_volunteers() {
        let census = Census::new();
        let mut rng = <super::super::pick::DemoRng as rand::SeedableRng>::seed_from_u64(7);
        let n = 20_000;
        let wb = (0..n)
            .filter(|_| census.ethnicity(&mut rng) == "white_british")
            .count() as f64
            / n as f64;
        // Southwark: 35.5% white British; volunteers here: clearly more.
        assert!((0.48..0.62).contains(&wb), "{wb}");
    }
}
