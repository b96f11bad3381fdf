//! What the readers share: a CSV table with a header, and the parsing of one reading's fields.

use std::io::{BufRead, BufReader, Read};

use csv::StringRecord;

use super::ReadError;
use crate::cgm::{PushError, SeriesBuilder, parse_time};
use crate::glucose::{GlucoseError, GlucoseValue};

const BOM: &str = "\u{feff}";

/// A CSV input with its header read.
pub(crate) struct Table<R: Read> {
    reader: csv::Reader<BufReader<R>>,
    header: Vec<String>,
}

impl<R: Read> Table<R> {
    /// Reads the header (a UTF-8 byte order mark before it is skipped); an empty input has no columns.
    pub(crate) fn open(input: R) -> Result<Table<R>, ReadError> {
        let mut input = BufReader::new(input);
        if input.fill_buf().map_err(io_error)?.starts_with(BOM.as_bytes()) {
            input.consume(BOM.len());
        }
        let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(input);
        let header = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|name| name.trim_start_matches(BOM).trim().to_owned())
            .collect();
        Ok(Table { reader, header })
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
        while self.reader.read_record(&mut record).map_err(csv_error)? {
            let line = record.position().map_or(0, |p| p.line());
            each(line, &record)?;
        }
        Ok(())
    }
}

fn io_error(e: std::io::Error) -> ReadError {
    ReadError::Io {
        message: e.to_string(),
    }
}

fn csv_error(e: csv::Error) -> ReadError {
    let line = e.position().map_or(0, |p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(e) => io_error(e),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ReadError::Csv {
            line,
            message: format!("{len} fields where the header has {expected_len}"),
        },
        csv::ErrorKind::Utf8 { err, .. } => ReadError::Csv {
            line,
            message: format!("invalid UTF-8 in field {}", err.field() + 1),
        },
        other => ReadError::Csv {
            line,
            message: format!("{other:?}"),
        },
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
        let time = parse_time(self.time.trim()).map_err(|_| self.invalid_time())?;
        let text = self.value.trim();
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
