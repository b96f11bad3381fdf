"""Measures every speed goal of pumppath and rewrites its table in benches/README.md and README.md (between markers).

    python3 benches/report.py            # runs the benches, then writes the table
    python3 benches/report.py --no-run   # writes the table from the figures of the last run

It runs the criterion benches the goals need (classification on random readings with the read-once baseline,
the summary and episodes of a sorted series against classifying it, the work-list on one and two threads), the
Python bench (release build of the module, with numpy and iglu-python in target/bench-venv) and the WASM bench
in node, then reads criterion's estimates and the scripts' output. Each goal is a ratio of two figures of the
same run, so the noise of a shared machine mostly cancels.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CRITERION = REPO / "target" / "criterion"
# The files whose table this rewrites, between the markers.
TABLES = [REPO / "benches" / "README.md", REPO / "README.md"]
FIGURES = REPO / "target" / "bench-report.json"
VENV = REPO / "target" / "bench-venv"
BEGIN, END = "<!-- report.py: begin -->", "<!-- report.py: end -->"


def run(*command, cwd=REPO, env=None):
    print("+", " ".join(map(str, command)), file=sys.stderr)
    done = subprocess.run(list(map(str, command)), cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def mean(path):
    """Criterion's mean time of a bench, in seconds."""
    return json.loads((CRITERION / path / "new" / "estimates.json").read_text())["mean"]["point_estimate"] / 1e9


def measure():
    figures = {}
    run("cargo", "bench", "-q", "-p", "pumppath-benches", "--bench", "glucose", "--", "random")
    run("cargo", "bench", "-q", "-p", "pumppath-benches", "--bench", "glucose", "--", "classify_into/1000000")
    run("cargo", "bench", "-q", "-p", "pumppath-benches", "--bench", "cgm", "--", "sorted_1m|1 patient")
    out = run("cargo", "bench", "-q", "-p", "pumppath-benches", "--bench", "worklist")
    figures["worklist_threads"] = re.search(r"worklist/threads: .*", out).group(0)
    figures["worklist_memory"] = re.search(r"worklist/memory: .*", out).group(0)
    figures["worklist_ceiling"] = re.search(r"worklist/ceiling: .*", out).group(0)
    for name in ["random/baseline_count_below/10000000", "random/count/10000000", "random/classify_into/10000000",
                 "sorted_1m/classify_into", "sorted_1m/from_slices", "sorted_1m/summary", "sorted_1m/episodes",
                 "worklist/worklist_10000_patients_1_threads", "worklist/worklist_10000_patients_2_threads"]:
        figures[name] = mean(name)

    # Python: a release build of the module in its own venv, with numpy and iglu-python.
    if not (VENV / "bin" / "python").exists():
        run(sys.executable, "-m", "venv", VENV)
    python = VENV / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", "maturin==1.16.0", "numpy==2.4.6", "pandas==3.1.1", "iglu-python")
    run(VENV / "bin" / "maturin", "develop", "--release", "--locked", "-q", cwd=REPO / "bindings-python",
        env={**os.environ, "VIRTUAL_ENV": str(VENV)})
    figures["python"] = run(python, "benches/python/bench.py")

    run("./bindings-wasm/build.sh")
    figures["wasm"] = run("node", "benches/wasm/bench.mjs", "--no-native")
    figures["machine"] = f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, {platform.python_version()}"
    FIGURES.write_text(json.dumps(figures, indent=1))
    return figures


def ratio(text, pattern):
    match = re.search(pattern, text)
    return float(match.group(1)) if match else None


def table(f):
    baseline = f["random/baseline_count_below/10000000"]
    rows = []

    def row(goal, measured, value, target, better="higher"):
        met = value is not None and (value >= target if better == "higher" else value <= target)
        shown = "–" if value is None else f"{value:.2f}x"
        rows.append(f"| {goal} | {measured} | {shown} | {'met' if met else 'not met'} |")

    row("count the five bands ≥ 0.5× the read-once baseline (10 M random readings)",
        f"{1e7 / f['random/count/10000000'] / 1e6:,.0f} M/s vs {1e7 / baseline / 1e6:,.0f} M/s",
        baseline / f["random/count/10000000"], 0.5)
    row("classify into codes and count ≥ 0.5× the baseline",
        f"{1e7 / f['random/classify_into/10000000'] / 1e6:,.0f} M/s",
        baseline / f["random/classify_into/10000000"], 0.5)
    classify = f["sorted_1m/classify_into"]
    row("summary ≤ 3× classifying (1 M sorted readings)", f"{f['sorted_1m/summary'] * 1e3:.1f} ms vs {classify * 1e3:.1f} ms",
        f["sorted_1m/summary"] / classify, 3.0, "lower")
    row("episodes ≤ 5× classifying", f"{f['sorted_1m/episodes'] * 1e3:.1f} ms", f["sorted_1m/episodes"] / classify, 5.0, "lower")
    python = f["python"]
    row("Python `classify` ≥ 10× `numpy.digitize` (10 M readings)", "numpy / pumppath",
        ratio(python, r"ratio \(numpy / pumppath\): ([\d.]+)x"), 10.0)
    row("Python summary + episodes ≥ 1,000× iglu-python (shared 5-subject file)", "iglu-python / pumppath",
        ratio(python, r"ratio \(iglu-python / pumppath\): ([\d.]+)x"), 1000.0)
    row("… and on 1,000 patients × 14 days resampled from it (per patient)", "iglu-python / pumppath",
        ratio(python, r"cohort ratio \(iglu-python / pumppath\): ([\d.]+)x"), 1000.0)
    wasm = f["wasm"]
    native_classify = mean("classify/classify_into/1000000")
    native_summary = mean("cgm/series_from_slices/1 patient x 14 days") + mean("cgm/summary/1 patient x 14 days")
    wasm_classify = ratio(wasm, r"classify \(1,000,000 readings\): WASM [\d.]+ M readings/s \(([\d.]+) ms\)")
    wasm_summary = ratio(wasm, r"cgmSummary incl\. building the series \(4,032 readings\): WASM [\d.]+ M readings/s \(([\d.]+) ms\)")
    row("WASM `classify` ≥ 0.5× native (node)", f"{wasm_classify:.2f} ms vs {native_classify * 1e3:.2f} ms",
        native_classify * 1e3 / wasm_classify, 0.5)
    row("WASM `cgmSummary` ≥ 0.5× native", f"{wasm_summary:.3f} ms vs {native_summary * 1e3:.3f} ms",
        native_summary * 1e3 / wasm_summary, 0.5)
    one, two = f["worklist/worklist_10000_patients_1_threads"], f["worklist/worklist_10000_patients_2_threads"]
    ceiling = ratio(f.get("worklist_ceiling", ""), r": ([\d.]+)x$")
    shown = f" (the machine's own: {ceiling:.2f}×)" if ceiling else ""
    row("work-list of 10,000 patients × 28 days: 1 → 2 threads ≥ 1.8×", f"{one:.2f} s → {two:.2f} s{shown}",
        one / two, 1.8)
    memory = re.search(r"([\d.]+) KiB per patient", f["worklist_memory"]).group(1)
    header = (f"Measured by `python3 benches/report.py` on {f['machine']}; each ratio compares two figures of one "
              f"run. Peak heap of the work-list: {memory} KiB per patient.\n\n"
              "| goal | measured | ratio | |\n|---|---|---|---|\n")
    return header + "\n".join(rows) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-run", action="store_true", help="write the table from the last run's figures")
    args = parser.parse_args()
    figures = json.loads(FIGURES.read_text()) if args.no_run else measure()
    for path in TABLES:
        text = path.read_text()
        start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
        path.write_text(text[:start] + "\n" + table(figures) + text[end:])
    print(table(figures))


if __name__ == "__main__":
    main()
