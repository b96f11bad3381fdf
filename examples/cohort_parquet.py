"""A cohort in Parquet summarised per patient, written back to Parquet: pumppath.summarize_cohort at scale.

    python examples/cohort_parquet.py                       # makes target/cohort/readings.parquet, then runs
    python examples/cohort_parquet.py readings.parquet out.parquet --id patient_id --time time --glucose gl

The input is long form, one row per reading (patient id, time, glucose), with each patient's rows together (as a
table sorted or written by patient is): it is read in batches, each patient's rows are summarised on every core,
and a progress bar shows the patients done when standard error is a terminal. Without an input, a cohort is made
by resampling the shared CGM data (`benches/python/cohort.py`): `--patients` × 14 days (default 10,000).

The output has one row per patient: the id, then `pumppath.COHORT_COLUMNS` (summary, episode counts, the
"frequently" verdict, and `error_code`/`error` for a patient whose readings cannot form a series).
"""

import argparse
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

import pumppath
from pumppath.cohort import whole_patients

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO / "target" / "cohort" / "readings.parquet"
DEFAULT_OUTPUT = REPO / "target" / "cohort" / "summary.parquet"


def make_cohort(path, patients, days):
    """The resampled cohort of benches/python/cohort.py, written to `path` sorted by patient."""
    sys.path.insert(0, str(REPO / "benches" / "python"))
    from cohort import SHARED_CSV, read_source, resample

    if not SHARED_CSV.is_file():
        sys.exit(f"{SHARED_CSV} is absent: give a Parquet cohort (id, time, gl) as the first argument")
    frame = resample(read_source(SHARED_CSV), patients, days)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, row_group_size=1 << 20)
    print(f"made {path}: {patients:,} patients x {days} days, {len(frame):,} readings")


class Progress:
    """A one-line progress bar on standard error when it is a terminal; silent otherwise. `total` is called
    only for a bar (counting the patients reads the id column once more)."""

    def __init__(self, total, unit):
        self.unit, self.done, self.start = unit, 0, time.perf_counter()
        self.shown = sys.stderr.isatty()
        self.total = total() if self.shown else 0

    def advance(self, n):
        self.done += n
        if self.shown:
            width = 30
            filled = width * self.done // max(self.total, 1)
            rate = self.done / max(time.perf_counter() - self.start, 1e-9)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done:,}/{self.total:,} "
                             f"{self.unit} ({rate:,.0f}/s)")
            sys.stderr.flush()

    def close(self):
        if self.shown:
            sys.stderr.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", nargs="?", type=Path, help=f"a Parquet cohort (default: made at {DEFAULT_INPUT})")
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT, help="where to write the results")
    parser.add_argument("--id", default="id")
    parser.add_argument("--time", default="time")
    parser.add_argument("--glucose", default="gl")
    parser.add_argument("--unit", default="mg/dL")
    parser.add_argument("--patients", type=int, default=10_000, help="patients of a made cohort (default 10,000)")
    parser.add_argument("--batch-rows", type=int, default=1 << 20, help="rows read at a time (default 1 Mi)")
    args = parser.parse_args()

    source = args.input or DEFAULT_INPUT
    if args.input is None and not source.is_file():
        make_cohort(source, args.patients, 14)
    parquet = pq.ParquetFile(source)
    progress = Progress(lambda: pc.count_distinct(pq.read_table(source, columns=[args.id])[args.id]).as_py(),
                        "patients")
    start = time.perf_counter()
    writer = None
    errors = 0
    for table in whole_patients(parquet.iter_batches(batch_size=args.batch_rows), args.id):
        result = pumppath.summarize_cohort(table, id=args.id, time=args.time, glucose=args.glucose, unit=args.unit)
        errors += result.num_rows - result["error"].null_count
        if writer is None:
            args.output.parent.mkdir(parents=True, exist_ok=True)
            writer = pq.ParquetWriter(args.output, result.schema)
        writer.write_table(result)
        progress.advance(result.num_rows)
    progress.close()
    if writer is not None:
        writer.close()
    seconds = time.perf_counter() - start
    print(f"summarised {progress.done:,} patients ({parquet.metadata.num_rows:,} readings) in {seconds:.1f} s "
          f"({progress.done / max(seconds, 1e-9):,.0f} patients/s); {errors} with errors; wrote {args.output}")


if __name__ == "__main__":
    main()
