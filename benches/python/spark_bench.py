"""Patients per second: summarize_cohort on one machine, and pumppath.spark.summarize through local Spark with 1
and 2 executor cores, with the cost of Spark itself.

    python benches/python/spark_bench.py --patients 2000

The cohort is resampled from the shared CGM data (`cohort.py`, 14 days per patient) and stored as Parquet. Each
figure is the best of `--repeat` runs after a warm-up:
- one machine: `summarize_cohort` on the whole table in memory (every core);
- Spark: reading the Parquet and `summarize(...)` written to Spark's `noop` sink (everything computed, nothing
  stored), on `local[1]` and `local[2]`;
- Spark itself: the same job (read, shuffle by patient, sort, Arrow batches to and from the Python workers,
  whole patients regrouped) with each patient's row count in place of pumppath's summary. Its share of the
  pumppath job's time is the overhead stated.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import pumppath

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cohort import SHARED_CSV, read_source, resample  # noqa: E402


def best(function, repeat):
    function()  # warm-up: JIT, Python workers, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def spark_session(cores):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(f"pumppath-bench-{cores}")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(4 * cores))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", type=Path, default=SHARED_CSV)
    args = parser.parse_args()
    if not args.csv.is_file():
        sys.exit(f"{args.csv} is absent")
    frame = resample(read_source(args.csv), args.patients, 14)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    print(f"pumppath {pumppath.__version__}, {os.cpu_count()} CPUs; cohort: {args.patients:,} patients x 14 days, "
          f"{len(frame):,} readings; best of {args.repeat} after a warm-up")

    seconds = best(lambda: pumppath.summarize_cohort(table), args.repeat)
    print(f"  one machine, summarize_cohort:       {seconds:8.2f} s  {args.patients / seconds:10,.0f} patients/s")

    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "cgm.parquet"
        pq.write_table(table, parquet)
        for cores in (1, 2):
            spark = spark_session(cores)
            from pumppath import spark as pumppath_spark

            readings = spark.read.parquet(str(parquet))

            def with_pumppath():
                pumppath_spark.summarize(readings).write.mode("overwrite").format("noop").save()

            def spark_alone():
                # The same pipeline (shuffle by patient, sort, Arrow to and from the workers, whole patients
                # regrouped) with each patient's row count instead of pumppath's summary.
                from pumppath.cohort import whole_patients

                def count(batches):
                    for table in whole_patients(batches, "id", min_rows=1 << 20):
                        yield from table.group_by("id", use_threads=False).aggregate([("gl", "count")]).to_batches()

                readings.select("id", "time", "gl").repartition("id").sortWithinPartitions("id", "time").mapInArrow(
                    count, "id string, gl_count long").write.mode("overwrite").format("noop").save()

            job = best(with_pumppath, args.repeat)
            alone = best(spark_alone, args.repeat)
            print(f"  Spark local[{cores}], pumppath.spark:     {job:8.2f} s  {args.patients / job:10,.0f} patients/s"
                  f"  (Spark alone {alone:.2f} s: {100 * alone / job:.0f}% of the job)")
            spark.stop()


if __name__ == "__main__":
    main()
