//! Which samples a step sees. The sampler owns nothing but its position in the
//! epoch; the random stream is the run's.

use crate::rng::Rng;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sampling {
    /// b indices drawn independently and uniformly (the lecture's analysis).
    #[default]
    WithReplacement,
    /// A fresh random permutation every epoch, cut into consecutive batches; the last
    /// batch of an epoch is smaller when b does not divide n (PyTorch's DataLoader with
    /// `shuffle=True, drop_last=False`).
    WithoutReplacement,
    /// 0, 1, …, n−1, 0, 1, … in order, cut into batches the same way.
    Cyclic,
    /// One random permutation drawn before the first epoch and kept: every epoch visits
    /// the samples in that same order, cut into batches the same way (shuffling a data
    /// set once on disk).
    ShuffleOnce,
}

#[derive(Clone, Debug)]
pub struct Sampler {
    mode: Sampling,
    n: u32,
    batch: u32,
    order: Vec<u32>,
    pos: usize,
    /// Non-uniform sampling with replacement: the cumulative probabilities
    /// P_i = p_0 + … + p_i (the last exactly 1), searched with one uniform draw.
    cumulative: Option<Vec<f64>>,
}

impl Sampler {
    pub fn new(mode: Sampling, n: usize, batch: usize) -> Sampler {
        let order = match mode {
            Sampling::WithReplacement => Vec::new(),
            _ => (0..n as u32).collect(),
        };
        // `pos = usize::MAX` makes the first call start an epoch (and shuffle).
        Sampler {
            mode,
            n: n as u32,
            batch: batch as u32,
            order,
            pos: usize::MAX,
            cumulative: None,
        }
    }

    /// The same sampler drawing sample i with probability `p[i]` (with replacement;
    /// `p` sums to 1 and has n entries). One uniform draw per sample, the index found
    /// by binary search in the cumulative sums.
    pub fn with_probabilities(mut self, p: &[f64]) -> Sampler {
        let mut acc = 0.0;
        let mut c: Vec<f64> = p
            .iter()
            .map(|&v| {
                acc += v;
                acc
            })
            .collect();
        if let Some(last) = c.last_mut() {
            *last = 1.0;
        }
        self.cumulative = Some(c);
        self
    }

    /// Fills `out` with the next batch's indices (cleared first).
    pub fn next_batch(&mut self, rng: &mut Rng, out: &mut Vec<u32>) {
        out.clear();
        match self.mode {
            Sampling::WithReplacement => match &self.cumulative {
                None => {
                    for _ in 0..self.batch {
                        out.push(rng.index(self.n));
                    }
                }
                Some(c) => {
                    for _ in 0..self.batch {
                        let u = rng.uniform();
                        // The first i with u < P_i (a sample of probability 0 is never
                        // drawn: its P_i equals the one before).
                        let i = c.partition_point(|&v| v <= u).min(c.len() - 1);
                        out.push(i as u32);
                    }
                }
            },
            Sampling::WithoutReplacement | Sampling::Cyclic | Sampling::ShuffleOnce => {
                if self.pos >= self.order.len() {
                    let first = self.pos == usize::MAX;
                    if self.mode == Sampling::WithoutReplacement
                        || (self.mode == Sampling::ShuffleOnce && first)
                    {
                        rng.shuffle(&mut self.order);
                    }
                    self.pos = 0;
                }
                let end = (self.pos + self.batch as usize).min(self.order.len());
                out.extend_from_slice(&self.order[self.pos..end]);
                self.pos = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_replacement_covers_each_epoch_exactly_once() {
        let mut rng = Rng::for_run(3, 0);
        let mut s = Sampler::new(Sampling::WithoutReplacement, 10, 4);
        let mut b = Vec::new();
        for _epoch in 0..3 {
            let mut seen = Vec::new();
            // 10 = 4 + 4 + 2: PyTorch's drop_last=False.
            for expect in [4, 4, 2] {
                s.next_batch(&mut rng, &mut b);
                assert_eq!(b.len(), expect);
                seen.extend_from_slice(&b);
            }
            seen.sort();
            assert_eq!(seen, (0..10).collect::<Vec<u32>>());
        }
    }

    #[test]
    fn shuffle_once_repeats_one_permutation_every_epoch() {
        let mut rng = Rng::for_run(5, 1);
        let mut s = Sampler::new(Sampling::ShuffleOnce, 12, 5);
        let mut b = Vec::new();
        let mut epochs: Vec<Vec<u32>> = Vec::new();
        for _ in 0..4 {
            let mut e = Vec::new();
            for expect in [5, 5, 2] {
                s.next_batch(&mut rng, &mut b);
                assert_eq!(b.len(), expect);
                e.extend_from_slice(&b);
            }
            epochs.push(e);
        }
        let mut sorted = epochs[0].clone();
        sorted.sort();
        assert_eq!(sorted, (0..12).collect::<Vec<u32>>());
        assert_ne!(epochs[0], sorted, "shuffled (12! orders, one is sorted)");
        assert!(epochs.iter().all(|e| *e == epochs[0]), "{epochs:?}");
        // The first epoch is the one reshuffling would draw first (same stream).
        let mut rng2 = Rng::for_run(5, 1);
        let mut r = Sampler::new(Sampling::WithoutReplacement, 12, 12);
        r.next_batch(&mut rng2, &mut b);
        assert_eq!(b, epochs[0]);
    }

    #[test]
    fn cyclic_is_in_order_and_draws_nothing() {
        let mut rng = Rng::for_run(3, 0);
        let before = rng.clone().next_u64();
        let mut s = Sampler::new(Sampling::Cyclic, 5, 2);
        let mut b = Vec::new();
        let mut all = Vec::new();
        for _ in 0..6 {
            s.next_batch(&mut rng, &mut b);
            all.extend_from_slice(&b);
        }
        assert_eq!(all, vec![0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
        assert_eq!(rng.next_u64(), before);
    }
}
