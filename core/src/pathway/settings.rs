//! The settings a protocol carries for the rules: targets, the "frequently" rule, and scheduling durations.

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

/// Which roles may record each event type (one field per wire type; `item_events` covers the six `item_*`
/// types). An event whose `actor` is not listed for its type is rejected
/// ([`EventError::ActorNotAllowed`](super::EventError::ActorNotAllowed)), so that a pump trainer cannot record
/// the specialist's visit and a patient cannot record an insurance decision. No list may be empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RecordingSettings {
    /// `insurance_submitted`: the clinic submits coverage. Default: clinic_staff.
    pub insurance_submitted: Vec<Role>,
    /// `insurance_decision`: the insurer's answer, or staff entering it. Default: insurer, clinic_staff.
    pub insurance_decision: Vec<Role>,
    /// `pump_chosen`: the patient chooses with the clinic. Default: patient, clinic_staff, provider.
    pub pump_chosen: Vec<Role>,
    /// `pump_ordered`: the supplier or the clinic. Default: supplier, clinic_staff, provider.
    pub pump_ordered: Vec<Role>,
    /// `pump_started`: whoever saw it happen, the certified trainer included. Default: patient, pump_trainer,
    /// clinic_staff, provider, specialist.
    pub pump_started: Vec<Role>,
    /// `pump_linked`: the patient uploads or links, or the clinic does. Default: patient, clinic_staff, provider,
    /// specialist.
    pub pump_linked: Vec<Role>,
    /// `visit_held`: the clinic's clinicians and staff (a visit may cover the specialist's topics, so not the
    /// pump trainer). Default: clinic_staff, provider, specialist.
    pub visit_held: Vec<Role>,
    /// `supplies_received`: the supplier, the patient who received them, or staff. Default: supplier, patient,
    /// clinic_staff.
    pub supplies_received: Vec<Role>,
    /// `correction`: the clinic repairs its log. Default: clinic_staff, provider, specialist.
    pub correction: Vec<Role>,
    /// `targets_set`: a patient's glucose targets are a prescriber's decision. Default: provider, specialist.
    pub targets_set: Vec<Role>,
    /// `cgm_use`: whether the patient wears a CGM. Default: patient, clinic_staff, provider, specialist.
    pub cgm_use: Vec<Role>,
    /// `action_acknowledged`: a clinician or staff member acted on an action. Default: clinic_staff, provider,
    /// specialist.
    pub action_acknowledged: Vec<Role>,
    /// The six item events (`item_started`, `item_scheduled`, `item_completed`, `item_waived`,
    /// `item_reopened`, `item_put_on_hold`): these roles, **plus the item's own role** for starting, scheduling
    /// and completing it (a patient completes `pump_options_learned`, a pump trainer `training_completed`, but a
    /// pump trainer cannot cover the specialist's topics, and only these roles waive, reopen or hold an item).
    /// Default: clinic_staff, provider, specialist.
    pub item_events: Vec<Role>,
}

impl Default for RecordingSettings {
    fn default() -> Self {
        use Role::{ClinicStaff, Insurer, Patient, Provider, PumpTrainer, Specialist, Supplier};
        RecordingSettings {
            insurance_submitted: vec![ClinicStaff],
            insurance_decision: vec![Insurer, ClinicStaff],
            pump_chosen: vec![Patient, ClinicStaff, Provider],
            pump_ordered: vec![Supplier, ClinicStaff, Provider],
            pump_started: vec![Patient, PumpTrainer, ClinicStaff, Provider, Specialist],
            pump_linked: vec![Patient, ClinicStaff, Provider, Specialist],
            visit_held: vec![ClinicStaff, Provider, Specialist],
            supplies_received: vec![Supplier, Patient, ClinicStaff],
            correction: vec![ClinicStaff, Provider, Specialist],
            targets_set: vec![Provider, Specialist],
            cgm_use: vec![Patient, ClinicStaff, Provider, Specialist],
            action_acknowledged: vec![ClinicStaff, Provider, Specialist],
            item_events: vec![ClinicStaff, Provider, Specialist],
        }
    }
}

impl RecordingSettings {
    /// The roles that may record an event of type `t` (the six `item_*` types share `item_events`).
    pub fn roles_for(&self, t: EventType) -> &[Role] {
        use EventType as T;
        match t {
            T::ItemStarted
            | T::ItemScheduled
            | T::ItemCompleted
            | T::ItemWaived
            | T::ItemReopened
            | T::ItemPutOnHold => &self.item_events,
            T::InsuranceSubmitted => &self.insurance_submitted,
            T::InsuranceDecision => &self.insurance_decision,
            T::PumpChosen => &self.pump_chosen,
            T::PumpOrdered => &self.pump_ordered,
            T::PumpStarted => &self.pump_started,
            T::PumpLinked => &self.pump_linked,
            T::VisitHeld => &self.visit_held,
            T::SuppliesReceived => &self.supplies_received,
            T::Correction => &self.correction,
            T::TargetsSet => &self.targets_set,
            T::CgmUse => &self.cgm_use,
            T::ActionAcknowledged => &self.action_acknowledged,
        }
    }

    /// Every list with its field name (the event type's wire name, `item_events` for the `item_*` types), for
    /// validation and messages.
    pub fn lists(&self) -> Vec<(&'static str, &[Role])> {
        let mut out: Vec<(&'static str, &[Role])> = Vec::new();
        for t in EventType::ALL {
            let name = if t.as_str().starts_with("item_") { "item_events" } else { t.as_str() };
            if out.iter().all(|(n, _)| *n != name) {
                out.push((name, self.roles_for(t)));
            }
        }
        out
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

impl Settings {
    /// Problems with the settings, each with its JSON path below `$.settings`.
    pub(crate) fn problems(&self) -> Vec<Problem> {
        let (f, s) = (&self.frequently, &self.schedule);
        // (path, value, largest allowed): every count and duration is at least 1.
        let bounded: [(&str, u32, u32); 19] = [
            ("frequently.window_days", f.window_days, 366),
            ("frequently.episode_window_days", f.episode_window_days, 366),
            ("frequently.min_hypo_level_1_episodes", f.min_hypo_level_1_episodes, 1000),
            ("frequently.min_hyper_level_2_episodes", f.min_hyper_level_2_episodes, 1000),
            ("frequently.min_hypo_level_2_episodes", f.min_hypo_level_2_episodes, 1000),
            ("frequently.min_extended_hypo_episodes", f.min_extended_hypo_episodes, 1000),
            ("frequently.data_stopped_days", f.data_stopped_days, 366),
            ("frequently.max_data_lag_hours", f.max_data_lag_hours, 24 * 14),
            ("schedule.specialist_visit_due_days", s.specialist_visit_due_days, 366),
            ("schedule.specialist_visit_overdue_days", s.specialist_visit_overdue_days, 366),
            ("schedule.follow_up_interval_months", s.follow_up_interval_months, 24),
            ("schedule.follow_up_due_soon_days", s.follow_up_due_soon_days, 366),
            ("schedule.follow_up_grace_days", s.follow_up_grace_days, 366),
            ("schedule.insurance_check_in_days", s.insurance_check_in_days, 366),
            ("schedule.insurance_check_in_window_days", s.insurance_check_in_window_days, 366),
            ("schedule.first_weeks_days", s.first_weeks_days, 366),
            ("schedule.supplies_batch_max_days", s.supplies_batch_max_days, 366),
            ("schedule.supplies_reorder_lead_days", s.supplies_reorder_lead_days, 366),
            ("schedule.supplies_due_soon_days", s.supplies_due_soon_days, 366),
        ];
        let c = &self.change;
        let thresholds = [
            ("change.tir_drop_points", c.tir_drop_points),
            ("change.mean_rise_mg_dl", c.mean_rise_mg_dl),
            ("change.mean_rise_mmol_l", c.mean_rise_mmol_l),
            ("change.below_70_rise_points", c.below_70_rise_points),
        ];
        let change_problems = thresholds
            .into_iter()
            .filter(|(_, v)| !(v.is_finite() && (0.0..=100.0).contains(v)))
            .map(|(path, v)| {
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
        if i64::from(f.window_days) < crate::cgm::MIN_DAYS {
            out.push(Problem::new(
                "frequently.window_days",
                ProblemCode::OutOfRange,
                format!(
                    "must be at least {} (the consensus needs 14 days for the percent tests), got {}",
                    crate::cgm::MIN_DAYS,
                    f.window_days
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
                "schedule.specialist_visit_overdue_days",
                ProblemCode::Inconsistent,
                format!(
                    "must be at least schedule.specialist_visit_due_days ({}), got {}",
                    s.specialist_visit_due_days, s.specialist_visit_overdue_days
                ),
            ));
        }
        if s.insurance_check_in_window_days >= s.insurance_check_in_days {
            out.push(Problem::new(
                "schedule.insurance_check_in_window_days",
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
                "schedule.supplies_due_soon_days",
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
                "schedule.supplies_reorder_lead_days",
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
