//! CGM times: wall-clock seconds (a civil date-time's fields encoded as if UTC) and their conversions to and
//! from civil date-times and text; the instants wall-clock times stand for in a time zone, or on a zoneless
//! device's clock.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::SeriesError;

/// 1970-01-01T00:00:00, the time whose wall-clock seconds are 0.
pub const EPOCH: DateTime = jiff::civil::date(1970, 1, 1).at(0, 0, 0, 0);

/// Seconds per day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// The earliest time a series accepts: -9999-01-01T00:00:00 (jiff's [`DateTime::MIN`]), in seconds.
pub const MIN_SECONDS: i64 = civil_seconds(-9999, 1, 1, 0, 0, 0);

/// The latest time a series accepts: 9999-12-31T23:59:59, in seconds.
pub const MAX_SECONDS: i64 = civil_seconds(9999, 12, 31, 23, 59, 59);

/// Days from 1970-01-01 to the civil date (proleptic Gregorian), after H. Hinnant's `days_from_civil`.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01, after H. Hinnant's `civil_from_days` (the inverse of
/// [`days_from_civil`]): (year, month, day).
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if month <= 2 { 1 } else { 0 }, month, day)
}

const fn civil_seconds(year: i64, month: i64, day: i64, hour: i64, minute: i64, second: i64) -> i64 {
    days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second
}

/// The wall-clock seconds of a civil date-time: its fields encoded as if UTC, so 1970-01-01T00:00:00 is 0.
///
/// CGM times are the device's wall-clock times and carry no zone; this encoding is what the hot paths, the
/// Python binding (numpy `datetime64[s]`) and the JavaScript binding (epoch numbers) use. Sub-second parts
/// are dropped.
///
/// ```
/// use jiff::civil::date;
/// use pumppath::cgm::{from_seconds, to_seconds};
///
/// let t = date(2015, 6, 6).at(16, 50, 27, 0);
/// assert_eq!(to_seconds(t), 1_433_609_427);
/// assert_eq!(from_seconds(1_433_609_427)?, t);
/// assert_eq!(to_seconds(date(1970, 1, 1).at(0, 0, 0, 0)), 0);
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
pub fn to_seconds(time: DateTime) -> i64 {
    civil_seconds(
        i64::from(time.year()),
        i64::from(time.month()),
        i64::from(time.day()),
        i64::from(time.hour()),
        i64::from(time.minute()),
        i64::from(time.second()),
    )
}

/// The civil date-time of wall-clock seconds; an error outside [`MIN_SECONDS`]..=[`MAX_SECONDS`].
///
/// ```
/// use pumppath::cgm::from_seconds;
///
/// assert_eq!(from_seconds(86_399)?.to_string(), "1970-01-01T23:59:59");
/// assert!(from_seconds(i64::MAX).is_err());
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
pub fn from_seconds(seconds: i64) -> Result<DateTime, SeriesError> {
    let out_of_range = || SeriesError::TimeOutOfRange { index: None, seconds };
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(out_of_range());
    }
    // Day and time of day by integer arithmetic: jiff's general date-time addition was a tenth of the time
    // spent finding episodes, which turns each one's start and end into a civil time.
    let (days, of_day) = (seconds.div_euclid(SECONDS_PER_DAY), seconds.rem_euclid(SECONDS_PER_DAY));
    let (year, month, day) = civil_from_days(days);
    let narrow = |n: i64| i8::try_from(n).map_err(|_| out_of_range());
    DateTime::new(
        i16::try_from(year).map_err(|_| out_of_range())?,
        narrow(month)?,
        narrow(day)?,
        narrow(of_day / 3600)?,
        narrow(of_day / 60 % 60)?,
        narrow(of_day % 60)?,
        0,
    )
    .map_err(|_| out_of_range())
}

/// The civil time of wall-clock seconds, clamped to the years -9999 to 9999 (for evidence and display, where
/// an out-of-range moment is shown at the calendar's end rather than failing).
pub(crate) fn civil(seconds: i64) -> DateTime {
    from_seconds(seconds.clamp(MIN_SECONDS, MAX_SECONDS)).unwrap_or(DateTime::MIN)
}

/// The zone of the series options, resolved from the bundled database; `None` without a name.
pub(crate) fn resolve_zone(name: Option<&str>) -> Result<Option<TimeZone>, SeriesError> {
    name.map(|name| {
        TimeZone::get(name)
            // The name only: jiff's message repeats it, and a hostile name may be megabytes long.
            .map_err(|_| SeriesError::UnknownTimeZone { value: crate::problem::shown(name).into_owned() })
    })
    .transpose()
}

/// How far a device's clock goes back when it is set back for the autumn change: one hour.
pub(crate) const SET_BACK_SECONDS: i64 = 3600;

/// Whether a step back of the wall clock by `seconds`, in the device's order, is the clock set back an hour:
/// more than 15 minutes (a reading or two out of order is not) and less than the hour itself (the reading
/// after it is then later, or it would be a duplicate).
pub(crate) const fn is_set_back(seconds: i64) -> bool {
    seconds > 900 && seconds < SET_BACK_SECONDS
}

/// The instant (Unix seconds) a device's wall-clock seconds `wall` stand for in `zone`, the reading before it
/// (in the device's order) having resolved to the instant and offset `previous`; `None` when the instant lies
/// outside jiff's range.
///
/// The zone reads a time one way, two ways in the hour its clock repeats in autumn (the fold), and a time its
/// clock skips in spring (the gap) with the offset before the change (jiff's compatible reading: a device
/// clock not yet set forward). The earliest of these readings that is later than the previous reading's is
/// taken; when none is, the reading with the previous reading's offset, when that is later (a device clock
/// not yet changed, so the readings after a spring gap stay after it); else the zone's latest reading (input
/// out of order, which the sort then places).
pub(crate) fn instant_of(zone: &TimeZone, wall: i64, previous: Option<(i64, i64)>) -> Option<i64> {
    let ambiguous = zone.to_ambiguous_timestamp(from_seconds(wall).ok()?);
    let with = |offset: jiff::tz::Offset| wall.checked_sub(i64::from(offset.seconds()));
    let (earlier, later) = match ambiguous.offset() {
        AmbiguousOffset::Fold { before, after } => {
            let (a, b) = (with(before)?, with(after)?);
            (a.min(b), a.max(b))
        }
        AmbiguousOffset::Gap { before, .. } => (with(before)?, with(before)?),
        AmbiguousOffset::Unambiguous { offset } => (with(offset)?, with(offset)?),
    };
    let instant = match previous {
        None => earlier,
        Some((p, _)) if earlier > p => earlier,
        Some((p, _)) if later > p => later,
        Some((p, offset)) => wall.checked_sub(offset).filter(|&t| t > p).unwrap_or(later),
    };
    Timestamp::from_second(instant).ok().map(|t| t.as_second())
}

/// The clock a series' instants are read on: its time zone, or for a zoneless series UTC (R iglu's reading of
/// wall-clock times) with the device's clock set back an hour at each of `set_backs` (instants, sorted).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Clock<'a> {
    pub(crate) zone: Option<&'a TimeZone>,
    pub(crate) set_backs: &'a [i64],
}

impl Clock<'_> {
    /// The local wall-clock seconds of the instant `seconds` (encoded as if UTC, as [`to_seconds`]). An
    /// instant outside jiff's range is left as it is.
    pub(crate) fn local_seconds(&self, seconds: i64) -> i64 {
        match self.zone.map(|zone| Timestamp::from_second(seconds).map(|t| zone.to_offset(t))) {
            Some(Ok(offset)) => seconds.saturating_add(i64::from(offset.seconds())),
            Some(Err(_)) => seconds,
            None => {
                let set_back = self.set_backs.partition_point(|&t| t <= seconds) as i64;
                seconds.saturating_sub(set_back * SET_BACK_SECONDS)
            }
        }
    }

    /// The civil (local wall-clock) time of the instant `seconds`, clamped as [`civil`].
    pub(crate) fn civil(&self, seconds: i64) -> DateTime {
        civil(self.local_seconds(seconds))
    }

    /// The instant of the wall-clock seconds `wall` on this clock, the later one when the clock showed it
    /// twice: "now" or the pump start read on a zoneless series' clock.
    pub(crate) fn latest_instant_of(&self, wall: i64) -> i64 {
        (0..=self.set_backs.len() as i64)
            .rev()
            .map(|k| wall.saturating_add(k * SET_BACK_SECONDS))
            .find(|&t| self.local_seconds(t) == wall)
            .unwrap_or(wall)
    }
}

/// Parses a wall-clock time `YYYY-MM-DD HH:MM:SS` into seconds (see [`to_seconds`]).
///
/// Also accepted: `T` instead of the space (Dexcom Clarity, ISO 8601), missing seconds (`HH:MM`), and a
/// fractional part of the seconds, which is dropped. Anything else (a zone or offset, a date alone, an
/// invalid date such as February 30) is an error naming the text.
///
/// ```
/// use pumppath::cgm::parse_time;
///
/// assert_eq!(parse_time("2015-06-06 16:50:27")?, 1_433_609_427);
/// assert_eq!(parse_time("2015-06-06T16:50:27")?, 1_433_609_427);
/// assert_eq!(parse_time("2015-06-06 16:50")?, 1_433_609_400);
/// assert_eq!(
///     parse_time("2015-02-30 10:00:00").unwrap_err().to_string(),
///     "time \"2015-02-30 10:00:00\" is not a wall-clock time YYYY-MM-DD HH:MM:SS"
/// );
/// # Ok::<(), pumppath::cgm::SeriesError>(())
/// ```
pub fn parse_time(text: &str) -> Result<i64, SeriesError> {
    parse_fields(text.as_bytes()).ok_or_else(|| SeriesError::InvalidTime { value: text.to_owned() })
}

fn parse_fields(b: &[u8]) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().try_fold(0i64, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0')))
    };
    let sep = |i: usize, want: &[u8]| b.get(i).is_some_and(|c| want.contains(c));
    if b.len() < 16 || !sep(4, b"-") || !sep(7, b"-") || !sep(10, b" T") || !sep(13, b":") {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    let second = match b.len() {
        16 => 0,
        19.. if sep(16, b":") => {
            let fraction = &b[19..];
            let valid_fraction = fraction.is_empty()
                || (fraction.len() > 1
                    && fraction[0] == b'.'
                    && fraction[1..].iter().all(u8::is_ascii_digit));
            if !valid_fraction {
                return None;
            }
            num(17..19)?
        }
        _ => return None,
    };
    let small = |v: i64| i8::try_from(v).ok();
    // jiff validates the fields (month 1-12, the day within the month, hour < 24, minute and second < 60).
    DateTime::new(
        i16::try_from(year).ok()?,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
        0,
    )
    .ok()?;
    Some(civil_seconds(year, month, day, hour, minute, second))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_at_the_ends_of_the_range() {
        assert_eq!(to_seconds(DateTime::MIN), MIN_SECONDS);
        assert_eq!(from_seconds(MIN_SECONDS).unwrap(), DateTime::MIN);
        assert_eq!(from_seconds(MAX_SECONDS).unwrap().to_string(), "9999-12-31T23:59:59");
        assert!(from_seconds(MIN_SECONDS - 1).is_err());
        assert!(from_seconds(MAX_SECONDS + 1).is_err());
        for s in [-86_401, -1, 0, 951_782_400, 1_433_609_427, 4_107_542_399] {
            assert_eq!(to_seconds(from_seconds(s).unwrap()), s);
        }
    }

    proptest::proptest! {
        #[test]
        fn from_seconds_agrees_with_jiff_arithmetic(s in MIN_SECONDS..=MAX_SECONDS) {
            let jiff = EPOCH.checked_add(jiff::SignedDuration::from_secs(s)).unwrap();
            proptest::prop_assert_eq!(from_seconds(s).unwrap(), jiff);
            proptest::prop_assert_eq!(to_seconds(jiff), s);
        }
    }

    #[test]
    fn rejects_malformed_times() {
        for bad in [
            "",
            "2015-06-06",
            "2015-06-06 16:50:2",
            "2015-06-06 16:50:27Z",
            "2015-06-06 16:50:27+02:00",
            "2015-06-06 16:50:27.",
            "2015/06/06 16:50:27",
            "2015-13-06 16:50:27",
            "2015-06-06 24:00:00",
            "2015-06-06 16:60:00",
            "2015-06-06 16:50:60",
            "+015-06-06 16:50:27",
            "2015-06-06 16:50:27 ",
        ] {
            assert!(parse_time(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_time("2016-02-29T00:00:00.999").unwrap(), 1_456_704_000);
    }
}
