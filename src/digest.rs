//! A stable fingerprint of a scenario's result, used to check that native and
//! WebAssembly builds compute the same bits.

use crate::report::run_result;
use crate::scenario::Setup;

/// FNV-1a, 64 bits: tiny, and enough to notice any changed byte.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The digest of the `--summary` result JSON of a scenario (all its runs simulated).
pub fn result_digest(setup: &Setup) -> u64 {
    let json = serde_json::to_string(&run_result(setup, true)).expect("results serialise");
    fnv1a64(json.as_bytes())
}

/// `name digest` lines for every preset small enough to simulate quickly.
pub fn preset_digests() -> String {
    let mut out = String::new();
    for p in crate::presets::PRESETS {
        let setup = p.scenario().build().expect("presets are valid");
        if setup.scenario.runs * setup.scenario.steps > 600_000 {
            continue;
        }
        out += &format!("{} {:016x}\n", p.name, result_digest(&setup));
    }
    out
}
