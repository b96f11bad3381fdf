//! The clinic's work-list: a whole panel triaged. One list of every patient's actions in the order of the
//! severity policy (safety first), then due date, then patient, each action once; a headline per patient; the
//! rest of every patient's assessment; counts per rule, role and severity; and a borrowed view per role ("what
//! is on the provider's desk").

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{
    AcknowledgedAction, Action, Assessment, Category, PathwayStatus, PeriodChange, RuleId, Severity, assess,
};
use crate::Error;
use crate::cgm::{Frequently, Series, Summary};
use crate::error::ErrorDocument;
use crate::glucose::Targets;
use crate::pathway::{Record, Role};
use crate::schedule::{ClinicClock, DueState, Schedule};
use crate::wire::wire_enum;

/// One patient of the panel, borrowed: the record (which carries its protocol), the readings (any unit, any span)
/// and, optionally, targets that override the record's and the protocol's.
///
/// The caller keeps its records and series (a clinic system's cache, a binding's objects); building the panel
/// copies no event and no reading.
#[derive(Clone, Copy, Debug)]
pub struct PatientInput<'a> {
    /// The patient's record.
    pub record: &'a Record,
    /// The patient's CGM readings, when there are any.
    pub readings: Option<&'a Series>,
    /// Targets for this patient, over the record's own (`targets_set`) and the protocol's.
    pub targets: Option<&'a Targets>,
}

impl<'a> PatientInput<'a> {
    /// A patient with a record and, optionally, readings.
    pub fn new(record: &'a Record, readings: Option<&'a Series>) -> PatientInput<'a> {
        PatientInput { record, readings, targets: None }
    }

    /// The same patient, judged against `targets`.
    pub fn with_targets(self, targets: &'a Targets) -> PatientInput<'a> {
        PatientInput { targets: Some(targets), ..self }
    }
}

/// One line of the work-list: an action and whose it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorklistItem {
    /// The patient's id.
    pub patient_id: String,
    /// The action.
    pub action: Action,
}

wire_enum! {
    /// Which visit comes next.
    pub enum VisitDue {
        /// The diabetes care and education specialist visit after the pump start.
        SpecialistVisit => "specialist_visit",
        /// The next 3-monthly follow-up.
        FollowUp => "follow_up",
    }
}

/// The patient's next visit: the pending specialist visit, else the next follow-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NextVisit {
    /// Which visit.
    pub visit: VisitDue,
    /// Its due date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub due: Date,
    /// Its window's state today.
    pub state: DueState,
    /// The date it is booked for, when it is.
    #[cfg_attr(feature = "schema", schemars(with = "Option<crate::schema::LocalDate>"))]
    pub booked_for: Option<Date>,
}

/// The most severe finding of a patient: which of the list's items it is, without repeating it (the item is
/// the patient's first in `items`, [`Worklist::actions_of`]'s first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The rule.
    pub rule: RuleId,
    /// Its severity.
    pub severity: Severity,
    /// Who acts.
    pub role: Role,
    /// By when.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub due: Date,
}

/// A patient's headline: where they stand and what matters most.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PatientHeadline {
    /// The patient's id.
    pub patient_id: String,
    /// The current phase's id.
    pub current_phase: String,
    /// Whether every required item is done.
    pub pathway_complete: bool,
    /// The next visit, once the pump has started.
    pub next_visit: Option<NextVisit>,
    /// The most severe finding (the first of the patient's actions), when there is one.
    pub most_severe: Option<Finding>,
    /// How many actions the patient has.
    pub actions: usize,
    /// How many of the patient's actions are quiet (acknowledged).
    pub acknowledged: usize,
}

/// A patient the work-list could not evaluate: named, with the typed error's JSON form, never dropped silently.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PatientError {
    /// The patient's id (empty when a record that cannot be read does not say it).
    pub patient_id: String,
    /// The error, in its one JSON form (`kind`, `code`, `message`, `problems`).
    pub error: ErrorDocument,
}

/// How many actions, per rule, role and severity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorklistCounts {
    /// Per rule.
    pub by_rule: BTreeMap<RuleId, usize>,
    /// Per role.
    pub by_role: BTreeMap<Role, usize>,
    /// Per severity.
    pub by_severity: BTreeMap<Severity, usize>,
}

impl WorklistCounts {
    fn of<'a>(items: impl IntoIterator<Item = &'a WorklistItem>) -> WorklistCounts {
        let mut counts = WorklistCounts::default();
        for item in items {
            let a = &item.action;
            *counts.by_rule.entry(a.rule).or_default() += 1;
            *counts.by_role.entry(a.role).or_default() += 1;
            *counts.by_severity.entry(a.severity).or_default() += 1;
        }
        counts
    }
}

/// One role's share of the work-list, in the list's order: a view that borrows the list's items.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleGroup<'a> {
    /// Who acts.
    pub role: Role,
    /// Their items.
    pub items: Vec<&'a WorklistItem>,
}

impl RoleGroup<'_> {
    /// How many of the group's items there are, per rule, role and severity.
    pub fn counts(&self) -> WorklistCounts {
        WorklistCounts::of(self.items.iter().copied())
    }
}

/// One patient's assessment as the work-list holds it: the [`Assessment`] without its actions, which are the
/// list's `items` (each action once), and without the moment and zone, which are the list's own.
/// [`Worklist::assessment`] puts the whole assessment back together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PatientAssessment {
    /// The patient's id.
    pub patient_id: String,
    /// The protocol's id.
    pub protocol_id: String,
    /// The protocol's version.
    pub protocol_version: String,
    /// The protocol's fingerprint, also stamped on every action.
    pub protocol_fingerprint: String,
    /// Where the patient stands.
    pub pathway: PathwayStatus,
    /// Due dates and their state.
    pub schedule: Schedule,
    /// The CGM summary of the rule window, when readings were given.
    pub cgm: Option<Summary>,
    /// The "frequently < 70 or > 250" verdict with its evidence, when readings were given.
    pub frequently: Option<Frequently>,
    /// The CGM window against the one before it, when readings were given.
    pub change: Option<PeriodChange>,
    /// Actions quieted by an acknowledgement: shown, not to do (not among the list's items).
    pub acknowledged: Vec<AcknowledgedAction>,
    /// The ids of events recorded after the list's `evaluated_at`, which the assessment does not count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events_after_now: Vec<String>,
}

impl PatientAssessment {
    /// Splits an assessment into what the list keeps per patient and its actions.
    fn split(a: Assessment) -> (PatientAssessment, Vec<Action>) {
        // Destructured whole, so a new field of `Assessment` cannot be left out silently.
        let Assessment {
            patient_id,
            protocol_id,
            protocol_version,
            protocol_fingerprint,
            evaluated_at: _,
            today: _,
            time_zone: _,
            pathway,
            schedule,
            cgm,
            frequently,
            change,
            actions,
            acknowledged,
            events_after_now,
            // The work-list never asks for traces (it stays small).
            trace: _,
        } = a;
        let kept = PatientAssessment {
            patient_id,
            protocol_id,
            protocol_version,
            protocol_fingerprint,
            pathway,
            schedule,
            cgm,
            frequently,
            change,
            acknowledged,
            events_after_now,
        };
        (kept, actions)
    }
}

/// The panel triaged on one day.
///
/// `items` holds every action of every patient, each once, ordered by severity, then category (glucose safety,
/// care, administration), then due date, then patient id, then rule and item: the severity policy of
/// [`rules`](super), across the panel. `patients` (the headlines) and `assessments` (the rest of each
/// assessment) follow the input's order. A patient's actions are the items with their id, in the order their
/// assessment gives them ([`actions_of`](Worklist::actions_of)); [`assessment`](Worklist::assessment)
/// reassembles the whole [`Assessment`], equal to [`evaluate`](super::evaluate)'s. The same inputs give
/// byte-identical JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Worklist {
    /// The moment evaluated.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub evaluated_at: Timestamp,
    /// The clinic's date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub today: Date,
    /// The clinic's time zone.
    pub time_zone: String,
    /// Every action, safety first, each once.
    pub items: Vec<WorklistItem>,
    /// One headline per patient.
    pub patients: Vec<PatientHeadline>,
    /// Counts of `items`.
    pub counts: WorklistCounts,
    /// Patients that could not be evaluated, with why.
    pub errors: Vec<PatientError>,
    /// Every patient's assessment but its actions (in the order of `patients`, the errors left out).
    pub assessments: Vec<PatientAssessment>,
}

/// The work-list of `patients` at `now` in the clinic's `time_zone`.
///
/// A bad time zone is an error; a patient whose evaluation fails is listed in `errors` with the typed error,
/// and the others are still triaged.
///
/// ```
/// use pumppath::cgm::{Series, SeriesOptions};
/// use pumppath::demo;
/// use pumppath::glucose::Unit;
/// use pumppath::pathway::{Protocol, Role};
/// use pumppath::rules::{PatientInput, Severity, worklist};
///
/// // The clinic keeps its records and series; the panel borrows them.
/// let mut loaded = Vec::new();
/// for p in demo::cohort() {
///     let series = Series::from_readings(Unit::MgDl, p.readings(), &SeriesOptions::default())?;
///     loaded.push((p.record(Protocol::standard())?, series));
/// }
/// let panel: Vec<PatientInput<'_>> = loaded.iter().map(|(r, s)| PatientInput::new(r, Some(s))).collect();
/// let list = worklist(&panel, demo::DEMO_NOW.parse()?, demo::DEMO_TIME_ZONE)?;
/// assert_eq!(list.items[0].action.severity, Severity::Urgent);
/// let desk = list.for_role(Role::Provider);
/// assert!(desk.items.iter().all(|i| i.action.role == Role::Provider));
/// // One patient's whole assessment, its actions taken from the list.
/// let chloe = list.assessment("chloe").ok_or("chloe is on the list")?;
/// assert_eq!(chloe.actions.len(), list.actions_of("chloe").count());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn worklist(patients: &[PatientInput<'_>], now: Timestamp, time_zone: &str) -> Result<Worklist, Error> {
    let clock = ClinicClock::new(now, time_zone)?;
    let mut headlines = Vec::with_capacity(patients.len());
    let mut assessments = Vec::with_capacity(patients.len());
    let mut errors = Vec::new();
    let mut items = Vec::new();
    // Each patient's assessment, headline and items on every core; only the gathering below is serial.
    let assessed = crate::parallel::map(patients, |p| {
        assess(p.record, p.readings, p.targets, now, time_zone, false).map(|a| {
            let headline = headline(&a);
            // The actions move into the list; the patient keeps the rest.
            let (kept, actions) = PatientAssessment::split(a);
            let items: Vec<WorklistItem> = actions
                .into_iter()
                .map(|action| WorklistItem { patient_id: kept.patient_id.clone(), action })
                .collect();
            (headline, kept, items)
        })
    });
    for (p, assessed) in patients.iter().zip(assessed) {
        match assessed {
            Ok((headline, kept, patient_items)) => {
                headlines.push(headline);
                items.extend(patient_items);
                assessments.push(kept);
            }
            Err(e) => errors
                .push(PatientError { patient_id: p.record.patient_id().to_owned(), error: e.document() }),
        }
    }
    items.sort_by(|a, b| item_key(a).cmp(&item_key(b)));
    Ok(Worklist {
        evaluated_at: now,
        today: clock.today(),
        time_zone: clock.time_zone().to_owned(),
        counts: WorklistCounts::of(&items),
        items,
        patients: headlines,
        errors,
        assessments,
    })
}

impl Drop for Worklist {
    /// Frees the patients' assessments and the items on every core, as they were made: freed by one thread,
    /// 10,000 patients' took 13 % of the time of making them on one, and bounded the work-list's speed-up.
    fn drop(&mut self) {
        crate::parallel::free(std::mem::take(&mut self.assessments));
        crate::parallel::free(std::mem::take(&mut self.items));
    }
}

/// The order of the list: severity, category, due date, patient, rule, item.
fn item_key(i: &WorklistItem) -> (Severity, Category, Date, &str, &'static str, Option<&str>) {
    let a = &i.action;
    (a.severity, a.category, a.due, i.patient_id.as_str(), a.rule.as_str(), a.item.as_deref())
}

fn headline(a: &Assessment) -> PatientHeadline {
    let s = &a.schedule;
    let pending_specialist = s.specialist_visit.as_ref().filter(|v| v.window.state != DueState::Done);
    let next_visit = match (pending_specialist, &s.follow_up) {
        (Some(v), _) => Some(NextVisit {
            visit: VisitDue::SpecialistVisit,
            due: v.window.due,
            state: v.window.state,
            booked_for: v.booked_for,
        }),
        (None, Some(f)) => Some(NextVisit {
            visit: VisitDue::FollowUp,
            due: f.next.due,
            state: f.next.state,
            booked_for: f.booked_for,
        }),
        (None, None) => None,
    };
    PatientHeadline {
        patient_id: a.patient_id.clone(),
        current_phase: a.pathway.current_phase.clone(),
        pathway_complete: a.pathway.pathway_complete,
        next_visit,
        most_severe: a.actions.first().map(|x| Finding {
            rule: x.rule,
            severity: x.severity,
            role: x.role,
            due: x.due,
        }),
        actions: a.actions.len(),
        acknowledged: a.acknowledged.len(),
    }
}

impl Worklist {
    /// The list as one role sees it: its items, in the list's order, borrowed (the headlines and assessments
    /// stay on the list, so the desk can open any patient).
    pub fn for_role(&self, role: Role) -> RoleGroup<'_> {
        RoleGroup { role, items: self.items.iter().filter(|i| i.action.role == role).collect() }
    }

    /// The items grouped by role, each group in the list's order, the groups in the order of their first item
    /// (the desk with the most severe finding first).
    pub fn by_role(&self) -> Vec<RoleGroup<'_>> {
        let mut groups: Vec<RoleGroup<'_>> = Vec::new();
        for item in &self.items {
            match groups.iter_mut().find(|g| g.role == item.action.role) {
                Some(group) => group.items.push(item),
                None => groups.push(RoleGroup { role: item.action.role, items: vec![item] }),
            }
        }
        groups
    }

    /// One patient's actions, in the order of their assessment (the list's order, which sorts the patient
    /// after severity, category and due date, keeps each patient's own order).
    pub fn actions_of<'a>(&'a self, patient_id: &'a str) -> impl Iterator<Item = &'a Action> + 'a {
        self.items.iter().filter(move |i| i.patient_id == patient_id).map(|i| &i.action)
    }

    /// One patient's whole assessment, as [`evaluate`](super::evaluate) gives it for the same inputs: the list's
    /// part of it, its actions from the items and the list's moment and zone. `None` for a patient the list does
    /// not hold (or could not evaluate: see `errors`).
    pub fn assessment(&self, patient_id: &str) -> Option<Assessment> {
        let p = self.assessments.iter().find(|a| a.patient_id == patient_id)?.clone();
        Some(Assessment {
            patient_id: p.patient_id,
            protocol_id: p.protocol_id,
            protocol_version: p.protocol_version,
            protocol_fingerprint: p.protocol_fingerprint,
            evaluated_at: self.evaluated_at,
            today: self.today,
            time_zone: self.time_zone.clone(),
            pathway: p.pathway,
            schedule: p.schedule,
            cgm: p.cgm,
            frequently: p.frequently,
            change: p.change,
            actions: self.actions_of(patient_id).cloned().collect(),
            acknowledged: p.acknowledged,
            events_after_now: p.events_after_now,
            trace: None,
        })
    }

    /// The work-list as compact JSON; the same inputs always give the same bytes.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
