//! Change against the patient's own past: the current CGM window against the one before it.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use crate::cgm::Summary;
use crate::glucose::Unit;
use crate::pathway::ChangeSettings;
use crate::wire::wire_enum;

wire_enum! {
    /// What the comparison with the prior period concludes.
    pub enum ChangeVerdict {
        /// Worse than the prior period by more than a threshold.
        Worsening => "worsening",
        /// Both periods sufficient, and nothing worse by more than a threshold.
        NotWorse => "not_worse",
        /// The prior period's data are too sparse to compare with (or cut by the pump start): no verdict.
        InsufficientPriorData => "insufficient_prior_data",
        /// The current period's data are too sparse (or stale) to compare: no verdict.
        InsufficientCurrentData => "insufficient_current_data",
    }
}

wire_enum! {
    /// A metric the comparison watches.
    pub enum ChangeMetric {
        /// Time in range (the targets' range), percentage points.
        TimeInRange => "time_in_range",
        /// Mean glucose, in the readings' unit.
        MeanGlucose => "mean_glucose",
        /// Time below 70 mg/dL (3.9 mmol/L), percentage points.
        TimeBelow70 => "time_below_70",
    }
}

/// One period's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PeriodFigures {
    /// The period's start (excluded), the readings' wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub start: DateTime,
    /// The period's end (included).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub end: DateTime,
    /// Whether its data meet the consensus minimum (14 days, 70 % wear).
    pub sufficient: bool,
    /// Time in range, %.
    pub percent_in_range: Option<f64>,
    /// Mean glucose.
    pub mean: Option<f64>,
    /// Time below 70 mg/dL, %.
    pub percent_below_70: Option<f64>,
}

impl PeriodFigures {
    fn of(summary: &Summary) -> Option<PeriodFigures> {
        let period = summary.period?;
        Some(PeriodFigures {
            start: period.start,
            end: period.end,
            sufficient: summary.sufficient,
            percent_in_range: summary.percent_in_range,
            mean: summary.mean,
            percent_below_70: summary.percent_below_70,
        })
    }
}

/// The current period against the prior one: the figures, the changes and the verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PeriodChange {
    /// The verdict.
    pub verdict: ChangeVerdict,
    /// The unit of the means.
    pub unit: Unit,
    /// The current period (the rules' CGM window).
    pub current: PeriodFigures,
    /// The period of the same length before it (cut at the pump start).
    pub prior: PeriodFigures,
    /// Time in range now minus before, points (negative is worse).
    pub tir_change: Option<f64>,
    /// Mean glucose now minus before (positive is worse).
    pub mean_change: Option<f64>,
    /// Time below 70 now minus before, points (positive is worse).
    pub below_70_change: Option<f64>,
    /// The metrics worse by more than their threshold.
    pub worse: Vec<ChangeMetric>,
    /// The thresholds applied: TIR drop, mean rise (in the unit), time-below-70 rise.
    pub thresholds: [f64; 3],
}

impl PeriodChange {
    /// Compares `current` with `prior` (both period summaries of one series).
    pub(crate) fn of(current: &Summary, prior: &Summary, settings: &ChangeSettings) -> Option<PeriodChange> {
        let (now, before) = (PeriodFigures::of(current)?, PeriodFigures::of(prior)?);
        let diff = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a - b);
        let tir_change = diff(now.percent_in_range, before.percent_in_range);
        let mean_change = diff(now.mean, before.mean);
        let below_70_change = diff(now.percent_below_70, before.percent_below_70);
        let mean_rise = match current.unit {
            Unit::MgDl => settings.mean_rise_mg_dl,
            Unit::MmolL => settings.mean_rise_mmol_l,
        };
        let verdict_data = match (now.sufficient, before.sufficient) {
            (false, _) => Some(ChangeVerdict::InsufficientCurrentData),
            (true, false) => Some(ChangeVerdict::InsufficientPriorData),
            (true, true) => None,
        };
        let mut worse = Vec::new();
        if verdict_data.is_none() {
            if tir_change.is_some_and(|c| -c > settings.tir_drop_points) {
                worse.push(ChangeMetric::TimeInRange);
            }
            if mean_change.is_some_and(|c| c > mean_rise) {
                worse.push(ChangeMetric::MeanGlucose);
            }
            if below_70_change.is_some_and(|c| c > settings.below_70_rise_points) {
                worse.push(ChangeMetric::TimeBelow70);
            }
        }
        let verdict = verdict_data.unwrap_or(if worse.is_empty() {
            ChangeVerdict::NotWorse
        } else {
            ChangeVerdict::Worsening
        });
        Some(PeriodChange {
            verdict,
            unit: current.unit,
            current: now,
            prior: before,
            tir_change,
            mean_change,
            below_70_change,
            worse,
            thresholds: [settings.tir_drop_points, mean_rise, settings.below_70_rise_points],
        })
    }
}
