//! Glucose units and conversion.

use super::GlucoseError;
use crate::wire::wire_enum;

/// mg/dL per mmol/L: the molar mass of glucose (180.1559 g/mol) divided by 10.
///
/// This is the factor Tidepool uses. Only values are converted with it, never the consensus cut-points, which
/// are rounded display values in each unit (see [`CutPoints`](super::CutPoints)).
pub const MG_DL_PER_MMOL_L: f64 = 18.01559;

wire_enum! {
    parse_error: GlucoseError = |s: &str| GlucoseError::UnknownUnit { value: s.to_owned() };
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
    pub enum Unit {
        /// Milligrams per decilitre (US clinics, iglu, Dexcom US exports).
        MgDl => "mg/dL",
        /// Millimoles per litre.
        MmolL => "mmol/L",
    }
}

impl Unit {
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
