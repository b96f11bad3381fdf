//! # pumppath
//!
//! A rules engine for the insulin-pump-therapy pathway of a diabetes clinic: the four phases of the pathway
//! (pre-pump checklist, understanding the pump, maintenance, post-pump care) as data and rules, CGM glucose
//! classification and consensus metrics, and the actions a clinic should take today, each with the rule that
//! fired and the handout passage behind it.
//!
//! The crate is pure: it parses strings and byte readers, never opens files or sockets, and never reads the
//! clock (callers pass "now"). Its serde JSON is the contract that the Python and WebAssembly bindings expose.
//!
//! Modules, bottom up:
//! - [`glucose`]: units, bands, targets, validation and batch classification of values.
//! - [`cgm`]: a patient's validated CGM series, its consensus summary (as R iglu computes it) and AGP profile.
//! - `io` (feature `io`): readers of CGM exports, the long `id,time,gl` CSV and Dexcom Clarity.
//! - [`pathway`]: the protocol (phases, checklist items, settings), the patient's event record and its guards,
//!   and where the patient stands.
//! - [`schedule`]: due dates, tolerance windows and their state on the clinic's calendar.
//! - [`cohort`]: many patients' readings in long form, summarised patient by patient on every core.
//! - [`rules`]: the assessment: today's actions for a patient, each with its rule, evidence and handout source.
//! - [`fhir`] (feature `fhir`): the pathway as a FHIR R4 CarePlan, today's actions as a RequestGroup, the CGM
//!   summary as the HL7 CGM guide's Observations, and CGM readings read from a FHIR Bundle.
//! - [`patient`]: the patient's view of an assessment, in the handout's voice: next steps, visits, supplies,
//!   when to call the clinic and the back-up plan, as JSON, Markdown or plain text.
//!
//! Cargo features: `io` (default) for CSV readers, `demo` (default) for the embedded demo cohort that the
//! examples, the notebook and the web page share, `fhir` (default) for FHIR R4 export and import, `schema` for the JSON Schemas of the wire formats.
//!
//! ```
//! use pumppath::glucose::{Band, Classifier, Targets, Unit};
//!
//! let classifier = Classifier::new(&Targets::default(), Unit::MgDl);
//! let counts = classifier.count(&[62.0, 110.0, 145.0, 190.0, 270.0])?;
//! assert_eq!(counts.percent(Band::InRange), Some(40.0));
//! # Ok::<(), pumppath::Error>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod cgm;
pub mod cohort;
pub mod error;
pub mod fhir;
mod fields;
pub mod glucose;
pub mod io;
mod parallel;
pub mod pathway;
pub mod patient;
mod problem;
mod rule_id;
pub mod rules;
pub mod schedule;
#[cfg(feature = "schema")]
pub mod schema;
pub mod wire;

#[cfg(feature = "demo")]
pub mod demo;

pub use error::{Error, ErrorDocument, ErrorKind, MAX_ECHO, MAX_MESSAGE, Problem, ProblemCode};
/// The date and time library pumppath's APIs use (timestamps, civil dates, time zones), re-exported so that
/// callers use the same version.
pub use jiff;

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The reference's Rust examples (`docs/reference.md`), compiled and run as doctests, so the wire reference
/// stays true.
#[cfg(doctest)]
#[doc = include_str!("../../docs/reference.md")]
pub struct ReferenceDoctests;
