//! A cohort table summarised at once equals its patients summarised one by one, whatever the rows' order.

use pumppath::cgm::{Series, SeriesOptions, to_seconds};
use pumppath::cohort::{self, COLUMNS, CohortOptions, PatientIndex, PatientResult, Value};
use pumppath::glucose::{Targets, Unit};

/// The demo clinic's patients as one long table, their rows dealt out in turn (as a database may return them).
fn interleaved() -> (Vec<&'static str>, Vec<i64>, Vec<f64>, Vec<Series>) {
    let patients: Vec<_> = pumppath::demo::cohort()
        .into_iter()
        .map(|p| (p.id, p.readings().into_iter().map(|(t, v)| (to_seconds(t), v)).collect::<Vec<_>>()))
        .collect();
    let (mut ids, mut times, mut values) = (Vec::new(), Vec::new(), Vec::new());
    let longest = patients.iter().map(|(_, r)| r.len()).max().unwrap();
    for k in 0..longest {
        for (id, readings) in &patients {
            if let Some(&(t, v)) = readings.get(k) {
                ids.push(*id);
                times.push(t);
                values.push(v);
            }
        }
    }
    let series = patients
        .iter()
        .map(|(_, r)| {
            let (t, v): (Vec<i64>, Vec<f64>) = r.iter().copied().unzip();
            Series::from_slices(Unit::MgDl, &t, &v, &SeriesOptions::default()).unwrap()
        })
        .collect();
    (ids, times, values, series)
}

#[test]
fn the_table_equals_its_patients_one_by_one() {
    let (ids, times, values, series) = interleaved();
    let index = PatientIndex::of(ids.iter().copied());
    assert_eq!(index.len(), series.len());
    let rows = cohort::summarize(&index, &times, &values, &CohortOptions::default()).unwrap();
    for (row, series) in rows.iter().zip(&series) {
        let alone = PatientResult::of(series, &Targets::default(), &Default::default());
        assert_eq!(row.as_ref().unwrap(), &alone);
    }
    // Sorted by patient (borrowed ranges, not gathered), the same rows.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by_key(|&r| index.rows()[r]);
    let sorted = cohort::summarize(
        &PatientIndex::of(order.iter().map(|&r| ids[r])),
        &order.iter().map(|&r| times[r]).collect::<Vec<_>>(),
        &order.iter().map(|&r| values[r]).collect::<Vec<_>>(),
        &CohortOptions::default(),
    )
    .unwrap();
    assert_eq!(sorted, rows);
}

#[test]
fn every_column_has_a_cell_of_its_type() {
    let (ids, times, values, _) = interleaved();
    let rows = cohort::summarize(&PatientIndex::of(ids), &times, &values, &CohortOptions::default()).unwrap();
    let error: Result<PatientResult, pumppath::Error> =
        Err(pumppath::cgm::SeriesError::NotIncreasing { index: 0, seconds: 0 }.into());
    for column in COLUMNS {
        for row in [&rows[0], &error] {
            let fits = matches!(
                (column.column_type(), cohort::value(row, *column)),
                (cohort::ColumnType::Count, Value::Count(_))
                    | (cohort::ColumnType::Number, Value::Number(_))
                    | (cohort::ColumnType::Flag, Value::Flag(_))
                    | (cohort::ColumnType::WallClock, Value::WallClock(_))
                    | (cohort::ColumnType::Text, Value::Text(_))
                    | (cohort::ColumnType::TextList, Value::TextList(_))
            );
            assert!(fits, "{column}");
        }
    }
    let names: Vec<&str> = COLUMNS.iter().map(|c| c.as_str()).collect();
    assert_eq!(names[..3], ["readings", "missing", "duplicates"]);
    assert_eq!(names[names.len() - 2..], ["error_code", "error"]);
}
