//! Readers of CGM exports: our own small fixtures, malformed lines, and the shared real files as smoke tests.
// Helpers outside #[test] functions unwrap too: a failed unwrap is a failed test.

use pumppath::cgm::{DuplicatePolicy, SeriesError, SeriesOptions, Summary, parse_time};
use pumppath::glucose::{Targets, Unit};
use pumppath::io::{ReadError, read_clarity_csv, read_long_csv};

use crate::common;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn shared(name: &str) -> Option<Vec<u8>> {
    let path = format!("{}/../../shared/data/cgm/{name}", env!("CARGO_MANIFEST_DIR"));
    common::read_shared(&path)
}

fn long_fixture(name: &str, unit: Unit) -> Vec<pumppath::cgm::PatientSeries> {
    read_long_csv(fixture(name).as_slice(), unit, &SeriesOptions::default()).unwrap()
}

fn band_sum(s: &Summary) -> f64 {
    s.band_percents().unwrap().iter().sum()
}

fn long(text: &str) -> Result<Vec<pumppath::cgm::PatientSeries>, ReadError> {
    read_long_csv(text.as_bytes(), Unit::MgDl, &SeriesOptions::default())
}

fn t(text: &str) -> i64 {
    parse_time(text).unwrap()
}

#[test]
fn long_format_with_an_index_column_groups_patients_in_first_seen_order() {
    let patients = long_fixture("long_with_index.csv", Unit::MgDl);
    let ids: Vec<&str> = patients.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p-07", "p-12"]);
    let p07 = &patients[0].series;
    assert_eq!(p07.values(), &[142.0, 151.0, 166.0, 183.0]);
    assert_eq!(p07.missing(), 1);
    assert_eq!(p07.times()[0], t("2026-01-10 06:00:41"));
    let p12 = &patients[1].series;
    assert_eq!(p12.values(), &[64.0, 58.0, 71.0]);
    let s = p12.view().summary(&Targets::default());
    assert_eq!(s.percent_low, Some(2.0 / 3.0 * 100.0));
}

#[test]
fn long_format_without_index_accepts_iso_times_missing_seconds_and_empty_values() {
    let patients = long_fixture("long_plain.csv", Unit::MmolL);
    let pumppath::cgm::PatientSeries { id, series: a } = &patients[0];
    assert_eq!(id, "A");
    assert_eq!(a.unit(), Unit::MmolL);
    assert_eq!(a.values(), &[5.6, 6.1, 11.2]);
    assert_eq!(a.times(), &[t("2026-02-01 07:00:00"), t("2026-02-01 07:05:00"), t("2026-02-01 07:15:00")]);
    assert_eq!(a.missing(), 1);
    let b = &patients[1].series;
    assert_eq!(b.values(), &[2.8, 3.4]); // sorted by time
    assert_eq!(b.view().summary(&Targets::default()).percent_very_low, Some(50.0));
}

#[test]
fn malformed_long_lines_name_line_column_and_value() {
    let cases = [
        (
            "id,time,gl\nA,2026-02-01 07:00:00,100\nA,2026-02-01 07:05:00\n",
            "line 3: malformed CSV: 2 fields where the header has 3",
        ),
        (
            "id,time,gl\nA,2026-02-01 07:00:00,100\nA,01/02/2026 07:05,110\n",
            "line 3, column \"time\": time \"01/02/2026 07:05\" is not a wall-clock time YYYY-MM-DD HH:MM:SS",
        ),
        (
            "id,time,gl\nA,2026-02-01 07:00:00,100\n\nA,2026-02-01 07:05:00,-4\n",
            "line 4, column \"gl\": glucose value \"-4\" is not positive",
        ),
        (
            "id,time,gl\nA,2026-02-01 07:00:00,1e9\n",
            "line 2, column \"gl\": glucose value \"1e9\" is above the plausible maximum of 1000 mg/dL (55.5 mmol/L)",
        ),
        ("\"\",id,time,glucose\n1,A,2026-02-01 07:00:00,1\n", "line 1: the header has no column \"gl\""),
        ("", "line 1: the header has no column \"id\""),
        (
            "id,time,gl\nA,2026-02-01 07:00:00,100\nB,2026-02-01 07:00:00,100\nA,2026-02-01 07:00:00,104\n",
            "patient \"A\": 2 readings at 2026-02-01T07:00:00: duplicate times are an error by default. To keep \
             every reading, give them in the device's order (a clock set back in autumn repeats an hour) with the \
             device's time_zone; to merge them, choose the duplicates policy keep_first or mean",
        ),
    ];
    for (text, message) in cases {
        let err = long(text).unwrap_err();
        assert_eq!(err.to_string(), message, "{text:?}");
        assert_eq!(pumppath::Error::from(err).kind(), "ReadError");
    }
    let err = long("id,time,gl\nA,2026-02-01 07:00:00,\"10\n").unwrap_err();
    assert!(matches!(err, ReadError::InvalidValue { line: 2, .. }), "{err:?}");
    let bad_utf8 = b"id,time,gl\nA,2026-02-01 07:00:00,1\xff0\n";
    let err = read_long_csv(&bad_utf8[..], Unit::MgDl, &SeriesOptions::default()).unwrap_err();
    assert!(matches!(err, ReadError::Csv { line: 2, .. }), "{err:?}");

    let dup = "id,time,gl\nA,2026-02-01 07:00:00,100\nA,2026-02-01 07:00:00,104\n";
    let mean = SeriesOptions { duplicates: DuplicatePolicy::Mean, ..Default::default() };
    let patients = read_long_csv(dup.as_bytes(), Unit::MgDl, &mean).unwrap();
    assert_eq!(patients[0].series.values(), &[102.0]);
    assert_eq!(patients[0].series.duplicates(), 1);
    match long(dup).unwrap_err() {
        ReadError::Series { id, source: SeriesError::DuplicateTime { count: 2, .. } } => assert_eq!(id, "A"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn clarity_reads_egv_rows_only_with_sensor_limits() {
    let series =
        read_clarity_csv(fixture("clarity_small.csv").as_slice(), &SeriesOptions::default()).unwrap();
    assert_eq!(series.unit(), Unit::MgDl);
    assert_eq!(series.values(), &[400.0, 388.0, 301.0, 96.0, 40.0, 44.0]);
    assert_eq!(series.times()[0], t("2026-03-01 23:50:12"));
    assert_eq!(series.missing(), 1);
    let s = series.view().summary(&Targets::default());
    assert_eq!(s.at_sensor_limit, 2);
    assert_eq!(s.percent_very_high, Some(50.0));

    let mmol = read_clarity_csv(fixture("clarity_mmol.csv").as_slice(), &SeriesOptions::default()).unwrap();
    assert_eq!(mmol.unit(), Unit::MmolL);
    assert_eq!(mmol.values()[0], 7.4);
    assert!((mmol.values()[1] - 40.0 / 18.01559).abs() < 1e-12);
}

#[test]
fn malformed_clarity_lines_name_line_column_and_value() {
    let header = "Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Glucose Value (mg/dL)\n";
    let cases = [
        (
            "1,2026-03-02T08:00:00,EGV,101\n2,2026-03-02T08:05,EGV,LOW\n",
            "line 3, column \"Glucose Value (mg/dL)\": glucose value \"LOW\" is not a number",
        ),
        (
            "1,,EGV,101\n",
            "line 2, column \"Timestamp (YYYY-MM-DDThh:mm:ss)\": time \"\" is not a wall-clock time YYYY-MM-DD HH:MM:SS",
        ),
        ("1,,Alert,High,55\n", "line 2: malformed CSV: 5 fields where the header has 4"),
    ];
    for (rows, message) in cases {
        let err =
            read_clarity_csv(format!("{header}{rows}").as_bytes(), &SeriesOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), message);
    }
    let err = read_clarity_csv(
        "Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Glucose\n".as_bytes(),
        &SeriesOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1: the header has no column \"Glucose Value (mg/dL) or Glucose Value (mmol/L)\""
    );
}

#[test]
fn the_clarity_sample_export_reads_and_summarises() {
    let Some(bytes) = shared("dexcom_clarity_export_sample.csv") else {
        return;
    };
    let series = read_clarity_csv(bytes.as_slice(), &SeriesOptions::default()).unwrap();
    assert_eq!(series.len(), 2148);
    assert_eq!((series.missing(), series.duplicates()), (0, 0));
    let s = series.view().summary(&Targets::default());
    assert_eq!(s.first.unwrap().to_string(), "2016-10-24T11:24:17");
    assert_eq!(s.last.unwrap().to_string(), "2016-11-01T09:19:02");
    assert_eq!(s.sampling_minutes, Some(5));
    assert!((band_sum(&s) - 100.0).abs() < 1e-9);
    let mean = s.mean.unwrap();
    assert!((40.0..400.0).contains(&mean), "{mean}");
    let active = s.active_percent.unwrap();
    assert!(active > 50.0 && active <= 100.0, "{active}");
    assert_eq!(s.insufficient_reasons, [pumppath::cgm::InsufficientReason::TooFewDays]);
}

/// Values of the Python reimplementation of R iglu's algorithm (not R itself: no R output exists for this file),
/// in /work/notes/iglu-reference.json, `hall_2018_19_subjects.spec_reimplementation`.
const HALL_SPEC: [(&str, f64, f64); 3] = [
    ("1636-69-001", 108.22860238353196, 1.5135861989800101),
    ("1636-69-026", 115.15590200445435, 88.25552825552826),
    ("1636-69-032", 108.3157599551318, 99.9439461883408),
];

#[test]
fn the_hall_study_reads_and_summarises() {
    let Some(bytes) = shared("hall_2018_19_subjects.csv") else {
        return;
    };
    let patients = read_long_csv(bytes.as_slice(), Unit::MgDl, &SeriesOptions::default()).unwrap();
    assert_eq!(patients.len(), 19);
    assert_eq!(patients.iter().map(|p| p.series.len()).sum::<usize>(), 34_890);
    for pumppath::cgm::PatientSeries { id, series } in &patients {
        let s = series.view().summary(&Targets::default());
        assert!((band_sum(&s) - 100.0).abs() < 1e-9, "{id}");
        assert!(s.first < s.last, "{id}");
        assert!(s.active_percent.is_some_and(|p| p > 0.0 && p <= 100.0), "{id}");
        assert!(series.view().agp(15).is_ok());
    }
    for (id, mean, active) in HALL_SPEC {
        let series = &patients.iter().find(|p| p.id == *id).unwrap().series;
        let s = series.view().summary(&Targets::default());
        assert!((s.mean.unwrap() - mean).abs() <= 1e-9 * mean, "{id} mean");
        assert!((s.active_percent.unwrap() - active).abs() <= 1e-9, "{id} active_percent");
    }
}
