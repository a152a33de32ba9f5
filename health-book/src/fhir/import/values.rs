//! Small readers: FHIR values (identifiers, names, codings, quantities, dosages, extensions,
//! dates) to model values.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::macros::offset;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use super::*;
use crate::device::DeviceMode;
use crate::fhir::export::{
    blood_group_code, device_mode_code, meal_code, origin_kind, time_of_day_code,
};
use crate::model::{
    self, BookSource, Diagnosis, MealRelation, Provenance, RecordOrigin, TimeOfDay,
};
use crate::tables::vaccines;

pub(super) fn identifier_value(identifiers: &[Identifier], system: &str) -> Option<String> {
    identifiers
        .iter()
        .find(|i| i.system.as_deref() == Some(system))
        .and_then(|i| i.value.clone())
}

/// A name as people write it: `text`, or family then given names (Vietnamese order).
pub(super) fn name_text(name: &HumanName) -> String {
    match &name.text {
        Some(text) => text.clone(),
        None => name
            .family
            .iter()
            .chain(name.given.iter())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

pub(super) fn concept_text(cc: &CodeableConcept) -> Option<String> {
    cc.text
        .clone()
        .or_else(|| cc.coding.iter().find_map(|c| c.display.clone()))
        .or_else(|| cc.coding.iter().find_map(|c| c.code.clone()))
}

pub(super) fn concept_coding(cc: &CodeableConcept) -> Option<model::Coding> {
    match cc.coding.first() {
        Some(c) => {
            let code = c.code.clone().unwrap_or_default();
            let display = c
                .display
                .clone()
                .or_else(|| cc.text.clone())
                .unwrap_or_else(|| code.clone());
            Some(model::Coding {
                system: c.system.clone(),
                code,
                display,
            })
        }
        None => cc.text.clone().map(|t| model::Coding {
            system: None,
            code: t.clone(),
            display: t,
        }),
    }
}

pub(super) fn vaccine_coding(cc: &CodeableConcept) -> Option<model::Coding> {
    if cc.coding.is_empty() {
        // Text only: recognise it in the vaccine table when possible.
        let text = cc.text.clone()?;
        let probe = model::Coding {
            system: None,
            code: String::new(),
            display: text.clone(),
        };
        return Some(
            vaccines::find(&probe)
                .map(|v| v.coding())
                .unwrap_or(model::Coding {
                    system: None,
                    code: text.clone(),
                    display: text,
                }),
        );
    }
    // Several codings (a register code beside a brand, say): the first one the vaccine table or
    // its aliases recognise, else the first as written.
    let recognised = cc.coding.iter().position(|c| {
        vaccines::find(&model::Coding {
            system: c.system.clone(),
            code: c.code.clone().unwrap_or_default(),
            display: c.display.clone().unwrap_or_default(),
        })
        .is_some()
    });
    match recognised {
        Some(i) if i > 0 => concept_coding(&CodeableConcept {
            coding: cc.coding[i..].to_vec(),
            ..cc.clone()
        }),
        _ => concept_coding(cc),
    }
}

pub(super) fn diagnosis(cc: &CodeableConcept) -> Option<Diagnosis> {
    let coding = cc
        .coding
        .iter()
        .find(|c| c.system.as_deref() == Some(ICD10_SYSTEM))
        .or_else(|| cc.coding.first());
    match coding {
        Some(c) => Some(Diagnosis {
            icd10: c.code.clone().unwrap_or_default(),
            text: c
                .display
                .clone()
                .or_else(|| cc.text.clone())
                .unwrap_or_default(),
        }),
        None => cc.text.clone().map(|text| Diagnosis {
            icd10: String::new(),
            text,
        }),
    }
}

pub(super) fn positive_int(value: Option<&Value>, text: Option<&str>) -> Option<u32> {
    value
        .and_then(|v| v.as_u64())
        .and_then(|n| u32::try_from(n).ok())
        .or_else(|| text?.trim().parse().ok())
}

pub(super) fn number_u32(n: &serde_json::Number) -> Option<u32> {
    if let Some(u) = n.as_u64() {
        return u32::try_from(u).ok();
    }
    let f = n.as_f64()?;
    (f >= 0.0 && f.fract() == 0.0 && f <= f64::from(u32::MAX)).then_some(f as u32)
}

/// A duration quantity in whole days (days or weeks).
pub(super) fn days(q: &Quantity) -> Option<u32> {
    let n = number_u32(q.value.as_ref()?)?;
    match q.code.as_deref().or(q.unit.as_deref()).unwrap_or("d") {
        "d" | "day" | "days" | "ngày" => Some(n),
        "wk" | "week" | "weeks" | "tuần" => n.checked_mul(7),
        _ => None,
    }
}

pub(super) fn model_dosage(d: &Dosage) -> model::Dosage {
    let repeat = d.timing.as_ref().and_then(|t| t.repeat.as_ref());
    let per_day = repeat.is_some_and(|r| {
        r.period.as_ref().and_then(number_u32).unwrap_or(1) == 1
            && r.period_unit.as_deref().unwrap_or("d") == "d"
    });
    let times_per_day = repeat
        .and_then(|r| r.frequency.as_ref())
        .and_then(|f| f.as_u64())
        .and_then(|n| u32::try_from(n).ok())
        .filter(|_| per_day);
    let when: &[String] = repeat.map(|r| r.when.as_slice()).unwrap_or(&[]);
    let times_of_day = when.iter().filter_map(|w| time_of_day(w)).collect();
    let with_meals = when.iter().find_map(|w| meal(w));
    let amount = d
        .extension
        .iter()
        .find(|e| e.url == ext::DOSE_AMOUNT)
        .and_then(|e| e.value_string.clone())
        .or_else(|| {
            d.dose_and_rate
                .first()
                .and_then(|r| r.dose_quantity.as_ref())
                .and_then(|q| q.value.as_ref())
                .map(|n| n.to_string())
        });
    model::Dosage {
        amount_per_dose: amount,
        times_per_day,
        times_of_day,
        with_meals,
        route: d.route.as_ref().and_then(concept_text),
        text: d.text.clone(),
    }
}

pub(super) fn time_of_day(code: &str) -> Option<TimeOfDay> {
    [
        TimeOfDay::Morning,
        TimeOfDay::Noon,
        TimeOfDay::Afternoon,
        TimeOfDay::Evening,
        TimeOfDay::Bedtime,
    ]
    .into_iter()
    .find(|t| time_of_day_code(*t) == code)
}

pub(super) fn meal(code: &str) -> Option<MealRelation> {
    match code {
        "ACM" | "ACD" | "ACV" => Some(MealRelation::BeforeMeals),
        "PCM" | "PCD" | "PCV" => Some(MealRelation::AfterMeals),
        "CM" | "CD" | "CV" => Some(MealRelation::WithMeals),
        _ => [
            MealRelation::BeforeMeals,
            MealRelation::AfterMeals,
            MealRelation::WithMeals,
        ]
        .into_iter()
        .find(|m| meal_code(*m) == code),
    }
}

pub(super) fn blood_group(code: &str) -> Option<model::BloodGroup> {
    use model::BloodGroup::*;
    [
        APositive, ANegative, BPositive, BNegative, AbPositive, AbNegative, OPositive, ONegative,
    ]
    .into_iter()
    .find(|b| blood_group_code(*b) == code)
}

pub(super) fn part<'a>(e: &'a Extension, url: &str) -> Option<&'a Extension> {
    e.extension.iter().find(|p| p.url == url)
}

pub(super) fn record_origin(e: &Extension) -> Option<RecordOrigin> {
    let kind = part(e, "kind")?.value_code.as_deref()?;
    let origin = match kind {
        "synced" => RecordOrigin::Synced {
            source: part(e, "source")
                .and_then(|p| p.value_uri.clone().or_else(|| p.value_string.clone()))
                .unwrap_or_default(),
        },
        "imported" => RecordOrigin::Imported,
        "entered-by-staff" => RecordOrigin::EnteredByStaff {
            staff: part(e, "staff").and_then(|p| p.value_string.clone()),
            device: part(e, "device")
                .and_then(|p| p.value_code.as_deref())
                .and_then(device_mode),
            at: at(e)?,
        },
        "self-reported" => RecordOrigin::SelfReported { at: at(e)? },
        _ => return None,
    };
    debug_assert_eq!(origin_kind(&origin), kind);
    Some(origin)
}

fn at(e: &Extension) -> Option<time::OffsetDateTime> {
    part(e, "at")
        .and_then(|p| p.value_date_time.as_deref())
        .and_then(parse_instant)
}

fn device_mode(code: &str) -> Option<DeviceMode> {
    [DeviceMode::Shared, DeviceMode::Personal]
        .into_iter()
        .find(|m| device_mode_code(*m) == code)
}

pub(super) fn provenance(e: &Extension) -> Option<Provenance> {
    let text = |url: &str| {
        part(e, url).and_then(|p| p.value_string.clone().or_else(|| p.value_uri.clone()))
    };
    let stamp = |url: &str| {
        part(e, url)
            .and_then(|p| p.value_date_time.as_deref())
            .and_then(parse_instant)
    };
    let source = match part(e, "source-kind")?.value_code.as_deref()? {
        "server" => BookSource::Server {
            base_url: text("base-url").unwrap_or_default(),
            patient_id: text("patient-id").unwrap_or_default(),
        },
        "imported" => BookSource::Imported {
            file_name: text("file-name"),
        },
        "entered-on-device" => BookSource::EnteredOnDevice,
        _ => return None,
    };
    Some(Provenance {
        source,
        source_updated_at: stamp("source-updated-at"),
        source_version: text("source-version"),
        last_synced_at: stamp("last-synced-at"),
    })
}

pub(super) fn ymd(text: &str) -> Option<(i32, Option<u8>, Option<u8>)> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let s = b.get(r)?;
        if s.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(s).ok()?.parse().ok()
        } else {
            None
        }
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    match b.len() {
        4 => Some((year, None, None)),
        7 if b[4] == b'-' => Some((year, Some(digits(5..7)? as u8), None)),
        n if n >= 10 && b[4] == b'-' && b[7] == b'-' && (n == 10 || b[10] == b'T') => {
            Some((year, Some(digits(5..7)? as u8), Some(digits(8..10)? as u8)))
        }
        _ => None,
    }
}

/// `YYYY-MM-DD`, or the date part of a dateTime as written (its own time zone).
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let (y, m, d) = ymd(text.trim())?;
    Date::from_calendar_date(y, Month::try_from(m?).ok()?, d?).ok()
}

/// A birth date, completing "1950" and "1950-03" to the first day (elderly people often have no
/// recorded day); the flag says it was completed.
pub(super) fn parse_birth_date(text: &str) -> Option<(Date, bool)> {
    let (y, m, d) = ymd(text.trim())?;
    let date =
        Date::from_calendar_date(y, Month::try_from(m.unwrap_or(1)).ok()?, d.unwrap_or(1)).ok()?;
    Some((date, d.is_none()))
}

/// An RFC 3339 instant; a bare date is midnight in Vietnam.
pub(crate) fn parse_instant(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    OffsetDateTime::parse(text, &Rfc3339).ok().or_else(|| {
        let date = parse_date(text).filter(|_| text.len() == 10)?;
        Some(PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(offset!(+7)))
    })
}
