use std::collections::HashMap;
use std::io::Read;

use super::ReadError;
use super::table::{Table, field};
use crate::cgm::{PatientSeries, SeriesBuilder, SeriesOptions};
use crate::glucose::Unit;

/// Reads the long CGM format `id,time,gl`, many patients in one file, into one series per patient.
///
/// This is the format of R iglu and of most research data sets:
/// - a header naming the columns `id`, `time` and `gl` (in any order); other columns, such as R's unnamed
///   leading row index or a `diagnosis`, are ignored;
/// - `time` is a wall-clock time `YYYY-MM-DD HH:MM:SS` (or with `T`, or without seconds; see
///   [`parse_time`](crate::cgm::parse_time));
/// - `gl` is a number in `unit`; `NA`, `NaN` or an empty field is a missing reading.
///
/// Patients come back in the order they first appear, each with its id. Each patient's readings go through
/// [`Series`](crate::cgm::Series) validation with `options`, in the file's order: with a
/// [`time_zone`](SeriesOptions::time_zone), the hour a clock repeats in autumn is resolved by that order, so
/// the file must list each patient's readings in the device's order (as exports do; patients may
/// interleave). Errors name the line and column ([`ReadError`]); a duplicate time is a [`ReadError::Series`]
/// naming the patient, and an unknown time zone one with an empty id, before any line is read. Pass a string
/// as `text.as_bytes()`.
///
/// ```
/// use pumppath::glucose::Unit;
/// use pumppath::io::read_long_csv;
///
/// let csv = "\
/// \"\",\"id\",\"time\",\"gl\"
/// \"1\",\"Subject 1\",2015-06-06 16:50:27,153
/// \"2\",\"Subject 1\",2015-06-06 17:05:27,NA
/// \"3\",\"Subject 2\",2015-02-24 17:31:29,280
/// \"4\",\"Subject 1\",2015-06-06 16:55:27,137
/// ";
/// let patients = read_long_csv(csv.as_bytes(), Unit::MgDl, &Default::default())?;
/// assert_eq!(patients.len(), 2);
/// let pumppath::cgm::PatientSeries { id, series } = &patients[0];
/// assert_eq!(id, "Subject 1");
/// assert_eq!(series.values(), &[153.0, 137.0]); // sorted by time
/// assert_eq!(series.missing(), 1);
/// # Ok::<(), pumppath::io::ReadError>(())
/// ```
pub fn read_long_csv<R: Read>(
    input: R,
    unit: Unit,
    options: &SeriesOptions,
) -> Result<Vec<PatientSeries>, ReadError> {
    // One builder per patient, each a copy of this one: the zone is resolved once, before reading.
    let template = SeriesBuilder::new(unit, options, 0)
        .map_err(|source| ReadError::Series { id: String::new(), source })?;
    let mut table = Table::open(input)?;
    let is = |want: &'static str| move |name: &str| name.eq_ignore_ascii_case(want);
    let id_at = table.column("id", is("id"))?;
    let time_at = table.column("time", is("time"))?;
    let gl_at = table.column("gl", is("gl"))?;
    let columns = table.reading_columns(time_at, gl_at, false);

    let mut patients: Vec<(String, SeriesBuilder)> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    // Rows are pushed in the file's order, which resolves the repeated autumn hour; builders sort after.
    table.for_each(|line, record| {
        let id = field(record, id_at);
        // Rows of one patient usually come together: look the id up only when it changes.
        let at = match patients.last() {
            Some((last, _)) if last == id => patients.len() - 1,
            _ => *index_of.entry(id.to_owned()).or_insert_with(|| {
                patients.push((id.to_owned(), template.clone()));
                patients.len() - 1
            }),
        };
        columns.push(line, record, &mut patients[at].1)
    })?;
    patients
        .into_iter()
        .map(|(id, builder)| match builder.finish() {
            Ok(series) => Ok(PatientSeries { id, series }),
            Err(source) => Err(ReadError::Series { id, source }),
        })
        .collect()
}
