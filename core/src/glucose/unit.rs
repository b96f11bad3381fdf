//! Glucose units and conversion.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::GlucoseError;

/// mg/dL per mmol/L: the molar mass of glucose (180.1559 g/mol) divided by 10.
///
/// This is the factor Tidepool uses. Only values are converted with it, never the consensus cut-points, which
/// are rounded display values in each unit (see [`CutPoints`](super::CutPoints)).
pub const MG_DL_PER_MMOL_L: f64 = 18.01559;

/// The unit of a glucose value.
///
/// Written as text exactly as `"mg/dL"` or `"mmol/L"`, in Rust (`Display`, `FromStr`), in JSON and in every
/// binding.
///
/// ```
/// use pumppath::glucose::Unit;
///
/// let unit: Unit = "mmol/L".parse()?;
/// assert_eq!(unit, Unit::MmolL);
/// assert_eq!(Unit::MgDl.to_string(), "mg/dL");
/// assert_eq!(serde_json::to_string(&Unit::MgDl)?, "\"mg/dL\"");
/// assert!((Unit::MmolL.convert(5.5, Unit::MgDl) - 99.085745).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Unit {
    /// Milligrams per decilitre (US clinics, iglu, Dexcom US exports).
    #[serde(rename = "mg/dL")]
    MgDl,
    /// Millimoles per litre.
    #[serde(rename = "mmol/L")]
    MmolL,
}

impl Unit {
    /// Both units, mg/dL first.
    pub const ALL: [Unit; 2] = [Unit::MgDl, Unit::MmolL];

    /// The unit's text: `"mg/dL"` or `"mmol/L"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Unit::MgDl => "mg/dL",
            Unit::MmolL => "mmol/L",
        }
    }

    /// Converts `value`, given in `self`, to `to`. Converting to the same unit returns the value unchanged.
    #[inline]
    pub fn convert(self, value: f64, to: Unit) -> f64 {
        match (self, to) {
            (Unit::MgDl, Unit::MmolL) => value / MG_DL_PER_MMOL_L,
            (Unit::MmolL, Unit::MgDl) => value * MG_DL_PER_MMOL_L,
            _ => value,
        }
    }

    /// Converts `value`, given in `self`, to mg/dL.
    #[inline]
    pub fn to_mg_dl(self, value: f64) -> f64 {
        self.convert(value, Unit::MgDl)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Unit {
    type Err = GlucoseError;

    /// Parses exactly `"mg/dL"` or `"mmol/L"`; anything else (other spellings or cases) is an error, so that a
    /// unit is never guessed.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mg/dL" => Ok(Unit::MgDl),
            "mmol/L" => Ok(Unit::MmolL),
            other => Err(GlucoseError::UnknownUnit { value: other.to_owned() }),
        }
    }
}
