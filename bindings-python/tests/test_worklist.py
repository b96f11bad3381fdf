"""worklist, Worklist and RoleGroup."""

import json
import sys
from datetime import datetime, timezone

import numpy as np
import pytest

import pumppath
from conftest import NOW, ZONE

AT = datetime(2026, 3, 16, 15, tzinfo=timezone.utc)
COLUMNS = ["patient_id", "rule", "state", "severity", "category", "role", "due", "message", "item", "source"]


@pytest.fixture(scope="module")
def cohort():
    return pumppath.demo_cohort()


@pytest.fixture(scope="module")
def worklist(cohort):
    return pumppath.worklist(cohort, AT, ZONE)


def readings_json(patient):
    return {"unit": "mg/dL", "time_scale": "seconds",
            "wall_clock_times": patient["times"].astype(np.int64).tolist(), "values": patient["glucose"].tolist()}


def test_the_worklist_is_the_bytes_of_the_one_document_request(cohort, worklist):
    document = {"patients": [{"record": p["record"].to_dict(), "readings": readings_json(p)} for p in cohort],
                "now": NOW, "time_zone": ZONE}
    assert isinstance(worklist, pumppath.Worklist)
    assert worklist.to_json() == pumppath.worklist_json(document)
    assert json.loads(worklist.to_json()) == worklist.to_dict()
    assert worklist.items[0]["action"]["severity"] == "urgent"
    assert [p["patient_id"] for p in worklist.patients] == [p["id"] for p in cohort]


def test_patients_as_pairs_triples_and_dicts(cohort, worklist):
    pairs = [(p["record"], (p["times"], p["glucose"])) for p in cohort]
    assert pumppath.worklist(pairs, NOW, ZONE) == worklist
    dicts = [{"record": p["record"], "readings": readings_json(p)} for p in cohort]
    assert pumppath.worklist(iter(dicts), NOW, ZONE).to_json() == worklist.to_json()
    triples = [(p["record"], None, "pregnancy_type1") for p in cohort[:2]]
    assert len(pumppath.worklist(triples, NOW, ZONE).assessments) == 2
    assert pumppath.worklist([], NOW, ZONE).items == []


def test_for_role_is_the_roles_items_in_the_lists_order(worklist):
    desk = worklist.for_role("provider")
    assert isinstance(desk, pumppath.RoleGroup)
    assert desk.role == "provider"
    assert len(desk) == len(desk.items) > 0
    assert all(item["action"]["role"] == "provider" for item in desk.items)
    assert desk.items == [item for item in worklist.items if item["action"]["role"] == "provider"]
    assert desk.counts()["by_role"] == {"provider": len(desk)}
    assert json.loads(desk.to_json()) == desk.to_dict() == {"role": "provider", "items": desk.items}
    with pytest.raises(ValueError):
        worklist.for_role("janitor")


def test_actions_frame_is_one_row_per_item(worklist):
    frame = worklist.actions_frame()
    pd = pytest.importorskip("pandas")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == COLUMNS
    assert len(frame) == len(worklist.items)
    assert frame["patient_id"].tolist() == [item["patient_id"] for item in worklist.items]
    assert frame["rule"].tolist() == [item["action"]["rule"] for item in worklist.items]
    assert len(worklist.for_role("provider").actions_frame()) == len(worklist.for_role("provider"))


def test_actions_frame_without_pandas_is_the_list_of_dicts(worklist, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    rows = worklist.actions_frame()
    assert isinstance(rows, list) and len(rows) == len(worklist.items)
    assert list(rows[0]) == COLUMNS
    first = worklist.items[0]
    assert rows[0] == {"patient_id": first["patient_id"], **{c: first["action"].get(c) for c in COLUMNS[1:]}}


def test_worklist_errors(cohort):
    with pytest.raises(TypeError):
        pumppath.worklist([cohort[0]["record"]], NOW, ZONE)
    with pytest.raises(TypeError):
        pumppath.worklist([{"readings": None}], NOW, ZONE)
    with pytest.raises(TypeError):
        pumppath.worklist([("not a record", None)], NOW, ZONE)
    with pytest.raises(pumppath.RequestError):
        pumppath.worklist(cohort, datetime(2026, 3, 16, 15), ZONE)
    with pytest.raises(pumppath.ScheduleError):
        pumppath.worklist(cohort, NOW, "Mars/Olympus")


def test_a_patients_assessment_from_the_list_is_evaluates(cohort, worklist):
    chloe = next(p for p in cohort if p["id"] == "chloe")
    evaluated = pumppath.evaluate(chloe["record"], (chloe["times"], chloe["glucose"]), now=NOW, time_zone=ZONE)
    assessment = worklist.assessment("chloe")
    assert isinstance(assessment, pumppath.Assessment)
    assert assessment == evaluated and assessment.to_json() == evaluated.to_json()
    assert assessment.patient_view().to_markdown() == evaluated.patient_view().to_markdown()
    assert worklist.assessment("nobody") is None
    pregnancy = pumppath.worklist([(chloe["record"], None, "pregnancy_type1")], NOW, ZONE)
    assert "below 3.5 mmol/L" in pregnancy.assessment("chloe").patient_view(unit="mmol/L").to_text()
