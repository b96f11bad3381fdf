"""frequently (the verdict with its evidence, as evaluate judges it) and agp (percentiles as numpy arrays)."""

from datetime import datetime, timezone

import numpy as np
import pytest

import pumppath


def cohort():
    return {p["id"]: p for p in pumppath.demo_cohort()}


def test_frequently_is_the_verdict_evaluate_gives_without_a_pump_start():
    compared = 0
    for patient in cohort().values():
        if len(patient["times"]) == 0:
            continue
        readings = (patient["times"], patient["glucose"])
        verdict = pumppath.frequently(*readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE)
        assert isinstance(verdict, pumppath.Frequently)
        assessment = pumppath.evaluate(patient["record"], readings, now=pumppath.DEMO_NOW,
                                       time_zone=pumppath.DEMO_TIME_ZONE)
        if assessment.frequently["since"] is None:  # evaluate cuts at a pump start; frequently has none
            assert assessment.frequently == verdict.to_dict()
            compared += 1
    assert compared >= 2


def test_frequently_gives_its_evidence_and_takes_a_series_targets_and_a_protocol():
    chloe = cohort()["chloe"]
    now = datetime.fromisoformat(pumppath.DEMO_NOW.replace("Z", "+00:00"))
    verdict = pumppath.frequently(chloe["times"], chloe["glucose"], now=now, time_zone=pumppath.DEMO_TIME_ZONE)
    assert verdict.verdicts == ["frequently_low"] and verdict.frequently_low
    assert [e["test"] for e in verdict.evidence][:3] == ["percent_below_range", "percent_below_very_low",
                                                          "percent_above_very_high"]
    same = pumppath.frequently(chloe["times"], chloe["glucose"], pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE,
                               protocol=pumppath.Protocol.standard(), targets="standard")
    assert same == verdict
    with pytest.raises(pumppath.GlucoseError):
        pumppath.frequently(chloe["times"], chloe["glucose"], pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE,
                            targets="lenient")


def test_frequently_takes_changed_settings_checked_as_a_protocol_checks_them():
    chloe = cohort()["chloe"]
    readings = (chloe["times"], chloe["glucose"])
    verdict = pumppath.frequently(*readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE,
                                  settings={"episode_window_days": 3})
    default = pumppath.frequently(*readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE)
    assert verdict.episode_window_start > default.episode_window_start
    assert verdict.window_start == default.window_start
    with pytest.raises(pumppath.ProtocolError) as raised:
        pumppath.frequently(*readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE, settings={"window_days": 1})
    assert raised.value.problems[0]["path"] == "$.settings.frequently.window_days"
    with pytest.raises(pumppath.ProtocolError) as raised:
        pumppath.frequently(*readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE, settings={"windows": 3})
    assert raised.value.problems[0]["code"] == "unknown_field"
    with pytest.raises(TypeError):
        pumppath.frequently(*readings, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE, settings=[3])


def test_frequently_errors():
    times = np.array(["2026-03-02T08:00"], dtype="datetime64[s]")
    with pytest.raises(pumppath.RequestError):
        pumppath.frequently(times, [100.0], datetime(2026, 3, 3), "UTC")
    with pytest.raises(pumppath.ScheduleError):
        pumppath.frequently(times, [100.0], datetime(2026, 3, 3, tzinfo=timezone.utc), "Mars/Olympus")
    with pytest.raises(TypeError):
        pumppath.frequently(times, [100.0])


def three_days():
    times, values = [], []
    for day in range(3):
        for seconds, value in [(8 * 3600, 100.0), (8 * 3600 + 300, 120.0), (20 * 3600, 200.0)]:
            times.append(day * 86_400 + seconds)
            values.append(value + day)
    return np.array(times, dtype="datetime64[s]"), np.array(values)


def test_agp_gives_the_percentiles_by_time_of_day_as_numpy_arrays():
    profile = pumppath.agp(*three_days())
    assert (profile["unit"], profile["bin_minutes"]) == ("mg/dL", 15)
    assert profile["start"].dtype == np.dtype("timedelta64[m]") and len(profile["start"]) == 96
    assert profile["start"][32] == np.timedelta64(8 * 60, "m")
    assert profile["readings"].dtype == np.int64 and profile["readings"][32] == 6
    for name in ("p5", "p25", "p50", "p75", "p95"):
        assert profile[name].dtype == np.float64 and profile[name].shape == (96,)
    assert profile["p50"][32] == 111.0  # halfway between 102 and 120, as numpy's default percentile
    assert profile["p50"][32] == np.percentile([100, 101, 102, 120, 121, 122], 50)
    assert np.isnan(profile["p50"][0])


def test_agp_bins_a_series_and_checks_the_bin_width():
    times, values = three_days()
    hourly = pumppath.agp(times, values, bin_minutes=60)
    assert len(hourly["start"]) == 24 and hourly["readings"][20] == 3
    [series] = pumppath.read_long_csv("id,time,gl\nA,2026-03-02 08:00:00,100\nA,2026-03-02 08:05:00,120\n")
    assert pumppath.agp(series)["readings"][32] == 2
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.agp(times, values, bin_minutes=7)
    assert raised.value.code == "invalid_bin_minutes"
