//! What the labs share beneath their charts: a run with its history and its own stop
//! ([`track`]), and the spread band of many runs ([`band`]), used by expected-loss and
//! `sgd-lab render`.

pub mod band;
pub(super) mod track;
