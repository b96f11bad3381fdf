"""Shared inputs of the binding's tests."""

import pytest

NOW = "2026-03-16T15:00:00Z"
ZONE = "America/Chicago"


def event(event_id, event_type, actor="clinic_staff", at="2026-03-02T15:00:00Z", **fields):
    """One event in the wire format."""
    return {"id": event_id, "occurred_at": at, "recorded_at": at, "actor": actor, "type": event_type, **fields}


@pytest.fixture
def submitted():
    """An insurance submission by the clinic's staff."""
    return event("e1", "insurance_submitted")
