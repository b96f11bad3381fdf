//! FHIR R4: the CGM guide's profiles and published examples, the CarePlan and RequestGroup, import, errors and
//! round trips.

use std::collections::{BTreeSet, HashMap};

use pumppath::cgm::{Series, SeriesOptions, TimeScale};
use pumppath::demo;
use pumppath::fhir::{self, Bundle, ReadOptions, Resource};
use pumppath::glucose::{CutPoints, TargetPreset, Targets, Unit};
use pumppath::pathway::{Protocol, Record};
use pumppath::rules::{Assessment, EvaluationOptions, evaluate};
use serde_json::Value;

const IG: &str = "http://hl7.org/fhir/uv/cgm/StructureDefinition/";
const LOINC: &str = "http://loinc.org";
const UCUM: &str = "http://unitsofmeasure.org";

/// The CGM guide's profiles (its `profiles.fsh`): the id, the LOINC code fixed on `code`, and the
/// `valueQuantity` pattern (UCUM code, unit shown) where the profile fixes one.
/// A profile's id, its LOINC code and its quantity pattern (UCUM code, unit shown).
type ProfileRow = (&'static str, &'static str, Option<(&'static str, &'static str)>);

const PROFILES: [ProfileRow; 10] = [
    ("cgm-summary", "107931-8", None),
    ("cgm-summary-mean-glucose-mass-per-volume", "97507-8", Some(("mg/dL", "mg/dl"))),
    ("cgm-summary-mean-glucose-moles-per-volume", "105273-7", Some(("mmol/L", "mmol/l"))),
    ("cgm-summary-times-in-ranges", "106793-3", None),
    ("cgm-summary-gmi", "97506-0", Some(("%", "%"))),
    ("cgm-summary-coefficient-of-variation", "104638-2", Some(("%", "%"))),
    ("cgm-summary-days-of-wear", "104636-6", Some(("d", "days"))),
    ("cgm-summary-sensor-active-percentage", "104637-4", Some(("%", "%"))),
    ("cgm-sensor-reading-mass-per-volume", "99504-3", Some(("mg/dL", "mg/dl"))),
    ("cgm-sensor-reading-moles-per-volume", "105272-9", Some(("mmol/L", "mmol/l"))),
];

/// The times-in-ranges profile's five component slices, each 1..1: very low, low, target, high, very high.
const TIR_SLICES: [&str; 5] = ["104642-4", "104641-6", "97510-2", "104640-8", "104639-0"];

/// The summary profile's `hasMember` slices: (profile, min, max).
const MEMBER_SLICES: [(&str, usize, usize); 7] = [
    ("cgm-summary-mean-glucose-mass-per-volume", 0, 1),
    ("cgm-summary-mean-glucose-moles-per-volume", 0, 1),
    ("cgm-summary-times-in-ranges", 1, 1),
    ("cgm-summary-gmi", 1, 1),
    ("cgm-summary-coefficient-of-variation", 1, 1),
    ("cgm-summary-days-of-wear", 1, 1),
    ("cgm-summary-sensor-active-percentage", 1, 1),
];

/// The element paths of the guide's published examples (`examples.fsh`, as the IG publisher writes them to
/// JSON, less the `id` and narrative it adds): what every one of ours must have too.
fn example_paths(profile: &str) -> BTreeSet<String> {
    let mut paths: BTreeSet<String> = [
        "resourceType",
        "meta.profile",
        "status",
        "category.coding.system",
        "category.coding.code",
        "code.coding.system",
        "code.coding.code",
        "subject.reference",
    ]
    .map(String::from)
    .into();
    let quantity =
        ["valueQuantity.value", "valueQuantity.unit", "valueQuantity.system", "valueQuantity.code"];
    let more: &[&str] = match profile {
        "cgm-sensor-reading-mass-per-volume" | "cgm-sensor-reading-moles-per-volume" => {
            &["effectiveDateTime"]
        }
        _ => &["effectivePeriod.start", "effectivePeriod.end"],
    };
    paths.extend(more.iter().map(|p| p.to_string()));
    match profile {
        "cgm-summary" => {
            paths.insert("hasMember.reference".into());
        }
        "cgm-summary-times-in-ranges" => {
            paths.extend(["component.code.coding.system", "component.code.coding.code"].map(String::from));
            paths.extend(quantity.map(|q| format!("component.{q}")));
        }
        _ => paths.extend(quantity.map(String::from)),
    }
    paths
}

/// Every element path of `value` (arrays see through, leaves only).
fn paths_of(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                paths_of(v, &p, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| paths_of(v, prefix, out)),
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

fn json(bundle: &Bundle) -> Value {
    serde_json::from_str(&bundle.to_json()).unwrap()
}

/// The profile id an Observation claims.
fn profile_of(resource: &Value) -> &str {
    let url = resource["meta"]["profile"][0].as_str().unwrap();
    url.strip_prefix(IG).unwrap_or_else(|| panic!("{url} is not a CGM guide profile"))
}

fn is_date(text: &str) -> bool {
    jiff::civil::Date::strptime("%Y-%m-%d", text).is_ok()
}

/// Checks an Observation against its CGM profile: code, units, period or time, cardinalities.
fn check_observation(resource: &Value, by_url: &HashMap<String, Value>) {
    assert_eq!(resource["resourceType"], "Observation");
    let profile = profile_of(resource);
    let (_, code, quantity) = PROFILES.iter().find(|(id, ..)| *id == profile).unwrap();
    assert_eq!(resource["status"], "final");
    assert!(resource["subject"]["reference"].is_string() || resource["subject"]["identifier"].is_object());
    let codings = resource["code"]["coding"].as_array().unwrap();
    assert!(codings.iter().any(|c| c["system"] == LOINC && c["code"] == *code), "{profile}: {codings:?}");
    let mut paths = BTreeSet::new();
    paths_of(resource, "", &mut paths);
    let mut expected = example_paths(profile);
    if resource.get("dataAbsentReason").is_some() {
        expected.retain(|p| !p.starts_with("valueQuantity"));
    }
    let missing: Vec<_> = expected.difference(&paths).cloned().collect();
    assert!(missing.is_empty(), "{profile} lacks what the guide's example has: {missing:?}");
    if profile.starts_with("cgm-sensor-reading") {
        let time = resource["effectiveDateTime"].as_str().unwrap();
        assert!(time.parse::<jiff::Timestamp>().is_ok() && time.len() > 19, "{time}");
        assert!(resource["valueQuantity"].is_object() || resource["dataAbsentReason"].is_object());
    } else {
        let period = &resource["effectivePeriod"];
        assert!(is_date(period["start"].as_str().unwrap()) && is_date(period["end"].as_str().unwrap()));
        assert!(period["start"].as_str() <= period["end"].as_str());
        assert!(resource.get("effectiveDateTime").is_none());
    }
    if let Some((ucum, shown)) = quantity {
        let q = &resource["valueQuantity"];
        if q.is_object() {
            assert_eq!(
                (q["system"].as_str(), q["code"].as_str(), q["unit"].as_str()),
                (Some(UCUM), Some(*ucum), Some(*shown))
            );
            assert!(q["value"].as_f64().unwrap().is_finite());
        }
    } else {
        assert!(resource.get("valueQuantity").is_none(), "{profile} has no value of its own");
    }
    if profile == "cgm-summary-times-in-ranges" {
        let components = resource["component"].as_array().unwrap();
        assert_eq!(components.len(), 5);
        let mut total = 0.0;
        for (component, slice) in components.iter().zip(TIR_SLICES) {
            assert_eq!(component["code"]["coding"][0]["system"], LOINC);
            assert_eq!(component["code"]["coding"][0]["code"], slice);
            let q = &component["valueQuantity"];
            assert_eq!(
                (q["system"].as_str(), q["code"].as_str(), q["unit"].as_str()),
                (Some(UCUM), Some("%"), Some("%"))
            );
            let v = q["value"].as_f64().unwrap();
            assert!((0.0..=100.0).contains(&v), "{v}");
            assert_eq!(v, (v * 100.0).round() / 100.0, "two decimals");
            total += v;
        }
        assert!((total - 100.0).abs() < 0.05, "the bands add up to 100: {total}");
    }
    if profile == "cgm-summary" {
        let members = resource["hasMember"].as_array().unwrap();
        assert!(members.len() >= 6, "hasMember 6..*");
        let profiles: Vec<&str> =
            members.iter().map(|m| profile_of(&by_url[m["reference"].as_str().unwrap()])).collect();
        for (slice, min, max) in MEMBER_SLICES {
            let n = profiles.iter().filter(|p| **p == slice).count();
            assert!((min..=max).contains(&n), "{slice}: {n}");
        }
        assert_eq!(
            profiles.iter().filter(|p| p.starts_with("cgm-summary-mean-glucose")).count(),
            1,
            "one mean glucose, in the summary's unit"
        );
        for m in members {
            let member = &by_url[m["reference"].as_str().unwrap()];
            assert_eq!(member["effectivePeriod"], resource["effectivePeriod"]);
            assert_eq!(member["subject"], resource["subject"]);
        }
    }
}

/// Checks a whole bundle: a transaction whose every entry is a POST, full URLs unique, every reference to an
/// entry resolving, every Observation conforming to its profile.
fn check_bundle(bundle: &Bundle) -> Value {
    let value = json(bundle);
    assert_eq!(value["resourceType"], "Bundle");
    assert_eq!(value["type"], "transaction");
    let entries = value["entry"].as_array().cloned().unwrap_or_default();
    let mut by_url = HashMap::new();
    for entry in &entries {
        let url = entry["fullUrl"].as_str().unwrap();
        assert!(url.starts_with("urn:uuid:") && url.len() == 45, "{url}");
        assert_eq!(entry["request"]["method"], "POST");
        assert_eq!(entry["request"]["url"], entry["resource"]["resourceType"]);
        assert!(by_url.insert(url.to_owned(), entry["resource"].clone()).is_none(), "{url} twice");
    }
    for entry in &entries {
        let resource = &entry["resource"];
        let mut refs = Vec::new();
        collect_references(resource, &mut refs);
        for r in refs {
            if let Some(local) = r.strip_prefix('#') {
                let ids: Vec<&Value> =
                    resource["contained"].as_array().unwrap().iter().map(|c| &c["id"]).collect();
                assert!(ids.iter().any(|id| *id == local), "#{local} is contained");
            } else if r.starts_with("urn:uuid:") {
                assert!(by_url.contains_key(&r), "{r} resolves in the bundle");
            } else {
                assert!(r.starts_with("Patient/"), "{r}");
            }
        }
        if resource["resourceType"] == "Observation" {
            check_observation(resource, &by_url);
        }
    }
    // What pumppath writes it reads back equal.
    assert_eq!(&Bundle::from_json(&bundle.to_json()).unwrap(), bundle);
    value
}

fn collect_references(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("reference", Value::String(r)) => out.push(r.clone()),
                    _ => collect_references(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, out)),
        _ => {}
    }
}

fn zoned(unit: Unit, times: &[i64], values: &[f64]) -> Series {
    let options = SeriesOptions { time_zone: Some(demo::DEMO_TIME_ZONE.into()), ..Default::default() };
    Series::from_epoch(unit, times, TimeScale::Seconds, values, &[], &options).unwrap()
}

fn demo_series(id: &str) -> Series {
    let patient = demo::cohort().into_iter().find(|p| p.id == id).unwrap();
    let options = SeriesOptions { time_zone: Some(demo::DEMO_TIME_ZONE.into()), ..Default::default() };
    Series::from_readings(Unit::MgDl, patient.readings(), &options).unwrap()
}

fn assessed(id: &str, with_readings: bool) -> (Assessment, Record) {
    let patient = demo::cohort().into_iter().find(|p| p.id == id).unwrap();
    let record = patient.record(Protocol::standard()).unwrap();
    let series = with_readings.then(|| demo_series(id));
    let now = demo::DEMO_NOW.parse().unwrap();
    let assessment =
        evaluate(&record, series.as_ref(), now, demo::DEMO_TIME_ZONE, &EvaluationOptions::default()).unwrap();
    (assessment, record)
}

#[test]
fn a_summary_is_the_guides_observations_with_its_codes_units_and_cardinalities() {
    for unit in [Unit::MgDl, Unit::MmolL] {
        let series = demo_series("chloe");
        let series = if unit == Unit::MmolL {
            let values: Vec<f64> = series.values().iter().map(|&v| Unit::MgDl.convert(v, unit)).collect();
            let times: Vec<i64> = series.to_columnar(TimeScale::Seconds).times;
            zoned(unit, &times, &values)
        } else {
            series
        };
        let summary = series.view().summary(&Targets::default());
        let value = check_bundle(&fhir::summary_bundle(&summary, "chloe").unwrap());
        let resources: Vec<&Value> =
            value["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).collect();
        assert_eq!(resources.len(), 7);
        assert_eq!(profile_of(resources[0]), "cgm-summary");
        let mean_profile = match unit {
            Unit::MgDl => "cgm-summary-mean-glucose-mass-per-volume",
            Unit::MmolL => "cgm-summary-mean-glucose-moles-per-volume",
        };
        let mean = resources.iter().find(|r| profile_of(r) == mean_profile).unwrap();
        let expected = (summary.mean.unwrap() * 100.0).round() / 100.0;
        assert_eq!(mean["valueQuantity"]["value"].as_f64(), Some(expected));
        let gmi = resources.iter().find(|r| profile_of(r) == "cgm-summary-gmi").unwrap();
        assert_eq!(
            gmi["valueQuantity"]["value"].as_f64(),
            Some((summary.gmi.unwrap() * 100.0).round() / 100.0)
        );
        // The bands are the consensus ones LOINC names, from the fixed-threshold percents.
        let tir = resources.iter().find(|r| profile_of(r) == "cgm-summary-times-in-ranges").unwrap();
        let below_54 = (summary.percent_below_54.unwrap() * 100.0).round() / 100.0;
        assert_eq!(tir["component"][0]["valueQuantity"]["value"].as_f64(), Some(below_54));
        let above_250 = (summary.percent_above_250.unwrap() * 100.0).round() / 100.0;
        assert_eq!(tir["component"][4]["valueQuantity"]["value"].as_f64(), Some(above_250));
        let first = summary.first.unwrap().date().to_string();
        assert_eq!(resources[0]["effectivePeriod"]["start"], first.as_str());
    }
}

#[test]
fn the_bands_follow_the_consensus_thresholds_not_the_summarys_targets() {
    // 60 mg/dL is "low" by the consensus; custom targets with a 65 very-low cut-point call it very low.
    let series = zoned(Unit::MgDl, &[0, 300, 600, 900], &[60.0, 100.0, 120.0, 190.0]);
    let cut_points = CutPoints::new(Unit::MgDl, 65.0, 80.0, 160.0, 250.0).unwrap();
    let targets = Targets::custom("custom", cut_points, TargetPreset::Standard.goals()).unwrap();
    let summary = series.view().summary(&targets);
    // The summary's own bands follow the targets: 60 is very low, 190 high, 100 and 120 in range.
    assert_eq!(summary.band_percents(), Some([25.0, 0.0, 50.0, 25.0, 0.0]));
    let value = json(&fhir::summary_bundle(&summary, "p").unwrap());
    let tir = &value["entry"][2]["resource"];
    let bands: Vec<f64> =
        (0..5).map(|k| tir["component"][k]["valueQuantity"]["value"].as_f64().unwrap()).collect();
    assert_eq!(bands, [0.0, 25.0, 50.0, 25.0, 0.0]);
}

#[test]
fn a_short_summary_says_it_is_below_the_consensus_minimum() {
    let series = zoned(Unit::MgDl, &[0, 300, 600], &[50.0, 120.0, 200.0]);
    let summary = series.view().summary(&Targets::default());
    let value = json(&fhir::summary_bundle(&summary, "p").unwrap());
    let note = value["entry"][0]["resource"]["note"][0]["text"].as_str().unwrap();
    assert!(note.contains("too_few_days"), "{note}");
    assert_eq!(value["entry"][6]["resource"]["valueQuantity"]["value"], 100.0); // sensor active
}

#[test]
fn a_summary_without_the_guides_required_values_is_an_error() {
    let one = zoned(Unit::MgDl, &[0], &[120.0]);
    let err = fhir::summary_bundle(&one.view().summary(&Targets::default()), "p").unwrap_err();
    assert_eq!(err.code().as_str(), "missing_metric");
    assert_eq!(err.problems()[0].path, "$.cv");
    let none = zoned(Unit::MgDl, &[], &[]);
    let err = fhir::summary_bundle(&none.view().summary(&Targets::default()), "p").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the summary has no mean (no readings), which the CGM guide's summary requires"
    );
}

#[test]
fn a_patient_id_that_is_no_fhir_id_is_a_logical_reference() {
    let series = zoned(Unit::MgDl, &[0, 300], &[100.0, 120.0]);
    let value =
        json(&fhir::summary_bundle(&series.view().summary(&Targets::default()), "Ann Lee/7").unwrap());
    let subject = &value["entry"][0]["resource"]["subject"];
    assert!(subject.get("reference").is_none());
    assert_eq!(subject["identifier"]["value"], "Ann Lee/7");
}

#[test]
fn the_same_answer_gives_the_same_bytes_and_another_other_urls() {
    let (a, record) = assessed("chloe", true);
    let one = fhir::assessment_bundle(&a, &record).unwrap().to_json();
    assert_eq!(one, fhir::assessment_bundle(&a, &record).unwrap().to_json());
    let (b, record_b) = assessed("dev", true);
    let other = fhir::assessment_bundle(&b, &record_b).unwrap();
    let urls = |json: &str| -> BTreeSet<String> {
        let v: Value = serde_json::from_str(json).unwrap();
        v["entry"].as_array().unwrap().iter().map(|e| e["fullUrl"].as_str().unwrap().to_owned()).collect()
    };
    assert!(urls(&one).is_disjoint(&urls(&other.to_json())));
}

#[test]
fn every_demo_patients_assessment_is_a_care_plan_a_request_group_and_its_cgm_observations() {
    let protocol = Protocol::standard();
    for patient in demo::cohort() {
        for with_readings in [false, true] {
            let (assessment, record) = assessed(patient.id, with_readings);
            let bundle = fhir::assessment_bundle(&assessment, &record).unwrap();
            let value = check_bundle(&bundle);
            let resources: Vec<&Value> =
                value["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).collect();
            assert_eq!(value["timestamp"], assessment.evaluated_at.to_string().as_str());
            let plan = resources[0];
            let group = resources[1];
            assert_eq!(
                (plan["resourceType"].as_str(), group["resourceType"].as_str()),
                (Some("CarePlan"), Some("RequestGroup"))
            );
            let fingerprint_of = |r: &Value| {
                r["extension"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["url"].as_str().unwrap().ends_with("/protocol-fingerprint"))
                    .map(|e| e["valueString"].clone())
            };
            assert_eq!(fingerprint_of(plan), Some(Value::from(protocol.fingerprint())));
            assert_eq!(fingerprint_of(group), Some(Value::from(protocol.fingerprint())));
            assert_eq!(plan["intent"], "plan");
            assert_eq!(plan["subject"]["reference"], format!("Patient/{}", patient.id).as_str());

            // One activity per checklist item, in protocol order, with its state and phase; a booked
            // follow-up is one more.
            let activities = plan["activity"].as_array().unwrap();
            let booked = assessment.schedule.follow_up.as_ref().and_then(|f| f.booked_for);
            assert_eq!(activities.len(), protocol.item_count() + usize::from(booked.is_some()));
            let items: Vec<_> = protocol.items().map(|(_, item)| item).collect();
            let mut k = 0;
            for activity in activities {
                let detail = &activity["detail"];
                let code = detail["code"]["coding"][0]["code"].as_str().unwrap();
                if detail["description"] == "The follow-up visit booked" {
                    assert_eq!(detail["status"], "scheduled");
                    assert_eq!(detail["scheduledPeriod"]["start"], booked.unwrap().to_string().as_str());
                    continue;
                }
                let item = items[k];
                k += 1;
                assert_eq!(code, item.id);
                let state = record.item_state(&item.id).unwrap();
                assert_eq!(detail["status"], state.fhir_code(), "{}: {code}", patient.id);
                let phase = protocol.phase_of(&item.id).unwrap();
                let ext = &activity["extension"][0];
                assert!(ext["url"].as_str().unwrap().ends_with("/pathway-phase"));
                assert_eq!(ext["valueCodeableConcept"]["coding"][0]["code"], phase.id.as_str());
                assert_eq!(detail["performer"].as_array().unwrap().len(), 1);
                if let (Some(timing), Some(follow_up)) =
                    (detail.get("scheduledTiming"), &assessment.schedule.follow_up)
                {
                    let repeat = &timing["repeat"];
                    assert_eq!(
                        (
                            repeat["frequency"].as_u64(),
                            repeat["period"].as_u64(),
                            repeat["periodUnit"].as_str()
                        ),
                        (Some(1), Some(3), Some("mo"))
                    );
                    assert_eq!(repeat["boundsPeriod"]["start"], follow_up.anchor.to_string().as_str());
                    assert_eq!(timing["event"][0], follow_up.next.due.to_string().as_str());
                    assert_eq!(timing["event"].as_array().unwrap().len(), 1 + follow_up.later.len());
                }
            }
            assert_eq!(k, items.len());

            // One request action per action, most urgent first, with priority, role, source and due date.
            let actions = group["action"].as_array().map(Vec::as_slice).unwrap_or_default();
            assert_eq!(actions.len(), assessment.actions.len());
            assert_eq!(group["basedOn"][0]["reference"], value["entry"][0]["fullUrl"]);
            for (fhir_action, action) in actions.iter().zip(&assessment.actions) {
                assert_eq!(fhir_action["code"][0]["coding"][0]["code"], action.rule.as_str());
                assert_eq!(fhir_action["description"], action.message.as_str());
                assert_eq!(fhir_action["timingDateTime"], action.due.to_string().as_str());
                assert_eq!(fhir_action["documentation"][0]["label"], action.source.as_str());
                let priority = match action.severity.as_str() {
                    "urgent" => "asap",
                    "soon" => "urgent",
                    _ => "routine",
                };
                assert_eq!(fhir_action["priority"], priority);
                let role =
                    fhir_action["participant"][0]["reference"].as_str().unwrap().trim_start_matches('#');
                let contained =
                    group["contained"].as_array().unwrap().iter().find(|c| c["id"] == role).unwrap();
                let coding = match contained["resourceType"].as_str() {
                    Some("PractitionerRole") => &contained["code"][0]["coding"][0],
                    _ => &contained["type"][0]["coding"][0],
                };
                assert_eq!(coding["code"], action.role.as_str());
            }
            if let Some(first) = assessment.actions.first() {
                let top = match first.severity.as_str() {
                    "urgent" => "asap",
                    "soon" => "urgent",
                    _ => "routine",
                };
                assert_eq!(group["priority"], top);
            }

            // The CGM summary's seven Observations when readings were given.
            let observations = resources.iter().filter(|r| r["resourceType"] == "Observation").count();
            let has_summary = assessment.cgm.as_ref().is_some_and(|s| s.cv.is_some());
            assert_eq!(observations, if has_summary { 7 } else { 0 }, "{}", patient.id);
        }
    }
}

#[test]
fn an_urgent_action_is_asap_and_the_group_is_as_urgent_as_its_most_urgent_action() {
    let (assessment, record) = assessed("chloe", true);
    assert!(assessment.actions.iter().any(|a| a.severity.as_str() == "urgent"), "chloe has an urgent action");
    let value = json(&fhir::assessment_bundle(&assessment, &record).unwrap());
    assert_eq!(value["entry"][1]["resource"]["priority"], "asap");
    assert_eq!(value["entry"][1]["resource"]["action"][0]["priority"], "asap");
}

#[test]
fn a_record_not_the_assessments_is_an_error() {
    let (assessment, _) = assessed("chloe", false);
    let (_, other) = assessed("dev", false);
    let err = fhir::assessment_bundle(&assessment, &other).unwrap_err();
    assert_eq!(err.code().as_str(), "record_mismatch");
    assert_eq!(err.to_string(), "the record's patient_id is \"dev\", the assessment's \"chloe\"");
}

#[test]
fn readings_round_trip_through_fhir() {
    let series = demo_series("chloe");
    let bundle = fhir::readings_bundle(&series, "chloe").unwrap();
    let value = check_bundle(&bundle);
    let first = &value["entry"][0]["resource"];
    assert_eq!(profile_of(first), "cgm-sensor-reading-mass-per-volume");
    assert!(first["effectiveDateTime"].as_str().unwrap().ends_with("-06:00"), "Chicago's offset in winter");
    let options = ReadOptions {
        series: SeriesOptions { time_zone: Some(demo::DEMO_TIME_ZONE.into()), ..Default::default() },
        ..Default::default()
    };
    let back = fhir::read_bundle(&bundle.to_json(), &options).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].id, "chloe");
    assert_eq!(back[0].series.to_json(), series.to_json());

    // In mmol/L, with a missing reading: the same series back.
    let options_mmol = SeriesOptions { time_zone: Some("Europe/Oslo".into()), ..Default::default() };
    let mmol = Series::from_epoch(
        Unit::MmolL,
        &[1_700_000_000, 1_700_000_300, 1_700_000_600],
        TimeScale::Seconds,
        &[5.4, f64::NAN, 12.25],
        &[],
        &options_mmol,
    )
    .unwrap();
    let bundle = fhir::readings_bundle(&mmol, "p-2").unwrap();
    let value = check_bundle(&bundle);
    assert!(value["entry"][1]["resource"]["dataAbsentReason"].is_object());
    let back =
        fhir::read_bundle(&bundle.to_json(), &ReadOptions { series: options_mmol, ..Default::default() })
            .unwrap();
    assert_eq!(back[0].series.to_json(), mmol.to_json());
    assert_eq!(back[0].series.missing(), 1);
}

#[test]
fn a_local_mean_time_offset_with_seconds_is_written_in_utc_and_reads_back_exactly() {
    // Found by the fuzzer (fhir_bundle): London in 1011 is at its local mean time, -00:01:15, which an offset of
    // hours and minutes cut by 15 seconds.
    let options = SeriesOptions { time_zone: Some("Europe/London".into()), ..Default::default() };
    let times = [-30_235_686_100, 1_700_000_000];
    let series =
        Series::from_epoch(Unit::MmolL, &times, TimeScale::Seconds, &[6.1, 5.5], &[], &options).unwrap();
    let bundle = fhir::readings_bundle(&series, "p").unwrap();
    let value = json(&bundle);
    assert_eq!(value["entry"][0]["resource"]["effectiveDateTime"], "1011-11-14T22:18:20Z");
    assert_eq!(value["entry"][1]["resource"]["effectiveDateTime"], "2023-11-14T22:13:20+00:00");
    let back =
        fhir::read_bundle(&bundle.to_json(), &ReadOptions { series: options, ..Default::default() }).unwrap();
    assert_eq!(back[0].series.to_json(), series.to_json());
}

#[test]
fn zoneless_readings_have_no_instants_to_export() {
    let series =
        Series::from_slices(Unit::MgDl, &[0, 300], &[100.0, 110.0], &SeriesOptions::default()).unwrap();
    let err = fhir::readings_bundle(&series, "p").unwrap_err();
    assert_eq!(err.code().as_str(), "zoneless_readings");
}

fn submission() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fhir/submission_bundle.json"
    ))
    .unwrap()
}

#[test]
fn a_submission_bundle_in_the_guides_shape_gives_its_sensor_readings() {
    // A report, summary Observations, a device and readings, as the guide's data submission bundle has them;
    // an entered-in-error reading is not one.
    let patients = fhir::read_bundle(&submission(), &ReadOptions::default()).unwrap();
    assert_eq!(patients.len(), 1);
    let p = &patients[0];
    assert_eq!(p.id, "p1");
    assert_eq!(p.series.values(), &[128.0, 131.0]); // 08:05Z (given as 09:05+01:00), then 08:10Z
    assert_eq!(p.series.missing(), 1);
    assert_eq!(p.series.unit(), Unit::MgDl);
    assert_eq!(
        p.series.to_columnar(TimeScale::Seconds).times[0],
        "2025-03-01T08:05:00Z".parse::<jiff::Timestamp>().unwrap().as_second()
    );
}

/// The submission bundle with its first reading's resource changed by `edit`.
fn edited(edit: impl Fn(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&submission()).unwrap();
    edit(&mut v["entry"][4]["resource"]);
    v.to_string()
}

fn read_err(json: &str, options: &ReadOptions) -> (String, String, String) {
    let err = fhir::read_bundle(json, options).unwrap_err();
    let p = &err.problems()[0];
    (err.code().as_str().to_owned(), p.path.clone(), err.to_string())
}

#[test]
fn other_codes_units_and_times_are_errors_naming_the_field() {
    let at = "$.entry[4].resource";
    let default = ReadOptions::default();
    let heart_rate = edited(|r| r["code"]["coding"][0]["code"] = "8867-4".into());
    let (code, path, message) = read_err(&heart_rate, &default);
    assert_eq!((code.as_str(), path.as_str()), ("unknown_code", format!("{at}.code").as_str()));
    assert!(message.contains("http://loinc.org|8867-4"), "{message}");

    let blood = edited(|r| r["code"]["coding"][0]["code"] = "2339-0".into());
    assert_eq!(read_err(&blood, &default).0, "blood_glucose_code");
    let read = fhir::read_bundle(&blood, &ReadOptions { blood_glucose: true, ..Default::default() }).unwrap();
    assert_eq!(read[0].series.values(), &[128.0, 131.0]);

    let kpa = edited(|r| r["valueQuantity"]["code"] = "kPa".into());
    let (code, path, message) = read_err(&kpa, &default);
    assert_eq!((code.as_str(), path.as_str()), ("unknown_unit", format!("{at}.valueQuantity").as_str()));
    assert_eq!(message, format!("{at}.valueQuantity: unit \"kPa\" is neither mg/dL nor mmol/L (UCUM)"));

    let mismatch = edited(|r| r["valueQuantity"]["code"] = "mmol/L".into());
    let (code, _, message) = read_err(&mismatch, &default);
    assert_eq!(code, "unit_mismatch");
    assert!(message.ends_with("LOINC 99504-3 is measured in mg/dL, not mmol/L"), "{message}");

    let naive = edited(|r| r["effectiveDateTime"] = "2025-03-01T08:10:00".into());
    let (code, path, _) = read_err(&naive, &default);
    assert_eq!((code.as_str(), path.as_str()), ("invalid_field", format!("{at}.effectiveDateTime").as_str()));
    let date_only = edited(|r| r["effectiveDateTime"] = "2025-03-01".into());
    assert_eq!(read_err(&date_only, &default).0, "invalid_field");
    let no_time = edited(|r| {
        r.as_object_mut().unwrap().remove("effectiveDateTime");
    });
    assert_eq!(read_err(&no_time, &default).0, "missing_field");

    let string_value = edited(|r| r["valueQuantity"]["value"] = "131".into());
    let (code, path, _) = read_err(&string_value, &default);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("invalid_field", format!("{at}.valueQuantity.value").as_str())
    );
    let negative = edited(|r| r["valueQuantity"]["value"] = (-5).into());
    let (code, path, _) = read_err(&negative, &default);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("invalid_value", format!("{at}.valueQuantity.value").as_str())
    );
    let err = fhir::read_bundle(&negative, &default).unwrap_err();
    assert_eq!(
        (err.problems()[0].code.as_str(), err.problems()[0].value.clone()),
        ("not_positive", Some((-5.0).into()))
    );

    let no_subject = edited(|r| {
        r.as_object_mut().unwrap().remove("subject");
    });
    assert_eq!(read_err(&no_subject, &default).1, format!("{at}.subject"));
}

#[test]
fn one_patients_readings_in_both_units_need_a_unit_to_convert_to() {
    let mixed = edited(|r| {
        r["code"]["coding"][0]["code"] = "105272-9".into();
        r["valueQuantity"] = serde_json::json!({"value": 7.0, "system": UCUM, "code": "mmol/L"});
    });
    let (code, path, _) = read_err(&mixed, &ReadOptions::default());
    assert_eq!((code.as_str(), path.as_str()), ("mixed_units", "$.entry[5].resource.valueQuantity"));
    let read =
        fhir::read_bundle(&mixed, &ReadOptions { unit: Some(Unit::MgDl), ..Default::default() }).unwrap();
    let values = read[0].series.values();
    assert_eq!(values[0], 128.0);
    assert!((values[1] - Unit::MmolL.convert(7.0, Unit::MgDl)).abs() < 1e-9);
}

#[test]
fn a_document_that_is_no_bundle_is_an_error() {
    let default = ReadOptions::default();
    assert_eq!(read_err("{\"resourceType\": \"Patient\"}", &default).1, "$.resourceType");
    assert_eq!(read_err("[1, 2", &default).0, "malformed_bundle");
    assert_eq!(read_err("{\"resourceType\": \"Bundle\", \"entry\": 3}", &default).1, "$.entry");
    let empty =
        fhir::read_bundle("{\"resourceType\": \"Bundle\", \"type\": \"collection\"}", &default).unwrap();
    assert!(empty.is_empty());
    // A duplicate time under the default policy is that patient's series error.
    let twice = edited(|r| r["effectiveDateTime"] = "2025-03-01T08:05:00Z".into());
    let err = fhir::read_bundle(&twice, &default).unwrap_err();
    assert_eq!((err.kind().as_str(), err.code().as_str()), ("SeriesError", "patient_series"));
    assert!(err.to_string().contains("p1"), "{err}");
}

#[test]
fn a_care_plan_carries_a_waived_items_reason_and_a_booked_specialist_visit() {
    let resource = |bundle: &Bundle, k: usize| match &bundle.entry[k].resource {
        Resource::CarePlan(plan) => serde_json::to_value(plan).unwrap(),
        Resource::RequestGroup(group) => serde_json::to_value(group).unwrap(),
        other => panic!("{other:?}"),
    };
    // Every demo patient's plan: a cancelled or on-hold item with a reason carries it.
    for patient in demo::cohort() {
        let (assessment, record) = assessed(patient.id, false);
        let bundle = fhir::assessment_bundle(&assessment, &record).unwrap();
        let plan = resource(&bundle, 0);
        let activities = plan["activity"].as_array().unwrap().iter();
        let items = activities.filter(|a| a["detail"]["description"] != "The follow-up visit booked");
        for (activity, (_, item)) in items.zip(Protocol::standard().items()) {
            let reason = record
                .state()
                .items()
                .iter()
                .zip(Protocol::standard().items())
                .find(|(_, (_, i))| i.id == item.id)
                .and_then(|(s, _)| s.reason.clone());
            assert_eq!(activity["detail"]["statusReason"]["text"].as_str(), reason.as_deref());
        }
        if let Some(visit) = &assessment.schedule.specialist_visit {
            let activity = plan["activity"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| {
                    a["detail"]["kind"] == "Appointment"
                        && a["detail"]["scheduledTiming"].is_null()
                        && a["detail"]["description"] != "The follow-up visit booked"
                })
                .unwrap();
            let period = &activity["detail"]["scheduledPeriod"];
            match (visit.booked_for, visit.held_on) {
                (Some(booked), _) => assert_eq!(period["start"], booked.to_string().as_str()),
                (None, None) => assert_eq!(period["end"], visit.window.due.to_string().as_str()),
                (None, Some(_)) => assert!(period.is_null()),
            }
        }
    }
}

#[test]
fn contained_roles_have_fhir_ids() {
    // Found in review: a FHIR id allows A-Z a-z 0-9 - . only, so `clinic_staff` is `role-clinic-staff`.
    let (assessment, record) = assessed("chloe", true);
    let value = json(&fhir::assessment_bundle(&assessment, &record).unwrap());
    for entry in value["entry"].as_array().unwrap() {
        for contained in entry["resource"]["contained"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let id = contained["id"].as_str().unwrap();
            assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'), "{id}");
        }
    }
    let plan = &value["entry"][0]["resource"];
    assert!(plan["contained"].as_array().unwrap().iter().any(|c| c["id"] == "role-clinic-staff"));
}

#[test]
fn a_booking_entered_as_a_date_is_that_date_and_one_entered_as_an_instant_has_the_clinics_offset() {
    // Found in review: a date-only booking stands at noon UTC, the next day in Auckland; FHIR gets the date.
    let booked = |scheduled_for: &str| {
        let mut record = Record::new(Protocol::standard(), "p");
        let event = serde_json::json!({"id": "e1", "type": "item_scheduled", "item": "insurance_coverage",
            "scheduled_for": scheduled_for, "actor": "clinic_staff",
            "occurred_at": "2026-03-02T15:00:00Z", "recorded_at": "2026-03-02T15:00:00Z"});
        record.apply(serde_json::from_value(event).unwrap()).unwrap();
        let now = "2026-03-03T00:00:00Z".parse().unwrap();
        let assessment =
            evaluate(&record, None, now, "Pacific/Auckland", &EvaluationOptions::default()).unwrap();
        let value = json(&fhir::assessment_bundle(&assessment, &record).unwrap());
        let detail = value["entry"][0]["resource"]["activity"][0]["detail"].clone();
        assert_eq!(detail["status"], "scheduled");
        detail["scheduledPeriod"]["start"].as_str().unwrap().to_owned()
    };
    assert_eq!(booked("2026-03-20"), "2026-03-20");
    assert_eq!(booked("2026-03-20T01:30:00Z"), "2026-03-20T14:30:00+13:00");
}

#[test]
fn a_held_specialist_visit_has_no_schedule_left() {
    let mut held = 0;
    for patient in demo::cohort() {
        let (assessment, record) = assessed(patient.id, false);
        let Some(visit) = &assessment.schedule.specialist_visit else { continue };
        if visit.held_on.is_none() || visit.booked_for.is_some() {
            continue;
        }
        held += 1;
        let value = json(&fhir::assessment_bundle(&assessment, &record).unwrap());
        let activity = value["entry"][0]["resource"]["activity"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["detail"]["code"]["coding"][0]["code"] == "specialist_visit")
            .cloned()
            .unwrap();
        assert!(activity["detail"].get("scheduledPeriod").is_none(), "{}", patient.id);
    }
    assert!(held > 0, "a demo patient has had the specialist visit");
}

#[test]
fn two_subjects_that_share_an_id_are_an_error_not_one_patient() {
    // Found in review: `Patient/p1` and the identifier p1 of a hospital's MRN system may be two people.
    let mut v: Value = serde_json::from_str(&submission()).unwrap();
    v["entry"][5]["resource"]["subject"] =
        serde_json::json!({"identifier": {"system": "https://hospital.example/mrn", "value": "p1"}});
    let (code, path, message) = read_err(&v.to_string(), &ReadOptions::default());
    assert_eq!((code.as_str(), path.as_str()), ("invalid_field", "$.entry[5].resource.subject"));
    assert!(message.contains("https://hospital.example/mrn|p1"), "{message}");
}

#[test]
fn a_missing_first_reading_does_not_fix_the_unit() {
    // Found in review: a value-less first reading coded in mmol/L made the mg/dL readings after it "mixed units".
    let mut v: Value = serde_json::from_str(&submission()).unwrap();
    v["entry"][6]["resource"]["code"]["coding"][0]["code"] = "105272-9".into();
    v["entry"][6]["resource"]["effectiveDateTime"] = "2025-03-01T07:00:00Z".into();
    let entries = v["entry"].as_array_mut().unwrap();
    let missing = entries.remove(6);
    entries.insert(0, missing.clone());
    let read = fhir::read_bundle(&v.to_string(), &ReadOptions::default()).unwrap();
    assert_eq!(read[0].series.unit(), Unit::MgDl);
    assert_eq!((read[0].series.values(), read[0].series.missing()), (&[128.0, 131.0][..], 1));
    // A patient with missing readings only keeps them, in the code's unit.
    let only = serde_json::json!({"resourceType": "Bundle", "entry": [missing]});
    let read = fhir::read_bundle(&only.to_string(), &ReadOptions::default()).unwrap();
    assert_eq!((read[0].series.unit(), read[0].series.missing()), (Unit::MmolL, 1));
}

#[test]
fn a_reading_outside_fhirs_years_is_an_error_not_a_time_fhir_cannot_read() {
    // Found in review: a series reaches the year -9999, FHIR's dateTime only 0001 to 9999.
    let options = SeriesOptions { time_zone: Some("UTC".into()), ..Default::default() };
    let year_0 = -62_167_219_200; // 0000-01-01T00:00:00Z
    let series =
        Series::from_epoch(Unit::MgDl, &[year_0, 0], TimeScale::Seconds, &[100.0, 110.0], &[], &options)
            .unwrap();
    let err = fhir::readings_bundle(&series, "p").unwrap_err();
    assert_eq!((err.code().as_str(), err.problems()[0].path.as_str()), ("invalid_field", "$.times[0]"));
    let year_1 = -62_135_510_400; // 0001-01-02T00:00:00Z
    let series =
        Series::from_epoch(Unit::MgDl, &[year_1], TimeScale::Seconds, &[100.0], &[], &options).unwrap();
    let value = json(&fhir::readings_bundle(&series, "p").unwrap());
    assert_eq!(value["entry"][0]["resource"]["effectiveDateTime"], "0001-01-02T00:00:00+00:00");
}
