"""The golden cases (`golden/cases/`) through the Python API: each input document gives the core's JSON for it,
byte for byte what the Rust tests check."""

from pathlib import Path

import pytest

import pumppath

CASES = Path(__file__).resolve().parents[2] / "golden" / "cases"


def inputs(suffix):
    return sorted(p for p in CASES.iterdir() if p.name.endswith(suffix))


def expected(path, suffix, out):
    return (CASES / path.name.replace(suffix, out)).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", inputs(".request.json"), ids=lambda p: p.name)
def test_an_evaluation_request_gives_the_golden_assessment_and_patient_view(path):
    text = path.read_text(encoding="utf-8")
    assert pumppath.evaluate_json(text) == expected(path, ".request.json", ".assessment.json")
    assert pumppath.patient_view_json(text) == expected(path, ".request.json", ".patient_view.json")


@pytest.mark.parametrize("path", inputs(".readings.json"), ids=lambda p: p.name)
def test_readings_give_the_golden_summary_and_episodes(path):
    assert pumppath.cgm_report_json(path.read_text(encoding="utf-8")) == expected(path, ".readings.json", ".cgm.json")


@pytest.mark.parametrize("path", inputs(".worklist_request.json"), ids=lambda p: p.name)
def test_a_worklist_request_gives_the_golden_worklist(path):
    text = path.read_text(encoding="utf-8")
    assert pumppath.worklist_json(text) == expected(path, ".worklist_request.json", ".worklist.json")


def test_there_are_golden_cases():
    assert len(inputs(".request.json")) >= 14 and inputs(".readings.json") and inputs(".worklist_request.json")
