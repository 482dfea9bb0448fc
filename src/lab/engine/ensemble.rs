//! The ensemble track: K variants × R runs of one scenario, per variant the mean loss
//! gap over the runs done so far and the 10–90 % band of its first runs (kept in full
//! for the band's quantiles). Computed in time-bounded slices ([`EnsembleTrack::work`],
//! one unit of the budget = one step of one run, as [`Ensemble::advance_steps`]
//! counts), with progress; a run that diverges ends the mean of its variant at the
//! last step every run reached, and is reported ([`EnsembleTrack::first_divergence`]).

use std::cell::RefCell;

use crate::ensemble::Ensemble;
use crate::report::{ensemble_csv, variants_csv};
use crate::scenario::Setup;

/// The band's quantiles.
pub const BAND_LO: f64 = 0.1;
pub const BAND_HI: f64 = 0.9;

/// Moves the step a lab shows, `t`, on by up to `steps`, never past `total`; returns
/// how many steps it moved.
pub fn reveal(t: &mut u64, steps: u32, total: u64) -> u32 {
    let before = *t;
    *t = (*t + steps as u64).min(total);
    (*t - before) as u32
}

/// One variant: its label and its runs.
pub struct Variant {
    pub label: String,
    pub ens: Ensemble,
    /// The band of the kept runs so far, with the kept runs' count and total length
    /// it was computed for: a frame that shows one step more computes one step more.
    band: RefCell<(BandKey, Band)>,
}

/// The kept runs' count and total length.
type BandKey = (usize, usize);
/// The band's low and high curves.
type Band = (Vec<f64>, Vec<f64>);

impl Variant {
    fn new(label: String, ens: Ensemble) -> Variant {
        Variant {
            label,
            ens,
            band: RefCell::default(),
        }
    }
}

pub struct EnsembleTrack {
    variants: Vec<Variant>,
}

impl EnsembleTrack {
    /// The variants `(label, setup)`, each keeping its first `keep` runs in full.
    pub fn new(variants: Vec<(String, Setup)>, keep: usize) -> EnsembleTrack {
        EnsembleTrack {
            variants: variants
                .into_iter()
                .map(|(label, setup)| Variant::new(label, Ensemble::new(&setup, keep)))
                .collect(),
        }
    }

    /// One variant: the scenario itself (its CSV has no `variant` column).
    pub fn single(setup: &Setup, keep: usize) -> EnsembleTrack {
        EnsembleTrack::new(vec![(String::new(), setup.clone())], keep)
    }

    /// The same track, each variant also counting quantiles over all its runs
    /// ([`Ensemble::with_quantiles`]), so that [`EnsembleTrack::band`] covers every run.
    pub fn with_quantiles(self) -> EnsembleTrack {
        EnsembleTrack {
            variants: self
                .variants
                .into_iter()
                .map(|v| Variant::new(v.label, v.ens.with_quantiles()))
                .collect(),
        }
    }

    /// A lab's background work: about `budget` run-steps ([`EnsembleTrack::work`])
    /// unless every run is done; returns the progress.
    pub fn work_slice(&mut self, budget: u32) -> f64 {
        if !self.is_done() {
            self.work(budget as u64);
        }
        self.progress()
    }

    /// The step a caption quotes when step `t` is shown: `t`, or the last step some
    /// variant reached with all its runs (a variant that diverged earlier is left out);
    /// `t` before any run has finished (there is no mean yet to limit it).
    pub fn reached(&self, t: u64) -> u64 {
        if self.variants.iter().all(|v| v.ens.runs_done() == 0) {
            return t;
        }
        let reached = self
            .variants
            .iter()
            .map(|v| v.ens.complete_len() as u64)
            .max()
            .unwrap_or(0);
        t.min(reached.saturating_sub(1))
    }

    /// The status of a lab that shows step `t` of `steps` of these runs.
    pub fn status(&self, t: u64, steps: u64, diverged: Option<String>) -> crate::lab::Status {
        crate::lab::Status {
            clock: None,
            t,
            steps,
            done: t >= steps && self.is_done(),
            progress: self.progress(),
            diverged,
        }
    }

    pub fn variants(&self) -> &[Variant] {
        &self.variants
    }

    pub fn is_done(&self) -> bool {
        self.variants.iter().all(|v| v.ens.is_done())
    }

    /// About `budget` run-steps, shared evenly by the variants not done yet (at least
    /// one unit each), so that their means grow together. Returns the progress.
    pub fn work(&mut self, budget: u64) -> f64 {
        let open = self.variants.iter().filter(|v| !v.ens.is_done()).count() as u64;
        if let Some(share) = budget.checked_div(open) {
            let share = share.max(1);
            for v in self.variants.iter_mut().filter(|v| !v.ens.is_done()) {
                v.ens.advance_steps(share);
            }
        }
        self.progress()
    }

    /// Runs done (counting the steps of runs in progress) over all runs: 0 … 1, and 1
    /// only once the last run of every variant has ended.
    pub fn progress(&self) -> f64 {
        if self.is_done() {
            return 1.0;
        }
        let (done, all) = self.variants.iter().fold((0.0, 0.0), |(d, a), v| {
            (d + v.ens.runs_progress(), a + v.ens.runs() as f64)
        });
        (done / all).min(1.0 - 1e-9)
    }

    /// The earliest divergence of variant `i`: (run, step), the lowest step first.
    pub fn first_divergence(&self, i: usize) -> Option<(u64, u64)> {
        self.variants[i]
            .ens
            .diverged()
            .into_iter()
            .min_by_key(|&(r, s)| (s, r))
    }

    /// How many runs variant `i`'s band covers: every run done when it counts
    /// quantiles, else its kept runs.
    pub fn band_runs(&self, i: usize) -> u64 {
        let ens = &self.variants[i].ens;
        match ens.gap_stats().hist {
            Some(_) => ens.runs_done(),
            None => ens.kept().len() as u64,
        }
    }

    /// The 10–90 % band of variant `i` at steps 0 … `upto` − 1 (NaN where no run
    /// reached the step): over every run done when the variant counts quantiles
    /// ([`EnsembleTrack::with_quantiles`]), else over its kept runs — of their averaged
    /// iterates' gaps when the variant averages (what it returns, and what the sandbox
    /// draws for it).
    pub fn band(&self, i: usize, upto: usize) -> (Vec<f64>, Vec<f64>) {
        if let Some(b) = self.variants[i].ens.gap_quantiles(upto, BAND_LO, BAND_HI) {
            return b;
        }
        let v = &self.variants[i];
        let kept = v.ens.kept();
        let averaged: Option<Vec<&[f64]>> = kept.iter().map(|tr| tr.avg_gap.as_deref()).collect();
        let gaps: Vec<&[f64]> = match averaged {
            Some(a) if !a.is_empty() => a,
            _ => kept.iter().map(|tr| tr.gap.as_slice()).collect(),
        };
        // The steps already computed for these same runs are kept (#8: decay recomputed
        // every step's quantiles every frame).
        let key = (gaps.len(), gaps.iter().map(|g| g.len()).sum::<usize>());
        let mut cache = v.band.borrow_mut();
        if cache.0 != key {
            *cache = (key, Default::default());
        }
        super::band::band_extend(&gaps, upto, BAND_LO, BAND_HI, 1, &mut cache.1);
        let (lo, hi) = &cache.1;
        (lo[..upto].to_vec(), hi[..upto].to_vec())
    }

    /// The per-step statistics of every variant as one CSV: with one variant exactly
    /// [`ensemble_csv`], with several a leading `variant` column, rows grouped by
    /// variant ([`variants_csv`]).
    pub fn csv(&self) -> String {
        match self.variants.as_slice() {
            [one] => ensemble_csv(&one.ens),
            many => variants_csv(
                &many
                    .iter()
                    .map(|v| (v.label.clone(), ensemble_csv(&v.ens)))
                    .collect::<Vec<_>>(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn setup(lr: f64, runs: u64, steps: u64) -> Setup {
        Scenario::from_json(&format!(
            r#"{{"problem": {{"kind": "least_squares", "x": [[1.5, 0.2], [2.0, -0.4], [1.8, 1.0], [0.3, 0.9]], "y": [1, 3, 2, 0.5]}},
                "method": {{"kind": "sgd", "lr": {lr}}}, "w0": [0.5, -1], "steps": {steps}, "runs": {runs}, "seed": 7}}"#
        ))
        .unwrap()
        .build()
        .unwrap()
    }

    #[test]
    fn slices_give_the_bits_of_each_variant_computed_alone() {
        let (a, b) = (setup(0.05, 13, 60), setup(0.2, 9, 60));
        let mut track =
            EnsembleTrack::new(vec![("a".into(), a.clone()), ("b".into(), b.clone())], 4);
        let mut last = -1.0;
        let mut slices = 0;
        while !track.is_done() {
            let p = track.work(37);
            assert!(p > last && p <= 1.0, "progress grows: {last} → {p}");
            assert_eq!(p == 1.0, track.is_done());
            last = p;
            slices += 1;
        }
        // 13 × 61 + 9 × 61 run-steps at about 37 a slice: neither one slice nor one a run.
        assert!((25..=60).contains(&slices), "{slices} slices");
        for (v, s) in track.variants().iter().zip([a, b]) {
            let mut alone = Ensemble::new(&s, 4);
            alone.finish();
            assert_eq!(v.ens.runs_done(), s.scenario.runs);
            let (m, want) = (v.ens.mean_gap(), alone.mean_gap());
            assert_eq!(m.len(), 61);
            assert!(
                m.iter().zip(&want).all(|(x, y)| x.to_bits() == y.to_bits()),
                "{}",
                v.label
            );
            // The band is the interpolated quantiles of the kept runs, computed here
            // independently at the last step.
            let (lo, hi) = track.band(if v.label == "a" { 0 } else { 1 }, 61);
            let mut col: Vec<f64> = alone.kept().iter().map(|t| t.gap[60]).collect();
            col.sort_by(f64::total_cmp);
            // 4 runs: 10 % at position 0.3, 90 % at 2.7.
            let q = |pos: f64| {
                col[pos as usize] + pos.fract() * (col[pos as usize + 1] - col[pos as usize])
            };
            assert!((lo[60] - q(0.3)).abs() <= 1e-15 * col[3]);
            assert!((hi[60] - q(2.7)).abs() <= 1e-15 * col[3]);
            assert!(lo[60] < m[60] * 10.0 && lo[60] <= hi[60]);
        }
    }

    #[test]
    fn the_kept_band_is_the_same_computed_in_pieces_while_runs_grow() {
        let s = setup(0.1, 7, 50);
        let mut track = EnsembleTrack::single(&s, 5);
        let fresh = |track: &EnsembleTrack, upto: usize| {
            let gaps: Vec<&[f64]> = track.variants()[0]
                .ens
                .kept()
                .iter()
                .map(|tr| tr.gap.as_slice())
                .collect();
            crate::lab::engine::band::band(&gaps, upto, BAND_LO, BAND_HI, 1)
        };
        let bits = |c: &(Vec<f64>, Vec<f64>)| -> Vec<u64> {
            c.0.iter().chain(&c.1).map(|x| x.to_bits()).collect()
        };
        let mut upto = 2;
        while !track.is_done() {
            track.work(23);
            for u in [upto, upto / 2, upto + 3] {
                assert_eq!(bits(&track.band(0, u)), bits(&fresh(&track, u)), "upto {u}");
            }
            upto = (upto + 4).min(51);
        }
        assert_eq!(bits(&track.band(0, 51)), bits(&fresh(&track, 51)));
    }

    #[test]
    fn a_diverging_variant_ends_its_mean_alone_and_says_where() {
        // L_s = mean ‖x_i‖² ≈ 3.1 at most 5.3 per sample: η = 1.5 diverges.
        let (good, bad) = (setup(0.05, 6, 200), setup(1.5, 6, 200));
        let mut track = EnsembleTrack::new(vec![("good".into(), good), ("bad".into(), bad)], 2);
        while !track.is_done() {
            track.work(500);
        }
        assert_eq!(track.first_divergence(0), None);
        assert_eq!(track.variants()[0].ens.mean_gap().len(), 201);
        let (run, step) = track.first_divergence(1).expect("η = 1.5 diverges");
        assert!(run < 6 && (1..200).contains(&step), "run {run} at {step}");
        // The mean stops at the last step every run reached, the first divergence's
        // step at the latest.
        let len = track.variants()[1].ens.mean_gap().len() as u64;
        assert!(len <= step, "mean of {len} points, divergence at {step}");
        assert!(track.variants()[1]
            .ens
            .mean_gap()
            .iter()
            .all(|g| g.is_finite()));
    }

    #[test]
    fn csv_has_a_variant_column_only_for_several_variants() {
        let a = setup(0.05, 3, 10);
        let mut one = EnsembleTrack::single(&a, 1);
        one.work(1_000);
        let mut alone = Ensemble::new(&a, 1);
        alone.finish();
        assert_eq!(one.csv(), ensemble_csv(&alone));
        let mut two = EnsembleTrack::new(
            vec![("x".into(), a.clone()), ("y, z".into(), setup(0.1, 3, 10))],
            1,
        );
        two.work(1_000);
        let csv = two.csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "variant,step,mean_gap,std_gap,min_gap,max_gap");
        assert_eq!(lines.len(), 1 + 2 * 11);
        for (row, want) in lines[1..12]
            .iter()
            .zip(ensemble_csv(&alone).lines().skip(1))
        {
            assert_eq!(*row, format!("x,{want}"));
        }
        assert!(lines[12..].iter().all(|l| l.starts_with("\"y, z\",")));
    }
}
