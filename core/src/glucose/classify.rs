//! Validating and classifying values: one at a time, or a slice at a time (the hot path).

use serde::{Deserialize, Serialize};

use super::{Band, CutPoints, GlucoseError, Targets, ThresholdProblem, Unit, ValueProblem};
use crate::wire::wire_enum;

/// The smallest plausible glucose value, mg/dL; anything lower is a device or entry error.
pub const PLAUSIBLE_MIN_MG_DL: f64 = 10.0;
/// The largest plausible glucose value, mg/dL.
pub const PLAUSIBLE_MAX_MG_DL: f64 = 1000.0;
/// The code the batch API writes for a missing value (NaN).
pub const MISSING_CODE: i8 = -1;

/// The measuring range of a CGM sensor: readings outside it are exported as "Low" or "High".
///
/// The default, 40–400 mg/dL (2.2–22.2 mmol/L), is the range of Dexcom G4–G7 and FreeStyle Libre sensors.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SensorRangeWire")]
pub struct SensorRange {
    unit: Unit,
    low: f64,
    high: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SensorRangeWire {
    unit: Unit,
    low: f64,
    high: f64,
}

impl TryFrom<SensorRangeWire> for SensorRange {
    type Error = GlucoseError;
    fn try_from(w: SensorRangeWire) -> Result<Self, Self::Error> {
        SensorRange::new(w.unit, w.low, w.high)
    }
}

impl Default for SensorRange {
    fn default() -> Self {
        SensorRange { unit: Unit::MgDl, low: 40.0, high: 400.0 }
    }
}

impl SensorRange {
    /// A sensor range; both limits must be plausible glucose values, `low` below the very-low cut-point and
    /// `high` above the very-high one in both units (so "Low" and "High" always read as very low and very high).
    pub fn new(unit: Unit, low: f64, high: f64) -> Result<SensorRange, GlucoseError> {
        for (field, value) in [("sensor_range.low", low), ("sensor_range.high", high)] {
            if let Err(problem) = check(value, unit) {
                return Err(GlucoseError::InvalidThreshold {
                    field: field.into(),
                    value,
                    problem: ThresholdProblem::Implausible(problem),
                });
            }
        }
        // "Low"/"High" readings must land in very_low/very_high whatever the preset and the series' unit: below
        // 54 mg/dL and 3.0 mmol/L, above 250 mg/dL and 13.9 mmol/L, checked in both units.
        for (to, very_low, very_high) in [(Unit::MgDl, 54.0, 250.0), (Unit::MmolL, 3.0, 13.9)] {
            let problem = if unit.convert(low, to) >= very_low {
                Some(("sensor_range.low", low, ThresholdProblem::LowNotVeryLow { below: very_low, unit: to }))
            } else if unit.convert(high, to) <= very_high {
                Some((
                    "sensor_range.high",
                    high,
                    ThresholdProblem::HighNotVeryHigh { above: very_high, unit: to },
                ))
            } else {
                None
            };
            if let Some((field, value, problem)) = problem {
                return Err(GlucoseError::InvalidThreshold { field: field.into(), value, problem });
            }
        }
        Ok(SensorRange { unit, low, high })
    }

    /// The lowest value the sensor reports, in `unit`; "Low" readings stand at this value in metrics.
    pub fn low(&self, unit: Unit) -> f64 {
        self.unit.convert(self.low, unit)
    }

    /// The highest value the sensor reports, in `unit`; "High" readings stand at this value in metrics.
    pub fn high(&self, unit: Unit) -> f64 {
        self.unit.convert(self.high, unit)
    }
}

/// One glucose value: measured, or beyond the sensor's range.
///
/// On the wire a measured value is a number and the sensor limits are the strings `"low"` and `"high"`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum GlucoseValue {
    /// A measured value in the series' unit.
    Measured(f64),
    /// Beyond the limit: the sensor's "Low" or "High".
    Limit(SensorLimit),
}

impl From<f64> for GlucoseValue {
    /// A measured value.
    fn from(value: f64) -> Self {
        GlucoseValue::Measured(value)
    }
}

wire_enum! {
    /// Which limit of its range a sensor reported.
    pub enum SensorLimit {
        /// Below the sensor's range ("Low"); classifies as `very_low`.
        Low => "low",
        /// Above the sensor's range ("High"); classifies as `very_high`.
        High => "high",
    }
}

impl GlucoseValue {
    /// The number this value stands for in `unit`: a sensor limit stands at the limit of `range`.
    pub fn numeric(self, unit: Unit, range: &SensorRange) -> f64 {
        match self {
            GlucoseValue::Measured(v) => v,
            GlucoseValue::Limit(SensorLimit::Low) => range.low(unit),
            GlucoseValue::Limit(SensorLimit::High) => range.high(unit),
        }
    }
}

#[inline]
fn check(value: f64, unit: Unit) -> Result<(), ValueProblem> {
    let mg_dl = unit.to_mg_dl(value);
    if (PLAUSIBLE_MIN_MG_DL..=PLAUSIBLE_MAX_MG_DL).contains(&mg_dl) {
        Ok(())
    } else {
        Err(problem_of(value, unit))
    }
}

#[cold]
fn problem_of(value: f64, unit: Unit) -> ValueProblem {
    if value.is_nan() {
        ValueProblem::NotANumber
    } else if value.is_infinite() {
        ValueProblem::Infinite
    } else if value <= 0.0 {
        ValueProblem::NotPositive
    } else if unit.to_mg_dl(value) < PLAUSIBLE_MIN_MG_DL {
        ValueProblem::BelowPlausible
    } else {
        ValueProblem::AbovePlausible
    }
}

/// Counts of values per band, plus the missing ones.
///
/// Percentages are of the valid (non-missing) values, as iglu drops NA before computing them.
///
/// ```
/// use pumppath::glucose::{Band, Classifier, Targets, Unit};
///
/// let classifier = Classifier::new(&Targets::default(), Unit::MgDl);
/// let counts = classifier.count(&[50.0, 65.0, 100.0, 180.0, 200.0, 300.0, f64::NAN])?;
/// assert_eq!(counts.total(), 6);
/// assert_eq!(counts.missing, 1);
/// assert_eq!(counts.get(Band::InRange), 2);
/// assert_eq!(counts.percent(Band::InRange), Some(100.0 * 2.0 / 6.0));
/// # Ok::<(), pumppath::glucose::GlucoseError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandCounts {
    /// Values in `very_low`.
    pub very_low: u64,
    /// Values in `low`.
    pub low: u64,
    /// Values in `in_range`.
    pub in_range: u64,
    /// Values in `high`.
    pub high: u64,
    /// Values in `very_high`.
    pub very_high: u64,
    /// Missing values (NaN in the batch API), not part of any band or percentage.
    pub missing: u64,
}

impl BandCounts {
    /// The number of values in `band`.
    pub fn get(&self, band: Band) -> u64 {
        match band {
            Band::VeryLow => self.very_low,
            Band::Low => self.low,
            Band::InRange => self.in_range,
            Band::High => self.high,
            Band::VeryHigh => self.very_high,
        }
    }

    /// Adds one value in `band`.
    #[inline]
    pub fn add(&mut self, band: Band) {
        match band {
            Band::VeryLow => self.very_low += 1,
            Band::Low => self.low += 1,
            Band::InRange => self.in_range += 1,
            Band::High => self.high += 1,
            Band::VeryHigh => self.very_high += 1,
        }
    }

    /// The number of valid values (all bands, missing excluded).
    pub fn total(&self) -> u64 {
        self.very_low + self.low + self.in_range + self.high + self.very_high
    }

    /// The percent of valid values in `band`, or `None` when there is no valid value.
    pub fn percent(&self, band: Band) -> Option<f64> {
        self.percent_of(self.get(band))
    }

    /// The percent of valid values that `count` is, or `None` when there is no valid value.
    pub fn percent_of(&self, count: u64) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| 100.0 * count as f64 / total as f64)
    }
}

impl std::ops::Add for BandCounts {
    type Output = BandCounts;
    fn add(self, o: BandCounts) -> BandCounts {
        BandCounts {
            very_low: self.very_low + o.very_low,
            low: self.low + o.low,
            in_range: self.in_range + o.in_range,
            high: self.high + o.high,
            very_high: self.very_high + o.very_high,
            missing: self.missing + o.missing,
        }
    }
}

/// Validates and classifies glucose values of one unit against one set of targets.
///
/// Building a classifier picks the cut-points for the unit once, so the per-value work is a range check and
/// four comparisons. [`classify_into`](Self::classify_into) and [`count`](Self::count) are the batch hot
/// path: they take a slice, allocate nothing, count NaN as missing and stop at the first other invalid value
/// with an error naming its index.
///
/// ```
/// use pumppath::glucose::{Band, Classifier, GlucoseValue, SensorLimit, TargetPreset, Targets, Unit};
///
/// let classifier = Classifier::new(&Targets::default(), Unit::MmolL);
/// assert_eq!(classifier.classify(3.9)?, Band::InRange);
/// assert_eq!(classifier.classify(3.8)?, Band::Low);
/// assert_eq!(classifier.classify_value(GlucoseValue::Limit(SensorLimit::High))?, Band::VeryHigh);
/// assert!(classifier.classify(f64::NAN).is_err());
///
/// let mut codes = [0i8; 4];
/// let counts = classifier.classify_into(&[2.5, 5.5, f64::NAN, 15.0], &mut codes)?;
/// assert_eq!(codes, [0, 2, -1, 4]);
/// assert_eq!(counts.missing, 1);
///
/// let pregnancy = Classifier::new(&TargetPreset::PregnancyType1.into(), Unit::MgDl);
/// assert_eq!(pregnancy.classify(150.0)?, Band::High);
/// # Ok::<(), pumppath::glucose::GlucoseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Classifier {
    unit: Unit,
    cuts: CutPoints,
    min: f64,
    max: f64,
}

/// Values checked and counted per pass: small enough for `u32` counters and the cache.
const CHUNK: usize = 4096;

impl Classifier {
    /// A classifier for values in `unit` against `targets`.
    pub fn new(targets: &Targets, unit: Unit) -> Classifier {
        Classifier {
            unit,
            cuts: targets.cut_points(unit),
            min: Unit::MgDl.convert(PLAUSIBLE_MIN_MG_DL, unit),
            max: Unit::MgDl.convert(PLAUSIBLE_MAX_MG_DL, unit),
        }
    }

    /// The unit of the values this classifier takes.
    pub fn unit(&self) -> Unit {
        self.unit
    }

    /// The cut-points in use, in [`unit`](Self::unit).
    pub fn cut_points(&self) -> &CutPoints {
        &self.cuts
    }

    /// Checks one value: NaN, infinities, zero, negative values and values outside 10–1,000 mg/dL are errors.
    #[inline]
    pub fn validate(&self, value: f64) -> Result<f64, GlucoseError> {
        if value >= self.min && value <= self.max {
            Ok(value)
        } else {
            Err(GlucoseError::InvalidValue { value, unit: self.unit, problem: problem_of(value, self.unit) })
        }
    }

    /// The band of one measured value, or an error if it is invalid.
    #[inline]
    pub fn classify(&self, value: f64) -> Result<Band, GlucoseError> {
        self.validate(value).map(|v| self.cuts.band_of(v))
    }

    /// The band of a measured value or a sensor limit ("Low" is `very_low`, "High" is `very_high`).
    pub fn classify_value(&self, value: GlucoseValue) -> Result<Band, GlucoseError> {
        match value {
            GlucoseValue::Measured(v) => self.classify(v),
            GlucoseValue::Limit(SensorLimit::Low) => Ok(Band::VeryLow),
            GlucoseValue::Limit(SensorLimit::High) => Ok(Band::VeryHigh),
        }
    }

    /// Classifies `values` into `codes` (band code 0–4, or [`MISSING_CODE`] for NaN) and counts the bands.
    ///
    /// `codes` must have the length of `values`. On an invalid value (other than NaN) it returns an error
    /// naming the index; the codes before that index have been written.
    pub fn classify_into(&self, values: &[f64], codes: &mut [i8]) -> Result<BandCounts, GlucoseError> {
        if codes.len() != values.len() {
            return Err(GlucoseError::BufferLength { expected: values.len(), actual: codes.len() });
        }
        let mut counts = BandCounts::default();
        let mut wide = [0i64; CHUNK];
        for (c, (chunk, out)) in values.chunks(CHUNK).zip(codes.chunks_mut(CHUNK)).enumerate() {
            let wide = &mut wide[..chunk.len()];
            counts = counts + self.scan(c * CHUNK, chunk, Some(wide))?;
            // Narrowed in a pass of its own, which vectorises; narrowing inside the comparisons' loop does not.
            for (code, &w) in out.iter_mut().zip(wide.iter()) {
                *code = w as i8;
            }
        }
        Ok(counts)
    }

    /// Counts the bands of `values` (NaN counted as missing) without writing codes.
    pub fn count(&self, values: &[f64]) -> Result<BandCounts, GlucoseError> {
        let mut counts = BandCounts::default();
        for (c, chunk) in values.chunks(CHUNK).enumerate() {
            counts = counts + self.scan(c * CHUNK, chunk, None)?;
        }
        Ok(counts)
    }

    /// The four cut-points, lowest first.
    #[inline]
    fn cut_values(&self) -> [f64; 4] {
        let c = &self.cuts;
        [c.very_low_below(), c.low_below(), c.high_above(), c.very_high_above()]
    }

    /// One branch-free pass over a chunk (its first value at `start` of the input): the band counts, from how
    /// many values reach each cut-point, and whether any value is invalid (then the scalar path names it).
    /// 64-bit counters match the lanes of the f64 comparisons, so the loop vectorises: on random readings, where
    /// no branch predictor can guess a band, it is about 5x the branching loop.
    #[inline]
    fn scan(
        &self,
        start: usize,
        chunk: &[f64],
        codes: Option<&mut [i64]>,
    ) -> Result<BandCounts, GlucoseError> {
        let [very_low_below, low_below, high_above, very_high_above] = self.cut_values();
        let (min, max) = (self.min, self.max);
        let (mut reach_low, mut reach_in_range, mut above_range, mut above_high, mut missing, mut invalid) =
            (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
        let mut tally = |v: f64| {
            let nan = v.is_nan();
            let (r0, r1, r2, r3) = (
                u64::from(v >= very_low_below),
                u64::from(v >= low_below),
                u64::from(v > high_above),
                u64::from(v > very_high_above),
            );
            reach_low += r0;
            reach_in_range += r1;
            above_range += r2;
            above_high += r3;
            missing += u64::from(nan);
            invalid += u64::from(!(v >= min && v <= max) & !nan);
            // The band's code: how many cut-points the value reaches; NaN reaches none and is -1.
            (r0 + r1 + r2 + r3) as i64 - i64::from(nan)
        };
        match codes {
            Some(codes) => {
                for (&v, code) in chunk.iter().zip(codes.iter_mut()) {
                    *code = tally(v);
                }
            }
            None => {
                for &v in chunk {
                    tally(v);
                }
            }
        }
        if invalid != 0 {
            for (k, &value) in chunk.iter().enumerate() {
                self.code_of(start + k, value)?;
            }
        }
        let valid = chunk.len() as u64 - missing;
        Ok(BandCounts {
            very_low: valid - reach_low,
            low: reach_low - reach_in_range,
            in_range: reach_in_range - above_range,
            high: above_range - above_high,
            very_high: above_high,
            missing,
        })
    }

    #[inline(always)]
    fn code_of(&self, index: usize, value: f64) -> Result<Option<Band>, GlucoseError> {
        if value >= self.min && value <= self.max {
            Ok(Some(self.cuts.band_of(value)))
        } else if value.is_nan() {
            Ok(None)
        } else {
            Err(GlucoseError::InvalidValueAt {
                index,
                value,
                unit: self.unit,
                problem: problem_of(value, self.unit),
            })
        }
    }
}

/// Classifies one value in `unit` against `targets`: a shorthand for [`Classifier::classify`].
///
/// ```
/// use pumppath::glucose::{classify, Band, Targets, Unit};
///
/// assert_eq!(classify(69.0, Unit::MgDl, &Targets::default())?, Band::Low);
/// assert_eq!(classify(250.0, Unit::MgDl, &Targets::default())?, Band::High);
/// assert_eq!(
///     classify(-1.0, Unit::MgDl, &Targets::default()).unwrap_err().to_string(),
///     "glucose value -1 mg/dL is not positive"
/// );
/// # Ok::<(), pumppath::glucose::GlucoseError>(())
/// ```
pub fn classify(value: f64, unit: Unit, targets: &Targets) -> Result<Band, GlucoseError> {
    Classifier::new(targets, unit).classify(value)
}
