"""The times cgm_summary, glucose_episodes and evaluate take: numpy, pandas (naive and timezone-aware) and
lists of datetime; timezone-aware values are instants, shown in their zone by core's bundled tzdb."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import pumppath

pd = pytest.importorskip("pandas")

CHICAGO = "America/Chicago"
VALUES = [100.0, 120.0, 140.0, 60.0]


def naive(n=4):
    return pd.Series(pd.date_range("2026-03-02 08:00", periods=n, freq="5min"))


def test_a_naive_pandas_series_or_index_is_the_wall_clock_as_numpy_gives_it():
    by_numpy = pumppath.cgm_summary(naive().to_numpy(), VALUES)
    assert pumppath.cgm_summary(naive(), VALUES) == by_numpy
    assert pumppath.cgm_summary(pd.DatetimeIndex(naive()), pd.Series(VALUES)) == by_numpy
    assert pumppath.cgm_summary(naive().astype("datetime64[s]"), VALUES) == by_numpy
    assert by_numpy.first == "2026-03-02T08:00:00"


def test_a_timezone_aware_series_is_instants_shown_in_its_zone():
    aware = naive().dt.tz_localize(CHICAGO)
    summary = pumppath.cgm_summary(aware, VALUES)
    assert (summary.first, summary.last) == ("2026-03-02T08:00:00", "2026-03-02T08:15:00")
    assert pumppath.cgm_summary(pd.DatetimeIndex(aware), VALUES) == summary
    in_utc = pumppath.cgm_summary(aware.dt.tz_convert("UTC"), VALUES)
    assert in_utc.first == "2026-03-02T14:00:00"  # the same instants, UTC's wall-clock
    assert in_utc.mean == summary.mean


def test_the_autumn_hour_keeps_every_reading_by_cores_tzdb():
    instants = pd.Series(pd.date_range("2026-11-01 06:00", periods=4, freq="30min", tz="UTC"))
    local = instants.dt.tz_convert(CHICAGO)  # 01:00 CDT, 01:30 CDT, 01:00 CST, 01:30 CST
    summary = pumppath.cgm_summary(local, VALUES)
    assert (summary.readings, summary.duplicates) == (4, 0)
    assert (summary.first, summary.last) == ("2026-11-01T01:00:00", "2026-11-01T01:30:00")
    assert summary.span_days == pytest.approx(1.5 / 24)


def test_a_list_of_aware_datetimes_in_one_zone_is_read_by_core_in_that_zone():
    zone = ZoneInfo(CHICAGO)
    times = [datetime(2026, 3, 2, 8, tzinfo=zone) + timedelta(minutes=5 * k) for k in range(4)]
    assert pumppath.cgm_summary(times, VALUES) == pumppath.cgm_summary(naive().dt.tz_localize(CHICAGO), VALUES)
    other = [times[0], times[1].astimezone(ZoneInfo("Europe/Paris"))]
    with pytest.raises(TypeError, match="another time zone"):
        pumppath.cgm_summary(other, VALUES[:2])
    with pytest.raises(TypeError, match="naive"):
        pumppath.cgm_summary([times[0], datetime(2026, 3, 2, 8, 5)], VALUES[:2])


def test_an_aware_series_whose_zone_core_does_not_know_is_a_series_error():
    fixed = naive().dt.tz_localize("Etc/GMT+6").dt.tz_convert(pd.Timestamp(0, tz="-06:00").tz)
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.cgm_summary(fixed, VALUES)
    assert raised.value.code == "unknown_time_zone"


def test_aware_times_in_episodes_evaluate_and_summarize():
    aware = naive(11).dt.tz_localize(CHICAGO)
    values = [100.0, 100.0, 60.0, 60.0, 60.0, 60.0, 60.0, 100.0, 100.0, 100.0, 100.0]
    [hypo] = [e for e in pumppath.glucose_episodes(aware, values) if e.level == "level_1"]
    assert hypo.start == "2026-03-02T08:10:00"
    record = pumppath.PatientRecord(pumppath.Protocol.standard(), "p1")
    assessment = pumppath.evaluate(record, (aware, values), now="2026-03-03T12:00:00Z", time_zone=CHICAGO)
    assert assessment.cgm["readings"] == 11
    table = pumppath.summarize(pd.DataFrame({"id": ["a"] * 11, "time": aware, "gl": values}))
    assert table["first"].tolist() == ["2026-03-02T08:00:00"]
    assert table["readings"].tolist() == [11]


def test_other_pandas_columns_are_type_errors():
    with pytest.raises(TypeError):
        pumppath.cgm_summary(pd.Series([1.0, 2.0]), [100.0, 110.0])
    with pytest.raises(TypeError):
        pumppath.cgm_summary(np.array([1, 2]), [100.0, 110.0])
