"""evaluate, Assessment and the demo cohort."""

import json
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

import pumppath
from conftest import NOW, ZONE

AT = datetime(2026, 3, 16, 15, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def cohort():
    return {patient["id"]: patient for patient in pumppath.demo_cohort()}


def test_the_demo_cohort(cohort):
    chloe = cohort["chloe"]
    assert isinstance(chloe["record"], pumppath.PatientRecord)
    assert chloe["times"].dtype == np.dtype("datetime64[s]")
    assert chloe["glucose"].dtype == np.float64
    assert len(chloe["times"]) == len(chloe["glucose"]) > 1000
    assert all(p["name"] and p["story"] for p in cohort.values())
    assert (pumppath.DEMO_NOW, pumppath.DEMO_TIME_ZONE) == (NOW, ZONE)


def test_chloes_assessment_as_the_readme_says(cohort):
    chloe = cohort["chloe"]
    assessment = pumppath.evaluate(chloe["record"], (chloe["times"], chloe["glucose"]),
                                   now=AT, time_zone=ZONE)
    assert isinstance(assessment, pumppath.Assessment)
    assert (assessment.patient_id, assessment.today) == ("chloe", "2026-03-16")
    first = assessment.actions[0]
    assert (first["rule"], first["severity"]) == ("frequent_lows", "urgent")
    assert json.loads(assessment.to_json()) == assessment.to_dict()
    assert "trace" not in assessment.to_dict()


def test_evaluate_gives_the_bytes_of_the_one_document_request(cohort):
    chloe = cohort["chloe"]
    readings = {"unit": "mg/dL", "time_scale": "seconds",
                "wall_clock_times": chloe["times"].astype(np.int64).tolist(), "values": chloe["glucose"].tolist()}
    document = {"record": chloe["record"].to_dict(), "readings": readings, "now": NOW, "time_zone": ZONE}
    expected = pumppath.evaluate_json(document)
    assert pumppath.evaluate(chloe["record"], readings, now=AT, time_zone=ZONE).to_json() == expected
    assert pumppath.evaluate(chloe["record"], json.dumps(readings), now=NOW, time_zone=ZONE).to_json() == expected
    assert pumppath.evaluate(chloe["record"], (chloe["times"], chloe["glucose"], "mg/dL"),
                             now=AT.astimezone(timezone(timedelta(hours=-5))), time_zone=ZONE).to_json() == expected


def test_explain_adds_the_trace_and_targets_apply(cohort):
    record = cohort["dev"]["record"]
    explained = pumppath.evaluate(record, now=AT, time_zone=ZONE, explain=True)
    assert {"rule", "outcome"} <= set(explained.trace[0]) or explained.trace
    assert pumppath.evaluate(record, None, now=AT, time_zone=ZONE, targets="pregnancy_type1").patient_id == "dev"


def test_evaluate_errors_are_typed(cohort):
    record = cohort["dev"]["record"]
    with pytest.raises(pumppath.RequestError) as raised:
        pumppath.evaluate(record, now=datetime(2026, 3, 16, 15), time_zone=ZONE)
    assert raised.value.problems[0]["path"] == "$.now"
    assert raised.value.code == "malformed_request"
    with pytest.raises(pumppath.ScheduleError):
        pumppath.evaluate(record, now=AT, time_zone="Mars/Olympus")
    with pytest.raises(pumppath.SeriesError) as raised:
        pumppath.evaluate(record, {"unit": "mg/dL", "times": [0], "values": [1, 2], "colour": 1}, now=AT,
                          time_zone=ZONE)
    with pytest.raises(TypeError):
        pumppath.evaluate(record, now=12, time_zone=ZONE)
    with pytest.raises(TypeError):
        pumppath.evaluate(record, (1, 2, 3, 4), now=AT, time_zone=ZONE)
