//! What the labs share beneath their charts: for now the spread band of many runs
//! ([`band`]), used by expected-loss and `sgd-lab render`.

pub mod band;
