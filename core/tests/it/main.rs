//! Every integration test of pumppath, in one test crate: one build, and the shared helpers in `common`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod common;

#[cfg(feature = "io")]
mod catalogue;
mod cgm;
#[cfg(feature = "demo")]
mod cohort;
mod docs;
mod doors;
mod episodes;
#[cfg(feature = "io")]
mod errors;
#[cfg(all(feature = "fhir", feature = "demo"))]
mod fhir;
mod glucose;
#[cfg(feature = "demo")]
mod golden;
#[cfg(feature = "io")]
mod io;
mod pathway;
mod patient;
mod records;
mod robustness;
#[cfg(feature = "demo")]
mod roundtrip;
mod rules;
mod schedule;
mod trace;
