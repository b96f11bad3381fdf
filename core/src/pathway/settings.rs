//! The settings a protocol carries for the rules: targets, the "frequently" rule, and scheduling durations.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{EventType, Role};
pub use crate::cgm::FrequentlySettings;
use crate::glucose::Targets;
use crate::problem::{Problem, ProblemCode};

/// Settings of a protocol. Every field has a documented default, so a clinic's protocol may omit any of them;
/// they are part of the protocol's fingerprint either way (the fingerprint covers the defaults filled in).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The glucose targets the rules judge against (default: the `standard` consensus preset).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub targets: Targets,
    /// When glucose counts as "frequently" low or high (handout: post_pump_care.1).
    #[serde(default)]
    pub frequently: FrequentlySettings,
    /// Due dates and reminder windows.
    #[serde(default)]
    pub schedule: ScheduleSettings,
    /// Which roles may record which event types: an event whose `actor` is not listed is rejected.
    #[serde(default)]
    pub recording: RecordingSettings,
    /// How much worse than the patient's own prior 14 days is "worsening" (the `worsening` rule).
    #[serde(default)]
    pub change: ChangeSettings,
}

/// The thresholds of the `worsening` rule: the current 14-day window against the 14 days before it, both
/// sufficient by the consensus. Defaults follow what the consensus calls clinically meaningful: a 5-point
/// change in time in range (about 70 minutes a day; Battelino et al. 2019), and for mean glucose and time
/// below 70 the smallest changes a clinic acts on (10 mg/dL, 1 point).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ChangeSettings {
    /// Time in range (70–180 mg/dL) down by more than this many percentage points. Default 5.
    pub tir_drop_points: f64,
    /// Mean glucose up by more than this many mg/dL (mg/dL series). Default 10.
    pub mean_rise_mg_dl: f64,
    /// Mean glucose up by more than this many mmol/L (mmol/L series). Default 0.6.
    pub mean_rise_mmol_l: f64,
    /// Time below 70 mg/dL up by more than this many percentage points. Default 1.
    pub below_70_rise_points: f64,
}

impl Default for ChangeSettings {
    fn default() -> Self {
        ChangeSettings {
            tir_drop_points: 5.0,
            mean_rise_mg_dl: 10.0,
            mean_rise_mmol_l: 0.6,
            below_70_rise_points: 1.0,
        }
    }
}

/// Which roles may record each event type: one list per [`EventType`], keyed by its wire name
/// (`{"insurance_decision": ["insurer", "clinic_staff"], ...}`). An event whose `actor` is not listed for its
/// type is rejected ([`EventError::ActorNotAllowed`](super::EventError::ActorNotAllowed)), so that a pump
/// trainer cannot record the specialist's visit and a patient cannot record an insurance decision. No list may
/// be empty. A protocol lists the types it changes; the others keep their defaults
/// ([`RecordingSettings::default_roles`]).
///
/// The item events (`item_started`, `item_scheduled`, `item_completed`, `item_waived`, `item_reopened`,
/// `item_put_on_hold`) also accept **the item's own role** for starting, scheduling and completing it (a
/// patient completes `pump_options_learned`, a pump trainer `training_completed`); only the listed roles waive,
/// reopen or hold an item.
///
/// ```
/// use pumppath::pathway::{EventType, RecordingSettings, Role};
///
/// let settings: RecordingSettings = serde_json::from_str(r#"{"pump_ordered": ["supplier"]}"#)?;
/// assert_eq!(settings.roles_for(EventType::PumpOrdered), [Role::Supplier]);
/// assert_eq!(settings.roles_for(EventType::InsuranceDecision), [Role::Insurer, Role::ClinicStaff]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct RecordingSettings {
    roles: BTreeMap<EventType, Vec<Role>>,
}

impl RecordingSettings {
    /// The roles that may record an event of type `t` unless a protocol says otherwise. An exhaustive match,
    /// so a new event type cannot be left without its roles.
    pub const fn default_roles(t: EventType) -> &'static [Role] {
        use EventType as T;
        use Role::{ClinicStaff, Insurer, Patient, Provider, PumpTrainer, Specialist, Supplier};
        match t {
            // The clinic's clinicians and staff; the item's own role is added for its own work.
            T::ItemStarted
            | T::ItemScheduled
            | T::ItemCompleted
            | T::ItemWaived
            | T::ItemReopened
            | T::ItemPutOnHold => &[ClinicStaff, Provider, Specialist],
            // The clinic submits coverage.
            T::InsuranceSubmitted => &[ClinicStaff],
            // The insurer's answer, or staff entering it.
            T::InsuranceDecision => &[Insurer, ClinicStaff],
            // The patient chooses with the clinic.
            T::PumpChosen => &[Patient, ClinicStaff, Provider],
            // The supplier or the clinic.
            T::PumpOrdered => &[Supplier, ClinicStaff, Provider],
            // Whoever saw it happen, the certified trainer included.
            T::PumpStarted => &[Patient, PumpTrainer, ClinicStaff, Provider, Specialist],
            // The patient uploads or links, or the clinic does.
            T::PumpLinked => &[Patient, ClinicStaff, Provider, Specialist],
            // A visit may cover the specialist's topics, so not the pump trainer.
            T::VisitHeld => &[ClinicStaff, Provider, Specialist],
            // The supplier, the patient who received them, or staff.
            T::SuppliesReceived => &[Supplier, Patient, ClinicStaff],
            // The clinic repairs its log.
            T::Correction => &[ClinicStaff, Provider, Specialist],
            // A patient's glucose targets are a prescriber's decision.
            T::TargetsSet => &[Provider, Specialist],
            // Whether the patient wears a CGM.
            T::CgmUse => &[Patient, ClinicStaff, Provider, Specialist],
            // A clinician or staff member acted on an action.
            T::ActionAcknowledged => &[ClinicStaff, Provider, Specialist],
        }
    }

    /// The roles that may record an event of type `t` (for item events, the item's own role is added by the
    /// guards for its own work).
    pub fn roles_for(&self, t: EventType) -> &[Role] {
        self.roles.get(&t).map_or(RecordingSettings::default_roles(t), Vec::as_slice)
    }

    /// Sets the roles that may record events of type `t`.
    pub fn set(&mut self, t: EventType, roles: Vec<Role>) {
        self.roles.insert(t, roles);
    }

    /// Every event type with its roles, in [`EventType`] order.
    pub fn lists(&self) -> impl Iterator<Item = (EventType, &[Role])> + '_ {
        EventType::ALL.into_iter().map(|t| (t, self.roles_for(t)))
    }
}

impl Default for RecordingSettings {
    fn default() -> Self {
        let roles =
            EventType::ALL.into_iter().map(|t| (t, RecordingSettings::default_roles(t).to_vec())).collect();
        RecordingSettings { roles }
    }
}

/// The types a protocol lists, over the defaults of the others.
impl<'de> Deserialize<'de> for RecordingSettings {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let given = BTreeMap::<String, Vec<Role>>::deserialize(deserializer)?;
        let mut settings = RecordingSettings::default();
        for (name, roles) in given {
            // A key that is no event type is an unknown field (a typo must not drop a restriction).
            let t = name
                .parse::<EventType>()
                .map_err(|_| serde::de::Error::unknown_field(&name, &EventType::NAMES))?;
            settings.roles.insert(t, roles);
        }
        Ok(settings)
    }
}

/// Durations of the schedule, in days unless named otherwise, each with its source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleSettings {
    /// The specialist visit "shortly after starting the pump" is due this many days after the start; ADCES
    /// guidance is follow-up within about a week. Default 7.
    pub specialist_visit_due_days: u32,
    /// ... and overdue this many days after the start. Default 14.
    pub specialist_visit_overdue_days: u32,
    /// Follow-up with the diabetes team every this many calendar months (handout: post_pump_care.s1). Default 3.
    pub follow_up_interval_months: u32,
    /// A follow-up is "due soon" this many days before its due date. Default 14.
    pub follow_up_due_soon_days: u32,
    /// A follow-up is "due" (not yet overdue) until this many days after its due date. Default 14.
    pub follow_up_grace_days: u32,
    /// Check in with the insurer when coverage is still pending this many days after submission; approval "may
    /// take several weeks" (handout: pre_pump.1). Default 21.
    pub insurance_check_in_days: u32,
    /// The check-in is due soon this many days before, and overdue this many days after, its date. Default 7.
    pub insurance_check_in_window_days: u32,
    /// The "first few weeks" on the pump, when settings are reviewed and may change and the pump must be
    /// linked (handout: understanding_the_pump.s4, s5). Default 28.
    pub first_weeks_days: u32,
    /// The longest supply batch, in days: supplies come in batches of up to 3 months, which is up to 92 days.
    /// Default 92.
    pub supplies_batch_max_days: u32,
    /// Remind to reorder this many days before the last batch runs out. Default 14.
    pub supplies_reorder_lead_days: u32,
    /// The reorder is due soon this many days before the reorder date. Default 7.
    pub supplies_due_soon_days: u32,
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            specialist_visit_due_days: 7,
            specialist_visit_overdue_days: 14,
            follow_up_interval_months: 3,
            follow_up_due_soon_days: 14,
            follow_up_grace_days: 14,
            insurance_check_in_days: 21,
            insurance_check_in_window_days: 7,
            first_weeks_days: 28,
            supplies_batch_max_days: 92,
            supplies_reorder_lead_days: 14,
            supplies_due_soon_days: 7,
        }
    }
}

/// `(path, value, bound)` of a settings field, the path written from the field's own name.
macro_rules! field {
    ($settings:ident, $group:ident . $field:ident, $bound:expr) => {
        (concat!(stringify!($group), ".", stringify!($field)), $settings.$group.$field, $bound)
    };
}

/// The JSON path below `$.settings` of a settings field, from its name (the compiler checks the field).
macro_rules! path {
    ($settings:ident, $group:ident . $field:ident) => {{
        let _ = &$settings.$group.$field;
        concat!(stringify!($group), ".", stringify!($field))
    }};
}

impl Settings {
    /// Problems with the settings, each with its JSON path below `$.settings`.
    pub(crate) fn problems(&self) -> Vec<Problem> {
        let s = &self.schedule;
        // (path, value, largest allowed): every count and duration is at least 1. Paths are written from the
        // fields' own names (the settings' wire names are their Rust names), so they cannot drift.
        let bounded = [
            field!(self, frequently.window_days, 366),
            field!(self, frequently.episode_window_days, 366),
            field!(self, frequently.min_hypo_level_1_episodes, 1000),
            field!(self, frequently.min_hyper_level_2_episodes, 1000),
            field!(self, frequently.min_hypo_level_2_episodes, 1000),
            field!(self, frequently.min_extended_hypo_episodes, 1000),
            field!(self, frequently.data_stopped_days, 366),
            field!(self, frequently.max_data_lag_hours, 24 * 14),
            field!(self, schedule.specialist_visit_due_days, 366),
            field!(self, schedule.specialist_visit_overdue_days, 366),
            field!(self, schedule.follow_up_interval_months, 24),
            field!(self, schedule.follow_up_due_soon_days, 366),
            field!(self, schedule.follow_up_grace_days, 366),
            field!(self, schedule.insurance_check_in_days, 366),
            field!(self, schedule.insurance_check_in_window_days, 366),
            field!(self, schedule.first_weeks_days, 366),
            field!(self, schedule.supplies_batch_max_days, 366),
            field!(self, schedule.supplies_reorder_lead_days, 366),
            field!(self, schedule.supplies_due_soon_days, 366),
        ];
        let thresholds = [
            field!(self, change.tir_drop_points, ()),
            field!(self, change.mean_rise_mg_dl, ()),
            field!(self, change.mean_rise_mmol_l, ()),
            field!(self, change.below_70_rise_points, ()),
        ];
        let change_problems = thresholds
            .into_iter()
            .filter(|(_, v, ())| !(v.is_finite() && (0.0..=100.0).contains(v)))
            .map(|(path, v, ())| {
                Problem::new(
                    path,
                    ProblemCode::OutOfRange,
                    format!("must be a number between 0 and 100, got {v}"),
                )
                .with_value(v)
            });
        let mut out: Vec<Problem> = bounded
            .iter()
            .filter(|(_, value, max)| *value == 0 || value > max)
            .map(|(path, value, max)| {
                Problem::new(
                    *path,
                    ProblemCode::OutOfRange,
                    format!("must be between 1 and {max}, got {value}"),
                )
                .with_value(*value)
            })
            .collect();
        out.extend(change_problems);
        if i64::from(self.frequently.window_days) < crate::cgm::MIN_DAYS {
            out.push(Problem::new(
                path!(self, frequently.window_days),
                ProblemCode::OutOfRange,
                format!(
                    "must be at least {} (the consensus needs 14 days for the percent tests), got {}",
                    crate::cgm::MIN_DAYS,
                    self.frequently.window_days
                ),
            ));
        }
        for (name, roles) in self.recording.lists() {
            if roles.is_empty() {
                out.push(Problem::new(
                    format!("recording.{name}"),
                    ProblemCode::Empty,
                    "must list at least one role",
                ));
            }
            for (k, role) in roles.iter().enumerate() {
                if roles[..k].contains(role) {
                    out.push(
                        Problem::new(
                            format!("recording.{name}[{k}]"),
                            ProblemCode::DuplicateRole,
                            format!("{role} is listed twice"),
                        )
                        .with_value(role.as_str()),
                    );
                }
            }
        }
        if s.specialist_visit_overdue_days < s.specialist_visit_due_days {
            out.push(Problem::new(
                path!(self, schedule.specialist_visit_overdue_days),
                ProblemCode::Inconsistent,
                format!(
                    "must be at least schedule.specialist_visit_due_days ({}), got {}",
                    s.specialist_visit_due_days, s.specialist_visit_overdue_days
                ),
            ));
        }
        if s.insurance_check_in_window_days >= s.insurance_check_in_days {
            out.push(Problem::new(
                path!(self, schedule.insurance_check_in_window_days),
                ProblemCode::Inconsistent,
                format!(
                    "must be less than schedule.insurance_check_in_days ({}), got {}",
                    s.insurance_check_in_days, s.insurance_check_in_window_days
                ),
            ));
        }
        // In u64: either may be u32::MAX in a hostile protocol.
        if u64::from(s.supplies_reorder_lead_days) + u64::from(s.supplies_due_soon_days)
            >= u64::from(s.supplies_batch_max_days)
        {
            out.push(Problem::new(
                path!(self, schedule.supplies_due_soon_days),
                ProblemCode::Inconsistent,
                format!(
                    "with schedule.supplies_reorder_lead_days ({}) must be less than schedule.supplies_batch_max_days \
                     ({}), got {}",
                    s.supplies_reorder_lead_days, s.supplies_batch_max_days, s.supplies_due_soon_days
                ),
            ));
        }
        if s.supplies_reorder_lead_days >= s.supplies_batch_max_days {
            out.push(Problem::new(
                path!(self, schedule.supplies_reorder_lead_days),
                ProblemCode::Inconsistent,
                format!(
                    "must be less than schedule.supplies_batch_max_days ({}), got {}",
                    s.supplies_batch_max_days, s.supplies_reorder_lead_days
                ),
            ));
        }
        out
    }
}
