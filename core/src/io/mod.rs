//! Readers of CGM exports (feature `io`): the long `id,time,gl` CSV and Dexcom Clarity.
//!
//! Readers take any [`std::io::Read`] (a file, a network body, or a string as `text.as_bytes()`); the core never
//! opens files itself. Every malformed line is a [`ReadError`] naming its line number, column and value.

mod clarity;
mod error;
mod long;
mod table;

pub use clarity::read_clarity_csv;
pub use error::ReadError;
pub use long::read_long_csv;
