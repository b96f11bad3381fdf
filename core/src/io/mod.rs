//! Readers of CGM exports (feature `io`): the long `id,time,gl` CSV and Dexcom Clarity.
//!
//! Readers take any [`std::io::Read`] (a file, a network body, or a string as `text.as_bytes()`); the core never
//! opens files itself. Every malformed line is a [`ReadError`] naming its line number, column and value.

#[cfg(feature = "io")]
mod clarity;
mod error;
#[cfg(feature = "io")]
mod long;
#[cfg(feature = "io")]
mod table;

#[cfg(feature = "io")]
pub use clarity::read_clarity_csv;
// The error is part of the one error contract with or without the readers.
pub use error::ReadError;
#[cfg(feature = "io")]
pub use long::read_long_csv;
