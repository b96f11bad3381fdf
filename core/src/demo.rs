//! Embedded demo data: a small clinic cohort with pathway records and deterministic, realistic CGM traces,
//! all made up for pumppath (no real patient's data).
//!
//! The examples, the Python notebook and the web page all use this cohort, so they show the same patients.
//! Everything is a pure function of its arguments: the same call gives the same data on every machine.
//!
//! ```
//! use pumppath::demo::{self, GlucoseProfile};
//!
//! let day = demo::readings(GlucoseProfile::WellControlled, demo::DEMO_START, 1);
//! assert!(day.len() > 270 && day.len() <= 288); // 5-minute readings, a few dropped
//! assert!(day.iter().all(|(_, v)| (40.0..=400.0).contains(v)));
//! ```

use jiff::civil::{DateTime, date};
use jiff::{SignedDuration, Timestamp};

use crate::pathway::{Event, EventKind, InsuranceDecision, OrderChannel, Protocol, Record, Role, VisitKind};

/// The first reading of the demo traces: 2026-03-02 00:02 wall-clock time (CGM times carry no zone).
pub const DEMO_START: DateTime = date(2026, 3, 2).at(0, 2, 0, 0);

/// How a demo patient's glucose behaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GlucoseProfile {
    /// Mostly in range, modest meal peaks, rare mild lows.
    WellControlled,
    /// Tight but with frequent lows, mostly overnight and after exercise.
    FrequentLows,
    /// High baseline and large, long meal excursions above 250 mg/dL.
    FrequentHighs,
}

struct Params {
    seed: u64,
    baseline: f64,
    meal_peak: f64,
    meal_minutes: f64,
    noise_sd: f64,
    lows_per_day: f64,
    low_depth: f64,
    drop_rate: f64,
}

impl GlucoseProfile {
    fn params(self) -> Params {
        match self {
            GlucoseProfile::WellControlled => Params {
                seed: 0x5eed_0001,
                baseline: 118.0,
                meal_peak: 55.0,
                meal_minutes: 55.0,
                noise_sd: 4.0,
                lows_per_day: 0.15,
                low_depth: 50.0,
                drop_rate: 0.01,
            },
            GlucoseProfile::FrequentLows => Params {
                seed: 0x5eed_0002,
                baseline: 102.0,
                meal_peak: 60.0,
                meal_minutes: 50.0,
                noise_sd: 5.0,
                lows_per_day: 1.1,
                low_depth: 60.0,
                drop_rate: 0.015,
            },
            GlucoseProfile::FrequentHighs => Params {
                seed: 0x5eed_0003,
                baseline: 175.0,
                meal_peak: 120.0,
                meal_minutes: 95.0,
                noise_sd: 7.0,
                lows_per_day: 0.05,
                low_depth: 70.0,
                drop_rate: 0.02,
            },
        }
    }
}

/// SplitMix64: small, fast and fully deterministic across platforms.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let u1 = self.uniform().max(f64::MIN_POSITIVE);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// A bump that rises to 1 at `peak` minutes and decays (gamma-like), 0 before it starts.
fn bump(minutes_since: f64, peak: f64) -> f64 {
    if minutes_since <= 0.0 {
        0.0
    } else {
        let x = minutes_since / peak;
        x * (1.0 - x).exp()
    }
}

/// Readings every 5 minutes for `days` days from `start`, as (wall-clock time, mg/dL) pairs.
///
/// Values are whole mg/dL clamped to the sensor range 40–400 (as CGMs report them); about 1–2 % of readings
/// are dropped, as real sensors drop them, and each day's times drift by a few seconds.
pub fn readings(profile: GlucoseProfile, start: DateTime, days: u32) -> Vec<(DateTime, f64)> {
    let p = profile.params();
    let mut rng = Rng(p.seed);
    let per_day = 288usize;
    let mut out = Vec::with_capacity(per_day * days as usize);
    let mut drift = 0.0f64;
    for day in 0..days {
        // Meals at about 07:30, 12:30 and 18:45, each a little different every day.
        let meals: Vec<(f64, f64)> = [450.0, 750.0, 1125.0]
            .iter()
            .map(|&m| (m + 30.0 * rng.normal(), p.meal_peak * (0.7 + 0.6 * rng.uniform())))
            .collect();
        let mut lows = Vec::new();
        for _ in 0..3 {
            if rng.uniform() < p.lows_per_day / 3.0 {
                // Most lows are overnight (01:00-06:00), the rest late afternoon (16:00-21:00).
                let base = if rng.uniform() < 0.6 { 60.0 } else { 960.0 };
                lows.push(base + 300.0 * rng.uniform());
            }
        }
        for slot in 0..per_day {
            let minute = slot as f64 * 5.0 + 2.0;
            drift = 0.97 * drift + p.noise_sd * rng.normal();
            let dawn = 15.0 * bump(minute - 240.0, 150.0);
            let mut value = p.baseline + dawn + drift;
            for &(at, height) in &meals {
                value += height * bump(minute - at, p.meal_minutes);
            }
            for &at in &lows {
                let d = (minute - at) / 35.0;
                value -= p.low_depth * (-d * d).exp();
            }
            if rng.uniform() < p.drop_rate {
                continue;
            }
            let seconds = (day as i64 * 86_400) + (slot as i64 * 300) + (day as i64 % 7);
            let Ok(time) = start.checked_add(SignedDuration::from_secs(seconds)) else {
                continue;
            };
            out.push((time, value.round().clamp(40.0, 400.0)));
        }
    }
    out
}

/// One realistic day of a well-controlled patient: the trace the README's first example classifies.
pub fn one_day() -> Vec<(DateTime, f64)> {
    readings(GlucoseProfile::WellControlled, DEMO_START, 1)
}

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

    /// The patient's 14 days of CGM readings, (wall-clock time, mg/dL).
    pub fn readings(&self) -> Vec<(DateTime, f64)> {
        readings(self.profile, DEMO_START, 14)
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

/// The demo cohort: five patients at different points of the pathway, on the standard protocol.
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
    ema.pre_pump("2026-01-12").at(
        "2026-02-20T16:00:00Z",
        Role::Insurer,
        EventKind::InsuranceDecision { decision: InsuranceDecision::Denied },
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
    let mut covered: Vec<String> = TOPICS.iter().map(|t| t.to_string()).collect();
    covered.push("backup_plan_reviewed".into());
    // Follow-ups held on time (10 Sep is due, 4 Sep inside its window; 10 Dec) keep the series on the start.
    dev.at("2025-06-11T15:00:00Z", Role::Patient, EventKind::PumpLinked)
        .at(
            "2025-06-16T15:00:00Z",
            Role::Specialist,
            EventKind::VisitHeld { visit: VisitKind::Specialist, covered },
        )
        .done("2025-06-18T15:00:00Z", Role::Provider, "settings_reviewed");
    for item in [
        "supplies_renewal_arranged",
        "infusion_set_routine",
        "taping_managed",
        "pump_failure_backup_in_place",
    ] {
        dev.done("2025-06-20T15:00:00Z", Role::Patient, item);
    }
    dev.at(
        "2025-09-04T15:00:00Z",
        Role::Provider,
        EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] },
    );
    for item in ["knows_when_to_call", "knows_backup_plan", "knows_supply_source"] {
        dev.done("2025-09-04T16:00:00Z", Role::Patient, item);
    }
    dev.at(
        "2025-12-10T15:00:00Z",
        Role::Provider,
        EventKind::VisitHeld { visit: VisitKind::FollowUp, covered: vec![] },
    )
    .at("2026-01-05T15:00:00Z", Role::Supplier, EventKind::SuppliesReceived { days_of_supply: 90 });

    vec![
        DemoPatient {
            id: "ana",
            name: "Ana Ruiz",
            story: "pre-pump: coverage submitted five weeks ago, still pending",
            profile: GlucoseProfile::WellControlled,
            events: ana.events(),
        },
        DemoPatient {
            id: "ben",
            name: "Ben Okafor",
            story: "started the pump 12 days ago; not linked, no specialist visit yet",
            profile: GlucoseProfile::FrequentHighs,
            events: ben.events(),
        },
        DemoPatient {
            id: "chloe",
            name: "Chloe Martin",
            story: "four months on the pump; no follow-up yet, two topics and the back-up plan not covered",
            profile: GlucoseProfile::FrequentLows,
            events: chloe.events(),
        },
        DemoPatient {
            id: "dev",
            name: "Dev Patel",
            story: "nine months on the pump, pathway complete; follow-up due, supplies running low",
            profile: GlucoseProfile::WellControlled,
            events: dev.events(),
        },
        DemoPatient {
            id: "ema",
            name: "Ema Novak",
            story: "pre-pump: insurance denied",
            profile: GlucoseProfile::FrequentHighs,
            events: ema.events(),
        },
    ]
}
