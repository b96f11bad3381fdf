"""Protocol and PatientRecord."""

import json
from datetime import datetime

import pytest

import pumppath
from conftest import event


def test_the_standard_protocol():
    protocol = pumppath.Protocol.standard()
    assert protocol.id == "handout_standard"
    assert len(protocol.fingerprint) == 64 and int(protocol.fingerprint, 16) >= 0
    assert protocol == pumppath.Protocol.standard()
    assert json.loads(protocol.to_json()) == protocol.to_dict()


def test_a_protocol_round_trips_through_its_json():
    protocol = pumppath.Protocol.standard()
    again = pumppath.Protocol.from_json(protocol.to_json())
    assert again.fingerprint == protocol.fingerprint
    assert again.version == protocol.version


def test_an_invalid_protocol_lists_its_problems():
    document = pumppath.Protocol.standard().to_dict()
    document["phases"][0]["items"][0]["prerequisites"] = ["no_such_item"]
    document["colour"] = "blue"
    with pytest.raises(pumppath.ProtocolError) as raised:
        pumppath.Protocol.from_json(json.dumps(document))
    err = raised.value
    assert (err.kind, err.code) == ("ProtocolError", "invalid_protocol")
    paths = [p["path"] for p in err.problems]
    assert "$.colour" in paths
    assert all({"path", "code", "message"} <= set(p) for p in err.problems)


def test_a_record_applies_events_as_dicts_or_json(submitted):
    protocol = pumppath.Protocol.standard()
    record = pumppath.PatientRecord(protocol, "p1")
    assert (record.patient_id, len(record)) == ("p1", 0)
    record.apply(submitted)
    record.apply(json.dumps(event("e2", "insurance_decision", actor="clinic_staff", decision="approved",
                                  at="2026-03-03T15:00:00Z")))
    assert len(record) == 2
    assert record.protocol_fingerprint == protocol.fingerprint
    assert record.protocol == protocol
    assert json.loads(record.to_json()) == record.to_dict()


def test_a_record_round_trips_through_its_json(submitted):
    protocol = pumppath.Protocol.standard()
    record = pumppath.PatientRecord(protocol, "p1")
    record.apply(submitted)
    for saved in (record.to_json(), record.to_dict()):
        again = pumppath.PatientRecord.from_json(protocol, saved)
        assert again.to_json() == record.to_json()


def test_a_rejected_event_is_an_event_error_and_leaves_the_record_unchanged(submitted):
    record = pumppath.PatientRecord(pumppath.Protocol.standard(), "p1")
    record.apply(submitted)
    with pytest.raises(pumppath.EventError) as raised:
        record.apply(submitted)
    assert (raised.value.kind, raised.value.code) == ("EventError", "duplicate_event_id")
    assert raised.value.problems[0]["path"] == "$.id"
    assert len(record) == 1


def test_a_malformed_event_or_record_is_a_record_error(submitted):
    protocol = pumppath.Protocol.standard()
    record = pumppath.PatientRecord(protocol, "p1")
    with pytest.raises(pumppath.RecordError) as raised:
        record.apply({**submitted, "colour": "blue"})
    assert raised.value.code == "malformed_record"
    assert "$.colour" in [p["path"] for p in raised.value.problems]
    with pytest.raises(pumppath.RecordError):
        pumppath.PatientRecord.from_json(protocol, '{"patient_id": "p1", "events": [{}]}')
    with pytest.raises(TypeError):
        record.apply({**submitted, "recorded_at": datetime(2026, 3, 2)})
