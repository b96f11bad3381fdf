//! Scheduling: due dates, tolerance windows and their state, from the protocol's settings, the record's key
//! dates, "now" and the clinic's time zone.
//!
//! Core never reads the clock: callers pass `now` (a [`Timestamp`]) and the clinic's IANA time zone; dates are
//! the clinic's local calendar dates. The time-zone database is bundled (jiff's `tzdb-bundle-always`), so Rust,
//! Python and WASM give the same dates on every machine.
//!
//! | what | due | window | source |
//! |---|---|---|---|
//! | specialist visit | pump start + 7 days | from the start; overdue after start + 14 days | handout understanding_the_pump.s8; ADCES: follow-up within about a week |
//! | follow-up every 3 months | anchor + n × 3 calendar months (n = the follow-up's number in the series) | due soon 14 days before; overdue 14 days after | handout post_pump_care.s1 |
//! | insurance check-in | submission + 21 days while pending | due soon 7 days before; overdue 7 days after | handout pre_pump.1 ("several weeks") |
//! | first weeks on the pump | link and settings review within 28 days of the start | overdue after | handout understanding_the_pump.s4, s5 |
//! | supplies reorder | 14 days before the last batch runs out | due soon 7 days before; overdue the day after it runs out | handout post_pump_care.3 |
//!
//! Follow-ups form a series numbered from its anchor, the pump start: follow-up n is due on anchor + n × months,
//! computed from the anchor (never by chaining), so month ends clamp without drift: 31 Jan plus 3 months is
//! 30 Apr, plus 6 months 31 Jul; 30 Nov plus 3 months is 28 Feb (29 in leap years), plus 6 months 30 May. The
//! follow-up visits held on or after the start are walked in date order:
//!
//! | visit | effect |
//! |---|---|
//! | inside the window of the follow-up it serves (due − 14 days to due + 14 days) | keeps the series: the next follow-up is n + 1 |
//! | inside the window of the follow-up already served (a second visit) | ignored |
//! | anywhere else (early, or late past the window) | re-anchors the series on the visit: the next is due visit + 3 months |
//!
//! So a follow-up held on time (30 Nov start, held 28 Feb) keeps the 30th (next due 30 May, not 28 May), and a
//! late one moves the series. Follow-up visits before the pump start are care before the pump and ignored.

mod error;
mod window;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

pub use error::ScheduleError;
pub use window::{DueState, Window};

use crate::pathway::{ItemState, Milestone, Record, When};
use crate::wire::wire_enum;

/// The clinic's local calendar: "now" and a time zone, resolved once.
///
/// ```
/// use pumppath::schedule::ClinicClock;
///
/// let clock = ClinicClock::new("2026-03-16T03:00:00Z".parse()?, "America/Chicago")?;
/// assert_eq!(clock.today().to_string(), "2026-03-15"); // still the evening before in Chicago
/// assert!(ClinicClock::new("2026-03-16T03:00:00Z".parse()?, "Mars/Olympus").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClinicClock {
    now: Timestamp,
    zone_name: String,
    zone: TimeZone,
    today: Date,
}

impl ClinicClock {
    /// Resolves `time_zone` (an IANA name such as `"America/Chicago"`, or `"UTC"`) from the bundled database.
    pub fn new(now: Timestamp, time_zone: &str) -> Result<ClinicClock, ScheduleError> {
        // The name only: jiff's message repeats it, and a hostile name may be megabytes long.
        let zone = TimeZone::get(time_zone).map_err(|_| ScheduleError::UnknownTimeZone {
            value: crate::problem::shown(time_zone).into_owned(),
        })?;
        let today = zone.to_datetime(now).date();
        Ok(ClinicClock { now, zone_name: time_zone.to_owned(), zone, today })
    }

    /// The instant "now".
    pub fn now(&self) -> Timestamp {
        self.now
    }
    /// The clinic's local date today.
    pub fn today(&self) -> Date {
        self.today
    }
    /// The time zone's IANA name, as given.
    pub fn time_zone(&self) -> &str {
        &self.zone_name
    }
    /// The resolved time zone, in which a zoneless CGM series' wall-clock is read
    /// ([`SeriesView::window`](crate::cgm::SeriesView::window)).
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }
    /// The clinic's local wall-clock time of an instant (what a CGM's clock shows).
    pub fn local_datetime(&self, at: Timestamp) -> jiff::civil::DateTime {
        self.zone.to_datetime(at)
    }
    /// The clinic's local date of an instant.
    pub fn local_date(&self, at: Timestamp) -> Date {
        self.zone.to_datetime(at).date()
    }
    /// The clinic's local date of a key date: its civil date when its event was entered as a date
    /// (`occurred_on`, the same date in every zone), else the local date of its instant ([`When::date_in`]).
    pub fn date_of(&self, when: When) -> Date {
        when.date_in(&self.zone)
    }
}

/// The specialist visit shortly after the pump start.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialistVisitDue {
    /// Opens at the start, due 7 days after, overdue after 14 (settings).
    pub window: Window,
    /// When it was held, if it was (on or after the start).
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub held_on: Option<Date>,
    /// The clinic-local date of the current booking: the latest `item_scheduled` on the specialist-visit item,
    /// when it lies after the last specialist visit held (or none was).
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
    /// Whether that booking lies after the window's close (the visit will be overdue when held).
    pub booked_past_close: bool,
}

wire_enum! {
    /// What a follow-up series is anchored on.
    pub enum Anchor {
        /// The pump start.
        PumpStart => "pump_start",
        /// A follow-up visit held outside the window of the follow-up it served.
        FollowUpVisit => "follow_up_visit",
    }
}

/// The follow-ups every 3 months: a series numbered from its anchor (see the module docs).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpDue {
    /// The series' anchor: the pump start, or the follow-up visit that re-anchored it (one held outside the
    /// window of the follow-up it served).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub anchor: Date,
    /// What the anchor is: the pump start, or a follow-up visit.
    pub anchored_on: Anchor,
    /// The next follow-up's number in the series: it is due on anchor + `number` × interval.
    pub number: u32,
    /// The next follow-up's window and state.
    pub next: Window,
    /// The planned dates after that one (anchor + k × interval for k = number + 1 to number + 3), for the
    /// calendar.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<crate::schema::LocalDate>"))]
    pub later: Vec<Date>,
    /// The clinic-local date of the current booking: the latest `item_scheduled` on the follow-up item, when it
    /// lies after the last follow-up visit held (or none was).
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
    /// Whether that booking lies after the next follow-up's window closes.
    pub booked_past_close: bool,
}

/// The clinic-local date of a booking, when it is current: after the last visit of its kind (its clinic-local
/// date), or there is none.
fn current_booking(clock: &ClinicClock, booked: Option<When>, last_visit: Option<Date>) -> Option<Date> {
    let booked = booked?.date_in(clock.zone());
    last_visit.is_none_or(|held| booked > held).then_some(booked)
}

/// A reminder that runs while insurance is pending.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsuranceCheckIn {
    /// The submission's date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub submitted_on: Date,
    /// Check in 21 days (settings) after it.
    pub window: Window,
}

/// The first weeks on the pump: the link and the settings review.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstWeeks {
    /// From the start to the end of the first weeks (28 days, settings).
    pub window: Window,
    /// Whether the pump is not yet linked to the clinic.
    pub link_pending: bool,
    /// Whether the settings review is not yet done.
    pub settings_review_pending: bool,
}

/// The supplies reorder reminder.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuppliesDue {
    /// When the last batch arrived.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub received_on: Date,
    /// Days of supply it carried.
    pub days_of_supply: u32,
    /// When it runs out.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub runs_out_on: Date,
    /// Reorder by 14 days (settings) before it runs out; overdue once it has run out.
    pub window: Window,
}

/// The schedule of one patient on a given day.
///
/// ```
/// use pumppath::demo;
/// use pumppath::pathway::Protocol;
/// use pumppath::schedule::{ClinicClock, DueState, Schedule};
///
/// let protocol = Protocol::standard();
/// let clock = ClinicClock::new(demo::DEMO_NOW.parse()?, demo::DEMO_TIME_ZONE)?;
/// let dev = demo::cohort().into_iter().find(|p| p.id == "dev").unwrap();
/// let schedule = Schedule::of(&dev.record(protocol)?, &clock)?;
/// let follow_up = schedule.follow_up.unwrap();
/// // Two follow-ups held on time keep the series anchored on the pump start: the next is the third.
/// assert_eq!(follow_up.anchor.to_string(), "2025-06-10");
/// assert_eq!(follow_up.number, 3);
/// assert_eq!(follow_up.next.due.to_string(), "2026-03-10");
/// assert_eq!(follow_up.next.state, DueState::Due);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// The clinic's date today.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub today: Date,
    /// The clinic's time zone.
    pub time_zone: String,
    /// The pump start date, if started.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub pump_started_on: Option<Date>,
    /// The specialist visit, once the pump has started.
    pub specialist_visit: Option<SpecialistVisitDue>,
    /// The next follow-up, once the pump has started.
    pub follow_up: Option<FollowUpDue>,
    /// The insurance check-in, while coverage is pending.
    pub insurance_check_in: Option<InsuranceCheckIn>,
    /// The first weeks' link and settings review, once the pump has started (`done` when both are).
    pub first_weeks: Option<FirstWeeks>,
    /// The supplies reorder, once a batch is recorded.
    pub supplies: Option<SuppliesDue>,
}

/// `date + days`, saturating at the calendar's last day (9999-12-31): a mistyped far-future date never makes
/// the schedule fail, so the patient stays on the day's list.
fn add_days(date: Date, days: u32) -> Date {
    date.checked_add(i64::from(days).days()).unwrap_or(Date::MAX)
}

/// `date - days`, saturating at the calendar's first day.
fn sub_days(date: Date, days: u32) -> Date {
    date.checked_sub(i64::from(days).days()).unwrap_or(Date::MIN)
}

/// `anchor + months`, clamped to the month's last day (jiff's calendar arithmetic); `Err` past 9999-12-31.
/// The schedule itself uses [`add_months_saturating`].
pub fn add_months(anchor: Date, months: u32) -> Result<Date, ScheduleError> {
    anchor
        .checked_add(i64::from(months).months())
        .map_err(|e| ScheduleError::DateOutOfRange { message: e.to_string() })
}

/// `anchor + months` like [`add_months`], saturating at 9999-12-31 instead of failing, so that far-future
/// dates (a mistyped year) never drop a patient from the day's list.
pub fn add_months_saturating(anchor: Date, months: u32) -> Date {
    add_months(anchor, months).unwrap_or(Date::MAX)
}

impl Schedule {
    /// The schedule of `record` under `protocol` on the clock's day.
    ///
    /// Date arithmetic saturates at the calendar's ends (years -9999 and 9999), so a far-future date in the
    /// record (a mistyped year) gives far-future due dates instead of an error; the `Result` is kept for
    /// errors a future schedule may have.
    pub fn of(record: &Record, clock: &ClinicClock) -> Result<Schedule, ScheduleError> {
        let protocol = record.protocol();
        let s = &protocol.settings().schedule;
        let today = clock.today();
        let dates = record.dates();
        let done = |m: Milestone| {
            protocol.milestone_item(m).and_then(|i| record.item_state(&i.id)).is_some_and(ItemState::is_final)
        };
        // Key dates become clinic-local dates through `date_of`: an event entered as a date keeps its date.
        let started = dates.pump_started.filter(|_| done(Milestone::PumpStart)).map(|w| clock.date_of(w));
        let last_specialist_visit = dates.last_specialist_visit.map(|w| clock.date_of(w));
        let last_follow_up_visit = dates.last_follow_up_visit.map(|w| clock.date_of(w));

        let specialist_visit = match started {
            Some(start) => {
                let held_on = last_specialist_visit.filter(|d| *d >= start);
                let window = Window::new(
                    start,
                    add_days(start, s.specialist_visit_due_days),
                    add_days(start, s.specialist_visit_overdue_days),
                    today,
                    held_on.is_some() || done(Milestone::SpecialistVisit),
                );
                let booked_for = current_booking(clock, dates.specialist_visit_booked, last_specialist_visit);
                let booked_past_close = booked_for.is_some_and(|b| b > window.closes);
                Some(SpecialistVisitDue { window, held_on, booked_for, booked_past_close })
            }
            None => None,
        };

        let follow_up = match started {
            Some(start) => {
                let (interval, soon, grace) =
                    (s.follow_up_interval_months, s.follow_up_due_soon_days, s.follow_up_grace_days);
                let window_of = |anchor: Date, n: u32| {
                    let due = add_months_saturating(anchor, n.saturating_mul(interval));
                    (sub_days(due, soon), due, add_days(due, grace))
                };
                let (mut anchor, mut number, mut anchored_on) = (start, 1u32, Anchor::PumpStart);
                // The window of the follow-up the last counted visit served.
                let mut served: Option<(Date, Date)> = None;
                // Visits are kept oldest first by instant; a date-only visit (its noon UTC) can sit out of local
                // date order beside a timed one in a far-east zone, so the dates are sorted.
                let mut visits: Vec<Date> = record
                    .follow_up_visits()
                    .map(|w| w.date_in(clock.zone()))
                    .filter(|d| *d >= start)
                    .collect();
                visits.sort_unstable();
                for visit in visits {
                    let (opens, _, closes) = window_of(anchor, number);
                    if (opens..=closes).contains(&visit) {
                        served = Some((opens, closes));
                        number = number.saturating_add(1);
                    } else if served.is_some_and(|(o, c)| (o..=c).contains(&visit)) {
                        // A second visit in the window of the follow-up already served.
                    } else {
                        // Early, or late past the window: the series restarts on the visit, which serves as a
                        // follow-up due on its own date.
                        (anchor, number, anchored_on) = (visit, 1, Anchor::FollowUpVisit);
                        served = Some((sub_days(visit, soon), add_days(visit, grace)));
                    }
                }
                let (opens, due, closes) = window_of(anchor, number);
                let next = Window::new(opens, due, closes, today, false);
                let later = (1..=3)
                    .map(|k| add_months_saturating(anchor, number.saturating_add(k).saturating_mul(interval)))
                    .collect();
                let booked_for = current_booking(clock, dates.follow_up_booked, last_follow_up_visit);
                let booked_past_close = booked_for.is_some_and(|b| b > next.closes);
                Some(FollowUpDue { anchor, anchored_on, number, next, later, booked_for, booked_past_close })
            }
            None => None,
        };

        let insurance_pending = dates.insurance_submitted.is_some()
            && dates.insurance_decision.is_none()
            && !done(Milestone::InsuranceCoverage);
        let insurance_check_in = match dates.insurance_submitted {
            Some(submitted) if insurance_pending => {
                let submitted_on = clock.date_of(submitted);
                let due = add_days(submitted_on, s.insurance_check_in_days);
                let slack = s.insurance_check_in_window_days;
                let window = Window::new(sub_days(due, slack), due, add_days(due, slack), today, false);
                Some(InsuranceCheckIn { submitted_on, window })
            }
            _ => None,
        };

        let first_weeks = match started {
            Some(start) => {
                let link_pending = !done(Milestone::PumpLink);
                let settings_review_pending = !done(Milestone::SettingsReview);
                let end = add_days(start, s.first_weeks_days);
                let window = Window::new(start, end, end, today, !link_pending && !settings_review_pending);
                Some(FirstWeeks { window, link_pending, settings_review_pending })
            }
            None => None,
        };

        let supplies = match dates.supplies {
            Some(batch) => {
                let received_on = clock.date_of(batch.received);
                let runs_out_on = add_days(received_on, batch.days_of_supply);
                let reorder_by = sub_days(runs_out_on, s.supplies_reorder_lead_days);
                let opens = sub_days(reorder_by, s.supplies_due_soon_days);
                let window = Window::new(opens, reorder_by, runs_out_on, today, false);
                Some(SuppliesDue { received_on, days_of_supply: batch.days_of_supply, runs_out_on, window })
            }
            None => None,
        };

        Ok(Schedule {
            today,
            time_zone: clock.time_zone().to_owned(),
            pump_started_on: started,
            specialist_visit,
            follow_up,
            insurance_check_in,
            first_weeks,
            supplies,
        })
    }
}
