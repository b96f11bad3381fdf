//! The patient's pathway as a CarePlan and today's actions as a RequestGroup.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::cgm::summary_observations;
use super::common::{coded, subject_of, transaction, uuid_of};
use super::resources::{
    Bundle, CarePlan, CarePlanActivity, CarePlanDetail, CodeableConcept, Coding, Extension, Organization,
    Period, PractitionerRole, Reference, RelatedArtifact, RequestGroup, RequestGroupAction, Resource, Timing,
    TimingRepeat,
};
use super::{BASE, FhirError};
use jiff::tz::TimeZone;

use crate::pathway::{EventKind, ItemStatus, Milestone, PathwayView, Protocol, Record, Role, Scheduled};
use crate::rules::{Action, Assessment, Severity};
use crate::schedule::Schedule;

/// The extension naming an activity's phase.
fn phase_extension(protocol: &Protocol, phase: &str) -> Extension {
    let title = protocol.phases().iter().find(|p| p.id == phase).map(|p| p.title.as_str());
    Extension {
        url: format!("{BASE}/StructureDefinition/pathway-phase"),
        value_string: None,
        value_code: None,
        value_codeable_concept: Some(coded(&format!("{BASE}/CodeSystem/pathway-phase"), phase, title)),
    }
}

/// The extension carrying the protocol's fingerprint.
fn fingerprint_extension(fingerprint: &str) -> Extension {
    Extension {
        url: format!("{BASE}/StructureDefinition/protocol-fingerprint"),
        value_string: Some(fingerprint.to_owned()),
        value_code: None,
        value_codeable_concept: None,
    }
}

/// An extension with a code value.
fn code_extension(name: &str, code: &str) -> Extension {
    Extension {
        url: format!("{BASE}/StructureDefinition/{name}"),
        value_string: None,
        value_code: Some(code.to_owned()),
        value_codeable_concept: None,
    }
}

/// The protocol's URI.
fn protocol_uri(protocol_id: &str, version: &str) -> String {
    format!("{BASE}/protocol/{protocol_id}/{version}")
}

/// A checklist item as a coding.
fn item_concept(item: &str, title: Option<&str>) -> CodeableConcept {
    coded(&format!("{BASE}/CodeSystem/checklist-item"), item, title)
}

/// How a role reads.
fn role_display(role: Role) -> &'static str {
    match role {
        Role::Patient => "Patient",
        Role::ClinicStaff => "Clinic staff",
        Role::Provider => "Prescribing provider",
        Role::PumpTrainer => "Certified pump trainer",
        Role::Specialist => "Diabetes care and education specialist",
        Role::Insurer => "Insurer",
        Role::Supplier => "Pump or supplies supplier",
    }
}

/// A role's contained id: `role-` and its wire name with `-` for `_`, as FHIR ids allow only `A-Z a-z 0-9 - .`.
fn role_id(role: Role) -> String {
    format!("role-{}", role.as_str().replace('_', "-"))
}

/// Who does something: the patient is the subject; every other role a contained resource (`#role-clinic-staff`),
/// noted in `used` so that only the roles referenced are contained.
fn performer(role: Role, subject: &Reference, used: &mut BTreeSet<Role>) -> Reference {
    if role == Role::Patient {
        return Reference { display: Some(role_display(role).to_owned()), ..subject.clone() };
    }
    used.insert(role);
    Reference {
        reference: Some(format!("#{}", role_id(role))),
        display: Some(role_display(role).to_owned()),
        ..Reference::default()
    }
}

/// The contained resources of the roles `used`: an insurer or supplier is an Organization, a clinic role a
/// PractitionerRole, each coded with pumppath's role code system.
fn contained(used: &BTreeSet<Role>) -> Vec<Resource> {
    used.iter()
        .map(|&role| {
            let id = role_id(role);
            let code =
                vec![coded(&format!("{BASE}/CodeSystem/role"), role.as_str(), Some(role_display(role)))];
            match role {
                Role::Insurer | Role::Supplier => Resource::Organization(Organization {
                    id,
                    organization_type: code,
                    name: role_display(role).to_owned(),
                }),
                _ => Resource::PractitionerRole(PractitionerRole { id, code }),
            }
        })
        .collect()
}

fn day(date: Date) -> String {
    date.to_string()
}

/// One activity per checklist item, and the booked follow-up visit as one more.
fn activities(
    view: &PathwayView,
    record: &Record,
    zone: &TimeZone,
    protocol: &Protocol,
    schedule: &Schedule,
    subject: &Reference,
    used: &mut BTreeSet<Role>,
) -> Vec<CarePlanActivity> {
    let mut out = Vec::with_capacity(view.items.len() + 1);
    for (item, status) in view.items.iter().zip(record.state().items()) {
        let definition = protocol.item(&item.item);
        let milestone = definition.and_then(|d| d.milestone);
        let booking = booking(record, status, zone);
        let (scheduled_timing, scheduled_period) = when(booking, milestone, protocol, schedule);
        let visit = matches!(milestone, Some(Milestone::SpecialistVisit | Milestone::FollowUp));
        out.push(CarePlanActivity {
            extension: vec![phase_extension(protocol, &item.phase)],
            detail: CarePlanDetail {
                kind: if visit { "Appointment" } else { "Task" }.into(),
                code: item_concept(&item.item, Some(&item.title)),
                status: item.state.fhir_code().into(),
                status_reason: item
                    .reason
                    .as_ref()
                    .map(|r| CodeableConcept { coding: Vec::new(), text: Some(r.clone()) }),
                scheduled_timing,
                scheduled_period,
                performer: vec![performer(item.role, subject, used)],
                description: definition.map(|d| d.description.clone()),
            },
        });
        if milestone == Some(Milestone::FollowUp)
            && let Some(booked) = schedule.follow_up.as_ref().and_then(|f| f.booked_for)
        {
            out.push(CarePlanActivity {
                extension: vec![phase_extension(protocol, &item.phase)],
                detail: CarePlanDetail {
                    kind: "Appointment".into(),
                    code: item_concept(&item.item, Some(&item.title)),
                    status: "scheduled".into(),
                    status_reason: None,
                    scheduled_timing: None,
                    scheduled_period: Some(Period { start: Some(day(booked)), end: Some(day(booked)) }),
                    performer: vec![performer(item.role, subject, used)],
                    description: Some("The follow-up visit booked".into()),
                },
            });
        }
    }
    out
}

/// An item's booking, when its state is `scheduled`: the `item_scheduled` event's date as entered (a date-only
/// booking is that date in every zone, not the noon UTC that stands in for it), else its instant with the
/// clinic's offset (in UTC where that offset has seconds, which FHIR's cannot carry).
fn booking(record: &Record, status: &ItemStatus, zone: &TimeZone) -> Option<Period> {
    let at = status.scheduled_for?;
    let event = status.event_id.as_deref().and_then(|id| record.events().iter().rev().find(|e| e.id == id));
    let start = match event.map(|e| &e.kind) {
        Some(EventKind::ItemScheduled { scheduled_for: Scheduled::On(date), .. }) => date.to_string(),
        _ => super::common::date_time(at, zone),
    };
    Some(Period { start: Some(start), end: None })
}

/// When an item happens: the follow-ups' recurrence and due dates; the specialist visit's booking, else its
/// window while it is not held (once held, none); another item's booking (`item_scheduled`).
fn when(
    booking: Option<Period>,
    milestone: Option<Milestone>,
    protocol: &Protocol,
    schedule: &Schedule,
) -> (Option<Timing>, Option<Period>) {
    match milestone {
        Some(Milestone::FollowUp) => {
            let timing = schedule.follow_up.as_ref().map(|f| Timing {
                event: std::iter::once(f.next.due).chain(f.later.iter().copied()).map(day).collect(),
                repeat: Some(TimingRepeat {
                    bounds_period: Some(Period { start: Some(day(f.anchor)), end: None }),
                    frequency: 1,
                    period: protocol.settings().schedule.follow_up_interval_months,
                    period_unit: "mo".into(),
                }),
            });
            (timing, None)
        }
        Some(Milestone::SpecialistVisit) => {
            let period = schedule.specialist_visit.as_ref().and_then(|s| match (s.booked_for, s.held_on) {
                (Some(booked), _) => Some(Period { start: Some(day(booked)), end: Some(day(booked)) }),
                (None, None) => {
                    Some(Period { start: Some(day(s.window.opens)), end: Some(day(s.window.due)) })
                }
                (None, Some(_)) => None,
            });
            (None, period)
        }
        _ => (None, booking),
    }
}

/// The FHIR request priority of a severity: `urgent` (glucose safety, today) is FHIR's `asap`, `soon` its
/// `urgent`; routine work and information are `routine`.
fn priority(severity: Severity) -> &'static str {
    match severity {
        Severity::Urgent => "asap",
        Severity::Soon => "urgent",
        Severity::Routine | Severity::Info => "routine",
    }
}

/// One action of the request group.
fn request_action(
    action: &Action,
    protocol: &Protocol,
    subject: &Reference,
    used: &mut BTreeSet<Role>,
) -> RequestGroupAction {
    let mut code = vec![CodeableConcept {
        coding: vec![Coding {
            system: format!("{BASE}/CodeSystem/rule"),
            code: action.rule.as_str().to_owned(),
            display: None,
        }],
        text: None,
    }];
    if let Some(item) = &action.item {
        code.push(item_concept(item, protocol.item(item).map(|i| i.title.as_str())));
    }
    RequestGroupAction {
        extension: vec![
            code_extension("severity", action.severity.as_str()),
            code_extension("category", action.category.as_str()),
            code_extension("finding", action.state.as_str()),
        ],
        title: action.rule.as_str().to_owned(),
        description: action.message.clone(),
        priority: priority(action.severity).into(),
        code,
        documentation: vec![RelatedArtifact {
            artifact_type: "documentation".into(),
            label: action.source.clone(),
            display: format!("The pathway handout, passage {}", action.source),
        }],
        timing_date_time: day(action.due),
        participant: vec![performer(action.role, subject, used)],
    }
}

/// An assessment as a transaction Bundle: the patient's pathway as a `CarePlan`, today's actions as a
/// `RequestGroup` based on it, and the CGM summary's Observations (see [`summary_bundle`](super::summary_bundle))
/// when the assessment has readings enough for the guide's values. `record` is the patient's record the
/// assessment was made from (the assessment names its items' next steps, not every item): as it stood at
/// `evaluated_at`, it gives every item's state.
///
/// - The CarePlan: `status` `active` (`completed` once every required item is done and no follow-up is due),
///   `intent` `plan`, the protocol as `category` and `instantiatesUri`, its fingerprint in an extension; one
///   activity per checklist item, in protocol order, with the item as `detail.code`, its state as
///   `detail.status` (the item states are CarePlan activity statuses), a waived or on-hold item's reason as
///   `statusReason`, its phase in the `pathway-phase` extension and who does it as `performer`. The follow-up
///   item's `scheduledTiming` repeats every `follow_up_interval_months` months (frequency 1, period 3,
///   periodUnit `mo` by default) from the series' anchor, its `event`s the next due date and the planned ones;
///   a booked follow-up is one more activity, `scheduled` at its date; the specialist visit is scheduled at its
///   booking, else over its window until held.
/// - The RequestGroup: `intent` `proposal`, `authoredOn` the evaluation's instant, `priority` the most urgent
///   action's; one action per action of the assessment (acknowledged ones are quiet and left out), most
///   urgent first, with the rule (and item) as `code`, the message as `description`, the due date as
///   `timingDateTime`, the severity, category and finding in extensions, the handout passage as
///   `documentation` and the role as `participant`, a contained `PractitionerRole` (or `Organization`) coded
///   with the role.
///
/// A record of another patient or protocol is [`FhirError::RecordMismatch`].
///
/// ```
/// use pumppath::{demo, fhir};
/// use pumppath::fhir::Resource;
/// use pumppath::pathway::Protocol;
/// use pumppath::rules::{EvaluationOptions, evaluate};
///
/// let dev = demo::cohort().into_iter().find(|p| p.id == "dev").unwrap();
/// let record = dev.record(Protocol::standard())?;
/// let assessment = evaluate(&record, None, demo::DEMO_NOW.parse()?, demo::DEMO_TIME_ZONE, &EvaluationOptions::default())?;
/// let bundle = fhir::assessment_bundle(&assessment, &record)?;
/// let Resource::CarePlan(plan) = &bundle.entry[0].resource else { unreachable!() };
/// let timing = plan.activity.iter().find_map(|a| a.detail.scheduled_timing.as_ref()).unwrap();
/// let repeat = timing.repeat.as_ref().unwrap();
/// assert_eq!((repeat.frequency, repeat.period, repeat.period_unit.as_str()), (1, 3, "mo"));
/// assert_eq!(timing.event[0], "2026-03-10"); // the next follow-up's due date
/// let Resource::RequestGroup(group) = &bundle.entry[1].resource else { unreachable!() };
/// let follow_up = group.action.iter().find(|a| a.title == "follow_up_due").unwrap();
/// assert_eq!((follow_up.priority.as_str(), follow_up.timing_date_time.as_str()), ("routine", "2026-03-10"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assessment_bundle(assessment: &Assessment, record: &Record) -> Result<Bundle, FhirError> {
    if record.patient_id() != assessment.patient_id {
        return Err(FhirError::RecordMismatch {
            field: "patient_id",
            record: record.patient_id().to_owned(),
            assessment: assessment.patient_id.clone(),
        });
    }
    if record.protocol_fingerprint() != assessment.protocol_fingerprint {
        return Err(FhirError::RecordMismatch {
            field: "protocol_fingerprint",
            record: record.protocol_fingerprint().to_owned(),
            assessment: assessment.protocol_fingerprint.clone(),
        });
    }
    let protocol = record.protocol();
    let (as_of, _) = record.as_of(assessment.evaluated_at);
    let view = PathwayView::of(&as_of);
    let subject = subject_of(&assessment.patient_id);
    let evaluated = assessment.evaluated_at.to_string();
    let key =
        |kind: &str| uuid_of(&[kind, &assessment.patient_id, &assessment.protocol_fingerprint, &evaluated]);
    let (plan_url, group_url) = (key("care-plan"), key("request-group"));
    let instantiates = vec![protocol_uri(protocol.id(), protocol.version())];

    let mut used = BTreeSet::new();
    let zone = TimeZone::get(&assessment.time_zone).unwrap_or(TimeZone::UTC);
    let activity = activities(&view, &as_of, &zone, protocol, &assessment.schedule, &subject, &mut used);
    let follow_up_due = assessment.schedule.follow_up.is_some();
    let plan = CarePlan {
        contained: contained(&used),
        extension: vec![fingerprint_extension(&assessment.protocol_fingerprint)],
        instantiates_uri: instantiates.clone(),
        status: if view.pathway_complete && !follow_up_due { "completed" } else { "active" }.into(),
        intent: "plan".into(),
        category: vec![coded(
            &format!("{BASE}/CodeSystem/protocol"),
            protocol.id(),
            Some(&protocol.definition().title),
        )],
        title: protocol.definition().title.clone(),
        subject: subject.clone(),
        activity,
    };

    let mut used = BTreeSet::new();
    let action: Vec<RequestGroupAction> =
        assessment.actions.iter().map(|a| request_action(a, protocol, &subject, &mut used)).collect();
    let group = RequestGroup {
        contained: contained(&used),
        extension: vec![fingerprint_extension(&assessment.protocol_fingerprint)],
        instantiates_uri: instantiates,
        based_on: vec![Reference { reference: Some(plan_url.clone()), ..Reference::default() }],
        status: if action.is_empty() { "completed" } else { "active" }.into(),
        intent: "proposal".into(),
        priority: assessment.actions.iter().map(|a| a.severity).min().map(|s| priority(s).to_owned()),
        subject: subject.clone(),
        authored_on: evaluated.clone(),
        action,
    };

    let mut entries = vec![(plan_url, Resource::CarePlan(plan)), (group_url, Resource::RequestGroup(group))];
    if let Some(summary) = &assessment.cgm
        && let Ok(observations) = summary_observations(summary, &assessment.patient_id)
    {
        entries.extend(observations);
    }
    Ok(transaction(Some(evaluated), entries))
}
