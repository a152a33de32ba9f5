//! The tagged enums read and write exactly what serde's `#[serde(tag = ...)]` derive did: every
//! text below was written by that derive (main bbbbd3f), and these tests passed against it
//! before the enums moved to `tag_first!`.

use proptest::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use time::macros::{date, datetime};
use time::OffsetDateTime;

use crate::audit::{Actor, AuditAction, BreakKind, ChainVerdict, RecordKindName};
use crate::device::{DeviceMode, Migration};
use crate::model::{AppointmentTime, BookSource, RecordOrigin};

/// Reads `text` as `expected`, and writing `expected` gives `text` back byte for byte.
fn golden<T>(expected: T, text: &str)
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let read: T = serde_json::from_slice(text.as_bytes()).unwrap();
    assert_eq!(read, expected, "reading {text}");
    assert_eq!(serde_json::to_string(&expected).unwrap(), text);
}

/// Reads what was stored in another shape (written by an older version, or with its keys
/// sorted by a pass through `serde_json::Value`).
fn reads<T>(expected: T, text: &str)
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let read: T = serde_json::from_slice(text.as_bytes()).unwrap();
    assert_eq!(read, expected, "reading {text}");
}

fn error<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    serde_json::from_slice::<T>(text.as_bytes())
        .unwrap_err()
        .to_string()
}

#[test]
fn record_origin_as_stored() {
    golden(
        RecordOrigin::Synced {
            source: "https://fhir.example.vn/r4".into(),
        },
        r#"{"kind":"synced","source":"https://fhir.example.vn/r4"}"#,
    );
    golden(RecordOrigin::Imported, r#"{"kind":"imported"}"#);
    golden(
        RecordOrigin::EnteredByStaff {
            staff: Some("Y tá Lan".into()),
            device: Some(DeviceMode::Shared),
            at: datetime!(2026-03-01 08:30:00 +07:00),
        },
        r#"{"kind":"entered_by_staff","staff":"Y tá Lan","device":"shared","at":"2026-03-01T08:30:00+07:00"}"#,
    );
    // Older versions stored no device and no staff name.
    golden(
        RecordOrigin::EnteredByStaff {
            staff: None,
            device: None,
            at: datetime!(2025-12-31 23:59:59 UTC),
        },
        r#"{"kind":"entered_by_staff","at":"2025-12-31T23:59:59Z"}"#,
    );
    golden(
        RecordOrigin::SelfReported {
            at: datetime!(2026-02-14 10:00:00 +07:00),
        },
        r#"{"kind":"self_reported","at":"2026-02-14T10:00:00+07:00"}"#,
    );
}

#[test]
fn book_source_as_stored() {
    golden(
        BookSource::Server {
            base_url: "https://fhir.example.vn/r4".into(),
            patient_id: "p-1".into(),
        },
        r#"{"kind":"server","base_url":"https://fhir.example.vn/r4","patient_id":"p-1"}"#,
    );
    golden(
        BookSource::Imported {
            file_name: Some("so-suc-khoe.json".into()),
        },
        r#"{"kind":"imported","file_name":"so-suc-khoe.json"}"#,
    );
    golden(
        BookSource::Imported { file_name: None },
        r#"{"kind":"imported"}"#,
    );
    reads(
        BookSource::Imported { file_name: None },
        r#"{"kind":"imported","file_name":null}"#,
    );
    golden(
        BookSource::EnteredOnDevice,
        r#"{"kind":"entered_on_device"}"#,
    );
}

#[test]
fn appointment_time_as_stored() {
    golden(
        AppointmentTime::Day {
            on: date!(2026 - 04 - 02),
        },
        r#"{"kind":"day","on":"2026-04-02"}"#,
    );
    golden(
        AppointmentTime::At {
            at: datetime!(2026-04-02 07:15:00 +07:00),
        },
        r#"{"kind":"at","at":"2026-04-02T07:15:00+07:00"}"#,
    );
}

#[test]
fn audit_actor_and_action_as_stored() {
    golden(
        Actor::Staff {
            slot: 3,
            name: "Bác sĩ \"Hà\"".into(),
        },
        r#"{"kind":"staff","slot":3,"name":"Bác sĩ \"Hà\""}"#,
    );
    golden(Actor::Person, r#"{"kind":"person"}"#);
    golden(Actor::Unknown, r#"{"kind":"unknown"}"#);
    use AuditAction::*;
    let vaccination = RecordKindName::Vaccination;
    let prescription = RecordKindName::Prescription;
    for (action, text) in [
        (BookOpened, r#"{"kind":"book_opened"}"#),
        (CheckInQrViewed, r#"{"kind":"check_in_qr_viewed"}"#),
        (
            RecordAdded {
                record: vaccination,
            },
            r#"{"kind":"record_added","record":"vaccination"}"#,
        ),
        (
            RecordEdited {
                record: prescription,
            },
            r#"{"kind":"record_edited","record":"prescription"}"#,
        ),
        (
            RecordRemoved {
                record: vaccination,
            },
            r#"{"kind":"record_removed","record":"vaccination"}"#,
        ),
        (Imported, r#"{"kind":"imported"}"#),
        (Synced, r#"{"kind":"synced"}"#),
        (Exported, r#"{"kind":"exported"}"#),
        (SignedOut, r#"{"kind":"signed_out"}"#),
        (BookRemoved, r#"{"kind":"book_removed"}"#),
        (
            UnlockFailed {
                count: 2,
                last_at: Some(datetime!(2026-01-05 06:00:00 UTC)),
            },
            r#"{"kind":"unlock_failed","count":2,"last_at":"2026-01-05T06:00:00Z"}"#,
        ),
        (
            UnlockFailed {
                count: 1,
                last_at: None,
            },
            r#"{"kind":"unlock_failed","count":1,"last_at":null}"#,
        ),
        (
            StaffAdded { name: "Lan".into() },
            r#"{"kind":"staff_added","name":"Lan"}"#,
        ),
        (
            StaffRemoved { name: "Hà".into() },
            r#"{"kind":"staff_removed","name":"Hà"}"#,
        ),
        (SecretChanged, r#"{"kind":"secret_changed"}"#),
        (LogExported, r#"{"kind":"log_exported"}"#),
        (
            CorrectionAdded {
                record: prescription,
            },
            r#"{"kind":"correction_added","record":"prescription"}"#,
        ),
        (
            CorrectionEdited {
                record: prescription,
            },
            r#"{"kind":"correction_edited","record":"prescription"}"#,
        ),
        (
            CorrectionRemoved {
                record: prescription,
            },
            r#"{"kind":"correction_removed","record":"prescription"}"#,
        ),
    ] {
        golden(action, text);
    }
}

#[test]
fn chain_verdict_and_migration_as_stored() {
    golden(
        ChainVerdict::Intact { entries: 12 },
        r#"{"result":"intact","entries":12}"#,
    );
    golden(
        ChainVerdict::Broken {
            position: 4,
            kind: BreakKind::Missing,
        },
        r#"{"result":"broken","position":4,"kind":"missing"}"#,
    );
    golden(Migration::Decrypt, r#"{"direction":"decrypt"}"#);
    let encrypt = r#"{"direction":"encrypt","meta":{"mode":"personal","slots":[{"id":1,"holder":{"holder":"personal","kind":"pin"},"wrapped_data_key":[1,2]}],"wrapped_index_key":[3],"attempts":{"count":0,"last_failure_unix":null},"idle_lock":{"minutes":5}}}"#;
    let read: Migration = serde_json::from_str(encrypt).unwrap();
    assert!(matches!(read, Migration::Encrypt { .. }));
    assert_eq!(serde_json::to_string(&read).unwrap(), encrypt);
}

/// Turning encryption on or off passes settings and audit entries through `serde_json::Value`,
/// which sorts their keys: the tag is then not first, and they must still be read.
#[test]
fn reads_the_tag_after_other_fields() {
    reads(
        AuditAction::UnlockFailed {
            count: 2,
            last_at: Some(datetime!(2026-01-05 06:00:00 UTC)),
        },
        r#"{"count":2,"kind":"unlock_failed","last_at":"2026-01-05T06:00:00Z"}"#,
    );
    reads(
        RecordOrigin::EnteredByStaff {
            staff: Some("Lan".into()),
            device: Some(DeviceMode::Personal),
            at: datetime!(2026-03-01 08:30:00 +07:00),
        },
        r#"{"at":"2026-03-01T08:30:00+07:00","device":"personal","kind":"entered_by_staff","staff":"Lan"}"#,
    );
    reads(
        BookSource::Server {
            base_url: "https://a.vn/fhir".into(),
            patient_id: "7".into(),
        },
        r#"{"base_url":"https://a.vn/fhir","patient_id":"7","kind":"server"}"#,
    );
    // A unit variant ignores any other field, wherever the tag is.
    reads(Actor::Person, r#"{"slot":{"x":[1,2]},"kind":"person"}"#);
    reads(Actor::Person, r#"{"kind":"person","slot":[1,{"a":"b"}]}"#);
    // Inside a larger value, with whitespace.
    reads(
        vec![AppointmentTime::Day {
            on: date!(2026 - 04 - 02),
        }],
        "[ { \"on\" : \"2026-04-02\" ,\n \"kind\" : \"day\" } ]",
    );
}

#[test]
fn refuses_what_it_cannot_read_with_a_reason() {
    let unknown = error::<RecordOrigin>(r#"{"kind":"faxed","source":"x"}"#);
    assert!(unknown.contains("unknown variant `faxed`"), "{unknown}");
    let missing = error::<RecordOrigin>(r#"{"source":"x"}"#);
    assert!(missing.contains("missing field `kind`"), "{missing}");
    let empty = error::<AuditAction>("{}");
    assert!(empty.contains("missing field `kind`"), "{empty}");
    let field = error::<RecordOrigin>(r#"{"kind":"synced"}"#);
    assert!(field.contains("missing field `source`"), "{field}");
    let not_object = error::<Actor>(r#""person""#);
    assert!(not_object.contains("invalid type"), "{not_object}");
    let bad_value = error::<RecordOrigin>(r#"{"at":"yesterday","kind":"self_reported"}"#);
    assert!(!bad_value.is_empty());
    let tag_not_text = error::<Actor>(r#"{"kind":7}"#);
    assert!(tag_not_text.contains("invalid type"), "{tag_not_text}");
}

fn any_time() -> impl Strategy<Value = OffsetDateTime> {
    (0i64..4_000_000_000, -12i8..14).prop_map(|(secs, hours)| {
        OffsetDateTime::from_unix_timestamp(secs)
            .unwrap()
            .to_offset(time::UtcOffset::from_hms(hours, 0, 0).unwrap())
    })
}

fn any_origin() -> impl Strategy<Value = RecordOrigin> {
    prop_oneof![
        ".*".prop_map(|source| RecordOrigin::Synced { source }),
        Just(RecordOrigin::Imported),
        (
            proptest::option::of(".*"),
            proptest::option::of(prop_oneof![
                Just(DeviceMode::Shared),
                Just(DeviceMode::Personal)
            ]),
            any_time()
        )
            .prop_map(|(staff, device, at)| RecordOrigin::EnteredByStaff {
                staff,
                device,
                at
            }),
        any_time().prop_map(|at| RecordOrigin::SelfReported { at }),
    ]
}

fn any_action() -> impl Strategy<Value = AuditAction> {
    prop_oneof![
        Just(AuditAction::BookOpened),
        Just(AuditAction::SecretChanged),
        (any::<u32>(), proptest::option::of(any_time()))
            .prop_map(|(count, last_at)| AuditAction::UnlockFailed { count, last_at }),
        ".*".prop_map(|name| AuditAction::StaffAdded { name }),
    ]
}

/// Through `serde_json::Value`, which sorts the keys.
fn sorted<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).unwrap().to_string()
}

proptest! {
    #[test]
    fn round_trips(origin in any_origin(), action in any_action()) {
        let text = serde_json::to_string(&origin).unwrap();
        prop_assert!(text.starts_with(r#"{"kind":"#), "{}", text);
        prop_assert_eq!(&serde_json::from_str::<RecordOrigin>(&text).unwrap(), &origin);
        prop_assert_eq!(&serde_json::from_str::<RecordOrigin>(&sorted(&origin)).unwrap(), &origin);
        let text = serde_json::to_string(&action).unwrap();
        prop_assert_eq!(&serde_json::from_str::<AuditAction>(&text).unwrap(), &action);
        prop_assert_eq!(&serde_json::from_str::<AuditAction>(&sorted(&action)).unwrap(), &action);
    }
}

#[test]
fn key_slot_holder_as_stored() {
    use crate::device::{SecretKind, SlotHolder, StaffName};
    golden(
        SlotHolder::staff(vec![7, 8, 9]),
        r#"{"holder":"staff","sealed_name":[7,8,9]}"#,
    );
    // Versions before names were sealed stored them in clear.
    golden(
        SlotHolder::Staff(StaffName::Clear {
            display_name: "Y tá Lan".into(),
        }),
        r#"{"holder":"staff","display_name":"Y tá Lan"}"#,
    );
    golden(
        SlotHolder::Personal {
            kind: SecretKind::Pin,
        },
        r#"{"holder":"personal","kind":"pin"}"#,
    );
    // Both names: the sealed one wins, as the untagged derive chose its first variant.
    reads(
        SlotHolder::staff(vec![1]),
        r#"{"display_name":"Lan","holder":"staff","sealed_name":[1]}"#,
    );
    reads(
        SlotHolder::Staff(StaffName::Clear {
            display_name: "An".into(),
        }),
        r#"{"holder":"staff","sealed_name":null,"display_name":"An"}"#,
    );
    let nameless = error::<SlotHolder>(r#"{"holder":"staff"}"#);
    assert!(!nameless.is_empty());
}
