//! The person's standing facts ([`PROFILE_TYPES`]: allergies, problem-list conditions, the blood
//! group) in a sync. `$everything` brings them with the records; a search per record type lists
//! them with their own searches. A refresh learns their deletions from each type's `_history`
//! where the server reports one, and otherwise lists the type whole again and replaces what the
//! device held of it: they are a handful of resources, so a whole listing costs little.

use super::*;
use crate::sync::PROFILE_TYPES;

impl<T: Transport> Syncer<'_, T> {
    /// Lists the standing facts when records are searched per type (`since`: only changes).
    pub(super) async fn fetch_profile_facts(
        &self,
        source: RecordSource,
        since: Option<&str>,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        if source != RecordSource::SearchPerType {
            return Ok(());
        }
        for url in plan::profile_urls(&self.base_url, &snapshot.patient_id, since) {
            self.each_page(url, Phase::FetchingRecords, run, |page, run| {
                keep_own(snapshot, page, run)
            })
            .await?;
        }
        Ok(())
    }

    /// Deletions of the standing facts since the last sync: by `_history` where the server
    /// reports it for the type, else by listing the type whole and replacing the device's copy.
    pub(super) async fn apply_profile_deletions(
        &self,
        capabilities: &Capabilities,
        since: &str,
        snapshot: &mut ServerSnapshot,
        run: &mut Run,
    ) -> Result<(), SyncError> {
        let patient_id = snapshot.patient_id.clone();
        let whole_listings = plan::profile_urls(&self.base_url, &patient_id, None);
        for (resource_type, whole) in PROFILE_TYPES.into_iter().zip(whole_listings) {
            if capabilities.reports_deletions_of(resource_type) {
                self.apply_deletions_of(resource_type, since, snapshot, run)
                    .await?;
                continue;
            }
            let mut listed = ServerSnapshot::new(&self.base_url, &patient_id, snapshot.synced_at);
            self.each_page(whole, Phase::CheckingDeletions, run, |page, run| {
                keep_own(&mut listed, page, run)
            })
            .await?;
            let prefix = format!("{resource_type}/");
            // A Condition a record points at (a diagnosis) stays: the records' references are
            // fetched and pruned on their own.
            let referenced = referenced_keys(snapshot);
            snapshot
                .resources
                .retain(|key, _| !key.starts_with(&prefix) || referenced.contains(key));
            for (_, resource) in listed.resources {
                snapshot.upsert(resource);
            }
        }
        Ok(())
    }
}
