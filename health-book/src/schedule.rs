//! Where a person stands against the vaccination schedule, and their history grouped by disease.
//!
//! - [`childhood_schedule`]: every dose of the national childhood programme with its status
//!   (done, due, overdue, not yet due, not recorded), matching recorded vaccinations to the table
//!   in `tables::schedule` by series and dose order. A dose fills a slot only if its vaccine
//!   counts for the slot's series and its date fits the slot's window (a 5-in-1 at two months is
//!   never the hepatitis B birth dose). A combination dose counts for every series it covers (a
//!   5-in-1 dose is a DPT, a hepatitis B and a Hib dose). Phase-in rows due before the
//!   programme started them, and rows for the other sex (HPV for girls), are left out for that
//!   child. A phase-in dose not in the book is never called overdue: the programme may not
//!   have reached the child's province ([`DoseStatus::DependsOnRollout`]).
//! - [`next_doses`]: for adults and anything outside the table, the next dose each record itself
//!   announced (`next_dose_due`), unless a later dose of the same series was recorded.
//! - [`by_disease`]: the history grouped by the disease each dose protects against.

use std::collections::BTreeMap;

use time::Date;

use crate::calendar::add_days;
use crate::model::{Coding, Sex, Vaccination};
use crate::tables::schedule::{AgeOffset, ScheduleRow, CHILDHOOD_SCHEDULE};
use crate::tables::vaccines::{self, Disease, Series};
use crate::text::fold_for_search;

/// How long after its due date an announced next dose counts as due rather than overdue
/// [uncertain: a project choice, not a programme rule].
pub const NEXT_DOSE_GRACE_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DoseStatus {
    /// Given on this date.
    Done(Date),
    /// Due now: from the recommended date until the last day before it is overdue.
    Due { from: Date, until: Date },
    /// Not given and late since this date.
    Overdue { since: Date },
    /// Not due yet; due from this date.
    NotYetDue { from: Date },
    /// Nothing in the book fills the slot and its window has closed (the hepatitis B birth dose
    /// after the first day): the book cannot tell whether it was given, and a later dose does
    /// not stand in for it.
    NotRecorded { window_closed: Date },
    /// A phase-in dose not in the book, due since `from` where the programme has reached the
    /// child's province: the book cannot tell whether it has (issue 12), so it is not overdue.
    DependsOnRollout { from: Date },
}

/// One dose of the childhood schedule for one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledDose {
    pub row: &'static ScheduleRow,
    /// First date the dose counts.
    pub earliest: Date,
    /// Recommended date.
    pub due: Date,
    /// Last day the dose is on time.
    pub until: Date,
    pub status: DoseStatus,
    /// Index in the vaccinations passed in of the record that fulfilled this dose.
    pub vaccination: Option<usize>,
}

fn at_age(date_of_birth: Date, age: AgeOffset) -> Date {
    age.from_birth(date_of_birth)
}

/// The series a recorded vaccination counts toward, from the vaccine table.
pub fn series_of(vaccination: &Vaccination) -> &'static [Series] {
    vaccines::find(&vaccination.vaccine)
        .map(|v| v.series)
        .unwrap_or(&[])
}

/// Every dose of the childhood programme for a child of `sex` born on `date_of_birth`, in table
/// order.
pub fn childhood_schedule(
    date_of_birth: Date,
    sex: Sex,
    today: Date,
    vaccinations: &[Vaccination],
) -> Vec<ScheduledDose> {
    // Per series, the recorded doses in date order; two records of one series on the same day
    // are one dose (a duplicate entry, or two records of a combined visit).
    let mut given: BTreeMap<Series, Vec<(Date, usize)>> = BTreeMap::new();
    for (i, v) in vaccinations.iter().enumerate() {
        for &series in series_of(v) {
            given.entry(series).or_default().push((v.date, i));
        }
    }
    for doses in given.values_mut() {
        doses.sort();
        doses.dedup_by_key(|(date, _)| *date);
    }

    let mut previous_done: BTreeMap<Series, Date> = BTreeMap::new();
    // Per series, the first recorded dose not yet used or passed over.
    let mut cursor: BTreeMap<Series, usize> = BTreeMap::new();
    let mut rows: Vec<&'static ScheduleRow> = CHILDHOOD_SCHEDULE
        .iter()
        .filter(|r| r.applies_to(date_of_birth, sex))
        .collect();
    // Dose order within a series decides which record fills which row.
    rows.sort_by_key(|r| (r.series, r.dose));
    let mut out: Vec<ScheduledDose> = Vec::with_capacity(rows.len());
    for row in rows {
        let age_earliest = at_age(date_of_birth, row.earliest);
        let age_due = at_age(date_of_birth, row.due);
        let age_until = add_days(at_age(date_of_birth, row.overdue_after), -1);
        let (earliest, due, until) = match previous_done.get(&row.series) {
            Some(&prev) if row.min_days_after_previous > 0 => {
                let after_gap = add_days(prev, i64::from(row.min_days_after_previous));
                let shift = (after_gap - age_due).whole_days().max(0);
                (
                    age_earliest.max(after_gap),
                    add_days(age_due, shift),
                    add_days(age_until, shift),
                )
            }
            _ => (age_earliest, age_due, age_until),
        };
        let latest = row.latest.map(|age| at_age(date_of_birth, age));
        let record = fill_slot(
            given.get(&row.series).map(Vec::as_slice).unwrap_or(&[]),
            cursor.entry(row.series).or_default(),
            earliest,
            latest,
        );
        let status = match (record, latest) {
            (Some((date, _)), _) => {
                previous_done.insert(row.series, date);
                DoseStatus::Done(date)
            }
            (None, Some(last)) if today > last => DoseStatus::NotRecorded {
                window_closed: add_days(last, 1),
            },
            (None, _) if today < due => DoseStatus::NotYetDue { from: due },
            (None, _) if row.phase_in.is_some() => DoseStatus::DependsOnRollout { from: due },
            (None, _) if today <= until => DoseStatus::Due { from: due, until },
            (None, _) => DoseStatus::Overdue {
                since: add_days(until, 1),
            },
        };
        out.push(ScheduledDose {
            row,
            earliest,
            due,
            until,
            status,
            vaccination: record.map(|(_, i)| i),
        });
    }
    // Back to the table's order (by due age), which is the order screens show.
    out.sort_by_key(|d| {
        CHILDHOOD_SCHEDULE
            .iter()
            .position(|r| std::ptr::eq(r, d.row))
    });
    out
}

/// The recorded dose that fills a slot open from `earliest` to `latest` (inclusive), from the
/// series' doses in date order starting at `cursor`. A dose too early for the slot counts for no
/// slot and is passed over; a dose too late for it is left for the next slot.
fn fill_slot(
    doses: &[(Date, usize)],
    cursor: &mut usize,
    earliest: Date,
    latest: Option<Date>,
) -> Option<(Date, usize)> {
    while doses.get(*cursor).is_some_and(|(date, _)| *date < earliest) {
        *cursor += 1;
    }
    let &(date, i) = doses.get(*cursor)?;
    if latest.is_some_and(|last| date > last) {
        return None;
    }
    *cursor += 1;
    Some((date, i))
}

/// A next dose a record announced and no later record fulfilled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextDose {
    /// Index of the record that announced it.
    pub vaccination: usize,
    pub vaccine: Coding,
    /// The dose number it will be, when the announcing record had one.
    pub dose_number: Option<u32>,
    pub status: DoseStatus,
}

/// Open next doses from the records' own `next_dose_due`, soonest first. A record's announcement
/// is closed by any later record of the same series (or of the same vaccine, when the vaccine is
/// not in the table).
pub fn next_doses(vaccinations: &[Vaccination], today: Date) -> Vec<NextDose> {
    let key = |v: &Vaccination| -> Vec<String> {
        let series = series_of(v);
        if series.is_empty() {
            vec![format!("code:{}", fold_for_search(&v.vaccine.code))]
        } else {
            series.iter().map(|s| format!("series:{s:?}")).collect()
        }
    };
    let mut out: Vec<NextDose> = Vec::new();
    for (i, v) in vaccinations.iter().enumerate() {
        let Some(due) = v.next_dose_due else { continue };
        let keys = key(v);
        let fulfilled = vaccinations
            .iter()
            .enumerate()
            .any(|(j, w)| j != i && (w.date > v.date) && key(w).iter().any(|k| keys.contains(k)));
        if fulfilled {
            continue;
        }
        let until = add_days(due, NEXT_DOSE_GRACE_DAYS);
        let status = if today < due {
            DoseStatus::NotYetDue { from: due }
        } else if today <= until {
            DoseStatus::Due { from: due, until }
        } else {
            DoseStatus::Overdue {
                since: add_days(until, 1),
            }
        };
        out.push(NextDose {
            vaccination: i,
            vaccine: v.vaccine.clone(),
            dose_number: v.dose_number.map(|n| n + 1),
            status,
        });
    }
    out.sort_by_key(|n| match n.status {
        DoseStatus::NotYetDue { from }
        | DoseStatus::Due { from, .. }
        | DoseStatus::DependsOnRollout { from } => from,
        DoseStatus::Overdue { since } => since,
        DoseStatus::Done(d) => d,
        DoseStatus::NotRecorded { window_closed } => window_closed,
    });
    out
}

/// What a group of the "by disease" view is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiseaseKey {
    Known(Disease),
    /// A disease the tables do not know, as the record coded it; or, when a record names no
    /// disease and its vaccine is unknown, the vaccine itself.
    Other(Coding),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiseaseHistory {
    pub disease: DiseaseKey,
    /// In date order.
    pub doses: Vec<DoseInHistory>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoseInHistory {
    /// Index in the vaccinations passed in.
    pub vaccination: usize,
    /// This is dose `k` against the disease, counting from 1 in date order.
    pub k: u32,
    /// The dose number and series size the record itself carries ("dose 2 of 3" of its vaccine).
    pub recorded_dose: Option<u32>,
    pub recorded_series_doses: Option<u32>,
}

/// The history grouped by disease: known diseases in table order, then others by first date. A
/// dose appears under every disease it protects against.
pub fn by_disease(vaccinations: &[Vaccination]) -> Vec<DiseaseHistory> {
    let mut order: Vec<usize> = (0..vaccinations.len()).collect();
    order.sort_by_key(|&i| vaccinations[i].date);
    let mut known: BTreeMap<Disease, Vec<usize>> = BTreeMap::new();
    let mut other: Vec<(Coding, String, Vec<usize>)> = Vec::new();
    for i in order {
        let v = &vaccinations[i];
        let mut diseases: Vec<Disease> = vaccines::find(&v.vaccine)
            .map(|x| x.diseases.to_vec())
            .unwrap_or_default();
        let mut unknown: Vec<&Coding> = Vec::new();
        for coding in &v.target_diseases {
            match Disease::from_coding(coding) {
                Some(d) if !diseases.contains(&d) => diseases.push(d),
                Some(_) => {}
                None => unknown.push(coding),
            }
        }
        if diseases.is_empty() && unknown.is_empty() {
            unknown.push(&v.vaccine);
        }
        for d in diseases {
            known.entry(d).or_default().push(i);
        }
        for coding in unknown {
            let folded = fold_for_search(if coding.display.trim().is_empty() {
                &coding.code
            } else {
                &coding.display
            });
            match other.iter_mut().find(|(_, key, _)| *key == folded) {
                Some((_, _, list)) => list.push(i),
                None => other.push((coding.clone(), folded, vec![i])),
            }
        }
    }
    let doses = |list: Vec<usize>| -> Vec<DoseInHistory> {
        list.into_iter()
            .enumerate()
            .map(|(k, i)| DoseInHistory {
                vaccination: i,
                k: k as u32 + 1,
                recorded_dose: vaccinations[i].dose_number,
                recorded_series_doses: vaccinations[i].series_doses,
            })
            .collect()
    };
    let mut out: Vec<DiseaseHistory> = known
        .into_iter()
        .map(|(d, list)| DiseaseHistory {
            disease: DiseaseKey::Known(d),
            doses: doses(list),
        })
        .collect();
    out.extend(other.into_iter().map(|(c, _, list)| DiseaseHistory {
        disease: DiseaseKey::Other(c),
        doses: doses(list),
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RecordId, RecordOrigin};
    use time::macros::date;

    fn dose(code: &str, date: Date) -> Vaccination {
        let coding = vaccines::by_code(code)
            .map(|v| v.coding())
            .unwrap_or(Coding {
                system: None,
                code: code.into(),
                display: code.into(),
            });
        Vaccination {
            id: RecordId(format!("{code}-{date}")),
            vaccine: coding,
            target_diseases: vec![],
            dose_number: None,
            series_doses: None,
            date,
            lot_number: None,
            manufacturer: None,
            facility: None,
            administered_by: None,
            next_dose_due: None,
            recorded_by: RecordOrigin::Imported,
        }
    }

    fn status_of(schedule: &[ScheduledDose], series: Series, n: u32) -> DoseStatus {
        schedule
            .iter()
            .find(|d| d.row.series == series && d.row.dose == n)
            .map(|d| d.status)
            .unwrap()
    }

    const DOB: Date = date!(2025 - 03 - 10);

    #[test]
    fn newborn_with_nothing_recorded() {
        let s = childhood_schedule(DOB, Sex::Male, DOB, &[]);
        // Issue 12 added phase-ins: pneumococcal started in 2026, after this child's doses were due;
        // HPV is for girls.
        let offered = CHILDHOOD_SCHEDULE
            .iter()
            .filter(|r| !matches!(r.series, Series::Pneumococcal | Series::Hpv))
            .count();
        assert_eq!(s.len(), offered);
        assert_eq!(
            status_of(&s, Series::HepatitisB, 1),
            DoseStatus::Due {
                from: DOB,
                until: DOB
            }
        );
        assert_eq!(
            status_of(&s, Series::Bcg, 1),
            DoseStatus::Due {
                from: DOB,
                until: date!(2025 - 04 - 09)
            }
        );
        assert_eq!(
            status_of(&s, Series::Dtp, 1),
            DoseStatus::NotYetDue {
                from: date!(2025 - 05 - 10)
            }
        );
        // The next day the birth dose is late.
        let s = childhood_schedule(DOB, Sex::Male, date!(2025 - 03 - 11), &[]);
        assert_eq!(
            status_of(&s, Series::HepatitisB, 1),
            DoseStatus::Overdue {
                since: date!(2025 - 03 - 11)
            }
        );
    }

    #[test]
    fn five_in_one_counts_for_dpt_hepatitis_b_and_hib() {
        let records = vec![
            dose("VGB", DOB),
            dose("BCG", date!(2025 - 03 - 15)),
            dose("DPT-VGB-Hib", date!(2025 - 05 - 12)),
            dose("bOPV", date!(2025 - 05 - 12)),
        ];
        let today = date!(2025 - 06 - 20);
        let s = childhood_schedule(DOB, Sex::Male, today, &records);
        assert_eq!(status_of(&s, Series::HepatitisB, 1), DoseStatus::Done(DOB));
        assert_eq!(
            status_of(&s, Series::HepatitisB, 2),
            DoseStatus::Done(date!(2025 - 05 - 12))
        );
        assert_eq!(
            status_of(&s, Series::Dtp, 1),
            DoseStatus::Done(date!(2025 - 05 - 12))
        );
        assert_eq!(
            status_of(&s, Series::Hib, 1),
            DoseStatus::Done(date!(2025 - 05 - 12))
        );
        assert_eq!(
            status_of(&s, Series::OralPolio, 1),
            DoseStatus::Done(date!(2025 - 05 - 12))
        );
        // Dose 2 due at 3 months (10 June), on time until the day before 4 months.
        assert_eq!(
            status_of(&s, Series::Dtp, 2),
            DoseStatus::Due {
                from: date!(2025 - 06 - 10),
                until: date!(2025 - 07 - 09)
            }
        );
        let matched = s
            .iter()
            .find(|d| d.row.series == Series::Hib && d.row.dose == 1)
            .unwrap();
        assert_eq!(matched.vaccination, Some(2));
    }

    #[test]
    fn a_late_dose_moves_the_next_one() {
        // First 5-in-1 at 3.5 months: the second cannot be before 28 days later.
        let records = vec![dose("DPT-VGB-Hib", date!(2025 - 06 - 25))];
        let s = childhood_schedule(DOB, Sex::Male, date!(2025 - 07 - 01), &records);
        let second = s
            .iter()
            .find(|d| d.row.series == Series::Dtp && d.row.dose == 2)
            .unwrap();
        assert_eq!(second.earliest, date!(2025 - 07 - 23));
        assert_eq!(second.due, date!(2025 - 07 - 23));
        assert_eq!(
            second.status,
            DoseStatus::NotYetDue {
                from: date!(2025 - 07 - 23)
            }
        );
        assert_eq!(second.until, date!(2025 - 08 - 21));
    }

    #[test]
    fn same_day_duplicates_count_once_and_doses_fill_in_date_order() {
        let records = vec![
            dose("VNNB", date!(2026 - 03 - 20)),
            dose("VNNB", date!(2026 - 03 - 12)),
            dose("VNNB", date!(2026 - 03 - 12)),
        ];
        let s = childhood_schedule(DOB, Sex::Male, date!(2026 - 04 - 01), &records);
        assert_eq!(
            status_of(&s, Series::JapaneseEncephalitis, 1),
            DoseStatus::Done(date!(2026 - 03 - 12))
        );
        assert_eq!(
            status_of(&s, Series::JapaneseEncephalitis, 2),
            DoseStatus::Done(date!(2026 - 03 - 20))
        );
        assert!(matches!(
            status_of(&s, Series::JapaneseEncephalitis, 3),
            DoseStatus::NotYetDue { .. }
        ));
    }

    #[test]
    fn a_five_in_one_at_two_months_never_fills_the_birth_dose() {
        let records = vec![dose("DPT-VGB-Hib", date!(2025 - 05 - 12))];
        let s = childhood_schedule(DOB, Sex::Male, date!(2025 - 06 - 01), &records);
        let birth = s
            .iter()
            .find(|d| d.row.series == Series::HepatitisB && d.row.dose == 1)
            .unwrap();
        assert_eq!(birth.vaccination, None);
        assert_eq!(
            birth.status,
            DoseStatus::NotRecorded {
                window_closed: date!(2025 - 03 - 12)
            }
        );
        // The 5-in-1 is the second hepatitis B dose, as in the programme.
        assert_eq!(
            status_of(&s, Series::HepatitisB, 2),
            DoseStatus::Done(date!(2025 - 05 - 12))
        );
        // A birth dose given the day after birth is still within 24 hours.
        let s = childhood_schedule(
            DOB,
            Sex::Male,
            date!(2025 - 03 - 20),
            &[dose("VGB", date!(2025 - 03 - 11))],
        );
        assert_eq!(
            status_of(&s, Series::HepatitisB, 1),
            DoseStatus::Done(date!(2025 - 03 - 11))
        );
        // A hepatitis B dose on day 3 is late for the birth slot and too early for the second.
        let s = childhood_schedule(
            DOB,
            Sex::Male,
            date!(2025 - 03 - 20),
            &[dose("VGB", date!(2025 - 03 - 13))],
        );
        assert!(matches!(
            status_of(&s, Series::HepatitisB, 1),
            DoseStatus::NotRecorded { .. }
        ));
        assert!(matches!(
            status_of(&s, Series::HepatitisB, 2),
            DoseStatus::NotYetDue { .. }
        ));
    }

    #[test]
    fn a_dose_fills_a_slot_only_within_its_age_window() {
        // DPT given at 5 weeks is too early to count as the first dose (earliest 6 weeks).
        let records = vec![
            dose("DPT-VGB-Hib", date!(2025 - 04 - 14)),
            dose("DPT-VGB-Hib", date!(2025 - 05 - 12)),
        ];
        let s = childhood_schedule(DOB, Sex::Male, date!(2025 - 05 - 20), &records);
        let first = s
            .iter()
            .find(|d| d.row.series == Series::Dtp && d.row.dose == 1)
            .unwrap();
        assert_eq!(first.vaccination, Some(1));
        assert!(matches!(
            status_of(&s, Series::Dtp, 2),
            DoseStatus::NotYetDue { .. }
        ));
        // Oral rotavirus past 8 months no longer fills its slots.
        let s = childhood_schedule(
            DOB,
            Sex::Male,
            date!(2026 - 01 - 01),
            &[dose("ROTA", date!(2025 - 12 - 01))],
        );
        assert!(matches!(
            status_of(&s, Series::Rotavirus, 1),
            DoseStatus::NotRecorded { .. }
        ));
    }

    #[test]
    fn phase_ins_apply_to_children_due_after_they_started() {
        let born_2023 =
            childhood_schedule(date!(2023 - 01 - 10), Sex::Male, date!(2025 - 01 - 10), &[]);
        assert!(born_2023
            .iter()
            .all(|d| !matches!(d.row.series, Series::Rotavirus | Series::Pneumococcal)));
        let born_2026 = date!(2026 - 01 - 05);
        let s = childhood_schedule(born_2026, Sex::Male, born_2026, &[]);
        let pcv: Vec<_> = s
            .iter()
            .filter(|d| d.row.series == Series::Pneumococcal)
            .collect();
        assert_eq!(pcv.len(), 3);
        assert!(pcv.iter().all(|d| d.row.phase_in.is_some()));
        let td = s.iter().find(|d| d.row.series == Series::Td).unwrap();
        assert_eq!(
            td.status,
            DoseStatus::NotYetDue {
                from: date!(2033 - 01 - 05)
            }
        );
    }

    #[test]
    fn an_unknown_vaccine_stays_in_the_history() {
        let records = vec![
            dose("VGB", DOB),
            dose("Vắc xin lạ XYZ", date!(2025 - 04 - 01)),
        ];
        let s = childhood_schedule(DOB, Sex::Male, date!(2025 - 04 - 02), &records);
        assert!(s.iter().all(|d| d.vaccination != Some(1)));
        let groups = by_disease(&records);
        assert!(groups.iter().any(|g| matches!(
            &g.disease,
            DiseaseKey::Other(c) if c.code == "Vắc xin lạ XYZ"
        ) && g.doses.iter().any(|d| d.vaccination == 1)));
    }

    #[test]
    fn overdue_measles_at_thirteen_months() {
        let s = childhood_schedule(DOB, Sex::Male, date!(2026 - 04 - 15), &[]);
        assert_eq!(
            status_of(&s, Series::Measles, 1),
            DoseStatus::Overdue {
                since: date!(2026 - 03 - 10)
            }
        );
    }

    #[test]
    fn generated_child_is_mostly_done() {
        let b = crate::generate::book(9, &crate::generate::BookShape::child(30));
        let s = childhood_schedule(
            b.profile.date_of_birth,
            b.profile.sex,
            crate::generate::DEFAULT_AS_OF,
            &b.vaccinations,
        );
        // Issue 12 added the Td booster at 7 years: only doses due by now are counted.
        let s: Vec<ScheduledDose> = s
            .into_iter()
            .filter(|d| !matches!(d.status, DoseStatus::NotYetDue { .. }))
            .collect();
        let done = s
            .iter()
            .filter(|d| matches!(d.status, DoseStatus::Done(_)))
            .count();
        let missing: Vec<_> = s
            .iter()
            .filter(|d| !matches!(d.status, DoseStatus::Done(_)))
            .map(|d| (d.row.series, d.row.dose, d.status))
            .collect();
        assert!(done >= s.len() - 4, "{done} of {}: {missing:?}", s.len());
    }

    #[test]
    fn next_doses_from_records() {
        let mut first = dose("VGB-NL", date!(2025 - 01 - 10));
        first.next_dose_due = Some(date!(2025 - 02 - 10));
        first.dose_number = Some(1);
        let mut second = dose("VGB-NL", date!(2025 - 02 - 12));
        second.next_dose_due = Some(date!(2025 - 07 - 10));
        second.dose_number = Some(2);
        let mut rabies = dose("DAI", date!(2025 - 06 - 01));
        rabies.next_dose_due = Some(date!(2025 - 06 - 04));
        let records = vec![first, second, rabies];
        let open = next_doses(&records, date!(2025 - 06 - 20));
        assert_eq!(open.len(), 2, "{open:?}");
        assert_eq!(open[0].vaccination, 2);
        assert_eq!(
            open[0].status,
            DoseStatus::Due {
                from: date!(2025 - 06 - 04),
                until: date!(2025 - 07 - 04)
            }
        );
        assert_eq!(open[1].vaccination, 1);
        assert_eq!(open[1].dose_number, Some(3));
        assert_eq!(
            open[1].status,
            DoseStatus::NotYetDue {
                from: date!(2025 - 07 - 10)
            }
        );
        let later = next_doses(&records, date!(2025 - 09 - 01));
        assert!(
            matches!(later[0].status, DoseStatus::Overdue { since } if since == date!(2025 - 07 - 05))
        );
    }

    #[test]
    fn by_disease_counts_doses_per_disease() {
        let mut unknown = dose("XYZ", date!(2024 - 01 - 01));
        unknown.target_diseases = vec![Coding {
            system: None,
            code: "A75".into(),
            display: "Sốt xuất huyết".into(),
        }];
        let records = vec![
            dose("DPT-VGB-Hib", date!(2025 - 05 - 12)),
            dose("VGB", DOB),
            unknown,
            dose("MR", date!(2026 - 09 - 10)),
        ];
        let groups = by_disease(&records);
        let hep_b = groups
            .iter()
            .find(|g| g.disease == DiseaseKey::Known(Disease::HepatitisB))
            .unwrap();
        assert_eq!(
            hep_b
                .doses
                .iter()
                .map(|d| (d.vaccination, d.k))
                .collect::<Vec<_>>(),
            vec![(1, 1), (0, 2)]
        );
        let measles = groups
            .iter()
            .find(|g| g.disease == DiseaseKey::Known(Disease::Measles))
            .unwrap();
        assert_eq!(measles.doses.len(), 1);
        assert!(groups
            .iter()
            .any(|g| g.disease == DiseaseKey::Known(Disease::Rubella)));
        assert!(matches!(&groups.last().unwrap().disease, DiseaseKey::Other(c) if c.code == "A75"));
        // Known diseases come in table order.
        let known: Vec<Disease> = groups
            .iter()
            .filter_map(|g| match g.disease {
                DiseaseKey::Known(d) => Some(d),
                DiseaseKey::Other(_) => None,
            })
            .collect();
        let mut sorted = known.clone();
        sorted.sort();
        assert_eq!(known, sorted);
    }

    #[test]
    fn a_phase_in_dose_not_in_the_book_depends_on_the_rollout_never_overdue() {
        // Born in January 2026: rotavirus and pneumococcal were being rolled out.
        let born = date!(2026 - 01 - 05);
        let today = date!(2026 - 09 - 01);
        let s = childhood_schedule(
            born,
            Sex::Male,
            today,
            &[dose("ROTA", date!(2026 - 03 - 06))],
        );
        assert_eq!(
            status_of(&s, Series::Rotavirus, 1),
            DoseStatus::Done(date!(2026 - 03 - 06))
        );
        assert_eq!(
            status_of(&s, Series::Rotavirus, 2),
            DoseStatus::DependsOnRollout {
                from: date!(2026 - 04 - 05)
            }
        );
        for n in 1..=3 {
            assert!(matches!(
                status_of(&s, Series::Pneumococcal, n),
                DoseStatus::DependsOnRollout { .. }
            ));
        }
        // A nationwide dose of the same visit is overdue.
        assert!(matches!(
            status_of(&s, Series::Dtp, 1),
            DoseStatus::Overdue { .. }
        ));
        // Before it is due, a phase-in dose is not yet due like any other.
        let s = childhood_schedule(born, Sex::Male, born, &[]);
        assert!(matches!(
            status_of(&s, Series::Pneumococcal, 1),
            DoseStatus::NotYetDue { .. }
        ));
    }

    #[test]
    fn hpv_is_in_a_girl_s_schedule_only() {
        let born = date!(2016 - 05 - 01);
        let today = date!(2027 - 06 - 01);
        let girl = childhood_schedule(born, Sex::Female, today, &[]);
        assert_eq!(
            status_of(&girl, Series::Hpv, 1),
            DoseStatus::DependsOnRollout {
                from: date!(2027 - 05 - 01)
            }
        );
        let boy = childhood_schedule(born, Sex::Male, today, &[]);
        assert!(boy.iter().all(|d| d.row.series != Series::Hpv));
        let given = childhood_schedule(
            born,
            Sex::Female,
            today,
            &[dose("HPV", date!(2027 - 05 - 20))],
        );
        assert_eq!(
            status_of(&given, Series::Hpv, 1),
            DoseStatus::Done(date!(2027 - 05 - 20))
        );
    }
}
