//! Small random-choice helpers over the demo's single ChaCha8 generator.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(crate) type DemoRng = ChaCha8Rng;

/// True with probability `p`.
pub(crate) fn chance(rng: &mut DemoRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// Uniform integer in `lo..=hi`.
pub(crate) fn between(rng: &mut DemoRng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// Uniform element of a non-empty slice.
pub(crate) fn one<'a, T>(rng: &mut DemoRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Index drawn with the given (non-negative) weights; the last index if all are zero.
pub(crate) fn weighted_index(rng: &mut DemoRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// Element of `(item, weight)` pairs drawn by weight.
pub(crate) fn weighted<'a, T>(rng: &mut DemoRng, items: &'a [(T, f64)]) -> &'a T {
    let total: f64 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.random::<f64>() * total;
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

/// `k` distinct indices drawn by weight, without replacement (weights are consumed).
pub(crate) fn distinct_weighted(rng: &mut DemoRng, weights: &mut [f64], k: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(k);
    for _ in 0..k {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            break;
        }
        let i = weighted_index(rng, weights);
        weights[i] = 0.0;
        out.push(i);
    }
    out
}

/// A fixed distribution sampled many times: cumulative weights and a binary search.
pub(crate) struct Cumulative {
    cum: Vec<f64>,
}

impl Cumulative {
    pub(crate) fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut acc = 0.0;
        let cum = weights
            .into_iter()
            .map(|w| {
                acc += w.max(0.0);
                acc
            })
            .collect();
        Cumulative { cum }
    }

    pub(crate) fn sample(&self, rng: &mut DemoRng) -> usize {
        let total = *self.cum.last().unwrap_or(&0.0);
        let x = rng.random::<f64>() * total;
        self.cum
            .partition_point(|&c| c <= x)
            .min(self.cum.len().saturating_sub(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn cumulative_follows_its_weights() {
        let mut rng = DemoRng::seed_from_u64(1);
        let c = Cumulative::new([1.0, 0.0, 3.0]);
        let mut counts = [0; 3];
        for _ in 0..4000 {
            counts[c.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!((800..1200).contains(&counts[0]), "{counts:?}");
    }

    #[test]
    fn distinct_weighted_never_repeats() {
        let mut rng = DemoRng::seed_from_u64(2);
        let mut w = vec![1.0; 5];
        let mut got = distinct_weighted(&mut rng, &mut w, 5);
        got.sort();
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
    }
}
