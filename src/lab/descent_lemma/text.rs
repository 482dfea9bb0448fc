//! The descent-lemma lab's words: how many samples raise the loss at the current w,
//! the mean change against the lemma's bound and its constant term, from the numbers
//! drawn.

use super::DescentLemma;
use crate::lab::numbers::num;
use crate::lab::Caption;

impl DescentLemma {
    /// How many samples raise the loss at the current w.
    pub fn hurting(&self) -> usize {
        self.current_changes().iter().filter(|&&c| c > 0.0).count()
    }

    pub(super) fn caption_text(&self) -> Caption {
        let p = &*self.setup.problem;
        let (w, t) = (self.w(), self.t());
        let n = self.xs.len();
        let k = self.hurting();
        let (mean, bound) = self.mean_and_bound(w);
        let w_star = self.theory.optimum.w[0];
        let inside = w >= self.zone.0 && w <= self.zone.1;
        let mut text = format!(
            "At w_{t} = {} ({} w* = {}): ",
            num(w),
            if inside {
                "inside the zone of confusion, near"
            } else {
                "outside the zone of confusion, far from"
            },
            num(w_star)
        );
        text += &match k {
            0 => format!("every one of the {n} samples lowers the loss (all bars below zero)"),
            k if k == n => format!("every one of the {n} samples raises the loss"),
            k if 3 * k <= n => format!("{} of {n} samples lower the loss, {k} raise it", n - k),
            k => format!("{k} of {n} samples raise the loss (bars above zero)"),
        };
        text += &format!(
            ". One SGD step changes L by {} on average: the expected change. ",
            num(mean)
        );
        if let Some((b, c)) = bound {
            text += &format!(
                "The descent lemma bounds it by {} = −η(1 − L_s η M_G/2)‖∇L(w)‖² + L_s η² M/2",
                num(b)
            );
            if mean > 0.0 {
                text += &format!(
                    ". The mean is positive: here the expected loss goes up — SGD's loss is not monotone. The bound's constant term L_s η² M/2 = {} is why: it does not vanish near w*, where ‖∇L‖² does.",
                    num(c)
                );
            } else if k == 0 {
                text += ": far from w* the gradient term wins and every step helps.";
            } else {
                text += &format!(
                    "; its constant term L_s η² M/2 = {} is the price of the noise, and closer to w* it wins.",
                    num(c)
                );
            }
        }
        if t == 0 {
            text += " Press play to move w with SGD, or drag it on the loss chart.";
        }
        let mut facts = vec![
            (format!("w at step {t}"), num(w)),
            ("L(w) − L*".into(), num(p.gap(&[w]))),
            ("‖∇L(w)‖²".into(), num(super::grad_norm2(p, &[w]))),
            ("samples that raise the loss".into(), format!("{k} of {n}")),
            ("mean change (expected)".into(), num(mean)),
        ];
        if let Some((b, c)) = bound {
            facts.push(("lemma's bound".into(), num(b)));
            facts.push(("its constant term L_s η² M/2".into(), num(c)));
        }
        if let Some(pair) = &self.theory.sigma {
            facts.push(("M (valid everywhere)".into(), num(pair.m)));
            facts.push(("M_G".into(), num(pair.m_g)));
        }
        facts.push(("σ0 = mean ‖∇l_i(w*)‖²".into(), num(self.theory.sigma0)));
        facts.push(("L_s".into(), num(self.theory.smoothness)));
        Caption {
            text: text.trim_end().to_string(),
            facts,
        }
    }

    pub(super) fn describe_text(&self) -> String {
        let (w, t) = (self.w(), self.t());
        let n = self.xs.len();
        let k = self.hurting();
        let (mean, bound) = self.mean_and_bound(w);
        let mut out = format!(
            "Three charts. First, the loss L(w) − L* against w with the zone of confusion [{}, {}] shaded and w at step {t} = {} marked. Second, a bar per sample for the change of the loss after one step on it: {k} of {n} bars above zero (the loss rises), their mean {}",
            num(self.zone.0),
            num(self.zone.1),
            num(w),
            num(mean)
        );
        if let Some((b, _)) = bound {
            out += &format!(" under the lemma's bound {}", num(b));
        }
        out += ". Third, the mean change and the bound against w over the zone, with the w where the mean is positive shaded.";
        out
    }
}
