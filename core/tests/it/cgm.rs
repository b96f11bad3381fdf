//! CGM series and metrics: construction, windows, the summary against R iglu, the AGP, and properties.
// Helpers outside #[test] functions unwrap too: a failed unwrap is a failed test.

use jiff::Timestamp;
use jiff::civil::date;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use pumppath::cgm::*;
use pumppath::glucose::*;

use crate::common;

const MIN5: i64 = 300;
const DAY: i64 = 86_400;

/// The instant of `seconds` (zoneless series are read in UTC).
fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap()
}

fn mg_dl(times: &[i64], values: &[f64]) -> Series {
    Series::from_slices(Unit::MgDl, times, values, &SeriesOptions::default()).unwrap()
}

fn every_5_min(n: usize) -> Vec<i64> {
    (0..n as i64).map(|k| k * MIN5).collect()
}

fn with_duplicates(duplicates: DuplicatePolicy) -> SeriesOptions {
    SeriesOptions { duplicates, ..Default::default() }
}

// ---------------------------------------------------------------------------------------------------------
// Building a series
// ---------------------------------------------------------------------------------------------------------

#[test]
fn series_sorts_and_drops_missing_values_with_their_count() {
    let s = mg_dl(&[900, 0, 600, 300, 1200], &[140.0, 100.0, f64::NAN, 110.0, f64::NAN]);
    assert_eq!(s.times(), &[0, 300, 900]);
    assert_eq!(s.values(), &[100.0, 110.0, 140.0]);
    assert_eq!((s.len(), s.missing(), s.duplicates()), (3, 2, 0));
    assert!(!s.is_empty());
    let readings: Vec<_> = s.readings().collect();
    assert_eq!(readings[2], (date(1970, 1, 1).at(0, 15, 0, 0), 140.0));
}

#[test]
fn duplicate_times_follow_the_policy() {
    let times = [600, 0, 300, 300, 300, 900, 600];
    let values = [130.0, 100.0, 110.0, 125.0, 120.0, 150.0, 134.0];
    let err = Series::from_slices(Unit::MgDl, &times, &values, &SeriesOptions::default()).unwrap_err();
    assert_eq!(err, SeriesError::DuplicateTime { time: date(1970, 1, 1).at(0, 5, 0, 0), count: 3 });
    assert_eq!(
        err.to_string(),
        "3 readings at 1970-01-01T00:05:00: duplicate times are an error by default. To keep every reading, \
         give them in the device's order (a clock set back in autumn repeats an hour) with the device's \
         time_zone; to merge them, choose the duplicates policy keep_first or mean"
    );

    let first =
        Series::from_slices(Unit::MgDl, &times, &values, &with_duplicates(DuplicatePolicy::KeepFirst))
            .unwrap();
    assert_eq!(first.times(), &[0, 300, 600, 900]);
    assert_eq!(first.values(), &[100.0, 110.0, 130.0, 150.0]);
    assert_eq!(first.duplicates(), 3);

    let mean =
        Series::from_slices(Unit::MgDl, &times, &values, &with_duplicates(DuplicatePolicy::Mean)).unwrap();
    assert_eq!(mean.values(), &[100.0, 355.0 / 3.0, 132.0, 150.0]);
    assert_eq!(mean.view().summary(&Targets::default()).duplicates, 3);

    for (policy, wire) in [
        (DuplicatePolicy::Error, "\"error\""),
        (DuplicatePolicy::KeepFirst, "\"keep_first\""),
        (DuplicatePolicy::Mean, "\"mean\""),
    ] {
        assert_eq!(serde_json::to_string(&policy).unwrap(), wire);
    }
}

#[test]
fn invalid_readings_are_errors_naming_the_index() {
    let o = SeriesOptions::default();
    let err =
        Series::from_slices(Unit::MgDl, &[0, 300, 600], &[100.0, 120.0, f64::INFINITY], &o).unwrap_err();
    assert_eq!(err.to_string(), "readings[2]: glucose value inf mg/dL is infinite");
    let err = Series::from_slices(Unit::MmolL, &[0, 300], &[5.0, 60.0], &o).unwrap_err();
    assert!(matches!(
        err,
        SeriesError::InvalidValue {
            index: 1,
            source: GlucoseError::InvalidValue { problem: ValueProblem::AbovePlausible, .. }
        }
    ));
    let err = Series::from_slices(Unit::MgDl, &[0, i64::MAX], &[100.0, 100.0], &o).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("readings[1]: time {} s is outside the years -9999 to 9999", i64::MAX)
    );
    let err = Series::from_slices(Unit::MgDl, &[0, 300], &[100.0], &o).unwrap_err();
    assert_eq!(err, SeriesError::LengthMismatch { times: 2, values: 1 });

    let err = pumppath::Error::from(err);
    assert_eq!(err.kind(), "SeriesError");
}

#[test]
fn sensor_limits_stand_at_the_range_and_are_counted() {
    let t = date(2026, 3, 2).at(8, 0, 0, 0);
    let at = |minutes: i64| t.checked_add(jiff::SignedDuration::from_mins(minutes)).unwrap();
    let readings = [
        (at(0), GlucoseValue::Limit(SensorLimit::High)),
        (at(5), GlucoseValue::Measured(398.0)),
        (at(10), GlucoseValue::Measured(400.0)),
        (at(15), GlucoseValue::Limit(SensorLimit::Low)),
        (at(20), GlucoseValue::Measured(f64::NAN)),
    ];
    let series = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default()).unwrap();
    assert_eq!(series.values(), &[400.0, 398.0, 400.0, 40.0]);
    let s = series.view().summary(&Targets::default());
    assert_eq!((s.readings, s.missing, s.at_sensor_limit), (4, 1, 3));
    assert_eq!(s.first, Some(at(0)));
    assert_eq!(s.last, Some(at(15)));

    let libre = SeriesOptions {
        sensor_range: SensorRange::new(Unit::MgDl, 40.0, 500.0).unwrap(),
        ..Default::default()
    };
    let pairs = [(at(0), 200.0), (at(5), 450.0)];
    let series = Series::from_readings(Unit::MgDl, pairs, &libre).unwrap();
    assert_eq!(series.view().summary(&Targets::default()).at_sensor_limit, 0);
}

#[test]
fn views_over_clean_slices_copy_nothing_and_check_everything() {
    let times = every_5_min(4);
    let values = [100.0, 110.0, 120.0, 130.0];
    let view = SeriesView::from_sorted(Unit::MgDl, &times, &values, SensorRange::default()).unwrap();
    assert!(std::ptr::eq(view.times(), times.as_slice()));
    assert_eq!(view.summary(&Targets::default()), mg_dl(&times, &values).view().summary(&Targets::default()));
    let err =
        SeriesView::from_sorted(Unit::MgDl, &times, &[100.0, f64::NAN, 1.0, 1.0], SensorRange::default());
    assert!(matches!(err, Err(SeriesError::InvalidValue { index: 1, .. })));
    let err = SeriesView::from_sorted(Unit::MgDl, &[0, 1], &[100.0], SensorRange::default());
    assert!(matches!(err, Err(SeriesError::LengthMismatch { .. })));
}

#[test]
fn windows_cut_readings_missing_values_and_duplicates_by_time() {
    let times = [0, DAY, DAY, 2 * DAY, 3 * DAY, 4 * DAY];
    let values = [100.0, 110.0, 112.0, f64::NAN, 130.0, 140.0];
    let series =
        Series::from_slices(Unit::MgDl, &times, &values, &with_duplicates(DuplicatePolicy::Mean)).unwrap();
    let w = series.view().window(at(DAY), at(3 * DAY), &TimeZone::UTC);
    assert_eq!(w.times(), &[DAY]);
    assert_eq!(w.values(), &[111.0]);
    assert_eq!((w.missing(), w.duplicates()), (1, 1));
    assert_eq!(series.view().window(at(3 * DAY), at(DAY), &TimeZone::UTC).len(), 0);
    assert_eq!(series.view().window(Timestamp::MIN, Timestamp::MAX, &TimeZone::UTC).len(), 4);

    let last = series.view().last_days(2);
    assert_eq!(last.times(), &[3 * DAY, 4 * DAY]); // (4d - 2d, 4d]: day 2 is excluded
    assert_eq!(last.missing(), 0);
    assert_eq!(last.first_time(), Some(date(1970, 1, 4).at(0, 0, 0, 0)));
    let nested = last.window(at(4 * DAY), at(5 * DAY), &TimeZone::UTC);
    assert_eq!(nested.values(), &[140.0]);
    let empty = mg_dl(&[], &[]);
    assert!(empty.view().last_days(14).is_empty());
}

// ---------------------------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------------------------

#[test]
fn summary_of_nothing_and_of_one_reading() {
    let s = mg_dl(&[], &[]).view().summary(&Targets::default());
    assert_eq!(s.readings, 0);
    assert_eq!((s.mean, s.sd, s.gmi, s.percent_in_range, s.active_percent), (None, None, None, None, None));
    assert_eq!(s.first, None);
    assert_eq!(s.insufficient_reasons, [InsufficientReason::TooFewDays, InsufficientReason::TooLittleWear]);

    let s = mg_dl(&[0], &[150.0]).view().summary(&Targets::default());
    assert_eq!((s.mean, s.sd, s.cv), (Some(150.0), None, None));
    assert_eq!(s.span_days, Some(0.0));
    assert_eq!(s.percent_in_range, Some(100.0));
    assert_eq!(s.active_percent, None);
    assert!(!s.sufficient);
}

#[test]
fn summary_follows_the_definitions() {
    // 10 readings every 5 minutes, then a 1-hour hole, then 10 more.
    let mut times = every_5_min(10);
    times.extend((0..10).map(|k| 9 * MIN5 + 3600 + k * MIN5));
    let values: Vec<f64> = [45.0, 54.0, 69.0, 70.0, 180.0, 181.0, 250.0, 251.0, 63.0, 140.0]
        .iter()
        .chain(&[100.0; 10])
        .copied()
        .collect();
    let s = mg_dl(&times, &values).view().summary(&Targets::default());
    let n = 20.0;
    let pct = |count: f64| count / n * 100.0;
    assert_eq!(s.percent_very_low, Some(pct(1.0)));
    assert_eq!(s.percent_low, Some(pct(3.0))); // 54, 69, 63
    assert_eq!(s.percent_in_range, Some(pct(13.0)));
    assert_eq!(s.percent_high, Some(pct(2.0)));
    assert_eq!(s.percent_very_high, Some(pct(1.0)));
    assert_eq!(s.percent_below_54, Some(pct(1.0)));
    assert_eq!(s.percent_below_70, Some(pct(4.0)));
    assert_eq!(s.percent_above_180, Some(pct(3.0)));
    assert_eq!(s.percent_above_250, Some(pct(1.0)));
    assert_eq!(s.percent_in_range_63_140, Some(pct(14.0))); // 69, 70, 63, 140 and the ten 100s

    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    assert!((s.mean.unwrap() - mean).abs() < 1e-12);
    assert!((s.sd.unwrap() - sd).abs() < 1e-12);
    assert!((s.cv.unwrap() - sd / mean * 100.0).abs() < 1e-12);
    assert!((s.gmi.unwrap() - (3.31 + 0.02392 * mean)).abs() < 1e-12);

    // Span 9*5 + 60 + 9*5 = 150 minutes: 31 expected readings, the hole misses 11.
    assert_eq!(s.sampling_minutes, Some(5));
    assert_eq!(s.active_percent, Some(20.0 / 31.0 * 100.0));
    assert_eq!(s.span_days, Some(150.0 / 1440.0));
}

#[test]
fn targets_move_the_bands_but_not_the_named_thresholds() {
    let times = every_5_min(4);
    let values = [60.0, 100.0, 150.0, 200.0];
    let series = mg_dl(&times, &values);
    let standard = series.view().summary(&Targets::default());
    let pregnancy = series.view().summary(&TargetPreset::PregnancyType1.into());
    assert_eq!(pregnancy.targets, "pregnancy_type1");
    assert_eq!(standard.percent_in_range, Some(50.0));
    assert_eq!(pregnancy.percent_in_range, Some(25.0));
    assert_eq!(pregnancy.percent_high, Some(50.0));
    assert_eq!(pregnancy.percent_above_180, standard.percent_above_180);
    assert_eq!(pregnancy.percent_in_range_63_140, Some(25.0));
}

#[test]
fn mmol_l_series_use_native_thresholds_and_convert_for_gmi() {
    let times = every_5_min(6);
    let values = [2.9, 3.0, 3.85, 3.9, 10.05, 14.0];
    let s = Series::from_slices(Unit::MmolL, &times, &values, &SeriesOptions::default())
        .unwrap()
        .view()
        .summary(&Targets::default());
    assert_eq!(s.unit, Unit::MmolL);
    let pct = |c: f64| Some(c / 6.0 * 100.0);
    assert_eq!(s.percent_below_54, pct(1.0));
    assert_eq!(s.percent_below_70, pct(3.0));
    assert_eq!(s.percent_in_range, pct(1.0));
    assert_eq!(s.percent_above_180, pct(2.0));
    assert_eq!(s.percent_above_250, pct(1.0));
    assert_eq!(s.percent_in_range_63_140, pct(2.0)); // 3.85 and 3.9
    let mean = values.iter().sum::<f64>() / 6.0;
    assert!((s.gmi.unwrap() - (3.31 + 0.02392 * mean * MG_DL_PER_MMOL_L)).abs() < 1e-12);
}

#[test]
fn sufficiency_needs_14_days_and_70_percent_wear() {
    let targets = Targets::default();
    let full = mg_dl(&every_5_min(4032), &[120.0; 4032]).view().summary(&targets);
    assert!(full.sufficient, "{full:?}");
    assert!(full.insufficient_reasons.is_empty());

    let short = mg_dl(&every_5_min(4031), &[120.0; 4031]).view().summary(&targets);
    assert_eq!(short.insufficient_reasons, [InsufficientReason::TooFewDays]);

    // 14 days with every other 2-hour block missing: about 50 % wear.
    let times: Vec<i64> =
        every_5_min(4032).into_iter().filter(|t| (t / 7200) % 2 == 0).chain([4031 * MIN5]).collect();
    let patchy = mg_dl(&times, &vec![120.0; times.len()]).view().summary(&targets);
    assert_eq!(patchy.insufficient_reasons, [InsufficientReason::TooLittleWear]);
    assert!((patchy.active_percent.unwrap() - 50.0).abs() < 0.1);
    assert_eq!(serde_json::to_string(&patchy.insufficient_reasons).unwrap(), "[\"too_little_wear\"]");
}

#[test]
fn summary_wire_format_has_the_issue_s_names() {
    let s = mg_dl(&every_5_min(3), &[100.0, 120.0, 140.0]).view().summary(&Targets::default());
    let json = serde_json::to_value(&s).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "unit",
        "targets",
        "readings",
        "missing",
        "duplicates",
        "at_sensor_limit",
        "first",
        "last",
        "span_days",
        "sampling_minutes",
        "mean",
        "sd",
        "cv",
        "gmi",
        "percent_very_low",
        "percent_low",
        "percent_in_range",
        "percent_high",
        "percent_very_high",
        "percent_below_54",
        "percent_below_70",
        "percent_above_180",
        "percent_above_250",
        "percent_in_range_63_140",
        "active_percent",
        "period",
        "sufficient",
        "insufficient_reasons",
    ];
    expected.sort_unstable();
    let mut keys_sorted = keys.clone();
    keys_sorted.sort_unstable();
    assert_eq!(keys_sorted, expected);
    assert_eq!(json["last"], "1970-01-01T00:10:00");
    assert_eq!(json["targets"], "standard");
    let back: Summary = serde_json::from_value(json).unwrap();
    assert_eq!(back, s);
}

// ---------------------------------------------------------------------------------------------------------
// AGP
// ---------------------------------------------------------------------------------------------------------

/// R's quantile type 7, written out plainly.
fn type7(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let h = (v.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    v[lo] + (h - h.floor()) * (v[hi] - v[lo])
}

#[test]
fn agp_bins_overlay_the_days_and_interpolate_percentiles() {
    let times: Vec<i64> = (0..14 * 288).map(|k| k * MIN5 + 7).collect();
    let values: Vec<f64> = (0..times.len()).map(|k| 60.0 + ((k * 37) % 200) as f64).collect();
    let series = mg_dl(&times, &values);
    let agp = series.view().agp(DEFAULT_AGP_BIN_MINUTES).unwrap();
    assert_eq!(agp.bins.len(), 96);
    assert_eq!(agp.bins.iter().map(|b| b.readings).sum::<u64>(), times.len() as u64);
    let bin = &agp.bins[50];
    let in_bin: Vec<f64> =
        times.iter().zip(&values).filter(|(t, _)| (*t % DAY) / 900 == 50).map(|(_, v)| *v).collect();
    assert_eq!(bin.readings, 42);
    assert_eq!(bin.start.to_string(), "12:30:00");
    for (got, p) in [bin.p5, bin.p25, bin.p50, bin.p75, bin.p95].into_iter().zip(AGP_PERCENTILES) {
        assert_eq!(got, Some(type7(&in_bin, p / 100.0)));
    }
    assert!(bin.p5 <= bin.p25 && bin.p25 <= bin.p50 && bin.p50 <= bin.p75 && bin.p75 <= bin.p95);

    // Readings before 1970 fall in the right time of day too.
    let before = mg_dl(&[-DAY + 3600], &[99.0]).view().agp(60).unwrap();
    assert_eq!(before.bins[1].p50, Some(99.0));
    for bad in [0, 7, 1441, 2880] {
        assert_eq!(series.view().agp(bad).unwrap_err(), SeriesError::InvalidBinMinutes { value: bad });
    }
    let json = serde_json::to_value(&agp).unwrap();
    assert_eq!(json["bins"][0]["start"], "00:00:00");
    assert_eq!(json["unit"], "mg/dL");
}

// ---------------------------------------------------------------------------------------------------------
// R iglu on its own example data, and the pinned fixture
// ---------------------------------------------------------------------------------------------------------

const FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iglu_example_5_subject.metrics.json");
const IGLU_DATA: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/cgm/iglu_example_5_subject.csv");

fn fixture() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap()
}

fn close(what: &str, ours: f64, theirs: f64, relative: bool) {
    let scale = if relative { theirs.abs().max(f64::MIN_POSITIVE) } else { 1.0 };
    assert!((ours - theirs).abs() / scale <= 1e-9, "{what}: pumppath {ours} vs R {theirs}");
}

/// Compares a summary with R iglu's values: mean and SD (and CV, GMI) to 1e-9 relative, percents to 1e-9.
fn assert_matches_r(id: &str, s: &Summary, r: &serde_json::Value) {
    let r = |key: &str| r[key].as_f64().unwrap_or_else(|| panic!("{id}: R value {key}"));
    let got = |what: &str, v: Option<f64>| v.unwrap_or_else(|| panic!("{id}: no {what}"));
    let rel = [("mean", s.mean, "mean"), ("sd", s.sd, "SD"), ("cv", s.cv, "CV"), ("gmi", s.gmi, "GMI")];
    for (what, ours, theirs) in rel {
        close(&format!("{id} {what}"), got(what, ours), r(theirs), true);
    }
    let abs = [
        ("percent_in_range", s.percent_in_range, r("in_range_70_180")),
        ("percent_in_range_63_140", s.percent_in_range_63_140, r("in_range_63_140")),
        ("percent_below_54", s.percent_below_54, r("below_54")),
        ("percent_very_low", s.percent_very_low, r("below_54")),
        ("percent_below_70", s.percent_below_70, r("below_70")),
        ("percent_low", s.percent_low, r("below_70") - r("below_54")),
        ("percent_above_180", s.percent_above_180, r("above_180")),
        ("percent_above_250", s.percent_above_250, r("above_250")),
        ("percent_very_high", s.percent_very_high, r("above_250")),
        ("percent_high", s.percent_high, r("above_180") - r("above_250")),
        ("active_percent", s.active_percent, r("active_percent")),
    ];
    for (what, ours, theirs) in abs {
        close(&format!("{id} {what}"), got(what, ours), theirs, false);
    }
    let days = got("span_days", s.span_days);
    assert_eq!(format!("{days:.1}").parse::<f64>().unwrap(), r("ndays"), "{id} ndays");
}

#[test]
fn pinned_fixture_matches_r_iglu() {
    let fixture = fixture();
    let subjects = fixture["subjects"].as_array().unwrap();
    assert_eq!(subjects.len(), 5);
    for subject in subjects {
        let id = subject["id"].as_str().unwrap();
        let ours: Summary = serde_json::from_value(subject["pumppath"].clone())
            .unwrap_or_else(|e| panic!("{id}: pinned pumppath summary: {e}"));
        let r = &subject["r_iglu_4_2_2"];
        assert_matches_r(id, &ours, r);
        for (ours, key) in [(ours.first, "start_date"), (ours.last, "end_date")] {
            let theirs = r[key].as_str().unwrap().replace(' ', "T");
            assert_eq!(ours.map(|t| t.to_string()), Some(theirs), "{id} {key}");
        }
    }
}

#[test]
fn iglu_example_data_reproduces_the_fixture_and_r_iglu() {
    let Some(bytes) = common::read_shared(IGLU_DATA) else {
        return;
    };
    let patients =
        pumppath::io::read_long_csv(bytes.as_slice(), Unit::MgDl, &SeriesOptions::default()).unwrap();
    let targets = Targets::default();
    let summaries: Vec<(String, Summary)> =
        patients.iter().map(|p| (p.id.clone(), p.series.view().summary(&targets))).collect();
    assert_eq!(summaries.iter().map(|(_, s)| s.readings).sum::<u64>(), 13_866);

    let mut fixture = fixture();
    common::bless(FIXTURE, &mut fixture, "pumppath", &summaries);
    for (subject, (id, s)) in fixture["subjects"].as_array().unwrap().iter().zip(&summaries) {
        assert_eq!(subject["id"], id.as_str());
        assert_matches_r(id, s, &subject["r_iglu_4_2_2"]);
        let pinned: Summary = serde_json::from_value(subject["pumppath"].clone()).unwrap();
        assert_eq!(
            (pinned.readings, pinned.missing, pinned.duplicates, pinned.at_sensor_limit),
            (s.readings, s.missing, s.duplicates, s.at_sensor_limit),
            "{id} counts"
        );
        assert_eq!(
            (pinned.first, pinned.last, pinned.sampling_minutes),
            (s.first, s.last, s.sampling_minutes)
        );
        assert_eq!(
            (pinned.sufficient, &pinned.insufficient_reasons),
            (s.sufficient, &s.insufficient_reasons)
        );
        let pairs = [
            (pinned.mean, s.mean),
            (pinned.sd, s.sd),
            (pinned.cv, s.cv),
            (pinned.gmi, s.gmi),
            (pinned.span_days, s.span_days),
            (pinned.percent_very_low, s.percent_very_low),
            (pinned.percent_low, s.percent_low),
            (pinned.percent_in_range, s.percent_in_range),
            (pinned.percent_high, s.percent_high),
            (pinned.percent_very_high, s.percent_very_high),
            (pinned.percent_below_54, s.percent_below_54),
            (pinned.percent_below_70, s.percent_below_70),
            (pinned.percent_above_180, s.percent_above_180),
            (pinned.percent_above_250, s.percent_above_250),
            (pinned.percent_in_range_63_140, s.percent_in_range_63_140),
            (pinned.active_percent, s.active_percent),
        ];
        for (i, (a, b)) in pairs.into_iter().enumerate() {
            let (a, b) = (a.unwrap(), b.unwrap());
            assert!((a - b).abs() <= 1e-12 * a.abs().max(1.0), "{id} field {i}: pinned {a} vs {b}");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

/// Strictly increasing times (gaps of 1 s to 2 h, mostly about 5 min) and plausible values.
fn readings(max: usize) -> impl Strategy<Value = (Vec<i64>, Vec<f64>)> {
    prop::collection::vec((prop_oneof![8 => 295i64..=305, 1 => 1i64..=7200], 40.0f64..=400.0), 1..max)
        .prop_map(common::accumulate)
}

/// The grid, wear and episodes of a valid view: they agree with each other and stay inside the data.
fn check_grid(view: &SeriesView<'_>) -> Result<(), TestCaseError> {
    let dt0 = sampling_minutes(view);
    prop_assert_eq!(view.wear().map(|w| w.sampling_minutes), dt0);
    let e = view.episodes();
    let Some(grid) = Grid::of(view) else {
        prop_assert_eq!(e.grid_minutes, None);
        return Ok(());
    };
    prop_assert_eq!(e.grid_minutes, Some(grid.step_minutes()));
    // Stored points: at most one per reading plus one per step of the gaps that are bridged.
    let step = grid.step_minutes() * 60;
    let bridged: i64 = view
        .times()
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|&d| d <= MAX_BRIDGED_GAP_MINUTES * 60)
        .map(|d| d / step)
        .sum();
    prop_assert!(grid.present() as i64 <= view.len() as i64 + bridged, "{} points", grid.present());
    let (first, last) = (view.times()[0], view.times()[view.len() - 1]);
    for (k, run) in grid.runs() {
        prop_assert!(first <= grid.time(k) && grid.time(k + run.len() - 1) <= last);
        prop_assert!(k + run.len() <= grid.len());
    }
    for ep in &e.episodes {
        prop_assert!(first <= to_seconds(ep.start) && to_seconds(ep.end) <= last);
    }
    Ok(())
}

fn any_targets() -> impl Strategy<Value = Targets> {
    (0usize..3).prop_map(|i| Targets::preset(TargetPreset::ALL[i]))
}

fn band_sum(s: &Summary) -> f64 {
    s.band_percents().unwrap().iter().sum()
}

proptest! {
    #[test]
    fn metrics_are_invariant_to_input_order(
        (times, values) in readings(300),
        seed in any::<u64>(),
        targets in any_targets(),
    ) {
        let mut order: Vec<usize> = (0..times.len()).collect();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..order.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let shuffled_times: Vec<i64> = order.iter().map(|&i| times[i]).collect();
        // Out of order other than by a clock set back an hour (whose order is the information), input is
        // sorted.
        let steps_back: Vec<i64> =
            shuffled_times.windows(2).filter(|w| w[0] > w[1]).map(|w| w[0] - w[1]).collect();
        prop_assume!(steps_back.is_empty() || steps_back.iter().any(|&d| !(900 < d && d < 3600)));
        let shuffled_values: Vec<f64> = order.iter().map(|&i| values[i]).collect();
        let a = mg_dl(&times, &values);
        let b = mg_dl(&shuffled_times, &shuffled_values);
        prop_assert_eq!(a.view().summary(&targets), b.view().summary(&targets));
        prop_assert_eq!(a.view().agp(15).unwrap(), b.view().agp(15).unwrap());
    }

    #[test]
    fn band_percents_sum_to_100((times, values) in readings(300), targets in any_targets(), mmol in any::<bool>()) {
        let (unit, values) = if mmol {
            (Unit::MmolL, values.iter().map(|v| Unit::MgDl.convert(*v, Unit::MmolL)).collect())
        } else {
            (Unit::MgDl, values)
        };
        let s = Series::from_slices(unit, &times, &values, &SeriesOptions::default()).unwrap().view().summary(&targets);
        prop_assert!((band_sum(&s) - 100.0).abs() < 1e-9, "{}", band_sum(&s));
    }

    #[test]
    fn an_in_range_reading_never_raises_the_percent_below_range(
        (mut times, mut values) in readings(200),
        targets in any_targets(),
        fraction in 0.0f64..=1.0,
        step in 1i64..100_000,
    ) {
        let before = mg_dl(&times, &values).view().summary(&targets);
        let cuts = targets.cut_points(Unit::MgDl);
        let in_range = cuts.low_below() + fraction * (cuts.high_above() - cuts.low_below());
        times.push(times[times.len() - 1] + step);
        values.push(in_range);
        let after = mg_dl(&times, &values).view().summary(&targets);
        let below = |s: &Summary| s.percent_very_low.unwrap() + s.percent_low.unwrap();
        prop_assert!(below(&after) <= below(&before));
        prop_assert!(after.percent_very_low <= before.percent_very_low);
        prop_assert!(after.percent_in_range >= before.percent_in_range);
    }

    #[test]
    fn two_series_far_apart_concatenate_by_the_definitions(
        a in prop::collection::vec(40.0f64..=400.0, 2..200),
        b in prop::collection::vec(40.0f64..=400.0, 2..200),
        days_apart in 30i64..400,
    ) {
        let targets = Targets::default();
        let start_b = days_apart * DAY;
        let times_a = every_5_min(a.len());
        let times_b: Vec<i64> = every_5_min(b.len()).iter().map(|t| t + start_b).collect();
        let (sa, sb) = (mg_dl(&times_a, &a).view().summary(&targets), mg_dl(&times_b, &b).view().summary(&targets));
        let times: Vec<i64> = times_a.iter().chain(&times_b).copied().collect();
        let values: Vec<f64> = a.iter().chain(&b).copied().collect();
        let s = mg_dl(&times, &values).view().summary(&targets);

        let (na, nb) = (a.len() as f64, b.len() as f64);
        let n = na + nb;
        prop_assert_eq!(s.readings, sa.readings + sb.readings);
        prop_assert_eq!((s.first, s.last), (sa.first, sb.last));
        let weighted = |x: Option<f64>, y: Option<f64>| (na * x.unwrap() + nb * y.unwrap()) / n;
        let mean = weighted(sa.mean, sb.mean);
        prop_assert!((s.mean.unwrap() - mean).abs() < 1e-9 * mean);
        // The pooled sample variance: within-part sums of squares plus the between-part term.
        let ss = |sd: Option<f64>, k: f64| sd.unwrap().powi(2) * (k - 1.0);
        let between = na * (sa.mean.unwrap() - mean).powi(2) + nb * (sb.mean.unwrap() - mean).powi(2);
        let sd = ((ss(sa.sd, na) + ss(sb.sd, nb) + between) / (n - 1.0)).sqrt();
        prop_assert!((s.sd.unwrap() - sd).abs() < 1e-9 * sd.max(1.0));
        for (whole, x, y) in [
            (s.percent_in_range, sa.percent_in_range, sb.percent_in_range),
            (s.percent_below_70, sa.percent_below_70, sb.percent_below_70),
            (s.percent_above_250, sa.percent_above_250, sb.percent_above_250),
            (s.percent_in_range_63_140, sa.percent_in_range_63_140, sb.percent_in_range_63_140),
        ] {
            prop_assert!((whole.unwrap() - weighted(x, y)).abs() < 1e-9);
        }
        // Each part is fully worn; the hole between them is all missed: n readings of the expected ones.
        prop_assert_eq!(sa.active_percent, Some(100.0));
        let expected = (start_b / MIN5) as f64 + nb;
        prop_assert_eq!(s.active_percent, Some(n / expected * 100.0));
        prop_assert!(s.insufficient_reasons.contains(&InsufficientReason::TooLittleWear));
    }

    #[test]
    fn bad_input_is_an_error_never_a_panic(
        readings in prop::collection::vec((any::<i64>(), prop_oneof![
            Just(f64::NAN), Just(f64::INFINITY), Just(-1.0), Just(0.0), 1.0f64..2000.0, any::<f64>()
        ]), 0..50),
        policy in prop_oneof![Just(DuplicatePolicy::Error), Just(DuplicatePolicy::KeepFirst), Just(DuplicatePolicy::Mean)],
        bin in 0u32..2000,
    ) {
        let (times, values): (Vec<i64>, Vec<f64>) = readings.into_iter().unzip();
        if let Ok(series) = Series::from_slices(Unit::MgDl, &times, &values, &with_duplicates(policy)) {
            let s = series.view().summary(&Targets::default());
            prop_assert_eq!(s.readings as usize, series.len());
            let _ = series.view().agp(bin);
            let _ = series.view().last_days(14).summary(&Targets::default());
        }
        let _ = SeriesView::from_sorted(Unit::MgDl, &times, &values, SensorRange::default());
    }

    #[test]
    fn grid_wear_and_episodes_never_panic_on_any_times(
        raw in prop::collection::vec(any::<i64>(), 0..40),
        extra_values in 0usize..2,
        start in MIN_SECONDS..=MAX_SECONDS,
        count in 0i64..300,
        scattered in prop::collection::vec(prop_oneof![
            Just(MIN_SECONDS), Just(MAX_SECONDS), MIN_SECONDS..=MAX_SECONDS
        ], 0..6),
    ) {
        // Arbitrary i64 times, of any order and length: an error naming them, or a view that is safe to use.
        let values = vec![120.0; raw.len() + extra_values];
        match SeriesView::from_sorted(Unit::MgDl, &raw, &values, SensorRange::default()) {
            Ok(view) => check_grid(&view)?,
            Err(SeriesError::LengthMismatch { times, values }) => prop_assert_ne!(times, values),
            Err(SeriesError::NotIncreasing { index, seconds }) => prop_assert_eq!(raw[index], seconds),
            Err(SeriesError::TimeOutOfRange { index: Some(index), seconds }) => prop_assert_eq!(raw[index], seconds),
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
        // Valid views out to the ends of time: 5-minute readings anywhere, plus readings up to millennia away.
        let mut times: Vec<i64> = (0..count)
            .map(|k| start.saturating_add(k * MIN5))
            .filter(|&t| t <= MAX_SECONDS)
            .chain(scattered)
            .collect();
        times.sort_unstable();
        times.dedup();
        let values: Vec<f64> = times.iter().map(|t| 40.0 + t.rem_euclid(360) as f64).collect();
        check_grid(&SeriesView::from_sorted(Unit::MgDl, &times, &values, SensorRange::default()).unwrap())?;
    }
}

// ---------------------------------------------------------------------------------------------------------
// Time zones: the autumn hour (issue 18 item 16)
// ---------------------------------------------------------------------------------------------------------

mod time_zones {
    use jiff::civil::{DateTime, date};
    use jiff::tz::TimeZone;
    use jiff::{SignedDuration, Timestamp};
    use pumppath::cgm::*;
    use pumppath::glucose::*;

    const CHICAGO: &str = "America/Chicago";
    /// 14 days of 5-minute readings.
    const N: usize = 14 * 288;

    fn chicago() -> SeriesOptions {
        SeriesOptions { time_zone: Some(CHICAGO.into()), ..Default::default() }
    }

    /// The first reading: 2026-10-25 00:00 CDT, a week before the fall-back of 2026-11-01 02:00 CDT.
    fn start() -> Timestamp {
        TimeZone::get(CHICAGO).unwrap().to_timestamp(date(2026, 10, 25).at(0, 0, 0, 0)).unwrap()
    }

    /// Two weeks of readings every 5 minutes of elapsed time, `jitter(k)` seconds late, as the device's wall
    /// clock shows them (01:00-01:55 on 2026-11-01 appears twice), in the device's order; every value differs
    /// from the values an hour before and after it.
    fn trace(jitter: impl Fn(usize) -> i64) -> (Vec<Timestamp>, Vec<(DateTime, f64)>) {
        let zone = TimeZone::get(CHICAGO).unwrap();
        (0..N)
            .map(|k| {
                let at = start().checked_add(SignedDuration::from_secs(k as i64 * 300 + jitter(k))).unwrap();
                (at, (zone.to_datetime(at), 70.0 + (k % 250) as f64))
            })
            .unzip()
    }

    /// Everything a series of the readings taken at `instants` must show, zoned or not: nothing lost, merged
    /// or averaged; the device's order; elapsed time.
    fn assert_elapsed_time(series: &Series, instants: &[Timestamp], readings: &[(DateTime, f64)]) {
        assert_eq!(series.len(), N);
        assert_eq!((series.duplicates(), series.missing()), (0, 0));
        assert!(series.times().windows(2).all(|w| w[0] < w[1]));
        // The device's order, in elapsed time: the instants themselves with a zone; without one, a constant
        // away from them (the wall clock read as UTC).
        let offset = series.times()[0] - instants[0].as_second();
        let want: Vec<i64> = instants.iter().map(|t| t.as_second() + offset).collect();
        assert_eq!(series.times(), want.as_slice());
        if series.time_zone().is_some() {
            assert_eq!(offset, 0);
        }
        let values: Vec<f64> = readings.iter().map(|r| r.1).collect();
        assert_eq!(series.values(), values.as_slice()); // none averaged across the hour
        let shown: Vec<(DateTime, f64)> = series.readings().collect();
        assert_eq!(shown, readings); // the local wall clock, the repeated hour twice

        let view = series.view();
        let wear = view.wear().unwrap();
        assert_eq!((wear.sampling_minutes, wear.expected_readings, wear.missed_readings), (5, N as i64, 0));
        assert_eq!(wear.active_percent, 100.0);
        let s = series.view().summary(&Targets::default());
        assert!(s.sufficient, "{:?}", s.insufficient_reasons);
        assert_eq!(s.active_percent, Some(100.0));
        let span = (series.times()[N - 1] - series.times()[0]) as f64 / 86_400.0;
        assert_eq!(s.span_days, Some(span));
        assert!((13.99..14.0).contains(&span)); // 14 days of elapsed time less one interval
        assert_eq!((s.first, s.last), (Some(readings[0].0), Some(readings[N - 1].0)));
        assert_eq!(view.first_time(), Some(date(2026, 10, 25).at(0, 0, 0, 0)));
        // The clock went back an hour: the last reading reads 22:55 on the last day, not 23:55.
        assert_eq!(view.last_time().unwrap().date(), date(2026, 11, 7));
        assert_eq!(view.last_time().unwrap().hour(), 22);
        // The episode grid starts at local midnight and has a point every 5 minutes of elapsed time.
        assert_eq!(view.civil(Grid::of(&view).unwrap().start()), date(2026, 10, 25).at(0, 5, 0, 0));
        let found = view.episodes();
        assert_eq!(found.days, (N - 1) as f64 * 5.0 / 1440.0);
        // The window asked for by instant plus zone: the last reading's instant and 14 days before it.
        let last = instants[N - 1];
        let period = series.view().summary_of_period(
            last.checked_sub(SignedDuration::from_hours(14 * 24)).unwrap(),
            last,
            &TimeZone::get(CHICAGO).unwrap(),
            &Targets::default(),
        );
        assert_eq!(period.period.unwrap().counted_days, 14.0);
        assert_eq!(period.period.unwrap().active_percent, 100.0);
    }

    #[test]
    fn without_a_zone_the_repeated_hour_loads_by_default_in_the_device_s_order() {
        // Minute-resolution wall-clock times repeat 01:00-01:55; the step back in the device's order is the
        // clock set back an hour, so default options keep every reading (issue 23 item 6).
        let (instants, readings) = trace(|_| 0);
        let series = Series::from_readings(Unit::MgDl, readings.clone(), &SeriesOptions::default()).unwrap();
        assert_eq!(series.time_zone(), None);
        assert_elapsed_time(&series, &instants, &readings);
        // Zoneless, the clock is UTC's with the set-back: its instants are the readings' own less 5 hours (CDT).
        assert_eq!(series.times()[0], instants[0].as_second() - 5 * 3600);
    }

    #[test]
    fn readings_out_of_the_device_s_order_are_real_duplicates_and_the_error_names_the_lossless_fix_first() {
        // Sorted by wall-clock time (not the device's order), the repeated hour's times are duplicates.
        let (_, mut readings) = trace(|_| 0);
        readings.sort_by_key(|r| r.0);
        let err = Series::from_readings(Unit::MgDl, readings.clone(), &SeriesOptions::default()).unwrap_err();
        assert_eq!(err, SeriesError::DuplicateTime { time: date(2026, 11, 1).at(1, 0, 0, 0), count: 2 });
        let message = err.to_string();
        let lossless = message.find("device's order").unwrap();
        assert!(message.find("time_zone").unwrap() > lossless);
        assert!(lossless < message.find("keep_first or mean").unwrap(), "{message}");
        // `mean` would average readings an hour apart: only on request.
        let options = SeriesOptions { duplicates: DuplicatePolicy::Mean, ..Default::default() };
        let mean = Series::from_readings(Unit::MgDl, readings, &options).unwrap();
        assert_eq!((mean.len(), mean.duplicates()), (N - 12, 12));
    }

    #[test]
    fn a_zoned_trace_across_the_fall_back_keeps_every_reading_in_elapsed_time() {
        let (instants, readings) = trace(|_| 0);
        let series = Series::from_readings(Unit::MgDl, readings.clone(), &chicago()).unwrap();
        assert_elapsed_time(&series, &instants, &readings);
        assert_eq!(series.time_zone(), Some(&TimeZone::get(CHICAGO).unwrap()));
        // The same wall-clock seconds through from_slices give the same series.
        let (times, values): (Vec<i64>, Vec<f64>) =
            readings.iter().map(|(t, v)| (to_seconds(*t), *v)).unzip();
        assert_eq!(Series::from_slices(Unit::MgDl, &times, &values, &chicago()).unwrap(), series);
    }

    #[test]
    fn seconds_resolution_times_that_would_interleave_resolve_in_order() {
        // The sensor's phase drifts by seconds, so the repeated hour's times differ: sorted by wall-clock time
        // they would interleave an hour apart. The device's order keeps them apart, with or without a zone.
        let (instants, readings) = trace(|k| (k as i64 * 13) % 60);
        let zoneless =
            Series::from_readings(Unit::MgDl, readings.clone(), &SeriesOptions::default()).unwrap();
        assert_elapsed_time(&zoneless, &instants, &readings);
        let series = Series::from_readings(Unit::MgDl, readings.clone(), &chicago()).unwrap();
        assert_elapsed_time(&series, &instants, &readings);
    }

    #[cfg(feature = "io")]
    #[test]
    fn the_long_csv_reader_resolves_the_repeated_hour_in_the_file_s_order() {
        let (instants, readings) = trace(|_| 0);
        let mut csv = String::from("id,time,gl\n");
        for (t, v) in &readings {
            csv.push_str(&format!("A,{},{v}\n", t.strftime("%Y-%m-%d %H:%M")));
        }
        // Default options keep every reading, in the file's order.
        let zoneless = pumppath::io::read_long_csv(csv.as_bytes(), Unit::MgDl, &Default::default()).unwrap();
        assert_elapsed_time(&zoneless[0].series, &instants, &readings);
        let patients = pumppath::io::read_long_csv(csv.as_bytes(), Unit::MgDl, &chicago()).unwrap();
        assert_eq!(patients.len(), 1);
        assert_elapsed_time(&patients[0].series, &instants, &readings);
        let from_readings = Series::from_readings(Unit::MgDl, readings, &chicago()).unwrap();
        assert_eq!(patients[0].series, from_readings);
    }

    #[test]
    fn the_agp_puts_both_passes_of_the_repeated_hour_in_its_bins() {
        let (_, readings) = trace(|_| 0);
        let series = Series::from_readings(Unit::MgDl, readings, &chicago()).unwrap();
        let agp = series.view().agp(15).unwrap();
        assert_eq!(agp.bins.iter().map(|b| b.readings).sum::<u64>(), N as u64);
        // 14 local days of three readings per bin, and three more in each 01:xx bin on 2026-11-01.
        for bin in &agp.bins[4..8] {
            assert_eq!(bin.readings, 14 * 3 + 3, "{}", bin.start);
        }
        assert_eq!(agp.bins[0].readings, 14 * 3);
        assert_eq!(agp.bins[8].readings, 14 * 3); // 02:00 came once
        assert_eq!(agp.bins[95].readings, 13 * 3); // the last day ends at 22:55 local
    }

    #[test]
    fn the_episode_grid_keeps_the_local_clock_s_phase() {
        // Kathmandu is UTC+05:45: a 20-minute grid from UTC midnight would fall between the readings.
        let options = SeriesOptions { time_zone: Some("Asia/Kathmandu".into()), ..Default::default() };
        let first = date(2026, 7, 1).at(0, 0, 0, 0);
        let readings: Vec<(DateTime, f64)> = (0..72)
            .map(|k: i64| (first.checked_add(SignedDuration::from_mins(20 * k)).unwrap(), 100.0 + k as f64))
            .collect();
        let series = Series::from_readings(Unit::MgDl, readings, &options).unwrap();
        let grid = Grid::of(&series.view()).unwrap();
        assert_eq!(grid.step_minutes(), 20);
        assert_eq!(series.view().civil(grid.start()), date(2026, 7, 1).at(0, 20, 0, 0));
        let runs: Vec<(usize, &[f64])> = grid.runs().collect();
        let on_readings: Vec<f64> = (1..72).map(|k| 100.0 + k as f64).collect();
        assert_eq!(runs, [(0, on_readings.as_slice())]); // every point on a reading, none interpolated
    }

    #[test]
    fn the_skipped_spring_hour_reads_as_jiff_s_compatible_time() {
        let t = date(2026, 3, 8).at(2, 30, 0, 0); // 02:00 CST is 03:00 CDT: 02:30 never shows
        let series = Series::from_readings(Unit::MgDl, [(t, 120.0)], &chicago()).unwrap();
        let want = TimeZone::get(CHICAGO).unwrap().to_ambiguous_timestamp(t).compatible().unwrap();
        assert_eq!(series.times(), &[want.as_second()]);
        assert_eq!(series.view().first_time(), Some(date(2026, 3, 8).at(3, 30, 0, 0)));
    }

    #[test]
    fn a_zoned_series_is_assessed_as_the_same_zoneless_data_away_from_a_clock_change() {
        use pumppath::pathway::*;
        use pumppath::rules::{EvaluationOptions, RuleId, evaluate};

        let ts = |s: &str| -> Timestamp { s.parse().unwrap() };
        // 10:00 CDT on 2026-06-20.
        let steps = crate::common::steps_to_pump_start("2026-06-01T12:00:00Z", "2026-06-20T15:00:00Z");
        let events = steps
            .iter()
            .enumerate()
            .map(|(k, (at, kind))| Event::new(format!("e{k}"), ts(at), Role::ClinicStaff, kind.clone()));
        let record = Record::replay(Protocol::standard(), "t", events).unwrap();

        // A July trace in Chicago from before the pump start to 11:55 CDT on 2026-07-15, with a 50 mg/dL
        // hour every night at 03:00 (level 2 hypo episodes: frequently low).
        let first = date(2026, 6, 18).at(0, 0, 0, 0);
        let readings: Vec<(DateTime, f64)> = (0..)
            .map(|k: i64| first.checked_add(SignedDuration::from_mins(5 * k)).unwrap())
            .take_while(|t| *t < date(2026, 7, 15).at(12, 0, 0, 0))
            .map(|t| (t, if t.hour() == 3 { 50.0 } else { 140.0 + f64::from(t.minute()) }))
            .collect();
        let zoned = Series::from_readings(Unit::MgDl, readings.clone(), &chicago()).unwrap();
        let zoneless = Series::from_readings(Unit::MgDl, readings, &SeriesOptions::default()).unwrap();
        assert_ne!(zoned.times()[0], zoneless.times()[0]); // instants, five hours later than "as if UTC"

        let now = ts("2026-07-15T17:00:00Z"); // 12:00 CDT
        let assess =
            |s: &Series| evaluate(&record, Some(s), now, CHICAGO, &EvaluationOptions::default()).unwrap();
        let (a, b) = (assess(&zoned), assess(&zoneless));
        assert_eq!(a, b);
        assert_eq!(a.to_json(), b.to_json());
        let frequently = a.frequently.as_ref().unwrap();
        assert!(frequently.frequently_low);
        assert_eq!(frequently.since, Some(date(2026, 6, 20).at(10, 0, 0, 0)));
        assert_eq!(a.cgm.as_ref().unwrap().last, Some(date(2026, 7, 15).at(11, 55, 0, 0)));
        assert!(a.actions.iter().any(|x| x.rule == RuleId::FrequentLows));
    }

    #[test]
    fn an_unknown_zone_is_a_typed_error_naming_it() {
        let options = SeriesOptions { time_zone: Some("Mars/Olympus".into()), ..Default::default() };
        let err = Series::from_slices(Unit::MgDl, &[0], &[100.0], &options).unwrap_err();
        assert!(matches!(&err, SeriesError::UnknownTimeZone { value, .. } if value == "Mars/Olympus"));
        assert!(err.to_string().starts_with("time_zone = \"Mars/Olympus\": not a known IANA time zone"));
        let err = Series::from_readings(Unit::MgDl, Vec::<(DateTime, f64)>::new(), &options).unwrap_err();
        assert!(matches!(err, SeriesError::UnknownTimeZone { .. }));
        #[cfg(feature = "io")]
        {
            use pumppath::io::{ReadError, read_clarity_csv, read_long_csv};
            let err = read_long_csv("id,time,gl\n".as_bytes(), Unit::MgDl, &options).unwrap_err();
            assert!(matches!(err, ReadError::Series { source: SeriesError::UnknownTimeZone { .. }, .. }));
            let err = read_clarity_csv("".as_bytes(), &options).unwrap_err();
            assert!(matches!(err, ReadError::Series { source: SeriesError::UnknownTimeZone { .. }, .. }));
        }
        let json: SeriesOptions = serde_json::from_str(r#"{"time_zone": "Mars/Olympus"}"#).unwrap();
        assert_eq!(json, options);
    }
}

#[test]
fn columnar_readings_round_trip_and_name_their_problems() {
    use pumppath::cgm::{ColumnarReadings, TimeScale};
    use pumppath::glucose::SensorLimit;
    let json = r#"{"unit": "mg/dL", "time_scale": "seconds", "time_zone": "America/Chicago",
                   "times": [1772431320, 1772431620, 1772431920, 1772432220], "values": [112, null, 118, null],
                   "limits": [null, null, null, "high"]}"#;
    let series = Series::from_json(json).unwrap();
    assert_eq!(series.values(), &[112.0, 118.0, 400.0]);
    assert_eq!(series.missing(), 1);
    assert_eq!(series.view().first_time().unwrap().to_string(), "2026-03-02T00:02:00");
    let back = Series::from_columnar(&series.to_columnar(TimeScale::Nanoseconds)).unwrap();
    assert_eq!(back, series);
    let c: ColumnarReadings = serde_json::from_str(&series.to_json()).unwrap();
    assert_eq!((c.time_scale, c.time_zone.as_deref()), (TimeScale::Milliseconds, Some("America/Chicago")));
    assert_eq!(c.limits, None::<Vec<Option<SensorLimit>>>);
    // Unknown fields and a bad value are typed errors.
    let err = Series::from_json(&json.replace("\"limits\"", "\"limit\"")).unwrap_err();
    assert_eq!(err.code(), "invalid_json");
    assert_eq!(
        (err.problems()[0].path.as_str(), err.problems()[0].code.as_str()),
        ("$.limit", "unknown_field")
    );
    let err = Series::from_json(&json.replace("112", "-5")).unwrap_err();
    assert_eq!(err.problems()[0].code, "not_positive");
    // Long form: one patient's bad reading names the patient.
    let err = Series::from_long(
        Unit::MgDl,
        &["a", "b"],
        &[0, 0],
        TimeScale::Seconds,
        &[100.0, 5000.0],
        &[],
        &SeriesOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.problems()[0].path, "$.values[1]");
    assert_eq!(err.problems()[0].code, "above_plausible");
}

#[test]
fn long_form_rows_carry_sensor_limits() {
    use pumppath::cgm::TimeScale;
    use pumppath::glucose::SensorLimit;
    let patients = Series::from_long(
        Unit::MgDl,
        &["a", "b", "a"],
        &[0, 0, 300],
        TimeScale::Seconds,
        &[110.0, f64::NAN, f64::NAN],
        &[None, Some(SensorLimit::Low), Some(SensorLimit::High)],
        &SeriesOptions::default(),
    )
    .unwrap();
    assert_eq!(patients[0].series.values(), &[110.0, 400.0]);
    assert_eq!(patients[1].series.values(), &[40.0]);
    let err = Series::from_long(
        Unit::MgDl,
        &["a"],
        &[0],
        TimeScale::Seconds,
        &[1.0],
        &[None, None],
        &SeriesOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "length_mismatch");
}

// ---------------------------------------------------------------------------------------------------------
// Every series survives its JSON (issue 23 item 5)
// ---------------------------------------------------------------------------------------------------------

mod round_trip {
    use jiff::civil::{DateTime, date};
    use proptest::prelude::*;
    use pumppath::cgm::*;
    use pumppath::demo;
    use pumppath::glucose::*;

    fn assert_round_trip(series: &Series) {
        let json = series.to_json();
        let back = Series::from_json(&json).unwrap();
        assert_eq!(&back, series, "{json}");
        assert_eq!(back.to_json(), json);
    }

    #[test]
    fn a_zoneless_demo_series_reads_back_as_itself_not_as_utc_instants() {
        for patient in demo::cohort() {
            let series =
                Series::from_readings(Unit::MgDl, patient.readings(), &SeriesOptions::default()).unwrap();
            assert_round_trip(&series);
            assert_eq!(Series::from_json(&series.to_json()).unwrap().time_zone(), None, "{}", patient.id);
        }
    }

    /// Readings every 5 minutes across the autumn change in Chicago, as the device's clock shows them, with a
    /// missing value in the repeated hour and the sensor's "Low".
    fn autumn() -> Vec<(DateTime, GlucoseValue)> {
        demo::readings(demo::GlucoseProfile::FrequentLows, date(2026, 10, 31).at(0, 2, 0, 0), 2)
            .into_iter()
            .enumerate()
            .map(|(k, (t, v))| match k {
                300 => (t, GlucoseValue::Measured(f64::NAN)),
                301 => (t, GlucoseValue::Limit(SensorLimit::Low)),
                _ => (t, GlucoseValue::Measured(v)),
            })
            .collect()
    }

    #[test]
    fn zoneless_and_zoned_series_across_the_autumn_change_round_trip() {
        let zoneless = Series::from_readings(Unit::MgDl, autumn(), &SeriesOptions::default()).unwrap();
        assert_eq!(zoneless.missing(), 1);
        assert_round_trip(&zoneless);
        let chicago = SeriesOptions { time_zone: Some("America/Chicago".into()), ..Default::default() };
        let zoned = Series::from_readings(Unit::MgDl, autumn(), &chicago).unwrap();
        assert_round_trip(&zoned);
        // Both show the device's wall-clock, the repeated hour twice.
        assert!(zoneless.readings().eq(zoned.readings()));
    }

    #[test]
    fn merged_duplicates_keep_their_count() {
        let options = SeriesOptions {
            duplicates: DuplicatePolicy::Mean,
            sensor_range: SensorRange::new(Unit::MmolL, 2.2, 22.2).unwrap(),
            ..Default::default()
        };
        let series = Series::from_slices(
            Unit::MmolL,
            &[0, 300, 300, 300, 600],
            &[5.5, 7.0, 7.4, 7.3, f64::NAN],
            &options,
        )
        .unwrap();
        assert_eq!((series.duplicates(), series.missing()), (2, 1));
        assert_round_trip(&series);
        let epoch = Series::from_epoch(
            Unit::MgDl,
            &[1_772_431_320_000, 1_772_431_320_000, 1_772_431_620_000],
            TimeScale::Milliseconds,
            &[100.0, 104.0, 110.0],
            &[],
            &SeriesOptions { duplicates: DuplicatePolicy::KeepFirst, ..Default::default() },
        )
        .unwrap();
        assert_round_trip(&epoch);
    }

    #[test]
    fn both_kinds_of_time_at_once_are_an_error_naming_them() {
        let err =
            Series::from_json(r#"{"unit": "mg/dL", "times": [0], "wall_clock_times": [0], "values": [100]}"#)
                .unwrap_err();
        assert_eq!(err.code(), "invalid_json");
        assert!(err.to_string().contains("times has 1 entries and wall_clock_times 1"), "{err}");
    }

    fn any_series() -> impl Strategy<Value = Series> {
        let readings = prop::collection::vec(
            (
                prop_oneof![6 => 240i64..=360, 1 => 0i64..=1, 1 => -3_000i64..=-1_000, 1 => 1i64..=20_000],
                prop_oneof![9 => (40.0f64..=400.0).prop_map(Some), 1 => Just(None)],
            ),
            0..120,
        );
        let zone = prop_oneof![
            Just(None),
            Just(Some("America/Chicago")),
            Just(Some("UTC")),
            Just(Some("Australia/Lord_Howe"))
        ];
        let policy = prop_oneof![Just(DuplicatePolicy::KeepFirst), Just(DuplicatePolicy::Mean)];
        let start = prop_oneof![Just(1_793_500_000i64), Just(1_772_900_000i64), 0i64..2_000_000_000];
        let epoch = any::<bool>();
        (readings, zone, policy, start, epoch).prop_map(|(steps, zone, duplicates, start, epoch)| {
            let mut t = start;
            let (mut times, mut values) = (Vec::new(), Vec::new());
            for (step, value) in steps {
                t += step;
                times.push(t);
                values.push(value.unwrap_or(f64::NAN));
            }
            let options =
                SeriesOptions { duplicates, time_zone: zone.map(str::to_owned), ..Default::default() };
            if epoch {
                Series::from_epoch(Unit::MgDl, &times, TimeScale::Seconds, &values, &[], &options).unwrap()
            } else {
                Series::from_slices(Unit::MgDl, &times, &values, &options).unwrap()
            }
        })
    }

    proptest! {
        #[test]
        fn every_series_survives_its_json(series in any_series()) {
            let json = series.to_json();
            prop_assert_eq!(&Series::from_json(&json).unwrap(), &series, "{}", json);
        }
    }
}
