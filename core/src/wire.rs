//! Wire names: the one place each wire enum's names are defined.
//!
//! Every enum that crosses into JSON, Python or JavaScript (bands, units, roles, item states, rule ids,
//! severities, episode kinds and levels, verdicts, ...) is declared with the crate's `wire_enum!` macro, which writes its serde
//! names, [`as_str`](crate::glucose::Band::as_str), `Display`, `FromStr` and the list of all its variants
//! (`ALL`) from one table, so they cannot drift apart. [`WireEnum`] lets generic code (tests, schema and stub
//! generators) walk every variant of every such enum.
//!
//! ```
//! use pumppath::wire::WireEnum;
//! use pumppath::pathway::Role;
//!
//! assert_eq!(Role::NAME, "Role");
//! assert_eq!(Role::ALL.len(), Role::names().len());
//! assert_eq!("pump_trainer".parse::<Role>()?, Role::PumpTrainer);
//! let err = "trainer".parse::<Role>().unwrap_err();
//! assert_eq!(err.to_string(), "unknown Role \"trainer\": expected one of patient, clinic_staff, provider, \
//!     pump_trainer, specialist, insurer, supplier");
//! # Ok::<(), pumppath::wire::UnknownName>(())
//! ```

use std::fmt;

/// A name that is not one of a wire enum's names, with the names it could have been.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    /// The enum's Rust name (`Role`, `Severity`, ...).
    pub type_name: &'static str,
    /// The text as given.
    pub value: String,
    /// The valid names, in declaration order.
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = crate::problem::shown(&self.value);
        write!(f, "unknown {} {:?}: expected one of {}", self.type_name, value, self.expected.join(", "))
    }
}

impl std::error::Error for UnknownName {}

/// What the `wire_enum!` macro gives every wire enum, for code that walks them all.
pub trait WireEnum: Copy + Sized + 'static {
    /// The enum's Rust name, which is also its name in the schemas and the bindings' types.
    const NAME: &'static str;
    /// Every variant, in declaration order.
    fn all() -> &'static [Self];
    /// Every wire name, in declaration order.
    fn names() -> &'static [&'static str];
    /// The variant's wire name.
    fn wire_name(self) -> &'static str;
    /// The variant with this wire name.
    fn from_wire(name: &str) -> Option<Self>;
}

/// Declares a wire enum from one table of variants and wire names.
///
/// ```text
/// wire_enum! {
///     /// Docs.
///     #[derive(Default)]
///     pub enum Severity {
///         /// Docs.
///         #[default]
///         Urgent => "urgent",
///         Soon => "soon",
///     }
/// }
/// ```
///
/// It derives `Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize` (serde names
/// from the table) and, with the `schema` feature, `JsonSchema`, and writes `ALL`, `as_str`, `Display` (padded), `FromStr` (errors are [`UnknownName`], or
/// the type and constructor given as `parse_error: Type = constructor;` before the enum) and [`WireEnum`].
/// A variant may carry an explicit discriminant: `VeryLow = 0 => "very_low"`.
macro_rules! wire_enum {
    (
        parse_error: $err:ty = $ctor:expr;
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident $(= $disc:literal)? => $wire:literal ),+ $(,)?
        }
    ) => {
        $crate::wire::wire_enum!(@enum $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant $(= $disc)? => $wire ),+ });
        impl ::std::str::FromStr for $name {
            type Err = $err;
            /// Parses a wire name exactly (no other spelling or case).
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$name as $crate::wire::WireEnum>::from_wire(s).ok_or_else(|| ($ctor)(s))
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident $(= $disc:literal)? => $wire:literal ),+ $(,)?
        }
    ) => {
        $crate::wire::wire_enum! {
            parse_error: $crate::wire::UnknownName = |s: &str| $crate::wire::UnknownName {
                type_name: stringify!($name),
                value: s.to_owned(),
                expected: &$name::NAMES,
            };
            $(#[$meta])* $vis enum $name { $( $(#[$vmeta])* $variant $(= $disc)? => $wire ),+ }
        }
    };
    (@enum
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident $(= $disc:literal)? => $wire:literal ),+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize,
        )]
        #[cfg_attr(feature = "schema", derive(::schemars::JsonSchema))]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant $(= $disc)?, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($wire),+].len()] = [$($name::$variant),+];
            /// The wire names, in declaration order.
            pub const NAMES: [&'static str; [$($wire),+].len()] = [$($wire),+];

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        /// Compares the wire name (`code == "unknown_field"`).
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl $crate::wire::WireEnum for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                &$name::ALL
            }
            fn names() -> &'static [&'static str] {
                &$name::NAMES
            }
            fn wire_name(self) -> &'static str {
                self.as_str()
            }
            fn from_wire(name: &str) -> Option<Self> {
                match name {
                    $($wire => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use wire_enum;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::fmt::Display;
    use std::str::FromStr;

    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use super::WireEnum;

    /// Every variant: serde name = `as_str` = `Display` = what `FromStr` and serde read back; names unique.
    fn round_trips<T>() -> usize
    where
        T: WireEnum + Serialize + DeserializeOwned + FromStr + Display + PartialEq + std::fmt::Debug,
    {
        let mut seen = BTreeSet::new();
        assert_eq!(T::all().len(), T::names().len(), "{}", T::NAME);
        for (&variant, &name) in T::all().iter().zip(T::names()) {
            assert_eq!(variant.wire_name(), name, "{}", T::NAME);
            assert_eq!(serde_json::to_string(&variant).unwrap(), format!("\"{name}\""), "{}", T::NAME);
            assert_eq!(serde_json::from_str::<T>(&format!("\"{name}\"")).unwrap(), variant, "{}", T::NAME);
            assert_eq!(variant.to_string(), name, "{}", T::NAME);
            assert!(name.parse::<T>().ok() == Some(variant), "{}: {name}", T::NAME);
            assert_eq!(T::from_wire(name), Some(variant));
            assert!(seen.insert(name), "{}: {name} twice", T::NAME);
        }
        assert!(format!("{}-not-a-name", T::names()[0]).parse::<T>().is_err());
        T::all().len()
    }

    #[test]
    fn every_wire_enum_round_trips_every_variant() {
        use crate::cgm::*;
        use crate::glucose::*;
        use crate::pathway::*;
        use crate::rules::*;
        use crate::schedule::DueState;
        let counted = [
            round_trips::<Band>(),
            round_trips::<Unit>(),
            round_trips::<TargetPreset>(),
            round_trips::<GoalMetric>(),
            round_trips::<Comparison>(),
            round_trips::<EpisodeKind>(),
            round_trips::<EpisodeLevel>(),
            round_trips::<InsufficientReason>(),
            round_trips::<DuplicatePolicy>(),
            round_trips::<FrequencyVerdict>(),
            round_trips::<Direction>(),
            round_trips::<FrequencyTest>(),
            round_trips::<Role>(),
            round_trips::<ItemState>(),
            round_trips::<InsuranceDecision>(),
            round_trips::<OrderChannel>(),
            round_trips::<VisitKind>(),
            round_trips::<EventType>(),
            round_trips::<Milestone>(),
            round_trips::<Severity>(),
            round_trips::<Category>(),
            round_trips::<RuleId>(),
            round_trips::<RuleState>(),
            round_trips::<EvidenceKind>(),
            round_trips::<DueState>(),
            round_trips::<SensorLimit>(),
            round_trips::<TimeScale>(),
            round_trips::<ChangeVerdict>(),
            round_trips::<ChangeMetric>(),
            round_trips::<VisitDue>(),
            round_trips::<crate::schedule::Anchor>(),
            round_trips::<crate::cohort::Column>(),
        ];
        assert_eq!(counted.iter().sum::<usize>(), 198, "a new variant or enum: count it here");
    }

    #[test]
    fn every_event_kind_is_tagged_with_its_event_type() {
        use crate::pathway::*;
        let t = jiff::Timestamp::UNIX_EPOCH;
        let item = || "x".to_owned();
        let kinds = vec![
            EventKind::ItemStarted { item: item() },
            EventKind::ItemScheduled { item: item(), scheduled_for: t.into() },
            EventKind::ItemCompleted { item: item() },
            EventKind::ItemWaived { item: item(), reason: item() },
            EventKind::ItemReopened { item: item(), reason: None },
            EventKind::ItemPutOnHold { item: item(), reason: None },
            EventKind::InsuranceSubmitted,
            EventKind::InsuranceDecision { decision: InsuranceDecision::Approved },
            EventKind::PumpChosen { pump: item() },
            EventKind::PumpOrdered { channel: OrderChannel::Pharmacy },
            EventKind::PumpStarted,
            EventKind::PumpLinked,
            EventKind::VisitHeld { visit: VisitKind::Other, covered: vec![] },
            EventKind::SuppliesReceived { days_of_supply: 1 },
            EventKind::Correction { voids: item() },
            EventKind::TargetsSet { targets: crate::glucose::Targets::default() },
            EventKind::CgmUse { wears_cgm: true },
            EventKind::ActionAcknowledged { rule: crate::rules::RuleId::NextStep, item: None, until: None },
        ];
        let types: BTreeSet<&str> = kinds.iter().map(|k| k.name()).collect();
        assert_eq!(types.len(), EventType::ALL.len(), "one sample per event type");
        for kind in kinds {
            let json = serde_json::to_value(&kind).unwrap();
            assert_eq!(json["type"], kind.event_type().as_str());
        }
    }
}
