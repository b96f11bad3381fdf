//! The consensus goals checked against a summary: "is this above target?".

use serde::{Deserialize, Serialize};

use super::Summary;
use crate::glucose::Targets;
use crate::wire::wire_enum;

/// The consensus goal for glycaemic variability: CV at most 36 % (Battelino et al., Diabetes Care 2019).
pub const MAX_CV_PERCENT: f64 = 36.0;

wire_enum! {
    /// A metric the consensus sets a goal for. The cut-points are the targets' (standard: 70, 54, 180, 250 mg/dL).
    pub enum GoalMetric {
        /// Coefficient of variation, %.
        Cv => "cv",
        /// % of readings in the target range (70–180).
        PercentInRange => "percent_in_range",
        /// % of readings below the low cut-point (< 70), very low included.
        PercentBelowRange => "percent_below_range",
        /// % of readings below the very-low cut-point (< 54).
        PercentBelowVeryLow => "percent_below_very_low",
        /// % of readings above the high cut-point (> 180), very high included.
        PercentAboveRange => "percent_above_range",
        /// % of readings above the very-high cut-point (> 250).
        PercentAboveVeryHigh => "percent_above_very_high",
    }
}

wire_enum! {
    /// How a value must compare with its goal.
    pub enum Comparison {
        /// Strictly above the goal (time in range > 70 %).
        Above => "above",
        /// Strictly below the goal (time below 70 < 4 %).
        Below => "below",
        /// At most the goal (CV ≤ 36 %).
        AtMost => "at_most",
    }
}

impl Comparison {
    /// Whether `value` meets `goal` under this comparison.
    pub fn met(self, value: f64, goal: f64) -> bool {
        match self {
            Comparison::Above => value > goal,
            Comparison::Below => value < goal,
            Comparison::AtMost => value <= goal,
        }
    }

    /// The comparison's symbol: `>`, `<` or `<=`.
    pub const fn symbol(self) -> &'static str {
        match self {
            Comparison::Above => ">",
            Comparison::Below => "<",
            Comparison::AtMost => "<=",
        }
    }
}

/// One metric against its goal.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalCheck {
    /// The metric.
    pub metric: GoalMetric,
    /// Its value (percent), `None` without readings.
    pub value: Option<f64>,
    /// How the value must compare with the goal.
    pub comparison: Comparison,
    /// The goal (percent).
    pub goal: f64,
    /// Whether the goal is met, `None` without readings.
    pub met: Option<bool>,
}

impl Summary {
    /// Every consensus goal of `targets` (and CV ≤ 36 %) checked against this summary, in the consensus
    /// report's order; goals the targets do not set are left out.
    ///
    /// ```
    /// use pumppath::cgm::{Comparison, GoalMetric, Series, SeriesOptions};
    /// use pumppath::glucose::{Targets, Unit};
    ///
    /// let times: Vec<i64> = (0..10).map(|k| k * 300).collect();
    /// let values = [60.0, 90.0, 100.0, 110.0, 120.0, 130.0, 140.0, 150.0, 160.0, 200.0];
    /// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
    /// let checks = series.view().summary(&Targets::default()).goal_checks(&Targets::default());
    /// let tir = checks.iter().find(|c| c.metric == GoalMetric::PercentInRange).unwrap();
    /// assert_eq!((tir.value, tir.comparison, tir.goal, tir.met), (Some(80.0), Comparison::Above, 70.0, Some(true)));
    /// let below = checks.iter().find(|c| c.metric == GoalMetric::PercentBelowRange).unwrap();
    /// assert_eq!(below.met, Some(false)); // 10 % below 70, goal under 4 %
    /// # Ok::<(), pumppath::Error>(())
    /// ```
    pub fn goal_checks(&self, targets: &Targets) -> Vec<GoalCheck> {
        let goals = targets.goals();
        let sum = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| a + b);
        let rows = [
            (GoalMetric::Cv, self.cv, Some(MAX_CV_PERCENT), Comparison::AtMost),
            (
                GoalMetric::PercentInRange,
                self.percent_in_range,
                Some(goals.min_percent_in_range),
                Comparison::Above,
            ),
            (
                GoalMetric::PercentBelowRange,
                sum(self.percent_very_low, self.percent_low),
                Some(goals.max_percent_below_range),
                Comparison::Below,
            ),
            (
                GoalMetric::PercentBelowVeryLow,
                self.percent_very_low,
                goals.max_percent_below_very_low,
                Comparison::Below,
            ),
            (
                GoalMetric::PercentAboveRange,
                sum(self.percent_high, self.percent_very_high),
                goals.max_percent_above_range,
                Comparison::Below,
            ),
            (
                GoalMetric::PercentAboveVeryHigh,
                self.percent_very_high,
                goals.max_percent_above_very_high,
                Comparison::Below,
            ),
        ];
        rows.into_iter()
            .filter_map(|(metric, value, goal, comparison)| {
                let goal = goal?;
                Some(GoalCheck {
                    metric,
                    value,
                    comparison,
                    goal,
                    met: value.map(|v| comparison.met(v, goal)),
                })
            })
            .collect()
    }
}
