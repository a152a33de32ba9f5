//! The log as FHIR R4: one `AuditEvent` per entry in a `collection` Bundle, with the chain's
//! verdict as a Bundle tag and each entry's place and tag as an extension, so a reader can see
//! that the export came from a log that checked (or where it did not).

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;

use super::chain::{BreakKind, ChainVerdict};
use super::entry::{Actor, AuditAction, StoredEntry};
use crate::device::DeviceMode;
use crate::fhir::{FULL_URL_BASE, NATIONAL_ID_SYSTEM};

/// DICOM audit event IDs (the type codes FHIR's AuditEvent uses).
const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
/// This project's code for each action (the event's subtype).
pub const ACTION_SYSTEM: &str = "https://so-suc-khoe.example/fhir/CodeSystem/audit-action";
/// The chain verdict, tagged on the Bundle.
pub const VERDICT_SYSTEM: &str = "https://so-suc-khoe.example/fhir/CodeSystem/audit-chain";
/// Extension: the entry's place in the chain and its tag.
pub const CHAIN_EXTENSION: &str =
    "https://so-suc-khoe.example/fhir/StructureDefinition/audit-chain-link";
/// The staff member's key slot on this device.
pub const STAFF_SLOT_SYSTEM: &str = "https://so-suc-khoe.example/fhir/sid/staff-slot";

/// The Bundle of every entry, oldest first.
pub fn audit_bundle(entries: &[StoredEntry], verdict: ChainVerdict) -> Value {
    let (code, display) = match verdict {
        ChainVerdict::Intact { .. } => ("intact".to_owned(), "chain verified".to_owned()),
        ChainVerdict::Broken { position, kind } => (
            format!("broken-{}", break_code(kind)),
            format!("chain broken at entry {position}"),
        ),
    };
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "meta": {"tag": [{"system": VERDICT_SYSTEM, "code": code, "display": display}]},
        "entry": entries.iter().map(|stored| json!({
            "fullUrl": format!("{FULL_URL_BASE}AuditEvent/audit-{}", stored.entry.seq),
            "resource": audit_event(stored),
        })).collect::<Vec<_>>(),
    })
}

fn break_code(kind: BreakKind) -> &'static str {
    match kind {
        BreakKind::Altered => "altered",
        BreakKind::Missing => "missing",
        BreakKind::OutOfOrder => "out-of-order",
        BreakKind::Unreadable => "unreadable",
    }
}

/// One entry as an `AuditEvent`.
pub fn audit_event(stored: &StoredEntry) -> Value {
    let entry = &stored.entry;
    let (type_code, type_display) = event_type(&entry.action);
    let (action_code, subtype) = action_codes(&entry.action);
    let mut event = json!({
        "resourceType": "AuditEvent",
        "id": format!("audit-{}", entry.seq),
        "extension": [{
            "url": CHAIN_EXTENSION,
            "extension": [
                {"url": "seq", "valueInteger": entry.seq},
                {"url": "tag", "valueString": stored.tag},
            ],
        }],
        "type": {"system": DCM, "code": type_code, "display": type_display},
        "subtype": [{"system": ACTION_SYSTEM, "code": subtype}],
        "action": action_code,
        "recorded": entry.at.format(&Rfc3339).unwrap_or_default(),
        "outcome": if matches!(entry.action, AuditAction::UnlockFailed { .. }) { "4" } else { "0" },
        "agent": [agent(&entry.actor)],
        "source": {
            "observer": {"display": match entry.mode {
                DeviceMode::Shared => "So Suc Khoe, shared device",
                DeviceMode::Personal => "So Suc Khoe, personal device",
            }},
            "type": [{
                "system": "http://terminology.hl7.org/CodeSystem/security-source-type",
                "code": "1",
                "display": "End-user display device, diagnostic display",
            }],
        },
    });
    let mut entities = Vec::new();
    if let Some(book) = &entry.book {
        entities.push(json!({
            "what": {"identifier": {"system": NATIONAL_ID_SYSTEM, "value": book.citizen_id}},
            "type": {
                "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type",
                "code": "1",
                "display": "Person",
            },
        }));
    }
    match &entry.action {
        AuditAction::StaffAdded { name } | AuditAction::StaffRemoved { name } => {
            entities.push(json!({"what": {"display": name}, "name": name}));
        }
        AuditAction::UnlockFailed { count, last_at } => {
            let mut detail = vec![json!({"type": "count", "valueString": count.to_string()})];
            if let Some(at) = last_at {
                detail.push(
                    json!({"type": "last", "valueString": at.format(&Rfc3339).unwrap_or_default()}),
                );
            }
            entities.push(json!({"detail": detail}));
        }
        _ => {}
    }
    if !entities.is_empty() {
        event["entity"] = Value::Array(entities);
    }
    event
}

fn agent(actor: &Actor) -> Value {
    match actor {
        Actor::Staff { slot, name } => json!({
            "requestor": true,
            "who": {"identifier": {"system": STAFF_SLOT_SYSTEM, "value": slot.to_string()}, "display": name},
            "name": name,
        }),
        Actor::Person => json!({"requestor": true, "who": {"display": "device owner"}}),
        Actor::Unknown => json!({"requestor": true, "who": {"display": "unknown"}}),
    }
}

fn event_type(action: &AuditAction) -> (&'static str, &'static str) {
    match action {
        AuditAction::Imported => ("110107", "Import"),
        AuditAction::Exported | AuditAction::LogExported => ("110106", "Export"),
        AuditAction::UnlockFailed { .. } | AuditAction::SecretChanged => {
            ("110114", "User Authentication")
        }
        AuditAction::StaffAdded { .. } | AuditAction::StaffRemoved { .. } => {
            ("110136", "Security Roles Changed")
        }
        _ => ("110110", "Patient Record"),
    }
}

/// The FHIR action code (C, R, U, D, E) and this project's subtype code.
fn action_codes(action: &AuditAction) -> (&'static str, &'static str) {
    match action {
        AuditAction::BookOpened => ("R", "book-opened"),
        AuditAction::CheckInQrViewed => ("R", "check-in-qr-viewed"),
        AuditAction::RecordAdded { .. } => ("C", "record-added"),
        AuditAction::RecordEdited { .. } => ("U", "record-edited"),
        AuditAction::RecordRemoved { .. } => ("D", "record-removed"),
        AuditAction::Imported => ("C", "imported"),
        AuditAction::Synced => ("U", "synced"),
        AuditAction::Exported => ("R", "exported"),
        AuditAction::SignedOut => ("D", "signed-out"),
        AuditAction::BookRemoved => ("D", "book-removed"),
        AuditAction::UnlockFailed { .. } => ("E", "unlock-failed"),
        AuditAction::StaffAdded { .. } => ("C", "staff-added"),
        AuditAction::StaffRemoved { .. } => ("D", "staff-removed"),
        AuditAction::SecretChanged => ("U", "secret-changed"),
        AuditAction::LogExported => ("R", "log-exported"),
        AuditAction::CorrectionAdded { .. } => ("C", "correction-added"),
        AuditAction::CorrectionEdited { .. } => ("U", "correction-edited"),
        AuditAction::CorrectionRemoved { .. } => ("D", "correction-removed"),
    }
}
