//! # sgd-lab
//!
//! A deterministic simulator of gradient descent and stochastic gradient descent for
//! teaching: finite-sum problems, GD/SGD with PyTorch's momentum semantics, variance
//! reduction, schedules, iterate averaging, ensembles of independent runs and the
//! theory numbers of the lecture — all pure Rust, the same bits natively and in
//! WebAssembly. One [`scenario::Scenario`] describes a lab's whole state.

pub mod averaging;
pub mod chart;
pub mod data;
pub mod digest;
pub mod ensemble;
pub mod error;
pub mod expectation;
pub mod lab;
pub mod linalg;
pub mod method;
pub mod presets;
pub mod problem;
pub mod report;
pub mod run;
pub mod sampler;
pub mod scenario;
pub mod schedule;
pub mod slice;
pub mod theory;

/// The random number generator (PCG32) and how runs are seeded: in the kernel crate.
pub use sgd_lab_kernel::rng;

pub use error::SpecError;
pub use scenario::{Scenario, Setup};

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// Benchmark exports for the web benchmark page.
#[cfg(target_arch = "wasm32")]
pub mod wasm_bench;
