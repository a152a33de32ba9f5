use std::borrow::Cow;

use super::Msg;

pub fn translate(msg: &Msg) -> Cow<'static, str> {
    use Msg::*;
    Cow::Borrowed(match msg {
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
        PageNotFound => "Không tìm thấy trang này.",
        BackToHome => "Về trang chủ",

        NoBookTitle => "Chưa có sổ sức khỏe nào trên máy này",
        NoBookBody => "Thêm sổ của bạn hoặc của người thân để xem hồ sơ, lịch tiêm và đơn thuốc, kể cả khi không có mạng.",
        NoBookAction => "Thêm sổ sức khỏe",

        SettingsTitle => "Cài đặt",
        LanguageHeading => "Ngôn ngữ",
        LanguageHint => "Chọn ngôn ngữ hiển thị. Lựa chọn được lưu trên máy này.",
        PreferenceNotSaved => "Không lưu được lựa chọn trên máy này (bộ nhớ trình duyệt bị chặn). Lựa chọn chỉ có hiệu lực đến khi đóng ứng dụng.",
    })
}
