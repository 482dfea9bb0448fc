//! Long computations in slices (#12). Building an n × d = 10⁶ problem and its theory
//! takes about a second in the browser: far too long for one animation frame. The
//! heavy loops over the data go through [`rows`]; a [`Job`] runs the whole build again
//! and again, each time with a budget, and each run resumes where the last one
//! stopped:
//!
//! - a loop that finished in an earlier run returns its saved result at once;
//! - the loop that was cut short goes on from its saved row and accumulator;
//! - once the budget is spent, the loop saves its state, and every later loop of the
//!   run returns its initial value at once (the run's result is then thrown away).
//!
//! The loops run the same operations in the same order whether in one go or in
//! slices, so the result is the same bits (tests/slice.rs). Outside a job (the command
//! line, the tests, the page's first small slice of an ordinary scenario) [`rows`] is
//! a plain loop.
//!
//! Runs are matched loop by loop in order: the build is deterministic, so the k-th
//! loop of one run is the k-th loop of the next (each saved entry also carries its
//! name and length, checked). [`value`] saves a whole finished sub-result (the
//! problem), so that later runs skip its loops and their saved data are freed.
//!
//! Budgets are in the loops' own units, about one multiply-add each (a row of a d × d
//! outer product costs d²): deterministic, for tests. The page gives a run a time
//! instead ([`Job::run_for`]): a loop looks at the clock every [`CHECK_UNITS`] units
//! and stops once the time is up, whatever its rows cost (units per millisecond vary
//! threefold from one loop to the next).

use std::any::Any;
use std::cell::RefCell;
use std::sync::Arc;

enum Entry {
    /// A finished loop (or value) and its result; `end`: the index after the loops it
    /// contains (a loop: its own index + 1).
    Done {
        what: &'static str,
        len: usize,
        result: Box<dyn Any>,
        end: usize,
    },
    /// A loop cut short: its accumulator after rows `0..row`.
    Part {
        what: &'static str,
        len: usize,
        acc: Box<dyn Any>,
        row: usize,
    },
    /// Nothing saved (a loop inside a finished value, or a value being made).
    Empty,
}

/// A computation done in slices: what its runs so far have saved.
#[derive(Default)]
pub struct Job {
    entries: Vec<Entry>,
    /// Units spent by all runs so far.
    spent: u64,
    /// The most units one run has spent (tests: a slice stays near its budget).
    most: u64,
    /// Runs so far.
    runs: u32,
    /// Where the last run stopped: the loop's name, the rows done, its length.
    at: Option<(&'static str, usize, usize)>,
}

/// How often (in units, some tens of microseconds) a loop of a timed run looks at
/// the clock.
pub const CHECK_UNITS: u64 = 20_000;

/// A timed run's end: `now()` in milliseconds, and the time it must stop by.
#[derive(Clone, Copy)]
struct Deadline {
    now: fn() -> f64,
    at: f64,
}

impl Deadline {
    fn passed(d: Option<Deadline>) -> bool {
        d.is_some_and(|d| (d.now)() >= d.at)
    }
}

struct Run {
    job: Job,
    budget: u64,
    deadline: Option<Deadline>,
    spent: u64,
    cut: bool,
    next: usize,
    /// Inside a loop's body: loops there run plainly.
    depth: u32,
}

thread_local! {
    static RUN: RefCell<Option<Run>> = const { RefCell::new(None) };
}

impl Job {
    pub fn new() -> Job {
        Job::default()
    }

    /// Runs `f` with a budget of `budget` units (at least 1): `Some(result)` when it
    /// finished, `None` when the budget ran out first (call again to go on). Called
    /// inside another job's run, `f` simply runs.
    pub fn run<T>(&mut self, budget: u64, f: impl FnOnce() -> T) -> Option<T> {
        self.run_with(budget, None, f)
    }

    /// Runs `f` for about `ms` milliseconds of `now()` (a clock in milliseconds, e.g.
    /// `performance.now`), as [`run`](Self::run) does with units: each run does at
    /// least one row of work (or [`CHECK_UNITS`] units), so a job always ends.
    pub fn run_for<T>(&mut self, ms: f64, now: fn() -> f64, f: impl FnOnce() -> T) -> Option<T> {
        let at = now() + ms;
        self.run_with(u64::MAX, Some(Deadline { now, at }), f)
    }

    fn run_with<T>(
        &mut self,
        budget: u64,
        deadline: Option<Deadline>,
        f: impl FnOnce() -> T,
    ) -> Option<T> {
        let nested = RUN.with(|r| r.borrow().is_some());
        if nested {
            return Some(f());
        }
        let job = std::mem::take(self);
        RUN.with(|r| {
            *r.borrow_mut() = Some(Run {
                job,
                budget: budget.max(1),
                deadline,
                spent: 0,
                cut: false,
                next: 0,
                depth: 0,
            })
        });
        let out = f();
        let run = RUN
            .with(|r| r.borrow_mut().take())
            .expect("a job's run is in place until it ends");
        *self = run.job;
        self.spent += run.spent;
        self.most = self.most.max(run.spent);
        self.runs += 1;
        if run.cut {
            None
        } else {
            self.at = None;
            Some(out)
        }
    }

    /// Units spent so far, by all runs.
    pub fn spent(&self) -> u64 {
        self.spent
    }

    /// The most units a single run spent.
    pub fn most_in_one_run(&self) -> u64 {
        self.most
    }

    /// How many runs so far.
    pub fn runs(&self) -> u32 {
        self.runs
    }

    /// Where the last run stopped: the loop's name and the share of its rows done.
    pub fn at(&self) -> Option<(&'static str, f64)> {
        self.at
            .map(|(what, row, len)| (what, row as f64 / len.max(1) as f64))
    }
}

/// How a loop starts (the non-generic half of [`rows`], one copy in the binary).
enum Begin {
    /// Outside a job, or inside another loop's body: a plain loop.
    Plain,
    /// The run is out of budget: the loop returns its initial value.
    Cut,
    /// Finished in an earlier run: its saved result (at `key`).
    Saved(usize),
    /// To run from `row` (a saved accumulator if `acc`), with `left` units and the
    /// run's deadline.
    Resume {
        acc: Option<Box<dyn Any>>,
        row: usize,
        key: usize,
        left: u64,
        deadline: Option<Deadline>,
    },
}

fn begin(what: &'static str, len: usize) -> Begin {
    RUN.with(|r| {
        let mut r = r.borrow_mut();
        let Some(run) = r.as_mut().filter(|run| run.depth == 0) else {
            return Begin::Plain;
        };
        if run.cut {
            return Begin::Cut;
        }
        let key = run.next;
        run.next += 1;
        let entries = &mut run.job.entries;
        match entries.get(key) {
            Some(Entry::Done {
                what: w, len: l, ..
            }) if *w == what && *l == len => return Begin::Saved(key),
            Some(Entry::Part {
                what: w, len: l, ..
            }) if *w == what && *l == len => {}
            // Not this loop (a bug: the build is deterministic): start afresh here.
            Some(Entry::Done { .. } | Entry::Part { .. }) => entries.truncate(key),
            Some(Entry::Empty) | None => {}
        }
        // (A timed run does some work before it looks at the clock: it always moves on.)
        if run.spent >= run.budget || (run.spent > 0 && Deadline::passed(run.deadline)) {
            let row = match entries.get(key) {
                Some(Entry::Part { row, .. }) => *row,
                _ => 0,
            };
            run.job.at = Some((what, row, len));
            run.cut = true;
            return Begin::Cut;
        }
        let left = run.budget - run.spent;
        let (acc, row) = match entries
            .get_mut(key)
            .map(|e| std::mem::replace(e, Entry::Empty))
        {
            Some(Entry::Part { acc, row, .. }) => (Some(acc), row),
            _ => (None, 0),
        };
        while entries.len() <= key {
            entries.push(Entry::Empty);
        }
        run.depth += 1;
        Begin::Resume {
            acc,
            row,
            key,
            left,
            deadline: run.deadline,
        }
    })
}

/// The saved result at `key`, if it is an `A` (else the entries from `key` on are
/// dropped and `None`: the loop runs afresh).
fn saved<A: Clone + 'static>(key: usize) -> Option<A> {
    RUN.with(|r| {
        let mut r = r.borrow_mut();
        let run = r.as_mut()?;
        let got = match run.job.entries.get(key) {
            Some(Entry::Done { result, .. }) => result.downcast_ref::<A>().cloned(),
            _ => None,
        };
        if got.is_none() {
            run.job.entries.truncate(key);
        }
        got
    })
}

/// Ends a loop's run (the non-generic half): `done`, its result is `state`; else
/// `state` is its accumulator after `row` rows.
fn end(
    what: &'static str,
    len: usize,
    key: usize,
    row: usize,
    used: u64,
    state: Box<dyn Any>,
    done: bool,
) {
    RUN.with(|r| {
        let mut r = r.borrow_mut();
        let run = r.as_mut().expect("a job's run is in place until it ends");
        run.depth -= 1;
        run.spent = run.spent.saturating_add(used);
        run.job.entries[key] = if done {
            Entry::Done {
                what,
                len,
                result: state,
                end: key + 1,
            }
        } else {
            run.cut = true;
            run.job.at = Some((what, row, len));
            Entry::Part {
                what,
                len,
                acc: state,
                row,
            }
        };
    })
}

/// `body(&mut acc, i)` for i = 0, 1, …, len − 1, in order, starting from `init`;
/// returns the accumulator. `what` names the loop (shown while a page prepares a
/// problem); `cost` is one row's work in units. Inside a [`Job`], resumable (see the
/// module comment); a loop inside another loop's body runs plainly.
pub fn rows<A: Clone + 'static>(
    what: &'static str,
    len: usize,
    cost: u64,
    init: A,
    mut body: impl FnMut(&mut A, usize),
) -> A {
    let mut go = begin(what, len);
    if let Begin::Saved(key) = go {
        if let Some(a) = saved::<A>(key) {
            return a;
        }
        go = begin_again(what, len);
    }
    let (acc, row, key, left, deadline) = match go {
        Begin::Plain => {
            let mut acc = init;
            for i in 0..len {
                body(&mut acc, i);
            }
            return acc;
        }
        Begin::Cut | Begin::Saved(_) => return init,
        Begin::Resume {
            acc,
            row,
            key,
            left,
            deadline,
        } => (acc, row, key, left, deadline),
    };
    let (mut acc, mut i) = match acc.map(|a| a.downcast::<A>()) {
        Some(Ok(a)) => (*a, row),
        _ => (init.clone(), 0),
    };
    let mut used = 0u64;
    let mut look = CHECK_UNITS;
    while i < len {
        body(&mut acc, i);
        i += 1;
        used = used.saturating_add(cost.max(1));
        if used >= left {
            break;
        }
        if used >= look {
            if Deadline::passed(deadline) {
                break;
            }
            look = used.saturating_add(CHECK_UNITS);
        }
    }
    if i >= len {
        end(what, len, key, i, used, Box::new(acc.clone()), true);
        acc
    } else {
        end(what, len, key, i, used, Box::new(acc), false);
        init
    }
}

/// [`begin`] after a saved result of another type was dropped at this loop's key.
fn begin_again(what: &'static str, len: usize) -> Begin {
    RUN.with(|r| {
        if let Some(run) = r.borrow_mut().as_mut() {
            run.next -= 1;
        }
    });
    begin(what, len)
}

/// `make()`, saved once a run finishes it: later runs of the job return the saved
/// value and skip the loops inside `make` (whose saved data are freed then). Outside a
/// job, `make()`.
pub fn value<T: Clone + 'static>(what: &'static str, make: impl FnOnce() -> T) -> T {
    enum Go<T> {
        Plain,
        Saved(T),
        Make(usize),
    }
    let go = RUN.with(|r| {
        let mut r = r.borrow_mut();
        let Some(run) = r.as_mut().filter(|run| run.depth == 0 && !run.cut) else {
            return Go::Plain;
        };
        let key = run.next;
        let entries = &mut run.job.entries;
        if let Some(Entry::Done {
            what: w,
            result,
            end,
            ..
        }) = entries.get(key)
        {
            if *w == what {
                if let Some(v) = result.downcast_ref::<T>() {
                    run.next = *end;
                    return Go::Saved(v.clone());
                }
            }
            entries.truncate(key);
        }
        while entries.len() <= key {
            entries.push(Entry::Empty);
        }
        run.next += 1;
        Go::Make(key)
    });
    match go {
        Go::Plain => make(),
        Go::Saved(v) => v,
        Go::Make(key) => {
            let v = make();
            RUN.with(|r| {
                let mut r = r.borrow_mut();
                let run = r.as_mut().expect("a job's run is in place until it ends");
                if !run.cut {
                    let end = run.next;
                    for e in &mut run.job.entries[key + 1..end] {
                        *e = Entry::Empty;
                    }
                    run.job.entries[key] = Entry::Done {
                        what,
                        len: 0,
                        result: Box::new(v.clone()),
                        end,
                    };
                }
            });
            v
        }
    }
}

/// Whether the run in progress ran out of budget (its results are thrown away: do
/// not keep them elsewhere). Outside a job: false.
pub fn cut_short() -> bool {
    RUN.with(|r| r.borrow().as_ref().is_some_and(|run| run.cut))
}

/// `Err` when the run in progress ran out of budget: what follows would compute on
/// placeholders, so a build returns here (its result is thrown away anyway).
pub fn check() -> Result<(), crate::error::SpecError> {
    if cut_short() {
        Err(crate::error::SpecError::new(
            "budget",
            "this slice of the build ran out of time (it goes on in the next)",
        ))
    } else {
        Ok(())
    }
}

/// Rows and targets as one shared row-major array and a shared vector, made once in a
/// job ([`value`]): the later runs of a problem built in slices share them instead of
/// copying n × d numbers each time.
#[allow(clippy::type_complexity)]
pub fn flat_rows(rows: &[Vec<f64>], y: &[f64]) -> (Arc<[f64]>, Arc<[f64]>) {
    value("the rows", || {
        let x: Vec<f64> = rows.iter().flatten().copied().collect();
        (x.into(), y.into())
    })
}

/// Σ f(i) for i in 0..len, added in order from −0.0 as `Iterator::sum` does (the same
/// bits), through [`rows`].
pub fn sum(what: &'static str, len: usize, cost: u64, mut f: impl FnMut(usize) -> f64) -> f64 {
    rows(what, len, cost, -0.0, |s, i| *s += f(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(n: usize) -> (f64, Vec<f64>) {
        let squares = rows("squares", n, 3, Vec::new(), |v: &mut Vec<f64>, i| {
            v.push((i as f64).sqrt())
        });
        let twice = value("twice", || {
            rows("twice", n, 1, Vec::new(), |v: &mut Vec<f64>, i| {
                v.push(2.0 * squares[i])
            })
        });
        let s = sum("sum", n, 1, |i| twice[i] * 0.1);
        (s, twice)
    }

    #[test]
    fn a_job_in_slices_gives_the_plain_result() {
        let plain = build(1000);
        assert_eq!(
            plain.0.to_bits(),
            (0..1000)
                .map(|i| 2.0 * (i as f64).sqrt() * 0.1)
                .sum::<f64>()
                .to_bits()
        );
        for budget in [1u64, 7, 100, 2999, 3000, 3001, 10_000] {
            let mut job = Job::new();
            let out = loop {
                if let Some(out) = job.run(budget, || build(1000)) {
                    break out;
                }
                assert!(job.at().is_some());
            };
            assert_eq!(out.0.to_bits(), plain.0.to_bits(), "budget {budget}");
            assert_eq!(out.1, plain.1);
            // Every unit of work is done once: 3 + 1 + 1 units a row.
            assert_eq!(job.spent(), 5 * 1000, "budget {budget}");
            // A run spends at most its budget and less than one more row (3 units).
            assert!(job.most_in_one_run() < budget + 3, "budget {budget}");
            assert!(job.runs() as u64 >= 5000 / (budget + 2), "budget {budget}");
        }
    }

    thread_local! {
        static TICKS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
    }

    /// A clock that moves one millisecond each time it is read.
    fn ticking() -> f64 {
        TICKS.with(|t| {
            t.set(t.get() + 1.0);
            t.get()
        })
    }

    #[test]
    fn a_timed_job_stops_when_its_clock_says_so_and_always_moves_on() {
        let plain = build(100_000);
        // 3 ms a run: a loop reads the clock every CHECK_UNITS units, so a run does a
        // few CHECK_UNITS of work, then stops.
        let mut job = Job::new();
        let out = loop {
            if let Some(out) = job.run_for(3.0, ticking, || build(100_000)) {
                break out;
            }
            assert!(job.runs() < 10_000, "a timed job must end");
        };
        assert_eq!(out.0.to_bits(), plain.0.to_bits());
        assert_eq!(out.1, plain.1);
        assert_eq!(job.spent(), 5 * 100_000, "every unit of work is done once");
        let runs = job.runs() as u64;
        assert!(runs >= 5 * 100_000 / (4 * CHECK_UNITS), "{runs} runs");
        assert!(
            job.most_in_one_run() <= 4 * CHECK_UNITS,
            "{}",
            job.most_in_one_run()
        );
        // A clock that is always late: still one check's worth of work a run.
        fn late() -> f64 {
            f64::INFINITY
        }
        let mut job = Job::new();
        let out = loop {
            if let Some(out) = job.run_for(0.0, late, || build(100_000)) {
                break out;
            }
            assert!(job.runs() < 10_000, "a late clock must not stall the job");
        };
        assert_eq!(out.0.to_bits(), plain.0.to_bits());
    }

    #[test]
    fn outside_a_job_loops_are_plain_and_a_nested_run_simply_runs() {
        assert_eq!(sum("s", 4, 1, |i| i as f64), 6.0);
        assert_eq!(sum("s", 0, 1, |i| i as f64).to_bits(), (-0.0f64).to_bits());
        let mut outer = Job::new();
        let got = outer.run(1, || {
            let mut inner = Job::new();
            inner.run(1, || sum("inner", 10, 1, |i| i as f64))
        });
        // The outer run was cut inside (budget 1), the nested one ran as part of it.
        assert_eq!(got, None);
        let got = loop {
            if let Some(v) = outer.run(1, || {
                Job::new().run(1, || sum("inner", 10, 1, |i| i as f64))
            }) {
                break v;
            }
        };
        assert_eq!(got, Some(45.0));
    }
}
