//! The five consensus glucose bands.

use crate::wire::wire_enum;

wire_enum! {
    /// A glucose band of the International Consensus on Time in Range (Battelino et al., Diabetes Care 2019).
    ///
    /// With the `standard` cut-points (mg/dL; mmol/L in brackets):
    ///
    /// | band | wire name | code | values |
    /// |---|---|---|---|
    /// | [`VeryLow`](Band::VeryLow) | `very_low` | 0 | < 54 (< 3.0): ADA level 2 hypoglycaemia |
    /// | [`Low`](Band::Low) | `low` | 1 | 54–69 (3.0–3.8): ADA level 1 hypoglycaemia (< 70 and ≥ 54) |
    /// | [`InRange`](Band::InRange) | `in_range` | 2 | 70–180, both ends included (3.9–10.0) |
    /// | [`High`](Band::High) | `high` | 3 | > 180 and ≤ 250 (10.1–13.9) |
    /// | [`VeryHigh`](Band::VeryHigh) | `very_high` | 4 | > 250 (> 13.9) |
    ///
    /// The boundaries are those of R iglu: `below_percent` counts `gl < t`, `in_range_percent` counts
    /// `lo <= gl <= hi` and `above_percent` counts `gl > t`. The integer codes are what the batch API writes
    /// ([`Classifier::classify_into`](super::Classifier::classify_into)); a missing reading is
    /// [`MISSING_CODE`](super::MISSING_CODE).
    ///
    /// ```
    /// use pumppath::glucose::Band;
    ///
    /// assert_eq!(Band::InRange.code(), 2);
    /// assert_eq!(Band::from_code(4), Some(Band::VeryHigh));
    /// assert_eq!(serde_json::to_string(&Band::VeryLow)?, "\"very_low\"");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[repr(i8)]
    pub enum Band {
        /// Below the very-low cut-point (< 54 mg/dL in the standard preset).
        VeryLow = 0 => "very_low",
        /// At or above the very-low cut-point and below the low cut-point (54–69 mg/dL).
        Low = 1 => "low",
        /// Between the low and high cut-points, both included (70–180 mg/dL).
        InRange = 2 => "in_range",
        /// Above the high cut-point, at or below the very-high cut-point (181–250 mg/dL).
        High = 3 => "high",
        /// Above the very-high cut-point (> 250 mg/dL).
        VeryHigh = 4 => "very_high",
    }
}

impl Band {
    /// The band's integer code, 0 (very low) to 4 (very high).
    #[inline]
    pub const fn code(self) -> i8 {
        self as i8
    }

    /// The band with this code, or `None` for any other integer (including the missing code, -1).
    pub const fn from_code(code: i8) -> Option<Band> {
        match code {
            0 => Some(Band::VeryLow),
            1 => Some(Band::Low),
            2 => Some(Band::InRange),
            3 => Some(Band::High),
            4 => Some(Band::VeryHigh),
            _ => None,
        }
    }
}
