//! The person's standing facts ([`crate::sync::PROFILE_TYPES`]: allergies, problem-list conditions, the blood
//! group) in a sync. `$everything` brings them with the records; a search per record type lists
//! them with their own searches. A refresh learns their deletions as `plan::deletion_checks`
//! says: from each type's `_history` where the server reports one, otherwise by listing the
//! type whole again (a handful of resources, so a whole listing costs little).

use super::*;

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
}
