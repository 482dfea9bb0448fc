//! Iterate averaging, tracked beside the iterate and never fed back into it.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize, Default)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Averaging {
    #[default]
    None,
    /// Polyak–Ruppert from step `start` = k: u_t = w_t for t ≤ k, else the mean of
    /// w_k … w_t (k = 0 averages everything; a late k is what SWA does).
    Polyak { start: u64 },
    /// Exponential moving average: u_0 = w_0, u_t = β u_{t−1} + (1 − β) w_t.
    Ema { decay: f64 },
}

pub(crate) fn default_decay() -> f64 {
    0.9
}

/// The running average u_t.
#[derive(Clone, Debug)]
pub struct Averager {
    kind: Averaging,
    u: Vec<f64>,
}

impl Averager {
    /// Starts at u_0 = w_0. Returns `None` when averaging is off.
    pub fn new(kind: &Averaging, w0: &[f64]) -> Option<Averager> {
        match kind {
            Averaging::None => None,
            _ => Some(Averager {
                kind: kind.clone(),
                u: w0.to_vec(),
            }),
        }
    }

    /// Takes in w_t (t ≥ 1).
    #[inline]
    pub fn update(&mut self, t: u64, w: &[f64]) {
        match self.kind {
            Averaging::None => {}
            Averaging::Polyak { start } => {
                if t <= start {
                    self.u.copy_from_slice(w);
                } else {
                    // Mean of w_start … w_t: t − start + 1 terms, updated incrementally.
                    let count = (t - start + 1) as f64;
                    for (u, &x) in self.u.iter_mut().zip(w) {
                        *u += (x - *u) / count;
                    }
                }
            }
            Averaging::Ema { decay } => {
                for (u, &x) in self.u.iter_mut().zip(w) {
                    *u = decay * *u + (1.0 - decay) * x;
                }
            }
        }
    }

    pub fn value(&self) -> &[f64] {
        &self.u
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kind: Averaging, ws: &[f64]) -> Vec<f64> {
        let mut a = Averager::new(&kind, &ws[..1]).unwrap();
        let mut out = vec![a.value()[0]];
        for (t, w) in ws.iter().enumerate().skip(1) {
            a.update(t as u64, &[*w]);
            out.push(a.value()[0]);
        }
        out
    }

    #[test]
    fn polyak_from_zero_is_the_running_mean() {
        // w = 4, 2, 6, 0 → means 4, 3, 4, 3.
        assert_eq!(
            run(Averaging::Polyak { start: 0 }, &[4.0, 2.0, 6.0, 0.0]),
            vec![4.0, 3.0, 4.0, 3.0]
        );
    }

    #[test]
    fn polyak_late_start_follows_then_averages() {
        // start 2: u_0..u_2 = w_t; u_3 = mean(w_2, w_3) = (6 + 0)/2; u_4 = (6 + 0 + 3)/3.
        assert_eq!(
            run(Averaging::Polyak { start: 2 }, &[4.0, 2.0, 6.0, 0.0, 3.0]),
            vec![4.0, 2.0, 6.0, 3.0, 3.0]
        );
    }

    #[test]
    fn ema_hand_worked() {
        // β = 0.5: u = 4, 0.5·4 + 0.5·2 = 3, 0.5·3 + 0.5·6 = 4.5, 2.25.
        assert_eq!(
            run(Averaging::Ema { decay: 0.5 }, &[4.0, 2.0, 6.0, 0.0]),
            vec![4.0, 3.0, 4.5, 2.25]
        );
    }
}
