//! Per-step statistics of many runs, accumulated in run order so that the result is
//! the same bits however the runs are sliced or interleaved. Memory is O(steps).

#[derive(Clone, Debug, PartialEq)]
pub struct StepStats {
    pub sum: Vec<f64>,
    pub sum_sq: Vec<f64>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    /// Runs that reached each step (runs that diverged stop contributing).
    pub count: Vec<u64>,
}

impl StepStats {
    pub fn new(points: usize) -> StepStats {
        StepStats {
            sum: vec![0.0; points],
            sum_sq: vec![0.0; points],
            min: vec![f64::INFINITY; points],
            max: vec![0.0; points],
            count: vec![0; points],
        }
    }

    #[inline(always)]
    pub fn add(&mut self, t: usize, v: f64) {
        self.sum[t] += v;
        self.sum_sq[t] += v * v;
        self.min[t] = self.min[t].min(v);
        self.max[t] = self.max[t].max(v);
        self.count[t] += 1;
    }

    /// Points up to (not including) the first step that some run did not reach.
    pub fn complete_len(&self, runs: u64) -> usize {
        self.count
            .iter()
            .position(|&c| c < runs)
            .unwrap_or(self.count.len())
    }

    pub fn mean(&self, len: usize) -> Vec<f64> {
        (0..len)
            .map(|t| self.sum[t] / self.count[t] as f64)
            .collect()
    }

    /// Population standard deviation per step (0 for a single run).
    pub fn std(&self, len: usize) -> Vec<f64> {
        (0..len)
            .map(|t| {
                let c = self.count[t] as f64;
                let m = self.sum[t] / c;
                (self.sum_sq[t] / c - m * m).max(0.0).sqrt()
            })
            .collect()
    }
}
