//! Cohorts: many patients' CGM readings in long form (a row per reading: patient, time, glucose), summarised
//! patient by patient, on every core with the `parallel` feature. The Python `summarize_cohort` (Arrow tables)
//! and `pumppath.spark` run this.
//!
//! Each patient's row holds what a notebook would otherwise compute one patient at a time: the consensus
//! [`Summary`], the episode counts ([`Episodes`]) and the "frequently < 70 or > 250" verdict
//! ([`Frequently`]) judged at the patient's last reading, all on the whole of the patient's readings. The
//! columns of that row are [`COLUMNS`]; their names and meanings are the contract of the bindings' tables.
//!
//! ```
//! use pumppath::cohort::{self, CohortOptions, Column, PatientIndex};
//!
//! // Two patients, rows interleaved as a database may return them; one day at 5 minutes each.
//! let mut ids = Vec::new();
//! let (mut times, mut values) = (Vec::new(), Vec::new());
//! for k in 0..288i64 {
//!     // Bob is above 250 mg/dL for three hours in every six.
//!     for (id, value) in [("ann", 110.0), ("bob", if k % 72 < 36 { 260.0 } else { 150.0 })] {
//!         ids.push(id);
//!         times.push(1_772_409_600 + k * 300); // 2026-03-02T00:00:00 wall clock, as seconds
//!         values.push(value);
//!     }
//! }
//! let index = PatientIndex::of(ids.iter().copied());
//! assert_eq!(index.first_rows(), [0, 1]); // patients in the order they first appear
//! let rows = cohort::summarize(&index, &times, &values, &CohortOptions::default())?;
//! let bob = rows[1].as_ref().expect("bob's readings form a series");
//! assert_eq!(bob.summary.percent_above_250, Some(50.0));
//! assert_eq!(bob.value(Column::HyperLevel2Episodes), cohort::Value::Count(Some(4)));
//! assert!(bob.frequently.frequently_high); // one day is too little for the percent tests; the episodes tell
//! assert_eq!(bob.value(Column::Frequently), cohort::Value::TextList(Some(vec!["frequently_high"])));
//! # Ok::<(), pumppath::Error>(())
//! ```

mod columns;
mod error;

use std::collections::HashMap;
use std::hash::Hash;

use crate::Error;
use crate::cgm::{Episodes, Frequently, FrequentlySettings, Series, SeriesOptions, Summary, TimeScale};
use crate::glucose::{Targets, Unit};

pub use columns::{COLUMNS, Column, ColumnType, Value, value};
pub use error::CohortError;

/// Which patient each row of a long-form table belongs to, as dense indices, and each patient's first row.
///
/// Built once from the id column (strings, integers, anything hashable); rows of one patient usually come
/// together, so an id is looked up only when it changes from the row before.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PatientIndex {
    rows: Vec<u32>,
    first_rows: Vec<usize>,
}

impl PatientIndex {
    /// The index of the ids, one per row; patients are numbered in the order they first appear.
    ///
    /// ```
    /// use pumppath::cohort::PatientIndex;
    ///
    /// let index = PatientIndex::of([7, 7, 3, 7, 3]);
    /// assert_eq!((index.rows(), index.first_rows()), (&[0, 0, 1, 0, 1][..], &[0, 2][..]));
    /// ```
    pub fn of<K: Hash + Eq + Copy>(ids: impl IntoIterator<Item = K>) -> PatientIndex {
        let mut index = PatientIndex::default();
        let mut known: HashMap<K, u32> = HashMap::new();
        let mut last: Option<(K, u32)> = None;
        for (row, id) in ids.into_iter().enumerate() {
            let patient = match last {
                Some((previous, patient)) if previous == id => patient,
                _ => *known.entry(id).or_insert_with(|| {
                    index.first_rows.push(row);
                    // More than 4 billion patients in one table is beyond any cohort; they would share the last.
                    u32::try_from(index.first_rows.len() - 1).unwrap_or(u32::MAX)
                }),
            };
            last = Some((id, patient));
            index.rows.push(patient);
        }
        index
    }

    /// Each row's patient.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// Each patient's first row: where a binding takes the patient's id from.
    pub fn first_rows(&self) -> &[usize] {
        &self.first_rows
    }

    /// The number of patients.
    pub fn len(&self) -> usize {
        self.first_rows.len()
    }

    /// Whether the table has no row.
    pub fn is_empty(&self) -> bool {
        self.first_rows.is_empty()
    }

    /// The rows of each patient, in the table's order within a patient: borrowed ranges when every patient's
    /// rows are contiguous (a table sorted or written by patient, the usual layout), else gathered once.
    fn groups(&self) -> Groups {
        let mut contiguous = true;
        let mut ranges = vec![(0usize, 0usize); self.len()];
        let mut seen = vec![false; self.len()];
        let mut start = 0;
        for (row, pair) in self.rows.windows(2).enumerate() {
            if pair[0] != pair[1] {
                contiguous &= close_run(&mut ranges, &mut seen, pair[0], start, row + 1);
                start = row + 1;
            }
        }
        if let Some(&last) = self.rows.last() {
            contiguous &= close_run(&mut ranges, &mut seen, last, start, self.rows.len());
        }
        if contiguous {
            return Groups::Ranges(ranges);
        }
        // A counting sort of the rows by patient: stable, so each patient's rows keep the table's order.
        let mut offsets = vec![0usize; self.len() + 1];
        for &p in &self.rows {
            offsets[p as usize + 1] += 1;
        }
        for k in 0..self.len() {
            offsets[k + 1] += offsets[k];
        }
        let mut next = offsets.clone();
        let mut order = vec![0usize; self.rows.len()];
        for (row, &p) in self.rows.iter().enumerate() {
            order[next[p as usize]] = row;
            next[p as usize] += 1;
        }
        Groups::Gathered { order, offsets }
    }
}

/// Records a run of one patient's rows; false when the patient already had a run (rows not contiguous).
fn close_run(
    ranges: &mut [(usize, usize)],
    seen: &mut [bool],
    patient: u32,
    start: usize,
    end: usize,
) -> bool {
    let p = patient as usize;
    let first = !seen[p];
    seen[p] = true;
    ranges[p] = (start, end);
    first
}

enum Groups {
    Ranges(Vec<(usize, usize)>),
    Gathered { order: Vec<usize>, offsets: Vec<usize> },
}

/// What a cohort table's times are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeBasis {
    /// The devices' wall-clock times encoded as if UTC (a timestamp column without a zone; numpy's naive
    /// `datetime64`), each patient's rows in the device's order, as [`Series::from_slices`] reads them.
    #[default]
    WallClock,
    /// Epoch instants (a timestamp column with a zone), as [`Series::from_epoch`] reads them.
    Instants,
}

/// How a cohort table is read and judged.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortOptions {
    /// The unit of the glucose values.
    pub unit: Unit,
    /// The unit of the times.
    pub time_scale: TimeScale,
    /// Wall-clock times or instants.
    pub time_basis: TimeBasis,
    /// Duplicates, sensor range and time zone, as for one series: with instants the zone is the wall clock the
    /// outputs show; with wall-clock times it is the zone they are resolved in.
    pub series: SeriesOptions,
    /// The targets every patient is judged against (the bindings take one set per cohort).
    pub targets: Targets,
    /// The "frequently" rule's windows and counts.
    pub frequently: FrequentlySettings,
}

impl Default for CohortOptions {
    /// mg/dL, wall-clock seconds, the default series options, the standard targets and settings.
    fn default() -> Self {
        CohortOptions {
            unit: Unit::MgDl,
            time_scale: TimeScale::Seconds,
            time_basis: TimeBasis::WallClock,
            series: SeriesOptions::default(),
            targets: Targets::default(),
            frequently: FrequentlySettings::default(),
        }
    }
}

/// One patient's results: a row of the cohort table.
#[derive(Clone, Debug, PartialEq)]
pub struct PatientResult {
    /// The consensus summary of all the patient's readings, under the cohort's targets.
    pub summary: Summary,
    /// The episodes of all the readings.
    pub episodes: Episodes,
    /// The "frequently" verdict judged at the patient's last reading (without one: on no data).
    pub frequently: Frequently,
}

impl PatientResult {
    /// The results of one series: what `cgm_summary`, `glucose_episodes` and `frequently` (at the last
    /// reading) give for it one by one.
    pub fn of(series: &Series, targets: &Targets, settings: &FrequentlySettings) -> PatientResult {
        let view = series.view();
        let now = view.times().last().copied().unwrap_or(0);
        PatientResult {
            summary: view.summary(targets),
            episodes: view.episodes(),
            frequently: crate::rules::frequently_at_instant(&view, now, targets, settings),
        }
    }
}

/// Every patient's results, in the order of `index` (the order patients first appear): a patient whose
/// readings cannot form a series (an invalid value, a duplicate time, a time out of range) gets its error and
/// the others are summarised. `times` and `values` have a row each, as `index.rows()`; a NaN value is a
/// missing reading.
///
/// Errors for the whole table: columns of different lengths ([`CohortError::LengthMismatch`]) and an
/// unknown time zone in the options.
pub fn summarize(
    index: &PatientIndex,
    times: &[i64],
    values: &[f64],
    options: &CohortOptions,
) -> Result<Vec<Result<PatientResult, Error>>, Error> {
    if times.len() != index.rows().len() || values.len() != index.rows().len() {
        let lengths =
            format!("ids: {}, times: {}, values: {}", index.rows().len(), times.len(), values.len());
        return Err(CohortError::LengthMismatch { lengths }.into());
    }
    // The zone once, for the table: not the same error on every patient's row.
    crate::cgm::resolve_zone(options.series.time_zone.as_deref())?;
    let one = |times: &[i64], values: &[f64]| -> Result<PatientResult, Error> {
        let series = match options.time_basis {
            TimeBasis::WallClock => {
                let seconds: Vec<i64>;
                let times = if options.time_scale == TimeScale::Seconds {
                    times
                } else {
                    seconds = times.iter().map(|&t| options.time_scale.to_unix_seconds(t)).collect();
                    &seconds
                };
                Series::from_slices(options.unit, times, values, &options.series)?
            }
            TimeBasis::Instants => {
                Series::from_epoch(options.unit, times, options.time_scale, values, &[], &options.series)?
            }
        };
        Ok(PatientResult::of(&series, &options.targets, &options.frequently))
    };
    Ok(match index.groups() {
        Groups::Ranges(ranges) => {
            crate::parallel::map(&ranges, |&(start, end)| one(&times[start..end], &values[start..end]))
        }
        Groups::Gathered { order, offsets } => {
            let bounds: Vec<(usize, usize)> = offsets.windows(2).map(|w| (w[0], w[1])).collect();
            crate::parallel::map(&bounds, |&(start, end)| {
                let rows = &order[start..end];
                let times: Vec<i64> = rows.iter().map(|&r| times[r]).collect();
                let values: Vec<f64> = rows.iter().map(|&r| values[r]).collect();
                one(&times, &values)
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaved_rows_are_gathered_in_their_order() {
        let index = PatientIndex::of(["a", "b", "a", "b", "a"]);
        let Groups::Gathered { order, offsets } = index.groups() else { panic!("interleaved rows") };
        assert_eq!((order, offsets), (vec![0, 2, 4, 1, 3], vec![0, 3, 5]));
        // Contiguous rows are borrowed as ranges, a patient coming back later is not contiguous.
        let Groups::Ranges(ranges) = PatientIndex::of(["a", "a", "b"]).groups() else { panic!("contiguous") };
        assert_eq!(ranges, [(0, 2), (2, 3)]);
        assert!(matches!(PatientIndex::of(["a", "b", "a"]).groups(), Groups::Gathered { .. }));
        assert!(matches!(PatientIndex::of(Vec::<u8>::new()).groups(), Groups::Ranges(r) if r.is_empty()));
    }

    #[test]
    fn a_bad_patient_gets_its_error_and_the_others_their_results() {
        let index = PatientIndex::of([1, 1, 2, 2]);
        let rows =
            summarize(&index, &[0, 300, 0, 0], &[100.0, 110.0, 120.0, 130.0], &CohortOptions::default())
                .expect("the table's columns are fine");
        assert_eq!(rows[0].as_ref().map(|r| r.summary.readings), Ok(2));
        let err = rows[1].as_ref().expect_err("patient 2 has a duplicate time");
        assert_eq!(err.code().as_str(), "duplicate_time");
        let short = summarize(&index, &[0], &[1.0], &CohortOptions::default()).expect_err("lengths differ");
        assert_eq!(short.to_string(), "the columns differ in length: ids: 4, times: 1, values: 1");
    }
}
