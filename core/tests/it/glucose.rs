//! Glucose classification: boundaries, presets, validation, the wire format, and properties.

use proptest::prelude::*;
use pumppath::glucose::*;

fn standard(unit: Unit) -> Classifier {
    Classifier::new(&Targets::default(), unit)
}

#[test]
fn standard_boundaries_follow_iglu_in_mg_dl() {
    let c = standard(Unit::MgDl);
    let cases = [
        (10.0, Band::VeryLow),
        (53.9, Band::VeryLow),
        (54.0, Band::Low),
        (69.99, Band::Low),
        (70.0, Band::InRange),
        (180.0, Band::InRange),
        (180.01, Band::High),
        (250.0, Band::High),
        (250.01, Band::VeryHigh),
        (1000.0, Band::VeryHigh),
    ];
    for (value, band) in cases {
        assert_eq!(c.classify(value).unwrap(), band, "{value} mg/dL");
    }
}

#[test]
fn standard_boundaries_are_native_in_mmol_l() {
    let c = standard(Unit::MmolL);
    let cases = [
        (2.99, Band::VeryLow),
        (3.0, Band::Low),
        (3.885, Band::Low), // 70 mg/dL converted: below the rounded 3.9 cut-point
        (3.9, Band::InRange),
        (10.0, Band::InRange),
        (10.01, Band::High),
        (13.9, Band::High),
        (13.91, Band::VeryHigh),
    ];
    for (value, band) in cases {
        assert_eq!(c.classify(value).unwrap(), band, "{value} mmol/L");
    }
}

#[test]
fn presets_carry_their_cut_points_and_goals() {
    let older = Targets::preset(TargetPreset::OlderHighRisk);
    assert_eq!(older.cut_points(Unit::MgDl), CutPoints::STANDARD_MG_DL);
    assert_eq!(older.goals().min_percent_in_range, 50.0);
    assert_eq!(older.goals().max_percent_below_range, 1.0);
    assert_eq!(older.goals().max_percent_above_very_high, Some(10.0));
    assert_eq!(older.goals().max_percent_above_range, None);
    assert!(
        SensorRange::new(Unit::MgDl, 40.0, 240.0).is_err(),
        "High at 240 would read as high, not very high"
    );
    assert!(SensorRange::new(Unit::MmolL, 2.2, 22.2).is_ok());
    // 250.3 mg/dL is above 250 but 13.89 mmol/L, not above 13.9: "High" would read as high in mmol/L.
    let err = SensorRange::new(Unit::MgDl, 40.0, 250.3).unwrap_err().to_string();
    assert!(err.contains("must be above 13.9 mmol/L"), "{err}");

    let pregnancy = Targets::preset(TargetPreset::PregnancyType1);
    let c = Classifier::new(&pregnancy, Unit::MgDl);
    assert_eq!(c.classify(62.0).unwrap(), Band::Low);
    assert_eq!(c.classify(63.0).unwrap(), Band::InRange);
    assert_eq!(c.classify(140.0).unwrap(), Band::InRange);
    assert_eq!(c.classify(141.0).unwrap(), Band::High);
    assert_eq!(pregnancy.goals().max_percent_below_range, 4.0);
    assert_eq!(pregnancy.goals().max_percent_above_range, Some(25.0));
    assert_eq!(pregnancy.goals().max_percent_above_very_high, None);

    let standard = Targets::default();
    assert_eq!(standard.name(), "standard");
    assert_eq!(standard.goals().max_percent_below_very_low, Some(1.0));
    assert_eq!(standard.goals().max_percent_above_very_high, Some(5.0));
}

#[test]
fn invalid_single_values_are_errors_naming_the_value() {
    let c = standard(Unit::MgDl);
    let cases = [
        (f64::NAN, ValueProblem::NotANumber),
        (f64::INFINITY, ValueProblem::Infinite),
        (f64::NEG_INFINITY, ValueProblem::Infinite),
        (0.0, ValueProblem::NotPositive),
        (-5.0, ValueProblem::NotPositive),
        (9.99, ValueProblem::BelowPlausible),
        (1000.5, ValueProblem::AbovePlausible),
    ];
    for (value, problem) in cases {
        match c.classify(value) {
            Err(GlucoseError::InvalidValue { problem: p, unit: Unit::MgDl, .. }) => assert_eq!(p, problem),
            other => panic!("{value}: {other:?}"),
        }
    }
    assert_eq!(
        c.classify(1500.0).unwrap_err().to_string(),
        "glucose value 1500 mg/dL is above the plausible maximum of 1000 mg/dL (55.5 mmol/L)"
    );
    // The plausible range is converted for mmol/L: 0.5 mmol/L is 9 mg/dL.
    assert!(matches!(
        standard(Unit::MmolL).classify(0.5),
        Err(GlucoseError::InvalidValue { problem: ValueProblem::BelowPlausible, .. })
    ));
    assert!(matches!(
        standard(Unit::MmolL).classify(56.0),
        Err(GlucoseError::InvalidValue { problem: ValueProblem::AbovePlausible, .. })
    ));
}

#[test]
fn sensor_limits_classify_at_the_extremes() {
    let c = standard(Unit::MgDl);
    assert_eq!(c.classify_value(GlucoseValue::Limit(SensorLimit::Low)).unwrap(), Band::VeryLow);
    assert_eq!(c.classify_value(GlucoseValue::Limit(SensorLimit::High)).unwrap(), Band::VeryHigh);
    let range = SensorRange::default();
    assert_eq!(GlucoseValue::Limit(SensorLimit::Low).numeric(Unit::MgDl, &range), 40.0);
    assert_eq!(GlucoseValue::Limit(SensorLimit::High).numeric(Unit::MgDl, &range), 400.0);
    let libre = SensorRange::new(Unit::MmolL, 2.2, 27.8).unwrap();
    assert_eq!(GlucoseValue::Limit(SensorLimit::High).numeric(Unit::MmolL, &libre), 27.8);
    assert_eq!(
        SensorRange::new(Unit::MgDl, 400.0, 40.0).unwrap_err().to_string(),
        "sensor_range.low = 400: must be below 54 mg/dL, so that \"Low\" reads as very low"
    );
    let json: GlucoseValue = serde_json::from_str("\"high\"").unwrap();
    assert_eq!(json, GlucoseValue::Limit(SensorLimit::High));
    let json: GlucoseValue = serde_json::from_str("123.5").unwrap();
    assert_eq!(json, GlucoseValue::Measured(123.5));
}

#[test]
fn batch_counts_missing_apart_and_names_the_bad_index() {
    let c = standard(Unit::MgDl);
    let values = [40.0, 60.0, f64::NAN, 100.0, 200.0, 300.0, f64::NAN];
    let mut codes = [9i8; 7];
    let counts = c.classify_into(&values, &mut codes).unwrap();
    assert_eq!(codes, [0, 1, MISSING_CODE, 2, 3, 4, MISSING_CODE]);
    assert_eq!(counts, BandCounts { very_low: 1, low: 1, in_range: 1, high: 1, very_high: 1, missing: 2 });
    assert_eq!(counts.total(), 5);
    assert_eq!(counts.percent(Band::High), Some(20.0));
    assert_eq!(c.count(&values).unwrap(), counts);

    let err = c.count(&[100.0, 120.0, -3.0, f64::INFINITY]).unwrap_err();
    assert_eq!(err.to_string(), "values[2]: glucose value -3 mg/dL is not positive");
    assert!(matches!(err, GlucoseError::InvalidValueAt { index: 2, .. }));

    let err = c.classify_into(&values, &mut [0i8; 3]).unwrap_err();
    assert_eq!(err, GlucoseError::BufferLength { expected: 7, actual: 3 });

    let empty = c.count(&[f64::NAN]).unwrap();
    assert_eq!(empty.percent(Band::InRange), None);
}

#[test]
fn custom_cut_points_are_validated_field_by_field() {
    let cases = [
        ([f64::NAN, 70.0, 180.0, 250.0], "cut_points.very_low_below = NaN: must be a finite number"),
        ([54.0, 70.0, 180.0, f64::INFINITY], "cut_points.very_high_above = inf: must be a finite number"),
        ([0.0, 70.0, 180.0, 250.0], "cut_points.very_low_below = 0: must be greater than 0"),
        (
            [54.0, 54.0, 180.0, 250.0],
            "cut_points.low_below = 54: must be greater than cut_points.very_low_below (54)",
        ),
        (
            [54.0, 70.0, 180.0, 179.0],
            "cut_points.very_high_above = 179: must be greater than cut_points.high_above (180)",
        ),
    ];
    for ([a, b, c, d], message) in cases {
        let err = CutPoints::new(Unit::MgDl, a, b, c, d).unwrap_err();
        assert_eq!(err.to_string(), message);
    }
    let cuts = CutPoints::new(Unit::MgDl, 54.0, 70.0, 160.0, 250.0).unwrap();
    let mut goals = TargetPreset::Standard.goals();
    goals.max_percent_below_range = 140.0;
    assert_eq!(
        Targets::custom("tight", cuts, goals).unwrap_err().to_string(),
        "goals.max_percent_below_range = 140: must be a percent between 0 and 100"
    );
    assert!(Targets::custom(" ", cuts, TargetPreset::Standard.goals()).is_err());
    let tight = Targets::custom("tight", cuts, TargetPreset::Standard.goals()).unwrap();
    assert_eq!(Classifier::new(&tight, Unit::MgDl).classify(170.0).unwrap(), Band::High);
    // Custom cut-points of another unit are converted exactly: 160 mg/dL is 8.881 mmol/L.
    let mmol = Classifier::new(&tight, Unit::MmolL);
    assert_eq!(mmol.classify(8.88).unwrap(), Band::InRange);
    assert_eq!(mmol.classify(8.89).unwrap(), Band::High);
}

#[test]
fn units_parse_exactly() {
    assert_eq!("mg/dL".parse::<Unit>().unwrap(), Unit::MgDl);
    assert_eq!("mmol/L".parse::<Unit>().unwrap(), Unit::MmolL);
    for bad in ["mg/dl", "MMOL/L", "mgdl", ""] {
        let err = bad.parse::<Unit>().unwrap_err();
        assert_eq!(err, GlucoseError::UnknownUnit { value: bad.into() });
    }
    assert!(serde_json::from_str::<Unit>("\"mg/dl\"").is_err());
    assert_eq!(Unit::MgDl.convert(180.1559, Unit::MmolL), 10.0);
}

#[test]
fn targets_round_trip_through_json() {
    for preset in TargetPreset::ALL {
        let t = Targets::preset(preset);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, format!("{{\"preset\":\"{}\"}}", preset.as_str()));
        assert_eq!(serde_json::from_str::<Targets>(&json).unwrap(), t);
    }
    let custom = r#"{"name":"tight","cut_points":{"unit":"mmol/L","very_low_below":3.0,"low_below":3.9,"high_above":8.9,"very_high_above":13.9},"goals":{"min_percent_in_range":60.0,"max_percent_below_range":4.0,"max_percent_below_very_low":1.0,"max_percent_above_range":null,"max_percent_above_very_high":5.0}}"#;
    let t: Targets = serde_json::from_str(custom).unwrap();
    assert_eq!(t.name(), "tight");
    assert_eq!(t.cut_points(Unit::MmolL).high_above(), 8.9);
    assert_eq!(serde_json::to_string(&t).unwrap(), custom);

    let bad = r#"{"name":"x","cut_points":{"unit":"mg/dL","very_low_below":54,"low_below":70,"high_above":60,"very_high_above":250},"goals":{"min_percent_in_range":60,"max_percent_below_range":4,"max_percent_below_very_low":null,"max_percent_above_range":null,"max_percent_above_very_high":null}}"#;
    let err = serde_json::from_str::<Targets>(bad).unwrap_err().to_string();
    assert!(err.contains("cut_points.high_above = 60"), "{err}");
    let err = serde_json::from_str::<Targets>(r#"{"preset":"standard","name":"x"}"#).unwrap_err().to_string();
    assert!(err.contains("takes no other field"), "{err}");
    let err = serde_json::from_str::<Targets>(r#"{"name":"x"}"#).unwrap_err().to_string();
    assert!(err.contains("custom targets need cut_points, goals"), "{err}");
    let err = serde_json::from_str::<Targets>(r#"{"preset":"standard","typo":1}"#).unwrap_err().to_string();
    assert!(err.contains("unknown field `typo`"), "{err}");
}

#[test]
fn bands_have_stable_codes_and_wire_names() {
    let names: Vec<String> = Band::ALL.iter().map(|b| serde_json::to_string(b).unwrap()).collect();
    assert_eq!(names, ["\"very_low\"", "\"low\"", "\"in_range\"", "\"high\"", "\"very_high\""]);
    for (i, band) in Band::ALL.iter().enumerate() {
        assert_eq!(band.code() as usize, i);
        assert_eq!(Band::from_code(band.code()), Some(*band));
    }
    assert_eq!(Band::from_code(MISSING_CODE), None);
    assert_eq!(Band::from_code(5), None);
}

/// The mg/dL values where rounded mmol/L cut-points put a converted value in the neighbouring band.
fn in_seam(mg_dl: f64) -> bool {
    let seams = [(54.0, 54.05), (70.0, 70.27), (179.99, 180.16), (249.99, 250.42)];
    seams.iter().any(|&(lo, hi)| mg_dl >= lo - 1e-9 && mg_dl <= hi)
}

fn valid_mg_dl() -> impl Strategy<Value = f64> {
    PLAUSIBLE_MIN_MG_DL..=PLAUSIBLE_MAX_MG_DL
}

fn invalid_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        -1e12..=0.0,
        0.0..PLAUSIBLE_MIN_MG_DL - 1e-9,
        PLAUSIBLE_MAX_MG_DL + 1e-9..1e300,
    ]
}

proptest! {
    #[test]
    fn every_valid_value_gets_exactly_one_band(v in valid_mg_dl()) {
        let band = standard(Unit::MgDl).classify(v).unwrap();
        let cuts = CutPoints::STANDARD_MG_DL;
        let memberships = [
            v < cuts.very_low_below(),
            v >= cuts.very_low_below() && v < cuts.low_below(),
            v >= cuts.low_below() && v <= cuts.high_above(),
            v > cuts.high_above() && v <= cuts.very_high_above(),
            v > cuts.very_high_above(),
        ];
        prop_assert_eq!(memberships.iter().filter(|m| **m).count(), 1);
        prop_assert!(memberships[band.code() as usize]);
    }

    #[test]
    fn classification_is_monotone(a in valid_mg_dl(), b in valid_mg_dl(), preset in 0usize..3) {
        let c = Classifier::new(&Targets::preset(TargetPreset::ALL[preset]), Unit::MgDl);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(c.classify(lo).unwrap() <= c.classify(hi).unwrap());
    }

    #[test]
    fn units_agree_away_from_the_rounding_seam(v in valid_mg_dl()) {
        prop_assume!(!in_seam(v));
        let mg = standard(Unit::MgDl).classify(v).unwrap();
        let mmol = standard(Unit::MmolL).classify(Unit::MgDl.convert(v, Unit::MmolL)).unwrap();
        prop_assert_eq!(mg, mmol);
    }

    #[test]
    fn invalid_values_are_errors_never_panics(v in invalid_value(), unit in prop_oneof![Just(Unit::MgDl), Just(Unit::MmolL)]) {
        let v = if unit == Unit::MmolL && v.is_finite() && v > 0.0 { v / 18.01559 } else { v };
        let is_invalid_value = matches!(
            standard(unit).classify(v),
            Err(GlucoseError::InvalidValue { .. })
        );
        prop_assert!(is_invalid_value);
    }

    #[test]
    fn batch_agrees_with_single_values(
        values in prop::collection::vec(prop_oneof![8 => valid_mg_dl(), 1 => Just(f64::NAN)], 0..300)
    ) {
        let c = standard(Unit::MgDl);
        let mut codes = vec![0i8; values.len()];
        let counts = c.classify_into(&values, &mut codes).unwrap();
        let mut expected = BandCounts::default();
        for (v, code) in values.iter().zip(&codes) {
            if v.is_nan() {
                prop_assert_eq!(*code, MISSING_CODE);
                expected.missing += 1;
            } else {
                let band = c.classify(*v).unwrap();
                prop_assert_eq!(*code, band.code());
                expected.add(band);
            }
        }
        prop_assert_eq!(counts, expected);
        prop_assert_eq!(c.count(&values).unwrap(), counts);
    }

    #[test]
    fn batch_error_names_the_first_invalid_index(
        mut values in prop::collection::vec(valid_mg_dl(), 1..100),
        bad in invalid_value().prop_filter("NaN is missing in batches", |v| !v.is_nan()),
        at in any::<prop::sample::Index>(),
    ) {
        let index = at.index(values.len());
        values[index] = bad;
        let err = standard(Unit::MgDl).count(&values).unwrap_err();
        let is_at_index = matches!(err, GlucoseError::InvalidValueAt { index: i, .. } if i == index);
        prop_assert!(is_at_index);
    }
}

#[test]
fn json_numbers_round_trip_exactly() {
    // The wire contract: every f64 survives JSON text unchanged (serde_json's float_roundtrip).
    for v in
        [0.1_f64 + 0.2, 123.665_523_156_089_2, 1e-300, 5e-324, 1.7976931348623157e308, 3.885_000_000_000_001]
    {
        let text = serde_json::to_string(&v).unwrap();
        let back: f64 = serde_json::from_str(&text).unwrap();
        assert_eq!(back.to_bits(), v.to_bits(), "{text}");
    }
}

/// The branch-free batch paths agree with classifying one value at a time, across chunk boundaries, with
/// missing values, and name an invalid value's index wherever it falls.
#[test]
fn batches_agree_with_one_value_at_a_time_across_chunks() {
    use pumppath::glucose::{BandCounts, Classifier, MISSING_CODE};
    let classifier = Classifier::new(&Targets::default(), Unit::MgDl);
    let mut state = 7u64;
    let values: Vec<f64> = (0..10_000)
        .map(|k| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            if k % 97 == 0 { f64::NAN } else { 20.0 + (state >> 11) as f64 / (1u64 << 53) as f64 * 500.0 }
        })
        .collect();
    let mut expected_counts = BandCounts::default();
    let expected: Vec<i8> = values
        .iter()
        .map(|&v| {
            if v.is_nan() {
                expected_counts.missing += 1;
                MISSING_CODE
            } else {
                let band = classifier.classify(v).unwrap();
                expected_counts.add(band);
                band.code()
            }
        })
        .collect();
    let mut codes = vec![0i8; values.len()];
    assert_eq!(classifier.classify_into(&values, &mut codes).unwrap(), expected_counts);
    assert_eq!(codes, expected);
    assert_eq!(classifier.count(&values).unwrap(), expected_counts);
    // An invalid value in a later chunk is named by its index; the codes before it are written.
    let mut bad = values.clone();
    bad[9_000] = -1.0;
    let err = classifier.count(&bad).unwrap_err();
    assert!(err.to_string().contains("9000"), "{err}");
    let mut codes = vec![0i8; bad.len()];
    let err = classifier.classify_into(&bad, &mut codes).unwrap_err();
    assert!(err.to_string().contains("9000"), "{err}");
    assert_eq!(codes[..8_192], expected[..8_192]);
}
