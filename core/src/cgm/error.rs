use jiff::civil::DateTime;
use thiserror::Error;

use crate::glucose::GlucoseError;
use crate::problem::Problem;

/// An error of the `cgm` module: readings that cannot form a series, or an invalid metric option.
///
/// Every variant names the offending reading (by its index in the input, or its time) and value.
///
/// ```
/// use pumppath::cgm::{Series, SeriesError, SeriesOptions};
/// use pumppath::glucose::Unit;
///
/// let err = Series::from_slices(Unit::MgDl, &[0, 300, 600], &[110.0, -3.0, 120.0], &SeriesOptions::default())
///     .unwrap_err();
/// assert!(matches!(err, SeriesError::InvalidValue { index: 1, .. }));
/// assert_eq!(err.to_string(), "readings[1]: glucose value -3 mg/dL is not positive");
/// ```
#[derive(Clone, Debug, PartialEq, Error)]
#[non_exhaustive]
pub enum SeriesError {
    /// Columnar readings that cannot be read (a type error, an unknown field, both kinds of time given): every
    /// problem, each with its path (`$.values[3]`, `$.colour`) and code.
    #[error("readings JSON: {}", problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidJson {
        /// Every problem found.
        problems: Vec<Problem>,
    },
    /// Readings at `root` of a larger document (`$.readings` of a request) that cannot form a series: the
    /// error, its problems under `root` (`$.readings.values[5]`). Its code is the error's.
    #[error("{root}: {source}")]
    InDocument {
        /// Where the readings are (`$.readings`, `$.patients[2].readings`).
        root: String,
        /// Why.
        source: Box<SeriesError>,
    },
    /// One patient's readings of a long-form table cannot form a series.
    #[error("patient {id:?}: {source}")]
    Patient {
        /// The patient's id.
        id: String,
        /// Why.
        source: Box<SeriesError>,
    },
    /// The times and values slices differ in length.
    #[error("times has length {times} but values has length {values}: give one time per value")]
    LengthMismatch {
        /// Length of the times.
        times: usize,
        /// Length of the values.
        values: usize,
    },
    /// A value is invalid (NaN only where a series must not have missing values); `source` is the glucose
    /// module's error for it.
    #[error("readings[{index}]: {source}")]
    InvalidValue {
        /// Position of the reading in the input.
        index: usize,
        /// Why the value is invalid.
        source: GlucoseError,
    },
    /// A time lies outside the years -9999 to 9999.
    #[error("{}time {seconds} s is outside the years -9999 to 9999", at(*.index))]
    TimeOutOfRange {
        /// Position of the reading in the input, when the time belongs to one.
        index: Option<usize>,
        /// The time as given, in wall-clock seconds.
        seconds: i64,
    },
    /// Several readings share a time and the duplicates policy is `error`.
    #[error(
        "{count} readings at {time}: duplicate times are an error by default. To keep every reading, give them \
         in the device's order (a clock set back in autumn repeats an hour) with the device's time_zone; to \
         merge them, choose the duplicates policy keep_first or mean"
    )]
    DuplicateTime {
        /// The shared time.
        time: DateTime,
        /// How many readings have it.
        count: usize,
    },
    /// Times given as sorted are not strictly increasing.
    #[error(
        "times[{index}] = {seconds} s is not after the time before it: times must be strictly increasing"
    )]
    NotIncreasing {
        /// Position of the offending time.
        index: usize,
        /// The time, in wall-clock seconds.
        seconds: i64,
    },
    /// Text is not a wall-clock time.
    #[error("time {value:?} is not a wall-clock time YYYY-MM-DD HH:MM:SS")]
    InvalidTime {
        /// The text as given.
        value: String,
    },
    /// The series options name a time zone that is not an IANA name in the bundled database.
    #[error("time_zone = {value:?}: not a known IANA time zone")]
    UnknownTimeZone {
        /// The name as given (cut to [`MAX_ECHO`](crate::MAX_ECHO) characters).
        value: String,
    },
    /// A time given as a floating-point number of milliseconds (JavaScript's) that is not a finite number.
    #[error("times[{index}] = {value}: not a finite number of milliseconds")]
    NonFiniteTime {
        /// Position of the time in the input.
        index: usize,
        /// The number as given (NaN or an infinity).
        value: f64,
    },
    /// An AGP bin width that does not split the day into whole bins.
    #[error("bin_minutes = {value}: must be between 1 and 1440 and divide 1440 (one day)")]
    InvalidBinMinutes {
        /// The width as given.
        value: u32,
    },
}

fn at(index: Option<usize>) -> String {
    index.map(|i| format!("readings[{i}]: ")).unwrap_or_default()
}

crate::problem::error_codes!(SeriesError {
    LengthMismatch => LengthMismatch,
    InvalidValue => InvalidValue,
    TimeOutOfRange => TimeOutOfRange,
    DuplicateTime => DuplicateTime,
    NotIncreasing => NotIncreasing,
    InvalidTime => InvalidTime,
    NonFiniteTime => NonFiniteTime,
    UnknownTimeZone => UnknownTimeZone,
    InvalidBinMinutes => InvalidBinMinutes,
    InvalidJson => InvalidJson,
    Patient => PatientSeries,
} where InDocument.source);

impl SeriesError {
    /// The problems, with paths as in the columnar readings document: `$.values[i]` (an invalid value, whose
    /// problem has the [`ValueProblem`](crate::glucose::ValueProblem)'s code), `$.times[i]`, `$.times`,
    /// `$.values`, `$.time`, `$.time_zone` or `$.bin_minutes`; a JSON problem's own path.
    pub fn problems(&self) -> Vec<Problem> {
        let message = self.to_string();
        let code = self.code();
        let problem = match self {
            SeriesError::LengthMismatch { values, .. } => {
                Problem::new("$.values", code, message).with_value(*values)
            }
            SeriesError::InvalidValue { index, source } => {
                let mut p =
                    source.problems().into_iter().next().unwrap_or_else(|| Problem::new("", code, ""));
                p.path = format!("$.values[{index}]");
                p.message = message;
                p
            }
            SeriesError::TimeOutOfRange { index, seconds } => {
                let path = index.map_or("$.time".to_owned(), |i| format!("$.times[{i}]"));
                Problem::new(path, code, message).with_value(*seconds)
            }
            SeriesError::DuplicateTime { time, .. } => {
                Problem::new("$.times", code, message).with_value(time.to_string())
            }
            SeriesError::NotIncreasing { index, seconds } => {
                Problem::new(format!("$.times[{index}]"), code, message).with_value(*seconds)
            }
            SeriesError::InvalidTime { value } => {
                Problem::new("$.time", code, message).with_value(value.as_str())
            }
            // NaN and the infinities have no JSON number: the value is their text.
            SeriesError::NonFiniteTime { index, value } => {
                Problem::new(format!("$.times[{index}]"), code, message).with_value(value.to_string())
            }
            SeriesError::UnknownTimeZone { value, .. } => {
                Problem::new("$.time_zone", code, message).with_value(value.as_str())
            }
            SeriesError::InvalidBinMinutes { value } => {
                Problem::new("$.bin_minutes", code, message).with_value(*value)
            }
            SeriesError::InvalidJson { problems } => return problems.clone(),
            SeriesError::InDocument { root, source } => {
                return source.problems().into_iter().map(|p| p.under(root)).collect();
            }
            // The patient's own problems, each under the patient: their codes stay the series' codes.
            SeriesError::Patient { id, source } => {
                return source
                    .problems()
                    .into_iter()
                    .map(|mut p| {
                        p.path = format!("patient {id:?}, {}", p.path);
                        p
                    })
                    .collect();
            }
        };
        vec![problem]
    }
}
