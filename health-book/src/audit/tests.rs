//! The chain detects each kind of tampering; anonymising keeps it intact.

use sha2::{Digest, Sha256};
use time::macros::datetime;

use super::chain::inputs;
use super::*;
use crate::device::DeviceMode;

const KEY: &[u8] = b"device audit key, 32 bytes long!";

/// HMAC-SHA256 (RFC 2104), as WebCrypto computes it in the app.
fn hmac(key: &[u8], data: &[u8]) -> String {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(data)
        .finalize();
    hex(&Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize())
}

fn staff() -> Actor {
    Actor::Staff {
        slot: 1,
        name: "Lan".into(),
    }
}

/// Appends an entry as the app does: seq after the last, tag over the last tag.
fn append(log: &mut Vec<StoredEntry>, action: AuditAction, citizen_id: Option<&str>) {
    let book = citizen_id.map(|id| BookMention {
        citizen_id: id.into(),
        salt: format!("salt{}", log.len()),
    });
    let entry = AuditEntry {
        seq: log.len() as u64,
        at: datetime!(2026-12-01 10:32 +7) + time::Duration::minutes(log.len() as i64),
        actor: staff(),
        mode: DeviceMode::Shared,
        book_commitment: book.as_ref().map(|b| hmac(KEY, &b.commitment_input())),
        book,
        action,
    };
    let prev = log.last().map_or(AuditEntry::GENESIS, |s| s.tag.as_str());
    let tag = hmac(KEY, &entry.mac_input(prev));
    log.push(StoredEntry { entry, tag });
}

fn sample() -> Vec<StoredEntry> {
    let mut log = Vec::new();
    append(&mut log, AuditAction::BookOpened, Some("001089000001"));
    append(&mut log, AuditAction::CheckInQrViewed, Some("001089000001"));
    append(
        &mut log,
        AuditAction::StaffAdded {
            name: "Minh".into(),
        },
        None,
    );
    append(&mut log, AuditAction::BookOpened, Some("079190000002"));
    append(&mut log, AuditAction::Exported, Some("079190000002"));
    log
}

/// Verifies as the app does: recompute every HMAC from the stored values, then check.
fn check(log: &[StoredEntry]) -> ChainVerdict {
    let entries: Vec<Option<StoredEntry>> = log.iter().cloned().map(Some).collect();
    verify(&entries, &recompute(&entries))
}

fn recompute(entries: &[Option<StoredEntry>]) -> Vec<Option<Recomputed>> {
    inputs(entries)
        .into_iter()
        .map(|input| {
            input.map(|(tag, commitment)| Recomputed {
                tag: hmac(KEY, &tag),
                commitment: commitment.map(|c| hmac(KEY, &c)),
            })
        })
        .collect()
}

fn broken(position: usize, kind: BreakKind) -> ChainVerdict {
    ChainVerdict::Broken { position, kind }
}

#[test]
fn an_untouched_log_verifies() {
    assert_eq!(check(&sample()), ChainVerdict::Intact { entries: 5 });
    assert_eq!(check(&[]), ChainVerdict::Intact { entries: 0 });
}

#[test]
fn an_edited_entry_is_detected() {
    let mut log = sample();
    log[2].entry.action = AuditAction::StaffAdded {
        name: "Mallory".into(),
    };
    assert_eq!(check(&log), broken(2, BreakKind::Altered));

    let mut log = sample();
    log[1].entry.at += time::Duration::hours(3);
    assert_eq!(check(&log), broken(1, BreakKind::Altered));

    // Pointing an entry at another person's book.
    let mut log = sample();
    if let Some(book) = log[0].entry.book.as_mut() {
        book.citizen_id = "079190000002".into();
    }
    assert_eq!(check(&log), broken(0, BreakKind::Altered));
}

#[test]
fn an_edited_tag_breaks_its_own_entry() {
    let mut log = sample();
    log[3].tag = hmac(b"another key", b"anything");
    assert_eq!(check(&log), broken(3, BreakKind::Altered));
}

#[test]
fn a_removed_entry_is_detected() {
    let mut log = sample();
    log.remove(1);
    assert_eq!(check(&log), broken(1, BreakKind::Missing));

    // Renumbering the rest to hide the gap breaks their tags instead.
    for (i, stored) in log.iter_mut().enumerate() {
        stored.entry.seq = i as u64;
    }
    assert_eq!(check(&log), broken(1, BreakKind::Altered));
}

#[test]
fn an_inserted_entry_is_detected() {
    // A forged entry, with a tag made without the device key.
    let mut log = sample();
    let mut forged = log[1].clone();
    forged.entry.seq = 2;
    forged.tag = hmac(b"not the device key", &forged.entry.mac_input(&log[1].tag));
    log.insert(2, forged);
    for (i, stored) in log.iter_mut().enumerate().skip(3) {
        stored.entry.seq = i as u64;
    }
    assert_eq!(check(&log), broken(2, BreakKind::Altered));

    // A genuine entry copied in a second time (a replay).
    let mut log = sample();
    let copy = log[1].clone();
    log.insert(2, copy);
    assert_eq!(check(&log), broken(2, BreakKind::OutOfOrder));
}

#[test]
fn a_reordered_entry_is_detected() {
    let mut log = sample();
    log.swap(1, 3);
    assert_eq!(check(&log), broken(1, BreakKind::Missing));

    // With the places renumbered to look right, the tags no longer chain.
    let mut log = sample();
    log.swap(1, 3);
    log[1].entry.seq = 1;
    log[3].entry.seq = 3;
    assert_eq!(check(&log), broken(1, BreakKind::Altered));
}

#[test]
fn an_unreadable_entry_breaks_the_chain_there() {
    let log = sample();
    let mut entries: Vec<Option<StoredEntry>> = log.into_iter().map(Some).collect();
    entries[2] = None;
    assert_eq!(
        verify(&entries, &recompute(&entries)),
        broken(2, BreakKind::Unreadable)
    );
}

#[test]
fn anonymising_a_book_keeps_the_chain_and_names_nobody() {
    let mut log = sample();
    for stored in log.iter_mut() {
        if stored.entry.is_about("079190000002") {
            stored.entry = stored.entry.anonymised();
        }
    }
    assert_eq!(check(&log), ChainVerdict::Intact { entries: 5 });
    let text = serde_json::to_string(&log).unwrap();
    assert!(!text.contains("079190000002"));
    assert!(book_visits(&log, "079190000002").is_empty());
    assert_eq!(book_visits(&log, "001089000001").len(), 2);
}

#[test]
fn a_book_lists_its_own_visits_newest_first() {
    let log = sample();
    let visits = book_visits(&log, "001089000001");
    assert_eq!(visits[0].action, AuditAction::CheckInQrViewed);
    assert_eq!(visits[1].action, AuditAction::BookOpened);
    assert_eq!(visits[1].actor, staff());
    assert_eq!(visits[1].at, datetime!(2026-12-01 10:32 +7));
}

#[test]
fn the_fhir_export_is_one_audit_event_per_entry_with_the_verdict() {
    let log = sample();
    let bundle = audit_bundle(&log, check(&log));
    assert_eq!(bundle["type"], "collection");
    assert_eq!(bundle["meta"]["tag"][0]["code"], "intact");
    let entries = bundle["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    let opened = &entries[0]["resource"];
    assert_eq!(opened["resourceType"], "AuditEvent");
    assert_eq!(opened["action"], "R");
    assert_eq!(opened["subtype"][0]["code"], "book-opened");
    assert_eq!(opened["agent"][0]["who"]["display"], "Lan");
    assert_eq!(opened["agent"][0]["requestor"], true);
    assert_eq!(
        opened["entity"][0]["what"]["identifier"]["value"],
        "001089000001"
    );
    assert_eq!(opened["recorded"], "2026-12-01T10:32:00+07:00");
    assert_eq!(entries[2]["resource"]["type"]["code"], "110136");

    let mut tampered = log.clone();
    tampered.remove(0);
    let bundle = audit_bundle(&tampered, check(&tampered));
    assert_eq!(bundle["meta"]["tag"][0]["code"], "broken-missing");
}
