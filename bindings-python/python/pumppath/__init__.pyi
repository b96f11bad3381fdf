"""Type stubs of pumppath, the Python bindings of the pumppath rules engine (insulin-pump pathway)."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from os import PathLike
from typing import Any, Final, Literal, NotRequired, TypedDict, final, type_check_only

import numpy as np
import numpy.typing as npt

__all__ = [
    "__version__",
    "PumppathError",
    "GlucoseError",
    "SeriesError",
    "ReadError",
    "ProtocolError",
    "EventError",
    "RecordError",
    "ScheduleError",
    "RequestError",
    "CohortError",
    "FhirError",
    "BANDS",
    "RULES",
    "CgmSummary",
    "Episode",
    "Protocol",
    "PatientRecord",
    "classify",
    "cgm_summary",
    "glucose_episodes",
    "agp",
    "Frequently",
    "frequently",
    "Series",
    "read_long_csv",
    "read_dexcom_clarity",
    "read_fhir_bundle",
    "summary_rows",
    "summarize",
    "COHORT_COLUMNS",
    "summarize_cohort",
    "evaluate_json",
    "worklist_json",
    "patient_view_json",
    "cgm_report_json",
    "schemas",
    "Assessment",
    "PatientView",
    "evaluate",
    "demo_cohort",
    "Worklist",
    "RoleGroup",
    "worklist",
    "DEMO_NOW",
    "DEMO_TIME_ZONE",
]

__version__: Final[str]

Unit = Literal["mg/dL", "mmol/L"]
Band = Literal["very_low", "low", "in_range", "high", "very_high"]
TargetsArg = str | Mapping[str, Any] | None
Times = npt.NDArray[np.datetime64] | Sequence[datetime] | Any
"""A numpy datetime64 array of any unit, a pandas Series or DatetimeIndex, or a list of datetime: naive values
are the device's wall-clock times; timezone-aware values are instants whose zone's IANA name goes to core."""

BANDS: Final[tuple[Band, Band, Band, Band, Band]]
"""The band names in code order: code k of `classify` is `BANDS[k]` (-1 is a missing value)."""

RULES: Final[tuple[dict[str, Any], ...]]
"""The rule table, one dict per rule in core's order: rule, category, role, source, severities, evidence,
fires_when."""

@type_check_only
class Problem(TypedDict):
    """One problem of an error: where, its code, what is wrong and, when there is one, the value."""

    path: str
    code: str
    message: str
    value: NotRequired[Any]

class PumppathError(ValueError):
    """The base of every pumppath error; the message is core's."""

    kind: str
    code: str
    problems: list[Problem]

class GlucoseError(PumppathError):
    """An invalid glucose value, unit, cut-point or target."""

class SeriesError(PumppathError):
    """Readings that cannot form a CGM series."""

class ReadError(PumppathError):
    """A CGM export that cannot be read."""

class ProtocolError(PumppathError):
    """A protocol that cannot be used: every problem with its JSON path."""

class EventError(PumppathError):
    """An event the protocol or the record forbids."""

class RecordError(PumppathError):
    """A record or event whose JSON is malformed, or a record that cannot be used as a whole."""

class ScheduleError(PumppathError):
    """A time zone or date the schedule cannot use."""

class RequestError(PumppathError):
    """A request document (an evaluation, a work-list) that cannot be read."""

class CohortError(PumppathError):
    """A cohort table whose columns cannot be read: a missing column, a wrong type, a null id or time."""

class FhirError(PumppathError):
    """A FHIR bundle that cannot be read as glucose readings, or an answer FHIR's profiles cannot carry."""

def classify(glucose: npt.ArrayLike, unit: Unit = "mg/dL", targets: TargetsArg = "standard") -> npt.NDArray[np.int8]:
    """Band codes of glucose values: 0 very_low .. 4 very_high, -1 for NaN (see `BANDS`)."""

@final
class CgmSummary:
    """The consensus summary of CGM readings; attributes are core's summary wire names."""

    unit: Unit
    targets: str
    readings: int
    missing: int
    duplicates: int
    at_sensor_limit: int
    first: str | None
    last: str | None
    span_days: float | None
    sampling_minutes: int | None
    mean: float | None
    sd: float | None
    cv: float | None
    gmi: float | None
    percent_very_low: float | None
    percent_low: float | None
    percent_in_range: float | None
    percent_high: float | None
    percent_very_high: float | None
    percent_below_54: float | None
    percent_below_70: float | None
    percent_above_180: float | None
    percent_above_250: float | None
    percent_in_range_63_140: float | None
    active_percent: float | None
    period: dict[str, Any] | None
    sufficient: bool
    insufficient_reasons: list[str]
    def to_fhir(self, patient_id: str) -> dict[str, Any]:
        """The summary as a FHIR R4 transaction Bundle of the HL7 CGM guide's summary Observations (FHIR JSON as
        a dict); raises FhirError without the values the guide requires (fewer than two readings)."""
    def to_dict(self) -> dict[str, Any]:
        """Core's JSON form as a dict."""
    def to_json(self) -> str:
        """Core's JSON."""

@final
class Episode:
    """One hypo- or hyperglycaemic episode; attributes are core's episode wire names."""

    kind: Literal["hypo", "hyper"]
    level: Literal["level_1", "level_2", "extended", "level_1_exclusive"]
    start: str
    end: str
    duration_minutes: int
    mean_glucose: float
    def to_dict(self) -> dict[str, Any]:
        """Core's JSON form as a dict."""
    def to_json(self) -> str:
        """Core's JSON."""

def cgm_summary(
    times: Times | Series, glucose: npt.ArrayLike | None = None, unit: Unit = "mg/dL", targets: TargetsArg = "standard"
) -> CgmSummary:
    """The consensus summary of readings at `times` (or of a `Series` alone); an unknown preset or malformed
    targets raise GlucoseError."""

def glucose_episodes(
    times: Times | Series, glucose: npt.ArrayLike | None = None, unit: Unit = "mg/dL"
) -> list[Episode]:
    """The hypo- and hyperglycaemic episodes of readings (R iglu's episode_calculation)."""

@type_check_only
class Agp(TypedDict):
    """The AGP: percentiles by local time of day, one entry per bin."""

    unit: Unit
    bin_minutes: int
    start: npt.NDArray[np.timedelta64]
    readings: npt.NDArray[np.int64]
    p5: npt.NDArray[np.float64]
    p25: npt.NDArray[np.float64]
    p50: npt.NDArray[np.float64]
    p75: npt.NDArray[np.float64]
    p95: npt.NDArray[np.float64]

def agp(
    times: Times | Series, glucose: npt.ArrayLike | None = None, unit: Unit = "mg/dL", bin_minutes: int = 15
) -> Agp:
    """The ambulatory glucose profile: percentiles 5/25/50/75/95 by time of day (NaN where a bin is empty)."""

@final
class Frequently:
    """The "frequently < 70 or > 250" verdict with its evidence; attributes are core's wire names."""

    verdicts: list[Literal["frequently_low", "frequently_high", "not_frequent", "insufficient_data"]]
    frequently_low: bool
    frequently_high: bool
    sufficient: bool
    evidence: list[dict[str, Any]]
    window_start: str
    window_end: str
    episode_window_start: str
    since: str | None
    significant_episodes: list[dict[str, Any]]
    def to_dict(self) -> dict[str, Any]:
        """Core's JSON form as a dict."""
    def to_json(self) -> str:
        """Core's JSON."""

def frequently(
    times: Times | Series,
    glucose: npt.ArrayLike | None = None,
    now: datetime | str | None = None,
    time_zone: str | None = None,
    unit: Unit = "mg/dL",
    targets: TargetsArg = None,
    protocol: Protocol | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Frequently:
    """The verdict at `now` (timezone-aware) in the clinic's `time_zone`, judged as `evaluate` judges it
    (without a pump start); `now` and `time_zone` are required. `settings` changes fields of the protocol's
    `settings.frequently` (checked as a protocol's: a bad one raises ProtocolError)."""

@final
class Series:
    """One patient's CGM readings as core holds them (from the readers)."""

    @property
    def id(self) -> str:
        """The patient's id as the input gives it ("" for a single-patient export)."""
    @property
    def unit(self) -> Unit:
        """The unit of `glucose`."""
    @property
    def time_zone(self) -> str | None:
        """The IANA zone the readings were read in, or None."""
    @property
    def times(self) -> npt.NDArray[np.datetime64]:
        """The local wall-clock time of each reading, datetime64[s], in time order."""
    @property
    def glucose(self) -> npt.NDArray[np.float64]:
        """The value of each reading in `unit`."""
    @property
    def missing(self) -> int:
        """Missing readings dropped."""
    @staticmethod
    def from_json(document: str | Mapping[str, Any], id: str = "") -> Series:
        """A series from core's columnar readings JSON (text or a dict); raises SeriesError."""
    def summary(self, targets: TargetsArg = "standard") -> CgmSummary:
        """The consensus summary of the readings."""
    def to_json(self) -> str:
        """Core's columnar readings JSON."""
    def to_fhir(self, patient_id: str | None = None) -> dict[str, Any]:
        """The readings as a FHIR R4 transaction Bundle of the HL7 CGM guide's sensor readings (FHIR JSON as a
        dict), for `patient_id` (default: `id`); raises FhirError for a series without a time zone."""
    def __len__(self) -> int:
        """The number of readings."""

PathOrText = str | bytes | PathLike[str]

def read_long_csv(path_or_text: PathOrText, unit: Unit = "mg/dL", time_zone: str | None = None) -> list[Series]:
    """One Series per patient of a long `id,time,gl` CSV (a path, or the CSV as bytes or text with a line
    break); raises ReadError naming the line, column and value."""

def read_dexcom_clarity(path_or_text: PathOrText, time_zone: str | None = None, id: str = "") -> list[Series]:
    """The one Series of a Dexcom Clarity CSV export; raises ReadError."""

def read_fhir_bundle(
    bundle: str | Mapping[str, Any],
    *,
    blood_glucose: bool = False,
    unit: Unit | None = None,
    time_zone: str | None = None,
) -> list[Series]:
    """One Series per patient of a FHIR R4 Bundle's glucose Observations (FHIR JSON, text or a dict): the CGM
    guide's reading codes, blood-glucose codes only with `blood_glucose=True`; `unit` converts every reading to
    it; raises FhirError naming the entry's field."""

def summary_rows(
    data: Any,
    id: str = "id",
    time: str = "time",
    glucose: str = "gl",
    unit: Unit = "mg/dL",
    targets: TargetsArg = "standard",
) -> list[dict[str, Any]]:
    """One dict per patient (`id`, then core's summary fields) of a long-form DataFrame, a dict of columns or
    the readers' output."""

def summarize(
    data: Any,
    id: str = "id",
    time: str = "time",
    glucose: str = "gl",
    unit: Unit = "mg/dL",
    targets: TargetsArg = "standard",
) -> Any:
    """`summary_rows` as a pandas DataFrame, one row per patient (the list of dicts without pandas)."""

CohortColumn = Literal[
    "readings", "missing", "duplicates", "first", "last", "span_days", "sampling_minutes", "mean", "sd", "cv",
    "gmi", "percent_very_low", "percent_low", "percent_in_range", "percent_high", "percent_very_high",
    "percent_below_54", "percent_below_70", "percent_above_180", "percent_above_250", "active_percent",
    "sufficient", "hypo_level_1_episodes", "hypo_level_2_episodes", "extended_hypo_episodes",
    "hyper_level_1_episodes", "hyper_level_2_episodes", "frequently_low", "frequently_high", "frequently",
    "error_code", "error",
]
COHORT_COLUMNS: Final[tuple[CohortColumn, ...]]
"""The columns of `summarize_cohort`'s result after the id, in order (core's `cohort::COLUMNS`)."""

def summarize_cohort(
    data: Any,
    id: str = "id",
    time: str = "time",
    glucose: str = "gl",
    unit: Unit = "mg/dL",
    targets: TargetsArg = "standard",
) -> Any:
    """Every patient of a long-form cohort (Arrow data: a pyarrow Table or RecordBatch, a Polars or pandas
    DataFrame, anything with `__arrow_c_stream__`) summarised at once: a `pyarrow.Table`, one row per patient,
    the id then `COHORT_COLUMNS`. An unreadable table raises CohortError."""

@final
class Protocol:
    """A pathway protocol: phases, checklist items and settings."""

    @staticmethod
    def standard() -> Protocol:
        """The handout's standard protocol."""
    @staticmethod
    def from_json(text: str) -> Protocol:
        """A protocol from its JSON text; raises ProtocolError."""
    @property
    def fingerprint(self) -> str:
        """SHA-256 of the protocol's canonical JSON."""
    @property
    def id(self) -> str:
        """The protocol's id."""
    @property
    def version(self) -> str:
        """The protocol's version."""
    def to_json(self) -> str:
        """The protocol's JSON."""
    def to_dict(self) -> dict[str, Any]:
        """The protocol's JSON form as a dict."""

@final
class PatientRecord:
    """A patient's record of pathway events on a protocol."""

    def __new__(cls, protocol: Protocol, patient_id: str) -> PatientRecord:
        """An empty record."""
    @staticmethod
    def from_json(protocol: Protocol, text: str | Mapping[str, Any]) -> PatientRecord:
        """A saved record replayed under `protocol`; raises RecordError."""
    def apply(self, event: str | Mapping[str, Any]) -> None:
        """Applies one event (wire format); raises RecordError (malformed) or EventError (rejected)."""
    @property
    def patient_id(self) -> str:
        """The patient's id."""
    @property
    def protocol_fingerprint(self) -> str:
        """The fingerprint of the record's protocol."""
    @property
    def protocol(self) -> Protocol:
        """The record's protocol."""
    def to_json(self) -> str:
        """The record's JSON."""
    def to_dict(self) -> dict[str, Any]:
        """The record's JSON form as a dict."""
    def __len__(self) -> int:
        """The number of events."""

def evaluate_json(document: str | Mapping[str, Any]) -> str:
    """Core's evaluation request in, the assessment's JSON out."""

def patient_view_json(document: str | Mapping[str, Any]) -> str:
    """The patient's view of core's evaluation request, as core's JSON (byte for byte Rust's)."""

def cgm_report_json(document: str | Mapping[str, Any]) -> str:
    """`{"summary": ..., "episodes": ...}` of core's columnar readings JSON, as core's JSON; raises SeriesError."""

def worklist_json(document: str | Mapping[str, Any]) -> str:
    """Core's work-list request in, the work-list's JSON out."""

def schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas of every wire format, by name."""

@final
class Assessment:
    """Everything pumppath says about one patient at one moment; attributes are core's assessment wire names."""

    patient_id: str
    protocol_id: str
    protocol_version: str
    evaluated_at: str
    today: str
    time_zone: str
    pathway: dict[str, Any]
    schedule: dict[str, Any]
    cgm: dict[str, Any] | None
    frequently: dict[str, Any] | None
    actions: list[dict[str, Any]]
    acknowledged: list[dict[str, Any]]
    def __getattr__(self, name: str) -> Any:
        """Any other field of core's assessment JSON (`change`, `trace`, `events_after_now`, ...)."""
    def patient_view(self, unit: Unit | None = None) -> PatientView:
        """What the assessment means for the patient, from the protocol that gave it and the targets it judged,
        in `unit` (default: the readings' unit, mg/dL without readings)."""
    def to_fhir(self) -> dict[str, Any]:
        """The assessment as a FHIR R4 transaction Bundle (FHIR JSON as a dict): the pathway as a CarePlan,
        today's actions as a RequestGroup and, with readings enough, the CGM guide's summary Observations."""
    def to_dict(self) -> dict[str, Any]:
        """Core's JSON form as a dict."""
    def to_json(self) -> str:
        """Core's JSON, byte for byte what Rust gives."""

@final
class PatientView:
    """The patient's view of an assessment (core's `PatientView`): next steps, visits, supplies, when to call,
    the back-up plan; attributes are core's wire names."""

    patient_id: str
    today: str
    phase: dict[str, Any]
    next_steps: list[dict[str, Any]]
    visits: list[dict[str, Any]]
    supplies: dict[str, Any] | None
    call_us: dict[str, Any]
    backup_plan: dict[str, Any] | None
    def to_markdown(self) -> str:
        """The view as Markdown, as the patient reads it on a phone."""
    def to_text(self) -> str:
        """The view as plain text."""
    def to_dict(self) -> dict[str, Any]:
        """Core's JSON form as a dict."""
    def to_json(self) -> str:
        """Core's JSON, byte for byte what Rust gives."""

Readings = Series | tuple[Times, npt.ArrayLike] | tuple[Times, npt.ArrayLike, Unit] | str | Mapping[str, Any]

def evaluate(
    record: PatientRecord,
    readings: Readings | None = None,
    *,
    now: datetime | str,
    time_zone: str,
    targets: TargetsArg = None,
    explain: bool = False,
) -> Assessment:
    """Evaluates one patient at `now` (timezone-aware) in the clinic's `time_zone`."""

@type_check_only
class DemoPatient(TypedDict):
    """One patient of the demo clinic."""

    id: str
    name: str
    story: str
    record: PatientRecord
    times: npt.NDArray[np.datetime64]
    glucose: npt.NDArray[np.float64]

def demo_cohort() -> list[DemoPatient]:
    """The demo clinic's patients: records on the standard protocol and CGM readings."""

DEMO_NOW: Final[str]
"""The demo clinic's "now" (RFC 3339)."""

DEMO_TIME_ZONE: Final[str]
"""The demo clinic's IANA time zone."""

Role = Literal["patient", "clinic_staff", "provider", "pump_trainer", "specialist", "insurer", "supplier"]

@final
class RoleGroup:
    """One role's share of a work-list, in the list's order (core's `RoleGroup`)."""

    role: Role
    items: list[dict[str, Any]]
    def counts(self) -> dict[str, Any]:
        """How many of the role's items there are, per rule, role and severity."""
    def actions_frame(self) -> Any:
        """The role's actions as `Worklist.actions_frame()` gives them."""
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]:
        """Core's JSON form as a dict (`role`, `items`)."""
    def to_json(self) -> str:
        """Core's JSON of the group."""

@final
class Worklist:
    """The panel triaged on one day (core's `Worklist`); attributes are core's work-list wire names."""

    evaluated_at: str
    today: str
    time_zone: str
    items: list[dict[str, Any]]
    patients: list[dict[str, Any]]
    counts: dict[str, Any]
    errors: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    def for_role(self, role: Role) -> RoleGroup:
        """One role's share of the list, in the list's order (an unknown role raises `ValueError`)."""
    def actions_frame(self) -> Any:
        """One row per item (`patient_id`, `rule`, `state`, `severity`, `category`, `role`, `due`, `message`,
        `item`, `source`): a pandas DataFrame, or a list of dicts without pandas."""
    def assessment(self, patient_id: str) -> Assessment | None:
        """One patient's whole assessment, as `evaluate` gives it (with its `patient_view()`); None when the
        list does not hold the patient."""
    def to_dict(self) -> dict[str, Any]:
        """Core's JSON form as a dict."""
    def to_json(self) -> str:
        """Core's JSON, byte for byte what Rust gives."""

PanelPatient = (
    tuple[PatientRecord, Readings | None]
    | tuple[PatientRecord, Readings | None, TargetsArg]
    | Mapping[str, Any]
)
"""`(record, readings[, targets])`, or a dict with `record` and `readings` (or `times`, `glucose`, `unit`, as
`demo_cohort()` gives them) and `targets`."""

def worklist(patients: Iterable[PanelPatient], now: datetime | str, time_zone: str) -> Worklist:
    """The clinic's work-list: every patient evaluated at `now` in `time_zone`, their actions triaged together."""
