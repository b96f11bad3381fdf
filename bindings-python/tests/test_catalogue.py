"""The catalogue of bad input (`golden/bad-input.json`) through the Python API: every row's outcome is the one the
core's tests see (its `expect`), one test per row. Errors are compared by kind, code and first problem's path and
value; successes by a small digest of the result."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

import pumppath

REPO = Path(__file__).resolve().parents[2]
ROWS = json.loads((REPO / "golden" / "bad-input.json").read_text(encoding="utf-8"))["rows"]


def pieces(parts):
    """The text of `pieces`: each [text, times] repeated; {k}, {k1} and {k300} are the index, + 1 and x 300."""
    out = []
    for text, times in parts:
        if "{" in text:
            out.extend(
                text.replace("{k300}", str(k * 300)).replace("{k1}", str(k + 1)).replace("{k}", str(k))
                for k in range(times)
            )
        else:
            out.append(text * times)
    return "".join(out)


def text(data):
    if "pieces" in data:
        return pieces(data["pieces"])
    return data.get("json", data.get("text"))


def raw(data):
    return bytes.fromhex(data["hex"]) if "hex" in data else text(data).encode("utf-8")


def error_outcome(error):
    first = error.problems[0]
    out = {"kind": error.kind, "code": error.code, "path": first["path"]}
    if "value" in first:
        out["value"] = first["value"]
    return {"error": out}


def run(row):
    data = row["input"]
    door = row["door"]
    try:
        if door == "classify":
            values = np.array([float(v) if isinstance(v, str) else v for v in data["values"]], dtype=float)
            codes = pumppath.classify(values, unit=data.get("unit", "mg/dL"))
            return {"ok": {"codes": codes.tolist()}}
        if door == "readings":
            summary = pumppath.Series.from_json(text(data)).summary()
            return {"ok": {"readings": summary.readings, "missing": summary.missing, "sufficient": summary.sufficient}}
        if door == "evaluate_json":
            out = json.loads(pumppath.evaluate_json(text(data)))
            return {"ok": {"actions": len(out["actions"]), "readings": (out["cgm"] or {}).get("readings")}}
        if door == "worklist_json":
            out = json.loads(pumppath.worklist_json(text(data)))
            return {"ok": {"patients": len(out["patients"]), "errors": [e["error"]["code"] for e in out["errors"]]}}
        if door == "protocol":
            protocol = pumppath.Protocol.from_json(text(data))
            return {"ok": {"items": sum(len(p["items"]) for p in protocol.to_dict()["phases"])}}
        if door == "record":
            return {"ok": {"events": len(pumppath.PatientRecord.from_json(pumppath.Protocol.standard(), text(data)))}}
        if door == "events":
            record = pumppath.PatientRecord(pumppath.Protocol.standard(), "p1")
            for index, event in enumerate(data["events"]):
                before = record.to_json()
                try:
                    record.apply(event)
                except pumppath.PumppathError as error:
                    assert record.to_json() == before, "the record changed under a rejected event"
                    out = error_outcome(error)
                    out["error"]["event"] = index
                    return out
            return {"ok": {"events": len(record)}}
        if door == "csv_long":
            patients = pumppath.read_long_csv(raw(data), unit=data.get("unit", "mg/dL"))
            return {"ok": {"patients": len(patients), "readings": sum(len(p) for p in patients)}}
        if door == "csv_clarity":
            [series] = pumppath.read_dexcom_clarity(raw(data))
            summary = series.summary()
            return {"ok": {"patients": 1, "readings": len(series), "at_sensor_limit": summary.at_sensor_limit}}
    except pumppath.PumppathError as error:
        return error_outcome(error)
    raise AssertionError(f"unknown door {door}")


def same(actual, expected):
    """Equal, numbers compared as the JSON numbers they are (1 == 1.0)."""
    if isinstance(expected, float) or isinstance(actual, float):
        return isinstance(actual, (int, float)) and math.isclose(actual, expected, rel_tol=0, abs_tol=0)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and actual.keys() == expected.keys() and all(same(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and all(map(same, actual, expected))
    return actual == expected


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_the_row_gets_its_outcome(row):
    actual = run(row)
    assert same(actual, row["expect"]), f"{row['id']}: expected {row['expect']}, got {actual}"
