"""The Python examples run headless: examples/notebook.py, examples/cohort_parquet.py and benches/python/bench.py
with a tiny size."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pumppath

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "examples" / "notebook.py"
BENCH = REPO / "benches" / "python" / "bench.py"
EXAMPLE_PARQUET = REPO / "examples" / "cohort_parquet.py"
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None


def run(script, *args):
    """Runs a script with this interpreter, headless; returns its standard output."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, str(script), *map(str, args)], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_notebook_summarises_the_demo_cohort_and_prints_the_worklist(tmp_path):
    output = run(NOTEBOOK, "--out", tmp_path)
    cohort = pumppath.demo_cohort()
    assert f"summarised {len(cohort)} patients of the demo cohort" in output
    for patient in cohort:
        assert f" {patient['id']} " in output
    worklist = pumppath.worklist(cohort, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE)
    assert f"work-list of 2026-03-16 (America/Chicago): {len(worklist.items)} actions" in output
    assert "  urgent   chloe    provider      frequent_lows: Glucose frequently low" in output
    assert sum(line.startswith("  ") and ": " in line for line in output.splitlines()) == len(worklist.items)
    if HAS_MATPLOTLIB:
        assert (tmp_path / "time_in_ranges.png").stat().st_size > 0
        for patient in cohort:
            assert (tmp_path / f"agp_{patient['id']}.png").stat().st_size > 0
        assert f"saved {len(cohort) + 1} charts to {tmp_path}" in output
    else:
        assert "charts skipped: matplotlib is not installed" in output
        assert not list(tmp_path.iterdir())


def test_the_notebook_summarises_every_patient_of_a_csv(tmp_path):
    lines = ["id,time,gl"]
    for patient_id, base in (("p1", 110), ("p 2", 190)):
        for k in range(288):  # one day at 5 minutes
            lines.append(f"{patient_id},2026-03-01 {k * 5 // 60:02d}:{k * 5 % 60:02d}:00,{base + (k % 12) * 5}")
    csv = tmp_path / "readings.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "charts"
    # The output directory from the environment this time.
    env = {**os.environ, "MPLBACKEND": "Agg", "PUMPPATH_NOTEBOOK_OUT": str(out)}
    done = subprocess.run([sys.executable, str(NOTEBOOK), str(csv)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    output = done.stdout
    assert f"summarised 2 patients of {csv}" in output
    rows = [line.lstrip() for line in output.splitlines()]
    assert any(row.startswith("p1 ") for row in rows) and any(row.startswith("p 2 ") for row in rows)
    assert "work-list skipped: a CSV holds readings, not the patients' pathway records" in output
    if HAS_MATPLOTLIB:
        assert sorted(p.name for p in out.iterdir()) == ["agp_p1.png", "agp_p_2.png", "time_in_ranges.png"]
    else:
        assert "charts skipped: matplotlib is not installed" in output


def test_the_bench_runs_with_a_tiny_size_and_without_iglu():
    output = run(BENCH, "--readings", 10000, "--repeat", 1, "--no-iglu")
    assert "classify vs numpy.digitize on 10,000 readings" in output
    assert "ratio" in output
    assert "iglu-python comparison skipped" in output


def test_the_resampled_cohort_is_whole_days_of_one_subject_each():
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(BENCH.parent))
    from cohort import resample

    # Two subjects, three days each at 5 minutes; subject b's third day is half missing (not a complete day).
    rows = []
    for subject, base in (("a", 100.0), ("b", 200.0)):
        for day in range(3):
            for k in range(288 if (subject, day) != ("b", 2) else 144):
                rows.append((subject, pd.Timestamp(2015, 6, 1 + day) + pd.Timedelta(minutes=5 * k + 2), base + day))
    source = pd.DataFrame(rows, columns=["id", "time", "gl"])
    cohort = resample(source, patients=12, days=4, seed=3)
    assert list(cohort.columns) == ["id", "time", "gl"]
    assert cohort["id"].nunique() == 12 and cohort["id"].iloc[0] == "patient-00"
    for _, patient in cohort.groupby("id"):
        assert len(patient) == 4 * 288  # complete days only: b's half day is never drawn
        assert set(patient["gl"]) <= {100.0, 101.0, 102.0} or set(patient["gl"]) <= {200.0, 201.0}
        times = patient["time"].to_numpy()
        assert (np.diff(times) > np.timedelta64(0, "s")).all()
        assert str(times[0]) == "2026-01-01T00:02:00" and str(times[-1]) == "2026-01-04T23:57:00"


def test_the_parquet_cohort_example_summarises_whole_patients_across_batches(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    from test_cohort import small_cohort

    table = pa.Table.from_pandas(small_cohort(), preserve_index=False)
    source, out = tmp_path / "readings.parquet", tmp_path / "summary.parquet"
    pq.write_table(table, source)
    # 100-row batches: every patient's rows span several, and a batch ends inside a patient.
    output = run(EXAMPLE_PARQUET, source, out, "--batch-rows", 100)
    assert f"summarised 3 patients ({len(table):,} readings)" in output and "0 with errors" in output
    # Parquet keeps times in milliseconds at least: the values, not the types, are compared.
    assert pq.read_table(out).to_pylist() == pumppath.summarize_cohort(table).to_pylist()
