//! What the readers share: a CSV table with a header, and the parsing of one reading's fields.

use std::io::{Cursor, Read};

use csv::StringRecord;

use super::ReadError;
use crate::cgm::{PushError, SeriesBuilder, parse_time};
use crate::glucose::{GlucoseValue, SensorLimit, ValueProblem};

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
        input.read_to_end(&mut bytes).map_err(|e| ReadError::Io { message: e.to_string() })?;
        if bytes.starts_with(BOM) {
            bytes.drain(..BOM.len());
        }
        let mut table = Table {
            reader: csv::ReaderBuilder::new().has_headers(true).from_reader(Cursor::new(bytes)),
            header: Vec::new(),
            lines: LineCounter::default(),
        };
        let header = table.reader.headers().map(|h| h.iter().map(|name| name.trim().to_owned()).collect());
        table.header = header.map_err(|e| table.csv_error(e))?;
        Ok(table)
    }

    /// The position of the first column whose name `matches`; `label` names it in the error.
    pub(crate) fn column(&self, label: &str, matches: impl Fn(&str) -> bool) -> Result<usize, ReadError> {
        self.header
            .iter()
            .position(|name| matches(name))
            .ok_or_else(|| ReadError::MissingColumn { line: 1, column: label.to_owned() })
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
                return ReadError::Io { message: e.to_string() };
            }
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                format!("{len} fields where the header has {expected_len}")
            }
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

/// The field `at` of `record`, or "" when the record is shorter.
pub(crate) fn field(record: &StringRecord, at: usize) -> &str {
    record.get(at).unwrap_or("")
}

/// Where a reading's time and value are in each record, and what the header calls them (for errors).
pub(crate) struct ReadingColumns {
    time_at: usize,
    time_column: String,
    value_at: usize,
    value_column: String,
    /// Whether `Low` and `High` are sensor limits (Dexcom) rather than malformed numbers.
    limits: bool,
}

impl Table {
    /// The reading columns at `time_at` and `value_at`.
    pub(crate) fn reading_columns(&self, time_at: usize, value_at: usize, limits: bool) -> ReadingColumns {
        ReadingColumns {
            time_at,
            time_column: self.name(time_at).to_owned(),
            value_at,
            value_column: self.name(value_at).to_owned(),
            limits,
        }
    }
}

impl ReadingColumns {
    /// Parses the time and the value of `record` (`NA`, `NaN` or empty = missing; `Low`/`High` = sensor limits
    /// when the columns allow them) and adds the reading to `builder`.
    pub(crate) fn push(
        &self,
        line: u64,
        record: &StringRecord,
        builder: &mut SeriesBuilder,
    ) -> Result<(), ReadError> {
        let (time_text, value_text) = (field(record, self.time_at), field(record, self.value_at));
        let invalid_time =
            || ReadError::InvalidTime { line, column: self.time_column.clone(), value: time_text.to_owned() };
        let invalid_value = |problem: ValueProblem| ReadError::InvalidValue {
            line,
            column: self.value_column.clone(),
            value: value_text.to_owned(),
            problem,
        };
        // Spaces around a field are tolerated, line breaks (inside quotes) are not.
        let blank = |c: char| c == ' ' || c == '\t';
        let time = parse_time(time_text.trim_matches(blank)).map_err(|_| invalid_time())?;
        let value = match value_text.trim_matches(blank) {
            "" | "NA" | "NaN" => GlucoseValue::Measured(f64::NAN),
            "Low" if self.limits => GlucoseValue::Limit(SensorLimit::Low),
            "High" if self.limits => GlucoseValue::Limit(SensorLimit::High),
            text => {
                GlucoseValue::Measured(text.parse().map_err(|_| invalid_value(ValueProblem::NotANumber))?)
            }
        };
        builder.push_value(time, value).map_err(|e| match e {
            // Validation reports only invalid values, each with its problem.
            PushError::Value(e) => invalid_value(e.value_problem().unwrap_or(ValueProblem::NotANumber)),
            PushError::TimeOutOfRange(_) => invalid_time(),
        })
    }
}
