//! Glucose values: units, the five consensus bands, target presets, and classification.
//!
//! This is the bottom layer of pumppath: everything that judges a glucose value goes through a
//! [`Classifier`] built from [`Targets`] (a [`TargetPreset`] or validated custom cut-points and goals).
//!
//! - Units are exactly `"mg/dL"` and `"mmol/L"` ([`Unit`]); values convert with [`MG_DL_PER_MMOL_L`].
//! - Bands follow the International Consensus on Time in Range (2019) with iglu's boundaries ([`Band`]). In
//!   ADA terms, level 1 hypoglycaemia is `low` (< 70 and ≥ 54 mg/dL) and level 2 is `very_low` (< 54 mg/dL).
//! - One value is valid when it is a finite number between 10 and 1,000 mg/dL (0.555–55.5 mmol/L); NaN,
//!   infinities, zero, negative and absurd values are [`GlucoseError`]s. Sensor "Low"/"High" readings are
//!   [`GlucoseValue::Limit`]s and classify as `very_low`/`very_high`.
//! - The batch API ([`Classifier::classify_into`], [`Classifier::count`]) treats NaN as missing, as iglu drops
//!   NA.
//!
//! # The rounding seam between units
//!
//! Preset cut-points are stored natively in each unit, and the mmol/L ones are rounded (3.9 mmol/L is
//! 70.26 mg/dL, 10.0 mmol/L is 180.16 mg/dL). A value converted from one unit to the other therefore classifies
//! the same in both units except within these seams (mg/dL): [54, 54.05), [70, 70.26), (180, 180.16] and
//! (250, 250.42]. Clinics that report in mmol/L see those values in the neighbouring band, exactly as their own
//! rounded thresholds say.

mod band;
mod classify;
mod error;
mod targets;
mod unit;

pub use band::Band;
pub use classify::{
    BandCounts, Classifier, GlucoseValue, MISSING_CODE, PLAUSIBLE_MAX_MG_DL, PLAUSIBLE_MIN_MG_DL,
    SensorLimit, SensorRange, classify,
};
pub use error::{GlucoseError, TargetsProblem, ThresholdProblem, ValueProblem};
pub use targets::{CutPoints, TargetGoals, TargetPreset, Targets};
pub use unit::{MG_DL_PER_MMOL_L, Unit};
