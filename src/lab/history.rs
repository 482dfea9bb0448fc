//! What a lab draws of one run, with a memory cap (`per-sample` and `step-size`).

/// Points per run kept at most.
pub(super) const HISTORY_CAP: usize = 4096;
/// The newest points, always kept at full resolution.
pub(super) const HISTORY_RECENT: usize = 1024;

/// What a lab draws of one run: steps, iterates and gaps, at most [`HISTORY_CAP`]
/// points. When full, every second point of the older part (all but the newest
/// [`HISTORY_RECENT`]) is dropped, in place; the start point is always kept. Pushing
/// never allocates (the capacity is reserved up front).
#[derive(Clone, Debug)]
pub(super) struct History {
    pub d: usize,
    /// Step of each point, as f64 (the x of a line chart).
    pub t: Vec<f64>,
    /// Iterates, flattened (len × d).
    pub w: Vec<f64>,
    pub gap: Vec<f64>,
    /// Cumulative per-sample gradient evaluations at each point (the x of a chart by
    /// gradient evaluations or epochs).
    pub evals: Vec<f64>,
}

impl History {
    pub fn new(steps: u64, w0: &[f64], gap0: f64) -> History {
        let cap = (steps as usize).saturating_add(1).min(HISTORY_CAP);
        let d = w0.len();
        let mut h = History {
            d,
            t: Vec::with_capacity(cap),
            w: Vec::with_capacity(cap * d),
            gap: Vec::with_capacity(cap),
            evals: Vec::with_capacity(cap),
        };
        h.push(0, 0, w0, gap0);
        h
    }

    pub fn len(&self) -> usize {
        self.t.len()
    }

    pub fn push(&mut self, t: u64, evals: u64, w: &[f64], gap: f64) {
        if self.t.len() >= HISTORY_CAP {
            self.compact();
        }
        self.t.push(t as f64);
        self.w.extend_from_slice(w);
        self.gap.push(gap);
        self.evals.push(evals as f64);
    }

    fn compact(&mut self) {
        let len = self.t.len();
        let old = len.saturating_sub(HISTORY_RECENT);
        let d = self.d;
        let mut k = 0;
        for i in (0..old).step_by(2).chain(old..len) {
            self.t[k] = self.t[i];
            self.gap[k] = self.gap[i];
            self.evals[k] = self.evals[i];
            self.w.copy_within(i * d..(i + 1) * d, k * d);
            k += 1;
        }
        self.t.truncate(k);
        self.gap.truncate(k);
        self.evals.truncate(k);
        self.w.truncate(k * d);
    }

    pub fn point(&self, k: usize) -> &[f64] {
        &self.w[k * self.d..(k + 1) * self.d]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keeps_recent_points_and_caps_memory() {
        let mut h = History::new(100_000, &[0.0], 1.0);
        let cap = h.t.capacity();
        for t in 1..=20_000u64 {
            h.push(t, 3 * t, &[t as f64], 1.0 / t as f64);
        }
        assert!(h.len() <= HISTORY_CAP);
        assert_eq!(h.t.capacity(), cap, "no reallocation");
        assert_eq!(h.t[0], 0.0);
        assert_eq!(*h.t.last().unwrap(), 20_000.0);
        // The newest points are consecutive steps.
        let n = h.len();
        for k in n - HISTORY_RECENT..n {
            assert_eq!(h.t[k], h.t[k - 1] + 1.0);
            assert_eq!(h.point(k)[0], h.t[k]);
            assert_eq!(h.evals[k], 3.0 * h.t[k]);
        }
        // Strictly increasing steps everywhere.
        assert!(h.t.windows(2).all(|w| w[0] < w[1]));
    }
}
