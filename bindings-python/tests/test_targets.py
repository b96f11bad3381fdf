"""Targets by name, JSON text or dict, read by core: an unknown preset or malformed targets are GlucoseErrors."""

import pytest

import pumppath


def test_a_preset_by_name_by_json_text_and_by_dict_agree():
    by_name = pumppath.classify([150.0], targets="pregnancy_type1").tolist()
    by_text = pumppath.classify([150.0], targets='{"preset": "pregnancy_type1"}').tolist()
    by_dict = pumppath.classify([150.0], targets={"preset": "pregnancy_type1"}).tolist()
    assert by_name == by_text == by_dict == [3]


@pytest.mark.parametrize(
    ("targets", "path", "code"),
    [
        ({"preset": "standard", "colour": "red"}, "$.colour", "unknown_field"),
        ({"preset": "relaxed"}, "$.preset", "unknown_variant"),
        ({"preset": 3}, "$.preset", "invalid_type"),
        (3, "$", "invalid_type"),
        ('{"preset": "standard"', "$", "invalid_json"),
    ],
)
def test_malformed_targets_raise_glucose_error_with_each_problem(targets, path, code):
    with pytest.raises(pumppath.GlucoseError) as raised:
        pumppath.classify([100.0], targets=targets)
    err = raised.value
    assert (err.kind, err.code) == ("GlucoseError", "malformed_targets")
    assert isinstance(err, ValueError)
    assert (err.problems[0]["path"], err.problems[0]["code"]) == (path, code)


def test_custom_targets_missing_a_part_name_it():
    with pytest.raises(pumppath.GlucoseError) as raised:
        pumppath.cgm_summary([], [], targets={"name": "clinic_a"})
    assert raised.value.code == "malformed_targets"
    assert "cut_points" in str(raised.value)


def test_an_unknown_preset_in_evaluate_is_a_glucose_error():
    record = pumppath.PatientRecord(pumppath.Protocol.standard(), "p1")
    with pytest.raises(pumppath.GlucoseError) as raised:
        pumppath.evaluate(record, now="2026-03-16T15:00:00Z", time_zone="America/Chicago", targets="strict")
    assert raised.value.code == "unknown_preset"


def test_a_dict_of_python_objects_is_a_type_error():
    with pytest.raises(TypeError):
        pumppath.classify([100.0], targets={"preset": object()})
