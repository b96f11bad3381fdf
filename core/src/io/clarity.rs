use std::io::Read;

use super::ReadError;
use super::table::{Table, field};
use crate::cgm::{Series, SeriesBuilder, SeriesOptions};
use crate::glucose::Unit;

const TIMESTAMP: &str = "Timestamp (YYYY-MM-DDThh:mm:ss)";
const EVENT_TYPE: &str = "Event Type";
const GLUCOSE_MG_DL: &str = "Glucose Value (mg/dL)";
const GLUCOSE_MMOL_L: &str = "Glucose Value (mmol/L)";

/// Reads a Dexcom Clarity CSV export into the patient's series.
///
/// Only the estimated glucose value rows (`Event Type` = `EGV`) are read: their `Timestamp
/// (YYYY-MM-DDThh:mm:ss)` and `Glucose Value (mg/dL)` (or `Glucose Value (mmol/L)`, which sets the unit)
/// columns. The patient, device, alert, calibration and other event rows are skipped, and nothing from the
/// patient rows is kept. `Low` and `High` stand at the limits of `options.sensor_range` and count as
/// readings at the sensor limit; an empty value is missing. A UTF-8 byte order mark at the start is skipped.
///
/// Readings are taken in the file's order, the device's: with a [`time_zone`](SeriesOptions::time_zone), the
/// hour a clock repeats in autumn is resolved by it. An unknown time zone is a [`ReadError::Series`] (empty
/// id), reported before the input is read.
///
/// ```
/// use pumppath::glucose::Unit;
/// use pumppath::io::read_clarity_csv;
///
/// let csv = "\
/// Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Glucose Value (mg/dL)
/// 1,,FirstName,,
/// 2,,Alert,Urgent Low,55
/// 3,2026-03-02T08:00:04,EGV,,Low
/// 4,2026-03-02T08:05:04,EGV,,61
/// ";
/// let series = read_clarity_csv(csv.as_bytes(), &Default::default())?;
/// assert_eq!(series.unit(), Unit::MgDl);
/// assert_eq!(series.values(), &[40.0, 61.0]); // Low at the default sensor's 40 mg/dL
/// # Ok::<(), pumppath::io::ReadError>(())
/// ```
pub fn read_clarity_csv<R: Read>(input: R, options: &SeriesOptions) -> Result<Series, ReadError> {
    let builder = |unit| {
        SeriesBuilder::new(unit, options, 0).map_err(|source| ReadError::Series { id: String::new(), source })
    };
    builder(Unit::MgDl)?; // the options (the time zone) are checked before the input is read
    let mut table = Table::open(input)?;
    let event_at = table.column(EVENT_TYPE, |name| name == EVENT_TYPE)?;
    let time_at = table.column(TIMESTAMP, |name| name.starts_with("Timestamp"))?;
    let both = format!("{GLUCOSE_MG_DL} or {GLUCOSE_MMOL_L}");
    let (gl_at, unit) = match table.column(GLUCOSE_MG_DL, |name| name == GLUCOSE_MG_DL) {
        Ok(at) => (at, Unit::MgDl),
        Err(_) => (table.column(&both, |name| name == GLUCOSE_MMOL_L)?, Unit::MmolL),
    };
    let columns = table.reading_columns(time_at, gl_at, true);

    let mut builder = builder(unit)?;
    // Rows are pushed in the file's order, which resolves the repeated autumn hour; the builder sorts after.
    table.for_each(|line, record| {
        if field(record, event_at).trim() != "EGV" {
            return Ok(());
        }
        columns.push(line, record, &mut builder)
    })?;
    builder.finish().map_err(|source| ReadError::Series { id: String::new(), source })
}
