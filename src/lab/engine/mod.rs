//! What the labs share beneath their charts: the variants a lab compares, built as
//! `compare` entries of its scenario ([`variant_setups`]); a run with its history and
//! its own stop ([`track`]); K variants × R runs with their means and bands, computed
//! in slices ([`ensemble`]); and the spread band of many runs ([`band`]), used by
//! expected-loss and `sgd-lab render`.

pub mod band;
pub mod ensemble;
pub(super) mod track;
pub mod x_axis;

use crate::scenario::{Setup, VariantSetup, VariantSpec};

/// The stand-alone setups of `compare` applied to `base` (sharing its problem and
/// start point): run r of each is run r of `sgd-lab run` on that variant alone, so
/// all of them see the same samples. This is how a lab runs K variants of one
/// scenario; `base`'s own `compare`, if any, is replaced.
pub fn variant_setups(base: &Setup, compare: Vec<VariantSpec>) -> Vec<VariantSetup> {
    let mut s = base.clone();
    s.scenario.compare = Some(compare);
    s.variant_setups()
}

/// A variant that replaces only the method.
pub fn method_variant(label: impl Into<String>, method: crate::method::MethodSpec) -> VariantSpec {
    VariantSpec {
        label: label.into(),
        method: Some(method),
        schedule: None,
        averaging: None,
        steps: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::simulate;
    use crate::schedule::Schedule;

    #[test]
    fn a_variant_runs_bit_for_bit_as_its_stand_alone_scenario() {
        let base = crate::presets::find("decay").unwrap().scenario();
        let setup = base.build().unwrap();
        let mut method = base.method.clone();
        method.lr = 0.2;
        let constant = VariantSpec {
            label: "constant".into(),
            method: None,
            schedule: Some(Schedule::Constant),
            averaging: None,
            steps: None,
        };
        let vs = variant_setups(&setup, vec![constant, method_variant("η = 0.2", method)]);
        assert_eq!(vs.len(), 2);
        assert_eq!(
            (vs[0].label.as_str(), vs[1].label.as_str()),
            ("constant", "η = 0.2")
        );
        // The stand-alone scenarios, built from scratch.
        let mut a = base.clone();
        a.schedule = Schedule::Constant;
        let mut b = base.clone();
        b.method.lr = 0.2;
        for (v, alone) in vs.iter().zip([a, b]) {
            let want = simulate(&alone.build().unwrap(), 0);
            let got = simulate(&v.setup, 0);
            assert_eq!(got.gap.len(), want.gap.len());
            assert!(got
                .gap
                .iter()
                .zip(&want.gap)
                .all(|(x, y)| x.to_bits() == y.to_bits()));
            assert_eq!(got.indices, want.indices, "{}: the same samples", v.label);
        }
        // Different variants differ (the test would pass vacuously otherwise).
        assert_ne!(simulate(&vs[0].setup, 0).gap, simulate(&vs[1].setup, 0).gap);
    }
}
