//! A CGM summary and readings as the Observations of the HL7 FHIR CGM implementation guide.

use jiff::Timestamp;

use super::common::{coded, date_time, loinc, subject_of, transaction, two_decimals, uuid_of};
use super::resources::{
    Annotation, Bundle, CodeableConcept, Meta, Observation, ObservationComponent, Period, Quantity,
    Reference, Resource,
};
use super::{CGM_IG, CGM_READING_MASS, CGM_READING_MOLAR, FhirError, UCUM};
use crate::cgm::{Series, Summary, TimeScale};
use crate::glucose::Unit;

/// The summary panel's code.
pub(crate) const SUMMARY: &str = "107931-8";
/// The times-in-ranges panel's code.
pub(crate) const TIMES_IN_RANGES: &str = "106793-3";
/// Mean glucose in mg/dL.
pub(crate) const MEAN_MASS: &str = "97507-8";
/// Mean glucose in mmol/L.
pub(crate) const MEAN_MOLAR: &str = "105273-7";
/// Glucose management indicator.
pub(crate) const GMI: &str = "97506-0";
/// Coefficient of variation.
pub(crate) const CV: &str = "104638-2";
/// Days of wear.
pub(crate) const DAYS_OF_WEAR: &str = "104636-6";
/// Sensor active percent.
pub(crate) const SENSOR_ACTIVE: &str = "104637-4";
/// The five bands of the times-in-ranges panel, lowest first, each with the profile's slice name.
pub(crate) const BANDS: [&str; 5] = ["104642-4", "104641-6", "97510-2", "104640-8", "104639-0"];

/// 0001-01-02T00:00:00Z and 9999-12-30T23:59:59Z in Unix seconds: the instants whose date-time is a FHIR
/// `dateTime` (years 0001 to 9999) in every zone's offset.
const FIRST_FHIR_SECOND: i64 = -62_135_510_400;
const LAST_FHIR_SECOND: i64 = 253_402_214_399;

/// Every LOINC code of the guide's summary Observations: what [`read_bundle`](super::read_bundle) passes over.
pub(crate) const SUMMARY_CODES: [&str; 14] = [
    SUMMARY,
    TIMES_IN_RANGES,
    MEAN_MASS,
    MEAN_MOLAR,
    GMI,
    CV,
    DAYS_OF_WEAR,
    SENSOR_ACTIVE,
    BANDS[0],
    BANDS[1],
    BANDS[2],
    BANDS[3],
    BANDS[4],
    // The summary panel's other code, which the guide lists beside 107931-8.
    "104643-2",
];

fn profile(id: &str) -> Meta {
    Meta { profile: vec![format!("{CGM_IG}/StructureDefinition/{id}")] }
}

fn laboratory() -> Vec<CodeableConcept> {
    vec![coded("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", None)]
}

fn quantity(value: f64, unit: &str, code: &str) -> Quantity {
    Quantity { value, unit: unit.to_owned(), system: UCUM.to_owned(), code: code.to_owned() }
}

fn percent(value: f64) -> Quantity {
    quantity(two_decimals(value), "%", "%")
}

/// A glucose quantity as the guide's profiles fix it: UCUM `mg/dL` shown as `mg/dl`, `mmol/L` as `mmol/l`.
fn glucose(value: f64, unit: Unit) -> Quantity {
    let shown = match unit {
        Unit::MgDl => "mg/dl",
        Unit::MmolL => "mmol/l",
    };
    quantity(value, shown, unit.as_str())
}

/// A summary's metric, or why the guide's profile cannot be filled.
fn metric(value: Option<f64>, metric: &'static str, why: &'static str) -> Result<f64, FhirError> {
    value.filter(|v| v.is_finite()).ok_or(FhirError::MissingMetric { metric, why })
}

/// The summary's Observations: the summary first, then its members, each with its full URL.
pub(crate) fn summary_observations(
    summary: &Summary,
    patient_id: &str,
) -> Result<Vec<(String, Resource)>, FhirError> {
    const NO_READINGS: &str = "no readings";
    let mean = metric(summary.mean, "mean", NO_READINGS)?;
    let gmi = metric(summary.gmi, "gmi", NO_READINGS)?;
    let cv = metric(summary.cv, "cv", "fewer than two readings")?;
    let active = match &summary.period {
        Some(period) => period.active_percent,
        None => metric(summary.active_percent, "active_percent", "fewer than two readings")?,
    };
    let days = match &summary.period {
        Some(period) => period.data_days,
        None => {
            let span = metric(summary.span_days, "span_days", NO_READINGS)?;
            span + summary.sampling_minutes.map_or(0.0, |m| m as f64 / 1440.0)
        }
    };
    // The consensus bands the LOINC codes name, from the fixed-threshold percents.
    let below_54 = metric(summary.percent_below_54, "percent_below_54", NO_READINGS)?;
    let below_70 = metric(summary.percent_below_70, "percent_below_70", NO_READINGS)?;
    let above_180 = metric(summary.percent_above_180, "percent_above_180", NO_READINGS)?;
    let above_250 = metric(summary.percent_above_250, "percent_above_250", NO_READINGS)?;
    let bands =
        [below_54, below_70 - below_54, 100.0 - below_70 - above_180, above_180 - above_250, above_250];
    let (start, end) = match (&summary.period, summary.first, summary.last) {
        (Some(period), _, _) => (period.start.date(), period.end.date()),
        (None, Some(first), Some(last)) => (first.date(), last.date()),
        _ => return Err(FhirError::MissingMetric { metric: "first", why: NO_READINGS }),
    };
    let (start, end) = (start.to_string(), end.to_string());
    let subject = subject_of(patient_id);
    let url = |kind: &str| uuid_of(&["cgm-summary", patient_id, &start, &end, summary.unit.as_str(), kind]);
    let base = |id: &str, code: &str| Observation {
        meta: profile(id),
        status: "final".into(),
        category: laboratory(),
        code: loinc(code),
        subject: subject.clone(),
        effective_period: Some(Period { start: Some(start.clone()), end: Some(end.clone()) }),
        ..Observation::default()
    };
    let (mean_profile, mean_code) = match summary.unit {
        Unit::MgDl => ("cgm-summary-mean-glucose-mass-per-volume", MEAN_MASS),
        Unit::MmolL => ("cgm-summary-mean-glucose-moles-per-volume", MEAN_MOLAR),
    };
    let members: Vec<(&str, Observation)> = vec![
        (
            "mean",
            Observation {
                value_quantity: Some(glucose(two_decimals(mean), summary.unit)),
                ..base(mean_profile, mean_code)
            },
        ),
        (
            "times_in_ranges",
            Observation {
                component: BANDS
                    .iter()
                    .zip(bands)
                    .map(|(code, value)| ObservationComponent {
                        code: loinc(code),
                        value_quantity: percent(value),
                    })
                    .collect(),
                ..base("cgm-summary-times-in-ranges", TIMES_IN_RANGES)
            },
        ),
        ("gmi", Observation { value_quantity: Some(percent(gmi)), ..base("cgm-summary-gmi", GMI) }),
        (
            "cv",
            Observation {
                value_quantity: Some(percent(cv)),
                ..base("cgm-summary-coefficient-of-variation", CV)
            },
        ),
        (
            "days_of_wear",
            Observation {
                value_quantity: Some(quantity(two_decimals(days), "days", "d")),
                ..base("cgm-summary-days-of-wear", DAYS_OF_WEAR)
            },
        ),
        (
            "sensor_active",
            Observation {
                value_quantity: Some(percent(active)),
                ..base("cgm-summary-sensor-active-percentage", SENSOR_ACTIVE)
            },
        ),
    ];
    let mut panel = base("cgm-summary", SUMMARY);
    panel.has_member = members
        .iter()
        .map(|(kind, _)| Reference { reference: Some(url(kind)), ..Reference::default() })
        .collect();
    if !summary.sufficient {
        let reasons: Vec<&str> = summary.insufficient_reasons.iter().map(|r| r.as_str()).collect();
        panel.note.push(Annotation {
            text: format!(
                "Below the consensus minimum of data (14 days, 70 % wear): {}. Read the metrics with care.",
                reasons.join(", ")
            ),
        });
    }
    let mut out = vec![(url("summary"), Resource::Observation(panel))];
    out.extend(members.into_iter().map(|(kind, o)| (url(kind), Resource::Observation(o))));
    Ok(out)
}

/// A CGM summary as a transaction Bundle of the CGM guide's summary Observations for `patient_id`: the summary
/// and its six members (see the [module docs](super)). A summary without readings, or with fewer than two (no
/// CV), cannot fill the guide's required values: [`FhirError::MissingMetric`].
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::fhir::{self, Resource};
/// use pumppath::glucose::{Targets, Unit};
///
/// let series = Series::from_slices(Unit::MgDl, &[0, 300, 600], &[50.0, 120.0, 200.0], &SeriesOptions::default())?;
/// let bundle = fhir::summary_bundle(&series.view().summary(&Targets::default()), "ann")?;
/// assert_eq!(bundle.entry.len(), 7);
/// let Resource::Observation(panel) = &bundle.entry[2].resource else { unreachable!() };
/// assert_eq!(panel.code.coding[0].code, "106793-3");
/// let very_low = &panel.component[0].value_quantity;
/// assert_eq!((very_low.value, very_low.code.as_str()), (33.33, "%"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn summary_bundle(summary: &Summary, patient_id: &str) -> Result<Bundle, FhirError> {
    Ok(transaction(None, summary_observations(summary, patient_id)?))
}

/// A series' readings as a transaction Bundle of CGM sensor readings for `patient_id`, in time order: each at
/// its instant, written with the offset of the series' zone (in UTC where that offset has seconds, a local mean
/// time's, which FHIR's hours and minutes cannot carry); a reading outside FHIR's years 0001 to 9999 is an
/// [`FhirError::InvalidField`]; a missing reading with a `dataAbsentReason`; a
/// sensor "Low"/"High" at the value it stands at. Readings without a zone have no instants:
/// [`FhirError::ZonelessReadings`].
pub fn readings_bundle(series: &Series, patient_id: &str) -> Result<Bundle, FhirError> {
    let Some(zone) = series.time_zone() else {
        return Err(FhirError::ZonelessReadings);
    };
    let columns = series.to_columnar(TimeScale::Seconds);
    let (profile_id, code) = match series.unit() {
        Unit::MgDl => ("cgm-sensor-reading-mass-per-volume", CGM_READING_MASS),
        Unit::MmolL => ("cgm-sensor-reading-moles-per-volume", CGM_READING_MOLAR),
    };
    let subject = subject_of(patient_id);
    let mut entries = Vec::with_capacity(columns.times.len());
    for (&seconds, value) in columns.times.iter().zip(&columns.values) {
        // FHIR's years are 0001 to 9999; a series' reach further (to -9999), and such a reading is an error
        // rather than a time FHIR cannot read or a reading dropped.
        let at = Timestamp::from_second(seconds)
            .ok()
            .filter(|t| (FIRST_FHIR_SECOND..=LAST_FHIR_SECOND).contains(&t.as_second()))
            .ok_or_else(|| FhirError::InvalidField {
                path: format!("$.times[{}]", entries.len()),
                value: seconds.to_string(),
                expected: "a time in FHIR's years 0001 to 9999 (UTC)",
            })?;
        let time = date_time(at, zone);
        let (value_quantity, data_absent_reason) = match value {
            Some(v) => (Some(glucose(*v, series.unit())), None),
            None => (
                None,
                Some(coded("http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", None)),
            ),
        };
        let observation = Observation {
            meta: profile(profile_id),
            status: "final".into(),
            category: laboratory(),
            code: loinc(code),
            subject: subject.clone(),
            effective_date_time: Some(time.clone()),
            value_quantity,
            data_absent_reason,
            ..Observation::default()
        };
        let url = uuid_of(&["cgm-reading", patient_id, &time, &entries.len().to_string()]);
        entries.push((url, Resource::Observation(observation)));
    }
    Ok(transaction(None, entries))
}
