"""pumppath.spark on a local Spark session (local[2], 127.0.0.1): each patient's row equals summarize_cohort's.

Skipped, saying why, without Java or pyspark; the README's test command installs pyspark and runs it where
Java is present.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

import pumppath

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyspark", reason="pyspark is not installed (the test command installs it)")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Java is not installed: Spark needs a JDK (17 or later)", allow_module_level=True)

from pumppath import spark as pumppath_spark  # noqa: E402

SHARED_CSV = Path(__file__).resolve().parents[3] / "shared" / "data" / "cgm" / "iglu_example_5_subject.csv"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers run this interpreter (pumppath and pyarrow installed); Spark listens on loopback only.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("pumppath-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield session
    session.stop()


def cohort():
    """The shared five subjects when present, else the project's own three-patient cohort."""
    if SHARED_CSV.is_file():
        frame = pd.read_csv(SHARED_CSV, usecols=["id", "time", "gl"])
        frame["time"] = pd.to_datetime(frame["time"])
        return frame
    from test_cohort import small_cohort

    return small_cohort()


def by_id(rows, id="id"):
    return {row[id]: {k: v for k, v in row.items() if k != id} for row in rows}


def test_a_partitioned_parquet_cohort_summarised_on_spark_equals_summarize_cohort(spark, tmp_path):
    frame = cohort()
    # Stored as a health system would: Parquet partitioned by patient, times the devices' wall clock.
    pq.write_to_dataset(pa.Table.from_pandas(frame, preserve_index=False), tmp_path / "cgm", partition_cols=["id"])
    readings = spark.read.parquet(str(tmp_path / "cgm"))
    assert dict(readings.dtypes)["time"] == "timestamp_ntz"
    result = pumppath_spark.summarize(readings)
    assert result.columns == ["id", *pumppath.COHORT_COLUMNS]
    assert result.schema == pumppath_spark.result_schema(readings)
    got = by_id(row.asDict() for row in result.collect())
    want = by_id(pumppath.summarize_cohort(frame).to_pylist())
    assert got.keys() == want.keys() and len(got) == frame["id"].nunique()
    for patient in want:
        assert got[patient] == want[patient], patient


def test_instants_are_read_in_the_session_zone_and_errors_stay_on_their_patient(spark):
    frame = cohort()
    first = frame["id"].iloc[0]
    frame.loc[frame.index[1], "time"] = frame["time"].iloc[2]  # the first patient: two readings at one time
    instants = frame.assign(time=frame["time"].dt.tz_localize("UTC"))
    readings = spark.createDataFrame(instants)
    assert dict(readings.dtypes)["time"] == "timestamp"
    got = by_id(row.asDict() for row in pumppath_spark.summarize(readings).collect())
    want = by_id(pumppath.summarize_cohort(instants).to_pylist())
    assert got[first]["error_code"] == "duplicate_time" and got[first]["mean"] is None
    for patient in want:
        assert got[patient] == want[patient], patient


def test_a_missing_column_is_refused_on_the_driver(spark):
    readings = spark.createDataFrame(cohort()).withColumnRenamed("gl", "glucose")
    with pytest.raises(pumppath.CohortError, match='no column "gl"'):
        pumppath_spark.summarize(readings)
    assert pumppath_spark.summarize(readings, glucose="glucose").columns[0] == "id"
