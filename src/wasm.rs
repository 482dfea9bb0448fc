//! The WebAssembly binding: handles and conversions only; the logic lives in the core.
