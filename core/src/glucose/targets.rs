//! Cut-points and consensus targets: the presets and validated custom targets.

use serde::{Deserialize, Serialize};

use super::{Band, GlucoseError, TargetsProblem, ThresholdProblem, Unit};
use crate::wire::wire_enum;

/// The four cut-points that split glucose values into the five [`Band`]s, in one unit.
///
/// A value `v` is `very_low` when `v < very_low_below`, `low` when `v < low_below`, `in_range` when
/// `v <= high_above`, `high` when `v <= very_high_above`, and `very_high` above that (iglu's boundaries).
///
/// The consensus cut-points are rounded display values in each unit (70 mg/dL is 3.885 mmol/L, yet the mmol/L
/// cut-point is 3.9), so the presets store them natively per unit and never convert them. Construction checks
/// that every cut-point is finite, positive and strictly greater than the one before.
///
/// ```
/// use pumppath::glucose::{Band, CutPoints, Unit};
///
/// let cuts = CutPoints::new(Unit::MgDl, 54.0, 70.0, 180.0, 250.0)?;
/// assert_eq!(cuts.band_of(70.0), Band::InRange);
/// assert_eq!(cuts.band_of(180.0), Band::InRange);
/// assert_eq!(cuts.band_of(180.5), Band::High);
///
/// let err = CutPoints::new(Unit::MgDl, 54.0, 70.0, 60.0, 250.0).unwrap_err();
/// assert_eq!(err.to_string(), "cut_points.high_above = 60: must be greater than cut_points.low_below (70)");
/// # Ok::<(), pumppath::glucose::GlucoseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CutPointsWire")]
pub struct CutPoints {
    unit: Unit,
    very_low_below: f64,
    low_below: f64,
    high_above: f64,
    very_high_above: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CutPointsWire {
    unit: Unit,
    very_low_below: f64,
    low_below: f64,
    high_above: f64,
    very_high_above: f64,
}

impl TryFrom<CutPointsWire> for CutPoints {
    type Error = GlucoseError;
    fn try_from(w: CutPointsWire) -> Result<Self, Self::Error> {
        CutPoints::new(w.unit, w.very_low_below, w.low_below, w.high_above, w.very_high_above)
    }
}

impl CutPoints {
    /// The consensus cut-points in mg/dL: 54, 70, 180, 250.
    pub const STANDARD_MG_DL: CutPoints = CutPoints::raw(Unit::MgDl, 54.0, 70.0, 180.0, 250.0);
    /// The consensus cut-points in mmol/L: 3.0, 3.9, 10.0, 13.9.
    pub const STANDARD_MMOL_L: CutPoints = CutPoints::raw(Unit::MmolL, 3.0, 3.9, 10.0, 13.9);

    const fn raw(
        unit: Unit,
        very_low_below: f64,
        low_below: f64,
        high_above: f64,
        very_high_above: f64,
    ) -> Self {
        CutPoints { unit, very_low_below, low_below, high_above, very_high_above }
    }

    /// Validated cut-points in `unit`; an error names the first offending field and its value.
    pub fn new(
        unit: Unit,
        very_low_below: f64,
        low_below: f64,
        high_above: f64,
        very_high_above: f64,
    ) -> Result<Self, GlucoseError> {
        let fields = [
            ("cut_points.very_low_below", very_low_below),
            ("cut_points.low_below", low_below),
            ("cut_points.high_above", high_above),
            ("cut_points.very_high_above", very_high_above),
        ];
        let mut previous: Option<(&str, f64)> = None;
        for (field, value) in fields {
            let problem = if !value.is_finite() {
                Some(ThresholdProblem::NotFinite)
            } else if value <= 0.0 {
                Some(ThresholdProblem::NotPositive)
            } else {
                match previous {
                    Some((field, prev)) if value <= prev => {
                        Some(ThresholdProblem::NotAbove { field, value: prev })
                    }
                    _ => None,
                }
            };
            if let Some(problem) = problem {
                return Err(GlucoseError::InvalidThreshold { field: field.to_owned(), value, problem });
            }
            previous = Some((field, value));
        }
        Ok(CutPoints::raw(unit, very_low_below, low_below, high_above, very_high_above))
    }

    /// The unit of the cut-points.
    pub fn unit(&self) -> Unit {
        self.unit
    }
    /// Values below this are `very_low` (54 mg/dL in the standard preset).
    pub fn very_low_below(&self) -> f64 {
        self.very_low_below
    }
    /// Values below this (and not very low) are `low` (70 mg/dL).
    pub fn low_below(&self) -> f64 {
        self.low_below
    }
    /// Values above this (and not very high) are `high` (180 mg/dL).
    pub fn high_above(&self) -> f64 {
        self.high_above
    }
    /// Values above this are `very_high` (250 mg/dL).
    pub fn very_high_above(&self) -> f64 {
        self.very_high_above
    }

    /// The same cut-points expressed in `unit`, converted exactly (no rounding). Used for custom cut-points
    /// only: the presets carry native values for both units.
    pub fn converted_to(&self, unit: Unit) -> CutPoints {
        let c = |v| self.unit.convert(v, unit);
        CutPoints::raw(
            unit,
            c(self.very_low_below),
            c(self.low_below),
            c(self.high_above),
            c(self.very_high_above),
        )
    }

    /// The band of a value already known to be valid, in the cut-points' unit.
    ///
    /// This does no validation: NaN compares false everywhere and lands in `very_high`. Use a
    /// [`Classifier`](super::Classifier) for input that has not been validated.
    #[inline]
    pub fn band_of(&self, value: f64) -> Band {
        if value < self.very_low_below {
            Band::VeryLow
        } else if value < self.low_below {
            Band::Low
        } else if value <= self.high_above {
            Band::InRange
        } else if value <= self.very_high_above {
            Band::High
        } else {
            Band::VeryHigh
        }
    }
}

/// Consensus goals for a patient: percent of readings in or beyond the bands.
///
/// `None` means the consensus sets no goal for that share in this population.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetGoals {
    /// Time in range (between the low and high cut-points) should be above this percent.
    pub min_percent_in_range: f64,
    /// Time below the low cut-point (< 70 mg/dL, very low included) should be under this percent.
    pub max_percent_below_range: f64,
    /// Time below the very-low cut-point (< 54 mg/dL) should be under this percent.
    pub max_percent_below_very_low: Option<f64>,
    /// Time above the high cut-point (> 180 mg/dL, very high included) should be under this percent.
    pub max_percent_above_range: Option<f64>,
    /// Time above the very-high cut-point (> 250 mg/dL) should be under this percent.
    pub max_percent_above_very_high: Option<f64>,
}

impl TargetGoals {
    fn validate(&self) -> Result<(), GlucoseError> {
        let fields = [
            ("goals.min_percent_in_range", Some(self.min_percent_in_range)),
            ("goals.max_percent_below_range", Some(self.max_percent_below_range)),
            ("goals.max_percent_below_very_low", self.max_percent_below_very_low),
            ("goals.max_percent_above_range", self.max_percent_above_range),
            ("goals.max_percent_above_very_high", self.max_percent_above_very_high),
        ];
        for (field, value) in fields {
            if let Some(value) = value
                && !(0.0..=100.0).contains(&value)
            {
                return Err(GlucoseError::InvalidThreshold {
                    field: field.to_owned(),
                    value,
                    problem: ThresholdProblem::NotAPercent,
                });
            }
        }
        Ok(())
    }
}

wire_enum! {
    parse_error: GlucoseError = |s: &str| GlucoseError::UnknownPreset {
        value: crate::problem::shown(s).into_owned(),
    };
    /// The consensus target presets.
    ///
    /// Parsing a name that is no preset is [`GlucoseError::UnknownPreset`]:
    ///
    /// ```
    /// use pumppath::glucose::{GlucoseError, TargetPreset};
    ///
    /// assert_eq!("older_high_risk".parse::<TargetPreset>()?, TargetPreset::OlderHighRisk);
    /// let err = "pregnancy".parse::<TargetPreset>().unwrap_err();
    /// assert_eq!(err, GlucoseError::UnknownPreset { value: "pregnancy".into() });
    /// assert_eq!(err.code().as_str(), "unknown_preset");
    /// # Ok::<(), GlucoseError>(())
    /// ```
    ///
    /// Sources: Battelino T. et al., *Clinical Targets for Continuous Glucose Monitoring Data Interpretation:
    /// Recommendations From the International Consensus on Time in Range*, Diabetes Care 2019;42:1593–1603, table 2
    /// and figure 3; ADA Standards of Care, section 6 (glycaemic targets).
    pub enum TargetPreset {
        /// Adults with type 1 or type 2 diabetes: 70–180 mg/dL more than 70 %, < 70 under 4 %, < 54 under 1 %,
        /// > 180 under 25 %, > 250 under 5 %.
        Standard => "standard",
        /// Older or high-risk adults: the same cut-points, looser goals: 70–180 more than 50 %, < 70 under 1 %,
        /// > 250 under 10 % (the consensus sets no separate < 54 or > 180 goal).
        OlderHighRisk => "older_high_risk",
        /// Pregnancy with type 1 diabetes: target range 63–140 mg/dL (3.5–7.8 mmol/L) more than 70 %, < 63 under
        /// 4 %, < 54 under 1 %, > 140 under 25 %. The consensus sets no > 250 goal; the very-high cut-point stays at
        /// 250 mg/dL (13.9 mmol/L) so that the five bands remain defined.
        PregnancyType1 => "pregnancy_type1",
    }
}

impl TargetPreset {
    /// The preset's native cut-points in `unit`.
    pub const fn cut_points(self, unit: Unit) -> CutPoints {
        match (self, unit) {
            (TargetPreset::Standard | TargetPreset::OlderHighRisk, Unit::MgDl) => CutPoints::STANDARD_MG_DL,
            (TargetPreset::Standard | TargetPreset::OlderHighRisk, Unit::MmolL) => CutPoints::STANDARD_MMOL_L,
            (TargetPreset::PregnancyType1, Unit::MgDl) => {
                CutPoints::raw(Unit::MgDl, 54.0, 63.0, 140.0, 250.0)
            }
            (TargetPreset::PregnancyType1, Unit::MmolL) => CutPoints::raw(Unit::MmolL, 3.0, 3.5, 7.8, 13.9),
        }
    }

    /// The preset's consensus goals.
    pub const fn goals(self) -> TargetGoals {
        match self {
            TargetPreset::Standard => TargetGoals {
                min_percent_in_range: 70.0,
                max_percent_below_range: 4.0,
                max_percent_below_very_low: Some(1.0),
                max_percent_above_range: Some(25.0),
                max_percent_above_very_high: Some(5.0),
            },
            TargetPreset::OlderHighRisk => TargetGoals {
                min_percent_in_range: 50.0,
                max_percent_below_range: 1.0,
                max_percent_below_very_low: None,
                max_percent_above_range: None,
                max_percent_above_very_high: Some(10.0),
            },
            TargetPreset::PregnancyType1 => TargetGoals {
                min_percent_in_range: 70.0,
                max_percent_below_range: 4.0,
                max_percent_below_very_low: Some(1.0),
                max_percent_above_range: Some(25.0),
                max_percent_above_very_high: None,
            },
        }
    }
}

/// Targets for one patient: cut-points and consensus goals, from a preset or custom.
///
/// Every API that classifies takes a `Targets`; [`Targets::default`] is the `standard` preset.
///
/// On the wire a preset is `{"preset": "standard"}`; custom targets name themselves and give cut-points in one
/// unit plus goals: `{"name": "clinic_a", "cut_points": {"unit": "mg/dL", "very_low_below": 54, "low_below": 70,
/// "high_above": 160, "very_high_above": 250}, "goals": {...}}`. Custom cut-points are converted once, exactly,
/// when another unit is asked for; preset cut-points never are.
///
/// ```
/// use pumppath::glucose::{TargetPreset, Targets, Unit};
///
/// let t: Targets = serde_json::from_str(r#"{"preset": "pregnancy_type1"}"#)?;
/// assert_eq!(t.cut_points(Unit::MgDl).high_above(), 140.0);
/// assert_eq!(t.cut_points(Unit::MmolL).low_below(), 3.5);
/// assert_eq!(t.goals().min_percent_in_range, 70.0);
/// assert_eq!(Targets::default(), Targets::preset(TargetPreset::Standard));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TargetsWire", into = "TargetsWire")]
pub struct Targets {
    kind: TargetsKind,
    goals: TargetGoals,
}

#[derive(Clone, Debug, PartialEq)]
enum TargetsKind {
    Preset(TargetPreset),
    Custom { name: String, cut_points: CutPoints },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    preset: Option<TargetPreset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cut_points: Option<CutPoints>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    goals: Option<TargetGoals>,
}

impl TryFrom<TargetsWire> for Targets {
    type Error = GlucoseError;
    fn try_from(w: TargetsWire) -> Result<Self, Self::Error> {
        match (w.preset, w.name, w.cut_points, w.goals) {
            (Some(preset), None, None, None) => Ok(Targets::preset(preset)),
            (Some(preset), ..) => Err(GlucoseError::InvalidTargets {
                problem: TargetsProblem::PresetWithOtherFields { preset: preset.as_str().to_owned() },
            }),
            (None, Some(name), Some(cut_points), Some(goals)) => Targets::custom(name, cut_points, goals),
            (None, name, cut_points, goals) => {
                let missing: Vec<&str> = [
                    ("name", name.is_none()),
                    ("cut_points", cut_points.is_none()),
                    ("goals", goals.is_none()),
                ]
                .into_iter()
                .filter_map(|(f, m)| m.then_some(f))
                .collect();
                Err(GlucoseError::InvalidTargets {
                    problem: TargetsProblem::CustomMissing { fields: missing },
                })
            }
        }
    }
}

impl From<Targets> for TargetsWire {
    fn from(t: Targets) -> Self {
        match t.kind {
            TargetsKind::Preset(p) => {
                TargetsWire { preset: Some(p), name: None, cut_points: None, goals: None }
            }
            TargetsKind::Custom { name, cut_points } => TargetsWire {
                preset: None,
                name: Some(name),
                cut_points: Some(cut_points),
                goals: Some(t.goals),
            },
        }
    }
}

impl Default for Targets {
    fn default() -> Self {
        Targets::preset(TargetPreset::Standard)
    }
}

impl From<TargetPreset> for Targets {
    fn from(p: TargetPreset) -> Self {
        Targets::preset(p)
    }
}

impl Targets {
    /// The targets of a consensus preset.
    pub const fn preset(preset: TargetPreset) -> Targets {
        Targets { kind: TargetsKind::Preset(preset), goals: preset.goals() }
    }

    /// Custom targets; `name` must be non-empty, the goals percents between 0 and 100.
    pub fn custom(
        name: impl Into<String>,
        cut_points: CutPoints,
        goals: TargetGoals,
    ) -> Result<Targets, GlucoseError> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(GlucoseError::InvalidTargets { problem: TargetsProblem::EmptyName });
        }
        // Re-check in case the cut-points were built in a way that skipped validation (they cannot be today,
        // but a custom target is a clinic's configuration and is worth the four comparisons).
        CutPoints::new(
            cut_points.unit,
            cut_points.very_low_below,
            cut_points.low_below,
            cut_points.high_above,
            cut_points.very_high_above,
        )?;
        goals.validate()?;
        Ok(Targets { kind: TargetsKind::Custom { name, cut_points }, goals })
    }

    /// Targets given as text, as a binding or a command line takes them: a preset's name (`"standard"`), or,
    /// when the text is a JSON object, the targets JSON read by [`Targets::from_json`].
    ///
    /// ```
    /// use pumppath::glucose::{GlucoseError, TargetPreset, Targets};
    ///
    /// assert_eq!(Targets::parse("pregnancy_type1")?, Targets::preset(TargetPreset::PregnancyType1));
    /// assert_eq!(Targets::parse(r#"{"preset": "older_high_risk"}"#)?.name(), "older_high_risk");
    /// let err = Targets::parse("pregnant").unwrap_err();
    /// assert_eq!(err.code().as_str(), "unknown_preset");
    /// assert_eq!(err.problems()[0].path, "$.targets");
    /// # Ok::<(), GlucoseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Targets, GlucoseError> {
        if text.trim_start().starts_with('{') {
            Targets::from_json(text)
        } else {
            text.parse::<TargetPreset>().map(Targets::preset)
        }
    }

    /// Targets from their JSON (`{"preset": "standard"}` or custom targets), read through the one JSON reader:
    /// anything it cannot read is [`GlucoseError::MalformedTargets`] with every problem, each with its path
    /// from the targets' root and its code.
    ///
    /// ```
    /// use pumppath::glucose::{GlucoseError, Targets};
    ///
    /// let err = Targets::from_json(r#"{"preset": "standard", "colour": "red"}"#).unwrap_err();
    /// assert_eq!(err.code().as_str(), "malformed_targets");
    /// let problems = err.problems();
    /// assert_eq!((problems[0].path.as_str(), problems[0].code.as_str()), ("$.colour", "unknown_field"));
    ///
    /// let err = Targets::from_json(r#"{"preset": "pregnant"}"#).unwrap_err();
    /// assert_eq!(err.problems()[0].code.as_str(), "unknown_variant");
    /// # Ok::<(), GlucoseError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Targets, GlucoseError> {
        crate::fields::read_str(json, "$").map_err(|problems| GlucoseError::MalformedTargets { problems })
    }

    /// The preset's wire name, or the custom targets' name.
    pub fn name(&self) -> &str {
        match &self.kind {
            TargetsKind::Preset(p) => p.as_str(),
            TargetsKind::Custom { name, .. } => name,
        }
    }

    /// The preset, if these targets are one.
    pub fn as_preset(&self) -> Option<TargetPreset> {
        match self.kind {
            TargetsKind::Preset(p) => Some(p),
            TargetsKind::Custom { .. } => None,
        }
    }

    /// The cut-points in `unit`: native for presets, converted once for custom cut-points of another unit.
    pub fn cut_points(&self, unit: Unit) -> CutPoints {
        match &self.kind {
            TargetsKind::Preset(p) => p.cut_points(unit),
            TargetsKind::Custom { cut_points, .. } => cut_points.converted_to(unit),
        }
    }

    /// The consensus goals.
    pub fn goals(&self) -> &TargetGoals {
        &self.goals
    }
}
