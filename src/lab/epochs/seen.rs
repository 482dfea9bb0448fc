//! Which samples each sampling mode has drawn: the batches of run 0 step by step (the
//! strip of the current epoch), and the fraction of distinct samples seen since step
//! 0, averaged over the runs, with the theory for sampling with replacement,
//! 1 − (1 − 1/n)^{kn} after k epochs (→ 1 − e^{−k}). The samplers are replayed from
//! the runs' own random streams, so these are the samples the runs drew.

use crate::rng::Rng;
use crate::sampler::{Sampler, Sampling};

/// Epochs over which the fraction of distinct samples is followed (after 10 epochs
/// with replacement 1 − e^{−10} > 0.9999: nothing left to see).
pub const FRACTION_EPOCHS: u64 = 10;
/// Runs averaged for the fraction seen (at most; the scenario's runs if fewer).
pub const FRACTION_RUNS: u64 = 50;

/// The batches one run draws: `indices[offsets[t]..offsets[t + 1]]` at step t + 1.
#[derive(Clone, Debug, Default)]
pub struct Draws {
    pub indices: Vec<u32>,
    pub offsets: Vec<usize>,
}

impl Draws {
    /// The batches of run `run` (seed `seed`) for `steps` steps.
    pub fn replay(
        mode: Sampling,
        n: usize,
        batch: usize,
        seed: u64,
        run: u64,
        steps: u64,
    ) -> Draws {
        let mut rng = Rng::for_run(seed, run);
        let mut s = Sampler::new(mode, n, batch);
        let mut b = Vec::with_capacity(batch);
        let mut d = Draws {
            indices: Vec::with_capacity(steps as usize * batch),
            offsets: vec![0],
        };
        for _ in 0..steps {
            s.next_batch(&mut rng, &mut b);
            d.indices.extend_from_slice(&b);
            d.offsets.push(d.indices.len());
        }
        d
    }

    pub fn steps(&self) -> u64 {
        (self.offsets.len() - 1) as u64
    }

    /// The batch of step t + 1.
    pub fn batch(&self, t: usize) -> &[u32] {
        &self.indices[self.offsets[t]..self.offsets[t + 1]]
    }
}

/// Steps per epoch: ⌈n / b⌉ (the last batch of an epoch is short when b ∤ n).
pub fn steps_per_epoch(n: usize, batch: usize) -> u64 {
    n.div_ceil(batch.max(1)) as u64
}

/// How many times each sample was drawn in the epoch that step `t` belongs to, from
/// its first step up to step t (at t = 0: none). Epoch k holds steps
/// k·⌈n/b⌉ + 1 … (k + 1)·⌈n/b⌉; at the last step of an epoch the strip is full.
pub fn epoch_counts(d: &Draws, n: usize, batch: usize, t: u64) -> (u64, Vec<u32>) {
    let spe = steps_per_epoch(n, batch);
    let mut counts = vec![0u32; n];
    if t == 0 {
        return (0, counts);
    }
    let t = t.min(d.steps());
    let epoch = (t - 1) / spe;
    for s in epoch * spe..t {
        for &i in d.batch(s as usize) {
            counts[i as usize] += 1;
        }
    }
    (epoch, counts)
}

/// The mean over `runs` runs of the fraction of distinct samples drawn by each step
/// 0 … `steps` (at step 0: 0).
pub fn mean_fraction_seen(
    mode: Sampling,
    n: usize,
    batch: usize,
    seed: u64,
    runs: u64,
    steps: u64,
) -> Vec<f64> {
    let mut sum = vec![0.0; steps as usize + 1];
    let mut rng_batch = Vec::with_capacity(batch);
    for r in 0..runs {
        let mut rng = Rng::for_run(seed, r);
        let mut s = Sampler::new(mode, n, batch);
        let mut seen = vec![false; n];
        let mut distinct = 0usize;
        for t in 0..steps as usize {
            s.next_batch(&mut rng, &mut rng_batch);
            for &i in &rng_batch {
                if !seen[i as usize] {
                    seen[i as usize] = true;
                    distinct += 1;
                }
            }
            sum[t + 1] += distinct as f64 / n as f64;
        }
    }
    sum.iter().map(|v| v / runs.max(1) as f64).collect()
}

/// The expected fraction of distinct samples after `draws` uniform draws with
/// replacement: 1 − (1 − 1/n)^draws, computed as −expm1(draws · log1p(−1/n)) so that
/// it is exact to the last bits for large n.
pub fn expected_fraction_with_replacement(n: usize, draws: f64) -> f64 {
    if n <= 1 {
        return if draws > 0.0 { 1.0 } else { 0.0 };
    }
    -libm::expm1(draws * libm::log1p(-1.0 / n as f64))
}
