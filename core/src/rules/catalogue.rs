//! The rules: each a small function from the inputs to zero or more actions.

use crate::cgm::{Direction, FrequencyTest, Frequently, InsufficientReason, Summary};
use crate::pathway::{
    BlockedReason, ChecklistItem, InsuranceDecision, ItemState, Milestone, PathwayView, Protocol, Record,
    Role,
};
use crate::schedule::{ClinicClock, DueState, FirstWeeks, Schedule, Window};

use super::{Action, RuleId, Severity};

/// Everything the rules read.
pub(crate) struct Inputs<'a> {
    pub protocol: &'a Protocol,
    pub record: &'a Record,
    pub view: &'a PathwayView,
    pub schedule: &'a Schedule,
    /// The CGM summary of the rule window, when readings were given.
    pub cgm: Option<&'a Summary>,
    /// The clinic's clock.
    pub clock: &'a ClinicClock,
    /// The last CGM reading at or before now, when readings were given.
    pub last_reading: Option<jiff::civil::DateTime>,
    /// The "frequently" verdict, when readings were given.
    pub frequently: Option<&'a Frequently>,
}

impl Inputs<'_> {
    /// An action due today unless the rule gives it its own date with `.due(...)`.
    fn action(&self, rule: RuleId, severity: Severity, role: Role, source: &str, message: String) -> Action {
        Action::new(rule, severity, role, source, message, self.schedule.today)
    }

    fn state(&self, m: Milestone) -> Option<(String, ItemState, String)> {
        let item = self.protocol.milestone_item(m)?;
        let state = self.record.item_state(self.protocol, &item.id)?;
        Some((item.id.clone(), state, item.source.clone()))
    }
}

/// Every rule, in a fixed order (the result is sorted afterwards).
pub(crate) const RULES: &[fn(&Inputs<'_>, &mut Vec<Action>)] = &[
    frequent_lows_or_highs,
    insufficient_cgm_data,
    follow_up,
    specialist_visit,
    pump_not_linked,
    settings_review_pending,
    insurance,
    backup_plan_not_reviewed,
    education_topics,
    supplies_reorder,
    next_steps,
];

fn severity_of(state: DueState) -> Option<Severity> {
    match state {
        DueState::DueSoon => Some(Severity::Routine),
        DueState::Due => Some(Severity::Soon),
        DueState::Overdue => Some(Severity::Urgent),
        DueState::Upcoming | DueState::Done => None,
    }
}

fn window_evidence(action: Action, w: &Window) -> Action {
    action
        .with("state", w.state)
        .with("due", w.due)
        .with("window_opens", w.opens)
        .with("window_closes", w.closes)
        .with("days_overdue", w.days_overdue)
}

fn when(w: &Window) -> String {
    match (w.state, w.days_overdue, w.days_until_due) {
        (DueState::Overdue, Some(d), _) => format!("overdue by {d} day{} (due {})", plural(d), w.due),
        (_, _, Some(d)) => format!("due in {d} day{} ({})", plural(d), w.due),
        _ => format!("due since {}", w.due),
    }
}

fn plural(n: i32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn frequent_lows_or_highs(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(f) = i.frequently else { return };
    let unit = i.cgm.map_or(crate::glucose::Unit::MgDl, |s| s.unit);
    let cuts = i.protocol.settings().targets.cut_points(unit);
    let cases = [
        (Direction::Low, f.frequently_low, RuleId::FrequentLows, Severity::Urgent, "low"),
        (Direction::High, f.frequently_high, RuleId::FrequentHighs, Severity::Soon, "high"),
    ];
    for (direction, fired, rule, severity, word) in cases {
        if !fired {
            continue;
        }
        let tests: Vec<_> = f.evidence.iter().filter(|e| e.direction == direction && e.fired).collect();
        let parts: Vec<String> = tests
            .iter()
            .map(|e| match e.test {
                FrequencyTest::PercentBelowLow => {
                    format!("{:.1}% < {} {unit} (goal under {}%)", e.value, cuts.low_below(), e.threshold)
                }
                FrequencyTest::PercentBelowVeryLow => {
                    format!(
                        "{:.1}% < {} {unit} (goal under {}%)",
                        e.value,
                        cuts.very_low_below(),
                        e.threshold
                    )
                }
                FrequencyTest::PercentAboveVeryHigh => {
                    format!(
                        "{:.1}% > {} {unit} (goal under {}%)",
                        e.value,
                        cuts.very_high_above(),
                        e.threshold
                    )
                }
                FrequencyTest::HypoLevel1Episodes => {
                    format!("{} level 1 hypo episodes in {} days", e.value, e.window_days)
                }
                FrequencyTest::HyperLevel2Episodes => {
                    format!("{} level 2 hyper episodes in {} days", e.value, e.window_days)
                }
            })
            .collect();
        out.push(
            i.action(
                rule,
                severity,
                Role::Provider,
                "post_pump_care.1",
                format!(
                    "Glucose frequently {word}: {}; contact the patient and review pump settings",
                    parts.join(", ")
                ),
            )
            .due(i.schedule.today)
            .with("tests", &tests)
            .with("window_start", f.window_start)
            .with("window_end", f.window_end)
            .with("episode_window_start", f.episode_window_start)
            .with("sufficient", f.sufficient),
        );
    }
}

fn insufficient_cgm_data(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(s) = i.cgm else {
        if let Some(start) = i.schedule.pump_started_on {
            out.push(
                i.action(
                    RuleId::InsufficientCgmData,
                    Severity::Routine,
                    Role::ClinicStaff,
                    "understanding_the_pump.s5",
                    "No CGM data: ask the patient to upload or link their devices".into(),
                )
                .with("pump_started_on", start)
                .with("readings", 0),
            );
        }
        return;
    };
    if s.sufficient {
        return;
    }
    let reasons: Vec<&str> = s.insufficient_reasons.iter().map(|r| r.as_str()).collect();
    let message = if s.insufficient_reasons.contains(&InsufficientReason::StaleData) {
        match i.last_reading {
            Some(last) => format!(
                "CGM data are stale: the last reading is from {}; ask the patient to upload or link their devices",
                last.strftime("%Y-%m-%d %H:%M")
            ),
            None => "No CGM data before now: ask the patient to upload or link their devices".to_owned(),
        }
    } else {
        format!(
            "Too little CGM data to judge glucose ({}): {:.1} days, {:.0}% active",
            reasons.join(", "),
            s.span_days.unwrap_or(0.0),
            s.active_percent.unwrap_or(0.0)
        )
    };
    out.push(
        i.action(
            RuleId::InsufficientCgmData,
            Severity::Routine,
            Role::ClinicStaff,
            "understanding_the_pump.s5",
            message,
        )
        .with("reasons", &s.insufficient_reasons)
        .with("last_reading", i.last_reading)
        .with("readings", s.readings)
        .with("span_days", s.span_days)
        .with("active_percent", s.active_percent)
        .with("min_days", crate::cgm::MIN_DAYS)
        .with("min_active_percent", crate::cgm::MIN_ACTIVE_PERCENT),
    );
}

fn follow_up(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(f) = &i.schedule.follow_up else { return };
    let Some(severity) = severity_of(f.next.state) else {
        return;
    };
    let (rule, source) = if f.next.state == DueState::Overdue {
        (RuleId::FollowUpOverdue, "post_pump_care.s1")
    } else {
        (RuleId::FollowUpDue, "post_pump_care.s1")
    };
    let item = i.state(Milestone::FollowUp).map(|(id, ..)| id);
    let mut action = i
        .action(
            rule,
            severity,
            Role::ClinicStaff,
            source,
            format!("Book the 3-monthly follow-up with the diabetes team: {}", when(&f.next)),
        )
        .due(f.next.due)
        .with("anchor", f.anchor)
        .with("anchored_on", if f.anchored_on_visit { "last_follow_up_visit" } else { "pump_start" })
        .with("interval_months", i.protocol.settings().schedule.follow_up_interval_months);
    if let Some(item) = item {
        action = action.item(&item);
    }
    out.push(window_evidence(action, &f.next));
}

fn specialist_visit(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(v) = &i.schedule.specialist_visit else {
        return;
    };
    let Some(severity) = severity_of(v.window.state) else {
        return;
    };
    let rule = if v.window.state == DueState::Overdue {
        RuleId::SpecialistVisitOverdue
    } else {
        RuleId::SpecialistVisitDue
    };
    let (item, _, source) = i
        .state(Milestone::SpecialistVisit)
        .unwrap_or_else(|| (String::new(), ItemState::NotStarted, "understanding_the_pump.s8".into()));
    let action = i
        .action(
            rule,
            severity,
            Role::Specialist,
            &source,
            format!("Hold the diabetes education specialist visit after the pump start: {}", when(&v.window)),
        )
        .due(v.window.due)
        .item(&item)
        .with("pump_started_on", i.schedule.pump_started_on);
    out.push(window_evidence(action, &v.window));
}

/// The first weeks' item for `milestone` when `pending` says it is not done: the reminder's inputs, and its
/// severity (urgent once the first weeks are over).
fn first_weeks_pending<'a>(
    i: &Inputs<'a>,
    milestone: Milestone,
    pending: fn(&FirstWeeks) -> bool,
) -> Option<(&'a FirstWeeks, String, ItemState, String, Severity)> {
    let first = i.schedule.first_weeks.as_ref().filter(|f| pending(f))?;
    let (item, state, source) = i.state(milestone)?;
    let severity = if first.window.state == DueState::Overdue { Severity::Urgent } else { Severity::Soon };
    Some((first, item, state, source, severity))
}

fn pump_not_linked(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some((first, item, state, source, severity)) =
        first_weeks_pending(i, Milestone::PumpLink, |f| f.link_pending)
    else {
        return;
    };
    out.push(
        i.action(
            RuleId::PumpNotLinked,
            severity,
            Role::Patient,
            &source,
            "Upload or link the pump to the clinic so the provider can review its settings".into(),
        )
        .due(first.window.due)
        .item(&item)
        .with("item_state", state)
        .with("pump_started_on", i.schedule.pump_started_on)
        .with("first_weeks_end", first.window.closes),
    );
}

fn settings_review_pending(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some((first, item, state, source, severity)) =
        first_weeks_pending(i, Milestone::SettingsReview, |f| f.settings_review_pending)
    else {
        return;
    };
    let message = if first.link_pending {
        "Review pump settings in the first weeks (waiting for the pump link)"
    } else {
        "Review the pump's data and adjust settings in the first weeks"
    };
    out.push(
        i.action(
            RuleId::SettingsReviewPending,
            severity,
            Role::Provider,
            &source,
            format!("{message}: {}", when(&first.window)),
        )
        .due(first.window.due)
        .item(&item)
        .with("item_state", state)
        .with("link_pending", first.link_pending)
        .with("first_weeks_end", first.window.closes),
    );
}

fn insurance(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some((item, state, source)) = i.state(Milestone::InsuranceCoverage) else {
        return;
    };
    let dates = i.record.dates();
    // A denial stands until coverage is resubmitted (the decision is cleared) or the item is settled
    // otherwise (waived for self-pay, say).
    if dates.insurance_decision == Some(InsuranceDecision::Denied) && !state.is_final() {
        let mut action = i
            .action(
                RuleId::InsuranceDenied,
                Severity::Soon,
                Role::ClinicStaff,
                &source,
                "Insurance denied pump coverage: appeal, resubmit, or review other coverage with the patient"
                    .into(),
            )
            .item(&item)
            .with("submitted_at", dates.insurance_submitted)
            .with("decided_at", dates.insurance_decided);
        if let Some(at) = dates.insurance_decided {
            let decided_on = i.schedule.today.min(i.clock.local_date(at));
            action = action.due(decided_on);
        }
        out.push(action);
        return;
    }
    let Some(c) = &i.schedule.insurance_check_in else {
        return;
    };
    if !matches!(c.window.state, DueState::Due | DueState::Overdue) {
        return;
    }
    let pending_days = c.submitted_on.until(i.schedule.today).map(|s| s.get_days()).unwrap_or(0);
    let action = i
        .action(
            RuleId::InsurancePending,
            if c.window.state == DueState::Overdue { Severity::Urgent } else { Severity::Soon },
            Role::ClinicStaff,
            &source,
            format!(
                "Check in with the insurer: coverage pending for {pending_days} days since {}",
                c.submitted_on
            ),
        )
        .due(c.window.due)
        .item(&item)
        .with("submitted_on", c.submitted_on)
        .with("pending_days", pending_days)
        .with("check_in_days", i.protocol.settings().schedule.insurance_check_in_days);
    out.push(window_evidence(action, &c.window));
}

/// The specialist visit is the moment for the back-up plan and the topics: once it is held, or once it is
/// overdue, what it did not cover becomes an action.
fn visit_window_passed(i: &Inputs<'_>) -> bool {
    i.schedule
        .specialist_visit
        .as_ref()
        .is_some_and(|v| v.held_on.is_some() || matches!(v.window.state, DueState::Overdue | DueState::Done))
}

fn backup_plan_not_reviewed(i: &Inputs<'_>, out: &mut Vec<Action>) {
    if !visit_window_passed(i) {
        return;
    }
    let Some((item, state, source)) = i.state(Milestone::BackupPlanReview) else {
        return;
    };
    if state.is_final() {
        return;
    }
    out.push(
        i.action(
            RuleId::BackupPlanNotReviewed,
            Severity::Soon,
            Role::Specialist,
            &source,
            "Review the pump-failure back-up plan with the patient (injections, doses, supplies)".into(),
        )
        .item(&item)
        .with("item_state", state)
        .with("specialist_visit_held_on", i.schedule.specialist_visit.as_ref().and_then(|v| v.held_on)),
    );
}

fn education_topics(i: &Inputs<'_>, out: &mut Vec<Action>) {
    if !visit_window_passed(i) {
        return;
    }
    for (position, (_, item)) in i.protocol.items().enumerate() {
        if !item.education_topic {
            continue;
        }
        let state = i.record.state().items().get(position).map(|s| s.state).unwrap_or_default();
        if state.is_final() {
            continue;
        }
        out.push(
            i.action(
                RuleId::EducationTopicNotCovered,
                Severity::Routine,
                Role::Specialist,
                &item.source,
                format!("Cover the education topic \"{}\" at the next visit", item.title),
            )
            .item(&item.id)
            .with("item_state", state),
        );
    }
}

fn supplies_reorder(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(s) = &i.schedule.supplies else { return };
    let Some(severity) = severity_of(s.window.state) else {
        return;
    };
    let message = if s.window.state == DueState::Overdue {
        format!("Pump supplies ran out on {}: reorder now from the supplier", s.runs_out_on)
    } else {
        format!("Reorder pump supplies from the supplier: the last batch runs out on {}", s.runs_out_on)
    };
    let action = i
        .action(RuleId::SuppliesReorder, severity, Role::Patient, "post_pump_care.3", message)
        .due(s.window.due)
        .with("received_on", s.received_on)
        .with("days_of_supply", s.days_of_supply)
        .with("runs_out_on", s.runs_out_on)
        .with("reorder_lead_days", i.protocol.settings().schedule.supplies_reorder_lead_days);
    out.push(window_evidence(action, &s.window));
}

/// The next steps in the current phase that no other rule speaks for.
fn next_steps(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let covered_elsewhere = [
        Milestone::InsuranceCoverage,
        Milestone::PumpLink,
        Milestone::SettingsReview,
        Milestone::SpecialistVisit,
        Milestone::BackupPlanReview,
        Milestone::FollowUp,
    ];
    let step = |item: &ChecklistItem, phase: &str, state: ItemState, message: String| {
        i.action(RuleId::NextStep, Severity::Info, item.role, &item.source, message)
            .item(&item.id)
            .with("phase", phase)
            .with("item_state", state)
    };
    for next in i.view.next_steps.iter().filter(|s| s.phase == i.view.current_phase) {
        let Some(item) = i.protocol.item(&next.item) else { continue };
        if item.education_topic || item.milestone.is_some_and(|m| covered_elsewhere.contains(&m)) {
            continue;
        }
        out.push(step(item, &next.phase, next.state, format!("Next step: {}", item.title)));
    }
    for b in i.view.blocked.iter().filter(|b| b.phase == i.view.current_phase) {
        let BlockedReason::OnHold { note } = &b.why else { continue };
        let Some(item) = i.protocol.item(&b.item) else { continue };
        if item.milestone == Some(Milestone::InsuranceCoverage) {
            continue;
        }
        let note = note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        out.push(step(item, &b.phase, ItemState::OnHold, format!("On hold: {}{note}", item.title)));
    }
}
