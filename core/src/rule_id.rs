//! The ids of the rules: a leaf below both the pathway (an acknowledgement names the rule it quiets) and the
//! rules (which say what each id fires on), so neither reaches up into the other. Re-exported as
//! [`rules::RuleId`](crate::rules::RuleId).

use crate::wire::wire_enum;

wire_enum! {
    /// The stable id of a rule. The wire names are the contract clinic systems filter on.
    #[non_exhaustive]
    pub enum RuleId {
        /// Glucose frequently < 70 mg/dL: the patient should call, or be called (handout post_pump_care.1).
        FrequentLows => "frequent_lows",
        /// Glucose frequently > 250 mg/dL (handout post_pump_care.1).
        FrequentHighs => "frequent_highs",
        /// A level 2 or extended hypo episode in the first weeks on the pump: "call the diabetes team if you have
        /// high or low blood sugars" (handout understanding_the_pump.s7).
        FirstWeeksLow => "first_weeks_low",
        /// Too little CGM data to judge (consensus: ≥ 14 days, ≥ 70 % wear).
        InsufficientCgmData => "insufficient_cgm_data",
        /// The record says the patient wears no CGM: glucose is not judged (information).
        NoCgm => "no_cgm",
        /// The patient wears a CGM but its data stopped: no reading for `data_stopped_days` (3) days.
        CgmDataStopped => "cgm_data_stopped",
        /// Glucose is worse than in the patient's own prior 14 days (time in range down, mean or time below 70 up).
        Worsening => "worsening",
        /// The 3-monthly follow-up is due soon or due (handout post_pump_care.s1).
        FollowUpDue => "follow_up_due",
        /// The 3-monthly follow-up is overdue.
        FollowUpOverdue => "follow_up_overdue",
        /// The specialist visit after the pump start is due soon or due (handout understanding_the_pump.s8).
        SpecialistVisitDue => "specialist_visit_due",
        /// The specialist visit after the pump start is overdue.
        SpecialistVisitOverdue => "specialist_visit_overdue",
        /// The pump is not uploaded or linked to the clinic (handout understanding_the_pump.s5).
        PumpNotLinked => "pump_not_linked",
        /// The first weeks' settings review is pending (handout understanding_the_pump.s4).
        SettingsReviewPending => "settings_review_pending",
        /// Insurance coverage still pending at the check-in date (handout pre_pump.1).
        InsurancePending => "insurance_pending",
        /// Insurance coverage denied (handout pre_pump.1).
        InsuranceDenied => "insurance_denied",
        /// The specialist visit was held without covering the back-up plan or some of the nine education topics:
        /// one action listing them, due at the next visit (handout understanding_the_pump.s8, s9, 1–9).
        TopicsNotCovered => "topics_not_covered",
        /// An item was completed by an event of its own (the pump start) while its prerequisites are not on
        /// record (training, materials review): the clinic often learns of them afterwards.
        StepsNotRecorded => "steps_not_recorded",
        /// Supplies should be reordered before the last batch runs out (handout post_pump_care.3).
        SuppliesReorder => "supplies_reorder",
        /// The patient's next step on the pathway.
        NextStep => "next_step",
    }
}
