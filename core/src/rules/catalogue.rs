//! The rules: each a small function from the inputs to zero or more actions.

use jiff::civil::Date;

use crate::cgm::{Direction, FrequencyTest, Frequently, InsufficientReason, Summary};
use crate::pathway::{
    BlockedReason, ChecklistItem, InsuranceDecision, ItemState, Milestone, PathwayView, Protocol, Record,
    Role,
};
use crate::schedule::{ClinicClock, DueState, FirstWeeks, Schedule, Window};

use super::evidence::*;
use super::{Action, CLINIC_ROLES, RuleId, RuleState};

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
    /// The patient's glucose targets today.
    pub targets: &'a crate::glucose::Targets,
    /// The CGM window against the one before it, when readings were given.
    pub change: Option<&'a super::PeriodChange>,
    /// Days from the last reading at or before now to now, when there is one.
    pub days_since_last_reading: Option<f64>,
}

impl Inputs<'_> {
    /// An action with the rule table's severity for `state`, role and handout passage, due today unless the
    /// rule gives it its own date with `.due(...)` (see [`Action::new`] for a state the table lacks).
    fn action(&self, rule: RuleId, state: RuleState, message: String, evidence: Evidence) -> Action {
        self.action_cited(rule, state, rule.spec().source, message, evidence)
    }

    /// An action citing `source`: the passage of the checklist item it is about (a clinic may reword it).
    fn action_cited(
        &self,
        rule: RuleId,
        state: RuleState,
        source: &str,
        message: String,
        evidence: Evidence,
    ) -> Action {
        Action::new(rule, state, source, message, self.schedule.today, evidence)
    }

    /// A checklist item as an action names it: id, title and its own handout passage.
    fn named(&self, id: &str) -> Option<NamedItem> {
        let item = self.protocol.item(id)?;
        Some(NamedItem { item: item.id.clone(), title: item.title.clone(), source: item.source.clone() })
    }

    pub(super) fn state(&self, m: Milestone) -> Option<(String, ItemState, String)> {
        let item = self.protocol.milestone_item(m)?;
        let state = self.record.item_state(&item.id)?;
        Some((item.id.clone(), state, item.source.clone()))
    }
}

/// Every rule, in a fixed order (the result is sorted afterwards).
pub(crate) const RULES: &[fn(&Inputs<'_>, &mut Vec<Action>)] = &[
    frequent_lows_or_highs,
    first_weeks_low,
    insufficient_cgm_data,
    no_cgm,
    cgm_data_stopped,
    worsening,
    follow_up,
    specialist_visit,
    pump_not_linked,
    settings_review_pending,
    insurance,
    topics_rule,
    steps_not_recorded,
    supplies_reorder,
    next_steps,
];

/// A percent beside the threshold it is judged against, to one decimal, never rounded onto or across the
/// threshold: 69.96 % wear against 70 reads "69.96", not "70.0" beside "too little wear".
pub(crate) fn beside(value: f64, threshold: f64) -> String {
    for decimals in 1..=3 {
        let text = format!("{value:.decimals$}");
        let shown: f64 = text.parse().unwrap_or(value);
        if (value < threshold) == (shown < threshold) && (value > threshold) == (shown > threshold) {
            return text;
        }
    }
    // Still on the threshold at three decimals: round away from it, to its own side.
    let scaled = value * 10.0;
    let rounded = if value < threshold { scaled.floor() } else { scaled.ceil() };
    format!("{:.1}", rounded / 10.0)
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

/// Whether today falls in the first weeks on the pump (the start to `first_weeks_days` after it).
pub(super) fn in_first_weeks(i: &Inputs<'_>) -> bool {
    let days = i64::from(i.protocol.settings().schedule.first_weeks_days);
    i.schedule.pump_started_on.is_some_and(|start| {
        start.until(i.schedule.today).is_ok_and(|span| (0..=days).contains(&i64::from(span.get_days())))
    })
}

fn frequent_lows_or_highs(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(f) = i.frequently else { return };
    let unit = i.cgm.map_or(crate::glucose::Unit::MgDl, |s| s.unit);
    let cuts = i.targets.cut_points(unit);
    let on_pump = i.schedule.pump_started_on.is_some();
    // Before the pump, the advice is about the current therapy; on the pump, highs are urgent too
    // (an interrupted infusion means ketoacidosis within hours).
    let (low_advice, high_advice, high_state) = if on_pump {
        (
            "contact the patient and review pump settings",
            "contact the patient, check the infusion set and site, and review pump settings",
            RuleState::OnPump,
        )
    } else {
        (
            "contact the patient and review their current insulin therapy",
            "contact the patient and review their current insulin therapy",
            RuleState::BeforePump,
        )
    };
    let cases = [
        (Direction::Low, f.frequently_low, RuleId::FrequentLows, RuleState::Fired, "low", low_advice),
        (Direction::High, f.frequently_high, RuleId::FrequentHighs, high_state, "high", high_advice),
    ];
    for (direction, fired, rule, state, word, advice) in cases {
        if !fired {
            continue;
        }
        let tests: Vec<_> =
            f.evidence.iter().filter(|e| e.direction == direction && e.fired).cloned().collect();
        let parts: Vec<String> = tests
            .iter()
            .map(|e| {
                let percent = |op: &str, cut: f64| {
                    format!(
                        "{}% {op} {cut} {unit} (goal under {}%)",
                        beside(e.value, e.threshold),
                        e.threshold
                    )
                };
                let episodes = |what: &str| {
                    let what = if e.value == 1.0 { what.trim_end_matches('s') } else { what };
                    format!("{} {what} in {} days", e.value, e.window_days)
                };
                match e.test {
                    FrequencyTest::PercentBelowRange => percent("<", cuts.low_below()),
                    FrequencyTest::PercentBelowVeryLow => percent("<", cuts.very_low_below()),
                    FrequencyTest::PercentAboveVeryHigh => percent(">", cuts.very_high_above()),
                    FrequencyTest::PercentAboveRange => percent(">", cuts.high_above()),
                    FrequencyTest::HypoLevel1Episodes => episodes("level 1 hypo episodes"),
                    FrequencyTest::HyperLevel2Episodes => episodes("level 2 hyper episodes"),
                    FrequencyTest::HypoLevel2Episodes => episodes("level 2 hypo episodes"),
                    FrequencyTest::ExtendedHypoEpisodes => episodes("extended hypo episodes"),
                }
            })
            .collect();
        let evidence = Evidence::FrequentGlucose(FrequentGlucoseEvidence {
            tests,
            on_pump,
            window_start: f.window_start,
            window_end: f.window_end,
            episode_window_start: f.episode_window_start,
            sufficient: f.sufficient,
            significant_episodes: if direction == Direction::Low {
                f.significant_episodes.clone()
            } else {
                Vec::new()
            },
        });
        out.push(i.action(
            rule,
            state,
            format!("Glucose frequently {word}: {}; {advice}", parts.join(", ")),
            evidence,
        ));
    }
}

/// The handout's "call the diabetes team if you have high or low blood sugars" in the first weeks: any
/// clinically significant hypo (level 2 or extended) is worth a call while settings are being tuned, even
/// when it is not yet "frequent" (then `frequent_lows` speaks instead).
fn first_weeks_low(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(f) = i.frequently else { return };
    if f.frequently_low || f.significant_episodes.is_empty() || !in_first_weeks(i) {
        return;
    }
    let list: Vec<String> = f
        .significant_episodes
        .iter()
        .map(|e| {
            let level = if e.level == crate::cgm::EpisodeLevel::Extended { "extended" } else { "level 2" };
            format!("{level} hypo at {} ({} min)", e.start.strftime("%Y-%m-%d %H:%M"), e.duration_minutes)
        })
        .collect();
    out.push(i.action(
        RuleId::FirstWeeksLow,
        RuleState::Fired,
        format!(
            "Low glucose in the first weeks on the pump: {}; contact the patient and review pump settings",
            list.join(", ")
        ),
        Evidence::FirstWeeksLow(FirstWeeksLowEvidence {
            episodes: f.significant_episodes.clone(),
            pump_started_on: i.schedule.pump_started_on,
            first_weeks_days: i.protocol.settings().schedule.first_weeks_days,
        }),
    ));
}

/// A patient who wears no CGM (on the record) is told, as information, that glucose is not judged from CGM
/// data; never a daily "insufficient data" action. Information is not a daily alarm: it is listed until a
/// clinician acknowledges it, and an acknowledgement made since the record's `cgm_use` stands until that
/// changes (or until its own `until` date, when it has one).
fn no_cgm(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let dates = i.record.dates();
    if dates.wears_cgm != Some(false) || i.cgm.is_some_and(|s| s.readings > 0) {
        return;
    }
    let today = i.schedule.today;
    let acknowledged = i.record.acknowledgements().any(|a| {
        let w = a.acknowledged;
        a.rule == RuleId::NoCgm
            && dates.cgm_use_since.is_none_or(|since| w.at >= since.at)
            && w.on.map_or(w.at <= i.clock.now(), |on| on <= today)
            && a.until.is_none_or(|until| today <= until)
    });
    if acknowledged {
        return;
    }
    out.push(
        i.action(
            RuleId::NoCgm,
            RuleState::Fired,
            "No CGM on record: glucose is not judged from CGM data; review meter readings at visits \
         (acknowledge once read)"
                .into(),
            Evidence::NoCgm(NoCgmEvidence { cgm_use_since: dates.cgm_use_since.map(|w| w.at) }),
        ),
    );
}

/// Whether a CGM wearer's data stopped: a last reading `data_stopped_days` or more before now. The record's
/// `cgm_use` saying the patient stopped wearing one silences it.
pub(super) fn data_stopped(i: &Inputs<'_>) -> bool {
    let days = f64::from(i.protocol.settings().frequently.data_stopped_days);
    i.record.dates().wears_cgm != Some(false) && i.days_since_last_reading.is_some_and(|d| d >= days)
}

fn cgm_data_stopped(i: &Inputs<'_>, out: &mut Vec<Action>) {
    if !data_stopped(i) {
        return;
    }
    let (Some(last), Some(days)) = (i.last_reading, i.days_since_last_reading) else { return };
    out.push(i.action(
        RuleId::CgmDataStopped,
        RuleState::Fired,
        format!(
            "CGM data stopped: no reading since {} ({days:.0} days); ask the patient to check the sensor and \
             upload or link their devices",
            last.strftime("%Y-%m-%d %H:%M")
        ),
        Evidence::CgmStopped(CgmStoppedEvidence {
            last_reading: last,
            days_without_data: days,
            data_stopped_days: i.protocol.settings().frequently.data_stopped_days,
        }),
    ));
}

fn worsening(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(c) = i.change.filter(|c| c.verdict == super::ChangeVerdict::Worsening) else { return };
    let unit = c.unit;
    let parts: Vec<String> = c
        .worse
        .iter()
        .map(|m| match m {
            super::ChangeMetric::TimeInRange => format!(
                "time in range {:.1}% → {:.1}%",
                c.prior.percent_in_range.unwrap_or(0.0),
                c.current.percent_in_range.unwrap_or(0.0)
            ),
            super::ChangeMetric::MeanGlucose => format!(
                "mean {:.0} → {:.0} {unit}",
                c.prior.mean.unwrap_or(0.0),
                c.current.mean.unwrap_or(0.0)
            ),
            super::ChangeMetric::TimeBelow70 => format!(
                "time below 70 {:.1}% → {:.1}%",
                c.prior.percent_below_70.unwrap_or(0.0),
                c.current.percent_below_70.unwrap_or(0.0)
            ),
        })
        .collect();
    out.push(i.action(
        RuleId::Worsening,
        RuleState::Fired,
        format!("Glucose worse than the 14 days before: {}; review with the patient", parts.join(", ")),
        Evidence::Worsening(c.clone()),
    ));
}

fn insufficient_cgm_data(i: &Inputs<'_>, out: &mut Vec<Action>) {
    // A patient without a CGM is told once (no_cgm); stopped data have their own rule.
    if i.record.dates().wears_cgm == Some(false) || data_stopped(i) {
        return;
    }
    let Some(s) = i.cgm else {
        if let Some(start) = i.schedule.pump_started_on {
            out.push(i.action(
                RuleId::InsufficientCgmData,
                RuleState::Fired,
                "No CGM data: ask the patient to upload or link their devices".into(),
                Evidence::CgmData(CgmDataEvidence {
                    reasons: Vec::new(),
                    readings: 0,
                    last_reading: None,
                    days: None,
                    active_percent: None,
                    min_days: crate::cgm::MIN_DAYS,
                    min_active_percent: crate::cgm::MIN_ACTIVE_PERCENT,
                    pump_started_on: Some(start),
                }),
            ));
        }
        return;
    };
    if s.sufficient {
        return;
    }
    // Fewer than 14 days since the pump start is no finding: the window waits for the pump's own data.
    let cut_at_start =
        i.frequently.and_then(|f| f.since).is_some_and(|since| s.period.is_some_and(|p| p.start == since));
    if cut_at_start && s.insufficient_reasons == [InsufficientReason::TooFewDays] {
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
        // What the data show: the days the readings cover and the wear, each never rounded across its minimum.
        let days = s.period.map_or(s.span_days.unwrap_or(0.0), |p| p.data_days);
        let wear = s.period.map_or(s.active_percent.unwrap_or(0.0), |p| p.active_percent);
        let min_days = crate::cgm::MIN_DAYS as f64;
        let min_wear = crate::cgm::MIN_ACTIVE_PERCENT;
        format!(
            "Too little CGM data to judge glucose ({}): {} days of data, {}% active (needs {min_days} days, \
             {min_wear}% active)",
            reasons.join(", "),
            beside(days, min_days),
            beside(wear, min_wear)
        )
    };
    out.push(i.action(
        RuleId::InsufficientCgmData,
        RuleState::Fired,
        message,
        Evidence::CgmData(CgmDataEvidence {
            reasons: s.insufficient_reasons.clone(),
            readings: s.readings,
            last_reading: i.last_reading,
            days: s.period.map(|p| p.data_days),
            active_percent: s.period.map(|p| p.active_percent),
            min_days: crate::cgm::MIN_DAYS,
            min_active_percent: crate::cgm::MIN_ACTIVE_PERCENT,
            pump_started_on: None,
        }),
    ));
}

/// What a booking says about a visit's reminder: nothing to do (booked in time), a booking to move (past the
/// window's close), or a booked date that passed without the visit on record.
enum Booking {
    None,
    InTime,
    PastClose(Date),
    Passed(Date),
}

/// Whether a visit is booked within its window and the booked date has not passed: its reminder is quiet.
pub(super) fn booked_in_time(booked_for: Option<Date>, past_close: bool, today: Date) -> bool {
    matches!(booking(booked_for, past_close, today), Booking::InTime)
}

fn booking(booked_for: Option<Date>, past_close: bool, today: Date) -> Booking {
    match booked_for {
        None => Booking::None,
        Some(d) if past_close => Booking::PastClose(d),
        Some(d) if d >= today => Booking::InTime,
        Some(d) => Booking::Passed(d),
    }
}

impl Booking {
    /// The reminder's state given the window's, or `None` when nothing is to be done.
    fn state(&self, window: DueState) -> Option<RuleState> {
        match (self, RuleState::of_window(window)) {
            (Booking::InTime, _) => None,
            // A booking after the window's close is known now: move it, whatever the window's state.
            (Booking::PastClose(_), state) => Some(state.unwrap_or(RuleState::BookedPastClose)),
            (_, state) => state,
        }
    }
}

fn follow_up(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(f) = &i.schedule.follow_up else { return };
    let booked = booking(f.booked_for, f.booked_past_close, i.schedule.today);
    let Some(state) = booked.state(f.next.state) else { return };
    let rule = if f.next.state == DueState::Overdue { RuleId::FollowUpOverdue } else { RuleId::FollowUpDue };
    let message = match booked {
        Booking::PastClose(d) => format!(
            "Move the 3-monthly follow-up booked for {d}: it lies after the window closes on {} ({})",
            f.next.closes,
            when(&f.next)
        ),
        Booking::Passed(d) => format!(
            "Book the 3-monthly follow-up again: the visit booked for {d} is not on record ({})",
            when(&f.next)
        ),
        _ => format!("Book the 3-monthly follow-up with the diabetes team: {}", when(&f.next)),
    };
    let item = i.state(Milestone::FollowUp).map(|(id, ..)| id);
    let evidence = Evidence::FollowUp(FollowUpEvidence {
        window: (&f.next).into(),
        anchor: f.anchor,
        anchored_on: f.anchored_on,
        number: f.number,
        booked_for: f.booked_for,
        interval_months: i.protocol.settings().schedule.follow_up_interval_months,
    });
    let mut action = i.action(rule, state, message, evidence);
    action = action.due(f.next.due);
    if let Some(item) = item {
        action = action.item(&item);
    }
    out.push(action);
}

fn specialist_visit(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(v) = &i.schedule.specialist_visit else {
        return;
    };
    let booked = booking(v.booked_for, v.booked_past_close, i.schedule.today);
    let Some(state) = booked.state(v.window.state) else { return };
    let rule = if v.window.state == DueState::Overdue {
        RuleId::SpecialistVisitOverdue
    } else {
        RuleId::SpecialistVisitDue
    };
    let (item, _, source) = i
        .state(Milestone::SpecialistVisit)
        .unwrap_or_else(|| (String::new(), ItemState::NotStarted, "understanding_the_pump.s8".into()));
    // One visit, one action: what the visit must cover rides on it, not as actions of their own.
    let to_cover = not_covered(i);
    let cover =
        if to_cover.is_empty() { String::new() } else { format!("; it covers {}", cover_text(i, &to_cover)) };
    let action = i
        .action_cited(rule, state, &source,
            match booked {
                Booking::PastClose(d) => format!(
                    "Move the diabetes education specialist visit booked for {d}: it lies after {} ({}){cover}",
                    v.window.closes,
                    when(&v.window)
                ),
                Booking::Passed(d) => format!(
                    "Book the diabetes education specialist visit again: the visit booked for {d} is not on \
                     record ({}){cover}",
                    when(&v.window)
                ),
                _ => format!(
                    "Hold the diabetes education specialist visit after the pump start: {}{cover}",
                    when(&v.window)
                ),
            },
            Evidence::SpecialistVisit(SpecialistVisitEvidence {
                window: (&v.window).into(),
                pump_started_on: i.schedule.pump_started_on,
                booked_for: v.booked_for,
                to_cover: to_cover.iter().filter_map(|id| i.named(id)).collect(),
            }),
        )
        .due(v.window.due).item(&item);
    out.push(action);
}

/// The first weeks' item for `milestone` when `pending` says it is not done: the reminder's inputs, and its
/// state by the first weeks' window (due at their end, overdue after; the table says how severe each is,
/// never urgent: that is kept for glucose safety).
fn first_weeks_pending<'a>(
    i: &Inputs<'a>,
    milestone: Milestone,
    pending: fn(&FirstWeeks) -> bool,
) -> Option<(&'a FirstWeeks, String, ItemState, String, RuleState)> {
    let first = i.schedule.first_weeks.as_ref().filter(|f| pending(f))?;
    let (item, state, source) = i.state(milestone)?;
    Some((first, item, state, source, RuleState::of_window(first.window.state)?))
}

fn pump_not_linked(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some((first, item, state, source, rule_state)) =
        first_weeks_pending(i, Milestone::PumpLink, |f| f.link_pending)
    else {
        return;
    };
    // The clinic's front desk sets up uploads; the patient's part (linking their pump) is in the message.
    out.push(
        i.action_cited(
            RuleId::PumpNotLinked,
            rule_state,
            &source,
            format!(
                "Help the patient upload or link their pump to the clinic so the provider can review its settings: \
                 {}",
                when(&first.window)
            ),
            first_weeks_evidence(i, first, state),
        )
        .due(first.window.due).item(&item),
    );
}

fn settings_review_pending(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some((first, item, state, source, rule_state)) =
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
        i.action_cited(
            RuleId::SettingsReviewPending,
            rule_state,
            &source,
            format!("{message}: {}", when(&first.window)),
            first_weeks_evidence(i, first, state),
        )
        .due(first.window.due)
        .item(&item),
    );
}

fn first_weeks_evidence(i: &Inputs<'_>, first: &FirstWeeks, state: ItemState) -> Evidence {
    Evidence::FirstWeeks(FirstWeeksEvidence {
        item_state: state,
        pump_started_on: i.schedule.pump_started_on,
        link_pending: first.link_pending,
        first_weeks_end: first.window.closes,
    })
}

fn insurance(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some((item, state, source)) = i.state(Milestone::InsuranceCoverage) else {
        return;
    };
    let dates = i.record.dates();
    // A denial stands until coverage is resubmitted (the decision is cleared) or the item is settled
    // otherwise (waived for self-pay, say).
    if dates.insurance_decision == Some(InsuranceDecision::Denied) && !state.is_final() {
        let decided_on =
            dates.insurance_decided.map(|decided| i.schedule.today.min(i.clock.date_of(decided)));
        out.push(
            i.action_cited(
                RuleId::InsuranceDenied,
                RuleState::Fired,
                &source,
                "Insurance denied pump coverage: appeal, resubmit, or review other coverage with the patient"
                    .into(),
                Evidence::InsuranceDenied(InsuranceDeniedEvidence {
                    submitted_at: dates.insurance_submitted.map(|w| w.at),
                    decided_at: dates.insurance_decided.map(|w| w.at),
                }),
            )
            .item(&item)
            .due(decided_on.unwrap_or(i.schedule.today)),
        );
        return;
    }
    let Some(c) = &i.schedule.insurance_check_in else {
        return;
    };
    let Some(rule_state) = RuleState::of_window(c.window.state) else { return };
    let pending_days = c.submitted_on.until(i.schedule.today).map(|s| s.get_days()).unwrap_or(0);
    let action = i
        .action_cited(
            RuleId::InsurancePending,
            rule_state,
            &source,
            format!(
                "Check in with the insurer: coverage pending for {pending_days} days since {}",
                c.submitted_on
            ),
            Evidence::InsurancePending(InsurancePendingEvidence {
                window: (&c.window).into(),
                submitted_on: c.submitted_on,
                pending_days,
                check_in_days: i.protocol.settings().schedule.insurance_check_in_days,
            }),
        )
        .due(c.window.due)
        .item(&item);
    out.push(action);
}

/// The back-up plan and the education topics not yet covered (neither completed nor waived), in protocol
/// order.
fn not_covered(i: &Inputs<'_>) -> Vec<String> {
    i.protocol
        .items()
        .map(|(_, item)| item)
        .enumerate()
        .filter(|(_, item)| item.education_topic || item.milestone == Some(Milestone::BackupPlanReview))
        .filter(|(position, _)| !i.record.state().items().get(*position).is_some_and(|s| s.state.is_final()))
        .map(|(_, item)| item.id.clone())
        .collect()
}

/// "the back-up plan and 2 topics (Travel, Advanced features)", from item ids.
fn cover_text(i: &Inputs<'_>, ids: &[String]) -> String {
    let backup = i.protocol.milestone_item(Milestone::BackupPlanReview).map(|item| item.id.as_str());
    let topics: Vec<&str> = ids
        .iter()
        .filter(|id| Some(id.as_str()) != backup)
        .filter_map(|id| i.protocol.item(id).map(|item| item.title.as_str()))
        .collect();
    let mut parts = Vec::new();
    if ids.iter().any(|id| Some(id.as_str()) == backup) {
        parts.push("the back-up plan".to_owned());
    }
    match topics.len() {
        0 => {}
        1 => parts.push(format!("the topic {}", topics[0])),
        n => parts.push(format!("{n} topics ({})", topics.join("; "))),
    }
    parts.join(" and ")
}

/// Once the specialist visit is held, what it did not cover becomes one action, due at the next visit (the
/// booked follow-up, else the next follow-up's due date). While the visit is pending, the visit's action lists
/// them instead.
fn topics_not_covered(i: &Inputs<'_>) -> Option<Action> {
    let held = i.schedule.specialist_visit.as_ref().is_some_and(|v| v.held_on.is_some())
        || i.state(Milestone::SpecialistVisit).is_some_and(|(_, state, _)| state.is_final());
    if !held {
        return None;
    }
    let missing = not_covered(i);
    if missing.is_empty() {
        return None;
    }
    let backup = i.protocol.milestone_item(Milestone::BackupPlanReview).map(|item| item.id.clone());
    let backup_missing = backup.as_ref().is_some_and(|b| missing.contains(b));
    // The back-up plan is safety (what to do when the pump fails); topics can wait for the next visit.
    let state = if backup_missing { RuleState::BackupPlanMissing } else { RuleState::TopicsMissing };
    let next_visit = i.schedule.follow_up.as_ref().map(|f| f.booked_for.unwrap_or(f.next.due));
    let source = if backup_missing { "understanding_the_pump.s9" } else { "understanding_the_pump.s8" };
    let mut action = i.action_cited(
        RuleId::TopicsNotCovered,
        state,
        source,
        format!("Cover at the next visit: {}", cover_text(i, &missing)),
        Evidence::Topics(TopicsEvidence {
            items: missing.iter().filter_map(|id| i.named(id)).collect(),
            backup_plan_missing: backup_missing,
            specialist_visit_held_on: i.schedule.specialist_visit.as_ref().and_then(|v| v.held_on),
            next_visit,
        }),
    );
    if let Some(due) = next_visit {
        action = action.due(due);
    }
    Some(action)
}

fn topics_rule(i: &Inputs<'_>, out: &mut Vec<Action>) {
    out.extend(topics_not_covered(i));
}

/// Items completed by an event of their own (the pump start is a fact the clinic often learns of late)
/// while their prerequisites are not on record: one action per such item, listing the missing steps.
fn steps_not_recorded(i: &Inputs<'_>, out: &mut Vec<Action>) {
    for (position, (_, item)) in i.protocol.items().enumerate() {
        let Some(status) = i.record.state().items().get(position) else { continue };
        if status.state != ItemState::Completed || item.milestone.is_none() {
            continue;
        }
        let missing = crate::pathway::unmet_prerequisites(i.protocol, i.record.state(), position);
        if missing.is_empty() {
            continue;
        }
        let titles: Vec<&str> =
            missing.iter().filter_map(|id| i.protocol.item(id).map(|it| it.title.as_str())).collect();
        out.push(
            i.action_cited(
                RuleId::StepsNotRecorded,
                RuleState::Fired,
                &item.source,
                format!(
                    "{} is recorded, but not what comes before it: {}; confirm and record them",
                    item.title,
                    titles.join("; ")
                ),
                Evidence::Steps(StepsEvidence { missing, completed_at: status.since }),
            )
            .item(&item.id),
        );
    }
}

fn supplies_reorder(i: &Inputs<'_>, out: &mut Vec<Action>) {
    let Some(s) = &i.schedule.supplies else { return };
    let Some(state) = RuleState::of_window(s.window.state) else {
        return;
    };
    // The clinic checks; the patient reorders from the supplier (handout post_pump_care.3).
    let message = if s.window.state == DueState::Overdue {
        format!(
            "Pump supplies are expected to have run out on {} ({} days from the batch received on {}): call the \
             patient to check they have supplies and have reordered from the supplier",
            s.runs_out_on, s.days_of_supply, s.received_on
        )
    } else {
        format!(
            "Remind the patient to reorder pump supplies from the supplier: the last batch is expected to run out \
             on {}",
            s.runs_out_on
        )
    };
    let evidence = Evidence::Supplies(SuppliesEvidence {
        window: (&s.window).into(),
        received_on: s.received_on,
        days_of_supply: s.days_of_supply,
        runs_out_on: s.runs_out_on,
        reorder_lead_days: i.protocol.settings().schedule.supplies_reorder_lead_days,
    });
    out.push(i.action(RuleId::SuppliesReorder, state, message, evidence).due(s.window.due));
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
    // A clinic item's own role acts on it; a step of the patient's (or the trainer's, insurer's, supplier's) is
    // followed up by the table's clinic role, and the message says whose step it is.
    let step = |item: &ChecklistItem, phase: &str, state: ItemState, message: String| {
        let evidence = Evidence::NextStep(NextStepEvidence {
            phase: phase.to_owned(),
            item_state: state,
            item_role: item.role,
        });
        let message = if CLINIC_ROLES.contains(&item.role) {
            message
        } else {
            format!("{message} ({}'s step: follow it up)", role_name(item.role))
        };
        let a = i
            .action_cited(RuleId::NextStep, RuleState::Fired, &item.source, message, evidence)
            .item(&item.id);
        if CLINIC_ROLES.contains(&item.role) { a.role(item.role) } else { a }
    };
    for next in i.view.next_steps.iter().filter(|s| s.phase == i.view.current_phase) {
        let Some(item) = i.protocol.item(&next.item) else { continue };
        if item.education_topic || item.milestone.is_some_and(|m| covered_elsewhere.contains(&m)) {
            continue;
        }
        out.push(step(item, &next.phase, next.state, format!("Next step: {}", item.title)));
    }
    for b in i.view.blocked.iter().filter(|b| b.phase == i.view.current_phase) {
        let BlockedReason::OnHold { reason } = &b.why else { continue };
        let Some(item) = i.protocol.item(&b.item) else { continue };
        if item.milestone == Some(Milestone::InsuranceCoverage) {
            continue;
        }
        let note = reason.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        out.push(step(item, &b.phase, ItemState::OnHold, format!("On hold: {}{note}", item.title)));
    }
}

/// A role as a message names it: "the patient", "the pump trainer".
fn role_name(role: Role) -> String {
    format!("the {}", role.as_str().replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::beside;

    #[test]
    fn a_number_beside_its_threshold_never_reads_as_across_it() {
        // 69.96 % wear is too little: never "70.0" beside "too little wear".
        assert_eq!(beside(69.9, 70.0), "69.9");
        assert_eq!(beside(69.96, 70.0), "69.96");
        assert_eq!(beside(69.99999, 70.0), "69.9");
        // Above a goal stays above it: 4.04 % under 70 mg/dL is not "4.0" beside "goal under 4%".
        assert_eq!(beside(4.04, 4.0), "4.04");
        assert_eq!(beside(4.00001, 4.0), "4.1");
        assert_eq!(beside(4.94, 4.0), "4.9");
        assert_eq!(beside(70.0, 70.0), "70.0");
        assert_eq!(beside(13.96, 14.0), "13.96");
    }
}
