use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::{SECONDS_PER_DAY, SeriesView, Wear};
use crate::glucose::{BandCounts, Targets, Unit};
use crate::wire::wire_enum;

/// The consensus minimum of CGM data for a summary to be trusted: 14 days (Battelino et al. 2019).
pub const MIN_DAYS: i64 = 14;

/// The consensus minimum of CGM wear over those days, percent: 70 (Battelino et al. 2019).
pub const MIN_ACTIVE_PERCENT: f64 = 70.0;

wire_enum! {
    /// Why a [`Summary`] is not [`sufficient`](Summary::sufficient) by the consensus.
    ///
    /// Wire names: `too_few_days`, `too_little_wear`.
    #[non_exhaustive]
    pub enum InsufficientReason {
        /// The readings cover less than [`MIN_DAYS`] days.
        TooFewDays => "too_few_days",
        /// The sensor was active less than [`MIN_ACTIVE_PERCENT`] % of the time.
        TooLittleWear => "too_little_wear",
        /// The data end too long before "now" to stand for the last days (set by the assessment; see
        /// [`FrequentlySettings::max_data_lag_hours`](super::FrequentlySettings::max_data_lag_hours)).
        StaleData => "stale_data",
    }
}

/// The consensus CGM metrics of one series (or a window of it), as R iglu computes them.
///
/// Values are in the series' [`unit`](Self::unit). With default arguments, iglu's `mean_glu`, `sd_glu`,
/// `cv_glu`, `gmi`, `in_range_percent`, `below_percent`, `above_percent` and `active_percent` give the same
/// numbers (to floating-point rounding) on the same readings:
///
/// - **Percents are of readings**, not of time, with no interpolation: each is the count of readings meeting
///   the condition divided by [`readings`](Self::readings), times 100. Missing (NaN) readings are not counted.
/// - **Band percents** follow the targets' cut-points with iglu's boundaries: `percent_very_low` is
///   `v < 54`, `percent_low` is `54 <= v < 70`, `percent_in_range` is `70 <= v <= 180`, `percent_high` is
///   `180 < v <= 250`, `percent_very_high` is `v > 250` (mg/dL, `standard` targets). They sum to 100.
/// - **Cumulative percents** use the fixed consensus thresholds their names carry, whatever the targets:
///   `percent_below_54` (`v < 54`), `percent_below_70`, `percent_above_180` (`v > 180`), `percent_above_250`
///   and `percent_in_range_63_140` (`63 <= v <= 140`, the pregnancy range). In mmol/L they are the native
///   consensus values 3.0, 3.9, 10.0, 13.9 and 3.5–7.8, not conversions of the mg/dL numbers.
/// - **mean**, **sd** (sample, n − 1), **cv** (`sd / mean × 100`) and **gmi** (`3.31 + 0.02392 × mean` in
///   mg/dL, a mmol/L mean converted first; in %) are `None` without readings, `sd` and `cv` with fewer than
///   two.
/// - **active_percent** is iglu's, over the whole span ([`Wear`]); `None` with fewer than two readings.
/// - **sufficient**: the consensus asks for at least [`MIN_DAYS`] (14) days of data with at least
///   [`MIN_ACTIVE_PERCENT`] (70) % wear. The days are the span plus one sampling interval, so 4,032 readings
///   every 5 minutes are exactly 14 days; [`insufficient_reasons`](Self::insufficient_reasons) names each test
///   that failed.
///
/// Where iglu departs from the consensus text (readings rather than time; duplicates, see
/// [`DuplicatePolicy`](super::DuplicatePolicy)), pumppath follows iglu.
///
/// ```
/// use pumppath::cgm::{InsufficientReason, Series, SeriesOptions};
/// use pumppath::glucose::{Targets, Unit};
///
/// let times: Vec<i64> = (0..6).map(|k| k * 300).collect();
/// let values = [52.0, 65.0, 110.0, 150.0, 200.0, 270.0];
/// let series = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default())?;
/// let s = series.view().summary(&Targets::default());
/// assert_eq!(s.readings, 6);
/// assert_eq!(s.mean, Some(141.16666666666666));
/// assert_eq!(s.percent_in_range, Some(2.0 / 6.0 * 100.0));
/// assert_eq!(s.percent_below_70, Some(2.0 / 6.0 * 100.0));
/// assert_eq!(s.active_percent, Some(100.0));
/// assert!(!s.sufficient);
/// assert_eq!(s.insufficient_reasons, [InsufficientReason::TooFewDays]);
///
/// let json = serde_json::to_value(&s)?;
/// assert_eq!(json["first"], "1970-01-01T00:00:00");
/// assert_eq!(json["unit"], "mg/dL");
/// assert_eq!(json["insufficient_reasons"][0], "too_few_days");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The unit of every glucose value below.
    pub unit: Unit,
    /// The name of the targets the band percents follow (`standard`, or a custom targets' name).
    pub targets: String,
    /// Readings used (missing values dropped, duplicates resolved).
    pub readings: u64,
    /// Missing (NaN) values dropped.
    pub missing: u64,
    /// Readings merged away as duplicates of a time.
    pub duplicates: u64,
    /// Readings at or beyond the sensor's limits (exported "Low"/"High" among them).
    pub at_sensor_limit: u64,
    /// The first reading's local wall-clock time.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::WallClock>"))]
    pub first: Option<DateTime>,
    /// The last reading's local wall-clock time.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::WallClock>"))]
    pub last: Option<DateTime>,
    /// Days from the first to the last reading (iglu's `ndays` before rounding).
    pub span_days: Option<f64>,
    /// The sampling interval `dt0` in minutes ([`Wear::sampling_minutes`]).
    pub sampling_minutes: Option<i64>,
    /// Mean glucose.
    pub mean: Option<f64>,
    /// Standard deviation (sample, n − 1).
    pub sd: Option<f64>,
    /// Coefficient of variation, % (`sd / mean × 100`).
    pub cv: Option<f64>,
    /// Glucose management indicator, % (`3.31 + 0.02392 × mean mg/dL`).
    pub gmi: Option<f64>,
    /// % of readings below the very-low cut-point (< 54 mg/dL).
    pub percent_very_low: Option<f64>,
    /// % of readings in the low band (54–69 mg/dL).
    pub percent_low: Option<f64>,
    /// % of readings in range (70–180 mg/dL, both included).
    pub percent_in_range: Option<f64>,
    /// % of readings in the high band (181–250 mg/dL).
    pub percent_high: Option<f64>,
    /// % of readings above the very-high cut-point (> 250 mg/dL).
    pub percent_very_high: Option<f64>,
    /// % of readings below 54 mg/dL (3.0 mmol/L).
    pub percent_below_54: Option<f64>,
    /// % of readings below 70 mg/dL (3.9 mmol/L).
    pub percent_below_70: Option<f64>,
    /// % of readings above 180 mg/dL (10.0 mmol/L).
    pub percent_above_180: Option<f64>,
    /// % of readings above 250 mg/dL (13.9 mmol/L).
    pub percent_above_250: Option<f64>,
    /// % of readings in 63–140 mg/dL (3.5–7.8 mmol/L), both included.
    pub percent_in_range_63_140: Option<f64>,
    /// CGM wear, % ([`Wear::active_percent`]).
    pub active_percent: Option<f64>,
    /// The fixed period the summary judges, for a summary of a period (the assessment's window); `None` for a
    /// summary of readings ([`SeriesView::summary`](super::SeriesView::summary)), whose sufficiency counts the readings' own span and wear.
    pub period: Option<Period>,
    /// Whether the data meet the consensus minimum: 14 days, 70 % wear.
    pub sufficient: bool,
    /// The consensus tests that failed; empty when sufficient.
    pub insufficient_reasons: Vec<InsufficientReason>,
}

/// The fixed period a summary of a period (the assessment's window) judges: its days and the wear measured over it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The period's start (excluded), local wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub start: DateTime,
    /// The period's end (included), local wall-clock.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::WallClock"))]
    pub end: DateTime,
    /// The days the sufficiency test counts: the whole period when data exist before it or the wear over it
    /// reaches [`MIN_ACTIVE_PERCENT`], else the readings' own span plus one sampling interval. Not the days of
    /// data: those are [`data_days`](Self::data_days).
    pub counted_days: f64,
    /// The days the readings in the period cover: their span plus one sampling interval, at most the period's
    /// length (0 with fewer than two readings). What the data show: ten days of data in a 14-day period are 10.
    pub data_days: f64,
    /// The readings present over the period's sampling slots, % (at most 100): iglu's present readings
    /// (expected − missed over the readings' span) over the period's length divided by the sampling interval.
    pub active_percent: f64,
}

/// The fixed consensus thresholds of the cumulative percents, native in each unit.
struct Thresholds {
    below_54: f64,
    below_70: f64,
    above_180: f64,
    above_250: f64,
    range_63: f64,
    range_140: f64,
}

impl Thresholds {
    const fn of(unit: Unit) -> Thresholds {
        match unit {
            Unit::MgDl => Thresholds {
                below_54: 54.0,
                below_70: 70.0,
                above_180: 180.0,
                above_250: 250.0,
                range_63: 63.0,
                range_140: 140.0,
            },
            Unit::MmolL => Thresholds {
                below_54: 3.0,
                below_70: 3.9,
                above_180: 10.0,
                above_250: 13.9,
                range_63: 3.5,
                range_140: 7.8,
            },
        }
    }
}

#[derive(Default)]
struct Tally {
    bands: BandCounts,
    below_54: u64,
    below_70: u64,
    above_180: u64,
    above_250: u64,
    range_63_140: u64,
    at_limit: u64,
    /// Sum of deviations from the first-pass mean, and of their squares.
    deviations: f64,
    squares: f64,
}

/// The sums of `f(v)`'s `K` components over `values`, each in four interleaved partial sums added at the end:
/// independent chains the processor (and the vectoriser) can overlap, all in one pass. Exact for whole
/// numbers, as one running sum is.
#[inline]
fn lane_sums<const K: usize>(values: &[f64], f: impl Fn(f64) -> [f64; K]) -> [f64; K] {
    let mut lanes = [[0.0f64; 4]; K];
    let chunks = values.chunks_exact(4);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &v) in chunk.iter().enumerate() {
            for (sums, term) in lanes.iter_mut().zip(f(v)) {
                sums[lane] += term;
            }
        }
    }
    std::array::from_fn(|k| {
        let rest: f64 = rest.iter().map(|&v| f(v)[k]).sum();
        let l = lanes[k];
        (l[0] + l[1]) + (l[2] + l[3]) + rest
    })
}

impl Summary {
    /// The five band percents, lowest band first (in [`Band::ALL`](crate::glucose::Band::ALL) order), as a
    /// stacked time-in-ranges bar shows them; `None` without readings.
    ///
    /// ```
    /// use pumppath::cgm::{Series, SeriesOptions};
    /// use pumppath::glucose::{Targets, Unit};
    ///
    /// let series = Series::from_slices(Unit::MgDl, &[0, 300], &[60.0, 120.0], &SeriesOptions::default())?;
    /// assert_eq!(series.view().summary(&Targets::default()).band_percents(), Some([0.0, 50.0, 50.0, 0.0, 0.0]));
    /// # Ok::<(), pumppath::cgm::SeriesError>(())
    /// ```
    pub fn band_percents(&self) -> Option<[f64; 5]> {
        Some([
            self.percent_very_low?,
            self.percent_low?,
            self.percent_in_range?,
            self.percent_high?,
            self.percent_very_high?,
        ])
    }

    /// The summary of `view` against `targets` (which set the band cut-points and name the summary); callers
    /// use [`SeriesView::summary`].
    pub(crate) fn of(view: &SeriesView<'_>, targets: &Targets) -> Summary {
        let unit = view.unit();
        let values = view.values();
        let n = values.len();
        let cuts = targets.cut_points(unit);
        let fixed = Thresholds::of(unit);
        let range = view.sensor_range();
        let (low_limit, high_limit) = (range.low(unit), range.high(unit));

        // Two passes: the mean, then the deviations from it (a corrected two-pass variance, as R's `var`).
        // R's `mean` adds a correction pass in long double; in f64 that correction adds noise rather than
        // removing it, so the mean is the plain sum over n (exact for whole-number readings).
        let [sum] = lane_sums(values, |v| [v]);
        let plain_mean = sum / n as f64;
        let mut t = Tally::default();
        // The bands from how many values reach each cut-point: no branch per value, as in batch classification.
        let [very_low_below, low_below, high_above, very_high_above] =
            [cuts.very_low_below(), cuts.low_below(), cuts.high_above(), cuts.very_high_above()];
        let (mut reach_low, mut reach_in_range, mut above_range, mut above_high) = (0u64, 0u64, 0u64, 0u64);
        for &v in values {
            reach_low += u64::from(v >= very_low_below);
            reach_in_range += u64::from(v >= low_below);
            above_range += u64::from(v > high_above);
            above_high += u64::from(v > very_high_above);
            t.below_54 += u64::from(v < fixed.below_54);
            t.below_70 += u64::from(v < fixed.below_70);
            t.above_180 += u64::from(v > fixed.above_180);
            t.above_250 += u64::from(v > fixed.above_250);
            t.range_63_140 += u64::from(v >= fixed.range_63 && v <= fixed.range_140);
            t.at_limit += u64::from(v <= low_limit || v >= high_limit);
        }
        // The sums of floats apart from the counts, each in four lanes: a single running sum is one long
        // chain of dependent additions, and it kept the whole loop from vectorising.
        [t.deviations, t.squares] = lane_sums(values, |v| {
            let d = v - plain_mean;
            [d, d * d]
        });
        t.bands = BandCounts {
            very_low: n as u64 - reach_low,
            low: reach_low - reach_in_range,
            in_range: reach_in_range - above_range,
            high: above_range - above_high,
            very_high: above_high,
            missing: 0,
        };
        let has = |min: usize| n >= min;
        let mean = has(1).then_some(plain_mean);
        let sd =
            has(2).then(|| ((t.squares - t.deviations * t.deviations / n as f64) / (n - 1) as f64).sqrt());
        // iglu's mean(condition) * 100: the fraction first, then the percent.
        let percent = |count: u64| has(1).then(|| count as f64 / n as f64 * 100.0);

        let times = view.times();
        let wear = Wear::of(view);
        let span_seconds = times.first().zip(times.last()).map(|(f, l)| l - f);
        let covered_seconds = span_seconds
            .zip(wear)
            .map(|(span, w)| span.saturating_add(w.sampling_minutes.saturating_mul(60)));
        let active_percent = wear.map(|w| w.active_percent);
        let mut insufficient_reasons = Vec::new();
        if covered_seconds.is_none_or(|s| s < MIN_DAYS * SECONDS_PER_DAY) {
            insufficient_reasons.push(InsufficientReason::TooFewDays);
        }
        if !active_percent.is_some_and(|p| p >= MIN_ACTIVE_PERCENT) {
            insufficient_reasons.push(InsufficientReason::TooLittleWear);
        }

        Summary {
            unit,
            targets: targets.name().to_owned(),
            readings: n as u64,
            missing: view.missing() as u64,
            duplicates: view.duplicates() as u64,
            at_sensor_limit: t.at_limit,
            first: view.first_time(),
            last: view.last_time(),
            span_days: span_seconds.map(|s| s as f64 / SECONDS_PER_DAY as f64),
            sampling_minutes: wear.map(|w| w.sampling_minutes),
            mean,
            sd,
            cv: sd.zip(mean).map(|(sd, mean)| sd / mean * 100.0),
            gmi: mean.map(|m| 3.31 + 0.02392 * unit.to_mg_dl(m)),
            percent_very_low: percent(t.bands.very_low),
            percent_low: percent(t.bands.low),
            percent_in_range: percent(t.bands.in_range),
            percent_high: percent(t.bands.high),
            percent_very_high: percent(t.bands.very_high),
            percent_below_54: percent(t.below_54),
            percent_below_70: percent(t.below_70),
            percent_above_180: percent(t.above_180),
            percent_above_250: percent(t.above_250),
            percent_in_range_63_140: percent(t.range_63_140),
            active_percent,
            period: None,
            sufficient: insufficient_reasons.is_empty(),
            insufficient_reasons,
        }
    }

    /// The summary of the readings of `view` in the fixed period (`start`, `end`] (instants), with
    /// sufficiency judged over the period rather than over the readings' own span.
    ///
    /// The rules judge a fixed window (the last 14 days), and a missed reading in its first minutes, or a
    /// sensor change at its start, must not make 96 % wear read as too few days. So:
    /// - the days are the period's when `view` has readings at or before `start` (the data go on before the
    ///   window) or when the wear over the period reaches [`MIN_ACTIVE_PERCENT`]; otherwise they are the
    ///   readings' span plus one sampling interval, as in a summary of readings;
    /// - the wear is measured over the period ([`Period::active_percent`]).
    ///
    /// Every metric other than sufficiency is the summary of the readings in the period. A caller
    /// that must not count readings before some moment (the pump start) passes a `view` that starts after it.
    ///
    pub(crate) fn of_period(view: &SeriesView<'_>, start: i64, end: i64, targets: &Targets) -> Summary {
        let inside = view.window_seconds(start.saturating_add(1), end.saturating_add(1));
        let mut summary = Summary::of(&inside, targets);
        let period_seconds = end.saturating_sub(start).max(0);
        let wear = Wear::of(&inside);
        let active_percent = match wear {
            Some(w) if period_seconds > 0 => {
                let slots = (period_seconds as f64 / (w.sampling_minutes as f64 * 60.0)).round_ties_even();
                let present = (w.expected_readings - w.missed_readings) as f64;
                if slots >= 1.0 { (present / slots * 100.0).min(100.0) } else { 0.0 }
            }
            _ => 0.0,
        };
        let data_before = view.times().first().is_some_and(|&first| first <= start);
        let covered_seconds = if data_before || active_percent >= MIN_ACTIVE_PERCENT {
            Some(period_seconds)
        } else {
            let times = inside.times();
            times
                .first()
                .zip(times.last())
                .zip(wear)
                .map(|((f, l), w)| (l - f).saturating_add(w.sampling_minutes.saturating_mul(60)))
        };
        let mut reasons = Vec::new();
        if covered_seconds.is_none_or(|s| s < MIN_DAYS * SECONDS_PER_DAY) {
            reasons.push(InsufficientReason::TooFewDays);
        }
        if active_percent < MIN_ACTIVE_PERCENT {
            reasons.push(InsufficientReason::TooLittleWear);
        }
        let times = inside.times();
        let data_seconds = times
            .first()
            .zip(times.last())
            .zip(wear)
            .map_or(0, |((f, l), w)| (l - f).saturating_add(w.sampling_minutes.saturating_mul(60)));
        summary.period = Some(Period {
            start: view.civil(start),
            end: view.civil(end),
            counted_days: covered_seconds.unwrap_or(0) as f64 / SECONDS_PER_DAY as f64,
            data_days: data_seconds.min(period_seconds) as f64 / SECONDS_PER_DAY as f64,
            active_percent,
        });
        summary.sufficient = reasons.is_empty();
        summary.insufficient_reasons = reasons;
        summary
    }
}
