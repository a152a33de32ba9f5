//! Province codes of birth registration, the first three digits of a citizen ID (CCCD), as listed
//! in Circular 07/2016/TT-BCA. The last two digits are the administrative province code used
//! elsewhere (health insurance cards, facility codes such as "19-011").
//!
//! The 2025 merger of provinces did not renumber existing citizen IDs, so this list stays the key
//! for reading them.

/// One province or centrally-run city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Province {
    /// Three digits, "001" to "096".
    pub code: &'static str,
    pub name_vi: &'static str,
    pub name_en: &'static str,
}

impl Province {
    /// The two-digit administrative code ("19" for Thái Nguyên).
    pub fn two_digit_code(&self) -> &'static str {
        &self.code[1..]
    }
}

const fn p(code: &'static str, name_vi: &'static str, name_en: &'static str) -> Province {
    Province {
        code,
        name_vi,
        name_en,
    }
}

/// All 63 codes in use, in code order.
pub const PROVINCES: &[Province] = &[
    p("001", "Hà Nội", "Hanoi"),
    p("002", "Hà Giang", "Ha Giang"),
    p("004", "Cao Bằng", "Cao Bang"),
    p("006", "Bắc Kạn", "Bac Kan"),
    p("008", "Tuyên Quang", "Tuyen Quang"),
    p("010", "Lào Cai", "Lao Cai"),
    p("011", "Điện Biên", "Dien Bien"),
    p("012", "Lai Châu", "Lai Chau"),
    p("014", "Sơn La", "Son La"),
    p("015", "Yên Bái", "Yen Bai"),
    p("017", "Hòa Bình", "Hoa Binh"),
    p("019", "Thái Nguyên", "Thai Nguyen"),
    p("020", "Lạng Sơn", "Lang Son"),
    p("022", "Quảng Ninh", "Quang Ninh"),
    p("024", "Bắc Giang", "Bac Giang"),
    p("025", "Phú Thọ", "Phu Tho"),
    p("026", "Vĩnh Phúc", "Vinh Phuc"),
    p("027", "Bắc Ninh", "Bac Ninh"),
    p("030", "Hải Dương", "Hai Duong"),
    p("031", "Hải Phòng", "Hai Phong"),
    p("033", "Hưng Yên", "Hung Yen"),
    p("034", "Thái Bình", "Thai Binh"),
    p("035", "Hà Nam", "Ha Nam"),
    p("036", "Nam Định", "Nam Dinh"),
    p("037", "Ninh Bình", "Ninh Binh"),
    p("038", "Thanh Hóa", "Thanh Hoa"),
    p("040", "Nghệ An", "Nghe An"),
    p("042", "Hà Tĩnh", "Ha Tinh"),
    p("044", "Quảng Bình", "Quang Binh"),
    p("045", "Quảng Trị", "Quang Tri"),
    p("046", "Thừa Thiên Huế", "Thua Thien Hue"),
    p("048", "Đà Nẵng", "Da Nang"),
    p("049", "Quảng Nam", "Quang Nam"),
    p("051", "Quảng Ngãi", "Quang Ngai"),
    p("052", "Bình Định", "Binh Dinh"),
    p("054", "Phú Yên", "Phu Yen"),
    p("056", "Khánh Hòa", "Khanh Hoa"),
    p("058", "Ninh Thuận", "Ninh Thuan"),
    p("060", "Bình Thuận", "Binh Thuan"),
    p("062", "Kon Tum", "Kon Tum"),
    p("064", "Gia Lai", "Gia Lai"),
    p("066", "Đắk Lắk", "Dak Lak"),
    p("067", "Đắk Nông", "Dak Nong"),
    p("068", "Lâm Đồng", "Lam Dong"),
    p("070", "Bình Phước", "Binh Phuoc"),
    p("072", "Tây Ninh", "Tay Ninh"),
    p("074", "Bình Dương", "Binh Duong"),
    p("075", "Đồng Nai", "Dong Nai"),
    p("077", "Bà Rịa - Vũng Tàu", "Ba Ria - Vung Tau"),
    p("079", "Hồ Chí Minh", "Ho Chi Minh City"),
    p("080", "Long An", "Long An"),
    p("082", "Tiền Giang", "Tien Giang"),
    p("083", "Bến Tre", "Ben Tre"),
    p("084", "Trà Vinh", "Tra Vinh"),
    p("086", "Vĩnh Long", "Vinh Long"),
    p("087", "Đồng Tháp", "Dong Thap"),
    p("089", "An Giang", "An Giang"),
    p("091", "Kiên Giang", "Kien Giang"),
    p("092", "Cần Thơ", "Can Tho"),
    p("093", "Hậu Giang", "Hau Giang"),
    p("094", "Sóc Trăng", "Soc Trang"),
    p("095", "Bạc Liêu", "Bac Lieu"),
    p("096", "Cà Mau", "Ca Mau"),
];

/// The province with this three-digit code ("019").
pub fn by_code(code: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.code == code)
}

/// The province with this two-digit administrative code ("19").
pub fn by_two_digit_code(code: &str) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.two_digit_code() == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_three_distinct_codes_in_order() {
        assert_eq!(PROVINCES.len(), 63);
        for pair in PROVINCES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        assert!(PROVINCES
            .iter()
            .all(|p| p.code.len() == 3 && p.code.bytes().all(|b| b.is_ascii_digit())));
    }

    #[test]
    fn known_codes() {
        assert_eq!(by_code("019").map(|p| p.name_vi), Some("Thái Nguyên"));
        assert_eq!(by_code("079").map(|p| p.name_en), Some("Ho Chi Minh City"));
        assert_eq!(by_two_digit_code("01").map(|p| p.name_vi), Some("Hà Nội"));
        assert_eq!(by_code("003"), None);
        assert_eq!(by_code("097"), None);
        assert_eq!(by_code("19"), None);
    }
}
