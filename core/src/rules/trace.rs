//! Why, and why not: one entry per rule of the catalogue for one patient, fired or not, with the values the
//! rule looked at and the thresholds it compared them to, and a sentence a provider reads.
//!
//! The trace is built beside the actions from the same inputs: a rule that fired is `fired` (or
//! `acknowledged`) because its action is on the list; a rule that did not fire says why from the inputs its
//! code reads (the "frequently" evidence, the summary, the schedule's windows, the record). Every rule of
//! [`RuleId::ALL`] has exactly one entry, in that order.

use serde::{Deserialize, Serialize};

use super::catalogue::{self, Inputs};
use super::evidence::WindowEvidence;
use super::{AcknowledgedAction, Action, ChangeVerdict, RuleId};
use crate::cgm::{Direction, FrequencyTest, InsufficientReason};
use crate::pathway::{InsuranceDecision, Milestone};
use crate::schedule::{DueState, Window};
use crate::wire::wire_enum;

wire_enum! {
    /// What a rule came to for the patient.
    pub enum Outcome {
        /// It fired: its action is on the list.
        Fired => "fired",
        /// It was checked and there is nothing to do.
        Quiet => "quiet",
        /// It fired, and a clinician's acknowledgement quiets it for now.
        Acknowledged => "acknowledged",
        /// It does not apply to this patient now (no pump yet, no CGM, not this phase).
        NotApplicable => "not_applicable",
        /// The data are too few, too old or too new to judge.
        InsufficientData => "insufficient_data",
    }
}

wire_enum! {
    /// Why a rule came to its [`Outcome`]: a stable code, each belonging to one outcome
    /// ([`TraceReason::outcome`]).
    pub enum TraceReason {
        /// Fired (`fired`).
        Fired => "fired",
        /// Fired and acknowledged (`acknowledged`).
        Acknowledged => "acknowledged",
        /// No CGM readings were given (`not_applicable`).
        NoReadings => "no_readings",
        /// The record says the patient wears no CGM (`not_applicable`).
        NoCgm => "no_cgm",
        /// The patient wears a CGM, or readings came (`not_applicable`: nothing to tell).
        CgmInUse => "cgm_in_use",
        /// The pump has not started (`not_applicable`).
        NoPumpYet => "no_pump_yet",
        /// The first weeks on the pump are over, or not begun (`not_applicable`).
        NotInFirstWeeks => "not_in_first_weeks",
        /// Coverage was never submitted (`not_applicable`).
        NotSubmitted => "not_submitted",
        /// The specialist visit is not held yet (`not_applicable`: its action lists what it must cover).
        VisitNotHeld => "visit_not_held",
        /// No supplies batch on record (`not_applicable`).
        NoSuppliesOnRecord => "no_supplies_on_record",
        /// The protocol has no item for this rule's milestone (`not_applicable`).
        NotInProtocol => "not_in_protocol",
        /// Too few days or too little wear to judge the percents (`insufficient_data`).
        TooLittleData => "too_little_data",
        /// The data end too long before now (`insufficient_data`).
        StaleData => "stale_data",
        /// Fewer days on the pump than the window: the window waits for the pump's own data
        /// (`insufficient_data`).
        WaitingForPumpData => "waiting_for_pump_data",
        /// The period before the window is too sparse to compare with (`insufficient_data`).
        NoPriorData => "no_prior_data",
        /// Every goal met on sufficient data (`quiet`).
        GoalsMet => "goals_met",
        /// No clinically significant hypo episode (`quiet`).
        NoSignificantEpisodes => "no_significant_episodes",
        /// `frequent_lows` fired and speaks for the episodes (`quiet`).
        FrequentLowsSpeak => "frequent_lows_speak",
        /// Enough CGM data (`quiet`).
        EnoughData => "enough_data",
        /// `cgm_data_stopped` speaks for the missing data (`quiet`).
        DataStoppedSpeaks => "data_stopped_speaks",
        /// Readings keep coming (`quiet`).
        DataFlowing => "data_flowing",
        /// Not worse than the patient's own prior period (`quiet`).
        NotWorse => "not_worse",
        /// The window has not opened (`quiet`).
        NotDueYet => "not_due_yet",
        /// Booked within the window (`quiet`).
        BookedInTime => "booked_in_time",
        /// Done: held, linked, reviewed, approved or settled (`quiet`).
        Done => "done",
        /// Due but not overdue: the `_due` rule speaks (`quiet`).
        NotOverdue => "not_overdue",
        /// Overdue: the `_overdue` rule speaks (`quiet`).
        OverdueSpeaks => "overdue_speaks",
        /// A denial stands: `insurance_denied` speaks (`quiet`).
        DeniedSpeaks => "denied_speaks",
        /// No denial on record (`quiet`).
        NotDenied => "not_denied",
        /// The back-up plan and every topic are covered (`quiet`).
        AllCovered => "all_covered",
        /// Every step before an item completed by its own event is on record (`quiet`).
        StepsOnRecord => "steps_on_record",
        /// No next step of the current phase that another rule does not speak for (`quiet`).
        NoNextStep => "no_next_step",
    }
}

impl TraceReason {
    /// The outcome this reason belongs to.
    pub const fn outcome(self) -> Outcome {
        use TraceReason as R;
        match self {
            R::Fired => Outcome::Fired,
            R::Acknowledged => Outcome::Acknowledged,
            R::NoReadings
            | R::NoCgm
            | R::CgmInUse
            | R::NoPumpYet
            | R::NotInFirstWeeks
            | R::NotSubmitted
            | R::VisitNotHeld
            | R::NoSuppliesOnRecord
            | R::NotInProtocol => Outcome::NotApplicable,
            R::TooLittleData | R::StaleData | R::WaitingForPumpData | R::NoPriorData => {
                Outcome::InsufficientData
            }
            R::GoalsMet
            | R::NoSignificantEpisodes
            | R::FrequentLowsSpeak
            | R::EnoughData
            | R::DataStoppedSpeaks
            | R::DataFlowing
            | R::NotWorse
            | R::NotDueYet
            | R::BookedInTime
            | R::Done
            | R::NotOverdue
            | R::OverdueSpeaks
            | R::DeniedSpeaks
            | R::NotDenied
            | R::AllCovered
            | R::StepsOnRecord
            | R::NoNextStep => Outcome::Quiet,
        }
    }
}

/// One value a rule looked at, beside the threshold it compared it to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TraceCheck {
    /// What was measured: a "frequently" test (`percent_below_range`, `hypo_level_2_episodes`, ...), a change
    /// (`time_in_range_change`, `mean_change`, `time_below_70_change`), `days_of_data`, `active_percent`,
    /// `days_without_data` or `significant_hypo_episodes`.
    pub measure: String,
    /// The value found.
    pub value: f64,
    /// The threshold it is compared with.
    pub threshold: f64,
    /// The unit of both: `%`, `episodes`, `days`, `points`, `mg/dL`, `mmol/L`.
    pub unit: String,
    /// The days the value was measured over, when it was measured over a window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_days: Option<u32>,
    /// Whether the value is on the firing side of the threshold.
    pub crossed: bool,
    /// Whether the check counts for the rule (false: the percent tests on sparse data, the sparse-data
    /// episode tests on sufficient data).
    pub applied: bool,
}

/// One rule's entry in the trace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TraceEntry {
    /// The rule.
    pub rule: RuleId,
    /// What it came to.
    pub outcome: Outcome,
    /// Why.
    pub reason: TraceReason,
    /// The values it looked at, each with its threshold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<TraceCheck>,
    /// The window of a dated rule (visits, first weeks, insurance, supplies), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowEvidence>,
    /// The handout passage behind the rule.
    pub source: String,
    /// What the entry says, in one sentence a provider reads.
    pub sentence: String,
}

impl TraceEntry {
    fn new(rule: RuleId, reason: TraceReason, sentence: String) -> TraceEntry {
        TraceEntry {
            rule,
            outcome: reason.outcome(),
            reason,
            checks: Vec::new(),
            window: None,
            source: rule.spec().source.to_owned(),
            sentence,
        }
    }

    fn checks(mut self, checks: Vec<TraceCheck>) -> TraceEntry {
        self.checks = checks;
        self
    }

    fn window(mut self, window: &Window) -> TraceEntry {
        self.window = Some(window.into());
        self
    }
}

/// The trace of every rule, in [`RuleId::ALL`] order.
pub(crate) fn trace(
    i: &Inputs<'_>,
    actions: &[Action],
    acknowledged: &[AcknowledgedAction],
) -> Vec<TraceEntry> {
    RuleId::ALL.iter().map(|&rule| entry(i, rule, actions, acknowledged)).collect()
}

fn entry(
    i: &Inputs<'_>,
    rule: RuleId,
    actions: &[Action],
    acknowledged: &[AcknowledgedAction],
) -> TraceEntry {
    let fired: Vec<&Action> = actions.iter().filter(|a| a.rule == rule).collect();
    let quiet: Vec<&AcknowledgedAction> = acknowledged.iter().filter(|a| a.action.rule == rule).collect();
    let not_fired = why_not(i, rule);
    // The checks and window are the inputs' whatever the outcome, so a fired entry shows them too.
    let (checks, window) = (not_fired.checks.clone(), not_fired.window.clone());
    let entry = if let Some(first) = fired.first() {
        let more = if fired.len() > 1 { format!(" (and {} more)", fired.len() - 1) } else { String::new() };
        TraceEntry::new(rule, TraceReason::Fired, format!("Fired: {}{more}", first.message))
    } else if let Some(first) = quiet.first() {
        TraceEntry::new(
            rule,
            TraceReason::Acknowledged,
            format!(
                "Fired, acknowledged by the {} until {}: {}",
                first.acknowledged_by.as_str().replace('_', " "),
                first.quiet_until,
                first.action.message
            ),
        )
    } else {
        return not_fired;
    };
    TraceEntry { checks, window, ..entry }
}

/// A rule that did not fire, and why, from the inputs its code reads.
fn why_not(i: &Inputs<'_>, rule: RuleId) -> TraceEntry {
    use RuleId as R;
    use TraceReason as T;
    let e = |reason: TraceReason, sentence: &str| TraceEntry::new(rule, reason, sentence.to_owned());
    let no_cgm = i.record.dates().wears_cgm == Some(false);
    match rule {
        R::FrequentLows | R::FrequentHighs => {
            let direction = if rule == R::FrequentLows { Direction::Low } else { Direction::High };
            let word = if direction == Direction::Low { "low" } else { "high" };
            let Some(f) = i.frequently else {
                return if no_cgm {
                    e(T::NoCgm, "Not judged: the patient wears no CGM")
                } else {
                    e(T::NoReadings, "Not judged: no CGM readings were given")
                };
            };
            let checks: Vec<TraceCheck> =
                f.evidence.iter().filter(|t| t.direction == direction).map(frequency_check).collect();
            let applied = described(i, &checks);
            if f.sufficient {
                e(T::GoalsMet, &format!("Not frequently {word}: {applied}"))
            } else {
                let reason = insufficiency(i);
                e(reason, &format!("Not frequently {word} on the data there are, too few to judge the percents: {applied}"))
            }
            .checks(checks)
        }
        R::FirstWeeksLow => {
            let Some(f) = i.frequently else {
                return if no_cgm {
                    e(T::NoCgm, "Not judged: the patient wears no CGM")
                } else {
                    e(T::NoReadings, "Not judged: no CGM readings were given")
                };
            };
            if i.schedule.pump_started_on.is_none() {
                return e(T::NoPumpYet, "Not yet: the pump has not started");
            }
            if !catalogue::in_first_weeks(i) {
                return e(T::NotInFirstWeeks, "Not applicable: the first weeks on the pump are over");
            }
            let count = f.significant_episodes.len() as f64;
            let check = TraceCheck {
                measure: "significant_hypo_episodes".into(),
                value: count,
                threshold: 1.0,
                unit: "episodes".into(),
                window_days: Some(i.protocol.settings().frequently.episode_window_days),
                crossed: count >= 1.0,
                applied: true,
            };
            if f.frequently_low {
                e(T::FrequentLowsSpeak, "Quiet: frequent_lows fired and speaks for these episodes")
            } else {
                e(
                    T::NoSignificantEpisodes,
                    "Quiet: no level 2 or extended hypo episode in the episode window",
                )
            }
            .checks(vec![check])
        }
        R::InsufficientCgmData => {
            if no_cgm {
                return e(T::NoCgm, "Not applicable: the patient wears no CGM (no_cgm tells it once)");
            }
            if catalogue::data_stopped(i) {
                return e(T::DataStoppedSpeaks, "Quiet: the data stopped, and cgm_data_stopped speaks");
            }
            let Some(s) = i.cgm else {
                return if i.schedule.pump_started_on.is_none() {
                    e(T::NoReadings, "Not applicable: no CGM readings, and no pump yet to judge")
                } else {
                    e(T::NoReadings, "No CGM readings were given")
                };
            };
            let checks = data_checks(s);
            if s.sufficient {
                e(T::EnoughData, &format!("Quiet: enough CGM data ({})", described(i, &checks)))
            } else {
                e(T::WaitingForPumpData, &format!(
                    "Waiting: fewer days on the pump than the window, which waits for the pump's own data ({})",
                    described(i, &checks)
                ))
            }
            .checks(checks)
        }
        R::NoCgm => {
            if !no_cgm || i.cgm.is_some_and(|s| s.readings > 0) {
                e(
                    T::CgmInUse,
                    "Not applicable: the record does not say the patient goes without a CGM, or readings came",
                )
            } else {
                e(T::Acknowledged, "Told once and acknowledged since the record's CGM use last changed")
            }
        }
        R::CgmDataStopped => {
            if no_cgm {
                return e(T::NoCgm, "Not applicable: the patient wears no CGM");
            }
            let Some(days) = i.days_since_last_reading else {
                return e(T::NoReadings, "Not judged: no CGM readings were given");
            };
            let limit = f64::from(i.protocol.settings().frequently.data_stopped_days);
            let check = TraceCheck {
                measure: "days_without_data".into(),
                value: round(days, 1),
                threshold: limit,
                unit: "days".into(),
                window_days: None,
                crossed: days >= limit,
                applied: true,
            };
            e(
                T::DataFlowing,
                &format!("Quiet: the last reading is {:.1} days old (stopped from {limit} days)", days),
            )
            .checks(vec![check])
        }
        R::Worsening => {
            let Some(c) = i.change else {
                return if no_cgm {
                    e(T::NoCgm, "Not judged: the patient wears no CGM")
                } else {
                    e(T::NoReadings, "Not judged: no CGM readings were given")
                };
            };
            let [tir, mean, below] = c.thresholds;
            let unit = c.unit.as_str().to_owned();
            let checks: Vec<TraceCheck> = [
                ("time_in_range_change", c.tir_change.map(|v| -v), tir, "points"),
                ("mean_change", c.mean_change, mean, unit.as_str()),
                ("time_below_70_change", c.below_70_change, below, "points"),
            ]
            .into_iter()
            .filter_map(|(measure, value, threshold, unit)| {
                value.map(|value| TraceCheck {
                    measure: measure.into(),
                    value: round(value, 2),
                    threshold,
                    unit: unit.into(),
                    window_days: Some(i.protocol.settings().frequently.window_days),
                    crossed: value > threshold,
                    applied: true,
                })
            })
            .collect();
            match c.verdict {
                ChangeVerdict::InsufficientPriorData => {
                    e(T::NoPriorData, "Not judged: the days before the window are too sparse to compare with")
                }
                ChangeVerdict::InsufficientCurrentData => {
                    e(insufficiency(i), "Not judged: the window's data are too sparse to compare")
                }
                _ => e(
                    T::NotWorse,
                    &format!("Quiet: not worse than the days before ({})", described(i, &checks)),
                ),
            }
            .checks(checks)
        }
        R::FollowUpDue | R::FollowUpOverdue => {
            let Some(f) = &i.schedule.follow_up else {
                return e(T::NoPumpYet, "Not yet: follow-ups start with the pump");
            };
            let overdue = f.next.state == DueState::Overdue;
            let reason = if catalogue::booked_in_time(f.booked_for, f.booked_past_close, i.schedule.today) {
                T::BookedInTime
            } else if f.next.state == DueState::Upcoming {
                T::NotDueYet
            } else if rule == R::FollowUpDue && overdue {
                T::OverdueSpeaks
            } else {
                T::NotOverdue
            };
            e(reason, &dated("The next follow-up", reason, &f.next, f.booked_for)).window(&f.next)
        }
        R::SpecialistVisitDue | R::SpecialistVisitOverdue => {
            let Some(v) = &i.schedule.specialist_visit else {
                return e(T::NoPumpYet, "Not yet: the specialist visit follows the pump start");
            };
            let overdue = v.window.state == DueState::Overdue;
            let reason = if v.window.state == DueState::Done {
                T::Done
            } else if catalogue::booked_in_time(v.booked_for, v.booked_past_close, i.schedule.today) {
                T::BookedInTime
            } else if v.window.state == DueState::Upcoming {
                T::NotDueYet
            } else if rule == R::SpecialistVisitDue && overdue {
                T::OverdueSpeaks
            } else {
                T::NotOverdue
            };
            e(reason, &dated("The specialist visit", reason, &v.window, v.booked_for)).window(&v.window)
        }
        R::PumpNotLinked | R::SettingsReviewPending => {
            let Some(first) = &i.schedule.first_weeks else {
                return e(T::NoPumpYet, "Not yet: the first weeks start with the pump");
            };
            let pending =
                if rule == R::PumpNotLinked { first.link_pending } else { first.settings_review_pending };
            let what = if rule == R::PumpNotLinked { "The pump link" } else { "The settings review" };
            let reason = if !pending { T::Done } else { T::NotDueYet };
            e(reason, &dated(what, reason, &first.window, None)).window(&first.window)
        }
        R::InsurancePending => {
            let Some((_, state, _)) = i.state(Milestone::InsuranceCoverage) else {
                return e(T::NotInProtocol, "Not applicable: the protocol has no insurance item");
            };
            let dates = i.record.dates();
            if dates.insurance_decision == Some(InsuranceDecision::Denied) && !state.is_final() {
                return e(T::DeniedSpeaks, "Quiet: coverage was denied, and insurance_denied speaks");
            }
            if state.is_final() {
                return e(T::Done, "Quiet: coverage is approved or settled");
            }
            match &i.schedule.insurance_check_in {
                None => e(T::NotSubmitted, "Not applicable: coverage has not been submitted"),
                Some(c) => e(T::NotDueYet, &dated("The insurance check-in", T::NotDueYet, &c.window, None))
                    .window(&c.window),
            }
        }
        R::InsuranceDenied => match i.state(Milestone::InsuranceCoverage) {
            None => e(T::NotInProtocol, "Not applicable: the protocol has no insurance item"),
            Some((_, state, _)) if state.is_final() => e(T::Done, "Quiet: coverage is approved or settled"),
            Some(_) => e(T::NotDenied, "Quiet: no denial stands on the record"),
        },
        R::TopicsNotCovered => {
            let held = i.schedule.specialist_visit.as_ref().is_some_and(|v| v.held_on.is_some())
                || i.state(Milestone::SpecialistVisit).is_some_and(|(_, s, _)| s.is_final());
            if held {
                e(T::AllCovered, "Quiet: the back-up plan and every education topic are covered")
            } else {
                e(
                    T::VisitNotHeld,
                    "Not yet: the specialist visit is not held (its reminder lists what it covers)",
                )
            }
        }
        R::StepsNotRecorded => {
            e(T::StepsOnRecord, "Quiet: every step before an item completed by its own event is on record")
        }
        R::SuppliesReorder => match &i.schedule.supplies {
            None => e(T::NoSuppliesOnRecord, "Not applicable: no supplies batch on record"),
            Some(s) => e(
                T::NotDueYet,
                &format!(
                    "Quiet: the last batch is expected to run out on {}; the reminder opens on {}",
                    s.runs_out_on, s.window.opens
                ),
            )
            .window(&s.window),
        },
        R::NextStep => {
            if i.view.pathway_complete {
                e(T::NoNextStep, "Quiet: the pathway is complete")
            } else {
                e(T::NoNextStep, "Quiet: the current phase's next steps are another rule's")
            }
        }
    }
}

/// The data insufficiency of the window: stale, or too few days or too little wear.
fn insufficiency(i: &Inputs<'_>) -> TraceReason {
    match i.cgm {
        Some(s) if s.insufficient_reasons.contains(&InsufficientReason::StaleData) => TraceReason::StaleData,
        _ => TraceReason::TooLittleData,
    }
}

/// A "frequently" test as a check: the value, the goal or count it is compared with, in the targets' unit.
fn frequency_check(t: &crate::cgm::FrequencyEvidence) -> TraceCheck {
    let unit = match t.test {
        FrequencyTest::PercentBelowRange
        | FrequencyTest::PercentBelowVeryLow
        | FrequencyTest::PercentAboveVeryHigh
        | FrequencyTest::PercentAboveRange => "%",
        _ => "episodes",
    };
    TraceCheck {
        measure: t.test.as_str().to_owned(),
        value: round(t.value, 2),
        threshold: t.threshold,
        unit: unit.into(),
        window_days: Some(t.window_days),
        crossed: t.fired,
        applied: t.applied,
    }
}

/// The summary's days of data and wear against the consensus minimums.
fn data_checks(s: &crate::cgm::Summary) -> Vec<TraceCheck> {
    let days = s.period.map_or(s.span_days.unwrap_or(0.0), |p| p.data_days);
    let wear = s.period.map_or(s.active_percent.unwrap_or(0.0), |p| p.active_percent);
    let min_days = crate::cgm::MIN_DAYS as f64;
    vec![
        TraceCheck {
            measure: "days_of_data".into(),
            value: round(days, 1),
            threshold: min_days,
            unit: "days".into(),
            window_days: None,
            crossed: days < min_days,
            applied: true,
        },
        TraceCheck {
            measure: "active_percent".into(),
            value: round(wear, 1),
            threshold: crate::cgm::MIN_ACTIVE_PERCENT,
            unit: "%".into(),
            window_days: None,
            crossed: wear < crate::cgm::MIN_ACTIVE_PERCENT,
            applied: true,
        },
    ]
}

/// The applied checks in words, as a provider reads them: "0.15% below 70 mg/dL over 14 days (goal under 4%);
/// 1 level 2 hypo episode over 7 days (frequent from 2)".
fn described(i: &Inputs<'_>, checks: &[TraceCheck]) -> String {
    let unit = i.cgm.map_or(crate::glucose::Unit::MgDl, |s| s.unit);
    let cuts = i.targets.cut_points(unit);
    let parts: Vec<String> = checks
        .iter()
        .filter(|c| c.applied)
        .map(|c| {
            let over = c.window_days.map(|d| format!(" over {d} days")).unwrap_or_default();
            let count = |what: &str| {
                let what = if c.value == 1.0 { what.trim_end_matches('s') } else { what };
                format!("{} {what}{over} (frequent from {})", c.value, c.threshold)
            };
            let percent = |side: &str, cut: f64| {
                format!("{}% {side} {cut} {unit}{over} (goal under {}%)", c.value, c.threshold)
            };
            match c.measure.as_str() {
                "percent_below_range" => percent("below", cuts.low_below()),
                "percent_below_very_low" => percent("below", cuts.very_low_below()),
                "percent_above_very_high" => percent("above", cuts.very_high_above()),
                "percent_above_range" => percent("above", cuts.high_above()),
                "hypo_level_1_episodes" => count("level 1 hypo episodes"),
                "hypo_level_2_episodes" => count("level 2 hypo episodes"),
                "extended_hypo_episodes" => count("extended hypo episodes"),
                "hyper_level_2_episodes" => count("level 2 hyper episodes"),
                "significant_hypo_episodes" => count("level 2 or extended hypo episodes"),
                "days_of_data" => format!("{} days of data (needs {})", c.value, c.threshold),
                "active_percent" => format!("{}% active (needs {}%)", c.value, c.threshold),
                "time_in_range_change" => {
                    format!("time in range down {} points (worse above {})", c.value, c.threshold)
                }
                "mean_change" => format!("mean up {} {} (worse above {})", c.value, c.unit, c.threshold),
                "time_below_70_change" => {
                    format!("time below 70 up {} points (worse above {})", c.value, c.threshold)
                }
                other => format!("{other} {} {} (threshold {})", c.value, c.unit, c.threshold),
            }
        })
        .collect();
    if parts.is_empty() { "no check applied".to_owned() } else { parts.join("; ") }
}

/// A dated rule's sentence: what, and where its window stands.
fn dated(what: &str, reason: TraceReason, w: &Window, booked_for: Option<jiff::civil::Date>) -> String {
    let booked = booked_for.map(|d| format!(", booked for {d}")).unwrap_or_default();
    let state = match reason {
        TraceReason::Done => "is done".to_owned(),
        TraceReason::BookedInTime => {
            format!("is booked in time (due {}, window closes {}){booked}", w.due, w.closes)
        }
        TraceReason::NotDueYet => format!("is not due yet: due {} (the reminder opens {})", w.due, w.opens),
        TraceReason::OverdueSpeaks => format!("is overdue since {}: the overdue rule speaks", w.closes),
        TraceReason::NotOverdue => {
            format!("is {} (due {}, overdue after {}){booked}", w.state, w.due, w.closes)
        }
        _ => format!("is {}", w.state),
    };
    format!("Quiet: {} {state}", what.to_lowercase())
}

fn round(value: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (value * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_belongs_to_one_outcome_and_every_outcome_has_a_reason() {
        let outcomes: std::collections::BTreeSet<Outcome> =
            TraceReason::ALL.iter().map(|r| r.outcome()).collect();
        assert_eq!(outcomes.len(), Outcome::ALL.len());
    }
}
