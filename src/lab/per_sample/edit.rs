//! Editing the data by clicks and drags on the charts.

use super::points::{materialize, set_points};
use super::{PerSample, MAX_N};
use crate::lab::numbers::round_to_span;
use crate::scenario::Scenario;

impl PerSample {
    /// The sample nearest to (x, y) on the data chart, if within 4 % of the chart's
    /// size (distances measured in fractions of each axis' span).
    fn grab(&self, x: f64, y: f64) -> Option<usize> {
        let ((x0, x1), (y0, y1)) = self.data_box;
        let d = |i: usize| {
            let dx = (self.xs[i] - x) / (x1 - x0);
            let dy = (self.ys[i] - y) / (y1 - y0);
            dx * dx + dy * dy
        };
        (0..self.xs.len())
            .filter(|&i| d(i) <= 0.04 * 0.04)
            .min_by(|&i, &j| d(i).total_cmp(&d(j)))
    }

    fn rounded(&self, x: f64, y: f64) -> (f64, f64) {
        let ((x0, x1), (y0, y1)) = self.data_box;
        (round_to_span(x, x1 - x0), round_to_span(y, y1 - y0))
    }

    fn with_points(&self, xs: &[f64], ys: &[f64]) -> Scenario {
        let mut s = self.setup.scenario.clone();
        set_points(&mut s, xs, ys);
        s
    }

    /// A click on the parabolas sets the start point w0 = x (rounded to 1/1000 of the
    /// axis span). A click on an empty spot of the data chart adds the sample (x, y)
    /// (rounded likewise). Nothing happens on a dot (that is a drag), on the y axis
    /// (x = 0 has no minimiser), or when there are already 50 samples.
    pub(super) fn click_at(&self, chart: &str, x: f64, y: f64) -> Option<Scenario> {
        if chart == "parabolas" {
            let w = round_to_span(x, self.w_range.1 - self.w_range.0);
            if !(w.is_finite() && w.abs() <= 1e6) {
                return None;
            }
            let mut s = self.setup.scenario.clone();
            s.w0 = Some(vec![w]);
            return Some(s);
        }
        if chart != "data" || self.grab(x, y).is_some() || self.xs.len() >= MAX_N {
            return None;
        }
        let (x, y) = self.rounded(x, y);
        if x == 0.0 || !(x.is_finite() && y.is_finite()) || x.abs() > 1e6 || y.abs() > 1e6 {
            return None;
        }
        let (mut xs, mut ys) = materialize(&self.setup.scenario)?;
        xs.push(x);
        ys.push(y);
        Some(self.with_points(&xs, &ys))
    }

    /// A drag on the data chart moves the sample nearest to `from` (within 4 % of the
    /// chart) to `to` (rounded like a click). Nothing is grabbed elsewhere, and a sample
    /// is not dropped on the y axis.
    pub(super) fn drag_sample(
        &self,
        chart: &str,
        from: (f64, f64),
        to: (f64, f64),
    ) -> Option<Scenario> {
        if chart != "data" {
            return None;
        }
        let i = self.grab(from.0, from.1)?;
        let (x, y) = self.rounded(to.0, to.1);
        if x == 0.0 || !(x.is_finite() && y.is_finite()) || x.abs() > 1e6 || y.abs() > 1e6 {
            return None;
        }
        let (mut xs, mut ys) = materialize(&self.setup.scenario)?;
        if i >= xs.len() {
            return None;
        }
        xs[i] = x;
        ys[i] = y;
        let s = self.with_points(&xs, &ys);
        // A drag that leaves every sample on the y axis but one is fine; one that makes
        // the data unusable (all x = 0) is refused.
        s.build().ok()?;
        Some(s)
    }
}
