//! Front desk speed: the hub referral report (counts by month × source and outcome,
//! suppression, median days to starting) over 2,000 and 50,000 referrals, and the cost
//! the "to call" check adds to every ordinary email (a string test, no query).
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hubmatch::domain::front_desk::{ReferralFact, SOURCES, Stage, referral_report};
use hubmatch::models::assisted::is_no_email;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `n` referrals over 24 months, a few months thin enough to need suppression.
fn facts(n: usize) -> Vec<ReferralFact> {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    (0..n)
        .map(|_| {
            let month = rng.random_range(0..24u32);
            let stage = Stage::ALL[rng.random_range(0..Stage::ALL.len())];
            ReferralFact {
                month: format!("{:04}-{:02}", 2025 + month / 12, month % 12 + 1),
                source: SOURCES[rng.random_range(0..SOURCES.len())].0.to_owned(),
                stage,
                days_to_start: matches!(stage, Stage::Started | Stage::Ended)
                    .then(|| rng.random_range(0..60)),
            }
        })
        .collect()
}

fn report(c: &mut Criterion) {
    for n in [2_000, 50_000] {
        let all = facts(n);
        c.bench_function(&format!("referral report over {n} referrals"), |b| {
            b.iter(|| black_box(referral_report(black_box(&all))))
        });
    }
    c.bench_function("to-call check on an ordinary address", |b| {
        b.iter(|| black_box(is_no_email(black_box("Ada Lovelace <ada@example.org>"))))
    });
}

criterion_group!(benches, report);
criterion_main!(benches);
