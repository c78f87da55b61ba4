//! The front desk's rules: a social referral's lifecycle, its hopes and needs tags, and the
//! hub's referral report (by source and outcome per month, days to starting), suppressed.
use std::collections::BTreeMap;

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::domain::representativeness::{MIN_PUBLISHED, Published, PublishedTable, suppress_table};

/// Where a social referral stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Sent,
    Received,
    Contacted,
    Started,
    Ended,
    Declined,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Self::Sent,
        Self::Received,
        Self::Contacted,
        Self::Started,
        Self::Ended,
        Self::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Received => "received",
            Self::Contacted => "contacted",
            Self::Started => "started",
            Self::Ended => "ended",
            Self::Declined => "declined",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// How the stage reads on a page.
    pub fn label(self) -> &'static str {
        match self {
            Self::Sent => "Sent",
            Self::Received => "Received by the organisation",
            Self::Contacted => "Organisation in touch",
            Self::Started => "Started volunteering",
            Self::Ended => "Ended",
            Self::Declined => "Declined",
        }
    }

    /// The stages the receiving organisation may move a referral to from here. It can
    /// skip ahead (a resident who walks in is contacted and starts the same day), never
    /// go back, and nothing follows ended or declined.
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Sent => &[Received, Contacted, Declined],
            Received => &[Contacted, Declined],
            Contacted => &[Started, Declined],
            Started => &[Ended],
            Ended | Declined => &[],
        }
    }

    pub fn can_move_to(self, to: Stage) -> bool {
        self.next().contains(&to)
    }

    /// Waiting for the organisation's first contact.
    pub fn awaiting_contact(self) -> bool {
        matches!(self, Self::Sent | Self::Received)
    }

    /// The label of the button that moves a referral to this stage.
    pub fn action_label(self) -> &'static str {
        match self {
            Self::Sent => "Send",
            Self::Received => "Mark as received",
            Self::Contacted => "We have contacted them",
            Self::Started => "They have started",
            Self::Ended => "Volunteering has ended",
            Self::Declined => "Decline",
        }
    }
}

/// Referrals with no contact this many days after they were sent are stale.
pub const STALE_AFTER_DAYS: i64 = 7;

/// Outcomes are recorded at these checkpoints (weeks after the referral).
pub const CHECKPOINTS: [i32; 2] = [4, 12];

/// Where one outcome check of a referral stands, for the referrer's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckpointState {
    /// Its date has not come yet (it may still be recorded early).
    Upcoming,
    /// Its date has passed, the resident has started and nothing is recorded: call them.
    Due,
    /// An outcome is recorded.
    Recorded,
    /// The resident never started, so there is nothing to check.
    NotApplicable,
}

/// When the check `weeks` after a referral sent at `sent` falls due.
pub fn checkpoint_due_at(sent: OffsetDateTime, weeks: i32) -> OffsetDateTime {
    sent + Duration::weeks(i64::from(weeks))
}

/// Where the `weeks` check of a referral sent at `sent` stands at `now`.
pub fn checkpoint_state(
    sent: OffsetDateTime,
    weeks: i32,
    now: OffsetDateTime,
    started: bool,
    recorded: bool,
) -> CheckpointState {
    if recorded {
        CheckpointState::Recorded
    } else if !started {
        CheckpointState::NotApplicable
    } else if now >= checkpoint_due_at(sent, weeks) {
        CheckpointState::Due
    } else {
        CheckpointState::Upcoming
    }
}

/// What a resident hopes volunteering brings: `(tag, label)`.
pub const HOPES: [(&str, &str); 4] = [
    ("confidence", "Confidence"),
    ("company", "Company and meeting people"),
    ("skills", "New skills"),
    ("routine", "A routine"),
];

/// What the organisation should arrange: `(tag, label)`.
pub const NEEDS: [(&str, &str); 3] = [
    ("low_commitment", "Low commitment to start with"),
    ("step_free", "Step-free access"),
    (
        "accompanied_first_visit",
        "Someone to go with them the first time",
    ),
];

/// The chosen tags in the vocabulary's order, or the first one not in it.
pub fn tags<'a>(
    chosen: impl IntoIterator<Item = &'a str>,
    vocabulary: &[(&str, &str)],
) -> Result<Vec<String>, String> {
    let chosen: Vec<&str> = chosen
        .into_iter()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if let Some(bad) = chosen
        .iter()
        .find(|t| !vocabulary.iter().any(|(tag, _)| tag == *t))
    {
        return Err((*bad).to_owned());
    }
    Ok(vocabulary
        .iter()
        .filter(|(tag, _)| chosen.contains(tag))
        .map(|(tag, _)| (*tag).to_owned())
        .collect())
}

/// The labels of comma-separated stored tags.
pub fn tag_labels(stored: &str) -> Vec<&'static str> {
    stored
        .split(',')
        .filter_map(|t| {
            HOPES
                .iter()
                .chain(NEEDS.iter())
                .find(|(tag, _)| *tag == t.trim())
                .map(|(_, label)| *label)
        })
        .collect()
}

/// Who a referral came from, for the report.
pub const SOURCES: [(&str, &str); 3] = [
    ("link_worker", "Hub link worker"),
    ("gp_network", "GP practice network"),
    ("hub", "Hub staff"),
];

/// How a referral ended up, for the report: where it stands now, grouped.
pub const OUTCOMES: [(&str, &str); 4] = [
    ("waiting", "Waiting for contact"),
    ("contacted", "In touch, not started yet"),
    ("started", "Started volunteering"),
    ("declined", "Declined"),
];

fn outcome_of(stage: Stage) -> &'static str {
    match stage {
        Stage::Sent | Stage::Received => "waiting",
        Stage::Contacted => "contacted",
        Stage::Started | Stage::Ended => "started",
        Stage::Declined => "declined",
    }
}

/// One referral as the report counts it.
#[derive(Clone, Debug)]
pub struct ReferralFact {
    /// `YYYY-MM` of the referral.
    pub month: String,
    pub source: String,
    pub stage: Stage,
    /// Days from the referral to the resident starting, when they have.
    pub days_to_start: Option<i64>,
}

/// The hub's referral report as published.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReferralReport {
    pub months: Vec<String>,
    /// Rows: months; columns: [`SOURCES`].
    pub by_source: PublishedTable,
    /// Rows: months; columns: [`OUTCOMES`].
    pub by_outcome: PublishedTable,
    /// How many residents have started (suppressed under 5).
    pub started: Published,
    /// Median whole days from referral to starting; `None` when fewer than 5 started
    /// (a median of 1–4 people describes them too closely).
    pub median_days_to_start: Option<f64>,
}

/// The median of whole numbers (mean of the middle two for an even count).
pub fn median(values: &[i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid] as f64
    } else {
        (sorted[mid - 1] + sorted[mid]) as f64 / 2.0
    })
}

/// Counts referrals per month by source and by outcome, suppressing small numbers as
/// the diversity report does (no figure of 1–4, none recoverable from the totals).
pub fn referral_report(facts: &[ReferralFact]) -> ReferralReport {
    let mut months: BTreeMap<&str, (Vec<u64>, Vec<u64>)> = BTreeMap::new();
    for f in facts {
        let (src, out) = months
            .entry(f.month.as_str())
            .or_insert_with(|| (vec![0; SOURCES.len()], vec![0; OUTCOMES.len()]));
        if let Some(i) = SOURCES.iter().position(|(s, _)| *s == f.source) {
            src[i] += 1;
        }
        let outcome = outcome_of(f.stage);
        if let Some(i) = OUTCOMES.iter().position(|(o, _)| *o == outcome) {
            out[i] += 1;
        }
    }
    let by_source: Vec<Vec<u64>> = months.values().map(|(s, _)| s.clone()).collect();
    let by_outcome: Vec<Vec<u64>> = months.values().map(|(_, o)| o.clone()).collect();
    let days: Vec<i64> = facts.iter().filter_map(|f| f.days_to_start).collect();
    let started = days.len() as u64;
    ReferralReport {
        months: months.keys().map(|m| (*m).to_owned()).collect(),
        by_source: suppress_table(&by_source),
        by_outcome: suppress_table(&by_outcome),
        started: if (1..MIN_PUBLISHED).contains(&started) {
            Published::Suppressed
        } else {
            Published::Shown(started)
        },
        median_days_to_start: if started >= MIN_PUBLISHED {
            median(&days)
        } else {
            None
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_check_falls_due_the_given_weeks_after_the_referral_once_the_resident_started() {
        let sent = time::macros::datetime!(2026-11-02 10:00 UTC);
        let day = |d: i64| sent + Duration::days(d);
        assert_eq!(
            checkpoint_due_at(sent, 4),
            time::macros::datetime!(2026-11-30 10:00 UTC)
        );
        let state = |now, started, recorded| checkpoint_state(sent, 4, now, started, recorded);
        assert_eq!(state(day(27), true, false), CheckpointState::Upcoming);
        assert_eq!(state(day(28), true, false), CheckpointState::Due);
        assert_eq!(state(day(90), true, true), CheckpointState::Recorded);
        assert_eq!(state(day(90), false, false), CheckpointState::NotApplicable);
        assert_eq!(
            checkpoint_state(sent, 12, day(83), true, false),
            CheckpointState::Upcoming
        );
    }

    #[test]
    fn an_organisation_moves_a_referral_forward_never_back() {
        assert!(Stage::Sent.can_move_to(Stage::Received));
        assert!(Stage::Received.can_move_to(Stage::Contacted));
        assert!(Stage::Contacted.can_move_to(Stage::Started));
        assert!(Stage::Started.can_move_to(Stage::Ended));
        assert!(Stage::Received.can_move_to(Stage::Declined));
        assert!(!Stage::Started.can_move_to(Stage::Contacted));
        assert!(!Stage::Declined.can_move_to(Stage::Started));
        assert!(!Stage::Ended.can_move_to(Stage::Started));
        assert!(!Stage::Received.can_move_to(Stage::Started));
        assert!(!Stage::Sent.can_move_to(Stage::Sent));
    }

    #[test]
    fn tags_keep_the_vocabularys_order_and_name_an_unknown_one() {
        assert_eq!(
            tags(["routine", "confidence"], &HOPES).unwrap(),
            vec!["confidence", "routine"]
        );
        assert_eq!(tags(["money"], &HOPES).unwrap_err(), "money");
        assert_eq!(
            tag_labels("step_free,company"),
            vec!["Step-free access", "Company and meeting people"]
        );
    }

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[9, 1, 5]), Some(5.0));
        assert_eq!(median(&[1, 2, 3, 10]), Some(2.5));
    }

    fn fact(month: &str, source: &str, stage: Stage, days: Option<i64>) -> ReferralFact {
        ReferralFact {
            month: month.into(),
            source: source.into(),
            stage,
            days_to_start: days,
        }
    }

    #[test]
    fn the_median_days_to_start_is_hidden_below_five_people() {
        let four: Vec<ReferralFact> = (0..4)
            .map(|d| fact("2026-10", "hub", Stage::Started, Some(d)))
            .collect();
        let report = referral_report(&four);
        assert_eq!(report.median_days_to_start, None);
        assert_eq!(report.started, Published::Suppressed);
        let mut five = four.clone();
        five.push(fact("2026-10", "hub", Stage::Started, Some(10)));
        let report = referral_report(&five);
        assert_eq!(report.median_days_to_start, Some(2.0));
        assert_eq!(report.started, Published::Shown(5));
    }

    #[test]
    fn months_are_counted_by_source_and_outcome() {
        let mut facts = Vec::new();
        for _ in 0..6 {
            facts.push(fact("2026-09", "link_worker", Stage::Started, Some(3)));
        }
        for _ in 0..5 {
            facts.push(fact("2026-09", "gp_network", Stage::Declined, None));
        }
        let report = referral_report(&facts);
        assert_eq!(report.months, vec!["2026-09"]);
        assert_eq!(report.by_source.cells[0][0], Published::Shown(6));
        assert_eq!(report.by_source.cells[0][1], Published::Shown(5));
        assert_eq!(report.by_outcome.cells[0][2], Published::Shown(6));
        assert_eq!(report.by_outcome.cells[0][3], Published::Shown(5));
    }

    proptest! {
        #[test]
        fn no_published_figure_is_between_one_and_four(
            raw in proptest::collection::vec((0usize..3, 0usize..6, 0usize..3), 0..60)
        ) {
            let months = ["2026-08", "2026-09", "2026-10"];
            let facts: Vec<ReferralFact> = raw
                .iter()
                .map(|&(m, s, src)| fact(months[m], SOURCES[src].0, Stage::ALL[s], None))
                .collect();
            let report = referral_report(&facts);
            for table in [&report.by_source, &report.by_outcome] {
                let figures = table
                    .cells
                    .iter()
                    .flatten()
                    .chain(&table.row_totals)
                    .chain(&table.column_totals)
                    .chain(std::iter::once(&table.grand_total));
                for p in figures {
                    if let Some(n) = p.shown() {
                        prop_assert!(n == 0 || n >= MIN_PUBLISHED);
                    }
                }
            }
        }
    }
}
