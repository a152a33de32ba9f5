//! Running a device-lock action from a form: one at a time, and a failure shown as its sentence.

use std::future::Future;

use leptos::prelude::*;

use crate::i18n::errors::vault_error_msg;
use crate::i18n::Msg;
use crate::storage::VaultError;

/// Starts `action` unless one is running (`busy`); clears `problem` first and, if the action
/// fails, sets it to the sentence for the failure. Nothing stored is lost by any failure.
pub fn run_vault_action<F>(busy: RwSignal<bool>, problem: RwSignal<Option<Msg>>, action: F)
where
    F: Future<Output = Result<(), VaultError>> + 'static,
{
    if busy.get_untracked() {
        return;
    }
    busy.set(true);
    problem.set(None);
    leptos::task::spawn_local(async move {
        let result = action.await;
        busy.set(false);
        if let Err(error) = result {
            problem.set(Some(vault_error_msg(
                &error,
                time::OffsetDateTime::now_utc(),
            )));
        }
    });
}
