"""A synthetic cohort made by resampling real CGM days: N patients × D days in long form (id, time, gl).

Each patient is one subject of the source file (chosen at random), living D consecutive days (from 2026-01-01)
each of which is one of that subject's complete days (at least 80% of a day's readings at its sampling
interval) drawn at random with replacement, readings kept at their time of day. The glucose values are the
subject's own, so the cohort has real CGM shape (runs, excursions, sensor gaps within a day) at any size.

    python benches/python/cohort.py --patients 10000 --days 14 --parquet target/cohort.parquet

writes Parquet (pyarrow); the benchmarks and the cohort example import `resample` instead.
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
SHARED_CSV = REPO.parent / "shared" / "data" / "cgm" / "iglu_example_5_subject.csv"
START = np.datetime64("2026-01-01T00:00:00", "s")
DAY = np.timedelta64(86_400, "s")


def complete_days(data):
    """Per subject, its complete days as (seconds of the day, glucose) arrays."""
    days = {}
    for subject, group in data.groupby("id", sort=False):
        times = group["time"].to_numpy().astype("datetime64[s]")
        glucose = group["gl"].to_numpy(dtype=float)
        date = times.astype("datetime64[D]")
        step = np.median(np.diff(times).astype(np.int64))
        full = 0.8 * 86_400 / step
        kept = []
        for day in np.unique(date):
            at = date == day
            if at.sum() >= full:
                kept.append(((times[at] - day).astype(np.int64), glucose[at]))
        if kept:
            days[subject] = kept
    return days


def resample(data, patients, days, seed=29):
    """A long DataFrame (id: str, time: datetime64[s], gl: float64) of `patients` × `days` days from `data`."""
    source = complete_days(data)
    if not source:
        raise ValueError("the source has no complete day")
    subjects = list(source)
    rng = np.random.default_rng(seed)
    ids, times, values = [], [], []
    for p in range(patients):
        pool = source[subjects[rng.integers(len(subjects))]]
        picks = rng.integers(len(pool), size=days)
        seconds = np.concatenate([pool[k][0] + d * 86_400 for d, k in enumerate(picks)])
        times.append(START + seconds.astype("timedelta64[s]"))
        values.append(np.concatenate([pool[k][1] for k in picks]))
        ids.append(np.full(len(seconds), p, dtype=np.int64))
    frame = pd.DataFrame({"id": np.concatenate(ids), "time": np.concatenate(times), "gl": np.concatenate(values)})
    frame["id"] = "patient-" + frame["id"].astype(str).str.zfill(len(str(patients - 1)))
    return frame


def read_source(csv):
    """The long id,time,gl CSV (iglu's example layout) with parsed times."""
    data = pd.read_csv(csv, usecols=["id", "time", "gl"])
    data["time"] = pd.to_datetime(data["time"])
    return data.dropna(subset=["gl"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--seed", type=int, default=29)
    parser.add_argument("--csv", type=Path, default=SHARED_CSV, help="the source: a long id,time,gl CSV")
    parser.add_argument("--parquet", type=Path, required=True, help="where to write the cohort")
    args = parser.parse_args()
    cohort = resample(read_source(args.csv), args.patients, args.days, args.seed)
    args.parquet.parent.mkdir(parents=True, exist_ok=True)
    cohort.to_parquet(args.parquet, index=False)
    print(f"{args.parquet}: {cohort['id'].nunique():,} patients, {len(cohort):,} readings")


if __name__ == "__main__":
    main()
