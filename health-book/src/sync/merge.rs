//! The book after a sync or a file import: the incoming records, and what the device must keep.
//!
//! Rules (the one about device-entered records, [`keep_device_records`], holds for file imports
//! too):
//! - Records from the server are the health system's: they are marked `Synced` from that server,
//!   whatever a record-origin extension on the server copy says about an earlier life.
//! - Records entered on this device (by staff, or self-reported by the person) are the only copy
//!   of them: a sync never removes or overwrites one. If the server has a record with the same ID,
//!   the device's record stays and the server's is left out (reported as a conflict).
//! - Every other record the server no longer has goes (deleted on the server, or an earlier file
//!   import that the server's data replaces).
//! - The profile is the server's, except fields the server leaves empty, which keep what the
//!   device had (an emergency contact typed in at the station is not lost).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::model::{BookSource, HealthBook, Provenance, RecordId, RecordOrigin};

/// Added, changed and removed records, compared with the book on the device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChanges {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

impl RecordChanges {
    pub fn total(&self) -> usize {
        self.added + self.changed + self.removed
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merged {
    pub book: HealthBook,
    pub changes: RecordChanges,
    /// Staff-entered records carried over from the device.
    pub kept_staff_records: usize,
    /// Server records left out because a staff-entered record has the same ID.
    pub conflicts: usize,
}

/// Device-entered records carried into an incoming book.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeviceRecordsKept {
    /// Device-entered records carried over from the device.
    pub kept: usize,
    /// Incoming records left out because a device-entered record has the same ID.
    pub conflicts: usize,
}

/// The one rule for device-entered records (staff-entered or self-reported, see
/// [`RecordOrigin::is_device_entry`]), for a sync ([`merge_synced`]) and a file import
/// (`views::PendingBook`) alike: they are the only copy of them, so an incoming book that replaces
/// the device's never drops one, and when it has a record with the same ID, the device's record
/// stays and the incoming one is left out.
pub fn keep_device_records(incoming: &mut HealthBook, current: &HealthBook) -> DeviceRecordsKept {
    let (kv, cv) = keep_staff(&mut incoming.vaccinations, &current.vaccinations, |v| {
        (&v.id, &v.recorded_by)
    });
    let (kp, cp) = keep_staff(&mut incoming.prescriptions, &current.prescriptions, |p| {
        (&p.id, &p.recorded_by)
    });
    DeviceRecordsKept {
        kept: kv + kp,
        conflicts: cv + cp,
    }
}

/// Where the server's copy of the book came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncSource {
    pub base_url: String,
    pub patient_id: String,
    pub patient_version: Option<String>,
    pub patient_updated_at: Option<OffsetDateTime>,
    pub synced_at: OffsetDateTime,
}

/// Combines the book mapped from the server's resources with the book on the device, if any.
pub fn merge_synced(
    mut incoming: HealthBook,
    current: Option<&HealthBook>,
    source: &SyncSource,
) -> Merged {
    let synced = RecordOrigin::Synced {
        source: source.base_url.clone(),
    };
    for v in &mut incoming.vaccinations {
        v.recorded_by = synced.clone();
    }
    for p in &mut incoming.prescriptions {
        p.recorded_by = synced.clone();
    }
    super::care::merge_care(&mut incoming, current, &synced);
    incoming.provenance = Provenance {
        source: BookSource::Server {
            base_url: source.base_url.clone(),
            patient_id: source.patient_id.clone(),
        },
        source_updated_at: source.patient_updated_at,
        source_version: source.patient_version.clone(),
        last_synced_at: Some(source.synced_at),
    };
    let mut kept = 0;
    let mut conflicts = 0;
    let mut changes = RecordChanges::default();
    if let Some(current) = current {
        keep_profile_fields(&mut incoming, current);
        let device = keep_device_records(&mut incoming, current);
        kept = device.kept;
        conflicts = device.conflicts;
        count(
            &mut changes,
            &current.vaccinations,
            &incoming.vaccinations,
            |v| &v.id,
        );
        count(
            &mut changes,
            &current.prescriptions,
            &incoming.prescriptions,
            |p| &p.id,
        );
    } else {
        changes.added = incoming.vaccinations.len() + incoming.prescriptions.len();
    }
    Merged {
        book: incoming,
        changes,
        kept_staff_records: kept,
        conflicts,
    }
}

/// Puts the device-entered records into `incoming`, replacing any incoming record with their ID.
fn keep_staff<T: Clone>(
    incoming: &mut Vec<T>,
    current: &[T],
    id_origin: impl Fn(&T) -> (&RecordId, &RecordOrigin),
) -> (usize, usize) {
    let (mut kept, mut conflicts) = (0, 0);
    for record in current.iter().filter(|r| id_origin(r).1.is_device_entry()) {
        let id = id_origin(record).0.clone();
        let before = incoming.len();
        incoming.retain(|r| *id_origin(r).0 != id);
        conflicts += before - incoming.len();
        incoming.push(record.clone());
        kept += 1;
    }
    (kept, conflicts)
}

fn count<T: PartialEq>(
    changes: &mut RecordChanges,
    before: &[T],
    after: &[T],
    id: impl Fn(&T) -> &RecordId,
) {
    for a in after {
        match before.iter().find(|b| id(b) == id(a)) {
            None => changes.added += 1,
            Some(b) if b != a => changes.changed += 1,
            Some(_) => {}
        }
    }
    changes.removed += before
        .iter()
        .filter(|b| !after.iter().any(|a| id(a) == id(b)))
        .count();
}

fn keep_profile_fields(incoming: &mut HealthBook, current: &HealthBook) {
    let (new, old) = (&mut incoming.profile, &current.profile);
    if new.citizen_id != old.citizen_id {
        return;
    }
    fn keep<T: Clone>(field: &mut Option<T>, old: &Option<T>) {
        if field.is_none() {
            field.clone_from(old);
        }
    }
    keep(&mut new.old_id_number, &old.old_id_number);
    keep(&mut new.card_issued_on, &old.card_issued_on);
    keep(&mut new.health_insurance, &old.health_insurance);
    keep(&mut new.address, &old.address);
    keep(&mut new.phone, &old.phone);
    keep(&mut new.blood_group, &old.blood_group);
    keep(&mut new.emergency_contact, &old.emergency_contact);
    if new.allergies.is_empty() {
        new.allergies.clone_from(&old.allergies);
    }
    if new.chronic_conditions.is_empty() {
        new.chronic_conditions.clone_from(&old.chronic_conditions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{self, BookShape};
    use crate::model::EmergencyContact;
    use time::macros::datetime;

    fn source() -> SyncSource {
        SyncSource {
            base_url: "http://x/fhir".into(),
            patient_id: "p1".into(),
            patient_version: Some("7".into()),
            patient_updated_at: Some(datetime!(2026-01-02 3:04 UTC)),
            synced_at: datetime!(2026-01-03 0:00 UTC),
        }
    }

    fn staff() -> RecordOrigin {
        RecordOrigin::EnteredByStaff {
            staff: Some("Y tá Lan".into()),
            device: None,
            at: datetime!(2025-12-01 9:00 +7),
        }
    }

    #[test]
    fn a_new_book_is_all_synced_and_all_added() {
        let book = generate::book(1, &BookShape::records(20));
        let merged = merge_synced(book.clone(), None, &source());
        assert!(merged
            .book
            .vaccinations
            .iter()
            .all(|v| v.recorded_by.is_verified()));
        assert!(merged
            .book
            .prescriptions
            .iter()
            .all(|p| p.recorded_by.is_verified()));
        assert_eq!(merged.changes.added, 20);
        assert_eq!(
            merged.book.provenance.source,
            BookSource::Server {
                base_url: "http://x/fhir".into(),
                patient_id: "p1".into()
            }
        );
        assert_eq!(
            merged.book.provenance.last_synced_at,
            Some(source().synced_at)
        );
        assert_eq!(merged.book.provenance.source_version.as_deref(), Some("7"));
    }

    #[test]
    fn staff_records_survive_and_win_over_a_server_record_with_their_id() {
        let mut current = generate::book(2, &BookShape::records(10));
        let synced = RecordOrigin::Synced {
            source: "http://x/fhir".into(),
        };
        current
            .vaccinations
            .iter_mut()
            .for_each(|v| v.recorded_by = synced.clone());
        current
            .prescriptions
            .iter_mut()
            .for_each(|p| p.recorded_by = synced.clone());
        let mut staff_vaccination = current.vaccinations[0].clone();
        staff_vaccination.recorded_by = staff();
        staff_vaccination.lot_number = Some("typed at the station".into());
        current.vaccinations[0] = staff_vaccination.clone();
        let mut only_here = current.prescriptions[0].clone();
        only_here.id = RecordId("staff-rx-1".into());
        only_here.recorded_by = staff();
        current.prescriptions.push(only_here.clone());

        // The server has the same records (its copy of vaccination 0 differs) but not staff-rx-1.
        let mut incoming = current.clone();
        incoming.prescriptions.retain(|p| p.id != only_here.id);
        incoming.vaccinations[0].lot_number = Some("server".into());
        let merged = merge_synced(incoming, Some(&current), &source());

        let kept = merged
            .book
            .vaccinations
            .iter()
            .find(|v| v.id == staff_vaccination.id)
            .unwrap();
        assert_eq!(kept, &staff_vaccination);
        assert!(merged.book.prescriptions.contains(&only_here));
        assert_eq!(merged.kept_staff_records, 2);
        assert_eq!(merged.conflicts, 1);
    }

    #[test]
    fn a_file_import_keeps_device_records_as_a_sync_does() {
        let mut current = generate::book(5, &BookShape::records(6));
        let mut typed = current.vaccinations[0].clone();
        typed.recorded_by = staff();
        typed.lot_number = Some("typed at the station".into());
        current.vaccinations[0] = typed.clone();
        let mut only_here = current.prescriptions[0].clone();
        only_here.id = RecordId("staff-rx-2".into());
        only_here.recorded_by = staff();
        current.prescriptions.push(only_here.clone());

        // A file with the same vaccination ID (another copy) and without the staff prescription.
        let mut from_file = current.clone();
        from_file.prescriptions.retain(|p| p.id != only_here.id);
        from_file.vaccinations[0].recorded_by = RecordOrigin::Imported;
        from_file.vaccinations[0].lot_number = Some("file".into());
        let count_before = from_file.vaccinations.len();
        let kept = keep_device_records(&mut from_file, &current);

        assert_eq!(
            kept,
            DeviceRecordsKept {
                kept: 2,
                conflicts: 1
            }
        );
        assert_eq!(from_file.vaccinations.len(), count_before);
        assert!(from_file.vaccinations.contains(&typed));
        assert!(from_file.prescriptions.contains(&only_here));
    }

    #[test]
    fn a_sync_and_an_import_follow_one_rule_for_a_shared_id() {
        let mut current = generate::book(6, &BookShape::records(6));
        let typed_at = datetime!(2026-12-01 20:00 +7);
        current.vaccinations[0].recorded_by = staff();
        current.prescriptions[0].recorded_by = RecordOrigin::SelfReported { at: typed_at };
        // The same incoming copy (it has both IDs), once from the server, once from a file.
        let mut incoming = current.clone();
        incoming.vaccinations[0].lot_number = Some("elsewhere".into());
        incoming.prescriptions[0].advice = Some("elsewhere".into());
        for v in &mut incoming.vaccinations {
            v.recorded_by = RecordOrigin::Imported;
        }
        for p in &mut incoming.prescriptions {
            p.recorded_by = RecordOrigin::Imported;
        }
        let synced = merge_synced(incoming.clone(), Some(&current), &source());
        let mut from_file = incoming;
        let kept = keep_device_records(&mut from_file, &current);

        for book in [&synced.book, &from_file] {
            let v = book
                .vaccinations
                .iter()
                .find(|v| v.id == current.vaccinations[0].id);
            assert_eq!(v, Some(&current.vaccinations[0]));
            let p = book
                .prescriptions
                .iter()
                .find(|p| p.id == current.prescriptions[0].id);
            assert_eq!(p, Some(&current.prescriptions[0]));
            let same_id = |id: &RecordId| {
                book.vaccinations.iter().filter(|v| &v.id == id).count()
                    + book.prescriptions.iter().filter(|p| &p.id == id).count()
            };
            assert_eq!(same_id(&current.vaccinations[0].id), 1);
            assert_eq!(same_id(&current.prescriptions[0].id), 1);
        }
        assert_eq!((synced.kept_staff_records, synced.conflicts), (2, 2));
        assert_eq!(
            kept,
            DeviceRecordsKept {
                kept: 2,
                conflicts: 2
            }
        );
    }

    #[test]
    fn changes_count_what_was_added_changed_and_removed() {
        let mut current = generate::book(3, &BookShape::records(10));
        for v in &mut current.vaccinations {
            v.recorded_by = RecordOrigin::Synced {
                source: "http://x/fhir".into(),
            };
        }
        for p in &mut current.prescriptions {
            p.recorded_by = RecordOrigin::Synced {
                source: "http://x/fhir".into(),
            };
        }
        let mut incoming = current.clone();
        incoming.vaccinations[0].lot_number = Some("NEW-LOT".into());
        let gone = incoming.prescriptions.remove(0);
        let mut extra = incoming.prescriptions[0].clone();
        extra.id = RecordId("rx-new".into());
        incoming.prescriptions.push(extra);
        let merged = merge_synced(incoming, Some(&current), &source());
        assert_eq!(
            merged.changes,
            RecordChanges {
                added: 1,
                changed: 1,
                removed: 1
            }
        );
        assert!(!merged.book.prescriptions.iter().any(|p| p.id == gone.id));

        let again = merge_synced(merged.book.clone(), Some(&merged.book), &source());
        assert!(again.changes.is_empty());
    }

    #[test]
    fn profile_fields_the_server_leaves_empty_keep_the_device_value() {
        let mut current = generate::book(4, &BookShape::records(2));
        current.profile.emergency_contact = Some(EmergencyContact {
            name: "Lan".into(),
            relationship: None,
            phone: "0912345678".into(),
        });
        current.profile.allergies = vec!["Penicillin".into()];
        let mut incoming = current.clone();
        incoming.profile.emergency_contact = None;
        incoming.profile.allergies.clear();
        incoming.profile.full_name = "Tên Mới".into();
        let merged = merge_synced(incoming, Some(&current), &source());
        assert_eq!(merged.book.profile.full_name, "Tên Mới");
        assert_eq!(
            merged.book.profile.emergency_contact,
            current.profile.emergency_contact
        );
        assert_eq!(
            merged.book.profile.allergies,
            vec!["Penicillin".to_string()]
        );
    }
}
