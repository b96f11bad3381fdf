//! The FHIR R4 resources and data types pumppath writes, as plain serde structs: only the elements it fills,
//! with FHIR's own (camelCase) names. Empty lists and absent values are left out, as FHIR requires.

use serde::{Deserialize, Serialize};

/// A FHIR `Bundle`: the resources of one answer, each with its `urn:uuid:` full URL, by which the others
/// reference it. pumppath writes `transaction` bundles (every entry a `POST`), as the CGM guide's data
/// submission does, so a FHIR server can take one as it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "resourceType", rename = "Bundle", rename_all = "camelCase")]
pub struct Bundle {
    /// `transaction`.
    #[serde(rename = "type")]
    pub bundle_type: String,
    /// When the answer was made (the assessment's `evaluated_at`); absent for a summary or readings, which
    /// carry no clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// The resources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<BundleEntry>,
}

/// One resource of a [`Bundle`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleEntry {
    /// `urn:uuid:` and a name-based UUID: the same answer always gets the same URLs.
    pub full_url: String,
    /// The resource.
    pub resource: Resource,
    /// `POST` to the resource type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<BundleRequest>,
}

/// How a transaction applies an entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BundleRequest {
    /// `POST`.
    pub method: String,
    /// The resource type (`Observation`).
    pub url: String,
}

/// The resources pumppath writes, tagged by FHIR's `resourceType`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "resourceType")]
#[allow(clippy::large_enum_variant)] // written once per answer, not held in bulk
pub enum Resource {
    /// A CGM reading or summary metric.
    Observation(Observation),
    /// The patient's pathway.
    CarePlan(CarePlan),
    /// Today's actions.
    RequestGroup(RequestGroup),
    /// A clinic role, contained where an action or activity names who does it.
    PractitionerRole(PractitionerRole),
    /// The insurer or the supplier, contained where an activity names it.
    Organization(Organization),
}

/// A FHIR `Coding`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coding {
    /// The code system.
    pub system: String,
    /// The code.
    pub code: String,
    /// Its display text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// A FHIR `CodeableConcept`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeableConcept {
    /// The codings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    /// Plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A FHIR `Reference`: a literal `reference` (`Patient/ann`, `urn:uuid:...`, `#role-provider`) or, for an id
/// that is no FHIR id, a logical `identifier`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The literal reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The logical reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// Text for a reader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// A FHIR `Identifier`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identifier {
    /// The namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The value.
    pub value: String,
}

/// A FHIR `Quantity` with a UCUM unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The number.
    pub value: f64,
    /// The unit as shown.
    pub unit: String,
    /// `http://unitsofmeasure.org`.
    pub system: String,
    /// The UCUM code.
    pub code: String,
}

/// A FHIR `Period`: dates (`YYYY-MM-DD`) or date-times with an offset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Period {
    /// The start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A FHIR `Extension` with the value types pumppath's extensions use.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    /// The extension's definition.
    pub url: String,
    /// A string value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
    /// A code value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_code: Option<String>,
    /// A coded value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<CodeableConcept>,
}

/// A FHIR `Meta`: the profiles a resource claims.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The profiles' canonical URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<String>,
}

/// A FHIR `Annotation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// The note.
    pub text: String,
}

/// A FHIR `Observation`: a CGM sensor reading or a CGM summary metric of the CGM guide's profiles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    /// The profile claimed.
    pub meta: Meta,
    /// `final`.
    pub status: String,
    /// `laboratory`, as the guide's examples.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// The LOINC code.
    pub code: CodeableConcept,
    /// The patient.
    pub subject: Reference,
    /// A reading's time (with its offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date_time: Option<String>,
    /// A summary's reporting period (dates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_period: Option<Period>,
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    /// Why a reading has no value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_absent_reason: Option<CodeableConcept>,
    /// Notes (a summary below the consensus minimum of data says so).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// The summary's metrics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub has_member: Vec<Reference>,
    /// The times-in-ranges bands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub component: Vec<ObservationComponent>,
}

/// One component of an `Observation` (a band of the times-in-ranges panel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObservationComponent {
    /// The LOINC code.
    pub code: CodeableConcept,
    /// The value.
    pub value_quantity: Quantity,
}

/// A FHIR `CarePlan`: the patient's pathway, one activity per checklist item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlan {
    /// The roles its activities name, contained.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<Resource>,
    /// The protocol's fingerprint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The protocol it follows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instantiates_uri: Vec<String>,
    /// `active`, or `completed` once every required item is done and no follow-up is scheduled.
    pub status: String,
    /// `plan`.
    pub intent: String,
    /// The protocol, as a coding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    /// The protocol's title.
    pub title: String,
    /// The patient.
    pub subject: Reference,
    /// The activities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity: Vec<CarePlanActivity>,
}

/// One activity of a [`CarePlan`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlanActivity {
    /// The phase it belongs to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// What, when, by whom and how far along.
    pub detail: CarePlanDetail,
}

/// The detail of a [`CarePlanActivity`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarePlanDetail {
    /// `Appointment` for a visit, else `Task`.
    pub kind: String,
    /// The checklist item.
    pub code: CodeableConcept,
    /// The item's state, a CarePlan activity status.
    pub status: String,
    /// Why it is cancelled (waived) or on hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<CodeableConcept>,
    /// The follow-ups' recurrence and due dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_timing: Option<Timing>,
    /// A booked date, or the window a visit is due in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_period: Option<Period>,
    /// Who does it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub performer: Vec<Reference>,
    /// The item's description, or what a booked visit is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A FHIR `Timing`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// The dates it falls on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event: Vec<String>,
    /// The recurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<TimingRepeat>,
}

/// A FHIR `Timing.repeat`: every `period` `periodUnit`s, `frequency` times.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimingRepeat {
    /// From the series' anchor on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounds_period: Option<Period>,
    /// Times per period: 1.
    pub frequency: u32,
    /// The period: the protocol's follow-up interval.
    pub period: u32,
    /// `mo`.
    pub period_unit: String,
}

/// A FHIR `RequestGroup`: today's actions, with their priority, reason and role.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestGroup {
    /// The roles its actions name, contained.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<Resource>,
    /// The protocol's fingerprint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The protocol it follows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instantiates_uri: Vec<String>,
    /// The care plan the actions serve.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub based_on: Vec<Reference>,
    /// `active`, or `completed` with no action to take.
    pub status: String,
    /// `proposal`: the engine proposes, the clinic decides.
    pub intent: String,
    /// The most urgent action's priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// The patient.
    pub subject: Reference,
    /// When the actions were found (the assessment's `evaluated_at`).
    pub authored_on: String,
    /// The actions, most urgent first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action: Vec<RequestGroupAction>,
}

/// One action of a [`RequestGroup`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestGroupAction {
    /// pumppath's severity, its category and its finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// The rule.
    pub title: String,
    /// The action's message.
    pub description: String,
    /// The FHIR priority of its severity.
    pub priority: String,
    /// The rule, and the checklist item it is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<CodeableConcept>,
    /// The handout passage behind the rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documentation: Vec<RelatedArtifact>,
    /// By when (the clinic's date).
    pub timing_date_time: String,
    /// Who acts: a contained clinic role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participant: Vec<Reference>,
}

/// A FHIR `RelatedArtifact`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelatedArtifact {
    /// `documentation`.
    #[serde(rename = "type")]
    pub artifact_type: String,
    /// The passage (`post_pump_care.s1`).
    pub label: String,
    /// What it is.
    pub display: String,
}

/// A FHIR `PractitionerRole`, contained: the clinic role that acts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PractitionerRole {
    /// `role-` and the role's wire name, for `#` references.
    pub id: String,
    /// The role.
    pub code: Vec<CodeableConcept>,
}

/// A FHIR `Organization`, contained: the insurer or the supplier.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// `role-` and the role's wire name.
    pub id: String,
    /// The role.
    #[serde(rename = "type")]
    pub organization_type: Vec<CodeableConcept>,
    /// The role's name (FHIR asks an organization for a name or an identifier).
    pub name: String,
}
