//! The patient's view: what the assessment means for the patient, in the handout's voice.
//!
//! [`PatientView::of`] turns an [`Assessment`] and its [`Protocol`] into what a patient reads on a phone:
//!
//! - **what is next for you**: the checklist items the patient acts on that can be done now, in protocol
//!   order, by the protocol's own titles (so a clinic's protocol speaks in its own words). Items the patient
//!   does ([`Role::Patient`]) and the pump trainer's (training is booked and held with the patient, and the
//!   handout tells the patient the trainer will call) are listed ([`PATIENT_SIDE_ROLES`]); an item waiting on
//!   an earlier step, or on hold, is left out until it can be done: "next" is what the patient can do now;
//! - **your visits**: the specialist visit after the pump start while it is pending, and the next follow-up,
//!   each with its date (booked, or due), titled by the protocol's visit items;
//! - **your pump supplies**: when to reorder, once a batch is on record;
//! - **when to call us**: the handout's post-pump rule ("call the clinic if your glucose is frequently
//!   < 70 or > 250") in the patient's unit and from the patient's targets, the cut-points the "frequently"
//!   rule judges: below the low cut-point, above the very-high one (the above-range cut-point for targets
//!   without a very-high goal, such as pregnancy: 63 and 140 mg/dL);
//! - **your back-up plan**, once the pump has started.
//!
//! No rule id, severity, evidence, code or item id reaches the text ([`PatientView::to_markdown`],
//! [`PatientView::to_text`]); the JSON keeps the item ids for programs. Dates are the clinic's, written out
//! ("Friday 20 February 2026"). Nothing is said about the patient's glucose findings: the clinic calls the
//! patient about those.
//!
//! The standard protocol's item descriptions are written for the clinic (they speak of "the patient"), so the
//! text shows the titles; each step's description is in the JSON.

mod text;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::Error;
use crate::glucose::{Targets, Unit};
use crate::pathway::{ItemState, Milestone, Protocol, RecordError, Role};
use crate::rules::{Assessment, VisitDue};
use crate::schedule::{ClinicClock, DueState};

/// The roles whose open items the patient's view lists: the patient's own, and the pump trainer's (the
/// trainer books and holds the training with the patient).
pub const PATIENT_SIDE_ROLES: [Role; 2] = [Role::Patient, Role::PumpTrainer];

/// What the assessment means for the patient: next steps, visits, supplies, when to call, the back-up plan.
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::demo;
/// use pumppath::glucose::{Targets, Unit};
/// use pumppath::pathway::Protocol;
/// use pumppath::patient::PatientView;
/// use pumppath::rules::{evaluate, EvaluationOptions};
///
/// let protocol = Protocol::standard();
/// let ben = demo::cohort().into_iter().find(|p| p.id == "ben").unwrap();
/// let series = Series::from_readings(Unit::MgDl, ben.readings(), &SeriesOptions::default())?;
/// let assessment = evaluate(&ben.record(protocol)?, Some(&series), demo::DEMO_NOW.parse()?,
///                           demo::DEMO_TIME_ZONE, &EvaluationOptions::default())?;
/// let view = PatientView::of(&assessment, protocol, &Targets::default(), Unit::MgDl)?;
/// assert_eq!(view.next_steps[0].title, "Pump uploaded or linked to the clinic");
/// let text = view.to_text();
/// assert!(text.contains("Specialist visit after the start: was due Wednesday 11 March 2026. Not booked yet"));
/// assert!(text.contains("Call us when your glucose is often below 70 mg/dL or above 250 mg/dL."));
/// assert!(!text.contains("pump_linked")); // no item id in the text
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientView {
    /// The patient's id (for programs; the text does not show it).
    pub patient_id: String,
    /// The clinic's date the view speaks of.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub today: Date,
    /// The phase the patient is in.
    pub phase: PatientPhase,
    /// The checklist items the patient acts on that can be done now, in protocol order.
    pub next_steps: Vec<PatientStep>,
    /// The pending specialist visit, then the next follow-up; empty before the pump start.
    pub visits: Vec<PatientVisit>,
    /// When to reorder pump supplies, once a batch is on record.
    pub supplies: Option<PatientSupplies>,
    /// When to call the clinic, in the patient's unit.
    pub call_us: CallUs,
    /// The back-up plan reminder, once the pump has started.
    pub backup_plan: Option<BackupPlanReminder>,
}

/// The phase the patient is in: "phase 2 of 4: Understanding the insulin pump".
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientPhase {
    /// The phase's id.
    pub phase: String,
    /// Its title, the protocol's.
    pub title: String,
    /// Its place in the pathway, from 1.
    pub number: u32,
    /// How many phases the pathway has.
    pub of: u32,
    /// Whether every phase is complete.
    pub pathway_complete: bool,
}

/// A checklist item the patient acts on, as the protocol words it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientStep {
    /// The item's id (for programs; the text does not show it).
    pub item: String,
    /// The protocol's title of the item.
    pub title: String,
    /// The protocol's description of the item.
    pub description: String,
    /// Who the patient does it with: `patient` (the patient), `pump_trainer` (with the pump trainer).
    pub role: Role,
    /// The clinic date it is booked for, when it is.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
}

/// One of the patient's next visits.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientVisit {
    /// Which visit.
    pub visit: VisitDue,
    /// Its name: the title of the protocol's visit item.
    pub title: String,
    /// Its due date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub due: Date,
    /// Where today stands against the due date (`upcoming`, `due_soon`, `due`, `overdue`).
    pub state: DueState,
    /// The clinic date it is booked for, when it is.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
}

/// When to reorder pump supplies: an estimate from the last batch's days of supply.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientSupplies {
    /// Reorder by this date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub reorder_by: Date,
    /// When the last batch should run out.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub runs_out_on: Date,
    /// Where today stands: `upcoming`, `due_soon` (reorder soon), `due` (reorder now), `overdue` (it may
    /// have run out).
    pub state: DueState,
}

/// When to call the clinic: "call us when your glucose is often below 70 mg/dL or above 250 mg/dL".
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallUs {
    /// The patient's unit.
    pub unit: Unit,
    /// Call when glucose is often below this: the targets' low cut-point.
    pub below: f64,
    /// Call when glucose is often above this: the very-high cut-point, or the above-range one for targets
    /// without a very-high goal (pregnancy).
    pub above: f64,
    /// In the first weeks on the pump, the last day of them: until then, call about any high or low blood
    /// sugars (handout: understanding_the_pump.s7).
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub first_weeks_until: Option<Date>,
}

/// The back-up plan reminder (handout: post_pump_care.2).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupPlanReminder {
    /// Whether the protocol's back-up plan review is still to be done (it is then gone over at the next
    /// visit); `false` once done, or when the protocol has no such item.
    pub review_pending: bool,
}

impl PatientView {
    /// The patient's view of `assessment`, which `protocol` gave, with the patient's `targets` (those the
    /// assessment judged: the record's own, else the protocol's) in the patient's `unit` (the readings').
    ///
    /// An assessment of another protocol is [`RecordError::ProtocolMismatch`]; an unknown time zone in the
    /// assessment, [`ScheduleError::UnknownTimeZone`](crate::schedule::ScheduleError::UnknownTimeZone).
    pub fn of(
        assessment: &Assessment,
        protocol: &Protocol,
        targets: &Targets,
        unit: Unit,
    ) -> Result<PatientView, Error> {
        if assessment.protocol_fingerprint != protocol.fingerprint() {
            return Err(RecordError::ProtocolMismatch {
                expected: assessment.protocol_fingerprint.clone(),
                actual: protocol.fingerprint().to_owned(),
            }
            .into());
        }
        let clock = ClinicClock::new(assessment.evaluated_at, &assessment.time_zone)?;
        let pathway = &assessment.pathway;
        let schedule = &assessment.schedule;

        let place = pathway.phases.iter().position(|p| p.phase == pathway.current_phase).unwrap_or(0);
        let phase = PatientPhase {
            phase: pathway.current_phase.clone(),
            title: pathway.phases.get(place).map(|p| p.title.clone()).unwrap_or_default(),
            number: u32::try_from(place + 1).unwrap_or(u32::MAX),
            of: u32::try_from(pathway.phases.len()).unwrap_or(u32::MAX),
            pathway_complete: pathway.pathway_complete,
        };

        let next_steps = pathway
            .next_steps
            .iter()
            .filter(|i| PATIENT_SIDE_ROLES.contains(&i.role))
            .map(|i| PatientStep {
                item: i.item.clone(),
                title: i.title.clone(),
                description: protocol.item(&i.item).map(|d| d.description.clone()).unwrap_or_default(),
                role: i.role,
                booked_for: i
                    .scheduled_for
                    .filter(|_| i.state == ItemState::Scheduled)
                    .map(|t| clock.local_date(t)),
            })
            .collect();

        let title_of = |m: Milestone, otherwise: &str| {
            protocol.milestone_item(m).map_or_else(|| otherwise.to_owned(), |i| i.title.clone())
        };
        let mut visits = Vec::new();
        if let Some(v) = &schedule.specialist_visit
            && v.window.state != DueState::Done
        {
            visits.push(PatientVisit {
                visit: VisitDue::SpecialistVisit,
                title: title_of(Milestone::SpecialistVisit, "Visit with the diabetes specialist"),
                due: v.window.due,
                state: v.window.state,
                booked_for: v.booked_for,
            });
        }
        if let Some(f) = &schedule.follow_up {
            visits.push(PatientVisit {
                visit: VisitDue::FollowUp,
                title: title_of(Milestone::FollowUp, "Follow-up with the diabetes team"),
                due: f.next.due,
                state: f.next.state,
                booked_for: f.booked_for,
            });
        }

        let supplies = schedule.supplies.as_ref().map(|s| PatientSupplies {
            reorder_by: s.window.due,
            runs_out_on: s.runs_out_on,
            state: s.window.state,
        });

        let started = schedule.pump_started_on.is_some();
        let call_us = CallUs {
            unit,
            below: targets.cut_points(unit).low_below(),
            above: call_above(targets, unit),
            first_weeks_until: schedule
                .first_weeks
                .as_ref()
                .map(|w| w.window.due)
                .filter(|end| assessment.today <= *end),
        };

        // The review item is open when it is among the steps not done (next or blocked).
        let review_pending = protocol.milestone_item(Milestone::BackupPlanReview).is_some_and(|item| {
            pathway.next_steps.iter().any(|i| i.item == item.id)
                || pathway.blocked.iter().any(|b| b.item == item.id)
        });
        let backup_plan = started.then_some(BackupPlanReminder { review_pending });

        Ok(PatientView {
            patient_id: assessment.patient_id.clone(),
            today: assessment.today,
            phase,
            next_steps,
            visits,
            supplies,
            call_us,
            backup_plan,
        })
    }

    /// The view as compact JSON; the same view always gives the same bytes.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The "call us above" value: the cut-point the "frequently" rule's high test judges (the very-high one, or
/// the above-range one for targets that set no very-high goal), so the patient is told what the clinic watches.
fn call_above(targets: &Targets, unit: Unit) -> f64 {
    let cuts = targets.cut_points(unit);
    let goals = targets.goals();
    match (goals.max_percent_above_very_high, goals.max_percent_above_range) {
        (None, Some(_)) => cuts.high_above(),
        _ => cuts.very_high_above(),
    }
}
