"""The core's per-subject fixture of R iglu's example data, checked through the Python API.

`core/tests/fixtures/iglu_example_5_subject.metrics.json` holds what pumppath produces for each subject of
`../shared/data/cgm/iglu_example_5_subject.csv`; read through `read_long_csv` and summarised (and cut into
episodes) from Python, every subject must give the same values. The shared data sit beside the clone: absent,
the test skips outside CI and fails under `CI=true`.
"""

import json
import math
import os
from pathlib import Path

import pytest

import pumppath

REPO = Path(__file__).resolve().parents[2]
CSV = REPO.parent / "shared" / "data" / "cgm" / "iglu_example_5_subject.csv"
FIXTURE = REPO / "core" / "tests" / "fixtures" / "iglu_example_5_subject.metrics.json"
TOLERANCE = 1e-9


def shared_csv():
    """The shared CSV's path; skips (fails under CI=true) when it is absent."""
    if not CSV.is_file():
        message = f"../shared/data absent ({CSV} not found)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CSV


def same(actual, expected, path="value"):
    """Asserts that a value equals the fixture's: floats to 1e-9, containers element by element."""
    if isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        assert math.isclose(actual, expected, rel_tol=TOLERANCE, abs_tol=TOLERANCE), f"{path}: {actual} != {expected}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not a dict"
        assert sorted(actual) == sorted(expected), f"{path}: keys {sorted(actual)} != {sorted(expected)}"
        for key, value in expected.items():
            same(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for index, (a, e) in enumerate(zip(actual, expected)):
            same(a, e, f"{path}[{index}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


@pytest.fixture(scope="module")
def subjects():
    """The fixture's subjects by id, and the CSV's series by id."""
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))["subjects"]
    series = pumppath.read_long_csv(os.fspath(shared_csv()))
    return {s["id"]: s for s in fixture}, {s.id: s for s in series}


def test_the_csv_holds_the_fixtures_subjects(subjects):
    fixture, series = subjects
    assert list(series) == list(fixture)
    assert sum(len(s) for s in series.values()) == 13866


def test_every_subjects_summary_is_the_fixtures(subjects):
    fixture, series = subjects
    for subject_id, expected in fixture.items():
        s = series[subject_id]
        same(s.summary().to_dict(), expected["pumppath"], subject_id)
        # The same through cgm_summary on the arrays, and through the summary attributes.
        summary = pumppath.cgm_summary(s.times, s.glucose)
        same(summary.to_dict(), expected["pumppath"], subject_id)
        same(summary.percent_in_range, expected["pumppath"]["percent_in_range"], f"{subject_id}.percent_in_range")


def test_summary_rows_of_the_readers_output_are_the_fixtures(subjects):
    fixture, series = subjects
    rows = pumppath.summary_rows(list(series.values()))
    assert [row["id"] for row in rows] == list(fixture)
    for row in rows:
        expected = fixture[row["id"]]["pumppath"]
        same({k: v for k, v in row.items() if k != "id"}, expected, row["id"])


def test_every_subjects_episodes_are_the_fixtures(subjects):
    fixture, series = subjects
    for subject_id, expected in fixture.items():
        episodes = [e.to_dict() for e in pumppath.glucose_episodes(series[subject_id])]
        same(episodes, expected["pumppath_episodes"]["episodes"], f"{subject_id}.episodes")
