"""summarize_cohort: a cohort as Arrow data, one row per patient equal to the patient summarised alone."""

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

import pumppath

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

SHARED_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "cgm" / "iglu_example_5_subject.csv"
EPISODE_COLUMNS = {
    ("hypo", "level_1"): "hypo_level_1_episodes",
    ("hypo", "level_2"): "hypo_level_2_episodes",
    ("hypo", "extended"): "extended_hypo_episodes",
    ("hyper", "level_1"): "hyper_level_1_episodes",
    ("hyper", "level_2"): "hyper_level_2_episodes",
}


def small_cohort():
    """Three patients over two days at 5 minutes: steady, frequent lows, frequent highs; times naive."""
    rows = []
    start = dt.datetime(2026, 3, 1, 0, 2, 30)
    for patient, low, high in (("steady", 0, 0), ("lows", 40, 0), ("highs", 0, 80)):
        for k in range(2 * 288):
            hour = k % 144
            value = 120.0 + 10 * np.sin(k / 20)
            if hour < low // 5:
                value = 58.0
            if hour < high // 5:
                value = 280.0
            rows.append((patient, start + dt.timedelta(minutes=5 * k), value))
    return pd.DataFrame(rows, columns=["id", "time", "gl"])


def alone(times, glucose, unit="mg/dL", zone="UTC"):
    """The cohort row of one patient, computed by the one-patient functions."""
    summary = pumppath.cgm_summary(times, glucose, unit=unit).to_dict()
    episodes = pumppath.glucose_episodes(times, glucose, unit=unit)
    last = pd.Timestamp(times[-1])
    now = (last.tz_localize("UTC") if last.tzinfo is None else last).isoformat()
    verdict = pumppath.frequently(times, glucose, now=now, time_zone=zone, unit=unit)
    row = {column: summary[column] for column in pumppath.COHORT_COLUMNS if column in summary}
    for (kind, level), column in EPISODE_COLUMNS.items():
        row[column] = sum(e.kind == kind and e.level == level for e in episodes)
    row.update(frequently_low=verdict.frequently_low, frequently_high=verdict.frequently_high,
               frequently=list(verdict.verdicts), error_code=None, error=None)
    return row


def as_expected(row):
    """A result row with its times as core's ISO text."""
    return {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()}


def check_equals_alone(result, frame, id="id", time="time", glucose="gl", unit="mg/dL"):
    rows = result.to_pylist()
    assert [r[id] for r in rows] == list(dict.fromkeys(frame[id]))
    for row in rows:
        patient = frame[frame[id] == row[id]]
        want = alone(patient[time].to_numpy(), patient[glucose].to_numpy(dtype=float), unit)
        got = as_expected({k: v for k, v in row.items() if k != id})
        assert got == want, row[id]


def test_each_patient_equals_the_patient_alone_and_the_columns_are_the_contract():
    frame = small_cohort()
    result = pumppath.summarize_cohort(pa.Table.from_pandas(frame, preserve_index=False))
    assert isinstance(result, pa.Table)
    assert result.column_names == ["id", *pumppath.COHORT_COLUMNS]
    assert pumppath.COHORT_COLUMNS[-2:] == ("error_code", "error")
    check_equals_alone(result, frame)
    rows = {r["id"]: r for r in result.to_pylist()}
    assert rows["lows"]["frequently_low"] and rows["lows"]["frequently"] == ["frequently_low"]
    assert rows["highs"]["frequently_high"] and not rows["steady"]["frequently_low"]
    types = dict(zip(result.column_names, result.schema.types))
    assert (types["readings"], types["mean"], types["first"], types["sufficient"]) == (
        pa.int64(), pa.float64(), pa.timestamp("s"), pa.bool_())
    assert types["frequently"] == pa.list_(pa.string())


def test_every_arrow_source_gives_the_same_table():
    frame = small_cohort()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    want = pumppath.summarize_cohort(table)
    # Several chunks, a RecordBatch, a pandas DataFrame (Arrow PyCapsule), the rows interleaved.
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=500))
    assert chunked.column("gl").num_chunks > 1
    assert pumppath.summarize_cohort(chunked).equals(want)
    assert pumppath.summarize_cohort(table.to_batches()[0] if table.column("gl").num_chunks == 1
                                     else table.combine_chunks().to_batches()[0]).equals(want)
    assert pumppath.summarize_cohort(frame).equals(want)
    interleaved = frame.iloc[np.argsort(np.arange(len(frame)) % 576, kind="stable")]
    assert interleaved["id"].iloc[:3].tolist() == ["steady", "lows", "highs"]
    assert pumppath.summarize_cohort(interleaved).equals(want)


def test_polars_frames_and_their_types_are_read():
    pl = pytest.importorskip("polars")
    frame = small_cohort()
    result = pumppath.summarize_cohort(pl.from_pandas(frame))
    want = pumppath.summarize_cohort(frame)
    assert result.drop_columns(["id"]).equals(want.drop_columns(["id"]))
    assert result["id"].to_pylist() == want["id"].to_pylist()


def test_integer_and_categorical_ids_keep_their_type_and_other_names_are_given():
    frame = small_cohort().rename(columns={"id": "patient", "time": "at", "gl": "glucose"})
    codes = {"steady": 7, "lows": 3, "highs": 11}
    numbered = frame.assign(patient=frame["patient"].map(codes).astype("int32"))
    result = pumppath.summarize_cohort(numbered, id="patient", time="at", glucose="glucose")
    assert result.schema.field("patient").type == pa.int32()
    assert result["patient"].to_pylist() == [7, 3, 11]
    categorical = frame.assign(patient=frame["patient"].astype("category"))
    result = pumppath.summarize_cohort(categorical, id="patient", time="at", glucose="glucose")
    assert result["patient"].to_pylist() == ["steady", "lows", "highs"]
    assert pa.types.is_dictionary(result.schema.field("patient").type)


def test_nulls_and_nans_are_missing_readings_and_integer_glucose_is_read():
    frame = small_cohort()
    frame["gl"] = frame["gl"].round()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    whole = pumppath.summarize_cohort(table.set_column(2, "gl", pc_cast(table["gl"], pa.int16())))
    assert whole.drop_columns(["id"]).equals(pumppath.summarize_cohort(table).drop_columns(["id"]))
    values = table["gl"].to_pylist()
    values[0], values[1] = None, float("nan")
    holed = pumppath.summarize_cohort(table.set_column(2, "gl", pa.array(values, pa.float64())))
    assert holed["missing"].to_pylist() == [2, 0, 0]
    assert holed["readings"].to_pylist()[0] == 2 * 288 - 2


def pc_cast(column, type):
    import pyarrow.compute as pc

    return pc.cast(column, type)


def test_zoned_times_are_instants_shown_on_their_clock():
    frame = small_cohort()
    frame["time"] = frame["time"].dt.tz_localize("UTC").dt.tz_convert("America/Chicago")
    result = pumppath.summarize_cohort(frame)
    steady = result.to_pylist()[0]
    assert steady["first"] == dt.datetime(2026, 2, 28, 18, 2, 30)  # 00:02:30 UTC on Chicago's clock
    patient = frame[frame["id"] == "steady"]
    want = pumppath.cgm_summary(patient["time"], patient["gl"].to_numpy())
    assert steady["mean"] == want.mean and steady["percent_in_range"] == want.percent_in_range


def test_a_patient_whose_readings_cannot_form_a_series_gets_its_error_and_the_others_their_rows():
    frame = small_cohort()
    frame.loc[frame.index[600], "time"] = frame["time"].iloc[601]  # lows: two readings at one time
    frame.loc[frame.index[1200], "gl"] = -5.0  # highs: a negative glucose value
    rows = pumppath.summarize_cohort(frame).to_pylist()
    assert rows[0]["error"] is None and rows[0]["readings"] == 576
    assert rows[1]["error_code"] == "duplicate_time" and rows[1]["readings"] is None
    assert "2026-03-01T02:07:30" in rows[1]["error"]
    assert rows[2]["error_code"] == "invalid_value" and "-5" in rows[2]["error"]
    assert rows[2]["mean"] is None and rows[2]["frequently"] is None


@pytest.mark.parametrize(
    "change, code, path, message",
    [
        (lambda t: t.drop_columns(["gl"]), "missing_column", 'column "gl"',
         'the table has no column "gl" (its columns: id, time)'),
        (lambda t: t.set_column(1, "time", pa.array([str(x) for x in t["time"].to_pylist()])), "column_type",
         'column "time"', 'column "time" is of type Utf8; expected a timestamp (with or without a time zone)'),
        (lambda t: t.set_column(2, "gl", pa.array(["x"] * len(t))), "column_type", 'column "gl"',
         'column "gl" is of type Utf8; expected numbers'),
        (lambda t: t.set_column(0, "id", pa.array(["a"] * 5 + [None] + ["a"] * (len(t) - 6))), "null_value",
         'column "id", row 5', 'column "id", row 5: null, which this column may not hold'),
        (lambda t: t.set_column(1, "time", pa.array([None] * len(t), pa.timestamp("us"))), "null_value",
         'column "time", row 0', 'column "time", row 0: null, which this column may not hold'),
    ],
)
def test_a_table_that_cannot_be_read_raises_cohort_error_naming_the_column(change, code, path, message):
    table = pa.Table.from_pandas(small_cohort(), preserve_index=False)
    with pytest.raises(pumppath.CohortError) as raised:
        pumppath.summarize_cohort(change(table))
    err = raised.value
    assert (err.code, err.problems[0]["path"], str(err)) == (code, path, message)


def test_an_unknown_unit_or_zone_is_refused_for_the_whole_table():
    frame = small_cohort()
    with pytest.raises(pumppath.GlucoseError):
        pumppath.summarize_cohort(frame, unit="mg")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    zoned = table.set_column(1, "time", table["time"].cast(pa.timestamp("us", tz="+01:00")))
    with pytest.raises(pumppath.SeriesError, match=r"time_zone = \"\+01:00\": not a known IANA time zone"):
        pumppath.summarize_cohort(zoned)
    assert pumppath.summarize_cohort(table.slice(0, 0)).num_rows == 0


@pytest.mark.skipif(not SHARED_CSV.is_file(), reason=f"{SHARED_CSV} absent (it is beside the repository in CI)")
def test_the_shared_five_subjects_equal_each_subject_alone():
    frame = pd.read_csv(SHARED_CSV, usecols=["id", "time", "gl"])
    frame["time"] = pd.to_datetime(frame["time"])
    check_equals_alone(pumppath.summarize_cohort(frame), frame)


def test_whole_patients_regroups_batches_cut_inside_patients():
    import doctest

    import pumppath.cohort

    assert doctest.testmod(pumppath.cohort).failed == 0
    table = pa.Table.from_pandas(small_cohort(), preserve_index=False)
    for size, min_rows in ((100, 1), (1000, 700), (10_000, 1 << 20)):
        pieces = list(pumppath.cohort.whole_patients(table.to_batches(max_chunksize=size), min_rows=min_rows))
        assert pa.concat_tables(pieces).equals(table)
        assert all(len(set(p["id"].to_pylist()) & set(q["id"].to_pylist())) == 0 for p, q in zip(pieces, pieces[1:]))
        assert all(p.num_rows >= min(min_rows, 576) for p in pieces)
    assert list(pumppath.cohort.whole_patients([])) == []
