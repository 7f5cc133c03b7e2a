//! Read an NHS Booking and Referral Standard (BaRS) referral message that has
//! defects, as a receiving service would: print the validation report (also as a
//! FHIR `OperationOutcome`) and the referral that could be read, then write the
//! referral back out as a BaRS message.
//!
//! With no argument the shipped test message is read with four defects added (an
//! NHS number that fails its check digit, a pharmacy without an ODS code, a service
//! without a type, an element FHIR does not define); with a path, that file is read
//! as it is.
//!
//! ```sh
//! cargo run --example bars_referral
//! cargo run --example bars_referral -- message.json [out.json]
//! ```

use std::error::Error;

use pcn::fhir::{IssueSeverity, bars_referral_to_fhir, read_bars_referral, to_json};
use serde_json::{Value, json};

const SHIPPED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/pcn-fhir/tests/data/bars/referral-request.json"
);

/// The shipped message with realistic defects.
fn defective_message() -> Result<String, Box<dyn Error>> {
    let mut message: Value = serde_json::from_str(&std::fs::read_to_string(SHIPPED)?)?;
    let entry = |message: &mut Value, i: usize| message["entry"][i]["resource"].take();
    let mut patient = entry(&mut message, 2);
    patient["identifier"][0]["value"] = json!("9434765918");
    patient["ethnicity"] = json!("not a FHIR element");
    message["entry"][2]["resource"] = patient;
    let mut pharmacy = entry(&mut message, 7);
    if let Some(object) = pharmacy.as_object_mut() {
        object.remove("identifier");
    }
    message["entry"][7]["resource"] = pharmacy;
    let mut service = entry(&mut message, 5);
    if let Some(object) = service.as_object_mut() {
        object.remove("type");
    }
    message["entry"][5]["resource"] = service;
    Ok(serde_json::to_string_pretty(&message)?)
}

fn run() -> Result<(), Box<dyn Error>> {
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "usage: bars_referral [MESSAGE.json (default: the shipped test message with four defects)] [OUT.json (default: written back only in memory and read again)]"
        );
        return Ok(());
    }
    if let Some(flag) = std::env::args().skip(1).find(|a| a.starts_with("--")) {
        eprintln!(
            "unknown option {flag:?}\nusage: bars_referral [MESSAGE.json (default: the shipped test message with four defects)] [OUT.json (default: written back only in memory and read again)]"
        );
        std::process::exit(2);
    }
    let mut args = std::env::args().skip(1);
    let input = match args.next() {
        Some(path) => std::fs::read_to_string(path)?,
        None => defective_message()?,
    };
    let read = read_bars_referral(input.as_bytes());

    let count = |severity| read.report.with_severity(severity).count();
    println!(
        "Validation report: {} errors, {} warnings, {} information",
        count(IssueSeverity::Error) + count(IssueSeverity::Fatal),
        count(IssueSeverity::Warning),
        count(IssueSeverity::Information)
    );
    for issue in read.report.issues() {
        if issue.severity != IssueSeverity::Information {
            println!("  {issue}");
        }
    }
    println!("  (information issues: elements read past, by path)");
    println!();
    println!("As a FHIR OperationOutcome (first 400 characters):");
    let outcome = to_json(&read.report.to_operation_outcome())?;
    println!("  {}...", outcome.chars().take(400).collect::<String>());
    println!();

    let Some(referral) = read.value else {
        println!("No referral could be read from the message.");
        return Ok(());
    };
    // The referral as read, its fields by their documented names; the id under
    // which the message keeps it is a UUID, for systems rather than readers.
    let mut shown = serde_json::to_value(&referral)?;
    if let Some(fields) = shown.as_object_mut() {
        fields.remove("id");
    }
    println!("The referral, as read (its id left out):");
    println!("{}", serde_json::to_string_pretty(&shown)?);

    let out = to_json(&bars_referral_to_fhir(&referral))?;
    match args.next() {
        Some(path) => {
            std::fs::write(&path, &out)?;
            println!("Written back out as a BaRS message to {path}");
        }
        None => println!(
            "Written back out as a BaRS message of {} bytes, which reads back {}.",
            out.len(),
            if read_bars_referral(out.as_bytes()).value.as_ref() == Some(&referral) {
                "to the same referral"
            } else {
                "differently"
            }
        ),
    }
    Ok(())
}

fn main() {
    if let Err(error) = run() {
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}
