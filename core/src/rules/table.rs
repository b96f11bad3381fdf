//! The rule table: every rule's id, category, who acts, its handout passage, the severities it can give and
//! what fires it, in one place. The rule code takes each action's role and source from it, the docs' table is
//! generated from it (a test keeps the module docs equal to [`rule_table_markdown`]), and the bindings can
//! show it as it is.

use serde::Serialize;

use super::{Category, RuleId, Severity};
use crate::pathway::Role;

/// What a rule is.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleSpec {
    /// The rule's id.
    pub rule: RuleId,
    /// What its findings are about (the order at equal severity).
    pub category: Category,
    /// Who acts; `None` for `next_step`, whose role is the item's.
    pub role: Option<Role>,
    /// The handout passage behind it, by default; rules about a checklist item cite the item's own passage
    /// (a clinic's protocol may reword it).
    pub source: &'static str,
    /// The severities it can give, most severe first.
    pub severities: &'static [Severity],
    /// When it fires, in a sentence.
    pub fires_when: &'static str,
}

use Severity::{Info, Routine, Soon, Urgent};

const fn spec(
    rule: RuleId,
    category: Category,
    role: Option<Role>,
    source: &'static str,
    severities: &'static [Severity],
    fires_when: &'static str,
) -> RuleSpec {
    RuleSpec { rule, category, role, source, severities, fires_when }
}

const GLUCOSE: Category = Category::GlucoseSafety;
const CARE: Category = Category::Care;
const ADMIN: Category = Category::Administration;

/// Every rule, in the order of the table (and of [`RuleId::ALL`]).
pub const RULE_TABLE: [RuleSpec; 19] = [
    spec(
        RuleId::FrequentLows,
        GLUCOSE,
        Some(Role::Provider),
        "post_pump_care.1",
        &[Urgent],
        "the \"frequently\" rule finds glucose frequently low: percents on sufficient data; level 1 hypo \
         episodes on sparse data that miss the goal; 2 level 2 or 1 extended hypo episodes always",
    ),
    spec(
        RuleId::FrequentHighs,
        GLUCOSE,
        Some(Role::Provider),
        "post_pump_care.1",
        &[Urgent, Soon],
        "the \"frequently\" rule finds glucose frequently high (> 250 mg/dL, or the targets' above-range goal; \
         level 2 hyper episodes on sparse data): urgent on the pump, soon before it",
    ),
    spec(
        RuleId::FirstWeeksLow,
        GLUCOSE,
        Some(Role::Provider),
        "understanding_the_pump.s7",
        &[Urgent],
        "a level 2 or extended hypo episode in the episode window during the first weeks on the pump, when \
         frequent_lows does not fire",
    ),
    spec(
        RuleId::InsufficientCgmData,
        GLUCOSE,
        Some(Role::ClinicStaff),
        "understanding_the_pump.s5",
        &[Routine],
        "the window's CGM fails the consensus test (stale data included), or no CGM after the start; not for \
         too few days since the pump start, nor for a patient who wears no CGM",
    ),
    spec(
        RuleId::NoCgm,
        GLUCOSE,
        Some(Role::Provider),
        "post_pump_care.1",
        &[Info],
        "the record says the patient wears no CGM and the window holds no reading",
    ),
    spec(
        RuleId::CgmDataStopped,
        GLUCOSE,
        Some(Role::ClinicStaff),
        "understanding_the_pump.s5",
        &[Soon],
        "the patient wears a CGM (or has sent readings) but no reading came for `data_stopped_days` (3) days: the \
         clinic cannot judge what it cannot see",
    ),
    spec(
        RuleId::Worsening,
        GLUCOSE,
        Some(Role::Provider),
        "post_pump_care.1",
        &[Soon],
        "the last 14 days against the 14 before them, both sufficient: time in range down by more than 5 points, \
         mean glucose up by more than 10 mg/dL (0.6 mmol/L) or time below 70 up by more than 1 point",
    ),
    spec(
        RuleId::FollowUpDue,
        CARE,
        Some(Role::ClinicStaff),
        "post_pump_care.s1",
        &[Soon, Routine],
        "the next 3-monthly follow-up is due soon or due and not booked in its window (or booked past it)",
    ),
    spec(
        RuleId::FollowUpOverdue,
        CARE,
        Some(Role::ClinicStaff),
        "post_pump_care.s1",
        &[Soon],
        "the next follow-up is overdue and not booked in time",
    ),
    spec(
        RuleId::SpecialistVisitDue,
        CARE,
        Some(Role::Specialist),
        "understanding_the_pump.s8",
        &[Soon, Routine],
        "the specialist visit after the start is due soon or due and not booked in time; lists what it must cover",
    ),
    spec(
        RuleId::SpecialistVisitOverdue,
        CARE,
        Some(Role::Specialist),
        "understanding_the_pump.s8",
        &[Soon],
        "the specialist visit is overdue and not booked in time; lists what it must cover",
    ),
    spec(
        RuleId::PumpNotLinked,
        CARE,
        Some(Role::Patient),
        "understanding_the_pump.s5",
        &[Soon],
        "the pump started and is not uploaded or linked to the clinic",
    ),
    spec(
        RuleId::SettingsReviewPending,
        CARE,
        Some(Role::Provider),
        "understanding_the_pump.s4",
        &[Soon],
        "the pump started and its settings are not reviewed",
    ),
    spec(
        RuleId::InsurancePending,
        ADMIN,
        Some(Role::ClinicStaff),
        "pre_pump.1",
        &[Soon],
        "coverage still pending at the check-in date",
    ),
    spec(
        RuleId::InsuranceDenied,
        ADMIN,
        Some(Role::ClinicStaff),
        "pre_pump.1",
        &[Soon],
        "coverage denied and not resubmitted or settled",
    ),
    spec(
        RuleId::TopicsNotCovered,
        CARE,
        Some(Role::Specialist),
        "understanding_the_pump.s8",
        &[Soon, Routine],
        "the specialist visit was held without the back-up plan (soon) or some topics (routine): one action, \
         due at the next visit",
    ),
    spec(
        RuleId::StepsNotRecorded,
        ADMIN,
        Some(Role::ClinicStaff),
        "understanding_the_pump.s1",
        &[Soon],
        "an item completed by its own event (the pump start) while its prerequisites are not on record",
    ),
    spec(
        RuleId::SuppliesReorder,
        CARE,
        Some(Role::Patient),
        "post_pump_care.3",
        &[Soon, Routine],
        "the last batch is expected to run out within the reorder lead (an estimate from the days of supply)",
    ),
    spec(
        RuleId::NextStep,
        ADMIN,
        None,
        "intro.3",
        &[Info],
        "the current phase's next steps (or holds) that no other rule speaks for; role and source are the \
         item's",
    ),
];

impl RuleId {
    /// The rule's row of the [`RULE_TABLE`].
    pub fn spec(self) -> &'static RuleSpec {
        // The table is in `ALL` order; a test checks it, so the index never misses.
        let position = RuleId::ALL.iter().position(|r| *r == self).unwrap_or(0);
        &RULE_TABLE[position]
    }

    /// What the rule's findings are about, for the ordering at equal severity.
    pub fn category(self) -> Category {
        self.spec().category
    }
}

/// The rule table as Markdown, as the `rules` module docs show it.
pub fn rule_table_markdown() -> String {
    let mut out = String::from(
        "| rule | fires when | severity | category | role | source |\n|---|---|---|---|---|---|\n",
    );
    for s in &RULE_TABLE {
        let severities: Vec<&str> = s.severities.iter().map(|v| v.as_str()).collect();
        let role = s.role.map_or("the item's", |r| r.as_str());
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            s.rule,
            s.fires_when,
            severities.join(", "),
            s.category,
            role,
            s.source
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_rule_id_order_and_covers_every_rule() {
        assert_eq!(RULE_TABLE.len(), RuleId::ALL.len());
        for (spec, rule) in RULE_TABLE.iter().zip(RuleId::ALL) {
            assert_eq!(spec.rule, rule);
            assert!(crate::pathway::handout::summary(spec.source).is_some(), "{rule}: {}", spec.source);
            assert!(!spec.severities.is_empty(), "{rule}");
        }
    }

    /// The module docs show the table generated from [`RULE_TABLE`]; `PUMPPATH_BLESS=1` rewrites them.
    #[test]
    fn the_docs_table_is_the_rule_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules/mod.rs");
        let source = std::fs::read_to_string(path).unwrap();
        let table: String = rule_table_markdown().lines().map(|l| format!("//! {l}\n")).collect();
        let start = source.find("//! | rule | fires when").unwrap();
        let end = start + source[start..].find("\n//!\n").unwrap() + 1;
        if std::env::var_os("PUMPPATH_BLESS").is_some() {
            std::fs::write(path, format!("{}{}{}", &source[..start], table, &source[end..])).unwrap();
            return;
        }
        assert!(
            source[start..end] == table,
            "the rules docs' table is stale: run PUMPPATH_BLESS=1 cargo test"
        );
    }
}
