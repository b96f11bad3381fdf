//! References to passages of the clinic's handout ("Your pathway to insulin pump therapy").
//!
//! Every checklist item and every action carries a `source`: `section.N` names the N-th bullet of a section,
//! `section.sN` its N-th prose sentence, counted from 1. The sections are `intro` (the four phases),
//! `pre_pump` (three bullets), `understanding_the_pump` (sentences s1–s10 and the nine education topics as
//! bullets 1–9) and `post_pump_care` (sentences s1–s3 and three bullets). The handout has no maintenance section:
//! maintenance items cite the education topics they come from. [`passages`] lists each reference the
//! embedded protocol uses with a summary in our words (a pointer into the handout, never a copy of it).

/// Whether `s` has the form of a handout reference: `section.N` or `section.sN`.
pub fn is_source_ref(s: &str) -> bool {
    let Some((section, passage)) = s.split_once('.') else {
        return false;
    };
    let section_ok = section.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && section.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    let digits = passage.strip_prefix('s').unwrap_or(passage);
    section_ok && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

/// The handout passages pumppath refers to, as (reference, summary in our words).
pub fn passages() -> &'static [(&'static str, &'static str)] {
    &[
        ("intro.3", "the pathway's third phase is maintenance"),
        ("pre_pump.1", "check insurance coverage and pre-pump requirements; approval can take weeks"),
        ("pre_pump.2", "learn about the pump options, from the team, the pump company and others"),
        (
            "pre_pump.3",
            "tell the provider the chosen pump; it is ordered via pump company, supply company or pharmacy",
        ),
        ("understanding_the_pump.s1", "a certified pump trainer contacts the patient to schedule training"),
        ("understanding_the_pump.s2", "the trainer is not clinic staff"),
        ("understanding_the_pump.s3", "review the pump's materials before meeting the trainer"),
        ("understanding_the_pump.s4", "pump settings may change in the first weeks"),
        ("understanding_the_pump.s5", "upload or link the pump to the clinic for the provider's review"),
        ("understanding_the_pump.s7", "call the team about high or low glucose"),
        (
            "understanding_the_pump.s8",
            "a visit with a diabetes care and education specialist shortly after the start",
        ),
        ("understanding_the_pump.s9", "that visit reviews settings, basic features and a back-up plan"),
        ("understanding_the_pump.1", "topic: preventing and treating high and low glucose"),
        ("understanding_the_pump.2", "topic: sick day guidelines"),
        ("understanding_the_pump.3", "topic: advanced pump features"),
        ("understanding_the_pump.4", "topic: travelling with a pump"),
        ("understanding_the_pump.5", "topic: pump failure"),
        ("understanding_the_pump.6", "topic: renewing pump supplies"),
        ("understanding_the_pump.7", "topic: infusion sets"),
        ("understanding_the_pump.8", "topic: infusion sites"),
        ("understanding_the_pump.9", "topic: taping issues"),
        ("post_pump_care.s1", "follow up with the diabetes team every 3 months"),
        ("post_pump_care.1", "call the clinic when glucose is frequently below 70 or above 250 mg/dL"),
        ("post_pump_care.2", "know the pump-failure back-up plan and how to problem-solve high glucose"),
        ("post_pump_care.3", "know how and where to get supplies; contact the supplier with questions"),
    ]
}

/// The summary of a passage, if pumppath knows the reference.
pub fn summary(source: &str) -> Option<&'static str> {
    passages().iter().find(|(r, _)| *r == source).map(|(_, s)| *s)
}
