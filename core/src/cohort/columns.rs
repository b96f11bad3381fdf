//! The columns of a cohort's per-patient table: one table of names, types and meanings, which the bindings
//! turn into Arrow and Spark schemas.

use super::PatientResult;
use crate::Error;
use crate::cgm::{EpisodeKind, EpisodeLevel, to_seconds};
use crate::wire::wire_enum;

wire_enum! {
    /// A column of the cohort table, after the patient's id (which keeps the input's name and type). Wire names
    /// are the column names; [`COLUMNS`] lists them in order with their types. Every column but `error_code`
    /// and `error` is null on the row of a patient whose readings cannot form a series.
    pub enum Column {
        /// Valid readings ([`Summary::readings`](crate::cgm::Summary::readings)).
        Readings => "readings",
        /// Missing readings (null or NaN glucose).
        Missing => "missing",
        /// Readings merged into another of the same time by the duplicates policy.
        Duplicates => "duplicates",
        /// The first reading's local wall-clock time.
        First => "first",
        /// The last reading's local wall-clock time.
        Last => "last",
        /// Days from the first reading to the last.
        SpanDays => "span_days",
        /// The median interval between readings, whole minutes (iglu's `dt0`).
        SamplingMinutes => "sampling_minutes",
        /// Mean glucose, in the table's unit.
        Mean => "mean",
        /// Standard deviation (n − 1).
        Sd => "sd",
        /// Coefficient of variation, %.
        Cv => "cv",
        /// Glucose management indicator, %.
        Gmi => "gmi",
        /// % of readings in the targets' very-low band (< 54 mg/dL with the standard targets).
        PercentVeryLow => "percent_very_low",
        /// % in the low band (54–69).
        PercentLow => "percent_low",
        /// % in range (70–180).
        PercentInRange => "percent_in_range",
        /// % in the high band (181–250).
        PercentHigh => "percent_high",
        /// % in the very-high band (> 250).
        PercentVeryHigh => "percent_very_high",
        /// % below 54 mg/dL (3.0 mmol/L), whatever the targets (iglu's `below_percent`).
        PercentBelow54 => "percent_below_54",
        /// % below 70 mg/dL (3.9).
        PercentBelow70 => "percent_below_70",
        /// % above 180 mg/dL (10.0).
        PercentAbove180 => "percent_above_180",
        /// % above 250 mg/dL (13.9).
        PercentAbove250 => "percent_above_250",
        /// % of the expected readings present (iglu's `active_percent`).
        ActivePercent => "active_percent",
        /// Whether the data meet the consensus minimum (14 days, 70 % wear).
        Sufficient => "sufficient",
        /// Level 1 hypo episodes (< 70 mg/dL for 15 minutes).
        HypoLevel1Episodes => "hypo_level_1_episodes",
        /// Level 2 hypo episodes (< 54 mg/dL for 15 minutes).
        HypoLevel2Episodes => "hypo_level_2_episodes",
        /// Extended hypo episodes (< 70 mg/dL for more than 120 minutes).
        ExtendedHypoEpisodes => "extended_hypo_episodes",
        /// Level 1 hyper episodes (> 180 mg/dL for 15 minutes).
        HyperLevel1Episodes => "hyper_level_1_episodes",
        /// Level 2 hyper episodes (> 250 mg/dL for 15 minutes).
        HyperLevel2Episodes => "hyper_level_2_episodes",
        /// Whether glucose is frequently low, judged at the last reading.
        FrequentlyLow => "frequently_low",
        /// Whether glucose is frequently high, judged at the last reading.
        FrequentlyHigh => "frequently_high",
        /// The verdicts: `frequently_low` and/or `frequently_high`, or `not_frequent`, or `insufficient_data`.
        Frequently => "frequently",
        /// The error's code when the patient's readings cannot form a series (`duplicate_time`, ...), else null.
        ErrorCode => "error_code",
        /// The error's message, naming the reading and the value, else null.
        Error => "error",
    }
}

/// The type of a column's values; every column is nullable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// A count: Arrow `int64` (Spark and pandas have no unsigned 64-bit column).
    Count,
    /// A number: Arrow `float64`.
    Number,
    /// A flag: Arrow `bool`.
    Flag,
    /// A local wall-clock time: Arrow `timestamp[s]` without a zone, its value the wall-clock seconds
    /// ([`to_seconds`]).
    WallClock,
    /// Text: Arrow `utf8`.
    Text,
    /// A list of wire names: Arrow `list<utf8>`.
    TextList,
}

impl Column {
    /// The column's type.
    pub const fn column_type(self) -> ColumnType {
        use Column::*;
        match self {
            Readings | Missing | Duplicates | SamplingMinutes | HypoLevel1Episodes | HypoLevel2Episodes
            | ExtendedHypoEpisodes | HyperLevel1Episodes | HyperLevel2Episodes => ColumnType::Count,
            First | Last => ColumnType::WallClock,
            Sufficient | FrequentlyLow | FrequentlyHigh => ColumnType::Flag,
            Frequently => ColumnType::TextList,
            ErrorCode | Error => ColumnType::Text,
            _ => ColumnType::Number,
        }
    }
}

/// Every column, in the table's order (after the id).
pub const COLUMNS: &[Column] = &Column::ALL;

/// One cell of the cohort table.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A [`ColumnType::Count`] cell.
    Count(Option<u64>),
    /// A [`ColumnType::Number`] cell.
    Number(Option<f64>),
    /// A [`ColumnType::Flag`] cell.
    Flag(Option<bool>),
    /// A [`ColumnType::WallClock`] cell: wall-clock seconds.
    WallClock(Option<i64>),
    /// A [`ColumnType::Text`] cell.
    Text(Option<String>),
    /// A [`ColumnType::TextList`] cell.
    TextList(Option<Vec<&'static str>>),
}

impl PatientResult {
    /// The patient's cell in `column`; `error_code` and `error` are null.
    pub fn value(&self, column: Column) -> Value {
        use Column::*;
        let (s, count) = (&self.summary, |kind, level| Value::Count(Some(self.episodes.count(kind, level))));
        match column {
            Readings => Value::Count(Some(s.readings)),
            Missing => Value::Count(Some(s.missing)),
            Duplicates => Value::Count(Some(s.duplicates)),
            First => Value::WallClock(s.first.map(to_seconds)),
            Last => Value::WallClock(s.last.map(to_seconds)),
            SpanDays => Value::Number(s.span_days),
            SamplingMinutes => Value::Count(s.sampling_minutes.and_then(|m| u64::try_from(m).ok())),
            Mean => Value::Number(s.mean),
            Sd => Value::Number(s.sd),
            Cv => Value::Number(s.cv),
            Gmi => Value::Number(s.gmi),
            PercentVeryLow => Value::Number(s.percent_very_low),
            PercentLow => Value::Number(s.percent_low),
            PercentInRange => Value::Number(s.percent_in_range),
            PercentHigh => Value::Number(s.percent_high),
            PercentVeryHigh => Value::Number(s.percent_very_high),
            PercentBelow54 => Value::Number(s.percent_below_54),
            PercentBelow70 => Value::Number(s.percent_below_70),
            PercentAbove180 => Value::Number(s.percent_above_180),
            PercentAbove250 => Value::Number(s.percent_above_250),
            ActivePercent => Value::Number(s.active_percent),
            Sufficient => Value::Flag(Some(s.sufficient)),
            HypoLevel1Episodes => count(EpisodeKind::Hypo, EpisodeLevel::Level1),
            HypoLevel2Episodes => count(EpisodeKind::Hypo, EpisodeLevel::Level2),
            ExtendedHypoEpisodes => count(EpisodeKind::Hypo, EpisodeLevel::Extended),
            HyperLevel1Episodes => count(EpisodeKind::Hyper, EpisodeLevel::Level1),
            HyperLevel2Episodes => count(EpisodeKind::Hyper, EpisodeLevel::Level2),
            FrequentlyLow => Value::Flag(Some(self.frequently.frequently_low)),
            FrequentlyHigh => Value::Flag(Some(self.frequently.frequently_high)),
            Frequently => {
                Value::TextList(Some(self.frequently.verdicts.iter().map(|v| v.as_str()).collect()))
            }
            ErrorCode | Error => Value::Text(None),
        }
    }
}

/// The cell of a patient's row, results or error, in `column`: an error's row is null but for `error_code`
/// and `error`.
///
/// ```
/// use pumppath::cohort::{Column, Value, value};
/// use pumppath::cgm::SeriesError;
///
/// let row = Err(SeriesError::NotIncreasing { index: 3, seconds: 0 }.into());
/// assert_eq!(value(&row, Column::ErrorCode), Value::Text(Some("not_increasing".into())));
/// assert_eq!(value(&row, Column::Mean), Value::Number(None));
/// ```
pub fn value(row: &Result<PatientResult, Error>, column: Column) -> Value {
    match row {
        Ok(result) => result.value(column),
        Err(error) => match column {
            Column::ErrorCode => Value::Text(Some(error.code().as_str().to_owned())),
            Column::Error => Value::Text(Some(error.to_string())),
            _ => match column.column_type() {
                ColumnType::Count => Value::Count(None),
                ColumnType::Number => Value::Number(None),
                ColumnType::Flag => Value::Flag(None),
                ColumnType::WallClock => Value::WallClock(None),
                ColumnType::Text => Value::Text(None),
                ColumnType::TextList => Value::TextList(None),
            },
        },
    }
}
