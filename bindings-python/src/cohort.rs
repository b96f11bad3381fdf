//! `summarize_cohort`: a whole cohort in long form, as Arrow data, summarised per patient by core's `cohort`
//! module with the GIL released; the result is an Arrow table (pyarrow).
//!
//! This file only converts: Arrow columns to the slices core reads (in place where the layout allows), and
//! core's per-patient cells ([`cohort::value`]) to Arrow arrays.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, ListBuilder, StringBuilder, TimestampSecondBuilder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch, UInt64Array};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use pumppath::Error;
use pumppath::cgm::TimeScale;
use pumppath::cohort::{
    self, COLUMNS, CohortError, CohortOptions, Column, PatientIndex, PatientResult, TimeBasis,
};
use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;

use crate::errors::OrRaise;
use crate::glucose::{targets_of, unit_of};

/// Every patient of a cohort summarised at once: one row per patient.
///
/// `data` is a long-form table, one row per reading, as Arrow data: a pyarrow `Table` or `RecordBatch`, a
/// Polars or pandas DataFrame, or anything with `__arrow_c_stream__` / `__arrow_c_array__` (the Arrow
/// PyCapsule interface); its columns are read in place where their layout allows (one chunk, no nulls).
/// `id` names the patient column (strings or integers), `time` a timestamp column (without a zone: the
/// devices' wall-clock times, each patient's rows in the device's order; with a zone: instants, shown on that
/// zone's clock), `glucose` a numeric column in `unit` (null or NaN = a missing reading). `targets` as for
/// `classify`.
///
/// Returns a `pyarrow.Table` (pyarrow must be installed): the id column as given, then the columns of
/// `COHORT_COLUMNS` (the summary, the episode counts, the "frequently" verdict judged at each patient's last
/// reading, and `error_code`/`error`), patients in the order they first appear. A patient whose readings
/// cannot form a series (a duplicate time, an invalid value) has its error in `error_code` and `error` and
/// nulls elsewhere; the others are summarised. The work runs on every core, without the GIL.
///
/// A table that cannot be read raises `CohortError`: a missing column, a column of the wrong type, a null id
/// or time (each naming the column, and the row).
#[pyfunction]
#[pyo3(signature = (data, id = "id", time = "time", glucose = "gl", unit = "mg/dL", targets = None))]
#[pyo3(text_signature = "(data, id='id', time='time', glucose='gl', unit='mg/dL', targets='standard')")]
pub(crate) fn summarize_cohort<'py>(
    py: Python<'py>,
    data: AnyRecordBatch,
    id: &str,
    time: &str,
    glucose: &str,
    unit: &str,
    targets: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    // Before the work, not after it: the result is handed back as a pyarrow table.
    if py.import("pyarrow").is_err() {
        return Err(PyImportError::new_err("summarize_cohort returns a pyarrow.Table: pip install pyarrow"));
    }
    let unit = unit_of(py, unit)?;
    let targets = targets_of(py, targets)?;
    let table = data.into_table()?;
    let (batches, schema) = table.into_inner();
    let table = py
        .detach(|| -> Result<RecordBatch, Error> {
            let columns = Columns::read(&batches, &schema, [id, time, glucose])?;
            let options = CohortOptions { unit, targets, ..columns.options()? };
            let index = columns.patient_index()?;
            let rows = cohort::summarize(&index, columns.times(), &columns.values(), &options)?;
            results_batch(&columns, &index, &rows)
        })
        .or_raise(py)?;
    let schema = table.schema();
    PyTable::try_new(vec![table], schema)?.into_pyarrow(py)
}

/// The cohort's column names, in order after the id: `COHORT_COLUMNS` (core's table).
pub(crate) fn column_names() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.as_str()).collect()
}

/// The three columns of a cohort table, each in one array (chunks concatenated), checked for their types.
struct Columns {
    names: [String; 3],
    /// The id column as given (its type is the result's id type) and as keys to group by: strings or int64.
    id: ArrayRef,
    id_keys: ArrayRef,
    id_field: Field,
    time: ArrayRef,
    /// Glucose as float64.
    glucose: ArrayRef,
}

impl Columns {
    fn read(batches: &[RecordBatch], schema: &Schema, names: [&str; 3]) -> Result<Columns, CohortError> {
        let [id, time, glucose] = names.map(|name| column(batches, schema, name));
        let (id, time, glucose) = (id?, time?, glucose?);
        let wrong = |which: usize, array: &ArrayRef, expected: &str| CohortError::ColumnType {
            column: names[which].to_owned(),
            found: array.data_type().to_string(),
            expected: expected.to_owned(),
        };
        let id_keys = match id.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(id.clone()),
            t if t.is_integer() => arrow_cast::cast(&id, &DataType::Int64),
            // A categorical column (pandas): grouped by its values.
            DataType::Dictionary(_, values) if values.is_integer() => arrow_cast::cast(&id, &DataType::Int64),
            DataType::Dictionary(_, _) => arrow_cast::cast(&id, &DataType::Utf8),
            _ => return Err(wrong(0, &id, "strings or integers")),
        }
        .map_err(|_| wrong(0, &id, "strings or integers"))?;
        if timestamps(&time).is_none() {
            return Err(wrong(1, &time, "a timestamp (with or without a time zone)"));
        }
        let glucose = match glucose.data_type() {
            DataType::Float64 => glucose,
            t if t.is_numeric() => {
                arrow_cast::cast(&glucose, &DataType::Float64).map_err(|_| wrong(2, &glucose, "numbers"))?
            }
            _ => return Err(wrong(2, &glucose, "numbers")),
        };
        let id_field = schema
            .field_with_name(names[0])
            .map(|f| f.clone().with_nullable(false))
            .unwrap_or_else(|_| Field::new(names[0], id.data_type().clone(), false));
        Ok(Columns { names: names.map(str::to_owned), id, id_keys, id_field, time, glucose })
    }

    /// The time basis and scale of the time column, and its zone.
    fn options(&self) -> Result<CohortOptions, CohortError> {
        let mut options = CohortOptions::default();
        if let DataType::Timestamp(unit, zone) = self.time.data_type() {
            options.time_scale = match unit {
                TimeUnit::Second => TimeScale::Seconds,
                TimeUnit::Millisecond => TimeScale::Milliseconds,
                TimeUnit::Microsecond => TimeScale::Microseconds,
                TimeUnit::Nanosecond => TimeScale::Nanoseconds,
            };
            if let Some(zone) = zone {
                options.time_basis = TimeBasis::Instants;
                options.series.time_zone = Some(zone.to_string());
            }
        }
        if let Some(row) = first_null(&self.time) {
            return Err(CohortError::NullValue { column: self.names[1].clone(), row });
        }
        Ok(options)
    }

    fn patient_index(&self) -> Result<PatientIndex, CohortError> {
        if let Some(row) = first_null(&self.id) {
            return Err(CohortError::NullValue { column: self.names[0].clone(), row });
        }
        let keys = &self.id_keys;
        // No nulls (checked above): a missing string would read as "".
        Ok(match keys.data_type() {
            DataType::Utf8 => PatientIndex::of(keys.as_string::<i32>().iter().map(Option::unwrap_or_default)),
            DataType::LargeUtf8 => {
                PatientIndex::of(keys.as_string::<i64>().iter().map(Option::unwrap_or_default))
            }
            DataType::Utf8View => {
                PatientIndex::of(keys.as_string_view().iter().map(Option::unwrap_or_default))
            }
            _ => PatientIndex::of(keys.as_primitive::<Int64Type>().values().iter().copied()),
        })
    }

    /// The times as stored (the timestamps' 64-bit values), read in place.
    fn times(&self) -> &[i64] {
        timestamps(&self.time).unwrap_or_default()
    }

    /// The glucose values, NaN where null: read in place without nulls.
    fn values(&self) -> Cow<'_, [f64]> {
        let values = self.glucose.as_primitive::<Float64Type>();
        if values.null_count() == 0 {
            Cow::Borrowed(values.values())
        } else {
            Cow::Owned(values.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
        }
    }
}

/// A timestamp column's values, whatever its unit; `None` for another type.
fn timestamps(array: &ArrayRef) -> Option<&[i64]> {
    use arrow_array::types::{
        TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType,
    };
    Some(match array.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => array.as_primitive::<TimestampSecondType>().values(),
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            array.as_primitive::<TimestampMillisecondType>().values()
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            array.as_primitive::<TimestampMicrosecondType>().values()
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            array.as_primitive::<TimestampNanosecondType>().values()
        }
        _ => return None,
    })
}

/// A column of the table as one array, numeric glucose cast to float64 by the caller's check.
fn column(batches: &[RecordBatch], schema: &Schema, name: &str) -> Result<ArrayRef, CohortError> {
    let Ok(position) = schema.index_of(name) else {
        let available = schema.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>().join(", ");
        return Err(CohortError::MissingColumn { column: name.to_owned(), available });
    };
    let chunks: Vec<&dyn Array> = batches.iter().map(|b| b.column(position).as_ref()).collect();
    match chunks.as_slice() {
        [one] => Ok(arrow_array::make_array(one.to_data())),
        [] => Ok(arrow_array::new_empty_array(schema.field(position).data_type())),
        many => arrow_select::concat::concat(many).map_err(|e| CohortError::ColumnType {
            column: name.to_owned(),
            found: e.to_string(),
            expected: "chunks of one type".to_owned(),
        }),
    }
}

fn first_null(array: &ArrayRef) -> Option<usize> {
    array.logical_nulls().and_then(|nulls| nulls.iter().position(|valid| !valid))
}

/// The result table: the patients' ids (taken from their first rows, so the id keeps its type) and a column
/// per entry of core's [`COLUMNS`].
fn results_batch(
    columns: &Columns,
    index: &PatientIndex,
    rows: &[Result<PatientResult, Error>],
) -> Result<RecordBatch, Error> {
    let first_rows = UInt64Array::from_iter_values(index.first_rows().iter().map(|&r| r as u64));
    let ids =
        arrow_select::take::take(&columns.id, &first_rows, None).map_err(arrow_error(&columns.names[0]))?;
    let mut fields = vec![columns.id_field.clone()];
    let mut arrays = vec![ids];
    for &column in COLUMNS {
        let (field, array) = column_array(column, rows);
        fields.push(field);
        arrays.push(array);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(arrow_error("the result"))
}

/// An Arrow error while building the result (taking the ids, assembling the batch), named after the column at
/// fault, with Arrow's message.
fn arrow_error(column: &str) -> impl Fn(arrow_schema::ArrowError) -> Error + '_ {
    move |e| {
        let found = e.to_string();
        CohortError::ColumnType { column: column.to_owned(), found, expected: "an Arrow type".into() }.into()
    }
}

/// One output column from core's cells.
fn column_array(column: Column, rows: &[Result<PatientResult, Error>]) -> (Field, ArrayRef) {
    use cohort::{ColumnType, Value};
    let cells = rows.iter().map(|row| cohort::value(row, column));
    let name = column.as_str();
    let (data_type, array): (DataType, ArrayRef) = match column.column_type() {
        ColumnType::Count => {
            // int64, not uint64: Spark and pandas' nullable integers have no unsigned 64-bit type.
            let mut b = Int64Builder::with_capacity(rows.len());
            let count = |v: Value| {
                if let Value::Count(v) = v { v.map(|n| i64::try_from(n).unwrap_or(i64::MAX)) } else { None }
            };
            cells.for_each(|v| b.append_option(count(v)));
            (DataType::Int64, Arc::new(b.finish()))
        }
        ColumnType::Number => {
            let mut b = Float64Builder::with_capacity(rows.len());
            cells.for_each(|v| b.append_option(if let Value::Number(v) = v { v } else { None }));
            (DataType::Float64, Arc::new(b.finish()))
        }
        ColumnType::Flag => {
            let mut b = BooleanBuilder::with_capacity(rows.len());
            cells.for_each(|v| b.append_option(if let Value::Flag(v) = v { v } else { None }));
            (DataType::Boolean, Arc::new(b.finish()))
        }
        ColumnType::WallClock => {
            let mut b = TimestampSecondBuilder::with_capacity(rows.len());
            cells.for_each(|v| b.append_option(if let Value::WallClock(v) = v { v } else { None }));
            (DataType::Timestamp(TimeUnit::Second, None), Arc::new(b.finish()))
        }
        ColumnType::Text => {
            let mut b = StringBuilder::new();
            cells.for_each(|v| b.append_option(if let Value::Text(v) = v { v } else { None }));
            (DataType::Utf8, Arc::new(b.finish()))
        }
        ColumnType::TextList => {
            let mut b = ListBuilder::new(StringBuilder::new());
            for v in cells {
                match v {
                    Value::TextList(Some(names)) => {
                        names.iter().for_each(|n| b.values().append_value(n));
                        b.append(true);
                    }
                    _ => b.append(false),
                }
            }
            let array = b.finish();
            (array.data_type().clone(), Arc::new(array))
        }
    };
    (Field::new(name, data_type, true), array)
}
