//! Python bindings of pumppath: a placeholder until the Python bindings issue adds PyO3.
//!
//! The crate already links the core so that the workspace checks the bindings' dependency on it.

/// The core crate's version, which the Python package will report as `pumppath.__version__`.
pub fn core_version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
