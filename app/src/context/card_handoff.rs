//! A citizen ID handed from the card scan to "Add from the health system", in memory only: in
//! the address (`?citizen_id=`) it would stay in a shared tablet's history for the next patient
//! to find. The receiving screen takes it once, so it never outlives the hand-off.

use health_book::CitizenId;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct CardHandoff(RwSignal<Option<CitizenId>>);

impl CardHandoff {
    /// The scan screen leaves the card's ID for the next screen.
    pub fn hand(&self, id: CitizenId) {
        self.0.set(Some(id));
    }

    /// The add-from-the-health-system screen takes it (and it is gone).
    pub fn take(&self) -> Option<CitizenId> {
        let mut taken = None;
        self.0.update(|held| taken = held.take());
        taken
    }
}

pub fn provide_card_handoff() -> CardHandoff {
    let handoff = CardHandoff(RwSignal::new(None));
    provide_context(handoff);
    handoff
}

pub fn use_card_handoff() -> CardHandoff {
    expect_context::<CardHandoff>()
}
