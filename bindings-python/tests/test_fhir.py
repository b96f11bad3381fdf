"""FHIR R4: to_fhir() on the summary, the series and the assessment, and read_fhir_bundle."""

import json
from datetime import datetime, timezone

import numpy as np
import pytest

import pumppath
from conftest import ZONE

AT = datetime(2026, 3, 16, 15, tzinfo=timezone.utc)
IG = "http://hl7.org/fhir/uv/cgm/StructureDefinition/"


@pytest.fixture(scope="module")
def chloe():
    return next(p for p in pumppath.demo_cohort() if p["id"] == "chloe")


@pytest.fixture(scope="module")
def series(chloe):
    return pumppath.Series.from_json(
        {"unit": "mg/dL", "time_scale": "seconds", "time_zone": ZONE,
         "wall_clock_times": chloe["times"].astype("int64").tolist(), "values": chloe["glucose"].tolist()},
        id="chloe")


def resources(bundle):
    return [entry["resource"] for entry in bundle["entry"]]


def test_a_summary_is_the_cgm_guides_observations(series):
    summary = series.summary()
    bundle = summary.to_fhir("chloe")
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "transaction")
    observations = resources(bundle)
    profiles = [o["meta"]["profile"][0].removeprefix(IG) for o in observations]
    assert profiles == ["cgm-summary", "cgm-summary-mean-glucose-mass-per-volume", "cgm-summary-times-in-ranges",
                        "cgm-summary-gmi", "cgm-summary-coefficient-of-variation", "cgm-summary-days-of-wear",
                        "cgm-summary-sensor-active-percentage"]
    panel = observations[0]
    assert panel["code"]["coding"][0] == {"system": "http://loinc.org", "code": "107931-8"}
    assert panel["subject"] == {"reference": "Patient/chloe"}
    urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert [m["reference"] for m in panel["hasMember"]] == urls[1:]
    mean = observations[1]["valueQuantity"]
    assert mean == {"value": round(summary.mean, 2), "unit": "mg/dl", "system": "http://unitsofmeasure.org",
                    "code": "mg/dL"}
    bands = [c["valueQuantity"]["value"] for c in observations[2]["component"]]
    assert [c["code"]["coding"][0]["code"] for c in observations[2]["component"]] == [
        "104642-4", "104641-6", "97510-2", "104640-8", "104639-0"]
    assert bands[0] == round(summary.percent_below_54, 2)
    assert abs(sum(bands) - 100) < 0.05
    # The dict is FHIR JSON: it survives json round trips as it is.
    assert json.loads(json.dumps(bundle)) == bundle


def test_a_summary_without_the_guides_values_raises(series):
    one = pumppath.cgm_summary(np.array(["2026-03-01T08:00"], dtype="datetime64[s]"), np.array([120.0]))
    with pytest.raises(pumppath.FhirError) as raised:
        one.to_fhir("p")
    assert raised.value.code == "missing_metric"
    assert raised.value.problems[0]["path"] == "$.cv"


def test_readings_round_trip_through_fhir(series):
    bundle = series.to_fhir()
    first = bundle["entry"][0]["resource"]
    assert first["code"]["coding"][0]["code"] == "99504-3"
    assert first["subject"] == {"reference": "Patient/chloe"}
    back = pumppath.read_fhir_bundle(bundle, time_zone=ZONE)
    assert [s.id for s in back] == ["chloe"]
    assert back[0].to_json() == series.to_json()
    # As text too, and converted to mmol/L on request.
    mmol = pumppath.read_fhir_bundle(json.dumps(bundle), unit="mmol/L", time_zone=ZONE)[0]
    assert mmol.unit == "mmol/L"
    assert np.allclose(mmol.glucose * 18.0182, series.glucose, rtol=1e-3)


def test_read_fhir_bundle_names_the_entrys_field(series):
    bundle = series.to_fhir()
    bundle["entry"][3]["resource"]["code"]["coding"][0]["code"] = "2339-0"
    with pytest.raises(pumppath.FhirError) as raised:
        pumppath.read_fhir_bundle(bundle)
    assert raised.value.code == "blood_glucose_code"
    assert raised.value.problems[0]["path"] == "$.entry[3].resource.code"
    assert len(pumppath.read_fhir_bundle(bundle, blood_glucose=True)[0]) == len(series)
    bundle["entry"][3]["resource"]["valueQuantity"]["code"] = "kPa"
    with pytest.raises(pumppath.FhirError, match='unit "kPa" is neither mg/dL nor mmol/L'):
        pumppath.read_fhir_bundle(bundle, blood_glucose=True)
    with pytest.raises(pumppath.FhirError) as raised:
        pumppath.read_fhir_bundle('{"resourceType": "Patient"}')
    assert raised.value.problems[0]["path"] == "$.resourceType"


def test_an_assessment_is_a_care_plan_a_request_group_and_the_cgm_observations(chloe):
    assessment = pumppath.evaluate(chloe["record"], (chloe["times"], chloe["glucose"]), now=AT, time_zone=ZONE)
    bundle = assessment.to_fhir()
    types = [r["resourceType"] for r in resources(bundle)]
    assert types == ["CarePlan", "RequestGroup"] + ["Observation"] * 7
    plan, group = resources(bundle)[:2]
    protocol = pumppath.Protocol.standard()
    items = [i["id"] for phase in protocol.to_dict()["phases"] for i in phase["items"]]
    assert [a["detail"]["code"]["coding"][0]["code"] for a in plan["activity"]][:len(items)] == items
    assert len(group["action"]) == len(assessment.actions)
    first = group["action"][0]
    assert (first["title"], first["priority"]) == (assessment.actions[0]["rule"], "asap")
    assert group["priority"] == "asap"
    assert group["basedOn"] == [{"reference": bundle["entry"][0]["fullUrl"]}]
    fingerprint = [e["valueString"] for e in group["extension"] if e["url"].endswith("/protocol-fingerprint")]
    assert fingerprint == [protocol.fingerprint]
    # The same assessment from the work-list gives the same bundle.
    listed = pumppath.worklist([{"record": chloe["record"], "readings": (chloe["times"], chloe["glucose"])}],
                               now=AT, time_zone=ZONE)
    assert listed.assessment("chloe").to_fhir() == bundle
