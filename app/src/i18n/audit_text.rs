//! The audit log in plain words, in each language: "Nhân viên Lan đã mở sổ lúc 10:32,
//! 01/12/2026, trên máy dùng chung". Each entry is one sentence: who, what, when, where.

use health_book::audit::{Actor, AuditAction, BreakKind, RecordKindName};
use health_book::device::DeviceMode;
use time::OffsetDateTime;

use super::format;
use super::Locale;

pub(super) fn intact_vi(entries: usize) -> String {
    format!(
        "Đã kiểm tra nhật ký: {entries} mục, không mục nào bị sửa, xoá, chèn thêm hay đảo thứ tự."
    )
}

pub(super) fn intact_en(entries: usize) -> String {
    let noun = if entries == 1 { "entry" } else { "entries" };
    format!("Log verified: {entries} {noun}, none changed, removed, inserted or reordered.")
}

pub(super) fn broken_vi(position: usize, kind: BreakKind) -> String {
    let what = match kind {
        BreakKind::Altered => "đã bị sửa, hoặc không phải do máy này ghi",
        BreakKind::Missing => "đứng sau những mục đã bị xoá",
        BreakKind::OutOfOrder => "đã bị chuyển sang vị trí khác",
        BreakKind::Unreadable => "không đọc được (hỏng hoặc bị sửa)",
    };
    format!(
        "Nhật ký đã bị can thiệp: mục thứ {} {what}. Không thể tin các mục từ đó trở đi.",
        position + 1
    )
}

pub(super) fn broken_en(position: usize, kind: BreakKind) -> String {
    let what = match kind {
        BreakKind::Altered => "was changed, or was not written by this device",
        BreakKind::Missing => "comes after entries that were removed",
        BreakKind::OutOfOrder => "was moved to another place",
        BreakKind::Unreadable => "cannot be read (damaged or changed)",
    };
    format!(
        "The log has been tampered with: entry {} {what}. Entries from there on cannot be trusted.",
        position + 1
    )
}

fn record_vi(kind: RecordKindName) -> &'static str {
    match kind {
        RecordKindName::Vaccination => "một mũi tiêm",
        RecordKindName::Prescription => "một đơn thuốc",
    }
}

fn record_en(kind: RecordKindName) -> &'static str {
    match kind {
        RecordKindName::Vaccination => "a vaccination",
        RecordKindName::Prescription => "a prescription",
    }
}

/// "10:32, 01/12/2026" / "10:32 on 1 Dec 2026", in the entry's own offset (the device's).
fn clock(locale: Locale, at: OffsetDateTime) -> String {
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    match locale {
        Locale::Vi => format!("{time}, {}", format::date(locale, at.date())),
        Locale::En => format!("{time} on {}", format::date(locale, at.date())),
    }
}

fn who_vi(actor: &Actor) -> String {
    match actor {
        Actor::Staff { name, .. } => format!("Nhân viên {name}"),
        Actor::Person => "Chủ máy".to_owned(),
        Actor::Unknown => "Một người chưa mở khoá".to_owned(),
    }
}

fn who_en(actor: &Actor) -> String {
    match actor {
        Actor::Staff { name, .. } => format!("Staff member {name}"),
        Actor::Person => "The device's owner".to_owned(),
        Actor::Unknown => "Someone not unlocked".to_owned(),
    }
}

pub(super) fn entry_vi(
    actor: &Actor,
    mode: DeviceMode,
    action: &AuditAction,
    at: OffsetDateTime,
    book: Option<&str>,
) -> String {
    let who = who_vi(actor);
    let did = match action {
        AuditAction::BookOpened => "đã mở sổ".to_owned(),
        AuditAction::CheckInQrViewed => "đã xem mã QR khám".to_owned(),
        AuditAction::RecordAdded { record } => format!("đã thêm {}", record_vi(*record)),
        AuditAction::RecordEdited { record } => format!("đã sửa {}", record_vi(*record)),
        AuditAction::RecordRemoved { record } => format!("đã xoá {}", record_vi(*record)),
        AuditAction::Imported => "đã nhập sổ từ tệp".to_owned(),
        AuditAction::Synced => "đã cập nhật sổ từ hệ thống y tế".to_owned(),
        AuditAction::Exported => "đã xuất sổ ra tệp".to_owned(),
        AuditAction::SignedOut => "đã kết thúc với một bệnh nhân và xoá sổ khỏi máy".to_owned(),
        AuditAction::BookRemoved => "đã xoá một sổ khỏi máy".to_owned(),
        AuditAction::UnlockFailed { count, .. } => {
            format!("đã mở khoá, sau {count} lần nhập sai mật khẩu trước đó")
        }
        AuditAction::StaffAdded { name } => format!("đã thêm nhân viên {name}"),
        AuditAction::StaffRemoved { name } => format!("đã xoá nhân viên {name}"),
        AuditAction::SecretChanged => "đã đổi mật khẩu".to_owned(),
        AuditAction::LogExported => "đã xuất nhật ký truy cập".to_owned(),
        AuditAction::CorrectionAdded { record } => {
            format!("đã ghi báo lỗi về {}", record_vi(*record))
        }
        AuditAction::CorrectionEdited { record } => {
            format!("đã sửa một báo lỗi về {}", record_vi(*record))
        }
        AuditAction::CorrectionRemoved { record } => {
            format!("đã xoá một báo lỗi về {}", record_vi(*record))
        }
    };
    let book = book
        .map(|name| format!(" (sổ của {name})"))
        .unwrap_or_default();
    let place = match mode {
        DeviceMode::Shared => "trên máy dùng chung",
        DeviceMode::Personal => "trên máy cá nhân",
    };
    format!("{who} {did}{book} lúc {}, {place}", clock(Locale::Vi, at))
}

pub(super) fn entry_en(
    actor: &Actor,
    mode: DeviceMode,
    action: &AuditAction,
    at: OffsetDateTime,
    book: Option<&str>,
) -> String {
    let who = who_en(actor);
    let did = match action {
        AuditAction::BookOpened => "opened the book".to_owned(),
        AuditAction::CheckInQrViewed => "showed the check-in QR".to_owned(),
        AuditAction::RecordAdded { record } => format!("added {}", record_en(*record)),
        AuditAction::RecordEdited { record } => format!("corrected {}", record_en(*record)),
        AuditAction::RecordRemoved { record } => format!("removed {}", record_en(*record)),
        AuditAction::Imported => "imported the book from a file".to_owned(),
        AuditAction::Synced => "updated the book from the health system".to_owned(),
        AuditAction::Exported => "exported the book to a file".to_owned(),
        AuditAction::SignedOut => {
            "finished with a patient and removed their book from the device".to_owned()
        }
        AuditAction::BookRemoved => "removed a book from the device".to_owned(),
        AuditAction::UnlockFailed { count, .. } => {
            let times = if *count == 1 { "secret" } else { "secrets" };
            format!("unlocked after {count} wrong {times} before")
        }
        AuditAction::StaffAdded { name } => format!("added staff member {name}"),
        AuditAction::StaffRemoved { name } => format!("removed staff member {name}"),
        AuditAction::SecretChanged => "changed their passphrase".to_owned(),
        AuditAction::LogExported => "exported the access log".to_owned(),
        AuditAction::CorrectionAdded { record } => {
            format!("reported an error in {}", record_en(*record))
        }
        AuditAction::CorrectionEdited { record } => {
            format!("changed an error report on {}", record_en(*record))
        }
        AuditAction::CorrectionRemoved { record } => {
            format!("took back an error report on {}", record_en(*record))
        }
    };
    let book = book
        .map(|name| format!(" (book of {name})"))
        .unwrap_or_default();
    let place = match mode {
        DeviceMode::Shared => "on a shared device",
        DeviceMode::Personal => "on a personal device",
    };
    format!("{who} {did}{book} at {}, {place}", clock(Locale::En, at))
}

/// Under a correction note: "Nhân viên Lan ghi lúc 10:40, 01/12/2026".
pub(super) fn signed_vi(by: &Actor, at: OffsetDateTime) -> String {
    format!("{} ghi lúc {}", who_vi(by), clock(Locale::Vi, at))
}

pub(super) fn signed_en(by: &Actor, at: OffsetDateTime) -> String {
    format!("Written by {} at {}", who_en(by), clock(Locale::En, at))
}

/// Under a note whose words were changed: "Nhân viên Lan sửa lúc 08:00, 02/12/2026".
pub(super) fn edited_vi(by: &Actor, at: OffsetDateTime) -> String {
    format!("{} sửa lúc {}", who_vi(by), clock(Locale::Vi, at))
}

pub(super) fn edited_en(by: &Actor, at: OffsetDateTime) -> String {
    format!("Edited by {} at {}", who_en(by), clock(Locale::En, at))
}
