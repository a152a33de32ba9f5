//! What a FHIR server says it can do (its CapabilityStatement, `GET [base]/metadata`), reduced to
//! the questions the sync asks: can it give a person's whole record in one operation
//! (`Patient/$everything`), and can it report deletions (type-level `_history`)?

use serde_json::Value;
use thiserror::Error;

use super::SYNCED_TYPES;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CapabilityError {
    #[error("the answer is not JSON")]
    NotJson,
    #[error("the answer is not a CapabilityStatement")]
    NotCapabilityStatement { found: Option<String> },
    #[error("the server speaks FHIR {found}, not R4")]
    NotR4 { found: String },
}

/// One resource type as the server offers it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResourceSupport {
    pub resource_type: String,
    pub interactions: Vec<String>,
    pub search_params: Vec<String>,
    pub operations: Vec<String>,
}

impl ResourceSupport {
    pub fn has_interaction(&self, code: &str) -> bool {
        self.interactions.iter().any(|i| i == code)
    }
}

/// The parts of a CapabilityStatement the sync uses, and what the connection test shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Capabilities {
    pub fhir_version: Option<String>,
    pub software_name: Option<String>,
    pub software_version: Option<String>,
    /// System-level interactions (`transaction`, `history-system`, ...).
    pub system_interactions: Vec<String>,
    pub resources: Vec<ResourceSupport>,
}

impl Capabilities {
    /// Reads a CapabilityStatement. Only the `server` rest block counts. A statement without
    /// `fhirVersion` is taken as R4 (the address is an R4 base); another major version is refused.
    pub fn parse(bytes: &[u8]) -> Result<Capabilities, CapabilityError> {
        let root: Value = serde_json::from_slice(bytes).map_err(|_| CapabilityError::NotJson)?;
        let resource_type = root.get("resourceType").and_then(Value::as_str);
        if resource_type != Some("CapabilityStatement") {
            return Err(CapabilityError::NotCapabilityStatement {
                found: resource_type.map(str::to_string),
            });
        }
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
        let fhir_version = text(&root, "fhirVersion");
        if let Some(version) = &fhir_version {
            if !version.starts_with("4.0") {
                return Err(CapabilityError::NotR4 {
                    found: version.clone(),
                });
            }
        }
        let software = root.get("software");
        let codes = |v: Option<&Value>, key: &str| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|items| items.iter().filter_map(|i| text(i, key)).collect())
                .unwrap_or_default()
        };
        let rest = root
            .get("rest")
            .and_then(Value::as_array)
            .and_then(|blocks| {
                blocks
                    .iter()
                    .find(|b| b.get("mode").and_then(Value::as_str) == Some("server"))
            });
        let resources = rest
            .and_then(|r| r.get("resource"))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|r| {
                        Some(ResourceSupport {
                            resource_type: text(r, "type")?,
                            interactions: codes(r.get("interaction"), "code"),
                            search_params: codes(r.get("searchParam"), "name"),
                            operations: r
                                .get("operation")
                                .and_then(Value::as_array)
                                .map(|ops| {
                                    ops.iter()
                                        .flat_map(|op| {
                                            // Named "everything", or defined by the standard
                                            // OperationDefinition whatever the local name.
                                            let mut names: Vec<String> =
                                                text(op, "name").into_iter().collect();
                                            if let Some(def) = text(op, "definition") {
                                                if let Some(tail) = def.rsplit('/').next() {
                                                    if let Some(name) = tail.split('|').next() {
                                                        names.push(name.to_string());
                                                    }
                                                }
                                            }
                                            names
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Capabilities {
            fhir_version,
            software_name: software.and_then(|s| text(s, "name")),
            software_version: software.and_then(|s| text(s, "version")),
            system_interactions: codes(rest.and_then(|r| r.get("interaction")), "code"),
            resources,
        })
    }

    pub fn resource(&self, resource_type: &str) -> Option<&ResourceSupport> {
        self.resources
            .iter()
            .find(|r| r.resource_type == resource_type)
    }

    /// `Patient/[id]/$everything` is offered.
    pub fn patient_everything(&self) -> bool {
        self.resource("Patient").is_some_and(|p| {
            p.operations
                .iter()
                .any(|o| o == "everything" || o == "$everything" || o == "Patient-everything")
        })
    }

    /// Deletions of `resource_type` can be learnt from a `_history` (type or system level).
    pub fn reports_deletions_of(&self, resource_type: &str) -> bool {
        self.resource(resource_type)
            .is_some_and(|r| r.has_interaction("history-type"))
    }

    /// Every record type the book syncs can report its deletions: refresh can be incremental.
    pub fn incremental_refresh(&self) -> bool {
        SYNCED_TYPES.iter().all(|t| self.reports_deletions_of(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statement(patient_ops: Value, history: bool) -> Vec<u8> {
        let interactions = if history {
            json!([{ "code": "read" }, { "code": "search-type" }, { "code": "history-type" }])
        } else {
            json!([{ "code": "read" }, { "code": "search-type" }])
        };
        let resource = |t: &str| json!({ "type": t, "interaction": interactions, "searchParam": [{ "name": "patient", "type": "reference" }] });
        let mut patient = resource("Patient");
        patient["operation"] = patient_ops;
        json!({
            "resourceType": "CapabilityStatement",
            "fhirVersion": "4.0.1",
            "software": { "name": "HAPI FHIR Server", "version": "7.2.0" },
            "rest": [
                { "mode": "client", "resource": [{ "type": "Patient", "operation": [{ "name": "everything" }] }] },
                { "mode": "server", "interaction": [{ "code": "transaction" }], "resource": [
                    patient, resource("Immunization"), resource("ImmunizationRecommendation"), resource("MedicationRequest"),
                ] }
            ]
        })
        .to_string()
        .into_bytes()
    }

    #[test]
    fn everything_is_found_by_name_or_by_its_standard_definition() {
        let by_name =
            Capabilities::parse(&statement(json!([{ "name": "everything" }]), true)).unwrap();
        assert!(by_name.patient_everything());
        let by_definition = Capabilities::parse(&statement(
            json!([{ "name": "patient-all", "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything|4.0.1" }]),
            true,
        ))
        .unwrap();
        assert!(by_definition.patient_everything());
        let none = Capabilities::parse(&statement(json!([{ "name": "match" }]), true)).unwrap();
        assert!(!none.patient_everything());
    }

    #[test]
    fn only_the_server_block_counts() {
        let caps = Capabilities::parse(&statement(json!([]), false)).unwrap();
        assert!(
            !caps.patient_everything(),
            "the client block's $everything must not count"
        );
        assert_eq!(caps.software_name.as_deref(), Some("HAPI FHIR Server"));
        assert_eq!(caps.system_interactions, vec!["transaction".to_string()]);
        assert_eq!(
            caps.resource("Immunization").unwrap().search_params,
            vec!["patient".to_string()]
        );
    }

    #[test]
    fn incremental_refresh_needs_history_for_every_synced_type() {
        assert!(Capabilities::parse(&statement(json!([]), true))
            .unwrap()
            .incremental_refresh());
        assert!(!Capabilities::parse(&statement(json!([]), false))
            .unwrap()
            .incremental_refresh());
        let mut partial = Capabilities::parse(&statement(json!([]), true)).unwrap();
        partial
            .resources
            .retain(|r| r.resource_type != "MedicationRequest");
        assert!(!partial.incremental_refresh());
    }

    #[test]
    fn other_answers_are_refused_with_what_they_were() {
        assert_eq!(
            Capabilities::parse(b"<html>"),
            Err(CapabilityError::NotJson)
        );
        assert_eq!(
            Capabilities::parse(br#"{"resourceType":"OperationOutcome"}"#),
            Err(CapabilityError::NotCapabilityStatement {
                found: Some("OperationOutcome".into())
            })
        );
        assert_eq!(
            Capabilities::parse(br#"{"resourceType":"CapabilityStatement","fhirVersion":"3.0.2"}"#),
            Err(CapabilityError::NotR4 {
                found: "3.0.2".into()
            })
        );
        // No version stated, no rest block: usable, offering nothing special.
        let bare = Capabilities::parse(br#"{"resourceType":"CapabilityStatement"}"#).unwrap();
        assert!(!bare.patient_everything() && !bare.incremental_refresh());
    }
}
