//! Who does what on the pathway.

use crate::wire::wire_enum;

wire_enum! {
    /// The people and organisations that act on the pathway: every checklist item, event and action names one.
    ///
    /// ```
    /// use pumppath::pathway::Role;
    ///
    /// assert_eq!(serde_json::to_string(&Role::PumpTrainer)?, "\"pump_trainer\"");
    /// assert_eq!("specialist".parse::<Role>(), Ok(Role::Specialist));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum Role {
        /// The person with diabetes (and their family).
        Patient => "patient",
        /// Clinic staff: scheduling, paperwork, insurance submissions, uploads.
        ClinicStaff => "clinic_staff",
        /// The prescribing provider (physician, nurse practitioner), who reviews and changes pump settings.
        Provider => "provider",
        /// A certified insulin pump trainer. Not clinic staff: usually the pump company's.
        PumpTrainer => "pump_trainer",
        /// A diabetes care and education specialist (DCES).
        Specialist => "specialist",
        /// The patient's insurer, which approves or denies coverage.
        Insurer => "insurer",
        /// Whoever supplies the pump and its supplies: the pump company, a medical supply company or a pharmacy.
        Supplier => "supplier",
    }
}

impl Role {}
