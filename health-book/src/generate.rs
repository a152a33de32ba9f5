//! Realistic, deterministic test books: the same seed and shape always give the same book.
//!
//! Used by this crate's tests and by the app's tests and benchmarks (hundreds of books of hundreds
//! of records), so it is fast and needs no `rand`: a SplitMix64 generator is enough for test data.
//!
//! People live in real communes of Thái Nguyên (addresses written as on the day: village, commune,
//! district and province before 1 July 2025, village, commune and province after), have names
//! with diacritics (NFC), citizen IDs that
//! agree with their birth date and sex, insurance cards, vaccinations that follow the childhood
//! programme and adult campaigns, and prescriptions with plausible medicines and ICD-10 diagnoses.
//! A generated book has no validation errors (tested).

use time::macros::{date, offset};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::calendar::{add_days, add_months};
use crate::ids::{CitizenId, OldIdNumber};
use crate::model::*;
use crate::tables::{provinces, vaccines};

/// The "today" generated books are made for unless a shape says otherwise, so output does not
/// depend on the clock.
pub const DEFAULT_AS_OF: Date = date!(2026 - 01 - 15);

/// Names the QR and search tests use: every letter form Vietnamese needs (ễ, ị, ọ, Á; Đ in
/// addresses), composed.
pub const NGUYEN_THI_NGOC_ANH: &str = "Nguyễn Thị Ngọc Ánh";
pub const HOANG_VAN_DUNG: &str = "Hoàng Văn Dũng";

/// A long but real-shaped permanent address, for QR density and layout tests.
pub const LONGEST_REALISTIC_ADDRESS: &str = "Số nhà 128, Ngõ 35, Ngách 17/4, Đường Hoàng Văn Thụ, Tổ dân phố Phú Xá 15, Phường Trung Thành, Thành phố Thái Nguyên, Tỉnh Thái Nguyên";

/// Where the generated records say they were synced from.
pub const GENERATED_SOURCE: &str = "https://fhir.thainguyen.example/fhir";

/// SplitMix64: tiny, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
        }
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo {
            lo
        } else {
            lo + self.below(u64::from(hi - lo) + 1) as u32
        }
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn date_between(&mut self, lo: Date, hi: Date) -> Date {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo).whole_days() as u64;
        add_days(lo, self.below(span + 1) as i64)
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// How old the person is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Birth {
    On(Date),
    AgeYears(u32),
    AgeMonths(u32),
}

/// What kind of book to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookShape {
    /// The day the book is generated for: no record is later.
    pub as_of: Date,
    pub birth: Birth,
    /// `None`: chosen by the seed.
    pub sex: Option<Sex>,
    /// `None`: a generated Vietnamese name.
    pub full_name: Option<String>,
    /// Give the childhood programme doses due by `as_of` (on top of `vaccinations`).
    pub childhood_schedule: bool,
    /// Further vaccinations (adult campaigns and services).
    pub vaccinations: usize,
    pub prescriptions: usize,
    /// Records spread over this many years before `as_of` (never before birth).
    pub history_years: u32,
}

impl BookShape {
    /// A child of `age_months` whose programme doses are recorded (a few missed, as in life),
    /// with a handful of prescriptions.
    pub fn child(age_months: u32) -> BookShape {
        BookShape {
            as_of: DEFAULT_AS_OF,
            birth: Birth::AgeMonths(age_months),
            sex: None,
            full_name: None,
            childhood_schedule: true,
            vaccinations: 0,
            prescriptions: (age_months / 4) as usize,
            history_years: age_months / 12 + 1,
        }
    }

    /// An adult with `years` of records: about 1.5 vaccinations and 10 prescriptions a year
    /// (60 and 400 for 40 years).
    pub fn adult_with_history(years: u32) -> BookShape {
        BookShape {
            as_of: DEFAULT_AS_OF,
            birth: Birth::AgeYears(years + 20),
            sex: None,
            full_name: None,
            childhood_schedule: false,
            vaccinations: (years as usize * 3).div_ceil(2),
            prescriptions: years as usize * 10,
            history_years: years,
        }
    }

    /// An adult with exactly `n` records, one in five a vaccination.
    pub fn records(n: usize) -> BookShape {
        BookShape {
            as_of: DEFAULT_AS_OF,
            birth: Birth::AgeYears(50),
            sex: None,
            full_name: None,
            childhood_schedule: false,
            vaccinations: n / 5,
            prescriptions: n - n / 5,
            history_years: 30,
        }
    }

    pub fn named(mut self, full_name: &str, sex: Sex) -> BookShape {
        self.full_name = Some(crate::text::nfc(full_name));
        self.sex = Some(sex);
        self
    }

    pub fn born_on(mut self, date_of_birth: Date) -> BookShape {
        self.birth = Birth::On(date_of_birth);
        self
    }

    pub fn as_of(mut self, today: Date) -> BookShape {
        self.as_of = today;
        self
    }

    fn date_of_birth(&self, rng: &mut SplitMix64) -> Date {
        match self.birth {
            Birth::On(d) => d,
            Birth::AgeYears(y) => {
                let birthday = add_months(self.as_of, 0).replace_year(self.as_of.year() - y as i32);
                let latest = birthday.unwrap_or(self.as_of);
                add_days(latest, -(rng.below(360) as i64))
            }
            Birth::AgeMonths(mo) => {
                let total = self.as_of.year() * 12 + i32::from(u8::from(self.as_of.month()))
                    - 1
                    - mo as i32;
                let latest = Date::from_calendar_date(
                    total.div_euclid(12),
                    time::Month::try_from((total.rem_euclid(12) + 1) as u8)
                        .unwrap_or(time::Month::January),
                    self.as_of.day().min(28),
                )
                .unwrap_or(self.as_of);
                add_days(latest, -(rng.below(25) as i64))
            }
        }
    }
}

/// One book.
pub fn book(seed: u64, shape: &BookShape) -> HealthBook {
    let mut rng = SplitMix64::new(seed);
    let serial = rng.below(1_000_000) as u32;
    build_book(&mut rng, shape, serial)
}

/// `count` books with distinct citizen IDs (the storage keys books by them).
pub fn books(seed: u64, count: usize, shape: &BookShape) -> Vec<HealthBook> {
    let mut rng = SplitMix64::new(seed);
    let offset = rng.below(1_000_000);
    (0..count)
        .map(|i| {
            let mut book_rng =
                SplitMix64::new(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
            let serial = ((offset + i as u64) % 1_000_000) as u32;
            build_book(&mut book_rng, shape, serial)
        })
        .collect()
}

/// Just a profile, for payload and QR tests.
pub fn profile(seed: u64, shape: &BookShape) -> Profile {
    book(
        seed,
        &BookShape {
            vaccinations: 0,
            prescriptions: 0,
            childhood_schedule: false,
            ..shape.clone()
        },
    )
    .profile
}

fn build_book(rng: &mut SplitMix64, shape: &BookShape, serial: u32) -> HealthBook {
    let date_of_birth = shape.date_of_birth(rng).min(shape.as_of);
    let sex = shape.sex.unwrap_or(if rng.chance(50) {
        Sex::Male
    } else {
        Sex::Female
    });
    let place = Place::pick(rng);
    let profile = build_profile(rng, shape, date_of_birth, sex, &place, serial);
    let window_start = date_of_birth.max(add_months_back(shape.as_of, shape.history_years * 12));

    let mut vaccinations = Vec::new();
    if shape.childhood_schedule {
        childhood_doses(rng, date_of_birth, shape.as_of, &place, &mut vaccinations);
    }
    adult_doses(
        rng,
        &profile,
        window_start,
        shape.as_of,
        shape.vaccinations,
        &place,
        &mut vaccinations,
    );
    vaccinations.sort_by_key(|v| v.date);
    for (i, v) in vaccinations.iter_mut().enumerate() {
        v.id = RecordId(format!("vac-{i:04}"));
    }

    let mut prescriptions: Vec<Prescription> = (0..shape.prescriptions)
        .map(|_| build_prescription(rng, &profile, window_start, shape.as_of, &place))
        .collect();
    prescriptions.sort_by_key(|p| p.issued_at);
    for (i, p) in prescriptions.iter_mut().enumerate() {
        p.id = RecordId(format!("rx-{i:04}"));
    }

    let synced_at = at(shape.as_of, 8, 30);
    HealthBook {
        provenance: Provenance {
            source: BookSource::Server {
                base_url: GENERATED_SOURCE.into(),
                patient_id: format!("p{serial:06}"),
            },
            source_updated_at: Some(at(add_days(shape.as_of, -(rng.below(30) as i64)), 16, 5)),
            source_version: Some(rng.between(1, 40).to_string()),
            last_synced_at: Some(synced_at),
        },
        profile,
        vaccinations,
        prescriptions,
        care: Default::default(),
    }
}

fn add_months_back(date: Date, months: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 - months as i32;
    Date::from_calendar_date(
        total.div_euclid(12),
        time::Month::try_from((total.rem_euclid(12) + 1) as u8).unwrap_or(time::Month::January),
        date.day().min(28),
    )
    .unwrap_or(Date::MIN)
}

fn at(date: Date, hour: u8, minute: u8) -> OffsetDateTime {
    let time = Time::from_hms(hour.min(23), minute.min(59), 0).unwrap_or(Time::MIDNIGHT);
    PrimitiveDateTime::new(date, time).assume_offset(VIETNAM)
}

const VIETNAM: UtcOffset = offset!(+7);

// ---------------------------------------------------------------------------------------------
// People and places

const FAMILY_NAMES: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Ma", "Triệu", "Nông", "Lương", "Hà", "Đinh",
];
const MALE_MIDDLE: &[&str] = &[
    "Văn", "Văn", "Văn", "Minh", "Đức", "Quang", "Hữu", "Ngọc", "Xuân", "Thành",
];
const FEMALE_MIDDLE: &[&str] = &[
    "Thị",
    "Thị",
    "Thị",
    "Ngọc",
    "Thu",
    "Minh",
    "Hồng",
    "Thị Ngọc",
    "Thanh",
    "Phương",
];
const MALE_GIVEN: &[&str] = &[
    "Dũng", "Hùng", "Tuấn", "Long", "Nam", "Quân", "Thắng", "Việt", "Cường", "Hải", "Sơn", "Đạt",
    "Khánh", "Phúc", "Toàn", "Huy", "Đông", "Kiên", "Lực", "Tùng",
];
const FEMALE_GIVEN: &[&str] = &[
    "Ánh", "Lan", "Hương", "Hà", "Mai", "Linh", "Trang", "Huyền", "Thảo", "Nga", "Yến", "Hằng",
    "Nhung", "Thúy", "Loan", "Ngân", "Quỳnh", "Duyên", "Oanh", "Vân",
];

/// The day districts were abolished (Resolution 202/2025/QH15 and the Law on Local Government
/// Organisation 2025): addresses written from then on are two-level, commune and province.
pub const TWO_LEVEL_ADDRESSES_SINCE: Date = date!(2025 - 07 - 01);

/// A district of Thái Nguyên before 1 July 2025, with some of its communes.
struct District {
    kind: &'static str,
    name: &'static str,
    communes: &'static [Commune],
}

/// A real commune (or ward, or town) before 1 July 2025, the commune it became, and some of its
/// real villages (xóm) or residential groups (tổ dân phố), each written with its own prefix.
struct Commune {
    kind: &'static str,
    name: &'static str,
    /// The commune-level unit it was merged into on 1 July 2025.
    became: (&'static str, &'static str),
    villages: &'static [&'static str],
}

/// Real places, correctly nested before and after the 2025 reorganisation.
///
/// Sources: Resolution 1683/NQ-UBTVQH15 (16 June 2025) on the commune-level units of Thái Nguyên
/// (for instance xã Định Hóa from thị trấn Chợ Chu and xã Phúc Chu, Bảo Linh, Đồng Thịnh; xã
/// Bình Yên from Trung Lương, Định Biên, Thanh Định, Bình Yên; xã Phú Đình from Điềm Mặc and Phú
/// Đình; xã Thần Sa from Thượng Nung and Thần Sa; phường Tích Lương from Trung Thành, Phú Xá and
/// others; phường Phan Đình Phùng from Quang Trung, Hoàng Văn Thụ and others); Resolution
/// 202/2025/QH15 (Bắc Kạn merged into Thái Nguyên, which kept its name); the villages as the
/// communes listed them after the 2019 merger of villages.
const DISTRICTS: &[District] = &[
    District {
        kind: "Huyện",
        name: "Định Hóa",
        communes: &[
            Commune {
                kind: "Xã",
                name: "Phú Đình",
                became: ("Xã", "Phú Đình"),
                villages: &[
                    "Xóm Khuôn Tát",
                    "Xóm Đèo De",
                    "Xóm Tỉn Keo",
                    "Xóm Đồng Hoàng",
                    "Xóm Nà Mùi",
                    "Xóm Làng Trùng",
                ],
            },
            Commune {
                kind: "Xã",
                name: "Thanh Định",
                became: ("Xã", "Bình Yên"),
                villages: &[
                    "Xóm Bản Piềng",
                    "Xóm Nguyên Bình",
                    "Xóm Thanh Phong",
                    "Xóm Thanh Trung",
                    "Xóm Văn Lang",
                ],
            },
            Commune {
                kind: "Xã",
                name: "Định Biên",
                became: ("Xã", "Bình Yên"),
                villages: &[
                    "Xóm Đồng Đau",
                    "Xóm Đồng Rằm",
                    "Xóm Gốc Thông",
                    "Xóm Khau Diều",
                    "Xóm Làng Quặng",
                    "Xóm Nà To",
                ],
            },
            Commune {
                kind: "Thị trấn",
                name: "Chợ Chu",
                became: ("Xã", "Định Hóa"),
                villages: &[
                    "Tổ dân phố Núi",
                    "Tổ dân phố Chợ Chu",
                    "Tổ dân phố Trung Kiên",
                    "Tổ dân phố Phúc Xuân",
                    "Tổ dân phố Hồ Sen",
                ],
            },
            Commune {
                kind: "Xã",
                name: "Phúc Chu",
                became: ("Xã", "Định Hóa"),
                villages: &[
                    "Xóm Đồng Đình",
                    "Xóm Đồng Uẩn",
                    "Xóm Làng Gầy",
                    "Xóm Làng Hoèn",
                    "Xóm Nà Lom",
                ],
            },
        ],
    },
    District {
        kind: "Huyện",
        name: "Võ Nhai",
        communes: &[Commune {
            kind: "Xã",
            name: "Thần Sa",
            became: ("Xã", "Thần Sa"),
            villages: &[
                "Xóm Trung Sơn",
                "Xóm Kim Sơn",
                "Xóm Hạ Sơn Tày",
                "Xóm Xuyên Sơn",
                "Xóm Tân Kim",
            ],
        }],
    },
    District {
        kind: "Thành phố",
        name: "Thái Nguyên",
        communes: &[
            Commune {
                kind: "Phường",
                name: "Trung Thành",
                became: ("Phường", "Tích Lương"),
                villages: &["Tổ 5", "Tổ 12", "Tổ 18"],
            },
            Commune {
                kind: "Phường",
                name: "Quang Trung",
                became: ("Phường", "Phan Đình Phùng"),
                villages: &["Tổ 4", "Tổ 9", "Tổ 21"],
            },
            Commune {
                kind: "Phường",
                name: "Hoàng Văn Thụ",
                became: ("Phường", "Phan Đình Phùng"),
                villages: &["Tổ 2", "Tổ 7", "Tổ 15"],
            },
        ],
    },
];

struct Place {
    district: &'static District,
    commune: &'static Commune,
    village: &'static str,
    commune_code: u32,
}

impl Place {
    fn pick(rng: &mut SplitMix64) -> Place {
        let district_index = rng.below(DISTRICTS.len() as u64) as usize;
        let district = &DISTRICTS[district_index];
        let commune_index = rng.below(district.communes.len() as u64) as usize;
        let commune = &district.communes[commune_index];
        Place {
            district,
            commune,
            village: commune.villages[rng.below(commune.villages.len() as u64) as usize],
            commune_code: 100 + district_index as u32 * 20 + commune_index as u32,
        }
    }

    /// The address as written on `on`: village, commune, district and province before
    /// [`TWO_LEVEL_ADDRESSES_SINCE`]; village, the merged commune and province from then on.
    fn address(&self, on: Date) -> String {
        if on >= TWO_LEVEL_ADDRESSES_SINCE {
            let (kind, name) = self.commune.became;
            format!("{}, {kind} {name}, Tỉnh Thái Nguyên", self.village)
        } else {
            format!(
                "{}, {} {}, {} {}, Tỉnh Thái Nguyên",
                self.village,
                self.commune.kind,
                self.commune.name,
                self.district.kind,
                self.district.name
            )
        }
    }

    fn health_station(&self) -> Facility {
        Facility {
            code: Some(format!("19-{:03}", self.commune_code)),
            name: format!(
                "Trạm Y tế {} {}",
                self.commune.kind.to_lowercase(),
                self.commune.name
            ),
        }
    }

    fn district_centre(&self) -> Facility {
        let code = 10 + (self.commune_code - 100) / 20;
        Facility {
            code: Some(format!("19-{code:03}")),
            name: format!(
                "Trung tâm Y tế {} {}",
                self.district.kind.to_lowercase(),
                self.district.name
            ),
        }
    }
}

const HOSPITALS: &[(&str, &str)] = &[
    ("19-001", "Bệnh viện Trung ương Thái Nguyên"),
    ("19-002", "Bệnh viện A Thái Nguyên"),
    ("19-003", "Bệnh viện C Thái Nguyên"),
    (
        "19-004",
        "Bệnh viện Đa khoa Trường Đại học Y Dược Thái Nguyên",
    ),
];

fn person_name(rng: &mut SplitMix64, sex: Sex) -> String {
    let family = rng.pick(FAMILY_NAMES);
    let (middle, given) = match sex {
        Sex::Male => (rng.pick(MALE_MIDDLE), rng.pick(MALE_GIVEN)),
        Sex::Female => (rng.pick(FEMALE_MIDDLE), rng.pick(FEMALE_GIVEN)),
    };
    format!("{family} {middle} {given}")
}

fn citizen_id(rng: &mut SplitMix64, date_of_birth: Date, sex: Sex, serial: u32) -> CitizenId {
    // Mostly registered in Thái Nguyên, some born elsewhere.
    let province = if rng.chance(85) {
        "019"
    } else {
        rng.pick(provinces::PROVINCES).code
    };
    let century = (date_of_birth.year() - 1900).div_euclid(100).clamp(0, 4) as u32;
    let digit = century * 2 + u32::from(sex == Sex::Female);
    let raw = format!(
        "{province}{digit}{:02}{:06}",
        date_of_birth.year().rem_euclid(100),
        serial % 1_000_000
    );
    // The parts above are a known province and digits, so this cannot fail; fall back to a
    // fixed valid ID rather than panic if the table is ever edited badly.
    CitizenId::parse(&raw)
        .or_else(|_| {
            CitizenId::parse(&format!(
                "001{digit}{:02}{:06}",
                date_of_birth.year().rem_euclid(100),
                serial % 1_000_000
            ))
        })
        .unwrap_or_else(|_| fallback_citizen_id())
}

fn fallback_citizen_id() -> CitizenId {
    CitizenId::parse("001090000001").expect("fixed valid citizen ID")
}

fn build_profile(
    rng: &mut SplitMix64,
    shape: &BookShape,
    date_of_birth: Date,
    sex: Sex,
    place: &Place,
    serial: u32,
) -> Profile {
    let full_name = shape
        .full_name
        .clone()
        .unwrap_or_else(|| person_name(rng, sex));
    let citizen_id = citizen_id(rng, date_of_birth, sex, serial);
    let age_years = shape.as_of.year() - date_of_birth.year();
    let old_id_number = if date_of_birth.year() < 2002 && age_years >= 14 && rng.chance(70) {
        OldIdNumber::parse(&format!("09{}", rng.digits(7))).ok()
    } else {
        None
    };
    let card_issued_on = if age_years >= 15 {
        let earliest = date!(2021 - 01 - 01).max(add_months(date_of_birth, 14 * 12));
        (earliest <= shape.as_of).then(|| rng.date_between(earliest, shape.as_of))
    } else {
        None
    };
    let health_insurance = rng
        .chance(92)
        .then(|| insurance_card(rng, shape.as_of, age_years, place));
    let blood_groups = [
        BloodGroup::OPositive,
        BloodGroup::OPositive,
        BloodGroup::APositive,
        BloodGroup::BPositive,
        BloodGroup::BPositive,
        BloodGroup::AbPositive,
        BloodGroup::ONegative,
    ];
    let allergies = if rng.chance(12) {
        vec![rng
            .pick(&["Penicillin", "Hải sản", "Aspirin", "Phấn hoa"])
            .to_string()]
    } else {
        Vec::new()
    };
    let chronic_conditions = if age_years >= 45 && rng.chance(40) {
        vec![rng
            .pick(&[
                "Tăng huyết áp",
                "Đái tháo đường type 2",
                "Rối loạn mỡ máu",
                "Viêm dạ dày mạn",
            ])
            .to_string()]
    } else {
        Vec::new()
    };
    let emergency_contact = rng.chance(50).then(|| {
        let contact_sex = if rng.chance(50) {
            Sex::Male
        } else {
            Sex::Female
        };
        EmergencyContact {
            name: person_name(rng, contact_sex),
            relationship: Some(
                rng.pick(if age_years < 18 {
                    &["Bố", "Mẹ"][..]
                } else {
                    &["Vợ", "Chồng", "Con", "Anh", "Chị"][..]
                })
                .to_string(),
            ),
            phone: format!("09{}", rng.digits(8)),
        }
    });
    Profile {
        full_name,
        date_of_birth,
        sex,
        citizen_id,
        old_id_number,
        card_issued_on,
        health_insurance,
        // As the card wrote it when issued; without a card, as of the book's date.
        address: Some(place.address(card_issued_on.unwrap_or(shape.as_of))),
        phone: (age_years >= 14 && rng.chance(70))
            .then(|| format!("0{}{}", rng.pick(&["9", "8", "3"]), rng.digits(8))),
        blood_group: rng.chance(50).then(|| *rng.pick(&blood_groups)),
        allergies,
        chronic_conditions,
        emergency_contact,
    }
}

fn insurance_card(
    rng: &mut SplitMix64,
    as_of: Date,
    age_years: i32,
    place: &Place,
) -> HealthInsuranceCard {
    let (group, level) = match age_years {
        ..=5 => ("TE", 1),
        6..=17 => ("HS", 4),
        18..=22 => *rng.pick(&[("SV", 4), ("GD", 4)]),
        23..=59 => *rng.pick(&[
            ("DN", 4),
            ("HC", 4),
            ("GD", 4),
            ("HN", 2),
            ("DT", 2),
            ("CN", 3),
        ]),
        _ => *rng.pick(&[("HT", 3), ("HT", 3), ("CB", 2), ("CC", 1), ("GD", 4)]),
    };
    let number = format!("19{}", rng.digits(8));
    let code = if rng.chance(60) {
        format!("{group}{level}19{number}")
    } else {
        number
    };
    let year = as_of.year() - i32::from(rng.chance(8));
    HealthInsuranceCard {
        code,
        valid_from: Date::from_calendar_date(year, time::Month::January, 1).ok(),
        valid_to: Date::from_calendar_date(year, time::Month::December, 31).ok(),
        registered_facility: Some(place.health_station()),
    }
}

// ---------------------------------------------------------------------------------------------
// Vaccinations

fn origin(rng: &mut SplitMix64, date: Date) -> RecordOrigin {
    match rng.below(100) {
        0..=84 => RecordOrigin::Synced {
            source: GENERATED_SOURCE.into(),
        },
        85..=94 => RecordOrigin::EnteredByStaff {
            staff: rng.chance(80).then(|| format!("NV-{}", rng.digits(4))),
            device: None,
            at: at(date, rng.between(7, 16) as u8, rng.between(0, 59) as u8),
        },
        _ => RecordOrigin::Imported,
    }
}

fn manufacturer(code: &str) -> &'static str {
    match code {
        "VGB" | "VGB-NL" | "VNNB" => "VABIOTECH",
        "BCG" => "IVAC",
        "DPT-VGB-Hib" => "Serum Institute of India",
        "DPT-VGB-Hib-IPV" | "IPV" => "Sanofi Pasteur",
        "bOPV" => "Polyvac",
        "SOI" | "MR" => "Polyvac",
        "DPT" | "UV" | "Td" => "IVAC",
        "COVID-19-AZ" => "AstraZeneca",
        "COVID-19-PF" => "Pfizer-BioNTech",
        "COVID-19-MD" => "Moderna",
        "COVID-19-VC" => "Sinopharm",
        "CUM" => "IVAC",
        "HPV" => "MSD",
        "DAI" => "Sanofi Pasteur",
        _ => "Nanogen",
    }
}

#[allow(clippy::too_many_arguments)]
fn vaccination(
    rng: &mut SplitMix64,
    code: &str,
    date: Date,
    dose: u32,
    series_doses: Option<u32>,
    next_dose_due: Option<Date>,
    facility: Facility,
) -> Vaccination {
    let vaccine = vaccines::by_code(code);
    let administered_by = rng.chance(60).then(|| {
        let sex = if rng.chance(80) {
            Sex::Female
        } else {
            Sex::Male
        };
        person_name(rng, sex)
    });
    let lot = format!(
        "{}{}{}",
        char::from(b'A' + rng.below(26) as u8),
        rng.digits(4),
        char::from(b'A' + rng.below(26) as u8)
    );
    Vaccination {
        id: RecordId(String::new()),
        vaccine: vaccine.map(|v| v.coding()).unwrap_or_else(|| Coding {
            system: None,
            code: code.into(),
            display: code.into(),
        }),
        target_diseases: vaccine
            .map(|v| v.diseases.iter().map(|d| d.coding()).collect())
            .unwrap_or_default(),
        dose_number: Some(dose),
        series_doses,
        date,
        lot_number: rng.chance(85).then_some(lot),
        manufacturer: rng.chance(80).then(|| manufacturer(code).to_string()),
        facility: Some(facility),
        administered_by,
        next_dose_due,
        recorded_by: origin(rng, date),
    }
}

/// The programme's visits: (vaccine, dose, doses in series, age in months, extra days).
const CHILDHOOD_VISITS: &[(&str, u32, u32, u32, u32)] = &[
    ("VGB", 1, 1, 0, 0),
    ("BCG", 1, 1, 0, 7),
    ("DPT-VGB-Hib", 1, 3, 2, 0),
    ("bOPV", 1, 3, 2, 0),
    ("DPT-VGB-Hib", 2, 3, 3, 0),
    ("bOPV", 2, 3, 3, 0),
    ("DPT-VGB-Hib", 3, 3, 4, 0),
    ("bOPV", 3, 3, 4, 0),
    ("IPV", 1, 2, 5, 0),
    ("IPV", 2, 2, 9, 0),
    ("SOI", 1, 1, 9, 0),
    ("VNNB", 1, 3, 12, 0),
    ("VNNB", 2, 3, 12, 10),
    ("DPT", 4, 4, 18, 0),
    ("MR", 1, 1, 18, 0),
    ("VNNB", 3, 3, 24, 0),
];

fn childhood_doses(
    rng: &mut SplitMix64,
    dob: Date,
    as_of: Date,
    place: &Place,
    out: &mut Vec<Vaccination>,
) {
    // Visits in the same month happen on the same day, a few days after the due age.
    let mut visit_dates: Vec<(u32, u32, Date)> = Vec::new();
    for &(code, dose, series, months, extra_days) in CHILDHOOD_VISITS {
        let due = add_days(add_months(dob, months), i64::from(extra_days));
        let date = match visit_dates
            .iter()
            .find(|(m, d, _)| *m == months && *d == extra_days)
        {
            Some((_, _, date)) => *date,
            None => {
                let jitter = if months == 0 && extra_days == 0 {
                    0
                } else {
                    rng.below(6) as i64
                };
                let date = add_days(due, jitter);
                visit_dates.push((months, extra_days, date));
                date
            }
        };
        if date > as_of || rng.chance(3) {
            continue;
        }
        let facility = if months == 0 {
            Facility {
                code: Some("19-002".into()),
                name: "Bệnh viện A Thái Nguyên".into(),
            }
        } else {
            place.health_station()
        };
        let next = CHILDHOOD_VISITS
            .iter()
            .find(|(c, d, ..)| *c == code && *d == dose + 1)
            .map(|&(_, _, _, m, e)| add_days(add_months(dob, m), i64::from(e)));
        out.push(vaccination(
            rng,
            code,
            date,
            dose,
            Some(series),
            next,
            facility,
        ));
    }
}

fn adult_doses(
    rng: &mut SplitMix64,
    profile: &Profile,
    from: Date,
    to: Date,
    count: usize,
    place: &Place,
    out: &mut Vec<Vaccination>,
) {
    let target = out.len() + count;
    let covid_from = date!(2021 - 03 - 08)
        .max(from)
        .max(add_months(profile.date_of_birth, 12 * 12));
    let covid_to = date!(2023 - 06 - 30).min(to);
    let mut covid_done = false;
    let mut guard = 0;
    while out.len() < target && guard < count * 4 + 16 {
        guard += 1;
        let left = target - out.len();
        let start = rng.date_between(from, to);
        match rng.below(10) {
            0..=1 if !covid_done && covid_from <= covid_to => {
                covid_done = true;
                let brand =
                    *rng.pick(&["COVID-19-AZ", "COVID-19-PF", "COVID-19-VC", "COVID-19-MD"]);
                let first = rng.date_between(covid_from, covid_to);
                let gaps = [0i64, 56, 150, 120];
                let mut date = first;
                for (i, gap) in gaps
                    .iter()
                    .enumerate()
                    .take(left.min(1 + rng.below(4) as usize))
                {
                    date = add_days(date, *gap);
                    if date > to {
                        break;
                    }
                    let booster_brand = if i >= 2 { "COVID-19-PF" } else { brand };
                    let next = (i + 1 < gaps.len()).then(|| add_days(date, gaps[i + 1]));
                    out.push(vaccination(
                        rng,
                        booster_brand,
                        date,
                        i as u32 + 1,
                        Some(if i < 2 { 2 } else { i as u32 + 1 }),
                        next.filter(|_| i < 1),
                        place.district_centre(),
                    ));
                }
            }
            0..=4 => {
                // Influenza, in the autumn.
                let date = Date::from_calendar_date(
                    start.year(),
                    time::Month::October,
                    rng.between(1, 28) as u8,
                )
                .unwrap_or(start);
                if date >= from && date <= to {
                    out.push(vaccination(
                        rng,
                        "CUM",
                        date,
                        1,
                        Some(1),
                        None,
                        service_centre(),
                    ));
                }
            }
            5 => {
                // Tetanus-diphtheria booster, or tetanus in pregnancy.
                let (code, doses) = if profile.sex == Sex::Female && rng.chance(50) {
                    ("UV", 2)
                } else {
                    ("Td", 1)
                };
                let mut date = start;
                for dose in 1..=doses.min(left as u32) {
                    if date > to {
                        break;
                    }
                    let next = (dose < doses).then(|| add_days(date, 30));
                    out.push(vaccination(
                        rng,
                        code,
                        date,
                        dose,
                        Some(doses),
                        next,
                        place.health_station(),
                    ));
                    date = add_days(date, 30);
                }
            }
            6..=7 => {
                // Adult hepatitis B: 0, 1, 6 months.
                let offsets = [0u32, 1, 6];
                for (i, months) in offsets.iter().enumerate().take(left) {
                    let date = add_months(start, *months);
                    if date > to {
                        break;
                    }
                    let next = offsets.get(i + 1).map(|m| add_months(start, *m));
                    out.push(vaccination(
                        rng,
                        "VGB-NL",
                        date,
                        i as u32 + 1,
                        Some(3),
                        next,
                        service_centre(),
                    ));
                }
            }
            8 => {
                // Rabies after a dog bite: days 0, 3, 7, 14, 28.
                let days = [0i64, 3, 7, 14, 28];
                for (i, d) in days.iter().enumerate().take(left) {
                    let date = add_days(start, *d);
                    if date > to {
                        break;
                    }
                    let next = days.get(i + 1).map(|n| add_days(start, *n));
                    out.push(vaccination(
                        rng,
                        "DAI",
                        date,
                        i as u32 + 1,
                        Some(5),
                        next,
                        place.district_centre(),
                    ));
                }
            }
            _ => {
                // HPV for young women, otherwise influenza again.
                let age = start.year() - profile.date_of_birth.year();
                if profile.sex == Sex::Female && (9..=26).contains(&age) {
                    let offsets = [0u32, 2, 6];
                    for (i, months) in offsets.iter().enumerate().take(left) {
                        let date = add_months(start, *months);
                        if date > to {
                            break;
                        }
                        let next = offsets.get(i + 1).map(|m| add_months(start, *m));
                        out.push(vaccination(
                            rng,
                            "HPV",
                            date,
                            i as u32 + 1,
                            Some(3),
                            next,
                            service_centre(),
                        ));
                    }
                } else {
                    out.push(vaccination(
                        rng,
                        "CUM",
                        start,
                        1,
                        Some(1),
                        None,
                        service_centre(),
                    ));
                }
            }
        }
    }
}

fn service_centre() -> Facility {
    Facility {
        code: Some("19-250".into()),
        name: "Trung tâm Kiểm soát bệnh tật tỉnh Thái Nguyên".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Prescriptions

struct MedicineRow {
    name: &'static str,
    ingredient: &'static str,
    strength: &'static str,
    form: &'static str,
    unit: &'static str,
    amount: &'static str,
    times: &'static [TimeOfDay],
    meals: Option<MealRelation>,
    route: &'static str,
    days: (u32, u32),
}

use MealRelation::*;
use TimeOfDay::*;

#[rustfmt::skip]
const MEDICINES: &[MedicineRow] = &[
    MedicineRow { name: "Paracetamol 500mg", ingredient: "Paracetamol", strength: "500 mg", form: "Viên nén", unit: "viên", amount: "1", times: &[Morning, Noon, Evening], meals: Some(AfterMeals), route: "Uống", days: (3, 5) },
    MedicineRow { name: "Amoxicillin 500mg", ingredient: "Amoxicillin", strength: "500 mg", form: "Viên nang", unit: "viên", amount: "1", times: &[Morning, Noon, Evening], meals: Some(AfterMeals), route: "Uống", days: (5, 7) },
    MedicineRow { name: "Cefuroxim 500mg", ingredient: "Cefuroxim", strength: "500 mg", form: "Viên nén bao phim", unit: "viên", amount: "1", times: &[Morning, Evening], meals: Some(AfterMeals), route: "Uống", days: (5, 7) },
    MedicineRow { name: "Alphachymotrypsin 4,2mg", ingredient: "Chymotrypsin", strength: "4,2 mg", form: "Viên nén", unit: "viên", amount: "2", times: &[Morning, Noon, Evening], meals: None, route: "Ngậm dưới lưỡi", days: (3, 5) },
    MedicineRow { name: "Loratadin 10mg", ingredient: "Loratadin", strength: "10 mg", form: "Viên nén", unit: "viên", amount: "1", times: &[Evening], meals: None, route: "Uống", days: (5, 7) },
    MedicineRow { name: "Salbutamol 2mg", ingredient: "Salbutamol", strength: "2 mg", form: "Viên nén", unit: "viên", amount: "1", times: &[Morning, Noon, Evening], meals: Some(AfterMeals), route: "Uống", days: (5, 7) },
    MedicineRow { name: "Omeprazol 20mg", ingredient: "Omeprazol", strength: "20 mg", form: "Viên nang", unit: "viên", amount: "1", times: &[Morning, Evening], meals: Some(BeforeMeals), route: "Uống", days: (14, 28) },
    MedicineRow { name: "Oresol", ingredient: "Natri clorid, Kali clorid, Glucose", strength: "27,9 g", form: "Thuốc bột", unit: "gói", amount: "1", times: &[Morning, Noon, Afternoon, Evening], meals: None, route: "Uống", days: (2, 3) },
    MedicineRow { name: "Metformin 850mg", ingredient: "Metformin hydroclorid", strength: "850 mg", form: "Viên nén bao phim", unit: "viên", amount: "1", times: &[Morning, Evening], meals: Some(WithMeals), route: "Uống", days: (28, 30) },
    MedicineRow { name: "Gliclazid 30mg", ingredient: "Gliclazid", strength: "30 mg", form: "Viên nén giải phóng có kiểm soát", unit: "viên", amount: "1", times: &[Morning], meals: Some(BeforeMeals), route: "Uống", days: (28, 30) },
    MedicineRow { name: "Amlodipin 5mg", ingredient: "Amlodipin besilat", strength: "5 mg", form: "Viên nén", unit: "viên", amount: "1", times: &[Morning], meals: None, route: "Uống", days: (28, 30) },
    MedicineRow { name: "Losartan 50mg", ingredient: "Losartan kali", strength: "50 mg", form: "Viên nén bao phim", unit: "viên", amount: "1", times: &[Morning], meals: None, route: "Uống", days: (28, 30) },
    MedicineRow { name: "Atorvastatin 20mg", ingredient: "Atorvastatin", strength: "20 mg", form: "Viên nén bao phim", unit: "viên", amount: "1", times: &[Bedtime], meals: None, route: "Uống", days: (28, 30) },
    MedicineRow { name: "Meloxicam 7,5mg", ingredient: "Meloxicam", strength: "7,5 mg", form: "Viên nén", unit: "viên", amount: "1", times: &[Morning], meals: Some(AfterMeals), route: "Uống", days: (5, 10) },
    MedicineRow { name: "Vitamin C 500mg", ingredient: "Acid ascorbic", strength: "500 mg", form: "Viên nén", unit: "viên", amount: "1", times: &[Morning], meals: Some(AfterMeals), route: "Uống", days: (7, 10) },
    MedicineRow { name: "Hapacol 250", ingredient: "Paracetamol", strength: "250 mg", form: "Thuốc bột sủi", unit: "gói", amount: "1", times: &[Morning, Noon, Evening], meals: Some(AfterMeals), route: "Uống", days: (3, 3) },
    MedicineRow { name: "Siro ho Prospan", ingredient: "Cao lá thường xuân", strength: "0,7 g/100 ml", form: "Siro", unit: "ml", amount: "5", times: &[Morning, Noon, Evening], meals: None, route: "Uống", days: (5, 7) },
    MedicineRow { name: "Tobramycin 0,3%", ingredient: "Tobramycin", strength: "0,3%", form: "Dung dịch nhỏ mắt", unit: "giọt", amount: "1", times: &[Morning, Noon, Afternoon, Evening], meals: None, route: "Nhỏ mắt", days: (7, 7) },
];

/// ICD-10 code, Vietnamese text, medicines (indices into MEDICINES), for children too.
#[rustfmt::skip]
const DIAGNOSES: &[(&str, &str, &[usize], bool)] = &[
    ("J06.9", "Nhiễm trùng đường hô hấp trên cấp", &[0, 1, 3, 4], true),
    ("J02.9", "Viêm họng cấp", &[0, 2, 3], true),
    ("J20.9", "Viêm phế quản cấp", &[1, 5, 16, 0], true),
    ("A09", "Tiêu chảy và viêm dạ dày - ruột do nhiễm trùng", &[7, 0], true),
    ("R50.9", "Sốt, không đặc hiệu", &[15, 0], true),
    ("H10.9", "Viêm kết mạc", &[17, 4], true),
    ("K29.7", "Viêm dạ dày, không đặc hiệu", &[6, 14], false),
    ("M54.5", "Đau vùng thắt lưng", &[13, 0], false),
    ("I10", "Tăng huyết áp vô căn (nguyên phát)", &[10, 11], false),
    ("E11.9", "Bệnh đái tháo đường type 2 không có biến chứng", &[8, 9], false),
    ("E78.5", "Tăng lipid máu", &[12], false),
    ("L50.9", "Mày đay", &[4, 14], false),
];

const PRESCRIBER_CODES: &[&str] = &[
    "000123/TN-CCHN",
    "001457/TN-CCHN",
    "002981/TN-CCHN",
    "004410/TN-CCHN",
    "000872/BYT-CCHN",
];

fn build_prescription(
    rng: &mut SplitMix64,
    profile: &Profile,
    from: Date,
    to: Date,
    place: &Place,
) -> Prescription {
    let date = rng.date_between(from, to);
    let is_child = date.year() - profile.date_of_birth.year() < 12;
    let candidates: Vec<&(&str, &str, &[usize], bool)> =
        DIAGNOSES.iter().filter(|d| !is_child || d.3).collect();
    let main = *rng.pick(&candidates);
    let mut diagnoses = vec![Diagnosis {
        icd10: main.0.into(),
        text: main.1.into(),
    }];
    let mut medicine_rows: Vec<usize> = main.2.iter().copied().filter(|_| rng.chance(75)).collect();
    if medicine_rows.is_empty() {
        medicine_rows.push(main.2[0]);
    }
    if !is_child && rng.chance(25) {
        let second = *rng.pick(&candidates);
        if second.0 != main.0 {
            diagnoses.push(Diagnosis {
                icd10: second.0.into(),
                text: second.1.into(),
            });
            let extra: Vec<usize> = second
                .2
                .iter()
                .copied()
                .filter(|m| !medicine_rows.contains(m))
                .take(2)
                .collect();
            medicine_rows.extend(extra);
        }
    }
    let medicines: Vec<Medicine> = medicine_rows
        .iter()
        .map(|&i| medicine(rng, &MEDICINES[i]))
        .collect();
    let kind = match rng.below(200) {
        0 => PrescriptionKind::Narcotic,
        1 => PrescriptionKind::Psychotropic,
        2..=4 => PrescriptionKind::Traditional,
        _ => PrescriptionKind::Basic,
    };
    let (facility, facility_digits) = if rng.chance(45) {
        let (code, name) = *rng.pick(HOSPITALS);
        (
            Facility {
                code: Some(code.into()),
                name: name.into(),
            },
            format!("190{}", &code[4..]),
        )
    } else if rng.chance(50) {
        let f = place.district_centre();
        let digits = format!("19{}", f.code.as_deref().map(|c| &c[3..]).unwrap_or("000"));
        (f, digits)
    } else {
        let f = place.health_station();
        let digits = format!("19{}", f.code.as_deref().map(|c| &c[3..]).unwrap_or("000"));
        (f, digits)
    };
    let code = format!(
        "{facility_digits}{}{}-{}",
        char::from(b'A' + rng.below(26) as u8),
        rng.digits(6),
        kind.letter()
    );
    let longest = medicines
        .iter()
        .filter_map(|m| m.duration_days)
        .max()
        .unwrap_or(3);
    let prescriber_sex = if rng.chance(50) {
        Sex::Male
    } else {
        Sex::Female
    };
    Prescription {
        id: RecordId(String::new()),
        code,
        kind,
        issued_at: at(date, rng.between(7, 16) as u8, rng.between(0, 59) as u8),
        facility,
        prescriber: Prescriber {
            name: person_name(rng, prescriber_sex),
            practitioner_code: rng
                .chance(90)
                .then(|| rng.pick(PRESCRIBER_CODES).to_string()),
        },
        diagnoses,
        medicines,
        advice: rng.chance(35).then(|| {
            rng.pick(&[
                "Uống nhiều nước, nghỉ ngơi hợp lý",
                "Ăn nhạt, hạn chế rượu bia",
                "Tái khám ngay khi có dấu hiệu bất thường",
                "Uống thuốc đúng giờ, đủ liều",
            ])
            .to_string()
        }),
        re_examination_on: rng.chance(30).then(|| add_days(date, i64::from(longest))),
        recorded_by: origin(rng, date),
    }
}

fn medicine(rng: &mut SplitMix64, row: &MedicineRow) -> Medicine {
    let days = rng.between(row.days.0, row.days.1);
    let per_dose: u32 = row.amount.parse().unwrap_or(1);
    let times = row.times.len() as u32;
    let counted = row.unit != "ml" && row.unit != "giọt";
    Medicine {
        name: row.name.into(),
        active_ingredient: Some(row.ingredient.into()),
        strength: Some(row.strength.into()),
        form: Some(row.form.into()),
        quantity: counted.then_some(per_dose * times * days),
        unit: Some(row.unit.into()),
        dosage: Dosage {
            amount_per_dose: Some(row.amount.into()),
            times_per_day: Some(times),
            times_of_day: row.times.to_vec(),
            with_meals: row.meals,
            route: Some(row.route.into()),
            text: rng.chance(30).then(|| {
                format!(
                    "{} mỗi lần {} {}, ngày {} lần",
                    row.route, row.amount, row.unit, times
                )
            }),
        },
        duration_days: Some(days),
    }
}

/// A Bundle file of up to `max_bytes` made of `book`'s export and then its records
/// (Immunization, ImmunizationRecommendation, MedicationRequest entries) again and again, as a
/// broken or hostile tool might write: for the import's duplicate test and its benchmark.
/// Returns the text and how many times the records were repeated.
pub fn duplicated_records_file(book: &HealthBook, max_bytes: usize) -> (String, usize) {
    let exported = serde_json::to_value(crate::fhir::export_book(book)).unwrap_or_default();
    let entries: &[serde_json::Value] = exported["entry"].as_array().map_or(&[], Vec::as_slice);
    let is_record = |e: &&serde_json::Value| {
        [
            "Immunization",
            "ImmunizationRecommendation",
            "MedicationRequest",
        ]
        .contains(&e["resource"]["resourceType"].as_str().unwrap_or(""))
    };
    let copies: Vec<String> = entries
        .iter()
        .filter(is_record)
        .map(serde_json::Value::to_string)
        .collect();
    let mut all: Vec<String> = entries.iter().map(serde_json::Value::to_string).collect();
    const FRAME: &str = r#"{"resourceType":"Bundle","type":"collection","entry":[]}"#;
    let head = FRAME.len() + all.iter().map(|e| e.len() + 1).sum::<usize>();
    let one_round = copies.iter().map(|c| c.len() + 1).sum::<usize>().max(1);
    let rounds = max_bytes.saturating_sub(head) / one_round;
    for _ in 0..rounds {
        all.extend(copies.iter().cloned());
    }
    let text = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[{}]}}"#,
        all.join(",")
    );
    (text, rounds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_book_and_different_seed_differs() {
        let shape = BookShape::records(40);
        assert_eq!(book(7, &shape), book(7, &shape));
        assert_ne!(book(7, &shape), book(8, &shape));
    }

    #[test]
    fn records_gives_exactly_n() {
        for n in [0, 1, 5, 250] {
            let b = book(n as u64, &BookShape::records(n));
            assert_eq!(
                b.vaccinations.len() + b.prescriptions.len(),
                n,
                "records({n})"
            );
        }
    }

    #[test]
    fn adult_history_has_the_announced_volume() {
        let b = book(3, &BookShape::adult_with_history(40));
        assert_eq!(b.vaccinations.len(), 60);
        assert_eq!(b.prescriptions.len(), 400);
        let first = b.prescriptions.first().unwrap().issued_at.date();
        assert!(first.year() >= DEFAULT_AS_OF.year() - 40, "{first}");
    }

    #[test]
    fn books_have_distinct_citizen_ids() {
        let all = books(11, 500, &BookShape::records(5));
        let mut ids: Vec<&str> = all.iter().map(|b| b.citizen_id().as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 500);
    }

    #[test]
    fn citizen_id_agrees_with_birth_and_sex() {
        for seed in 0..200 {
            let b = book(seed, &BookShape::records(0));
            let p = &b.profile;
            assert!(
                p.citizen_id
                    .check_agreement(p.date_of_birth, p.sex)
                    .is_empty(),
                "{p:?}"
            );
        }
    }

    #[test]
    fn names_carry_diacritics_in_nfc() {
        let b = book(
            5,
            &BookShape::child(12).named("Nguyê\u{0303}n Thị Ngọc Ánh", Sex::Female),
        );
        assert_eq!(b.profile.full_name, NGUYEN_THI_NGOC_ANH);
        let all = books(1, 300, &BookShape::records(0));
        assert!(
            all.iter()
                .any(|b| b.profile.full_name.ends_with("Dũng")
                    || b.profile.full_name.ends_with("Ánh"))
        );
        assert!(all
            .iter()
            .all(|b| b.profile.full_name == crate::text::nfc(&b.profile.full_name)));
        assert!(all.iter().any(|b| b
            .profile
            .address
            .as_deref()
            .unwrap_or("")
            .contains("Định Hóa")));
    }

    #[test]
    fn records_stay_between_birth_and_as_of() {
        for seed in 0..20 {
            let b = book(seed, &BookShape::child(30));
            for v in &b.vaccinations {
                assert!(
                    v.date >= b.profile.date_of_birth && v.date <= DEFAULT_AS_OF,
                    "{v:?}"
                );
            }
            for p in &b.prescriptions {
                assert!(
                    p.issued_at.date() >= b.profile.date_of_birth
                        && p.issued_at.date() <= DEFAULT_AS_OF
                );
            }
        }
    }

    #[test]
    fn legacy_cards_carry_their_groups_default_level() {
        let mut legacy = 0;
        for b in books(3, 300, &BookShape::records(1)) {
            let Some(card) = b.profile.health_insurance else {
                continue;
            };
            let code = crate::ids::InsuranceCode::parse(&card.code).unwrap();
            if let (Some(group), Some(level)) = (code.beneficiary_group(), code.benefit_level()) {
                legacy += 1;
                assert_eq!(group.default_benefit_level(), level, "{}", card.code);
            }
        }
        assert!(legacy > 50, "{legacy}");
    }

    #[test]
    fn a_child_gets_programme_doses() {
        let b = book(1, &BookShape::child(24));
        assert!(b.vaccinations.len() >= 12, "{}", b.vaccinations.len());
        assert!(b
            .vaccinations
            .iter()
            .any(|v| v.vaccine.code == "DPT-VGB-Hib"));
    }

    #[test]
    fn addresses_are_real_nested_and_two_level_from_july_2025() {
        let (mut two_level, mut three_level) = (0, 0);
        for b in books(4, 300, &BookShape::records(0)) {
            let address = b.profile.address.clone().unwrap_or_default();
            let parts: Vec<&str> = address.split(", ").collect();
            assert_eq!(parts.last(), Some(&"Tỉnh Thái Nguyên"), "{address}");
            // The card's address as issued; without a card, as of the book's date.
            let written_on = b.profile.card_issued_on.unwrap_or(DEFAULT_AS_OF);
            let nested = DISTRICTS.iter().any(|d| {
                d.communes.iter().any(|c| {
                    c.villages.contains(&parts[0])
                        && if written_on >= TWO_LEVEL_ADDRESSES_SINCE {
                            parts.len() == 3 && parts[1] == format!("{} {}", c.became.0, c.became.1)
                        } else {
                            parts.len() == 4
                                && parts[1] == format!("{} {}", c.kind, c.name)
                                && parts[2] == format!("{} {}", d.kind, d.name)
                        }
                })
            });
            assert!(nested, "{address} written on {written_on}");
            if parts.len() == 3 {
                two_level += 1;
            } else {
                three_level += 1;
            }
        }
        assert!(
            two_level > 20 && three_level > 20,
            "{two_level} {three_level}"
        );
    }
}
