//! WebAssembly bindings of pumppath: a placeholder until the WASM issue adds wasm-bindgen.
//!
//! The crate already links the core so that the workspace checks the bindings' dependency on it.

/// The core crate's version, which the JS package will report as `version()`.
pub fn core_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
