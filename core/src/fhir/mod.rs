//! HL7 FHIR R4: pumppath's answers as the resources clinic systems exchange, and CGM readings read from them.
//! Feature `fhir`, on by default (the error type is always there, as the crate's one error enum wraps it).
//!
//! No FHIR server, framework or JVM: the resources are plain serde structs ([`Bundle`], [`Observation`],
//! [`CarePlan`], [`RequestGroup`], ...) of the elements pumppath fills, written with FHIR's own names. Every
//! export is a `transaction` [`Bundle`] (each entry a `POST`, with a `urn:uuid:` full URL the other entries
//! reference), as the CGM guide's data submission is. The UUIDs are name-based (SHA-256 of what the entry is),
//! so the same answer always gives the same bytes. pumppath reads no clock: an assessment's bundle carries its
//! `evaluated_at` as `timestamp`, while a summary's or readings' bundle carries none, and the guide's submission
//! bundle asks for one: set [`Bundle::timestamp`] to the moment of sending.
//!
//! **Export.**
//! - [`summary_bundle`]: a CGM summary as the Observations of the HL7 FHIR Continuous Glucose Monitoring
//!   implementation guide (STU 1, [`CGM_IG`]): the summary (LOINC 107931-8) whose `hasMember` are mean
//!   glucose (97507-8 in mg/dL, or 105273-7 in mmol/L), the times-in-ranges panel (106793-3, with its five
//!   bands as components), GMI (97506-0), CV (104638-2), days of wear (104636-6) and sensor active percent
//!   (104637-4), each claiming its profile, with UCUM units and the reporting period as dates. The bands are
//!   the consensus ones the LOINC codes name (< 54, 54–69, 70–180, 181–250, > 250 mg/dL; in mmol/L 3.0, 3.9,
//!   10.0 and 13.9), whatever targets the summary's own band percents follow. Percents and means are rounded
//!   to two decimals (the guide asks for at least two).
//! - [`readings_bundle`]: a series' readings as CGM sensor readings (99504-3 in mg/dL, 105272-9 in mmol/L),
//!   each at its instant with the offset of the series' zone; a missing reading has a `dataAbsentReason`.
//! - [`assessment_bundle`]: the patient's pathway as a `CarePlan` (one activity per checklist item, its state
//!   as the activity status, its phase in an extension, the follow-ups as a `Timing` every
//!   `follow_up_interval_months` months with their due dates, booked visits at their booked dates), today's
//!   actions as a `RequestGroup` (each with its FHIR priority, the rule and its finding, the role as a
//!   contained `PractitionerRole`, the handout passage, the protocol fingerprint), and the CGM summary's
//!   Observations when the assessment has readings enough for them.
//!
//! **Import.** [`read_bundle`] reads the glucose readings of a Bundle's Observations: the CGM reading codes
//! (99504-3, 105272-9), and blood-glucose codes ([`BLOOD_GLUCOSE_CODES`]) only when asked for. The CGM guide's
//! summary Observations and resources of other types are passed over; any other Observation code, a unit that
//! is neither mg/dL nor mmol/L (UCUM), one the code does not measure in, or a time without an offset is a
//! [`FhirError`] naming the entry's field.
//!
//! pumppath's own definitions (the phase and fingerprint extensions, the code systems of roles, rules and
//! checklist items) are named under [`BASE`].
//!
//! ```
//! use pumppath::cgm::{Series, SeriesOptions, TimeScale};
//! use pumppath::fhir::{self, ReadOptions};
//! use pumppath::glucose::{Targets, Unit};
//!
//! let options = SeriesOptions { time_zone: Some("America/Chicago".into()), ..Default::default() };
//! let times: Vec<i64> = (0..4).map(|k| 1_772_431_200 + k * 300).collect();
//! let series = Series::from_epoch(Unit::MgDl, &times, TimeScale::Seconds, &[112.0, 118.0, 64.0, 260.0], &[], &options)?;
//!
//! // The summary as the CGM guide's Observations.
//! let bundle = fhir::summary_bundle(&series.view().summary(&Targets::default()), "ann")?;
//! let json: serde_json::Value = serde_json::from_str(&bundle.to_json())?;
//! assert_eq!(json["entry"][0]["resource"]["code"]["coding"][0]["code"], "107931-8");
//! assert_eq!(json["entry"][0]["resource"]["subject"]["reference"], "Patient/ann");
//!
//! // The readings, exported and read back.
//! let readings = fhir::readings_bundle(&series, "ann")?.to_json();
//! let patients = fhir::read_bundle(&readings, &ReadOptions { series: options, ..Default::default() })?;
//! assert_eq!((patients[0].id.as_str(), patients[0].series.values()), ("ann", series.values()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;

pub use error::FhirError;

#[cfg(feature = "fhir")]
mod care_plan;
#[cfg(feature = "fhir")]
mod cgm;
#[cfg(feature = "fhir")]
mod import;
#[cfg(feature = "fhir")]
mod resources;

#[cfg(feature = "fhir")]
pub use care_plan::assessment_bundle;
#[cfg(feature = "fhir")]
pub use cgm::{readings_bundle, summary_bundle};
#[cfg(feature = "fhir")]
pub use import::{BLOOD_GLUCOSE_CODES, ReadOptions, read_bundle};
#[cfg(feature = "fhir")]
pub use resources::*;

/// The canonical URL of the HL7 FHIR Continuous Glucose Monitoring implementation guide (STU 1), whose
/// profiles the CGM Observations claim.
pub const CGM_IG: &str = "http://hl7.org/fhir/uv/cgm";

/// The base of pumppath's own FHIR definitions: `{BASE}/StructureDefinition/pathway-phase`,
/// `{BASE}/CodeSystem/role`, ... A placeholder base, as pumppath publishes no FHIR package; a receiver keys on
/// these URLs as opaque names.
pub const BASE: &str = "https://example.invalid/pumppath/fhir";

/// LOINC's code system.
pub const LOINC: &str = "http://loinc.org";

/// UCUM's code system.
pub const UCUM: &str = "http://unitsofmeasure.org";

/// The LOINC code of a CGM sensor reading in mg/dL.
pub const CGM_READING_MASS: &str = "99504-3";

/// The LOINC code of a CGM sensor reading in mmol/L.
pub const CGM_READING_MOLAR: &str = "105272-9";

#[cfg(feature = "fhir")]
impl Bundle {
    /// The bundle as compact JSON; the same answer always gives the same bytes.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The bundle as FHIR JSON of the bundles pumppath writes (what [`to_json`](Self::to_json) gives); any other
    /// bundle is read with [`read_bundle`].
    pub fn from_json(json: &str) -> Result<Bundle, FhirError> {
        crate::fields::read_str(json, "$").map_err(|problems| FhirError::MalformedBundle { problems })
    }

    /// The resources of the entries, in order.
    pub fn resources(&self) -> impl Iterator<Item = &Resource> + '_ {
        self.entry.iter().map(|e| &e.resource)
    }
}

/// Shared pieces of the exports.
#[cfg(feature = "fhir")]
mod common {
    use sha2::{Digest, Sha256};

    use super::resources::{
        Bundle, BundleEntry, BundleRequest, CodeableConcept, Coding, Identifier, Reference, Resource,
    };
    use super::{BASE, LOINC};

    /// A name-based UUID (version 8, RFC 9562) of `parts`: the first 16 bytes of their SHA-256, so that an
    /// export's full URLs are the same for the same answer.
    pub(crate) fn uuid_of(parts: &[&str]) -> String {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!("urn:uuid:{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
    }

    /// Whether `id` is a FHIR id: 1 to 64 of `A-Z a-z 0-9 - .`.
    fn is_fhir_id(id: &str) -> bool {
        (1..=64).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    }

    /// The patient as a subject: `Patient/{id}` when the id is a FHIR id, else a logical reference by
    /// identifier (pumppath's ids are the clinic's, which FHIR ids may not be able to spell).
    pub(crate) fn subject_of(patient_id: &str) -> Reference {
        if is_fhir_id(patient_id) {
            Reference { reference: Some(format!("Patient/{patient_id}")), ..Reference::default() }
        } else {
            Reference {
                identifier: Some(Identifier {
                    system: Some(format!("{BASE}/patient-id")),
                    value: patient_id.to_owned(),
                }),
                ..Reference::default()
            }
        }
    }

    /// A LOINC code as a concept.
    pub(crate) fn loinc(code: &str) -> CodeableConcept {
        coded(LOINC, code, None)
    }

    /// One coding as a concept.
    pub(crate) fn coded(system: &str, code: &str, display: Option<&str>) -> CodeableConcept {
        CodeableConcept {
            coding: vec![Coding {
                system: system.to_owned(),
                code: code.to_owned(),
                display: display.map(str::to_owned),
            }],
            text: None,
        }
    }

    /// A transaction bundle of `entries` (full URL, resource), each a `POST` to its type.
    pub(crate) fn transaction(timestamp: Option<String>, entries: Vec<(String, Resource)>) -> Bundle {
        let entry = entries
            .into_iter()
            .map(|(full_url, resource)| {
                let url = match &resource {
                    Resource::Observation(_) => "Observation",
                    Resource::CarePlan(_) => "CarePlan",
                    Resource::RequestGroup(_) => "RequestGroup",
                    Resource::PractitionerRole(_) => "PractitionerRole",
                    Resource::Organization(_) => "Organization",
                };
                BundleEntry {
                    full_url,
                    resource,
                    request: Some(BundleRequest { method: "POST".into(), url: url.into() }),
                }
            })
            .collect();
        Bundle { bundle_type: "transaction".into(), timestamp, entry }
    }

    /// An instant as a FHIR dateTime with the offset of `zone`, or in UTC where that offset has seconds (a local
    /// mean time's, London's -00:01:15 before 1847), which FHIR's hours and minutes would cut.
    pub(crate) fn date_time(at: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
        let offset = zone.to_offset(at);
        if offset.seconds() % 60 == 0 { at.display_with_offset(offset).to_string() } else { at.to_string() }
    }

    /// Rounds to two decimals, as the CGM guide's percents are given.
    pub(crate) fn two_decimals(value: f64) -> f64 {
        (value * 100.0).round() / 100.0
    }
}
