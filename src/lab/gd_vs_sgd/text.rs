//! The gd-vs-sgd lab's words and numbers: the caption (what the clock has revealed),
//! the text description, the table for the target ε, and the CSV.

use super::{GdVsSgdLab, Race};
use crate::lab::numbers::num;
use crate::lab::{Caption, LabSim, Table};

/// A whole count with its thousands apart ("3 300 000", narrow no-break spaces).
pub fn count(x: u64) -> String {
    let s = x.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// A positive number to two significant digits: plain from 0.01 to 100 ("0.25",
/// "28"), else as a power of ten ("3.9 × 10⁻³", "10⁻³" for a power of ten itself).
pub fn short(v: f64) -> String {
    if !(v.is_finite() && v > 0.0) {
        return num(v);
    }
    if (0.01..100.0).contains(&v) {
        let digits = (1 - libm::floor(libm::log10(v)) as i32).max(0) as usize;
        let s = format!("{v:.digits$}");
        return if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        };
    }
    crate::chart::times_ten(&format!("{v:.1e}"))
}

/// "10²", "10³", … for a power of ten, else the count.
pub fn size_name(n: u64) -> String {
    let e = libm::log10(n as f64).round();
    if libm::pow(10.0, e) as u64 == n {
        format!("10{}", superscript(e as i64))
    } else {
        count(n)
    }
}

fn superscript(k: i64) -> String {
    k.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            d => "⁰¹²³⁴⁵⁶⁷⁸⁹"
                .chars()
                .nth(d.to_digit(10).unwrap_or(0) as usize)
                .unwrap_or('?'),
        })
        .collect()
}

/// What the clock has revealed of one data set: GD's steps and SGD's reach for ε,
/// within `shown` evaluations.
pub struct Reach {
    /// GD's steps to ε and SGD's (a checkpoint step), `None` when not (yet) reached.
    pub gd: Option<u64>,
    pub sgd: Option<u64>,
}

impl Race {
    /// Both methods' reach of `eps` within `shown` evaluations.
    pub fn reach(&self, eps: f64, shown: u64) -> Reach {
        Reach {
            gd: self.gd_reach(eps).filter(|t| t * self.n <= shown),
            sgd: self.sgd_reach(eps).filter(|t| t * self.b <= shown),
        }
    }
}

impl GdVsSgdLab {
    /// The crossings the clock has revealed: (data set, crossing).
    pub fn shown_crossings(&self) -> Vec<(usize, super::Crossing)> {
        let x = self.shown_x();
        self.races()
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((i, r.crossover().filter(|c| c.work <= x)?)))
            .collect()
    }

    /// The factor by which the crossing ε falls for ten times the data (geometric
    /// mean over the crossings shown), when two or more are shown.
    pub fn fall_per_decade(&self) -> Option<f64> {
        let c = self.shown_crossings();
        let (first, last) = (c.first()?, c.last()?);
        if first.0 == last.0 {
            return None;
        }
        let decades = libm::log10(self.races()[last.0].n as f64 / self.races()[first.0].n as f64);
        Some(libm::pow(first.1.epsilon / last.1.epsilon, 1.0 / decades))
    }

    /// Which method is cheaper for ε on data set `i`, in words, from what is shown.
    fn verdict(&self, r: &Race, eps: f64) -> String {
        let shown = self.shown_x();
        let reach = r.reach(eps, shown);
        match (reach.gd.map(|t| t * r.n), reach.sgd.map(|t| t * r.b)) {
            (Some(g), Some(s)) if g < s => format!("GD, {}× less work", ratio(s, g)),
            (Some(g), Some(s)) if s < g => format!("SGD, {}× less work", ratio(g, s)),
            (Some(_), Some(_)) => "the same work".into(),
            (Some(_), None) if self.at_end() || r.is_done() && shown >= r.x_max() => {
                "GD (SGD not there by the axis's end)".into()
            }
            (None, Some(_)) if self.at_end() || r.is_done() && shown >= r.x_max() => {
                "SGD (GD not there by the axis's end)".into()
            }
            (Some(_), None) => "GD so far".into(),
            (None, Some(_)) => "SGD so far".into(),
            (None, None) => "—".into(),
        }
    }

    pub(super) fn caption_text(&self) -> Caption {
        let s = self.scenario();
        let eps = self.target();
        let b = s.method.batch;
        let mut text = format!(
            "Each data set is the first n samples of one problem; GD (blue) pays n gradient evaluations a step, SGD (vermillion, the mean of {} run{} with its 10–90 % band, step η₀/(1 + t/t₀)) pays b = {b}. SGD falls at once, then like 1/t, and its curves nearly coincide whatever n: its cost does not grow with the data. GD waits a whole pass for its first step, then falls fast. ",
            s.runs,
            if s.runs == 1 { "" } else { "s" }
        );
        let crossings = self.shown_crossings();
        if crossings.is_empty() {
            text +=
                "Play: the x-axis fills with evaluations, and where GD overtakes SGD is ringed. ";
        } else {
            let list: Vec<String> = crossings
                .iter()
                .map(|(i, c)| {
                    format!(
                        "ε ≈ {} on n = {}",
                        short(c.epsilon),
                        size_name(self.races()[*i].n)
                    )
                })
                .collect();
            text += &format!("GD overtakes SGD at {}", list.join(", "));
            text += &match self.fall_per_decade() {
                Some(f) => format!(
                    ": ten times the data moves the crossing about {} times lower, close to the lecture's ε ≈ 1/n (GD's κ ln(1/ε) steps cost n each, SGD's 1/ε steps b each). ",
                    short(f)
                ),
                None => ". ".into(),
            };
        }
        let verdicts: Vec<String> = self
            .races()
            .iter()
            .map(|r| format!("n = {}: {}", size_name(r.n), self.verdict(r, eps)))
            .collect();
        text += &format!(
            "For the target ε = {} (dashed): {}.",
            short(eps),
            verdicts.join("; ")
        );
        let r0 = &self.races()[0];
        let mut facts = vec![
            ("target ε".to_string(), short(eps)),
            ("κ = L_s/m".to_string(), num(r0.kappa)),
            ("L(w₀) − L*".to_string(), num(r0.gap0)),
        ];
        for (i, c) in &crossings {
            facts.push((
                format!("crossing, n = {}", size_name(self.races()[*i].n)),
                format!(
                    "ε ≈ {} (1/n = {})",
                    short(c.epsilon),
                    short(1.0 / self.races()[*i].n as f64)
                ),
            ));
        }
        Caption { text, facts }
    }

    pub(super) fn table_rows(&self) -> Table {
        let eps = self.target();
        let shown = self.shown_x();
        let rows = self
            .races()
            .iter()
            .map(|r| {
                let reach = r.reach(eps, shown);
                let beyond = format!("> {}", short(r.x_max() as f64));
                let steps = |t: Option<u64>, work_per: u64| match t {
                    Some(t) => (count(t), short((t * work_per) as f64)),
                    None if shown >= r.x_max() => {
                        (format!("> {}", count(r.x_max() / work_per)), beyond.clone())
                    }
                    None => ("…".into(), "…".into()),
                };
                let (gd_steps, gd_work) = steps(reach.gd, r.n);
                let (sgd_steps, sgd_work) = steps(reach.sgd, r.b);
                let order_gd = r.kappa * libm::log(1.0 / eps);
                let cross = match r.crossover().filter(|c| c.work <= shown) {
                    Some(c) => format!("{} (1/n = {})", short(c.epsilon), short(1.0 / r.n as f64)),
                    None => "…".into(),
                };
                vec![
                    size_name(r.n),
                    format!("{gd_steps} ({})", short(order_gd.max(1e-3))),
                    gd_work,
                    format!("{sgd_steps} ({})", short(1.0 / eps)),
                    sgd_work,
                    self.verdict(r, eps),
                    cross,
                ]
            })
            .collect();
        Table {
            title: format!(
                "To reach L(w) − L* ≤ ε = {}: steps (the lecture's order in brackets), work in gradient evaluations, and the cheaper method, as far as the clock has run",
                short(eps)
            ),
            head: vec![
                "n".into(),
                "GD steps (κ ln 1/ε)".into(),
                "GD work: n a step".into(),
                "SGD steps (1/ε)".into(),
                format!("SGD work: b = {} a step", self.scenario().method.batch),
                "cheaper".into(),
                "GD overtakes SGD at ε".into(),
            ],
            rows,
        }
    }

    pub(super) fn describe_text(&self) -> String {
        let shown = self.shown_x();
        let mut out = format!(
            "Chart 1: the loss gap L(w) − L* against gradient evaluations on log–log axes, up to {} evaluations so far, for GD and SGD on each data set; the target ε = {} is a dashed line. ",
            count(shown),
            short(self.target())
        );
        for r in self.races() {
            let gd_t = r
                .gd_gaps
                .len()
                .saturating_sub(1)
                .min((shown / r.n) as usize);
            let mean = r.sgd_mean();
            let k = (0..mean.len())
                .rev()
                .find(|&k| r.sgd_work(k) <= shown)
                .unwrap_or(0);
            out += &format!(
                "n = {}: GD after {} step{} ({} evaluations) at {}; SGD's mean after {} evaluations at {}. ",
                count(r.n),
                gd_t,
                if gd_t == 1 { "" } else { "s" },
                count(gd_t as u64 * r.n),
                num(r.gd_gaps[gd_t]),
                count(r.sgd_work(k)),
                mean.get(k).map_or_else(|| num(r.gap0), |g| num(*g)),
            );
        }
        out += "Chart 2: the ε at which GD overtakes SGD against n on log–log axes, beside the dashed line ε = 1/n; above the crossings SGD is cheaper, below GD. ";
        let c = self.shown_crossings();
        if c.is_empty() {
            out += "No crossing shown yet.";
        } else {
            let list: Vec<String> = c
                .iter()
                .map(|(i, c)| {
                    format!(
                        "n = {}: ε ≈ {}",
                        count(self.races()[*i].n),
                        short(c.epsilon)
                    )
                })
                .collect();
            out += &format!("Crossings: {}.", list.join("; "));
        }
        out
    }

    /// Every data set's curves: GD's gap after each step, SGD's mean and band at each
    /// checkpoint, with the evaluations spent.
    pub(super) fn csv_text(&self) -> String {
        let mut out = String::from("n,method,step,evaluations,mean_gap,band_lo,band_hi\n");
        for r in self.races() {
            for (t, g) in r.gd_gaps.iter().enumerate() {
                out += &format!("{},gd,{t},{},{g:e},{g:e},{g:e}\n", r.n, t as u64 * r.n);
            }
            let mean = r.sgd_mean();
            let (lo, hi) = r.sgd_band();
            for (k, m) in mean.iter().enumerate() {
                out += &format!(
                    "{},sgd,{},{},{m:e},{:e},{:e}\n",
                    r.n,
                    r.marks[k],
                    r.sgd_work(k),
                    lo[k],
                    hi[k]
                );
            }
        }
        out
    }
}

fn ratio(a: u64, b: u64) -> String {
    let r = a as f64 / b.max(1) as f64;
    if r < 1.1 {
        format!("{r:.2}")
    } else if r < 10.0 {
        format!("{r:.1}")
    } else {
        format!("{r:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_sizes_and_short_numbers_read_as_written() {
        assert_eq!(count(3_300_000), "3\u{202f}300\u{202f}000");
        assert_eq!(count(999), "999");
        assert_eq!(size_name(100_000), "10⁵");
        assert_eq!(size_name(5000), "5\u{202f}000");
        assert_eq!(short(1e-3), "10⁻³");
        assert_eq!(short(0.25), "0.25");
        assert_eq!(short(27.46), "27");
        assert_eq!(short(0.0038657), "3.9 × 10⁻³");
        assert_eq!(short(3_300_000.0), "3.3 × 10⁶");
        assert_eq!(ratio(61, 1), "61");
        assert_eq!(ratio(17, 10), "1.7");
        assert_eq!(ratio(1513, 1500), "1.01");
    }
}
