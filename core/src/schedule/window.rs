use crate::wire::wire_enum;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Where today stands against a due date.
    pub enum DueState {
        /// Before the window opens.
        Upcoming => "upcoming",
        /// The window is open; the due date is ahead.
        DueSoon => "due_soon",
        /// On or past the due date, within the tolerance.
        Due => "due",
        /// Past the tolerance (see [`Window::days_overdue`]).
        Overdue => "overdue",
        /// Done: nothing more to do.
        Done => "done",
    }
}

/// A due date with its tolerance window, and today's state against it.
///
/// `opens ≤ due ≤ closes`: before `opens` it is upcoming, from `opens` due soon, from `due` due, and after
/// `closes` overdue, by the days since `due`.
///
/// ```
/// use jiff::civil::date;
/// use pumppath::schedule::{DueState, Window};
///
/// let w = Window::new(date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 29), date(2026, 4, 2), false);
/// assert_eq!(w.state, DueState::Overdue);
/// assert_eq!(w.days_overdue, Some(18));
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// When it opens (due soon from here).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub opens: Date,
    /// The due date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub due: Date,
    /// The end of the tolerance: overdue after this day.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub closes: Date,
    /// Today's state.
    pub state: DueState,
    /// Days from today to the due date, when not yet due.
    pub days_until_due: Option<i32>,
    /// Days since the due date, when overdue.
    pub days_overdue: Option<i32>,
}

impl Window {
    /// A window with today's state; `done` makes the state [`DueState::Done`] whatever the date.
    pub fn new(opens: Date, due: Date, closes: Date, today: Date, done: bool) -> Window {
        let days = |from: Date, to: Date| from.until(to).map(|s| s.get_days()).unwrap_or(0);
        let state = if done {
            DueState::Done
        } else if today < opens {
            DueState::Upcoming
        } else if today < due {
            DueState::DueSoon
        } else if today <= closes {
            DueState::Due
        } else {
            DueState::Overdue
        };
        Window {
            opens,
            due,
            closes,
            state,
            days_until_due: (!done && today < due).then(|| days(today, due)),
            days_overdue: (state == DueState::Overdue).then(|| days(due, today)),
        }
    }
}
