"""classify, BANDS, cgm_summary, glucose_episodes: the accepted inputs and their errors."""

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import pumppath


def test_bands_are_the_band_names_in_code_order():
    assert pumppath.BANDS == ("very_low", "low", "in_range", "high", "very_high")


def test_classify_a_list_gives_int8_codes_and_minus_one_for_nan():
    codes = pumppath.classify([50.0, 65.0, 100.0, 200.0, 300.0, float("nan")])
    assert codes.dtype == np.int8
    assert codes.tolist() == [0, 1, 2, 3, 4, -1]
    assert [pumppath.BANDS[c] for c in codes[:5]] == list(pumppath.BANDS)


def test_classify_takes_contiguous_float64_strided_and_other_dtypes():
    values = np.array([50.0, 0.0, 100.0, 0.0, 300.0])
    assert pumppath.classify(values[::2]).tolist() == [0, 2, 4]
    assert pumppath.classify(np.array([50, 100, 300], dtype=np.int64)).tolist() == [0, 2, 4]
    assert pumppath.classify(np.array([50, 100, 300], dtype=np.float32)).tolist() == [0, 2, 4]
    big = np.full(100_000, 120.0)
    assert (pumppath.classify(big) == 2).all()
    assert pumppath.classify([]).tolist() == []


def test_classify_units_and_targets():
    assert pumppath.classify([3.8, 3.9, 10.1], unit="mmol/L").tolist() == [1, 2, 3]
    assert pumppath.classify([150.0], targets="pregnancy_type1").tolist() == [3]
    assert pumppath.classify([150.0], targets={"preset": "standard"}).tolist() == [2]
    custom = {
        "name": "clinic_a",
        "cut_points": {"unit": "mg/dL", "very_low_below": 54, "low_below": 70, "high_above": 140,
                       "very_high_above": 250},
        "goals": {"min_percent_in_range": 70, "max_percent_below_range": 4},
    }
    assert pumppath.classify([150.0], targets=custom).tolist() == [3]


def test_classify_errors_are_typed():
    with pytest.raises(pumppath.GlucoseError) as raised:
        pumppath.classify([100.0, float("inf")])
    err = raised.value
    assert (err.kind, err.code) == ("GlucoseError", "invalid_value_at")
    assert "values[1]" in str(err)
    assert err.problems[0]["code"] == "infinite"
    with pytest.raises(pumppath.GlucoseError) as raised:
        pumppath.classify([100.0], unit="mg/dl")
    assert raised.value.code == "unknown_unit"
    with pytest.raises(pumppath.GlucoseError) as raised:
        pumppath.classify([100.0], targets="relaxed")
    assert (raised.value.code, raised.value.problems[0]["path"]) == ("unknown_preset", "$.targets")
    assert raised.value.problems[0]["value"] == "relaxed"
    with pytest.raises(TypeError):
        pumppath.classify(np.ones((2, 2)))


def five_minutes(n, start=datetime(2026, 3, 2, 8, 0)):
    return [start + timedelta(minutes=5 * k) for k in range(n)]


def test_cgm_summary_of_a_list_of_naive_datetimes():
    summary = pumppath.cgm_summary(five_minutes(4), [100.0, 120.0, 140.0, 60.0])
    assert isinstance(summary, pumppath.CgmSummary)
    assert (summary.unit, summary.targets, summary.readings) == ("mg/dL", "standard", 4)
    assert summary.mean == 105.0
    assert summary.percent_in_range == 75.0
    assert summary.first == "2026-03-02T08:00:00"
    assert summary.sufficient is False
    assert "too_few_days" in summary.insufficient_reasons
    with pytest.raises(AttributeError):
        summary.no_such_metric


def test_cgm_summary_to_dict_and_to_json_are_cores_shape():
    summary = pumppath.cgm_summary(five_minutes(3), [100.0, float("nan"), 200.0], targets="pregnancy_type1")
    as_dict = summary.to_dict()
    assert json.loads(summary.to_json()) == as_dict
    assert summary.missing == 1
    for name, value in as_dict.items():
        assert getattr(summary, name) == value
    assert set(as_dict) <= set(dir(summary))
    assert as_dict["targets"] == "pregnancy_type1"


def test_cgm_summary_datetime64_of_any_unit_is_the_same_wall_clock():
    times = np.array(five_minutes(3), dtype="datetime64[m]")
    values = np.array([5.5, 6.0, 7.0])
    by_minutes = pumppath.cgm_summary(times, values, unit="mmol/L")
    by_ns = pumppath.cgm_summary(times.astype("datetime64[ns]"), values, unit="mmol/L")
    by_list = pumppath.cgm_summary(five_minutes(3), values.tolist(), unit="mmol/L")
    assert by_minutes == by_ns == by_list
    assert by_minutes.unit == "mmol/L"
    assert by_minutes.last == "2026-03-02T08:10:00"


def test_cgm_summary_errors():
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.cgm_summary(five_minutes(3), [100.0, 110.0])
    assert raised.value.code == "length_mismatch"
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.cgm_summary([datetime(2026, 3, 2, 8)] * 2, [100.0, 110.0])
    assert raised.value.code == "duplicate_time"
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.cgm_summary(np.array(["2026-03-02T08:00", "NaT"], dtype="datetime64[s]"), [100.0, 110.0])
    assert raised.value.code == "time_out_of_range"
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.cgm_summary(five_minutes(2), [100.0, -5.0])
    assert raised.value.code == "invalid_value"
    assert raised.value.problems[0]["path"] == "$.values[1]"
    with pytest.raises(TypeError, match="timezone-aware"):
        pumppath.cgm_summary([datetime(2026, 3, 2, 8), datetime(2026, 3, 2, 8, 5, tzinfo=timezone.utc)], [100.0] * 2)
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.cgm_summary([datetime(2026, 3, 2, 8, tzinfo=timezone(timedelta(hours=1)))], [100.0])
    assert raised.value.code == "unknown_time_zone"
    with pytest.raises(TypeError):
        pumppath.cgm_summary(["2026-03-02T08:00:00"], [100.0])
    with pytest.raises(TypeError):
        pumppath.cgm_summary(np.array([1.0]), [100.0])


def test_glucose_episodes_finds_a_hypo():
    values = [100.0, 100.0, 60.0, 60.0, 60.0, 60.0, 60.0, 100.0, 100.0, 100.0, 100.0]
    times = np.array([3600 + k * 300 for k in range(len(values))], dtype="datetime64[s]")
    episodes = pumppath.glucose_episodes(times, values)
    assert all(isinstance(e, pumppath.Episode) for e in episodes)
    level_1 = [e for e in episodes if (e.kind, e.level) == ("hypo", "level_1")]
    assert len(level_1) == 1
    assert (level_1[0].start, level_1[0].duration_minutes) == ("1970-01-01T01:10:00", 25)
    assert json.loads(level_1[0].to_json()) == level_1[0].to_dict()
    assert pumppath.glucose_episodes(times, [100.0] * len(values)) == []
    with pytest.raises(pumppath.GlucoseError):
        pumppath.glucose_episodes(times, values, unit="mg")
