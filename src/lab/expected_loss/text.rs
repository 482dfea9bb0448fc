//! expected-loss's words and table: the caption (written from the numbers on screen),
//! the text description, the divergence message and the CSV with the theory columns.

use super::ExpectedLoss;
use crate::lab::numbers::num;
use crate::lab::Caption;
use crate::report::csv_num;

/// The bound's geometric term (1 − ηm)^t (L(w0) − L*) at step `t`.
pub(super) fn geometric(rate: f64, initial_gap: f64, t: usize) -> f64 {
    libm::pow(rate, t as f64) * initial_gap
}

impl ExpectedLoss {
    /// When a run diverged: which, where, and the stability limit it broke.
    pub(super) fn divergence(&self) -> Option<String> {
        let (r, s) = self.track.first_divergence(0)?;
        Some(format!(
            "Run {} diverged at step {s}: η = {} is too large (GD is stable only below 2/L_s = {}), so the mean is shown up to step {}.",
            r + 1,
            num(self.setup.scenario.method.lr),
            num(self.theory.max_stable_lr),
            s.saturating_sub(1)
        ))
    }

    fn exact_at(&self, t: usize) -> Option<f64> {
        self.exact.as_ref().ok().and_then(|e| e.get(t).copied())
    }

    fn bound_at(&self, t: usize) -> Option<f64> {
        self.theory
            .bound
            .as_ref()
            .and_then(|b| b.curve.get(t).copied())
    }
}

/// "In the first k steps …": how far the exact expectation's excess over its level
/// and the bound's geometric term have fallen after k = ⌈1/(ηm)⌉ steps (where
/// (1 − ηm)^k ≈ 1/e), as fractions of their start; `None` when not computable.
fn early_fall(el: &ExpectedLoss) -> Option<(usize, f64, f64)> {
    let b = el.theory.bound.as_ref()?;
    let exact = el.exact.as_ref().ok()?;
    let level = el.exact_floor?;
    let eta_m = 1.0 - b.rate;
    if eta_m.is_nan() || eta_m <= 0.0 {
        return None;
    }
    let k = (1.0 / eta_m).ceil() as usize;
    let (e0, ek) = (exact.first()? - level, exact.get(k)? - level);
    if e0.is_nan() || e0 <= 0.0 {
        return None;
    }
    Some((k, (ek / e0).max(0.0), libm::pow(b.rate, k as f64)))
}

pub(super) fn caption(el: &ExpectedLoss) -> Caption {
    let th = &el.theory;
    let s = &el.setup.scenario;
    let t = el.quoted_step();
    let mean = el.ens().mean_gap();
    let runs = el.ens().runs_done();
    let mut facts = vec![
        ("η".into(), num(s.method.lr)),
        ("L_s".into(), num(th.smoothness)),
        ("m".into(), num(th.strong_convexity)),
    ];
    if let Some(k) = th.condition_number {
        facts.push(("κ = L_s/m".into(), num(k)));
    }
    facts.push(("σ0 = mean ‖∇l_i(w*)‖²".into(), num(th.sigma0)));
    if let Some(msg) = el.divergence() {
        let text = format!(
            "The runs blow up: {msg} Each step overshoots w* along the steepest direction by more than it corrects. Lower η below 2/L_s = {} (and, for the bound, below 1/(L_s M_G)) to see the floor and the slope.",
            num(th.max_stable_lr)
        );
        let text = match &th.bound_note {
            Some(note) => format!("{text} No bound is drawn: {note}."),
            None => text,
        };
        return Caption { text, facts };
    }
    let mut text = if runs == 0 {
        "Each faint line will be one run of SGD (one student), and the bold line their mean, in a band that holds 80 % of them (10–90 %): the first runs are being computed. ".to_string()
    } else {
        format!(
            "Each faint line is one run of SGD (one student); the bold line is the mean over the {runs} runs computed so far, in a band that holds 80 % of them (10–90 %). "
        )
    };
    match (&el.exact, el.exact_at(t), mean.get(t)) {
        (Ok(_), Some(e), Some(m)) => {
            text += &format!(
                "The dashed black line is the exact expectation E[L(w_t)] − L*, which the mean estimates: at step {t} the mean is {} and the exact value {}. ",
                num(*m),
                num(e)
            );
        }
        (Err(why), ..) => text += &format!("The exact expectation is not drawn: {why}. "),
        _ => {}
    }
    match &th.bound {
        Some(b) => {
            text += &format!(
                "The lecture's bound (vermillion) is the sum of two lines: the floor η L_s M/(2m) = {} (purple), the zone of confusion that no number of steps removes, and the geometric term (1 − ηm)^t (L(w₀) − L*) = {}^t × {} (green), the part that behaves like GD. A larger η steepens the slope but raises the floor; a smaller η does the opposite. ",
                num(b.floor),
                num(b.rate),
                num(b.initial_gap)
            );
            if let Some(level) = el.exact_floor {
                text += &format!(
                    "Why the mean sits under the bound: the exact expectation settles at {}, {} times lower than the floor",
                    num(level),
                    num(b.floor / level)
                );
                if let Some((k, fell, geo)) = early_fall(el) {
                    text += &format!(
                        ", and in its first {k} steps its excess over that level fell to {} % of its start, while the geometric term fell to {} % ((1 − ηm)^{k}). The gap is quadratic in w − w*: even along the flattest direction, where w − w* shrinks by 1 − ηm a step, the gap falls like (1 − ηm)^(2t), to {} % here, and along steeper directions faster still",
                        num(100.0 * fell),
                        num(100.0 * geo),
                        num(100.0 * geo * geo)
                    );
                }
                text += ". The theorem is a worst case over every problem with the same L_s, m, M and M_G. ";
            }
            text += &format!(
                "M_G = 1/(η L_s) = {} is the largest M_G this η allows (the theorem needs η ≤ 1/(L_s M_G)), which makes M = {} the smallest valid M for it; M ≥ σ0 = {}, the value M would need if the inequality only had to hold at w*.",
                num(b.m_g),
                num(b.m),
                num(th.sigma0)
            );
            facts.push(("M (valid for every w)".into(), num(b.m)));
            facts.push(("M_G = 1/(η L_s)".into(), num(b.m_g)));
            facts.push(("floor η L_s M/(2m)".into(), num(b.floor)));
        }
        None => {
            text += &format!(
                "No bound is drawn: {}.",
                th.bound_note
                    .as_deref()
                    .unwrap_or("the theorem does not apply here")
            );
        }
    }
    if let Some(level) = el.exact_floor {
        facts.push(("level of the exact expectation".into(), num(level)));
    }
    if let Some(m) = mean.get(t) {
        facts.push((format!("mean gap at t = {t}"), num(*m)));
    }
    if let Some(e) = el.exact_at(t) {
        facts.push((format!("exact expectation at t = {t}"), num(e)));
    }
    if let Some(b) = el.bound_at(t) {
        facts.push((format!("bound at t = {t}"), num(b)));
    }
    Caption { text, facts }
}

pub(super) fn describe(el: &ExpectedLoss) -> String {
    let mean = el.ens().mean_gap();
    let t = el.quoted_step();
    let mut out = format!(
        "Line chart, loss gap on a logarithmic axis against the step, 0 to {}. {} of {} runs computed; {} drawn faintly; a band holds the middle 80 % of {} runs.",
        el.setup.scenario.steps,
        el.ens().runs_done(),
        el.ens().runs(),
        el.shown,
        el.track.band_runs(0)
    );
    if let (Some(a), Some(b)) = (mean.first(), mean.get(t)) {
        out += &format!(
            " The mean gap {} from {} at step 0 to {} at step {t}.",
            if b <= a { "falls" } else { "rises" },
            num(*a),
            num(*b)
        );
    }
    if let Some(e) = el.exact_at(t) {
        out += &format!(" The exact expectation is {} at step {t}.", num(e));
    }
    if let (Some(b), Some(bt)) = (&el.theory.bound, el.bound_at(t)) {
        out += &format!(
            " The bound is {} at step {t}: its floor {} plus its geometric term {}.",
            num(bt),
            num(b.floor),
            num(geometric(b.rate, b.initial_gap, t))
        );
    }
    if let Some(msg) = el.divergence() {
        out += &format!(" {msg}");
    }
    out
}

/// The ensemble's per-step statistics, then per step the band (over every run the
/// band covers), the exact expectation and the bound with its two terms (empty where
/// not defined).
pub(super) fn csv(el: &ExpectedLoss) -> String {
    let base = el.track.csv();
    let rows = base.lines().count().saturating_sub(1);
    let (lo, hi) = el.track.band(0, rows);
    let b = el.theory.bound.as_ref();
    let cell = |v: Option<f64>| v.filter(|v| v.is_finite()).map(csv_num).unwrap_or_default();
    let mut out = String::with_capacity(base.len() * 2);
    for (k, line) in base.lines().enumerate() {
        out += line;
        if k == 0 {
            out += ",band_lo,band_hi,exact_mean_gap,bound,bound_floor,bound_geometric";
        } else {
            let t = k - 1;
            out += &format!(
                ",{},{},{},{},{},{}",
                cell(lo.get(t).copied()),
                cell(hi.get(t).copied()),
                cell(el.exact_at(t)),
                cell(el.bound_at(t)),
                cell(b.map(|b| b.floor)),
                cell(b.map(|b| geometric(b.rate, b.initial_gap, t)))
            );
        }
        out.push('\n');
    }
    out
}
