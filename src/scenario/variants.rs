//! Variants of one scenario (`compare`): several methods, schedules or averagings on the
//! same problem, start and seed, with common random numbers.
//!
//! A variant names some of `method`, `schedule` and `averaging`; each one it names
//! replaces the base scenario's field whole (a variant's `"method": {"lr": 0.5}` is
//! SGD with every other method field at its default, not the base method with another
//! step), and what it leaves out it takes from the base. Everything else — problem,
//! data, `w0`, `steps`, `runs`, `seed` — is always shared.
//!
//! Common random numbers come for free from how runs are seeded: run r draws from the
//! stream `Rng::for_run(seed, r)`, which depends on the seed and r only. So run r of
//! every variant is bit for bit run r of the stand-alone scenario that [`Variant`]
//! holds, and two variants with the same sampling draw the same sample indices at
//! every step (as far as their methods consume them alike).

use super::{Scenario, Setup};
use crate::averaging::Averaging;
use crate::error::num;
use crate::method::{MethodKind, MethodSpec};
use crate::sampler::Sampling;
use crate::schedule::Schedule;
use serde::Serialize;

/// Most variants a scenario may compare (a chart still tells eight lines apart).
pub const MAX_VARIANTS: usize = 8;

/// One entry of a scenario's `compare` list, as written.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantSpec {
    /// Names the variant in results, legends and CSV; not empty, unique in the list.
    pub label: String,
    /// Replaces the base scenario's `method` when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<MethodSpec>,
    /// Replaces the base scenario's `schedule` when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Replaces the base scenario's `averaging` when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub averaging: Option<Averaging>,
    /// Replaces the base scenario's `steps` when present: variants compared at equal
    /// work (the mini-batch lab gives a batch of 4 a quarter of the steps of a batch
    /// of 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<u64>,
}

/// A variant resolved: its label and the stand-alone scenario it stands for (the base
/// with the variant's fields substituted and no `compare`).
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub label: String,
    pub scenario: Scenario,
}

/// A variant ready to simulate: its label and its stand-alone [`Setup`], whose problem
/// is the base setup's (the same `Arc`, built once).
#[derive(Clone, Debug)]
pub struct VariantSetup {
    pub label: String,
    pub setup: Setup,
}

impl Scenario {
    /// Whether the scenario compares variants (has a `compare` list).
    pub fn is_compare(&self) -> bool {
        self.compare.is_some()
    }

    /// The variants this scenario runs, in order. Without `compare`, one implicit
    /// variant: the scenario itself, labelled by [`method_label`]. With it, one per
    /// entry of `compare`. Each [`Variant::scenario`] has no `compare` and is exactly
    /// what `sgd-lab run` would simulate for that variant alone.
    pub fn variants(&self) -> Vec<Variant> {
        match &self.compare {
            None => vec![Variant {
                label: method_label(&self.method),
                scenario: self.clone(),
            }],
            Some(list) => list
                .iter()
                .map(|v| Variant {
                    label: v.label.clone(),
                    scenario: self.with_variant(v),
                })
                .collect(),
        }
    }

    /// The base scenario with `v`'s fields substituted and no `compare`.
    fn with_variant(&self, v: &VariantSpec) -> Scenario {
        let mut s = self.clone();
        s.compare = None;
        if let Some(m) = &v.method {
            s.method = m.clone();
        }
        if let Some(sch) = &v.schedule {
            s.schedule = sch.clone();
        }
        if let Some(a) = &v.averaging {
            s.averaging = a.clone();
        }
        if let Some(t) = v.steps {
            s.steps = t;
        }
        s
    }

    /// Number of variants [`Scenario::variants`] gives (1 without `compare`).
    pub fn variant_count(&self) -> usize {
        self.compare.as_ref().map_or(1, Vec::len)
    }
}

impl Setup {
    /// The stand-alone setup of every variant (see [`Scenario::variants`]), sharing this
    /// setup's problem and start point: nothing is rebuilt, and since [`Scenario::build`]
    /// validated every variant's fields, each setup is as valid as one that `build`
    /// returned for the stand-alone scenario.
    pub fn variant_setups(&self) -> Vec<VariantSetup> {
        self.scenario
            .variants()
            .into_iter()
            .map(|v| VariantSetup {
                label: v.label,
                setup: Setup {
                    scenario: v.scenario,
                    problem: self.problem.clone(),
                    w0: self.w0.clone(),
                },
            })
            .collect()
    }
}

/// The label of a method when nobody gave one: its kind and step size, then every other
/// method field that differs from its default, in the format's order — `sgd lr=0.1`,
/// `gd lr=0.5`, `sgd lr=0.05 batch=4 without_replacement momentum=0.9 nesterov`,
/// `svrg lr=0.1 inner=50`, `sgd lr=0.1 weighted importance_weighting`. Numbers are written as messages quote them (`0.1`, `0.0005`, `2`).
pub fn method_label(m: &MethodSpec) -> String {
    let d = MethodSpec::default();
    let kind = match m.kind {
        MethodKind::Gd => "gd",
        MethodKind::Sgd => "sgd",
        MethodKind::Svrg => "svrg",
        MethodKind::Sag => "sag",
        MethodKind::Saga => "saga",
    };
    let mut out = format!("{kind} lr={}", num(m.lr));
    if m.batch != d.batch {
        out += &format!(" batch={}", m.batch);
    }
    if m.sampling != d.sampling {
        out += match m.sampling {
            Sampling::WithReplacement => " with_replacement",
            Sampling::WithoutReplacement => " without_replacement",
            Sampling::Cyclic => " cyclic",
            Sampling::ShuffleOnce => " shuffle_once",
        };
    }
    if m.momentum != d.momentum {
        out += &format!(" momentum={}", num(m.momentum));
    }
    if m.dampening != d.dampening {
        out += &format!(" dampening={}", num(m.dampening));
    }
    if m.nesterov {
        out += " nesterov";
    }
    if let Some(k) = m.inner {
        out += &format!(" inner={k}");
    }
    if m.sample_weights.is_some() {
        out += " weighted";
    }
    if m.importance_weighting {
        out += " importance_weighting";
    }
    out
}
