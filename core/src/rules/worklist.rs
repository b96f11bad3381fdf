//! The clinic's work-list: a whole panel triaged. Every patient's assessment, and one list of all their actions
//! in the order of the severity policy (safety first), then due date, then patient; a headline per patient;
//! counts per rule, role and severity; and a filter by role ("what is on the provider's desk").

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Action, Assessment, Category, RuleId, Severity, assess};
use crate::Error;
use crate::cgm::Series;
use crate::error::ErrorDocument;
use crate::glucose::Targets;
use crate::pathway::{Record, Role};
use crate::schedule::{ClinicClock, DueState};
use crate::wire::wire_enum;

/// One patient of the panel: the record (which carries its protocol), the readings (any unit, any span) and,
/// optionally, targets that override the record's and the protocol's.
#[derive(Clone, Debug)]
pub struct PatientInput {
    /// The patient's record.
    pub record: Record,
    /// The patient's CGM readings, when there are any.
    pub readings: Option<Series>,
    /// Targets for this patient, over the record's own (`targets_set`) and the protocol's.
    pub targets: Option<Targets>,
}

impl PatientInput {
    /// A patient with a record and, optionally, readings.
    pub fn new(record: Record, readings: Option<Series>) -> PatientInput {
        PatientInput { record, readings, targets: None }
    }
}

/// One line of the work-list: an action and whose it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// The most severe finding of a patient, in one line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// The message.
    pub message: String,
}

/// A patient's headline: where they stand and what matters most.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
pub struct PatientError {
    /// The patient's id (empty when a record that cannot be read does not say it).
    pub patient_id: String,
    /// The error, in its one JSON form (`kind`, `code`, `message`, `problems`, beside `patient_id`).
    #[serde(flatten)]
    pub error: ErrorDocument,
}

/// How many actions, per rule, role and severity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// One role's share of the work-list, in the list's order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoleGroup {
    /// Who acts.
    pub role: Role,
    /// Their items.
    pub items: Vec<WorklistItem>,
}

/// The panel triaged on one day.
///
/// `items` holds every action of every patient, ordered by severity, then category (glucose safety, care,
/// administration), then due date, then patient id, then rule and item: the severity policy of
/// [`rules`](super), across the panel. `patients` and `assessments` follow the input's order. The same inputs
/// give byte-identical JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Worklist {
    /// The moment evaluated.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::Instant"))]
    pub evaluated_at: Timestamp,
    /// The clinic's date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema::LocalDate"))]
    pub today: Date,
    /// The clinic's time zone.
    pub time_zone: String,
    /// The role the list is filtered to, when it is.
    pub role: Option<Role>,
    /// Every action, safety first.
    pub items: Vec<WorklistItem>,
    /// One headline per patient.
    pub patients: Vec<PatientHeadline>,
    /// Counts of `items`.
    pub counts: WorklistCounts,
    /// Patients that could not be evaluated, with why.
    pub errors: Vec<PatientError>,
    /// Every patient's assessment (in the order of `patients`, the errors left out).
    pub assessments: Vec<Assessment>,
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
/// let patients: Vec<PatientInput> = demo::cohort()
///     .iter()
///     .map(|p| {
///         let record = p.record(Protocol::standard()).unwrap();
///         let series = Series::from_readings(Unit::MgDl, p.readings(), &SeriesOptions::default()).unwrap();
///         PatientInput::new(record, Some(series))
///     })
///     .collect();
/// let list = worklist(&patients, demo::DEMO_NOW.parse()?, demo::DEMO_TIME_ZONE)?;
/// assert_eq!(list.items[0].action.severity, Severity::Urgent);
/// let desk = list.for_role(Role::Provider);
/// assert!(desk.items.iter().all(|i| i.action.role == Role::Provider));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn worklist(patients: &[PatientInput], now: Timestamp, time_zone: &str) -> Result<Worklist, Error> {
    let clock = ClinicClock::new(now, time_zone)?;
    let mut headlines = Vec::with_capacity(patients.len());
    let mut assessments = Vec::with_capacity(patients.len());
    let mut errors = Vec::new();
    let mut items = Vec::new();
    for p in patients {
        match assess(&p.record, p.readings.as_ref(), p.targets.as_ref(), now, time_zone) {
            Ok(a) => {
                headlines.push(headline(&a));
                items.extend(
                    a.actions.iter().map(|action| WorklistItem {
                        patient_id: a.patient_id.clone(),
                        action: action.clone(),
                    }),
                );
                assessments.push(a);
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
        role: None,
        counts: WorklistCounts::of(&items),
        items,
        patients: headlines,
        errors,
        assessments,
    })
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
            message: x.message.clone(),
        }),
        actions: a.actions.len(),
        acknowledged: a.acknowledged.len(),
    }
}

impl Worklist {
    /// The list as one role sees it: its items and counts only (headlines and assessments stay whole, so the
    /// desk can open any patient).
    pub fn for_role(&self, role: Role) -> Worklist {
        let items: Vec<WorklistItem> = self.items.iter().filter(|i| i.action.role == role).cloned().collect();
        Worklist { role: Some(role), counts: WorklistCounts::of(&items), items, ..self.clone() }
    }

    /// The items grouped by role, each group in the list's order, the groups in the order of their first item
    /// (the desk with the most severe finding first).
    pub fn by_role(&self) -> Vec<RoleGroup> {
        let mut groups: Vec<RoleGroup> = Vec::new();
        for item in &self.items {
            match groups.iter_mut().find(|g| g.role == item.action.role) {
                Some(group) => group.items.push(item.clone()),
                None => groups.push(RoleGroup { role: item.action.role, items: vec![item.clone()] }),
            }
        }
        groups
    }

    /// The work-list as compact JSON; the same inputs always give the same bytes.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
