//! A list and the item its address names, for screens whose routes nest the item under the list
//! (`/prescriptions` and `/prescriptions/:id`). On a tablet both sit side by side and choosing
//! another item keeps the list as it was (search, scroll, pages shown); on a phone one shows at a
//! time, as before. Either way the address names the item, so deep links, Back and offline work.

use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::use_location;

use crate::browser::side_by_side::use_side_by_side;

#[component]
pub fn ListAndDetail(
    /// The list's own address: any longer address names an item.
    list_path: &'static str,
    /// The list, with its screen title.
    #[prop(into)]
    list: ViewFn,
) -> impl IntoView {
    let side_by_side = use_side_by_side();
    let location = use_location();
    let chosen = Memo::new(move |_| {
        location
            .pathname
            .with(|path| path.trim_end_matches('/') != list_path)
    });
    // On a wide screen the list stays mounted; whether it shows beside the record is then the
    // style's to say, from the room there is in `rem` (200% text on a tablet shows one at a
    // time, as on a phone, and keeps the list as it was for when the text is smaller again).
    view! {
        <div class="list-and-detail-frame">
            <div class="list-and-detail" class:has-detail=move || chosen.get()>
                <Show when=move || side_by_side.get() || !chosen.get()>
                    <div class="list-pane">{list.run()}</div>
                </Show>
                <div class="detail-pane">
                    <Outlet />
                </div>
            </div>
        </div>
    }
}

/// `aria-current="page"` for the list row whose record the address names (`path`, without the
/// query), so the row of the record shown beside the list is marked, whatever the list's filters.
pub fn current_row(path: String) -> impl Fn() -> Option<&'static str> + Clone + Send + Sync {
    let location = use_location();
    move || location.pathname.with(|p| *p == path).then_some("page")
}
