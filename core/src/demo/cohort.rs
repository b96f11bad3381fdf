//! The demo clinic: seven patients at different points of the pathway, with their records.

use jiff::Timestamp;
use jiff::civil::DateTime;

use super::{DEMO_START, GlucoseProfile, readings};
use crate::pathway::{Event, EventKind, InsuranceDecision, OrderChannel, Protocol, Record, Role, VisitKind};

/// The demo clinic's "now": 2026-03-16 09:00 in [`DEMO_TIME_ZONE`] (15:00 UTC). The CGM traces end just before.
pub const DEMO_NOW: &str = "2026-03-16T15:00:00Z";
/// The demo clinic's IANA time zone.
pub const DEMO_TIME_ZONE: &str = "America/Chicago";

/// A patient of the demo clinic.
#[derive(Clone, Debug)]
pub struct DemoPatient {
    /// The patient's id in the record.
    pub id: &'static str,
    /// A made-up display name.
    pub name: &'static str,
    /// Where the story puts them, in a few words.
    pub story: &'static str,
    /// Their glucose profile (14 days of CGM from [`DEMO_START`]).
    pub profile: GlucoseProfile,
    /// Their profile in the 14 days before [`DEMO_START`], when they have 28 days of CGM.
    pub prior_profile: Option<GlucoseProfile>,
    /// Days before the end of the trace that their CGM stopped sending (0: it did not).
    pub cgm_stopped_days_early: u32,
    /// Their pathway events, in recording order.
    pub events: Vec<Event>,
}

impl DemoPatient {
    /// The patient's record on the standard protocol.
    ///
    /// The demo events are covered by tests, so this never fails on the standard protocol.
    pub fn record(&self, protocol: &Protocol) -> Result<Record, crate::pathway::EventError> {
        Record::replay(protocol, self.id, self.events.clone())
    }

    /// The patient's CGM readings, (wall-clock time, mg/dL): 14 days from [`DEMO_START`] (28 with a prior
    /// profile, the first 14 of them before it), ending early when the CGM stopped.
    pub fn readings(&self) -> Vec<(DateTime, f64)> {
        let mut out = match self.prior_profile {
            Some(prior) => {
                let start =
                    DEMO_START.checked_sub(jiff::SignedDuration::from_hours(14 * 24)).unwrap_or(DEMO_START);
                readings(prior, start, 14)
            }
            None => Vec::new(),
        };
        out.extend(readings(self.profile, DEMO_START, 14 - self.cgm_stopped_days_early.min(14)));
        out
    }
}

struct Story {
    events: Vec<Event>,
}

impl Story {
    fn at(&mut self, when: &str, actor: Role, kind: EventKind) -> &mut Self {
        // The literals below are valid RFC 3339 timestamps; a typo would show in the demo tests at once.
        let at: Timestamp = when.parse().unwrap_or(Timestamp::UNIX_EPOCH);
        let id = format!("ev{:02}", self.events.len() + 1);
        self.events.push(Event::new(id, at, actor, kind));
        self
    }
    fn done(&mut self, when: &str, actor: Role, item: &str) -> &mut Self {
        self.at(when, actor, EventKind::ItemCompleted { item: item.into() })
    }
    fn pre_pump(&mut self, start: &str) -> &mut Self {
        let day = |d: u32| format!("{start}T{:02}:00:00Z", 14 + d % 4);
        self.at(&day(0), Role::ClinicStaff, EventKind::InsuranceSubmitted).done(
            &day(1),
            Role::Patient,
            "pump_options_learned",
        )
    }
    fn events(&self) -> Vec<Event> {
        self.events.clone()
    }
}

const TOPICS: [&str; 9] = [
    "topic_high_low_glucose",
    "topic_sick_days",
    "topic_advanced_features",
    "topic_travel",
    "topic_pump_failure",
    "topic_supplies_renewal",
    "topic_infusion_sets",
    "topic_infusion_sites",
    "topic_taping",
];

fn started(s: &mut Story, pump: &str, dates: [&str; 7]) {
    s.at(dates[0], Role::Patient, EventKind::PumpChosen { pump: pump.into() })
        .done(dates[0], Role::Patient, "provider_informed")
        .at(dates[1], Role::Insurer, EventKind::InsuranceDecision { decision: InsuranceDecision::Approved })
        .at(dates[2], Role::Supplier, EventKind::PumpOrdered { channel: OrderChannel::PumpCompany })
        .done(dates[3], Role::PumpTrainer, "training_scheduled")
        .done(dates[4], Role::Patient, "pump_materials_reviewed")
        .done(dates[5], Role::PumpTrainer, "training_completed")
        .at(dates[6], Role::Patient, EventKind::PumpStarted);
}

/// A patient settled on the pump: linked, the specialist visit held with every topic and the back-up plan,
/// settings reviewed, maintenance in place (dates `YYYY-MM-DD` at 15:00 UTC), then follow-ups held on the
/// given dates.
fn settled(s: &mut Story, [link, visit, review, maintenance]: [&str; 4], follow_ups: &[&str]) {
    let at = |d: &str, h: u32| format!("{d}T{h}:00:00Z");
    let mut covered: Vec<String> = TOPICS.iter().map(|t| t.to_string()).collect();
    covered.push("backup_plan_reviewed".into());
    s.at(&at(link, 15), Role::Patient, EventKind::PumpLinked)
        .at(&at(visit, 15), Role::Specialist, EventKind::VisitHeld { visit: VisitKind::Specialist, covered })
        .done(&at(review, 15), Role::Provider, "settings_reviewed");
    for item in [
        "supplies_renewal_arranged",
        "infusion_set_routine",
        "taping_managed",
        "pump_failure_backup_in_place",
    ] {
        s.done(&at(maintenance, 15), Role::Patient, item);
    }
    for (k, day) in follow_ups.iter().enumerate() {
        s.at(
            &at(day, 15),
            Role::Provider,
            EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] },
        );
        if k == 0 {
            for item in ["knows_when_to_call", "knows_backup_plan", "knows_supply_source"] {
                s.done(&at(day, 16), Role::Patient, item);
            }
        }
    }
}

/// The demo cohort: seven patients at different points of the pathway, on the standard protocol.
///
/// ```
/// use pumppath::demo;
/// use pumppath::pathway::Protocol;
///
/// let protocol = Protocol::standard();
/// for patient in demo::cohort() {
///     assert!(patient.record(protocol).is_ok(), "{}", patient.id);
/// }
/// ```
pub fn cohort() -> Vec<DemoPatient> {
    let mut ana = Story { events: vec![] };
    ana.pre_pump("2026-02-09");

    let mut ema = Story { events: vec![] };
    // The denial was acknowledged: the clinic filed an appeal and waits until 20 March before chasing it.
    ema.pre_pump("2026-01-12")
        .at(
            "2026-02-20T16:00:00Z",
            Role::Insurer,
            EventKind::InsuranceDecision { decision: InsuranceDecision::Denied },
        )
        .at(
            "2026-03-10T15:00:00Z",
            Role::ClinicStaff,
            EventKind::ActionAcknowledged {
                rule: crate::rules::RuleId::InsuranceDenied,
                item: None,
                until: Some(jiff::civil::date(2026, 3, 20)),
            },
        );

    let mut ben = Story { events: vec![] };
    ben.pre_pump("2026-01-05");
    started(
        &mut ben,
        "Omnipod 5",
        [
            "2026-01-08T15:00:00Z",
            "2026-02-02T15:00:00Z",
            "2026-02-03T15:00:00Z",
            "2026-02-10T15:00:00Z",
            "2026-02-20T15:00:00Z",
            "2026-03-03T15:00:00Z",
            "2026-03-04T15:00:00Z",
        ],
    );

    let mut chloe = Story { events: vec![] };
    chloe.pre_pump("2025-09-15");
    started(
        &mut chloe,
        "Tandem Mobi",
        [
            "2025-09-19T15:00:00Z",
            "2025-10-13T15:00:00Z",
            "2025-10-14T15:00:00Z",
            "2025-10-20T15:00:00Z",
            "2025-11-03T15:00:00Z",
            "2025-11-18T15:00:00Z",
            "2025-11-20T15:00:00Z",
        ],
    );
    let covered: Vec<String> = TOPICS
        .iter()
        .filter(|t| !t.contains("travel") && !t.contains("advanced"))
        .map(|t| t.to_string())
        .collect();
    chloe
        .at("2025-11-21T15:00:00Z", Role::Patient, EventKind::PumpLinked)
        .at(
            "2025-11-28T15:00:00Z",
            Role::Specialist,
            EventKind::VisitHeld { visit: VisitKind::Specialist, covered },
        )
        .done("2025-12-02T15:00:00Z", Role::Provider, "settings_reviewed")
        .done("2025-12-05T15:00:00Z", Role::Patient, "supplies_renewal_arranged")
        .at("2025-12-05T16:00:00Z", Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 });

    let mut dev = Story { events: vec![] };
    dev.pre_pump("2025-03-03");
    started(
        &mut dev,
        "Medtronic MiniMed 780G",
        [
            "2025-03-07T15:00:00Z",
            "2025-03-31T15:00:00Z",
            "2025-04-01T15:00:00Z",
            "2025-04-08T15:00:00Z",
            "2025-05-20T15:00:00Z",
            "2025-05-30T15:00:00Z",
            "2025-06-10T15:00:00Z",
        ],
    );
    // Follow-ups held on time (10 Sep is due, 4 Sep inside its window; 10 Dec) keep the series on the start.
    settled(
        &mut dev,
        ["2025-06-11", "2025-06-16", "2025-06-18", "2025-06-20"],
        &["2025-09-04", "2025-12-10"],
    );
    dev.at("2026-01-05T15:00:00Z", Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 });

    // Finn: settled on the pump, follow-up booked; his CGM stopped sending four days ago.
    let mut finn = Story { events: vec![] };
    finn.pre_pump("2025-07-07");
    started(
        &mut finn,
        "Tandem t:slim X2",
        [
            "2025-07-10T15:00:00Z",
            "2025-08-04T15:00:00Z",
            "2025-08-05T15:00:00Z",
            "2025-08-12T15:00:00Z",
            "2025-08-20T15:00:00Z",
            "2025-08-26T15:00:00Z",
            "2025-09-01T15:00:00Z",
        ],
    );
    settled(
        &mut finn,
        ["2025-09-02", "2025-09-08", "2025-09-10", "2025-09-12"],
        &["2025-12-01", "2026-03-02"],
    );
    finn.at("2026-03-02T17:00:00Z", Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 });

    // Gia: a year on the pump, well controlled until two weeks ago; her control is slipping.
    let mut gia = Story { events: vec![] };
    gia.pre_pump("2025-01-06");
    started(
        &mut gia,
        "Omnipod 5",
        [
            "2025-01-09T15:00:00Z",
            "2025-02-03T15:00:00Z",
            "2025-02-04T15:00:00Z",
            "2025-02-11T15:00:00Z",
            "2025-02-18T15:00:00Z",
            "2025-02-24T15:00:00Z",
            "2025-03-03T15:00:00Z",
        ],
    );
    settled(
        &mut gia,
        ["2025-03-04", "2025-03-10", "2025-03-12", "2025-03-14"],
        &["2025-06-03", "2025-09-03", "2025-12-03", "2026-03-03"],
    );
    gia.at("2026-03-03T17:00:00Z", Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 });

    vec![
        DemoPatient {
            id: "ana",
            name: "Ana Ruiz",
            story: "pre-pump: coverage submitted five weeks ago, still pending",
            profile: GlucoseProfile::WellControlled,
            prior_profile: None,
            cgm_stopped_days_early: 0,
            events: ana.events(),
        },
        DemoPatient {
            id: "ben",
            name: "Ben Okafor",
            story: "started the pump 12 days ago; not linked, no specialist visit yet",
            profile: GlucoseProfile::FrequentHighs,
            prior_profile: None,
            cgm_stopped_days_early: 0,
            events: ben.events(),
        },
        DemoPatient {
            id: "chloe",
            name: "Chloe Martin",
            story: "four months on the pump; no follow-up yet, two topics and the back-up plan not covered",
            profile: GlucoseProfile::FrequentLows,
            prior_profile: None,
            cgm_stopped_days_early: 0,
            events: chloe.events(),
        },
        DemoPatient {
            id: "dev",
            name: "Dev Patel",
            story: "nine months on the pump, pathway complete; follow-up due, supplies running low",
            profile: GlucoseProfile::WellControlled,
            prior_profile: None,
            cgm_stopped_days_early: 0,
            events: dev.events(),
        },
        DemoPatient {
            id: "ema",
            name: "Ema Novak",
            story: "pre-pump: insurance denied; the appeal is acknowledged until 20 March",
            profile: GlucoseProfile::FrequentHighs,
            prior_profile: None,
            cgm_stopped_days_early: 0,
            events: ema.events(),
        },
        DemoPatient {
            id: "finn",
            name: "Finn Larsen",
            story: "six months on the pump, follow-up held two weeks ago; his CGM stopped sending four days ago",
            profile: GlucoseProfile::WellControlled,
            prior_profile: None,
            cgm_stopped_days_early: 4,
            events: finn.events(),
        },
        DemoPatient {
            id: "gia",
            name: "Gia Romano",
            story: "a year on the pump; well controlled until two weeks ago, now slipping",
            profile: GlucoseProfile::SlippingControl,
            prior_profile: Some(GlucoseProfile::WellControlled),
            cgm_stopped_days_early: 0,
            events: gia.events(),
        },
    ]
}
