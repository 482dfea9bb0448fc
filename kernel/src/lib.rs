//! # sgd-lab-kernel
//!
//! The hot loops of sgd-lab, in a crate of their own so that the WebAssembly build can
//! optimise them for speed (opt-level 3, loops unrolled into SIMD) and everything else
//! for size (opt-level "z"); Cargo sets optimisation per crate. See the `wasm-release`
//! profile in the workspace's Cargo.toml and docs/BENCHMARKS.md.
//!
//! - [`rng`]: PCG32 and how runs are seeded;
//! - [`stats`]: per-step statistics of many runs, in run order;
//! - [`histogram`]: per-step quantiles of all runs (log-binned counts);
//! - [`lanes`]: the ensemble's interleaved kernel for 1-D plain SGD;
//! - [`dense`]: the O(n d²) loops of building a problem (XᵀX, Hessians, rotated rows).

pub mod dense;
pub mod histogram;
pub mod lanes;
pub mod rng;
pub mod stats;

/// A loss gap above this counts as divergence. No run that stays bounded gets near it
/// (data and start points are bounded by 1e6, so L(w0) − L* < 1e30), and below it every
/// statistic of the gap — its square, sums over 1e5 runs, L* + gap — stays finite.
pub const MAX_GAP: f64 = 1e100;
