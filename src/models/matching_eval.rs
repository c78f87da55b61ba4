//! Offline evaluation of matching on demo data: precision@k of recommendations
//! against each synthetic volunteer's planted causes, against a "newest roles first"
//! baseline, and how unequally volunteers are shown to organisations (exposure Gini)
//! with and without the fairness tie-break.
//!
//! The demo generator stores each volunteer's planted "true preference" causes as
//! their profile causes, so a ranking that reads profile causes sees the answer. The
//! report therefore also ranks with the volunteer's causes hidden ("blind"): that
//! figure says whether the rest of the profile (skills, free time, place) points at
//! the right roles, and is the fair one to compare with the baseline.
use std::collections::{HashMap, HashSet};
use std::fmt;

use sea_orm::{ConnectionTrait, DbErr};
use time::OffsetDateTime;

use crate::domain::matching::{
    self, RoleFacts, VolunteerFacts, Weights, eligibility, gini, precision_at,
};
use crate::entities::{user, volunteer_profile};
use crate::models::matching::{all_open_facts, volunteers_where};

/// What the evaluation found.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalReport {
    pub k: usize,
    pub open_roles: usize,
    /// Volunteers with at least one eligible open role (the ones scored).
    pub volunteers_evaluated: usize,
    pub precision_matching: f64,
    pub precision_matching_blind: f64,
    pub precision_newest_first: f64,
    /// Share of eligible roles that are relevant, averaged: what a random pick scores.
    pub precision_random: f64,
    pub suggestions_per_role: usize,
    pub opted_in_volunteers: usize,
    pub gini_with_fairness: f64,
    pub gini_without_fairness: f64,
    /// Share of opted-in volunteers shown at least once.
    pub coverage_with_fairness: f64,
    pub coverage_without_fairness: f64,
    /// Mean fit (score without the fairness part) of the volunteers shown: what the
    /// spreading costs.
    pub mean_score_with_fairness: f64,
    pub mean_score_without_fairness: f64,
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = self.k;
        writeln!(
            f,
            "open roles {}, volunteers with an eligible role {}",
            self.open_roles, self.volunteers_evaluated
        )?;
        writeln!(f, "precision@{k} (relevant: shares a planted cause)")?;
        writeln!(
            f,
            "  matching (profile causes = planted) {:.3}",
            self.precision_matching
        )?;
        writeln!(
            f,
            "  matching, causes hidden (blind)     {:.3}",
            self.precision_matching_blind
        )?;
        writeln!(
            f,
            "  baseline: newest eligible first     {:.3}",
            self.precision_newest_first
        )?;
        writeln!(
            f,
            "  random eligible role (expected)     {:.3}",
            self.precision_random
        )?;
        writeln!(
            f,
            "exposure over top-{} suggestions for every open role, {} opted-in volunteers",
            self.suggestions_per_role, self.opted_in_volunteers
        )?;
        writeln!(
            f,
            "  with fairness tie-break    Gini {:.3}, shown at least once {:.1}%, mean fit {:.3}",
            self.gini_with_fairness,
            self.coverage_with_fairness * 100.0,
            self.mean_score_with_fairness
        )?;
        write!(
            f,
            "  without fairness tie-break Gini {:.3}, shown at least once {:.1}%, mean fit {:.3}",
            self.gini_without_fairness,
            self.coverage_without_fairness * 100.0,
            self.mean_score_without_fairness
        )
    }
}

fn relevant(v_causes: &HashSet<&str>, r: &RoleFacts) -> bool {
    r.causes.iter().any(|c| v_causes.contains(c.as_str()))
}

/// Precision of the three rankings for one volunteer, or `None` if no role is
/// eligible for them. `newest` holds role indexes, newest first.
fn precisions(
    v: &VolunteerFacts,
    roles: &[RoleFacts],
    newest: &[usize],
    weights: &Weights,
    k: usize,
) -> Option<[f64; 4]> {
    let planted: HashSet<&str> = v.causes.iter().map(String::as_str).collect();
    let by_id: HashMap<i32, &RoleFacts> = roles.iter().map(|r| (r.id, r)).collect();
    let judge = |ranked: Vec<(i32, matching::Match)>| {
        precision_at(
            k,
            ranked
                .iter()
                .map(|(id, _)| by_id.get(id).is_some_and(|r| relevant(&planted, r))),
        )
    };
    let eligible: Vec<usize> = newest
        .iter()
        .copied()
        .filter(|&i| eligibility(v, &roles[i]).is_ok())
        .collect();
    if eligible.is_empty() {
        return None;
    }
    let with = judge(matching::rank_roles_for(v, roles, weights, k));
    let blind_v = VolunteerFacts {
        causes: Vec::new(),
        ..v.clone()
    };
    let blind = judge(matching::rank_roles_for(&blind_v, roles, weights, k));
    let baseline = precision_at(
        k,
        eligible
            .iter()
            .take(k)
            .map(|&i| relevant(&planted, &roles[i])),
    );
    let random = eligible
        .iter()
        .filter(|&&i| relevant(&planted, &roles[i]))
        .count() as f64
        / eligible.len() as f64;
    Some([
        with,
        blind,
        baseline,
        random.min(1.0) * (eligible.len().min(k) as f64 / k as f64),
    ])
}

/// Shows each role's top `n` volunteers in turn; with `fairness`, every showing counts
/// toward the volunteer's `recent_suggestions`, as invitations do in the service.
/// Returns each volunteer's showings and the mean fit (score without the fairness
/// part) of those shown.
pub fn exposure(
    roles: &[RoleFacts],
    volunteers: &[VolunteerFacts],
    weights: &Weights,
    n: usize,
    fairness: bool,
) -> (Vec<f64>, f64) {
    let mut pool: Vec<VolunteerFacts> = volunteers
        .iter()
        .cloned()
        .map(|mut v| {
            v.recent_suggestions = 0;
            v
        })
        .collect();
    let index: HashMap<i32, usize> = pool.iter().enumerate().map(|(i, v)| (v.id, i)).collect();
    let w = if fairness {
        *weights
    } else {
        Weights {
            fairness: 0.0,
            ..*weights
        }
    };
    // Fit is scored without the fairness part either way, so the two runs compare.
    let fit = Weights {
        fairness: 0.0,
        ..*weights
    };
    let mut shown = vec![0.0; pool.len()];
    let (mut total, mut count) = (0.0, 0usize);
    for r in roles {
        let top = matching::rank_volunteers_for(r, &pool, &w, n);
        for (id, _) in &top {
            if let Some(&i) = index.get(id) {
                shown[i] += 1.0;
                total += matching::score(&pool[i], r, &fit).score;
                count += 1;
                if fairness {
                    pool[i].recent_suggestions += 1;
                }
            }
        }
    }
    (shown, if count > 0 { total / count as f64 } else { 0.0 })
}

/// Runs the evaluation on whatever the database holds (normally the demo).
pub async fn evaluate<C: ConnectionTrait>(
    db: &C,
    weights: &Weights,
    k: usize,
    suggestions_per_role: usize,
) -> Result<EvalReport, DbErr> {
    use sea_orm::ColumnTrait;
    use sea_orm::sea_query::{Condition, Expr, ExprTrait};

    let now: OffsetDateTime = crate::db::now();
    let (roles, created) = all_open_facts(db, now).await?;
    let created: HashMap<i32, OffsetDateTime> = created.into_iter().collect();
    let mut newest: Vec<usize> = (0..roles.len()).collect();
    newest.sort_by(|&a, &b| {
        created
            .get(&roles[b].id)
            .cmp(&created.get(&roles[a].id))
            .then(roles[b].id.cmp(&roles[a].id))
    });
    let active = Condition::all()
        .add(Expr::col((user::Entity, user::Column::Status)).eq("active"))
        .add(Expr::col((user::Entity, user::Column::ErasedAt)).is_null());
    let volunteers = volunteers_where(db, active.clone(), now).await?;

    let mut sums = [0.0; 4];
    let mut evaluated = 0usize;
    for v in &volunteers {
        if let Some(p) = precisions(v, &roles, &newest, weights, k) {
            for (s, x) in sums.iter_mut().zip(p) {
                *s += x;
            }
            evaluated += 1;
        }
    }
    let mean = |s: f64| {
        if evaluated > 0 {
            s / evaluated as f64
        } else {
            0.0
        }
    };

    let opted_in = volunteers_where(
        db,
        active.add(volunteer_profile::Column::OpenToSuggestions.eq(true)),
        now,
    )
    .await?;
    let (with, score_with) = exposure(&roles, &opted_in, weights, suggestions_per_role, true);
    let (without, score_without) =
        exposure(&roles, &opted_in, weights, suggestions_per_role, false);
    let coverage = |shown: &[f64]| {
        if shown.is_empty() {
            0.0
        } else {
            shown.iter().filter(|x| **x > 0.0).count() as f64 / shown.len() as f64
        }
    };
    Ok(EvalReport {
        k,
        open_roles: roles.len(),
        volunteers_evaluated: evaluated,
        precision_matching: mean(sums[0]),
        precision_matching_blind: mean(sums[1]),
        precision_newest_first: mean(sums[2]),
        precision_random: mean(sums[3]),
        suggestions_per_role,
        opted_in_volunteers: opted_in.len(),
        gini_with_fairness: gini(&with),
        gini_without_fairness: gini(&without),
        coverage_with_fairness: coverage(&with),
        coverage_without_fairness: coverage(&without),
        mean_score_with_fairness: score_with,
        mean_score_without_fairness: score_without,
    })
}
