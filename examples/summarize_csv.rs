//! Summarises a CGM export from the command line, one JSON line per patient: `{"id": ..., "summary": {...}}`,
//! the summary being core's JSON (what every binding's `cgm_summary`/`cgmSummary` gives).
//!
//! ```sh
//! cargo run --example summarize_csv -- readings.csv            # a long id,time,gl CSV in mg/dL
//! cargo run --example summarize_csv -- --unit mmol/L readings.csv
//! cargo run --example summarize_csv -- --clarity export.csv    # a Dexcom Clarity export
//! ```
//!
//! The web page's test compares what the page shows for a loaded file with this, the native reader's result.

use std::process::ExitCode;

use pumppath::cgm::SeriesOptions;
use pumppath::glucose::{Targets, Unit};

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("summarize_csv: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut clarity = false;
    let mut unit = Unit::MgDl;
    let mut path = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--clarity" => clarity = true,
            "--unit" => {
                let value = args.next().ok_or("--unit needs mg/dL or mmol/L")?;
                unit = value.parse().map_err(|e: pumppath::glucose::GlucoseError| e.to_string())?;
            }
            _ if path.is_none() => path = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let path = path.ok_or("usage: summarize_csv [--clarity] [--unit mmol/L] FILE")?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    let options = SeriesOptions::default();
    let patients = if clarity {
        let series = pumppath::io::read_clarity_csv(bytes.as_slice(), &options).map_err(|e| e.to_string())?;
        vec![pumppath::cgm::PatientSeries { id: String::new(), series }]
    } else {
        pumppath::io::read_long_csv(bytes.as_slice(), unit, &options).map_err(|e| e.to_string())?
    };
    for patient in patients {
        let summary = patient.series.view().summary(&Targets::default());
        let line = serde_json::json!({ "id": patient.id, "summary": summary });
        println!("{line}");
    }
    Ok(())
}
