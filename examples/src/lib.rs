//! Holds the examples of pumppath; see `clinic_day.rs`.
