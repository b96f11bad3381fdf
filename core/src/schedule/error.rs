use thiserror::Error;

/// An error of the schedule: a time zone or date it cannot use.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The time zone is not an IANA name in the bundled database.
    #[error("time_zone = {value:?}: not a known IANA time zone ({message})")]
    UnknownTimeZone {
        /// The name as given.
        value: String,
        /// jiff's message.
        message: String,
    },
    /// A computed date falls outside the supported range (years -9999 to 9999).
    #[error("date out of range: {message}")]
    DateOutOfRange {
        /// jiff's message.
        message: String,
    },
}
