//! Appointments and referrals in a sync's merge: the server's are marked as synced; those typed
//! in on this device (not vouched for by the server) are kept, as device records are.

use crate::model::{HealthBook, RecordOrigin};

pub(super) fn merge_care(
    incoming: &mut HealthBook,
    current: Option<&HealthBook>,
    synced: &RecordOrigin,
) {
    for a in &mut incoming.care.appointments {
        a.recorded_by = synced.clone();
    }
    for r in &mut incoming.care.referrals {
        r.recorded_by = synced.clone();
    }
    let Some(current) = current else {
        return;
    };
    let on_device = |origin: &RecordOrigin| matches!(origin, RecordOrigin::EnteredByStaff { .. });
    for a in &current.care.appointments {
        if on_device(&a.recorded_by) && !incoming.care.appointments.iter().any(|b| b.id == a.id) {
            incoming.care.appointments.push(a.clone());
        }
    }
    for r in &current.care.referrals {
        if on_device(&r.recorded_by) && !incoming.care.referrals.iter().any(|b| b.id == r.id) {
            incoming.care.referrals.push(r.clone());
        }
    }
}
