# %% [markdown]
# # pumppath from Python: a clinic's CGM panel in a notebook
#
# Run it as a script (`python examples/notebook.py [readings.csv] [--out DIR]`) or cell by cell in an editor
# that knows `# %%` cells (VS Code, Spyder, Jupytext). Without a CSV it takes the demo clinic's patients; with a
# long `id,time,gl` CSV (mg/dL) every patient of the file. It summarises every patient into a DataFrame, prints
# the clinic's work-list (demo cohort only: a CSV carries no pathway records) and saves, when matplotlib is
# installed, a time-in-ranges stacked bar chart of the panel and a daily AGP plot per patient as PNG into the
# output directory (`--out`, else `$PUMPPATH_NOTEBOOK_OUT`, else a new temporary directory).

# %%
import argparse
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

import pumppath

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("csv", nargs="?", help="a long id,time,gl CSV in mg/dL (default: the demo cohort)")
parser.add_argument("--out", help="where the PNGs go (default: $PUMPPATH_NOTEBOOK_OUT, else a temporary directory)")
# In a notebook kernel sys.argv holds the kernel's own arguments: parse nothing there.
args = parser.parse_args(sys.argv[1:] if __name__ == "__main__" and "ipykernel" not in sys.modules else [])
out = Path(args.out or os.environ.get("PUMPPATH_NOTEBOOK_OUT") or tempfile.mkdtemp(prefix="pumppath-notebook-"))
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## The patients' readings
#
# Either the demo clinic (records on the standard protocol with their CGM readings) or one `Series` per patient
# of the CSV, as `pumppath.read_long_csv` reads it.

# %%
if args.csv:
    cohort = None
    patients = [(series.id, series.times, series.glucose) for series in pumppath.read_long_csv(args.csv)]
    source = args.csv
else:
    cohort = pumppath.demo_cohort()
    patients = [(patient["id"], patient["times"], patient["glucose"]) for patient in cohort]
    source = "the demo cohort"

# %% [markdown]
# ## One summary row per patient
#
# A long-form DataFrame in, `pumppath.summarize` gives one row per patient with the consensus metrics.

# %%
readings = pd.concat(
    [pd.DataFrame({"id": patient_id, "time": times, "gl": glucose}) for patient_id, times, glucose in patients],
    ignore_index=True,
)
summary = pumppath.summarize(readings)
columns = ["id", "readings", "span_days", "mean", "cv", "gmi", "percent_below_70", "percent_in_range",
           "percent_above_180", "sufficient"]
print(f"summarised {len(summary)} patients of {source}")
with pd.option_context("display.width", 160, "display.max_columns", None):
    print(summary[columns].round(1).to_string(index=False))

# %% [markdown]
# ## The clinic's work-list
#
# Every demo patient evaluated at the demo's "now" in its time zone, their actions triaged together: safety
# first, then lateness.

# %%
if cohort is not None:
    worklist = pumppath.worklist(cohort, pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE)
    print(f"work-list of {worklist.today} ({worklist.time_zone}): {len(worklist.items)} actions")
    for row in worklist.actions_frame().itertuples(index=False):
        print(f"  {row.severity:<8} {row.patient_id:<8} {row.role:<13} {row.rule}: {row.message}")
else:
    print("work-list skipped: a CSV holds readings, not the patients' pathway records")

# %% [markdown]
# ## Charts: time in ranges and the daily AGP
#
# matplotlib is optional: without it the charts are skipped (the summary and the work-list above stand alone).

# %%
try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("charts skipped: matplotlib is not installed")

if plt is not None:
    bands = [  # (summary column, label, colour), bottom to top
        ("percent_very_low", "< 54", "#8b0000"),
        ("percent_low", "54-69", "#e74c3c"),
        ("percent_in_range", "70-180", "#2ecc71"),
        ("percent_high", "181-250", "#f5b041"),
        ("percent_very_high", "> 250", "#e67e22"),
    ]
    fig, ax = plt.subplots(figsize=(max(4, 0.9 * len(summary)), 4))
    bottom = pd.Series(0.0, index=summary.index)
    for column, label, colour in bands:
        values = summary[column].fillna(0.0)
        ax.bar(summary["id"], values, bottom=bottom, label=label, color=colour)
        bottom += values
    ax.set_ylabel("% of readings")
    ax.set_title("Time in ranges (mg/dL)")
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    fig.savefig(out / "time_in_ranges.png", dpi=100)
    plt.close(fig)
    saved = ["time_in_ranges.png"]

    for patient_id, times, glucose in patients:
        profile = pumppath.agp(times, glucose)
        hours = profile["start"].astype("timedelta64[m]").astype(float) / 60
        fig, ax = plt.subplots(figsize=(7, 3.5))
        ax.fill_between(hours, profile["p5"], profile["p95"], color="#aed6f1", label="5-95%")
        ax.fill_between(hours, profile["p25"], profile["p75"], color="#5dade2", label="25-75%")
        ax.plot(hours, profile["p50"], color="#1b4f72", label="median")
        ax.axhspan(70, 180, color="#2ecc71", alpha=0.1)
        ax.set_xlim(0, 24)
        ax.set_xlabel("time of day (h)")
        ax.set_ylabel(profile["unit"])
        ax.set_title(f"Daily AGP: {patient_id}")
        ax.legend(loc="upper right")
        fig.tight_layout()
        name = "agp_" + "".join(c if c.isalnum() else "_" for c in patient_id) + ".png"
        fig.savefig(out / name, dpi=100)
        plt.close(fig)
        saved.append(name)
    print(f"saved {len(saved)} charts to {out}")
