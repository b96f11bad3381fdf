//! Who does what on the pathway.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The people and organisations that act on the pathway: every checklist item, event and action names one.
///
/// ```
/// use pumppath::pathway::Role;
///
/// assert_eq!(serde_json::to_string(&Role::PumpTrainer)?, "\"pump_trainer\"");
/// assert_eq!("specialist".parse::<Role>(), Ok(Role::Specialist));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The person with diabetes (and their family).
    Patient,
    /// Clinic staff: scheduling, paperwork, insurance submissions, uploads.
    ClinicStaff,
    /// The prescribing provider (physician, nurse practitioner), who reviews and changes pump settings.
    Provider,
    /// A certified insulin pump trainer. Not clinic staff: usually the pump company's.
    PumpTrainer,
    /// A diabetes care and education specialist (DCES).
    Specialist,
    /// The patient's insurer, which approves or denies coverage.
    Insurer,
    /// Whoever supplies the pump and its supplies: the pump company, a medical supply company or a pharmacy.
    Supplier,
}

impl Role {
    /// All roles.
    pub const ALL: [Role; 7] = [
        Role::Patient,
        Role::ClinicStaff,
        Role::Provider,
        Role::PumpTrainer,
        Role::Specialist,
        Role::Insurer,
        Role::Supplier,
    ];

    /// The wire name (`clinic_staff`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Patient => "patient",
            Role::ClinicStaff => "clinic_staff",
            Role::Provider => "provider",
            Role::PumpTrainer => "pump_trainer",
            Role::Specialist => "specialist",
            Role::Insurer => "insurer",
            Role::Supplier => "supplier",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    /// Parses a wire name; the error lists the valid ones.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            format!("unknown role {s:?}: expected one of {}", names.join(", "))
        })
    }
}
