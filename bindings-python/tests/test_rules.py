"""evaluate_json, worklist_json, schemas and RULES."""

import json

import pytest

import pumppath
from conftest import NOW, ZONE


def request(record=None, **fields):
    record = record or {"patient_id": "p1", "events": []}
    return {"record": record, "now": NOW, "time_zone": ZONE, **fields}


def test_evaluate_json_takes_text_or_a_dict_and_gives_the_same_bytes(submitted):
    document = request({"patient_id": "p1", "events": [submitted]})
    from_dict = pumppath.evaluate_json(document)
    assert pumppath.evaluate_json(json.dumps(document)) == from_dict
    assessment = json.loads(from_dict)
    assert (assessment["patient_id"], assessment["today"], assessment["time_zone"]) == ("p1", "2026-03-16", ZONE)
    assert assessment["protocol_id"] == "handout_standard"
    assert isinstance(assessment["actions"], list)


def test_evaluate_json_with_readings():
    # Epoch milliseconds, 2026-03-15 from 12:00 UTC, hourly.
    times = [1_773_576_000_000 + h * 3_600_000 for h in range(10)]
    document = request(readings={"unit": "mg/dL", "times": times, "values": [100.0] * 10})
    assessment = json.loads(pumppath.evaluate_json(document))
    assert assessment["cgm"]["readings"] == 10


def test_request_errors_name_their_paths(submitted):
    with pytest.raises(pumppath.RequestError) as raised:
        pumppath.evaluate_json({"record": {"patient_id": "p1", "events": []}, "time_zone": ZONE})
    err = raised.value
    assert (err.kind, err.code) == ("RequestError", "malformed_request")
    assert any(p["path"].startswith("$") for p in err.problems)
    with pytest.raises(pumppath.ScheduleError) as raised:
        pumppath.evaluate_json(request(time_zone="Mars/Olympus"))
    assert raised.value.code == "unknown_time_zone"
    with pytest.raises(pumppath.RecordError) as raised:
        pumppath.evaluate_json(request({"patient_id": "p1", "events": [submitted, submitted]}))
    assert raised.value.code == "event_rejected"
    with pytest.raises(TypeError):
        pumppath.evaluate_json({"now": object()})


def test_worklist_json(submitted):
    document = {"patients": [{"record": {"patient_id": "p1", "events": [submitted]}},
                             {"record": {"patient_id": "p2", "events": []}}],
                "now": NOW, "time_zone": ZONE}
    text = pumppath.worklist_json(document)
    assert pumppath.worklist_json(json.dumps(document)) == text
    worklist = json.loads(text)
    assert [p["patient_id"] for p in worklist["patients"]] == ["p1", "p2"]
    with pytest.raises(pumppath.RequestError):
        pumppath.worklist_json("{}")


def test_schemas_by_name():
    schemas = pumppath.schemas()
    assert {"protocol", "event", "readings", "assessment", "worklist", "summary", "episodes", "error"} <= set(schemas)
    assert all(isinstance(s, dict) for s in schemas.values())


def test_the_rule_table():
    assert isinstance(pumppath.RULES, tuple)
    names = [r["rule"] for r in pumppath.RULES]
    assert len(names) == len(set(names)) > 5
    assert "frequent_lows" in names
    assert {"rule", "category", "role", "source", "severities", "evidence", "fires_when"} <= set(pumppath.RULES[0])
    action_rules = {b["properties"]["rule"]["const"] for b in pumppath.schemas()["action"]["oneOf"]
                    if "const" in b.get("properties", {}).get("rule", {})}
    assert not action_rules or action_rules == set(names)
