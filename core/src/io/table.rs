//! What the readers share: a CSV table with a header, and the parsing of one reading's fields.

use std::io::{Cursor, Read};

use csv::StringRecord;

use super::ReadError;
use crate::cgm::{PushError, SeriesBuilder, parse_time};
use crate::glucose::{GlucoseError, GlucoseValue};

const BOM: &[u8] = b"\xef\xbb\xbf";

/// A CSV input with its header read.
///
/// The input is read into memory first (a year of 5-minute readings is a few megabytes): the CSV parser skips
/// blank lines without counting them, so line numbers are counted here, from the bytes.
pub(crate) struct Table {
    reader: csv::Reader<Cursor<Vec<u8>>>,
    header: Vec<String>,
    lines: LineCounter,
}

impl Table {
    /// Reads the input and its header (a UTF-8 byte order mark before it is skipped); an empty input has no
    /// columns.
    pub(crate) fn open(mut input: impl Read) -> Result<Table, ReadError> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|e| ReadError::Io {
            message: e.to_string(),
        })?;
        if bytes.starts_with(BOM) {
            bytes.drain(..BOM.len());
        }
        let mut table = Table {
            reader: csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(Cursor::new(bytes)),
            header: Vec::new(),
            lines: LineCounter::default(),
        };
        let header = table
            .reader
            .headers()
            .map(|h| h.iter().map(|name| name.trim().to_owned()).collect());
        table.header = header.map_err(|e| table.csv_error(e))?;
        Ok(table)
    }

    /// The position of the first column whose name `matches`; `label` names it in the error.
    pub(crate) fn column(&self, label: &str, matches: impl Fn(&str) -> bool) -> Result<usize, ReadError> {
        self.header
            .iter()
            .position(|name| matches(name))
            .ok_or_else(|| ReadError::MissingColumn {
                line: 1,
                column: label.to_owned(),
            })
    }

    /// The name of column `index` in the header.
    pub(crate) fn name(&self, index: usize) -> &str {
        self.header.get(index).map_or("", String::as_str)
    }

    /// Calls `each` with every record and the line it starts on, stopping at the first error.
    pub(crate) fn for_each(
        &mut self,
        mut each: impl FnMut(u64, &StringRecord) -> Result<(), ReadError>,
    ) -> Result<(), ReadError> {
        let mut record = StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let byte = record.position().map_or(0, |p| p.byte());
                    let line = self.lines.line_at(self.reader.get_ref().get_ref(), byte);
                    each(line, &record)?;
                }
                Err(e) => return Err(self.csv_error(e)),
            }
        }
    }

    fn csv_error(&mut self, e: csv::Error) -> ReadError {
        let byte = e.position().map_or(0, |p| p.byte());
        let line = self.lines.line_at(self.reader.get_ref().get_ref(), byte);
        let message = match e.into_kind() {
            csv::ErrorKind::Io(e) => {
                return ReadError::Io {
                    message: e.to_string(),
                };
            }
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("{len} fields where the header has {expected_len}"),
            csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8 in field {}", err.field() + 1),
            other => format!("{other:?}"),
        };
        ReadError::Csv { line, message }
    }
}

/// Turns byte offsets of records into 1-based line numbers, counting forward from the last one asked.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    /// The line of the record whose parse started at `byte`: blank lines before it are skipped, as the parser
    /// skips them.
    fn line_at(&mut self, bytes: &[u8], byte: u64) -> u64 {
        let mut start = usize::try_from(byte).map_or(bytes.len(), |b| b.min(bytes.len()));
        while bytes.get(start).is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            start += 1;
        }
        if start < self.offset {
            *self = LineCounter::default();
        }
        self.newlines += bytes[self.offset..start].iter().filter(|&&b| b == b'\n').count() as u64;
        self.offset = start;
        self.newlines + 1
    }
}

/// One reading's fields, with where they are, for error messages.
pub(crate) struct Reading<'a> {
    pub(crate) line: u64,
    pub(crate) time_column: &'a str,
    pub(crate) time: &'a str,
    pub(crate) value_column: &'a str,
    pub(crate) value: &'a str,
}

impl Reading<'_> {
    /// Parses the time and the value (`NA`, `NaN` or empty = missing; `Low`/`High` = sensor limits when
    /// `limits` is true) and adds the reading to `builder`.
    pub(crate) fn push_to(&self, builder: &mut SeriesBuilder, limits: bool) -> Result<(), ReadError> {
        // Spaces around a field are tolerated, line breaks (inside quotes) are not.
        let blank = |c: char| c == ' ' || c == '\t';
        let time = parse_time(self.time.trim_matches(blank)).map_err(|_| self.invalid_time())?;
        let text = self.value.trim_matches(blank);
        let value = match text {
            "" | "NA" | "NaN" => GlucoseValue::Measured(f64::NAN),
            "Low" if limits => GlucoseValue::Limit(crate::glucose::SensorLimit::Low),
            "High" if limits => GlucoseValue::Limit(crate::glucose::SensorLimit::High),
            _ => GlucoseValue::Measured(text.parse().map_err(|_| self.invalid_value("not a number"))?),
        };
        builder.push_value(time, value).map_err(|e| match e {
            PushError::Value(GlucoseError::InvalidValue { problem, .. }) => {
                self.invalid_value(&problem.to_string())
            }
            PushError::Value(other) => self.invalid_value(&other.to_string()),
            PushError::TimeOutOfRange(_) => self.invalid_time(),
        })
    }

    fn invalid_time(&self) -> ReadError {
        ReadError::InvalidTime {
            line: self.line,
            column: self.time_column.to_owned(),
            value: self.time.to_owned(),
        }
    }

    fn invalid_value(&self, problem: &str) -> ReadError {
        ReadError::InvalidValue {
            line: self.line,
            column: self.value_column.to_owned(),
            value: self.value.to_owned(),
            problem: problem.to_owned(),
        }
    }
}
