//! Embedded demo data: a small clinic cohort with pathway records and deterministic, realistic CGM traces,
//! all made up for pumppath (no real patient's data).
//!
//! The examples, the Python notebook and the web page all use this cohort, so they show the same patients.
//! Everything is a pure function of its arguments: the same call gives the same data on every machine.
//!
//! ```
//! use pumppath::demo::{self, GlucoseProfile};
//!
//! let day = demo::readings(GlucoseProfile::WellControlled, demo::DEMO_START, 1);
//! assert!(day.len() > 270 && day.len() <= 288); // 5-minute readings, a few dropped
//! assert!(day.iter().all(|(_, v)| (40.0..=400.0).contains(v)));
//! ```

mod cohort;
mod trace;

pub use cohort::{DEMO_NOW, DEMO_TIME_ZONE, DemoPatient, cohort};
pub use trace::{DEMO_START, GlucoseProfile, one_day, readings};
