use std::borrow::Cow;

use health_book::checkin::CheckInField;
use health_book::medicine_plan::DoseSlot;
use health_book::validate::FindingKind;
use health_book::{MealRelation, TimeOfDay};

use super::format::date;
use super::msg::DosageText;
use super::{Locale, Msg};
use health_book::device::DeviceMode;
use health_book::views::provenance::server_host;
use health_book::RecordOrigin;

/// What the book's validation found, in Vietnamese.
fn finding(kind: &FindingKind) -> String {
    match kind {
        FindingKind::Card(warning) => {
            translate(&super::status::card_warning_msg(warning)).into_owned()
        }
        FindingKind::Empty => "Trường này đang để trống.".into(),
        FindingKind::NotNfc => {
            "Chữ không ở dạng Unicode chuẩn (NFC); tìm kiếm có thể không thấy.".into()
        }
        FindingKind::CitizenIdInvalid(_) => "Số CCCD không hợp lệ.".into(),
        FindingKind::CitizenIdDisagrees(_) => {
            "Số CCCD không khớp với năm sinh hoặc giới tính.".into()
        }
        FindingKind::InsuranceCodeInvalid(_) => "Mã thẻ BHYT không hợp lệ.".into(),
        FindingKind::ValidityReversed {
            valid_from,
            valid_to,
        } => {
            format!(
                "Thẻ hết hạn ({}) trước ngày bắt đầu ({}).",
                d(valid_to),
                d(valid_from)
            )
        }
        FindingKind::PrescriptionCodeInvalid(_) => "Mã đơn thuốc không hợp lệ.".into(),
        FindingKind::PrescriptionKindDisagrees { .. } => {
            "Loại đơn không khớp với mã đơn thuốc.".into()
        }
        FindingKind::BeforeBirth {
            date,
            date_of_birth,
        } => {
            format!("Ngày {} trước ngày sinh ({}).", d(date), d(date_of_birth))
        }
        FindingKind::InFuture { date, .. } => format!("Ngày {} ở tương lai.", d(date)),
        FindingKind::Zero => "Số lượng phải từ 1 trở lên.".into(),
        FindingKind::DoseAboveSeries {
            dose_number,
            series_doses,
        } => {
            format!("Mũi thứ {dose_number} nhưng loạt chỉ có {series_doses} mũi.")
        }
        FindingKind::NextDoseNotAfterDose { next_dose_due, .. } => {
            format!(
                "Hẹn mũi tiếp theo ({}) không sau ngày tiêm.",
                d(next_dose_due)
            )
        }
        FindingKind::BeforeIssue { date, issued_on } => {
            format!(
                "Ngày tái khám {} trước ngày kê đơn ({}).",
                d(date),
                d(issued_on)
            )
        }
        FindingKind::NoMedicines => "Đơn thuốc không có thuốc nào.".into(),
        FindingKind::NotIcd10 { code } => format!("Mã chẩn đoán “{code}” không đúng dạng ICD-10."),
        FindingKind::DuplicateRecordId { first } => {
            format!("Trùng mã bản ghi với {first}; một trong hai có thể bị mất khi cập nhật.")
        }
        // Typed-in records (issue 15)
        FindingKind::NotANumber { text } => format!("“{text}” không phải là một số nguyên."),
        FindingKind::NotADate { text } => format!("“{text}” không phải là một ngày hợp lệ."),
    }
}

fn d(on: &time::Date) -> String {
    date(Locale::Vi, *on)
}

pub fn translate(msg: &Msg) -> Cow<'static, str> {
    use Msg::*;
    let text: &'static str = match msg {
        AppName => "Sổ Sức Khỏe",
        AppTagline => "Sổ sức khỏe điện tử, dùng được cả khi không có mạng",
        SkipToContent => "Chuyển đến nội dung chính",
        MainNavigation => "Điều hướng chính",
        NavHome => "Trang chủ",
        NavVaccinations => "Tiêm chủng",
        NavPrescriptions => "Đơn thuốc",
        NavCheckIn => "Mã QR khám",
        NavSettings => "Cài đặt",
        Loading => "Đang tải…",
        ScreenNotLoaded => "Chưa tải được màn hình này. Hãy kiểm tra kết nối mạng rồi thử lại; các phần khác của sổ vẫn dùng được.",
        PageNotFound => "Không tìm thấy trang này.",
        BackToHome => "Về trang chủ",
        Back => "Quay lại",
        ShowMore { shown, total } => return format!("Xem thêm (đang hiện {shown}/{total})").into(),
        Print => "In",

        NoBookTitle => "Chưa có sổ sức khỏe nào trên máy này",
        NoBookBody => "Thêm sổ của bạn hoặc của người thân để xem hồ sơ, lịch tiêm và đơn thuốc, kể cả khi không có mạng.",
        NoBookAction => "Thêm sổ sức khỏe",
        NoBookOpenTitle => "Chưa mở sổ nào",
        NoBookOpenBody => "Chọn sổ của người cần xem trong danh sách sổ trên máy này.",
        BooksEvictedTitle => "Trình duyệt đã xóa dữ liệu của ứng dụng",
        BooksEvictedBody { books, since } => {
            return format!("Máy này giữ {books} sổ sức khỏe từ {}, nhưng trình duyệt đã xóa chúng (thường khi máy sắp hết bộ nhớ). Hãy thêm lại sổ từ hệ thống y tế hoặc khôi phục từ tệp sao lưu.", d(since)).into()
        }
        RestoreFromBackup => "Khôi phục từ tệp sao lưu",
        Dismiss => "Đã hiểu",

        SettingsTitle => "Cài đặt",
        LanguageHeading => "Ngôn ngữ",
        LanguageHint => "Chọn ngôn ngữ hiển thị. Lựa chọn được lưu trên máy này.",
        PreferenceNotSaved => "Không lưu được lựa chọn trên máy này (bộ nhớ trình duyệt bị chặn). Lựa chọn chỉ có hiệu lực đến khi đóng ứng dụng.",
        TextSizeHeading => "Cỡ chữ",
        LargeText => "Chữ lớn",
        LargeTextHint => "Phóng to toàn bộ chữ và nút bấm, dễ đọc hơn cho người lớn tuổi. Cỡ chữ của điện thoại cũng được áp dụng.",
        StorageHeading => "Dữ liệu trên máy",
        StoragePersisted => "Trình duyệt đã cam kết giữ dữ liệu của ứng dụng, kể cả khi máy sắp hết bộ nhớ.",
        StorageNotPersisted => "Trình duyệt có thể xóa dữ liệu khi máy hết bộ nhớ hoặc lâu không dùng. Hãy cài ứng dụng lên màn hình chính và bấm “Giữ dữ liệu”.",
        StorageUsage { used, available } => return format!("Đã dùng {used}, còn trống khoảng {available}.").into(),
        StorageUnknown => "Trình duyệt này không cho biết dung lượng đã dùng.",
        KeepDataAction => "Giữ dữ liệu",
        PersistenceRefused => "Trình duyệt chưa đồng ý. Cài ứng dụng lên màn hình chính rồi thử lại.",

        SwitchBook => "Đổi sổ",
        BooksTitle => "Sổ trên máy này",
        BooksOnDevice { count } => return format!("{count} sổ trên máy này").into(),
        SearchBooksLabel => "Tìm sổ",
        SearchBooksHint => "Tên (có dấu hoặc không) hoặc số CCCD",
        NoBooksMatch => "Không có sổ nào khớp với nội dung tìm.",
        BornIn { year } => return format!("Sinh năm {year}").into(),
        LastUpdated { on } => return format!("Cập nhật {}", d(on)).into(),
        RecordCounts { vaccinations, prescriptions } => {
            return format!("{vaccinations} mũi tiêm, {prescriptions} đơn thuốc").into()
        }
        OpenThisBook => "Mở sổ",
        CurrentlyOpen => "Đang mở",
        CloseBook => "Đóng sổ",
        DeleteBook => "Xóa khỏi máy",
        ConfirmDeleteBook { name } => {
            return format!("Xóa sổ của {name} khỏi máy này? Dữ liệu trên máy chủ y tế không bị ảnh hưởng.").into()
        }
        ConfirmDelete => "Xóa",
        Cancel => "Hủy",
        BookDeleted { name } => return format!("Đã xóa sổ của {name} khỏi máy này.").into(),
        AddBookHeading => "Thêm sổ",

        ImportTitle => "Nhập sổ từ tệp",
        ImportHint => "Chọn tệp sổ sức khỏe (FHIR Bundle, đuôi .json) được xuất từ ứng dụng này hoặc do cơ sở y tế cung cấp.",
        ImportChooseFile => "Chọn tệp",
        ImportDropHere => "hoặc kéo thả tệp vào đây",
        ImportProgressLabel => "Tiến độ nhập tệp",
        ImportProgressRead { percent } => return format!("Đang đọc tệp: {percent}%").into(),
        ImportProgressRecords { count } => return format!("Đã nhận {count} bản ghi").into(),
        ImportPreviewTitle => "Kiểm tra trước khi nhập",
        ImportPreviewPerson { name, citizen_id } => return format!("Sổ của {name}, CCCD {citizen_id}").into(),
        ImportPreviewCounts { vaccinations, prescriptions } => {
            return format!("{vaccinations} mũi tiêm và {prescriptions} đơn thuốc").into()
        }
        ImportWillReplace { current_vaccinations, current_prescriptions } => {
            return format!(
                "Sổ này đã có trên máy ({current_vaccinations} mũi tiêm, {current_prescriptions} đơn thuốc) và sẽ được thay bằng nội dung của tệp."
            )
            .into()
        }
        ImportWillAdd => "Đây là sổ mới trên máy này.",
        ImportKeepsStaffRecords { count } => {
            return format!("{count} mục nhập trên máy này (do nhân viên hoặc tự khai) được giữ lại.").into()
        }
        ImportFindings { count } => {
            return format!("Có {count} điểm cần kiểm tra trước khi lưu:").into()
        }
        Finding(kind) => return finding(kind).into(),
        ImportConfirm => "Nhập sổ",
        ImportDone { name } => return format!("Đã nhập sổ của {name}.").into(),
        ImportUnknownVaccines { names } => {
            return format!("Vắc xin chưa có trong danh mục của ứng dụng, được giữ nguyên như trong tệp: {names}.").into()
        }
        ImportSkipped { count } => return format!("{count} mục trong tệp không đọc được và đã bỏ qua:").into(),
        ImportSkippedItem { resource, reason } => return format!("{resource}: {reason}").into(),
        ImportErrNotJson => "Tệp này không phải tệp sổ sức khỏe (không đọc được dạng JSON). Không có gì thay đổi.",
        ImportErrNotBundle => "Tệp này không phải sổ sức khỏe dạng FHIR Bundle. Không có gì thay đổi.",
        ImportErrTooLarge { limit_mb } => {
            return format!("Tệp quá lớn (tối đa {limit_mb} MB). Không có gì thay đổi.").into()
        }
        ImportErrTooDeep => "Tệp có cấu trúc bất thường và đã bị từ chối. Không có gì thay đổi.",
        ImportErrNoPatient => "Tệp không có thông tin người bệnh (Patient). Không có gì thay đổi.",
        ImportErrBadPatient => "Thông tin người bệnh trong tệp thiếu hoặc sai số CCCD. Không có gì thay đổi.",
        ImportErrRead => "Không đọc được tệp. Hãy thử chọn lại tệp.",
        ImportErrEmpty => "Tệp không có sổ nào để nhập.",
        ImportErrUnsupportedType => "Loại tệp FHIR này không nhập được (cần Bundle dạng collection, searchset hoặc transaction). Không có gì thay đổi.",
        ImportErrSeveralPatients => "Tệp có nhiều người bệnh nhưng không rõ hồ sơ nào thuộc về ai. Không có gì thay đổi.",
        ImportErrSaveFailed => "Không lưu được sổ vào máy. Sổ cũ (nếu có) vẫn còn nguyên.",
        ImportErrWorkerUnavailable => "Không khởi động được bộ đọc tệp. Hãy tải lại ứng dụng khi có mạng rồi thử lại. Không có gì thay đổi.",
        ImportErrWorkerSilent => "Bộ đọc tệp không trả lời nữa nên đã dừng. Không có gì thay đổi; hãy thử chọn lại tệp.",
        ImportRestoresCorrections { count } => return format!("{count} ghi chú báo lỗi trong tệp được khôi phục.").into(),
        ImportErrWorkerStopped => "Bộ đọc tệp đã dừng trước khi nhập xong. Không có gì thay đổi; hãy thử chọn lại tệp.",
        SkipMalformed => "dữ liệu sai cấu trúc",
        SkipUnsupported => "loại dữ liệu sổ chưa hỗ trợ",
        SkipNotCompleted => "đã bị hủy hoặc chưa thực hiện",
        SkipMissingData => "thiếu thông tin bắt buộc (vắc xin, thuốc hoặc ngày)",
        SkipDuplicate => "bị trùng",
        SkipNotReferenced => "không được mục nào sử dụng",
        SkipInvalidPatient => "người bệnh thiếu hoặc sai số CCCD",
        ExportHeading => "Sao lưu",
        ExportHint => "Lưu sổ thành tệp (FHIR Bundle) để sao lưu hoặc chuyển sang máy mới. Tệp chứa thông tin sức khỏe: hãy giữ cẩn thận.",
        ExportThisBook => "Xuất sổ này ra tệp",
        ExportAllBooks => "Xuất tất cả sổ ra một tệp",
        ExportFailed => "Không tạo được tệp xuất. Dữ liệu trên máy không bị ảnh hưởng.",

        DateOfBirth => "Ngày sinh",
        AgeYears { years } => return format!("{years} tuổi").into(),
        AgeMonths { months } => return format!("{months} tháng tuổi").into(),
        Sex => "Giới tính",
        Male => "Nam",
        Female => "Nữ",
        CitizenIdLabel => "Số CCCD",
        ShowNumber => "Hiện số",
        HideNumber => "Ẩn số",
        OldIdLabel => "Số CMND cũ",
        InsuranceCardLabel => "Thẻ BHYT",
        InsuranceNone => "Chưa có thông tin thẻ bảo hiểm y tế.",
        InsuranceValid => "Còn hạn",
        InsuranceValidUntil { on } => return format!("Còn hạn đến {}", d(on)).into(),
        InsuranceExpiresIn { days, on } => {
            return if *days == 0 {
                format!("Hết hạn hôm nay ({})", d(on)).into()
            } else {
                format!("Sắp hết hạn: còn {days} ngày (đến {})", d(on)).into()
            }
        }
        InsuranceExpired { on } => return format!("Đã hết hạn từ {}", d(on)).into(),
        InsuranceNotYetValid { from } => return format!("Có hiệu lực từ {}", d(from)).into(),
        InsuranceBenefit { level } => {
            return format!(
                "Mức hưởng {level}: {}",
                match level {
                    1 => "100%, không giới hạn",
                    2 => "100%, có giới hạn",
                    3 => "95%",
                    4 => "80%",
                    5 => "100%, gồm cả dịch vụ ngoài phạm vi",
                    _ => "không rõ",
                }
            )
            .into()
        }
        RegisteredFacility => "Nơi đăng ký khám chữa bệnh ban đầu",
        Allergies => "Dị ứng",
        ChronicConditions => "Bệnh mạn tính",
        NoneRecorded => "Không ghi nhận",
        BloodGroupLabel => "Nhóm máu",
        EmergencyContactLabel => "Người liên hệ khẩn cấp",
        AddressLabel => "Địa chỉ thường trú",
        PhoneLabel => "Điện thoại",
        DataAsOf { on } => return format!("Dữ liệu tính đến {}", d(on)).into(),
        DataEnteredOnDevice => "Sổ được tạo trên máy này",
        OpenCheckInQr => "Mở mã QR khám bệnh",
        NextVaccinationHeading => "Mũi tiêm sắp tới",
        NoUpcomingVaccination => "Không có mũi tiêm nào đang chờ.",
        ActiveMedicinesHeading => "Thuốc đang dùng",
        ActiveMedicinesCount { count } => return format!("Hôm nay cần dùng {count} thuốc").into(),
        NoActiveMedicines => "Hôm nay không có thuốc nào cần dùng theo đơn.",
        SeeAll => "Xem tất cả",
        ValidationWarnings { count } => return format!("{count} thông tin cần kiểm tra lại").into(),
        CitizenIdDisagrees => "Số CCCD không khớp với ngày sinh hoặc giới tính trong sổ. Hãy kiểm tra lại với thẻ.",

        VaccinationsTimeline => "Theo thời gian",
        VaccinationsByDisease => "Theo bệnh",
        VaccinationsSchedule => "Lịch tiêm chủng",
        ViewsLabel => "Cách xem",
        NoVaccinations => "Chưa có mũi tiêm nào trong sổ.",
        VaccinationCount { count } => return format!("{count} mũi tiêm").into(),
        DoseOf { k, n } => return format!("Mũi {k}/{n}").into(),
        DoseNumber { k } => return format!("Mũi {k}").into(),
        DoseKthAgainst { k } => return format!("Lần {k}").into(),
        LotLabel => "Số lô",
        FacilityLabel => "Cơ sở",
        ManufacturerLabel => "Nhà sản xuất",
        AdministeredByLabel => "Người tiêm",
        VaccineLabel => "Vắc xin",
        DiseasesLabel => "Phòng bệnh",
        DateLabel => "Ngày",
        NextDoseDue { on } => return format!("Hẹn mũi tiếp theo: {}", d(on)).into(),
        Unverified => "Chưa xác minh",
        RecordSourceLabel => "Nguồn",
        ScheduleIntro => "Lịch tiêm chủng mở rộng cho trẻ em, tính theo ngày sinh và các mũi đã tiêm.",
        ScheduleDone { on } => return format!("Đã tiêm {}", d(on)).into(),
        ScheduleDue { from, until } => return format!("Đến hạn: từ {} đến {}", d(from), d(until)).into(),
        ScheduleOverdue { since, days } => {
            return format!("Quá hạn {} (từ {})", overdue_vi(*days), d(since)).into()
        }
        ScheduleNotYetDue { from } => return format!("Chưa đến hạn (từ {})", d(from)).into(),
        ScheduleNotRecorded => "Chưa có trong sổ",
        ScheduleSummary { done, due, overdue } => {
            return format!("Đã tiêm {done} mũi, {due} mũi đến hạn, {overdue} mũi quá hạn").into()
        }
        AtAge { label } => return format!("Lúc {label}").into(),
        VaccinationNotFound => "Không tìm thấy mũi tiêm này trong sổ.",
        PrintVaccinationsTitle => "Lịch sử tiêm chủng",
        PrintedOn { on } => return format!("In ngày {}", d(on)).into(),
        AgeAtBirth => "sơ sinh",
        AgeInMonths { months } => return format!("{months} tháng tuổi").into(),
        AgeInMonthsAndDays { months, days } => return format!("{months} tháng {days} ngày tuổi").into(),
        PrintHistoryHint => "In hoặc chia sẻ lịch sử tiêm dưới dạng PDF để đưa cho người không dùng điện thoại.",
        VaccinationDetailTitle => "Chi tiết mũi tiêm",

        PrescriptionsAll => "Tất cả đơn",
        PrescriptionsActive => "Thuốc đang dùng",
        NoPrescriptions => "Chưa có đơn thuốc nào trong sổ.",
        PrescriptionCount { count } => return format!("{count} đơn thuốc").into(),
        SearchPrescriptionsLabel => "Tìm trong đơn thuốc",
        SearchPrescriptionsHint => "Tên thuốc, hoạt chất hoặc chẩn đoán",
        FilterYear => "Năm",
        FilterFacility => "Cơ sở",
        AllYears => "Tất cả các năm",
        AllFacilities => "Tất cả cơ sở",
        NoPrescriptionsMatch => "Không có đơn thuốc nào khớp.",
        PrescriptionCurrent => "Còn hiệu lực",
        PrescriptionEnded => "Đã hết",
        MedicineCount { count } => return format!("{count} thuốc").into(),
        PrescriptionCodeLabel => "Mã đơn thuốc",
        PrescriptionKindLabel => "Loại đơn",
        KindBasic => "Đơn thuốc thông thường",
        KindNarcotic => "Đơn thuốc gây nghiện",
        KindPsychotropic => "Đơn thuốc hướng thần, tiền chất",
        KindTraditional => "Đơn thuốc y học cổ truyền",
        IssuedAtLabel => "Ngày kê đơn",
        PrescriberLabel => "Bác sĩ kê đơn",
        DiagnosesLabel => "Chẩn đoán",
        MedicinesLabel => "Thuốc",
        AdviceLabel => "Lời dặn",
        ReExaminationOn { on } => return format!("Tái khám ngày {}", d(on)).into(),
        ActiveIngredientLabel => "Hoạt chất",
        QuantityLabel => "Số lượng",
        DayOf { day, of } => return format!("Ngày {day}/{of}").into(),
        UntilDate { on } => return format!("đến {}", d(on)).into(),
        PrescriptionNotFound => "Không tìm thấy đơn thuốc này trong sổ.",
        Dosage(dosage) => return dosage_vi(dosage).into(),

        CheckInHint => "Đưa mã này cho quầy tiếp đón quét, như quét thẻ căn cước.",
        CheckInIdFallback => "Nếu máy quét không đọc được, đọc số CCCD này cho nhân viên:",
        FullScreen => "Phóng to mã",
        ExitFullScreen => "Thu nhỏ",
        BrightnessHint => "Tăng độ sáng màn hình để quét nhanh hơn.",
        ScreenKeptOn => "Màn hình được giữ sáng khi đang hiện mã.",
        InsuranceQrHeading => "Mã thẻ BHYT",
        InsuranceQrHint => "Dành cho quầy vẫn quét mã thẻ bảo hiểm y tế.",
        CheckInQrLabel { name } => return format!("Mã QR khám bệnh của {name}").into(),
        InsuranceQrLabel => "Mã QR thẻ bảo hiểm y tế",
        MinimalCheckIn => "Không đưa địa chỉ vào mã QR",
        MinimalCheckInHint => "Bảo vệ riêng tư: mã QR khám bệnh để trống địa chỉ. Một số phần mềm tiếp đón cần địa chỉ; tắt lựa chọn này nếu quầy yêu cầu.",
        CheckInVariantHeading => "Mã QR khám bệnh",
        CannotMakeCodeTitle => "Chưa tạo được mã QR khám bệnh",
        CheckInInvalidId => "Số CCCD trong sổ không hợp lệ: cần đủ 12 chữ số.",
        CitizenIdUnknownPrefix { code } => {
            return format!("Mã {code} ở đầu số CCCD không phải mã tỉnh (có thể là khai sinh ở nước ngoài). Mã vẫn dùng được; nếu sai, hãy nhờ nhân viên y tế kiểm tra.").into()
        }
        InsuranceGroupUnknown { code } => {
            return format!("Mã đối tượng {code} trên thẻ BHYT chưa có trong danh mục của ứng dụng. Thẻ vẫn dùng được; quầy tiếp đón sẽ kiểm tra.").into()
        }
        InsuranceLevelUnusual { group, level, expected } => {
            return format!("Thẻ BHYT nhóm {group} thường có mức hưởng {expected}, thẻ này ghi mức {level}. Hãy nhờ quầy tiếp đón kiểm tra.").into()
        }
        CheckInFixHint => "Hãy cập nhật sổ từ hệ thống y tế hoặc nhờ nhân viên y tế sửa thông tin. Trong lúc chờ, hãy mang theo thẻ căn cước.",

        ErrStorageQuota => "Bộ nhớ của máy đã đầy nên không lưu được. Dữ liệu cũ vẫn còn nguyên. Hãy giải phóng bộ nhớ rồi thử lại.",
        ErrStorageOpen => "Không mở được dữ liệu trên máy. Trình duyệt có thể đang ở chế độ ẩn danh hoặc dữ liệu bị hỏng. Hãy tải lại trang.",
        ErrStorageBlocked => "Ứng dụng đang mở ở một thẻ khác với phiên bản cũ. Hãy đóng các thẻ khác rồi tải lại trang.",
        ErrStorageConnection => "Mất kết nối với dữ liệu trên máy. Hãy tải lại trang; dữ liệu đã lưu không bị mất.",
        ErrStorageCorrupt => "Một phần dữ liệu trên máy bị hỏng và đã được bỏ qua.",
        ErrStorageNewerVersion => "Dữ liệu trên máy này được lưu bởi một phiên bản mới hơn của ứng dụng. Hãy cập nhật ứng dụng (tải lại trang khi có mạng); dữ liệu vẫn còn nguyên.",
        ErrStorageOther => "Có lỗi khi đọc hoặc ghi dữ liệu trên máy. Dữ liệu đã lưu không bị mất. Hãy thử lại.",
        SkippedRecords { count } => {
            return format!("{count} mục không đọc được (có thể do phiên bản mới hơn ghi) và đang được ẩn.").into()
        }
        TryAgain => "Thử lại",
        Reload => "Tải lại",

        // Offline, install and updates
        UpdateReady => "Đã có phiên bản mới.",
        UpdateApplying => "Đang cập nhật…",
        UpdateFailed => "Không cập nhật được. Hãy đóng mọi cửa sổ của ứng dụng rồi mở lại.",
        ConnectionOffline => "Ngoại tuyến",
        ConnectionServerDown => "Máy chủ không phản hồi",
        InstallHeading => "Cài ứng dụng vào máy",
        InstallBenefits => "Ứng dụng đã cài mở nhanh hơn, dùng được khi không có mạng và được trình duyệt giữ dữ liệu lâu hơn.",
        InstallAction => "Cài ứng dụng",
        InstallIosSteps => "Trong Safari, chạm nút Chia sẻ, rồi chọn “Thêm vào MH chính” (Thêm vào màn hình chính).",
        InstallIosKeepsData => "Trên iPhone và iPad, Safari có thể xóa dữ liệu của trang web sau 7 ngày không mở; ứng dụng đã thêm vào màn hình chính thì được giữ lại.",
        InstallDone => "Ứng dụng đã được cài trên máy này.",
        InstallFromBrowserMenu => "Nếu menu của trình duyệt có mục “Cài đặt ứng dụng” hoặc “Thêm vào màn hình chính”, hãy dùng mục đó.",
        InstallPromptFailed => "Không mở được hộp thoại cài đặt. Hãy dùng menu của trình duyệt.",
        InstallOpenInSafari => "Để thêm ứng dụng vào màn hình chính, hãy mở trang này bằng Safari.",

        // Prescriptions (more)
        PrescriptionIssuedOn { on } => return format!("Đơn thuốc ngày {}", d(on)).into(),
        PrescriptionMatches { count, total } => return format!("Tìm thấy {count} trong {total} đơn thuốc").into(),
        NoPrescriptionsHint => "Đơn thuốc điện tử sẽ hiện ở đây khi sổ được cập nhật từ hệ thống y tế hoặc nhập từ tệp.",
        ClearPrescriptionFilters => "Xóa tìm kiếm và bộ lọc",
        PrescriptionNotFoundHint => "Có thể đơn này đã bị xóa khi sổ được cập nhật, hoặc đường dẫn không đúng.",
        ActiveMedicinesHint => "Các thuốc cần dùng hôm nay theo những đơn còn trong số ngày dùng. Thuốc không ghi số ngày dùng không hiện ở đây; hãy xem đơn thuốc hoặc hỏi bác sĩ.",
        PatientNameLabel => "Họ tên người bệnh",
        PrescriptionStatusLabel => "Tình trạng",

        // Sync
        SyncSettingsHeading => "Máy chủ dữ liệu y tế",
        SyncSettingsHint => "Sổ được tải và cập nhật từ máy chủ FHIR R4 của cơ sở y tế. Mã truy cập chỉ được gửi tới đúng máy chủ đã lưu cùng nó.",
        SyncServerUrlLabel => "Địa chỉ máy chủ (FHIR R4)",
        SyncTokenLabel => "Mã truy cập (nếu máy chủ yêu cầu)",
        SyncTokenSaved => "Đã lưu một mã truy cập. Để trống ô này để giữ mã cũ.",
        SyncTokenRemove => "Xóa mã truy cập đã lưu",
        SyncTimeoutLabel => "Thời gian chờ mỗi yêu cầu (giây)",
        SyncAutoRefreshLabel => "Khi có mạng, tự động cập nhật sổ cũ hơn",
        SyncAutoRefreshOff => "Không tự động cập nhật",
        SyncAutoRefreshHours { hours } => return format!("{hours} giờ").into(),
        SyncAutoRefreshDays { days } => return format!("{days} ngày").into(),
        SyncSaveSettings => "Lưu cài đặt máy chủ",
        SyncSettingsSaved => "Đã lưu cài đặt máy chủ.",
        SyncTestConnection => "Kiểm tra kết nối",
        SyncTesting => "Đang kiểm tra kết nối…",
        SyncConnected { software, fhir_version } => return format!("Kết nối được: {software}, FHIR {fhir_version}.").into(),
        SyncServerFeatures { everything, history } => {
            let yes_no = |b: &bool| if *b { "có" } else { "không" };
            return format!(
                "Tải cả sổ trong một lần ($everything): {}. Báo bản ghi đã xóa (_history): {}.",
                yes_no(everything),
                yes_no(history)
            )
            .into();
        }
        SyncConnectionFailed { reason } => return format!("Không kết nối được: {reason}").into(),
        SyncAddTitle => "Thêm sổ từ hệ thống y tế",
        SyncAddHint { server } => return format!("Nhập số căn cước công dân (12 chữ số) để tìm và tải sổ từ máy chủ {server}.").into(),
        SyncAddNoServer => "Chưa có máy chủ dữ liệu y tế nào được cài đặt, nên chưa thể tìm sổ theo số căn cước công dân. Hãy hỏi cơ sở y tế địa chỉ máy chủ FHIR R4 của họ (và mã truy cập, nếu có), rồi nhập vào phần Máy chủ dữ liệu y tế trong Cài đặt.",
        SyncAddNoServerLink => "Mở Cài đặt máy chủ dữ liệu y tế",
        SyncCitizenIdLabel => "Số căn cước công dân",
        SyncFind => "Tìm và tải sổ",
        SyncInvalidCitizenId => "Số căn cước công dân phải có đúng 12 chữ số hợp lệ.",
        SyncFetchedTitle => "Sổ tải từ máy chủ",
        SyncSaveBook => "Lưu sổ",
        SyncAddFromServer => "Thêm từ hệ thống y tế",
        SyncPhaseConnecting => "Đang kết nối máy chủ…",
        SyncPhaseLookingUp => "Đang tìm hồ sơ…",
        SyncProgressRecords { count } => return format!("Đang tải… đã nhận {count} mục").into(),
        SyncPhaseMapping => "Đang xử lý dữ liệu…",
        SyncRetrying { attempt } => return format!("Máy chủ chưa trả lời được, đang thử lại (lần {attempt})…").into(),
        SyncCancelled => "Đã hủy. Sổ trên máy không thay đổi.",
        SyncSectionHeading => "Dữ liệu từ hệ thống y tế",
        SyncLastSynced { at } => return format!("Đồng bộ lần cuối: {}", super::format::date_time(Locale::Vi, *at)).into(),
        SyncNeverSynced => "Chưa đồng bộ lần nào trên máy này.",
        SyncLastFailure { at, reason } => {
            return format!("Lần cập nhật lúc {} không thành công: {reason}", super::format::date_time(Locale::Vi, *at)).into()
        }
        SyncRefresh => "Cập nhật từ máy chủ",
        SyncUpToDate => "Sổ đã mới nhất: không có thay đổi.",
        SyncUpdated { added, changed, removed } => {
            return format!("Đã cập nhật: {added} mới, {changed} thay đổi, {removed} đã xóa.").into()
        }
        SyncServerUnreachable => "Lúc này không kết nối được máy chủ. Sổ trên máy vẫn dùng được.",
        SyncBookUnchanged => "Sổ trên máy không thay đổi.",
        SyncErrNoServer => "Địa chỉ máy chủ trong Cài đặt không hợp lệ.",
        SyncErrNetwork => "Không kết nối được máy chủ. Hãy kiểm tra mạng và địa chỉ máy chủ.",
        SyncErrTimeout => "Máy chủ không trả lời trong thời gian chờ.",
        SyncErrServer { status } => return format!("Máy chủ đang gặp lỗi (HTTP {status}). Hãy thử lại sau.").into(),
        SyncErrBusy { retry_after_seconds: Some(s) } => return format!("Máy chủ đang quá tải. Hãy thử lại sau {s} giây.").into(),
        SyncErrBusy { retry_after_seconds: None } => "Máy chủ đang quá tải. Hãy thử lại sau.",
        SyncErrUnauthorized => "Máy chủ từ chối truy cập. Hãy kiểm tra mã truy cập trong Cài đặt.",
        SyncErrRefused { status, message: Some(m) } => return format!("Máy chủ từ chối yêu cầu (HTTP {status}): {m}").into(),
        SyncErrRefused { status, message: None } => return format!("Máy chủ từ chối yêu cầu (HTTP {status}).").into(),
        SyncErrNotFhir => "Máy chủ trả lời không đúng định dạng FHIR.",
        SyncErrNotR4 { version } => return format!("Máy chủ dùng FHIR {version}; ứng dụng cần FHIR R4.").into(),
        SyncErrNoMatch => "Không có ai mang số căn cước công dân này trên máy chủ. Hãy kiểm tra lại số, hoặc hỏi cơ sở y tế.",
        SyncErrSeveralMatches { count } => {
            return format!("Máy chủ có {count} hồ sơ cùng số căn cước công dân này nên không biết hồ sơ nào đúng. Hãy báo cơ sở y tế để gộp hồ sơ.").into()
        }
        SyncErrPatientGone => "Máy chủ không còn hồ sơ của người này. Sổ trên máy vẫn được giữ.",
        SyncErrWrongPerson => "Máy chủ trả về hồ sơ của một người khác.",
        SyncErrForeignLink => "Máy chủ gửi liên kết sang một địa chỉ khác; đã dừng để bảo vệ mã truy cập.",
        SyncErrTooLarge => "Hồ sơ trên máy chủ quá lớn để tải về.",
        SyncErrBadData => "Dữ liệu từ máy chủ thiếu thông tin bắt buộc của sổ (số căn cước, họ tên hoặc ngày sinh).",
        SyncErrNotSaved => "Không lưu được sổ trên máy.",
        SyncErrAlreadyRunning => "Đang có một lần đồng bộ khác. Hãy đợi xong hoặc hủy nó.",
        SyncWillReplace { current_vaccinations, current_prescriptions } => {
            return format!(
                "Sổ này đã có trên máy ({current_vaccinations} mũi tiêm, {current_prescriptions} đơn thuốc) và sẽ được thay bằng dữ liệu từ máy chủ; các mục nhân viên y tế nhập trên máy này được giữ lại."
            )
            .into()
        }

        // File import: only this person's records, and limits beyond bytes (issue 13)
        ImportErrStringTooLong { limit_kb } => {
            return format!("Tệp có một trường dữ liệu dài bất thường (hơn {limit_kb} KB) và đã bị từ chối. Không có gì thay đổi.").into()
        }
        ImportErrTooManyEntries { limit } => {
            return format!("Tệp có quá nhiều mục (hơn {limit}) và đã bị từ chối. Không có gì thay đổi.").into()
        }
        ImportErrTooManyRecords { limit } => {
            return format!("Một sổ trong tệp có quá nhiều hồ sơ (hơn {limit} mũi tiêm và đơn thuốc) và đã bị từ chối. Không có gì thay đổi.").into()
        }
        SkipOtherPatient => "thuộc về người khác, không phải người bệnh trong tệp",
        SkipNoPatientReference => "không ghi rõ thuộc về người bệnh nào",
        ImportSkippedMore { count } => return format!("… và {count} mục khác.").into(),
        // Sync: only this person's data, bounded answers, safe transport (issue 13, sync half)
        SyncErrNotConfigured => "Chưa có máy chủ dữ liệu y tế nào được cài đặt. Hãy hỏi cơ sở y tế địa chỉ máy chủ FHIR R4 của họ (và mã truy cập, nếu có), rồi nhập vào phần Máy chủ dữ liệu y tế trong Cài đặt.",
        SyncErrAnswerTooLarge { limit_mb } => {
            return format!("Máy chủ gửi một câu trả lời lớn hơn {limit_mb} MB nên việc đồng bộ đã dừng. Không có gì được lưu.").into()
        }
        SyncErrSyncTooLarge { limit_mb } => {
            return format!("Máy chủ gửi hơn {limit_mb} MB trong một lần đồng bộ nên việc đồng bộ đã dừng. Không có gì được lưu.").into()
        }
        SyncErrRedirected => "Máy chủ chuyển yêu cầu sang một địa chỉ khác. Ứng dụng không đi theo để bảo vệ mã truy cập; hãy kiểm tra địa chỉ máy chủ trong Cài đặt.",
        SyncErrChangedMeanwhile => "Sổ đã được thay đổi trên máy này trong lúc đó, nên không bị ghi đè. Hãy thử lại.",
        SyncErrWorkerUnavailable => "Không thể bắt đầu đồng bộ trên máy này: phần đồng bộ của ứng dụng chưa được lưu. Hãy mở ứng dụng một lần khi có kết nối rồi thử lại.",
        SyncErrWorkerStopped => "Đồng bộ đã dừng trước khi xong. Hãy thử lại.",
        SyncErrUnreadableReply => "Không đọc được kết quả đồng bộ nên không có gì thay đổi. Hãy tải lại ứng dụng rồi thử lại.",
        SyncErrWorkerSilent => "Phần đồng bộ của ứng dụng không trả lời nữa nên đồng bộ đã dừng. Hãy thử lại.",
        SyncForeignLeftOut { count } => {
            return format!("Máy chủ gửi kèm {count} mục của người khác; các mục đó đã bị bỏ qua.").into()
        }
        // Scanning a chip citizen ID card (issue 16)
        ScanCardAction => "Quét thẻ căn cước",
        ScanTitle => "Quét mã QR trên thẻ căn cước",
        ScanHint => "Đưa mã QR ở mặt trước thẻ căn cước gắn chip vào trong khung. Giữ yên máy.",
        ScanTorchOn => "Bật đèn",
        ScanTorchOff => "Tắt đèn",
        ScanChoosePhoto => "Chọn ảnh thay thế",
        ScanPhotoHint => "Chụp hoặc chọn ảnh mặt trước thẻ, thấy rõ mã QR.",
        ScanCameraDenied => "Ứng dụng chưa được phép dùng máy ảnh. Hãy cho phép trong cài đặt của trình duyệt, hoặc chọn một ảnh chụp thẻ.",
        ScanNoCamera => "Không tìm thấy máy ảnh trên thiết bị này. Hãy chọn một ảnh chụp thẻ.",
        ScanCameraUnsupported => "Trình duyệt này không cho dùng máy ảnh. Hãy chọn một ảnh chụp thẻ.",
        ScanCameraBusy => "Máy ảnh đang được ứng dụng khác dùng hoặc không khởi động được. Hãy đóng ứng dụng đó rồi thử lại, hoặc chọn một ảnh chụp thẻ.",
        ScanCameraFailed => "Không mở được máy ảnh. Hãy thử lại, hoặc chọn một ảnh chụp thẻ.",
        ScanStillScanning => "Đang tiếp tục quét…",
        ScanNotACard => "Mã QR này không phải mã trên thẻ căn cước gắn chip.",
        ScanInvalidCard { field } => {
            let field = match field {
                CheckInField::CitizenId => "số căn cước",
                CheckInField::OldIdNumber => "số CMND cũ",
                CheckInField::FullName => "họ tên",
                CheckInField::DateOfBirth => "ngày sinh",
                CheckInField::Sex => "giới tính",
                CheckInField::Address => "địa chỉ",
                CheckInField::IssueDate => "ngày cấp",
            };
            return format!("Mã QR có dạng mã thẻ căn cước nhưng {field} không hợp lệ, nên không dùng được.").into()
        }
        ScanNoCodeInPhoto => "Không thấy mã QR nào trong ảnh này. Hãy chụp lại gần hơn, đủ sáng và không bị lóa.",
        ScanPhotoNotImage => "Tệp đã chọn không phải ảnh mở được.",
        ScanPhotoFailed => "Không đọc được ảnh này. Hãy thử ảnh khác.",
        ScanOpening => "Đang mở sổ…",
        ScanNewPersonTitle => "Chưa có sổ của người này trên máy",
        ScanNewPersonBody { name, citizen_id } => return format!("Thẻ của {name}, số {citizen_id}.").into(),
        ScanAddFromServer => "Thêm từ hệ thống y tế",
        ScanCreateFromCard => "Tạo sổ từ thẻ",
        ScanAgain => "Quét lại",
        ScanWarningNoOldIdSlot => "Mã QR không có ô số CMND cũ (kiểu 6 trường) và đã được đọc theo kiểu đó: hãy kiểm tra lại các thông tin.",
        ScanWarningIssueDate { raw } => return format!("Không đọc được ngày cấp thẻ (“{raw}”), nên để trống; các thông tin khác vẫn được giữ.").into(),
        CardFormTitle => "Kiểm tra thông tin trước khi tạo sổ",
        CardFormHint => "Thông tin lấy từ thẻ. Sổ được đánh dấu là tạo trên máy này, chưa được hệ thống y tế xác nhận.",
        CardFormFullName => "Họ và tên",
        CardFormIssuedOn => "Ngày cấp thẻ",
        CardFormSave => "Tạo sổ",
        CardFormCitizenIdInvalid => "Số căn cước phải có đúng 12 chữ số.",
        CardFormOldIdInvalid => "Số CMND cũ phải có đúng 9 chữ số, hoặc để trống.",
        CardFormNotADate => "Ngày không hợp lệ.",
        CardFormAlreadyOnDevice => "Đã có sổ với số căn cước này trên máy: tạo sổ mới sẽ thay mất sổ đó.",
        CardFormOpenExisting => "Mở sổ đã có",

        // Shared devices: whose book is open, and removing everything from the device (issue 14)
        OpenBookBirthYear { birth_year } => return format!("sinh năm {birth_year}").into(),
        OpenBookAccessibleName { name, birth_year } => {
            return format!("Sổ đang mở: {name}, sinh năm {birth_year}").into()
        }
        WipeHeading => "Xóa mọi thứ khỏi máy này",
        WipeExplained => "Xóa tất cả sổ sức khỏe trên máy, bản sao dữ liệu đồng bộ, địa chỉ máy chủ và mã truy cập, lựa chọn ngôn ngữ và cỡ chữ, cùng các tệp ứng dụng đã lưu để dùng khi không có mạng. Dữ liệu trên hệ thống y tế không bị ảnh hưởng. Dùng khi trả lại, cho mượn hoặc bỏ máy.",
        WipeAction => "Xóa mọi thứ…",
        WipeConfirmBody { books } => {
            let books = match books {
                Some(n) => format!("{n} sổ sức khỏe"),
                None => "mọi sổ sức khỏe".to_owned(),
            };
            return format!(
                "Xóa vĩnh viễn {books} và mọi dữ liệu của ứng dụng trên máy này? Không thể hoàn tác: sổ nào chưa có trên hệ thống y tế hoặc trong tệp sao lưu sẽ mất hẳn."
            )
            .into()
        }
        WipeNeedsNetwork => "Sau khi xóa, ứng dụng cần có mạng để mở lại, vì các tệp ứng dụng lưu để dùng khi không có mạng cũng bị xóa.",
        WipeOfflineNow => "Máy đang không có mạng: sau khi xóa, ứng dụng sẽ không mở được cho đến khi có mạng trở lại.",
        WipeConfirm => "Xóa vĩnh viễn",
        WipeInProgress => "Đang xóa…",
        WipeErrBlocked => "Ứng dụng đang mở ở một thẻ hoặc cửa sổ khác nên chưa xóa được dữ liệu. Hãy đóng các thẻ, cửa sổ đó rồi bấm xóa lại.",
        WipeErrFailed => "Chưa xóa được hết dữ liệu trên máy. Hãy thử lại; nếu vẫn không được, hãy xóa dữ liệu của trang này trong phần cài đặt của trình duyệt.",
        WipeErrReload => "Đã xóa xong nhưng không tải lại được trang. Hãy đóng ứng dụng rồi mở lại.",
        // ---- encryption at rest and the device lock (vault) ----
        ErrStorageLocked => "Máy đang khóa. Hãy mở khóa để xem và lưu sổ.",
        ErrStorageNotAuthentic => "Một phần dữ liệu trên máy đã bị thay đổi hoặc hỏng nên không mở được an toàn. Phần đó không được hiển thị; phần còn lại vẫn nguyên vẹn.",
        ErrStorageCrypto => "Trình duyệt này không mã hóa được dữ liệu. Hãy mở ứng dụng qua địa chỉ https hoặc dùng trình duyệt mới hơn.",
        VaultChooseModeTitle => "Máy này dùng thế nào?",
        VaultModePersonal => "Máy cá nhân",
        VaultModePersonalHint => "Điện thoại của bạn hoặc của gia đình. Mã PIN hoặc cụm mật khẩu là tùy chọn.",
        VaultModeShared => "Máy dùng chung",
        VaultModeSharedHint => "Máy tính bảng ở trạm y tế, phục vụ nhiều người bệnh. Dữ liệu luôn được mã hóa; mỗi nhân viên có cụm mật khẩu riêng.",
        VaultStaffName => "Tên nhân viên",
        VaultPassphrase => "Cụm mật khẩu (ít nhất 8 ký tự)",
        VaultPassphraseAgain => "Nhập lại cụm mật khẩu",
        VaultPinOrPassphrase => "Mã PIN (ít nhất 6 chữ số) hoặc cụm mật khẩu",
        VaultForgottenWarning => "Không thể khôi phục cụm mật khẩu bị quên. Nếu quên, chỉ có thể xóa sạch máy rồi thêm lại sổ từ hệ thống y tế.",
        VaultPinWeakWarning => "Mã PIN ngắn dễ bị dò hơn nếu có người sao chép dữ liệu của máy. Cụm mật khẩu dài an toàn hơn.",
        VaultStart => "Bắt đầu",
        VaultContinueWithoutSecret => "Tiếp tục không đặt mã",
        VaultEncrypting => "Đang mã hóa dữ liệu trên máy…",
        VaultUnlockTitle => "Máy đang khóa",
        VaultUnlockSharedHint => "Mỗi nhân viên mở khóa bằng cụm mật khẩu của riêng mình.",
        VaultUnlockedAs { name } => return format!("Đã mở khóa: {name}").into(),
        VaultPassphraseInUse => "Cụm mật khẩu này đã mở được máy cho một nhân viên khác. Mỗi người cần một cụm mật khẩu riêng.",
        VaultStaffNameUnreadable => "(không đọc được tên)",
        VaultUnlock => "Mở khóa",
        VaultUnlocking => "Đang mở khóa…",
        VaultWrongSecret => "Sai mã. Hãy thử lại.",
        VaultWipeOnly => "Đã nhập sai quá 10 lần. Chỉ còn cách xóa sạch máy rồi thêm lại sổ từ hệ thống y tế.",
        VaultWipe => "Xóa sạch máy",
        VaultLock => "Khóa",
        VaultPassphraseTooShort => "Cụm mật khẩu cần ít nhất 8 ký tự.",
        VaultPinTooShort => "Mã PIN cần ít nhất 6 chữ số.",
        VaultConfirmationDiffers => "Hai lần nhập không giống nhau.",
        VaultNameEmpty => "Hãy nhập tên nhân viên.",
        VaultNameTaken => "Đã có nhân viên trùng tên.",
        VaultSlotRefused => "Không thực hiện được thay đổi này.",
        VaultDeviceSection => "Thiết bị và khóa",
        VaultAddStaff => "Thêm nhân viên",
        VaultRemoveStaff => "Xóa",
        VaultYourPassphrase => "Cụm mật khẩu của bạn",
        VaultNewPassphrase => "Cụm mật khẩu mới",
        VaultChangeSecret => "Đổi mã",
        VaultIdleMinutes => "Tự khóa sau (phút không dùng)",
        VaultSaved => "Đã lưu.",
        VaultSave => "Lưu",
        VaultSwitchToShared => "Chuyển sang máy dùng chung",
        VaultYourPin => "Mã PIN hoặc cụm mật khẩu hiện tại",
        VaultDoneWithPatient => "Xong với người bệnh này",
        VaultDoneConfirmYes => "Xóa khỏi máy",
        VaultDoneConfirm { name } => return format!("Xóa sổ của {name} và mọi dữ liệu về người này (bản sao đồng bộ, cài đặt, khóa) khỏi máy này? Sổ vẫn còn trên hệ thống y tế.").into(),
        VaultSetSecret => "Đặt mã PIN hoặc cụm mật khẩu",
        VaultTryAgainIn { seconds } => return format!("Hãy đợi {seconds} giây rồi thử lại.").into(),

        // --- Domain facts (issue 12) ---
        ScheduleDependsOnRollout { from } => {
            return format!("Tùy tỉnh: đến hạn từ {} nếu tỉnh đã triển khai", d(from)).into()
        }
        SchedulePhaseIn { rollout } => return format!("Triển khai dần theo tỉnh: {rollout}").into(),
        ScheduleSummaryDependsOnRollout { count } => {
            return format!("{count} mũi tùy tỉnh đã triển khai hay chưa (không tính là quá hạn)").into()
        }
        ProvinceAtRegistrationLabel => "Tỉnh nơi đăng ký khai sinh",
        ProvinceAtRegistrationHint => "Theo mã ở đầu số CCCD, tên tỉnh lúc đăng ký (số CCCD không đổi sau sáp nhập tỉnh năm 2025).",
        // Tablet layout and rows that say what they hold (issue 20)
        MedicinesMore { count } => return format!("+{count}").into(),
        PrescriptionRowLabel { on, medicines } => {
            return format!("Đơn thuốc ngày {}: {medicines}", d(on)).into()
        }
        OpenBookOf { name } => return format!("Mở sổ của {name}").into(),
        ExportBookOf { name } => return format!("Xuất sổ này ra tệp: sổ của {name}").into(),
        DeleteBookOf { name } => return format!("Xóa khỏi máy: sổ của {name}").into(),
        ShowCheckInQr => "Mã QR khám",
        CheckInQrOf { name } => return format!("Mã QR khám của {name}").into(),
        ChoosePrescriptionHint => "Chọn một đơn thuốc trong danh sách để xem đầy đủ ở đây.",
        ChooseVaccinationHint => "Chọn một mũi tiêm trong danh sách để xem đầy đủ ở đây.",
        // The book list's detail beside it (issue 20, tablet2)
        ChooseBookHint => "Chọn một sổ trong danh sách để xem ở đây.",
        BookNotOnDevice => "Không có sổ này trên máy.",
        BookNotOnDeviceHint => "Sổ có thể đã được xóa khỏi máy. Chọn một sổ trong danh sách.",
        BookHoldsHeading => "Trong sổ",

        // --- Nhật ký truy cập (issue 15) ---
        AuditHeading => "Nhật ký truy cập",
        AuditHint => "Mọi việc đã làm trên máy này: ai, lúc nào, sổ của ai. Mỗi mục được niêm phong nối với mục trước, nên mục bị sửa, xoá, chèn thêm hay đảo thứ tự đều lộ ra.",
        AuditEmpty => "Máy này chưa ghi nhật ký nào.",
        AuditExport => "Xuất nhật ký (FHIR AuditEvent)",
        AuditIntact { entries } => return super::audit_text::intact_vi(*entries).into(),
        AuditBroken { position, kind } => return super::audit_text::broken_vi(*position, *kind).into(),
        AuditNotRecorded => "Không ghi được việc này vào nhật ký truy cập.",
        AuditEntryText { actor, mode, action, at, book } => {
            return super::audit_text::entry_vi(actor, *mode, action, *at, book.as_deref()).into()
        }
        BookVisitsHeading => "Ai đã mở sổ này",
        BookVisitsHint => "Những người đã mở, hiển thị, thay đổi hoặc sao chép sổ này trên máy này.",
        BookVisitsEmpty => "Chưa ai mở sổ này trên máy này.",
        CorrectionsHeading => "Báo lỗi bản ghi",
        CorrectionsNone => "Chưa có ghi chú báo lỗi nào cho bản ghi này.",
        CorrectionsPrintHint => "In trang này và đưa cho cơ sở y tế đã ghi bản ghi để họ sửa bản gốc.",
        CorrectionSigned { by, at } => return super::audit_text::signed_vi(by, *at).into(),
        ReportErrorAction => "Báo lỗi",
        ReportErrorLabel => "Điều gì sai trong bản ghi này?",
        ReportErrorSave => "Lưu ghi chú",
        ReportErrorEmpty => "Hãy viết điều gì sai trước khi lưu.",
        ReportErrorTooLong { max } => return format!("Ghi chú dài quá: tối đa {max} ký tự.").into(),
        CorrectionEditedBy { by, at } => return super::audit_text::edited_vi(by, *at).into(),
        CorrectionEditAction => "Sửa",
        CorrectionEditLabel => "Sửa ghi chú báo lỗi",
        CorrectionEditSave => "Lưu thay đổi",
        CorrectionRemoveAction => "Xóa",
        CorrectionRemoveConfirm => "Xóa ghi chú báo lỗi này? Ghi chú sẽ không còn trên máy và không được in hay xuất nữa.",
        CorrectionRemoveYes => "Xóa ghi chú",
        CorrectionGone => "Ghi chú này không còn trên máy (có thể đã được xóa ở màn hình khác). Danh sách đã được tải lại.",
        // ---- device lock: turning encryption off, resuming a migration, first run (vault2) ----
        VaultSharedStaysEncrypted => "Máy dùng chung luôn được mã hóa; không thể bỏ mã khóa.",
        VaultTurnOffTitle => "Bỏ mã khóa",
        VaultTurnOffExplain => "Sau khi bỏ mã, sổ trên máy được lưu ở dạng đọc được: ai cầm máy hoặc sao chép bộ nhớ của máy đều xem được. Nhập mã hiện tại để xác nhận.",
        VaultTurnOffStart => "Bỏ mã khóa…",
        VaultTurnOffConfirm => "Bỏ mã và lưu dạng đọc được",
        VaultTurningOff => "Đang chuyển sổ về dạng đọc được…",
        VaultTurnedOff => "Đã bỏ mã khóa. Sổ được lưu ở dạng đọc được.",
        VaultPassphraseShared => "Mật khẩu này đang được nhiều nhân viên dùng chung (đặt từ phiên bản cũ). Hãy chọn tên của bạn, rồi đổi mật khẩu của bạn trong Cài đặt để mỗi người có mật khẩu riêng.",
        VaultCancel => "Thôi",
        VaultResumeTitle => "Chưa mã hóa xong",
        VaultResumeExplain => "Lần trước việc mã hóa bị ngắt giữa chừng. Sổ vẫn còn nguyên, chưa được mã hóa. Nhập mã PIN hoặc mật khẩu đã chọn lúc đó để hoàn tất.",
        VaultResumeSubmit => "Hoàn tất mã hóa",
        VaultResuming => "Đang mã hóa…",
        VaultResumeCancel => "Bỏ qua, giữ sổ ở dạng đọc được",
        VaultFinishDecryptNotice => "Việc bỏ mã khóa bị ngắt giữa chừng; sổ vẫn còn nguyên. Mở khóa để hoàn tất.",
        FirstRunTitle => "Máy này được dùng thế nào?",
        FirstRunExplain => "Chọn một lần; có thể đổi sau trong Cài đặt.",
        FirstRunPersonal => "Điện thoại cá nhân",
        FirstRunPersonalHint => "Sổ của bạn và gia đình. Có thể đặt mã PIN sau trong Cài đặt.",
        FirstRunShared => "Máy dùng chung (trạm y tế)",
        FirstRunSharedHint => "Nhiều người bệnh dùng lần lượt. Luôn được mã hóa; cần đặt nhân viên đầu tiên ngay bây giờ.",
        FirstRunContinue => "Tiếp tục",
        // Standard FHIR resources and the International Patient Summary (issue 19)
        SkipNotCurrent => "đã khỏi, không còn hoặc đã được loại trừ",
        SkipNoneKnown => "ghi là không có (ví dụ \"không có dị ứng đã biết\")",
        SkipNoMatchingRecord => "ghi chú báo lỗi về một mục không có trong sổ của người này",
        ExportIps => "Xuất bản tóm tắt sức khỏe quốc tế (IPS)",
        ExportIpsOf { name } => {
            // Starts with the visible text, so speech input can say what the button shows.
            return format!("Xuất bản tóm tắt sức khỏe quốc tế (IPS): sổ của {name}").into()
        }
        // Care plan: coming up, today's medicines, reminders (issue 19)
        ComingUpHeading => "Sắp tới",
        ComingUpNone => "Không có lịch tái khám hay giấy chuyển tuyến nào sắp tới.",
        ComingUpOverdueCount { count } => return format!("{count} lịch đã quá hạn").into(),
        ReExaminationAt { facility } => return format!("Tái khám tại {facility}").into(),
        ReExaminationTitle => "Tái khám",
        DueOverdue { days } => return format!("Quá hạn {days} ngày").into(),
        DueToday => "Hôm nay",
        DueInDays { days } => return format!("Còn {days} ngày").into(),
        ReferralTitle { from, to } => return format!("Chuyển tuyến từ {from} đến {to}").into(),
        ReferralValidUntil { on } => return format!("Giấy chuyển tuyến có giá trị đến {}", d(on)).into(),
        ReferralUndated => "Giấy chuyển tuyến không ghi thời hạn",
        ReferralExpired { on } => return format!("Giấy chuyển tuyến đã hết hạn ngày {}", d(on)).into(),
        ReferralIssuedOn { on } => return format!("Cấp ngày {}", d(on)).into(),
        FromPrescriptionCode { code } => return format!("Theo đơn thuốc {code}").into(),
        AppointmentBookedFor { time } => return format!("Giờ hẹn: {time}").into(),
        ReasonLabel => "Lý do",
        MedicinePlanHeading => "Thuốc hôm nay",
        MedicinePlanHint => "Chạm “Đã uống” hoặc “Bỏ liều” cho từng liều. Ghi chép được lưu trên máy này.",
        DoseSlotName { slot } => match slot {
            DoseSlot::Morning => "Sáng",
            DoseSlot::Noon => "Trưa",
            DoseSlot::Afternoon => "Chiều",
            DoseSlot::Evening => "Tối",
            DoseSlot::Bedtime => "Trước khi đi ngủ",
            DoseSlot::AsDirected => "Theo lời dặn",
        },
        MealRelationName { meals } => match meals {
            MealRelation::BeforeMeals => "Trước ăn",
            MealRelation::AfterMeals => "Sau ăn",
            MealRelation::WithMeals => "Trong bữa ăn",
        },
        DoseAmount { amount, unit } => return format!("{amount} {unit}").trim().to_owned().into(),
        DoseTaken => "Đã uống",
        DoseSkipped => "Bỏ liều",
        DoseSpreadHint => "Đơn chỉ ghi số lần mỗi ngày; giờ uống do ứng dụng chia theo thói quen thường gặp.",
        DoseAsDirectedHint => "Đơn không ghi giờ uống: dùng theo lời dặn của bác sĩ.",
        DosesOpen { count } => return format!("Còn {count} liều chưa đánh dấu hôm nay").into(),
        PlanWithoutDuration { count } => return format!("{count} thuốc không ghi số ngày dùng nên không có trong kế hoạch.").into(),
        RunsOutCourse { medicine, days } => {
            return if *days == 0 {
                format!("{medicine}: hôm nay là ngày cuối của đợt thuốc.")
            } else {
                format!("{medicine}: còn {days} ngày là hết đợt thuốc.")
            }
            .into()
        }
        RunsOutRenew { medicine, days } => {
            return if *days == 0 {
                format!("{medicine}: hôm nay là ngày thuốc cuối cùng. Hãy đi khám để được kê đơn tiếp.")
            } else {
                format!("{medicine}: còn {days} ngày là hết thuốc. Hãy đi khám để được kê đơn tiếp.")
            }
            .into()
        }
        RemindersHeading => "Nhắc nhở",
        RemindersExport => "Tải lịch nhắc (.ics)",
        RemindersExportHint => "Mở tệp này bằng ứng dụng Lịch của điện thoại: chuông nhắc uống thuốc và tái khám sẽ kêu cả khi không có mạng.",
        ReminderDoseTitle { medicine } => return format!("Uống thuốc: {medicine}").into(),
        ReminderVisitTitle => "Tái khám",
        ReminderVisitAt { facility } => return format!("Tái khám tại {facility}").into(),
        OpenMedicinePlan => "Thuốc hôm nay",
        NotifyHeading => "Nhắc trên máy này",
        NotifyOfferHint => "Khi ứng dụng đang mở, máy sẽ hiện thông báo đến giờ uống thuốc. Muốn được nhắc cả khi tắt ứng dụng, hãy dùng tệp lịch ở dưới.",
        NotifyTurnOn => "Bật nhắc trên máy này",
        NotifyIsOn => "Đang bật nhắc uống thuốc trên máy này.",
        NotifyTurnOff => "Tắt nhắc",
        NotifyDenied => "Trình duyệt đang chặn thông báo của ứng dụng. Có thể bật lại trong cài đặt trình duyệt; tệp lịch vẫn nhắc được.",
        NotifyNotRemembered => "Không lưu được lựa chọn này: lần mở sau cần bật lại.",
        NotifyDoseTitle => "Đến giờ uống thuốc",
        PaperTwinHeading => "Bản in khổ A5",
        PaperTwinHint => "Một trang chữ lớn kèm mã QR khám, bằng tiếng Việt và tiếng Anh, cho người không dùng điện thoại mang theo khi đi khám.",
        PaperTwinTitle => "Tóm tắt sổ sức khỏe",
        LastVaccinationsHeading => "Mũi tiêm gần nhất",
        NextVisitsHeading => "Lịch hẹn sắp tới",
        MoreInBook { count } => return format!("và {count} thuốc khác trong sổ").into(),
        PaperDose { number } => return format!("mũi {number}").into(),
        OpenPaperTwin => "Bản in khổ A5",
        // The data worker (issue 17): the wasm QR reader runs there
        ScanReaderUnavailable => "Không khởi động được trình đọc mã QR. Hãy tải lại ứng dụng rồi thử lại.",
        // ---- resilience (issue 18) ----
        StorageSuperseded => "Ứng dụng vừa được cập nhật ở một thẻ khác. Hãy tải lại trang này để dùng phiên bản mới; dữ liệu vẫn còn nguyên.",
        StorageSupersededReloading => "Ứng dụng vừa được cập nhật ở một thẻ khác. Trang này đang tải lại để dùng phiên bản mới; dữ liệu vẫn còn nguyên.",
        // Provenance on every record (issue 15)
        RecordProvenance(origin) => return provenance_vi(origin).into(),
        UnverifiedWhy(origin) => match origin {
            RecordOrigin::Synced { .. } => "Hệ thống y tế đã gửi mục này.",
            RecordOrigin::Imported => "Mục này lấy từ một tệp, chưa được hệ thống y tế xác nhận.",
            RecordOrigin::EnteredByStaff { .. } => "Mục này do nhân viên nhập trên máy, chưa được hệ thống y tế xác nhận.",
            RecordOrigin::SelfReported { .. } => "Mục này do chính người dùng tự khai, chưa được hệ thống y tế xác nhận.",
        },
        // Records typed in on the device (issue 15)
        EntryAddVaccination => "Thêm mũi tiêm",
        EntryAddPrescription => "Thêm đơn thuốc",
        EntryEditVaccination => "Sửa mũi tiêm",
        EntryEditPrescription => "Sửa đơn thuốc",
        EntryByStaff { staff } => {
            return format!("Nhân viên {staff} nhập thay cho người bệnh. Mục này được đánh dấu “Chưa xác minh” cho đến khi hệ thống y tế xác nhận.").into()
        }
        EntryBySelf => "Bạn tự khai mục này. Mục được đánh dấu “Chưa xác minh”.",
        EntryVaccine => "Vắc xin",
        EntryChooseVaccine => "Chọn vắc xin",
        EntryProtectsAgainst => "Phòng bệnh",
        EntryDoseNumber => "Mũi thứ",
        EntrySeriesDoses => "Tổng số mũi của loạt",
        EntryDoseSuggested { dose_number, series_doses } => {
            return match series_doses {
                Some(n) => format!("Gợi ý theo lịch tiêm và các mũi đã có trong sổ: mũi {dose_number}/{n}."),
                None => format!("Gợi ý theo các mũi đã có trong sổ: mũi {dose_number}."),
            }
            .into()
        }
        EntryVaccinationDate => "Ngày tiêm",
        EntryLot => "Số lô",
        EntryFacilityName => "Cơ sở y tế",
        EntryFacilityCode => "Mã cơ sở (nếu có)",
        EntrySave => "Lưu",
        EntryPrescriptionCode => "Mã đơn thuốc (nếu có)",
        EntryIssuedOn => "Ngày kê đơn",
        EntryPrescriber => "Bác sĩ kê đơn",
        EntryDiagnoses => "Chẩn đoán",
        EntryIcd10 => "Mã ICD-10",
        EntryDiagnosisText => "Tên bệnh",
        EntryAddDiagnosis => "Thêm chẩn đoán",
        EntryMedicines => "Thuốc",
        EntryMedicineName => "Tên thuốc",
        EntryAmount => "Mỗi lần",
        EntryUnit => "Đơn vị (viên, gói, ml)",
        EntryTimesPerDay => "Số lần mỗi ngày",
        EntryTimesOfDay => "Uống vào",
        EntryMeals => "So với bữa ăn",
        EntryMealsUnsaid => "Không ghi",
        EntryDays => "Số ngày",
        EntryAddMedicine => "Thêm thuốc",
        EntryRemoveRow => "Bỏ dòng này",
        EntryAdvice => "Lời dặn",
        EntryReExamination => "Ngày tái khám",
        EntryFix => "Cần sửa trước khi lưu:",
        EntryEdit => "Sửa",
        EntryRemove => "Xóa mục này",
        EntryConfirmRemove => "Xóa mục đã nhập trên máy này? Không thể hoàn tác.",
        EntryRemoved => "Đã xóa mục.",
        EntryErrNotDeviceRecord => "Chỉ sửa hoặc xóa được mục nhập trên máy này. Mục từ hệ thống y tế hay từ tệp phải được sửa ở nơi đã gửi.",
        EntryErrGone => "Mục này không còn trong sổ (có thể vừa được cập nhật). Hãy mở lại sổ.",
        TimeOfDayName(t) => time_of_day_vi(*t),
        MealName(m) => match m {
            MealRelation::BeforeMeals => "trước ăn",
            MealRelation::AfterMeals => "sau ăn",
            MealRelation::WithMeals => "trong bữa ăn",
        },
    };
    Cow::Borrowed(text)
}

fn overdue_vi(days: i64) -> String {
    if days >= 60 {
        format!("{} tháng", days / 30)
    } else if days >= 14 {
        format!("{} tuần", days / 7)
    } else {
        format!("{days} ngày")
    }
}

fn time_of_day_vi(t: TimeOfDay) -> &'static str {
    match t {
        TimeOfDay::Morning => "sáng",
        TimeOfDay::Noon => "trưa",
        TimeOfDay::Afternoon => "chiều",
        TimeOfDay::Evening => "tối",
        TimeOfDay::Bedtime => "trước khi đi ngủ",
    }
}

/// "Uống mỗi lần 1 viên, ngày 2 lần (sáng, tối), sau ăn, trong 7 ngày."
fn dosage_vi(x: &DosageText) -> String {
    let mut parts: Vec<String> = Vec::new();
    let verb = x.route.clone().unwrap_or_else(|| "Dùng".to_owned());
    let mut first = capitalise(&verb);
    if let Some(amount) = &x.amount {
        first.push_str(&format!(" mỗi lần {amount}"));
        if let Some(unit) = &x.unit {
            first.push_str(&format!(" {}", unit.to_lowercase()));
        }
    }
    parts.push(first);
    if let Some(n) = x.times_per_day {
        let mut p = format!("ngày {n} lần");
        if !x.times_of_day.is_empty() {
            let when: Vec<&str> = x.times_of_day.iter().map(|t| time_of_day_vi(*t)).collect();
            p.push_str(&format!(" ({})", when.join(", ")));
        }
        parts.push(p);
    } else if !x.times_of_day.is_empty() {
        let when: Vec<&str> = x.times_of_day.iter().map(|t| time_of_day_vi(*t)).collect();
        parts.push(format!("vào buổi {}", when.join(", ")));
    }
    if let Some(m) = x.meals {
        parts.push(
            match m {
                MealRelation::BeforeMeals => "trước ăn",
                MealRelation::AfterMeals => "sau ăn",
                MealRelation::WithMeals => "trong bữa ăn",
            }
            .to_owned(),
        );
    }
    if let Some(days) = x.days {
        parts.push(format!("trong {days} ngày"));
    }
    let mut sentence = parts.join(", ") + ".";
    if let Some(note) = &x.note {
        sentence.push(' ');
        sentence.push_str(note.trim());
    }
    sentence
}

fn capitalise(s: &str) -> String {
    let mut chars = s.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// "Nhân viên Lan nhập trên máy dùng chung lúc 01/12/2026 10:32".
fn provenance_vi(origin: &RecordOrigin) -> String {
    let at = |t: &time::OffsetDateTime| super::format::date_time(Locale::Vi, *t);
    match origin {
        RecordOrigin::Synced { source } => format!("Hệ thống y tế ({})", server_host(source)),
        RecordOrigin::Imported => "Nhập từ tệp".into(),
        RecordOrigin::EnteredByStaff {
            staff,
            device,
            at: t,
        } => {
            let who = match staff {
                Some(name) => format!("Nhân viên {name}"),
                None => "Nhân viên".into(),
            };
            let on = match device {
                Some(DeviceMode::Shared) => "máy dùng chung",
                Some(DeviceMode::Personal) => "máy cá nhân",
                None => "máy này",
            };
            format!("{who} nhập trên {on} lúc {}", at(t))
        }
        RecordOrigin::SelfReported { at: t } => format!("Tự khai, nhập lúc {}", at(t)),
    }
}
