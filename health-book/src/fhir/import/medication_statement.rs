//! A `MedicationStatement` (what an International Patient Summary lists as the person's
//! medicines) read as the `MedicationRequest` it stands for, so one mapping makes medicines and
//! prescriptions of both. Each statement becomes a prescription of its own: it carries no
//! prescription code to group by.

use super::*;

impl From<MedicationStatement> for MedicationRequest {
    fn from(s: MedicationStatement) -> MedicationRequest {
        // When the person started taking it stands for when it was prescribed; a summary often
        // gives only the month ("2015-03"), completed to its first day.
        let started = s
            .effective_date_time
            .or_else(|| s.effective_period.and_then(|p| p.start))
            .or(s.date_asserted)
            .map(|t| complete_partial_date(&t));
        MedicationRequest {
            id: s.id,
            extension: s.extension,
            identifier: s.identifier,
            status: s.status,
            intent: Some("order".into()),
            medication_codeable_concept: s.medication_codeable_concept,
            medication_reference: s.medication_reference,
            subject: s.subject,
            authored_on: started,
            reason_code: s.reason_code,
            note: s.note,
            dosage_instruction: s.dosage,
            ..MedicationRequest::default()
        }
    }
}

/// "2015" and "2015-03" to "2015-01-01" and "2015-03-01"; anything else as written.
fn complete_partial_date(text: &str) -> String {
    let text = text.trim();
    match ymd(text) {
        Some((y, None, _)) if text.len() == 4 => format!("{y:04}-01-01"),
        Some((y, Some(m), None)) if text.len() == 7 => format!("{y:04}-{m:02}-01"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_or_a_year_is_completed_to_its_first_day() {
        assert_eq!(complete_partial_date("2015-03"), "2015-03-01");
        assert_eq!(complete_partial_date("2015"), "2015-01-01");
        assert_eq!(complete_partial_date("2015-03-09"), "2015-03-09");
        assert_eq!(
            complete_partial_date("2015-03-09T08:00:00+07:00"),
            "2015-03-09T08:00:00+07:00"
        );
    }

    #[test]
    fn the_start_of_taking_it_is_the_date_and_the_dosage_carries_over() {
        let s: MedicationStatement = serde_json::from_value(serde_json::json!({
            "status": "active",
            "medicationCodeableConcept": { "text": "Metformin 500 mg" },
            "subject": { "reference": "Patient/p1" },
            "effectivePeriod": { "start": "2024-06" },
            "dateAsserted": "2025-01-02",
            "dosage": [{ "text": "1 tablet twice a day" }]
        }))
        .unwrap();
        let r = MedicationRequest::from(s);
        assert_eq!(r.authored_on.as_deref(), Some("2024-06-01"));
        assert_eq!(r.status.as_deref(), Some("active"));
        assert_eq!(
            r.dosage_instruction[0].text.as_deref(),
            Some("1 tablet twice a day")
        );
        assert_eq!(r.subject.unwrap().reference.as_deref(), Some("Patient/p1"));
    }
}
