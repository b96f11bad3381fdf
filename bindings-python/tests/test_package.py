"""The error classes, the stubs and the package."""

import ast
import inspect
import pathlib
import re

import pytest

import pumppath

KINDS = ["GlucoseError", "SeriesError", "ReadError", "ProtocolError", "EventError", "RecordError",
         "ScheduleError", "RequestError", "CohortError", "FhirError"]


def test_the_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", pumppath.__version__)


def test_one_error_class_per_kind_of_cores_error_table():
    kinds = pumppath.schemas()["error"]["properties"]["kind"]
    listed = kinds.get("enum") or [v["const"] for v in kinds.get("oneOf", [])]
    if not listed:  # the kind enum behind a $ref
        name = kinds["$ref"].rsplit("/", 1)[-1]
        defs = pumppath.schemas()["error"].get("$defs", {})
        listed = defs[name].get("enum") or [v["const"] for v in defs[name]["oneOf"]]
    assert sorted(listed) == sorted(KINDS)
    assert issubclass(pumppath.PumppathError, ValueError)
    for kind in KINDS:
        cls = getattr(pumppath, kind)
        assert issubclass(cls, pumppath.PumppathError) and cls is not pumppath.PumppathError
        assert (cls.__name__, cls.__module__) == (kind, "pumppath")


def test_errors_carry_kind_code_problems_and_cores_message():
    with pytest.raises(pumppath.PumppathError) as raised:
        pumppath.classify([-1.0])
    err = raised.value
    assert type(err) is pumppath.GlucoseError
    assert str(err) == "values[0]: glucose value -1 mg/dL is not positive"
    assert (err.kind, err.code) == ("GlucoseError", "invalid_value_at")
    assert err.problems == [{"path": "$.values[0]", "code": "not_positive",
                             "message": "values[0]: glucose value -1 mg/dL is not positive", "value": -1.0}]


def stub():
    for base in (pathlib.Path(pumppath.__file__).parent, pathlib.Path(__file__).parents[1]):
        for name in ("__init__.pyi", "pumppath.pyi"):
            if (base / name).exists():
                return base / name
    raise AssertionError("no stub")


def test_the_stub_declares_every_public_name_and_ships_with_py_typed():
    tree = ast.parse(stub().read_text())
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            declared.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
        elif isinstance(node, ast.Assign):
            declared.update(t.id for t in node.targets)
    # Submodules (the extension, and pumppath.spark once imported) are not names of the stub.
    public = {name for name in dir(pumppath)
              if not name.startswith("_") and not inspect.ismodule(getattr(pumppath, name))}
    assert public <= declared, public - declared
    package = pathlib.Path(pumppath.__file__).parent
    assert (package / "py.typed").exists()
    assert (package / "__init__.pyi").exists()


def test_every_function_and_class_has_a_docstring():
    for name in dir(pumppath):
        obj = getattr(pumppath, name)
        if callable(obj) and not name.startswith("_"):
            assert obj.__doc__ and obj.__doc__.strip(), name
