"""The patient's view of an assessment."""

import json
import re
from pathlib import Path

import pytest

import pumppath
from conftest import NOW, ZONE

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference.md"


@pytest.fixture(scope="module")
def chloe():
    patient = next(p for p in pumppath.demo_cohort() if p["id"] == "chloe")
    return pumppath.evaluate(patient["record"], (patient["times"], patient["glucose"]), now=NOW, time_zone=ZONE)


def reference_block():
    text = REFERENCE.read_text(encoding="utf-8")
    after = text.split("Chloe's view, as `to_markdown()` gives it", 1)[1]
    return re.search(r"```markdown\n(.*?)```", after, re.S).group(1)


def test_chloes_markdown_is_the_references_block(chloe):
    view = chloe.patient_view()
    assert isinstance(view, pumppath.PatientView)
    markdown = view.to_markdown()
    assert markdown == reference_block()
    assert "- [ ] Knows when to call the clinic\n" in markdown and "70 mg/dL" in markdown
    assert "knows_when_to_call" not in markdown and "knows_when_to_call" not in view.to_text()
    assert view.next_steps[2]["item"] == "knows_when_to_call"
    assert json.loads(view.to_json()) == view.to_dict()
    assert view.call_us == {"unit": "mg/dL", "below": 70.0, "above": 250.0, "first_weeks_until": None}
    assert {"to_markdown", "to_text", "call_us"} <= set(dir(view))


def test_the_view_in_mmol_and_with_the_targets_judged(chloe):
    text = chloe.patient_view(unit="mmol/L").to_text()
    assert "Call us when your glucose is often below 3.9 mmol/L or above 13.9 mmol/L." in text
    assert "mg/dL" not in text
    record = next(p for p in pumppath.demo_cohort() if p["id"] == "chloe")["record"]
    pregnancy = pumppath.evaluate(record, now=NOW, time_zone=ZONE, targets="pregnancy_type1")
    assert "below 63 mg/dL or above 140 mg/dL" in pregnancy.patient_view().to_text()
    assert "below 3.5 mmol/L or above 7.8 mmol/L" in pregnancy.patient_view(unit="mmol/L").to_text()
    with pytest.raises(pumppath.GlucoseError):
        chloe.patient_view(unit="mg")
