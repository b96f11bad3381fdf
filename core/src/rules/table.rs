//! The rule table: every rule's id, category, who acts, its handout passage, its severity in each state it can
//! find, the shape of its evidence and what fires it, in one place. The rule code takes each action's role,
//! source and severity from it; the docs' tables (the rules and the severity policy) are generated from it (a
//! test keeps the module docs and docs/reference.md equal to [`rule_table_markdown`] and
//! [`severity_policy_markdown`]), and so is `docs/rules.md`, the catalogue for clinicians
//! ([`rule_catalogue_markdown`]); the action schema pins each rule's states and evidence from it; and the
//! bindings can show it as it is.
//!
//! The table is one `match` over [`RuleId`] (the compiler checks that every rule has its row), and
//! [`RULE_TABLE`] is derived from it in [`RuleId::ALL`] order.

use serde::Serialize;

use super::{Category, EvidenceKind, RuleId, Severity};
use crate::pathway::Role;
use crate::schedule::DueState;
use crate::wire::wire_enum;

wire_enum! {
    /// What a rule found: the state that picks the action's severity from the rule's rows of the
    /// [`RULE_TABLE`] (the severity policy). Every action carries it.
    pub enum RuleState {
        /// The rule's one finding (a rule with a single row).
        Fired => "fired",
        /// Glucose frequently high on the pump.
        OnPump => "on_pump",
        /// Glucose frequently high before the pump start.
        BeforePump => "before_pump",
        /// The reminder's window is open and its due date ahead.
        DueSoon => "due_soon",
        /// On or past the due date, within the tolerance.
        Due => "due",
        /// Past the tolerance.
        Overdue => "overdue",
        /// Booked for a date after the window closes, before the window opens.
        BookedPastClose => "booked_past_close",
        /// The specialist visit was held without the back-up plan.
        BackupPlanMissing => "backup_plan_missing",
        /// The specialist visit was held with the back-up plan but without some education topics.
        TopicsMissing => "topics_missing",
    }
}

impl RuleState {
    /// The state of a dated reminder whose window is in `state`; `None` before the window opens and once done
    /// (nothing to do).
    ///
    /// ```
    /// use pumppath::rules::RuleState;
    /// use pumppath::schedule::DueState;
    ///
    /// assert_eq!(RuleState::of_window(DueState::Overdue), Some(RuleState::Overdue));
    /// assert_eq!(RuleState::of_window(DueState::Upcoming), None);
    /// ```
    pub const fn of_window(state: DueState) -> Option<RuleState> {
        match state {
            DueState::DueSoon => Some(RuleState::DueSoon),
            DueState::Due => Some(RuleState::Due),
            DueState::Overdue => Some(RuleState::Overdue),
            DueState::Upcoming | DueState::Done => None,
        }
    }
}

/// One row of a rule's severity policy: in this state, this severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
pub struct SeverityRow {
    /// The state.
    pub state: RuleState,
    /// The severity the rule gives in it.
    pub severity: Severity,
}

/// What a rule is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(deny_unknown_fields))]
pub struct RuleSpec {
    /// The rule's id.
    pub rule: RuleId,
    /// What its findings are about (the order at equal severity).
    pub category: Category,
    /// Who at the clinic acts (`next_step`: this role, or the item's own role when that is a clinic role).
    pub role: Role,
    /// The handout passage behind it, by default; rules about a checklist item cite the item's own passage
    /// (a clinic's protocol may reword it).
    pub source: &'static str,
    /// Its severity in each state it can find (a reminder's in the order it goes through them): the severity
    /// policy's rows.
    pub severities: &'static [SeverityRow],
    /// The shape of its evidence.
    pub evidence: EvidenceKind,
    /// When it fires, in a sentence.
    pub fires_when: &'static str,
}

/// The roles that work at the clinic: every action goes to one of them (what the patient, the pump trainer,
/// the insurer or the supplier must do is said in the message).
pub const CLINIC_ROLES: [Role; 3] = [Role::ClinicStaff, Role::Provider, Role::Specialist];

use RuleState::{
    BackupPlanMissing, BeforePump, BookedPastClose, Due, DueSoon, Fired, OnPump, Overdue, TopicsMissing,
};
use Severity::{Info, Routine, Soon, Urgent};

/// A row as a literal, so that `&[row!(..)]` is promoted to a `'static` slice inside the `const fn` below.
macro_rules! row {
    ($state:ident, $severity:ident) => {
        SeverityRow { state: $state, severity: $severity }
    };
}

const GLUCOSE: Category = Category::GlucoseSafety;
const CARE: Category = Category::Care;
const ADMIN: Category = Category::Administration;

/// A dated reminder: routine while due soon and due within its tolerance, soon once overdue (urgent is kept
/// for glucose safety, so lateness rises from routine to soon).
const DATED: &[SeverityRow] = &[row!(DueSoon, Routine), row!(Due, Routine), row!(Overdue, Soon)];

const fn spec(
    rule: RuleId,
    category: Category,
    role: Role,
    source: &'static str,
    severities: &'static [SeverityRow],
    evidence: EvidenceKind,
    fires_when: &'static str,
) -> RuleSpec {
    RuleSpec { rule, category, role, source, severities, evidence, fires_when }
}

/// The one rule table, as a `match` the compiler checks for every rule.
const fn spec_of(rule: RuleId) -> RuleSpec {
    use EvidenceKind as E;
    use Role::{ClinicStaff, Provider, Specialist};
    match rule {
        RuleId::FrequentLows => spec(
            rule,
            GLUCOSE,
            Provider,
            "post_pump_care.1",
            &[row!(Fired, Urgent)],
            E::FrequentGlucose,
            "the \"frequently\" rule finds glucose frequently low: percents on sufficient data; level 1 hypo \
             episodes on sparse data that miss the goal; 2 level 2 or 1 extended hypo episodes always",
        ),
        RuleId::FrequentHighs => spec(
            rule,
            GLUCOSE,
            Provider,
            "post_pump_care.1",
            &[row!(OnPump, Urgent), row!(BeforePump, Soon)],
            E::FrequentGlucose,
            "the \"frequently\" rule finds glucose frequently high (> 250 mg/dL, or the targets' above-range goal; \
             level 2 hyper episodes on sparse data): urgent on the pump (an interrupted infusion means \
             ketoacidosis within hours), soon before it",
        ),
        RuleId::FirstWeeksLow => spec(
            rule,
            GLUCOSE,
            Provider,
            "understanding_the_pump.s7",
            &[row!(Fired, Urgent)],
            E::FirstWeeksLow,
            "a level 2 or extended hypo episode in the episode window during the first weeks on the pump, when \
             frequent_lows does not fire",
        ),
        RuleId::InsufficientCgmData => spec(
            rule,
            GLUCOSE,
            ClinicStaff,
            "understanding_the_pump.s5",
            &[row!(Fired, Routine)],
            E::CgmData,
            "the window's CGM fails the consensus test (stale data included), or no CGM after the start; not for \
             too few days since the pump start, nor for a patient who wears no CGM",
        ),
        RuleId::NoCgm => spec(
            rule,
            GLUCOSE,
            Provider,
            "post_pump_care.1",
            &[row!(Fired, Info)],
            E::NoCgm,
            "the record says the patient wears no CGM and the window holds no reading; listed until acknowledged \
             (an acknowledgement without an until date stands until the record's CGM use changes), never a daily \
             alarm",
        ),
        RuleId::CgmDataStopped => spec(
            rule,
            GLUCOSE,
            ClinicStaff,
            "understanding_the_pump.s5",
            &[row!(Fired, Soon)],
            E::CgmStopped,
            "the patient wears a CGM (or has sent readings) but no reading came for `data_stopped_days` (3) days: the \
             clinic cannot judge what it cannot see",
        ),
        RuleId::Worsening => spec(
            rule,
            GLUCOSE,
            Provider,
            "post_pump_care.1",
            &[row!(Fired, Soon)],
            E::Worsening,
            "the last 14 days against the 14 before them, both sufficient: time in range down by more than 5 points, \
             mean glucose up by more than 10 mg/dL (0.6 mmol/L) or time below 70 up by more than 1 point",
        ),
        RuleId::FollowUpDue => spec(
            rule,
            CARE,
            ClinicStaff,
            "post_pump_care.s1",
            &[row!(DueSoon, Routine), row!(Due, Routine), row!(BookedPastClose, Routine)],
            E::FollowUp,
            "the next 3-monthly follow-up is due soon or due and not booked in its window (or booked past it)",
        ),
        RuleId::FollowUpOverdue => spec(
            rule,
            CARE,
            ClinicStaff,
            "post_pump_care.s1",
            &[row!(Overdue, Soon)],
            E::FollowUp,
            "the next follow-up is overdue and not booked in time",
        ),
        RuleId::SpecialistVisitDue => spec(
            rule,
            CARE,
            Specialist,
            "understanding_the_pump.s8",
            &[row!(DueSoon, Routine), row!(Due, Routine)],
            E::SpecialistVisit,
            "the specialist visit after the start is due soon or due and not booked in time; lists what it must cover",
        ),
        RuleId::SpecialistVisitOverdue => spec(
            rule,
            CARE,
            Specialist,
            "understanding_the_pump.s8",
            &[row!(Overdue, Soon)],
            E::SpecialistVisit,
            "the specialist visit is overdue and not booked in time; lists what it must cover",
        ),
        RuleId::PumpNotLinked => spec(
            rule,
            CARE,
            ClinicStaff,
            "understanding_the_pump.s5",
            DATED,
            E::FirstWeeks,
            "the pump started and is not uploaded or linked to the clinic; due at the end of the first weeks",
        ),
        RuleId::SettingsReviewPending => spec(
            rule,
            CARE,
            Provider,
            "understanding_the_pump.s4",
            DATED,
            E::FirstWeeks,
            "the pump started and its settings are not reviewed; due at the end of the first weeks",
        ),
        RuleId::InsurancePending => spec(
            rule,
            ADMIN,
            ClinicStaff,
            "pre_pump.1",
            &[row!(Due, Routine), row!(Overdue, Soon)],
            E::InsurancePending,
            "coverage still pending at the check-in date",
        ),
        RuleId::InsuranceDenied => spec(
            rule,
            ADMIN,
            ClinicStaff,
            "pre_pump.1",
            &[row!(Fired, Soon)],
            E::InsuranceDenied,
            "coverage denied and not resubmitted or settled",
        ),
        RuleId::TopicsNotCovered => spec(
            rule,
            CARE,
            Specialist,
            "understanding_the_pump.s8",
            &[row!(BackupPlanMissing, Soon), row!(TopicsMissing, Routine)],
            E::Topics,
            "the specialist visit was held without the back-up plan or some topics: one action, due at the next \
             visit, naming each item with its own handout passage",
        ),
        RuleId::StepsNotRecorded => spec(
            rule,
            ADMIN,
            ClinicStaff,
            "understanding_the_pump.s1",
            &[row!(Fired, Soon)],
            E::Steps,
            "an item completed by its own event (the pump start) while its prerequisites are not on record",
        ),
        RuleId::SuppliesReorder => spec(
            rule,
            CARE,
            ClinicStaff,
            "post_pump_care.3",
            DATED,
            E::Supplies,
            "the last batch is expected to run out within the reorder lead (an estimate from the days of supply); \
             overdue once it is expected to have run out",
        ),
        RuleId::NextStep => spec(
            rule,
            ADMIN,
            ClinicStaff,
            "intro.3",
            &[row!(Fired, Info)],
            E::NextStep,
            "the current phase's next steps (or holds) that no other rule speaks for; the source is the item's, \
             and the item's own role acts when it is a clinic role (else clinic_staff follows it up)",
        ),
    }
}

/// Every rule, in [`RuleId::ALL`] order, derived from the one table.
pub const RULE_TABLE: [RuleSpec; RuleId::ALL.len()] = {
    let mut table = [spec_of(RuleId::FrequentLows); RuleId::ALL.len()];
    let mut k = 0;
    while k < table.len() {
        table[k] = spec_of(RuleId::ALL[k]);
        k += 1;
    }
    table
};

impl RuleId {
    /// The rule's row of the rule table.
    ///
    /// ```
    /// use pumppath::rules::{RuleId, RuleState, Severity};
    ///
    /// let spec = RuleId::FrequentHighs.spec();
    /// assert_eq!(spec.source, "post_pump_care.1");
    /// assert_eq!(RuleId::FrequentHighs.severity_in(RuleState::OnPump), Some(Severity::Urgent));
    /// assert_eq!(RuleId::FrequentHighs.severity_in(RuleState::Overdue), None);
    /// ```
    pub const fn spec(self) -> RuleSpec {
        spec_of(self)
    }

    /// What the rule's findings are about, for the ordering at equal severity.
    pub const fn category(self) -> Category {
        spec_of(self).category
    }

    /// The severity the table gives the rule in `state`; `None` when the rule finds nothing in that state.
    pub fn severity_in(self, state: RuleState) -> Option<Severity> {
        spec_of(self).severities.iter().find(|r| r.state == state).map(|r| r.severity)
    }

    /// The most severe severity the table gives the rule in any state.
    pub fn most_severe(self) -> Severity {
        spec_of(self).severities.iter().map(|r| r.severity).min().unwrap_or(Severity::Urgent)
    }
}

/// The severities' meanings, as the policy table opens each row.
fn meaning(severity: Severity) -> &'static str {
    match severity {
        Severity::Urgent => "today: glucose safety, and nothing else",
        Severity::Soon => {
            "within days: what is overdue (visits, the first weeks' link and review, the insurance check-in, \
             supplies), a denial, glucose the clinic cannot see or that worsens, frequent highs before the pump, \
             steps missing from the record, the back-up plan not covered"
        }
        Severity::Routine => {
            "at the next routine contact: what is due soon or due within its tolerance, too little CGM data, \
             topics left for the next visit"
        }
        Severity::Info => "for information, not a task: the next pathway steps, no CGM on record",
    }
}

/// The severity policy as Markdown, generated from the [`RULE_TABLE`]: for each severity, its meaning and every
/// rule (and state) that gives it.
pub fn severity_policy_markdown() -> String {
    let mut out = String::from("| severity | meaning | rules (state) |\n|---|---|---|\n");
    for severity in Severity::ALL {
        let rules: Vec<String> = RULE_TABLE
            .iter()
            .filter_map(|s| {
                let states: Vec<&str> = s
                    .severities
                    .iter()
                    .filter(|r| r.severity == severity)
                    .map(|r| r.state.as_str())
                    .collect();
                match states.len() {
                    0 => None,
                    // A rule with one row is named alone; otherwise its states of this severity follow.
                    _ if s.severities.len() == 1 => Some(format!("`{}`", s.rule)),
                    _ => Some(format!("`{}` ({})", s.rule, states.join(", "))),
                }
            })
            .collect();
        out.push_str(&format!("| `{severity}` | {} | {} |\n", meaning(severity), rules.join(", ")));
    }
    out
}

/// The rule table as Markdown, as the `rules` module docs show it.
pub fn rule_table_markdown() -> String {
    let mut out = String::from(
        "| rule | fires when | severity | category | role | source |\n|---|---|---|---|---|---|\n",
    );
    for s in &RULE_TABLE {
        let severities: Vec<String> = match s.severities {
            [only] if only.state == RuleState::Fired => vec![only.severity.to_string()],
            rows => rows.iter().map(|r| format!("{}: {}", r.state, r.severity)).collect(),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            s.rule,
            s.fires_when,
            severities.join(", "),
            s.category,
            s.role,
            s.source
        ));
    }
    out
}

/// Who a role is, for a clinician reading the catalogue.
fn desk(role: Role) -> &'static str {
    match role {
        Role::ClinicStaff => "the front desk: scheduling, calls, paperwork, uploads",
        Role::Provider => "the physician or nurse practitioner who reviews glucose and pump settings",
        Role::Specialist => "the diabetes care and education specialist",
        // Never a rule's role (the table test keeps every rule at a clinic desk).
        _ => "outside the clinic",
    }
}

/// What a state means, as the catalogue explains each rule's severities.
fn state_meaning(state: RuleState) -> &'static str {
    match state {
        RuleState::Fired => "when it fires",
        RuleState::OnPump => "on the pump",
        RuleState::BeforePump => "before the pump start",
        RuleState::DueSoon => "due soon (the window is open, the due date ahead)",
        RuleState::Due => "due (on or past the due date, within the tolerance)",
        RuleState::Overdue => "overdue (past the tolerance)",
        RuleState::BookedPastClose => "booked for a date after the window closes",
        RuleState::BackupPlanMissing => "the visit was held without the back-up plan",
        RuleState::TopicsMissing => "the back-up plan was covered, some topics were not",
    }
}

/// The rule catalogue as Markdown (`docs/rules.md`), generated from the [`RULE_TABLE`] for the clinicians who
/// act on the work-list: per rule, what fires it, its severity in each state, who acts, its category, the shape
/// of its evidence and the handout passage behind it (its reference, with the summary of
/// [`handout::summary`](crate::pathway::handout::summary), which points into the handout rather than copying it).
///
/// ```
/// let catalogue = pumppath::rules::rule_catalogue_markdown();
/// assert!(catalogue.contains("### `frequent_lows`"));
/// assert!(catalogue.contains("`post_pump_care.1`"));
/// ```
pub fn rule_catalogue_markdown() -> String {
    let mut out = String::from(
        "# The rules\n\n\
         <!-- Generated from pumppath::rules::RULE_TABLE by rule_catalogue_markdown(): do not edit; \
         `PUMPPATH_BLESS=1 cargo test -p pumppath --all-features` rewrites it, and a test fails when it is stale. -->\n\n\
         What pumppath checks for every patient, each day the clinic asks, and what it asks the clinic to do. Every \
         action on the work-list names its rule (below), the state the rule found, its severity, the clinic desk \
         that acts, a due date, a message and the evidence behind it. The handout passages are the clinic handout \
         \"Your pathway to insulin pump therapy\", cited by reference (`section.N` is the N-th bullet of a \
         section, `section.sN` its N-th sentence) with a summary in our words.\n\n\
         ## Severities\n\n",
    );
    for severity in Severity::ALL {
        out.push_str(&format!("- **{severity}**: {}.\n", meaning(severity)));
    }
    out.push_str(
        "\nAt equal severity, glucose safety comes before care and care before administration; then the earlier \
         due date.\n",
    );
    for category in [Category::GlucoseSafety, Category::Care, Category::Administration] {
        let title = match category {
            Category::GlucoseSafety => "Glucose safety",
            Category::Care => "Care",
            Category::Administration => "Administration",
        };
        out.push_str(&format!("\n## {title}\n"));
        for s in RULE_TABLE.iter().filter(|s| s.category == category) {
            let severities: Vec<String> = match s.severities {
                [only] if only.state == RuleState::Fired => vec![format!("**{}**", only.severity)],
                rows => rows
                    .iter()
                    .map(|r| format!("**{}** {} (`{}`)", r.severity, state_meaning(r.state), r.state))
                    .collect(),
            };
            let passage = crate::pathway::handout::summary(s.source).unwrap_or("a passage of the handout");
            out.push_str(&format!(
                "\n### `{}`\n\n\
                 - Fires when: {}.\n\
                 - Severity: {}.\n\
                 - Who acts: `{}`, {}.\n\
                 - Category: `{}`.\n\
                 - Evidence: `{}`.\n\
                 - Handout: `{}` (in short: {}).\n",
                s.rule,
                s.fires_when,
                severities.join("; "),
                s.role,
                desk(s.role),
                s.category,
                s.evidence,
                s.source,
                passage
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_rule_id_order_and_every_row_is_whole() {
        assert_eq!(RULE_TABLE.len(), RuleId::ALL.len());
        for (spec, rule) in RULE_TABLE.iter().zip(RuleId::ALL) {
            assert_eq!(spec.rule, rule);
            assert_eq!(rule.spec(), *spec);
            assert!(crate::pathway::handout::summary(spec.source).is_some(), "{rule}: {}", spec.source);
            assert!(!spec.severities.is_empty(), "{rule}");
            assert!(CLINIC_ROLES.contains(&spec.role), "{rule}: {} works at no clinic desk", spec.role);
            // One row per state, and urgent only for glucose safety.
            for (k, r) in spec.severities.iter().enumerate() {
                assert!(spec.severities[..k].iter().all(|p| p.state != r.state), "{rule}: {} twice", r.state);
                assert!(r.severity != Severity::Urgent || spec.category == Category::GlucoseSafety, "{rule}");
            }
        }
    }

    #[test]
    fn lateness_never_lowers_a_reminders_severity() {
        // An overdue reminder rises above a due one, and a due one never falls below one due soon.
        for rule in RuleId::ALL {
            let at = |state| rule.severity_in(state);
            if let (Some(due), Some(overdue)) = (at(RuleState::Due), at(RuleState::Overdue)) {
                assert!(overdue < due, "{rule}: overdue {overdue} does not rise above due {due}");
            }
            if let (Some(soon), Some(due)) = (at(RuleState::DueSoon), at(RuleState::Due)) {
                assert!(due <= soon, "{rule}");
            }
        }
        // The split rules too: an overdue visit rises above the same visit due.
        for (due, overdue) in [
            (RuleId::SpecialistVisitDue, RuleId::SpecialistVisitOverdue),
            (RuleId::FollowUpDue, RuleId::FollowUpOverdue),
        ] {
            let worst_due = due.spec().severities.iter().map(|r| r.severity).min();
            let overdue = overdue.severity_in(RuleState::Overdue);
            assert!(overdue.zip(worst_due).is_some_and(|(o, d)| o < d), "{due}");
        }
    }

    /// The module docs and docs/reference.md show the tables generated from [`RULE_TABLE`]; `PUMPPATH_BLESS=1`
    /// rewrites them.
    #[test]
    fn the_docs_tables_are_the_rule_table() {
        let root = env!("CARGO_MANIFEST_DIR");
        let docs = [
            (format!("{root}/src/rules/mod.rs"), "//! ", "| rule | fires when", rule_table_markdown()),
            (format!("{root}/src/rules/mod.rs"), "//! ", "| severity | meaning", severity_policy_markdown()),
            (format!("{root}/../docs/reference.md"), "", "| severity | meaning", severity_policy_markdown()),
        ];
        for (path, prefix, head, markdown) in docs {
            let source = std::fs::read_to_string(&path).unwrap();
            let table: String = markdown.lines().map(|l| format!("{prefix}{l}\n")).collect();
            let start = source.find(&format!("{prefix}{head}")).unwrap();
            let blank = format!("\n{}\n", prefix.trim_end());
            let end = start + source[start..].find(&blank).unwrap() + 1;
            if std::env::var_os("PUMPPATH_BLESS").is_some() {
                std::fs::write(&path, format!("{}{}{}", &source[..start], table, &source[end..])).unwrap();
                continue;
            }
            assert!(
                source[start..end] == table,
                "{path}: the table {head} is stale: run PUMPPATH_BLESS=1 cargo test"
            );
        }
    }
}
