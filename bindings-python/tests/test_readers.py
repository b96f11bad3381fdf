"""The CSV readers, Series, and the per-patient summaries of a long-form table (summarize, summary_rows)."""

import json
import pathlib

import numpy as np
import pytest

import pumppath

pd = pytest.importorskip("pandas")

LONG = """id,time,gl
"Subject 1",2015-06-06 16:50:27,153
"Subject 1",2015-06-06 17:05:27,NA
"Subject 2",2015-02-24 17:31:29,280
"Subject 1",2015-06-06 16:55:27,137
"""

CLARITY = """Index,Timestamp (YYYY-MM-DDThh:mm:ss),Event Type,Event Subtype,Glucose Value (mg/dL)
1,,FirstName,,
2,,Alert,Urgent Low,55
3,2026-03-02T08:00:04,EGV,,Low
4,2026-03-02T08:05:04,EGV,,61
"""


def test_read_long_csv_text_gives_one_series_per_patient():
    patients = pumppath.read_long_csv(LONG)
    assert [p.id for p in patients] == ["Subject 1", "Subject 2"]
    first = patients[0]
    assert isinstance(first, pumppath.Series)
    assert (first.unit, first.time_zone, len(first), first.missing) == ("mg/dL", None, 2, 1)
    assert first.times.dtype == np.dtype("datetime64[s]")
    assert first.times.tolist() == list(np.array(["2015-06-06T16:50:27", "2015-06-06T16:55:27"],
                                                 dtype="datetime64[s]").tolist())
    assert first.glucose.dtype == np.float64 and first.glucose.tolist() == [153.0, 137.0]
    assert "Subject 1" in repr(first)


def test_read_long_csv_from_a_path_bytes_and_pathlike(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(LONG)
    by_path = pumppath.read_long_csv(str(path))
    by_pathlike = pumppath.read_long_csv(path)
    by_bytes = pumppath.read_long_csv(LONG.encode())
    assert [p.glucose.tolist() for p in by_path] == [p.glucose.tolist() for p in by_pathlike] \
        == [p.glucose.tolist() for p in by_bytes]
    with pytest.raises(FileNotFoundError):
        pumppath.read_long_csv(tmp_path / "absent.csv")


def test_read_long_csv_in_a_time_zone_shows_the_wall_clock():
    patients = pumppath.read_long_csv(LONG, time_zone="America/Chicago")
    assert patients[0].time_zone == "America/Chicago"
    assert str(patients[0].times[0]) == "2015-06-06T16:50:27"


def test_a_malformed_csv_raises_read_error_naming_line_column_and_value():
    bad = "id,time,gl\nA,2026-03-02 08:00:00,112\nA,2026-03-02 08:05:00,abc\n"
    with pytest.raises(pumppath.ReadError) as raised:
        pumppath.read_long_csv(bad)
    err = raised.value
    assert (err.kind, err.code) == ("ReadError", "invalid_value")
    assert err.problems[0] == {"path": 'line 3, column "gl"', "code": "not_a_number",
                               "message": 'line 3, column "gl": glucose value "abc" is not a number',
                               "value": "abc"}
    with pytest.raises(pumppath.ReadError) as raised:
        pumppath.read_long_csv("id,when,gl\nA,2026-03-02 08:00:00,112\n")
    assert raised.value.code == "missing_column"
    with pytest.raises(pumppath.ReadError) as raised:
        pumppath.read_dexcom_clarity("Index,Event Type\n1,EGV\n")
    assert raised.value.code == "missing_column"
    with pytest.raises(pumppath.ReadError) as raised:
        pumppath.read_long_csv(LONG, time_zone="Mars/Olympus")
    assert raised.value.problems[0]["code"] == "unknown_time_zone"


def test_read_dexcom_clarity_reads_the_egv_rows_and_the_sensor_limits():
    [series] = pumppath.read_dexcom_clarity(CLARITY, id="p7")
    assert (series.id, series.unit, len(series)) == ("p7", "mg/dL", 2)
    assert series.glucose.tolist() == [40.0, 61.0]  # Low at the default sensor's 40 mg/dL
    assert series.summary().at_sensor_limit == 1


def test_a_series_is_readings_for_cgm_summary_episodes_and_evaluate():
    first = pumppath.read_long_csv(LONG)[0]
    assert pumppath.cgm_summary(first) == first.summary()
    by_arrays = pumppath.cgm_summary(first.times, first.glucose).to_dict()
    assert by_arrays == {**first.summary().to_dict(), "missing": 0}  # the arrays hold the readings present
    assert pumppath.glucose_episodes(first) == []
    assert json.loads(first.to_json())["unit"] == "mg/dL"
    record = pumppath.PatientRecord(pumppath.Protocol.standard(), "p1")
    by_series = pumppath.evaluate(record, first, now="2015-06-07T12:00:00Z", time_zone="America/Chicago")
    by_arrays = pumppath.evaluate(record, (first.times, first.glucose), now="2015-06-07T12:00:00Z",
                                  time_zone="America/Chicago")
    assert by_series == by_arrays
    with pytest.raises(TypeError):
        pumppath.cgm_summary(first, first.glucose)
    with pytest.raises(TypeError):
        pumppath.cgm_summary(first.times)


def frame():
    return pd.DataFrame({
        "id": ["b", "a", "b", "a", "b"],
        "time": pd.to_datetime(["2026-03-02 08:00", "2026-03-02 08:00", "2026-03-02 08:05", "2026-03-02 08:05",
                                "2026-03-02 08:10"]),
        "gl": [150.0, 60.0, 160.0, 110.0, float("nan")],
    })


def test_summarize_a_dataframe_gives_one_row_per_patient_from_cores_summary():
    table = pumppath.summarize(frame())
    assert isinstance(table, pd.DataFrame)
    assert table["id"].tolist() == ["b", "a"]
    assert table["readings"].tolist() == [2, 2]
    assert table["missing"].tolist() == [1, 0]
    assert table["mean"].tolist() == [155.0, 85.0]
    assert table["first"].tolist() == ["2026-03-02T08:00:00"] * 2
    expected = pumppath.cgm_summary(np.array(["2026-03-02T08:00", "2026-03-02T08:05"], dtype="datetime64[s]"),
                                    [60.0, 110.0]).to_dict()
    row = table.set_index("id").loc["a"].to_dict()
    assert {k: row[k] for k in ("percent_low", "percent_in_range", "sd", "gmi")} == \
        {k: expected[k] for k in ("percent_low", "percent_in_range", "sd", "gmi")}


def test_summary_rows_backs_summarize_as_a_list_of_dicts():
    rows = pumppath.summary_rows(frame())
    assert isinstance(rows, list) and all(isinstance(r, dict) for r in rows)
    assert list(rows[0])[0] == "id"
    table = pumppath.summarize(frame())
    assert list(table.columns) == list(rows[0])
    assert [r["mean"] for r in rows] == table["mean"].tolist()
    columns = {"id": ["b", "a", "b", "a", "b"], "time": list(frame()["time"]), "gl": list(frame()["gl"])}
    assert [r["mean"] for r in pumppath.summary_rows(columns)] == [155.0, 85.0]


def test_summarize_names_columns_units_and_targets():
    renamed = frame().rename(columns={"id": "subject", "time": "ts", "gl": "mmol"})
    renamed["mmol"] = renamed["mmol"] / 18.0
    table = pumppath.summarize(renamed, id="subject", time="ts", glucose="mmol", unit="mmol/L",
                               targets="pregnancy_type1")
    assert table["unit"].tolist() == ["mmol/L"] * 2
    assert table["targets"].tolist() == ["pregnancy_type1"] * 2
    with pytest.raises(KeyError):
        pumppath.summarize(frame(), id="subject")


def test_summarize_the_readers_output():
    rows = pumppath.summary_rows(pumppath.read_long_csv(LONG))
    assert [(r["id"], r["readings"]) for r in rows] == [("Subject 1", 2), ("Subject 2", 1)]
    table = pumppath.summarize(pumppath.read_long_csv(LONG))
    assert table["id"].tolist() == ["Subject 1", "Subject 2"]
    with pytest.raises(TypeError):
        pumppath.summary_rows([1, 2])


def test_summarize_errors_are_cores():
    duplicated = frame()
    duplicated.loc[2, "time"] = duplicated.loc[0, "time"]
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.summarize(duplicated)
    assert raised.value.code == "patient_series"
    with pytest.raises(pumppath.GlucoseError):
        pumppath.summarize(frame(), unit="mg")


def test_summarize_without_pandas_is_the_list_of_dicts(monkeypatch):
    columns = {"id": ["b", "a", "b"], "time": list(frame()["time"])[:3], "gl": [150.0, 60.0, 160.0]}
    monkeypatch.setitem(__import__("sys").modules, "pandas", None)  # import pandas now raises ImportError
    rows = pumppath.summarize(columns)
    assert isinstance(rows, list)
    assert rows == pumppath.summary_rows(columns)
    assert [r["id"] for r in rows] == ["b", "a"]
