use thiserror::Error;

use crate::problem::Problem;

/// An error of the schedule: a time zone or date it cannot use.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The time zone is not an IANA name in the bundled database.
    #[error("time_zone = {value:?}: not a known IANA time zone")]
    UnknownTimeZone {
        /// The name as given (cut to [`MAX_ECHO`](crate::MAX_ECHO) characters).
        value: String,
    },
    /// A computed date falls outside the supported range (years -9999 to 9999).
    #[error("date out of range: {message}")]
    DateOutOfRange {
        /// jiff's message.
        message: String,
    },
}

crate::problem::error_codes!(ScheduleError {
    UnknownTimeZone => UnknownTimeZone,
    DateOutOfRange => DateOutOfRange,
});

impl ScheduleError {
    /// The one problem: at `$.time_zone` with the name as given, or at `$.date`.
    pub fn problems(&self) -> Vec<Problem> {
        let message = self.to_string();
        match self {
            ScheduleError::UnknownTimeZone { value, .. } => {
                vec![Problem::new("$.time_zone", self.code(), message).with_value(value.as_str())]
            }
            ScheduleError::DateOutOfRange { .. } => vec![Problem::new("$.date", self.code(), message)],
        }
    }
}
