//! The crate's one public error type.

use thiserror::Error as ThisError;

use crate::cgm::SeriesError;
use crate::glucose::GlucoseError;
#[cfg(feature = "io")]
use crate::io::ReadError;
use crate::pathway::{EventError, ProtocolError};
use crate::schedule::ScheduleError;

/// Every error pumppath returns, one variant per module.
///
/// Each variant wraps its module's own error type, whose variants name the offending field and value. The
/// bindings map each variant to an exception class (Python) or `Error` subclass (JavaScript) with the name
/// [`Error::kind`] returns, so `except pumppath.GlucoseError` works as it reads.
///
/// ```
/// use pumppath::glucose::{classify, Targets, Unit};
///
/// fn band_name(v: f64) -> Result<&'static str, pumppath::Error> {
///     Ok(classify(v, Unit::MgDl, &Targets::default())?.as_str())
/// }
/// let err = band_name(f64::INFINITY).unwrap_err();
/// assert_eq!(err.kind(), "GlucoseError");
/// assert_eq!(err.to_string(), "glucose value inf mg/dL is infinite");
/// ```
#[derive(Clone, Debug, PartialEq, ThisError)]
#[non_exhaustive]
pub enum Error {
    /// An invalid glucose value, unit, cut-point or target.
    #[error(transparent)]
    Glucose(#[from] GlucoseError),
    /// Readings that cannot form a CGM series (an invalid value at an index, a duplicate time), or an invalid
    /// metric option.
    #[error(transparent)]
    Series(#[from] SeriesError),
    /// A CSV export that cannot be read: the line, the column and the value.
    #[cfg(feature = "io")]
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A protocol that cannot be used: every problem, each with its JSON path.
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    /// An event the protocol or the record forbids.
    #[error(transparent)]
    Event(#[from] EventError),
    /// A time zone or date the schedule cannot use.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

impl Error {
    /// The error's class name in every language: `"GlucoseError"`, `"SeriesError"`, `"ReadError"`,
    /// `"ProtocolError"`, `"EventRejected"`, `"ScheduleError"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Glucose(_) => "GlucoseError",
            Error::Series(_) => "SeriesError",
            #[cfg(feature = "io")]
            Error::Read(_) => "ReadError",
            Error::Protocol(_) => "ProtocolError",
            Error::Event(_) => "EventRejected",
            Error::Schedule(_) => "ScheduleError",
        }
    }
}
