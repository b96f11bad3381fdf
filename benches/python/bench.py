"""Times pumppath's Python API against the Python tools a clinic would otherwise use, in one run.

1. `pumppath.classify` against `numpy.digitize` (same cut-points, codes checked equal) on N readings
   (`--readings`, default 10 million).
2. `pumppath.cgm_summary` + `pumppath.glucose_episodes` per subject against iglu-python (the pure-Python port
   of R iglu, `pip install iglu-python`) computing the same metrics (mean_glu, sd_glu, cv_glu, gmi,
   in_range_percent, below_percent, above_percent, active_percent) and `episode_calculation` on
   `../shared/data/cgm/iglu_example_5_subject.csv` (`--csv`). Skipped with a message when iglu-python is not
   installed, the file is absent or `--no-iglu` is given.
3. The same on a cohort of `--cohort` patients × 14 days resampled from that file (`cohort.py`): pumppath on
   every patient, iglu-python on the first `--iglu-patients` of them (it takes about a second per patient-
   fortnight, so all 1,000 would take a quarter of an hour); the ratio is of seconds per patient.

Both sides get their inputs loaded (arrays per subject for pumppath, iglu's long DataFrame for iglu-python);
the figure is the best of `--repeat` runs, and each ratio is how many times faster pumppath is. Build the module
in release (`maturin develop --release`) before measuring: a debug build measures the debug build.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

import pumppath

REPO = Path(__file__).resolve().parents[2]
SHARED_CSV = REPO.parent / "shared" / "data" / "cgm" / "iglu_example_5_subject.csv"
# The standard targets' cut-points for numpy.digitize: < 54, 54-69, 70-180, 181-250, > 250 (mg/dL, 180 and 250
# in range of their band, hence the next float above them as the bin edge).
EDGES = np.array([54.0, 70.0, np.nextafter(180.0, np.inf), np.nextafter(250.0, np.inf)])


def best(function, repeat):
    """The fastest of `repeat` runs of `function()` in seconds, and its last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench_classify(readings, repeat):
    rng = np.random.default_rng(25)
    glucose = np.round(rng.gamma(shape=16.0, scale=9.5, size=readings).clip(40, 400), 0)
    pumppath_seconds, codes = best(lambda: pumppath.classify(glucose), repeat)
    numpy_seconds, digitized = best(lambda: np.digitize(glucose, EDGES), repeat)
    if not np.array_equal(codes.astype(np.int64), digitized):
        sys.exit("classify and numpy.digitize disagree")
    print(f"classify vs numpy.digitize on {readings:,} readings (best of {repeat}, codes equal):")
    print(f"  pumppath.classify  {pumppath_seconds * 1e3:10.2f} ms")
    print(f"  numpy.digitize     {numpy_seconds * 1e3:10.2f} ms")
    print(f"  ratio (numpy / pumppath): {numpy_seconds / pumppath_seconds:.2f}x")


def iglu_or_skip(csv, comparison):
    """iglu_python, or None after saying why `comparison` is skipped (iglu-python or the file missing)."""
    try:
        import iglu_python
    except ImportError as error:
        print(f"{comparison} skipped: {error.name} is not installed (pip install iglu-python)")
        return None
    if not csv.is_file():
        print(f"{comparison} skipped: {csv} absent")
        return None
    return iglu_python


def bench_iglu(csv, repeat):
    iglu = iglu_or_skip(csv, "iglu-python comparison")
    if iglu is None:
        return
    import pandas as pd

    data = pd.read_csv(csv, usecols=["id", "time", "gl"])
    data["time"] = pd.to_datetime(data["time"])
    subjects = [
        (subject_id, group["time"].to_numpy(), group["gl"].to_numpy(dtype=float))
        for subject_id, group in data.groupby("id", sort=False)
    ]

    def with_pumppath():
        return [
            (pumppath.cgm_summary(times, glucose), pumppath.glucose_episodes(times, glucose))
            for _, times, glucose in subjects
        ]

    def with_iglu():
        return (
            iglu.mean_glu(data),
            iglu.sd_glu(data),
            iglu.cv_glu(data),
            iglu.gmi(data),
            iglu.in_range_percent(data),
            iglu.below_percent(data),
            iglu.above_percent(data),
            iglu.active_percent(data),
            iglu.episode_calculation(data),
        )

    pumppath_seconds, results = best(with_pumppath, repeat)
    iglu_seconds, (mean, *_) = best(with_iglu, repeat)
    # The two agree on the plain mean, a sanity check that both read the same readings.
    ours = {subject_id: result[0].mean for (subject_id, _, _), result in zip(subjects, results)}
    theirs = dict(zip(mean["id"], mean["mean"]))
    if any(abs(ours[s] - theirs[s]) > 1e-6 for s in ours):
        sys.exit(f"the means disagree: {ours} vs {theirs}")
    print(f"cgm_summary + glucose_episodes vs iglu-python {iglu_version()} on {csv.name} "
          f"({len(data):,} readings, {len(subjects)} subjects; best of {repeat}):")
    print(f"  pumppath     {pumppath_seconds * 1e3:10.2f} ms")
    print(f"  iglu-python  {iglu_seconds * 1e3:10.2f} ms")
    print(f"  ratio (iglu-python / pumppath): {iglu_seconds / pumppath_seconds:.1f}x")


def bench_cohort(csv, patients, iglu_patients, repeat):
    iglu = iglu_or_skip(csv, "cohort comparison")
    if iglu is None:
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from cohort import read_source, resample

    data = resample(read_source(csv), patients, 14)
    subjects = [
        (group["time"].to_numpy(), group["gl"].to_numpy(dtype=float)) for _, group in data.groupby("id", sort=False)
    ]
    sample = data[data["id"].isin(data["id"].unique()[:iglu_patients])]

    def with_pumppath():
        for times, glucose in subjects:
            pumppath.cgm_summary(times, glucose)
            pumppath.glucose_episodes(times, glucose)

    def with_iglu():
        for metric in (iglu.mean_glu, iglu.sd_glu, iglu.cv_glu, iglu.gmi, iglu.in_range_percent,
                       iglu.below_percent, iglu.above_percent, iglu.active_percent, iglu.episode_calculation):
            metric(sample)

    pumppath_seconds, _ = best(with_pumppath, repeat)
    iglu_seconds, _ = best(with_iglu, 1)
    ours, theirs = pumppath_seconds / len(subjects), iglu_seconds / iglu_patients
    print(f"cgm_summary + glucose_episodes vs iglu-python on a resampled cohort ({len(subjects):,} patients x 14 "
          f"days, {len(data):,} readings; iglu-python on the first {iglu_patients}, once; pumppath best of "
          f"{repeat}):")
    print(f"  pumppath     {ours * 1e3:10.3f} ms per patient ({len(subjects) / pumppath_seconds:,.0f} patients/s)")
    print(f"  iglu-python  {theirs * 1e3:10.1f} ms per patient")
    print(f"  cohort ratio (iglu-python / pumppath): {theirs / ours:.1f}x")


def iglu_version():
    from importlib.metadata import version

    return version("iglu-python")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readings", type=int, default=10_000_000, help="readings to classify (default 10 million)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each side, the best counts (default 5)")
    parser.add_argument("--csv", type=Path, default=SHARED_CSV, help="the long id,time,gl CSV for iglu-python")
    parser.add_argument("--no-iglu", action="store_true", help="skip the iglu-python comparisons")
    parser.add_argument("--cohort", type=int, default=1000, help="patients of the resampled cohort (default 1,000)")
    parser.add_argument("--iglu-patients", type=int, default=20, help="of them, timed with iglu-python (default 20)")
    args = parser.parse_args()
    print(f"pumppath {pumppath.__version__}, numpy {np.__version__}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs")
    bench_classify(args.readings, args.repeat)
    if args.no_iglu:
        print("iglu-python comparison skipped: --no-iglu")
    else:
        bench_iglu(args.csv, args.repeat)
        bench_cohort(args.csv, args.cohort, args.iglu_patients, args.repeat)


if __name__ == "__main__":
    main()
