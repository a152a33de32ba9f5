use leptos::prelude::*;

/// The few pictograms the app uses, drawn inline so they work offline and follow the text colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconKind {
    Home,
    Syringe,
    Pill,
    Qr,
    Gear,
    Book,
}

impl IconKind {
    fn path(self) -> &'static str {
        match self {
            IconKind::Home => "M3 11 12 3l9 8v10h-6v-6H9v6H3z",
            IconKind::Syringe => "M18 2l4 4-2 2-1-1-3 3 2 2-1.5 1.5-1-1L8 19H5v-3l6.5-6.5-1-1L12 7l2 2 3-3-1-1z M4 20l2-2",
            IconKind::Pill => "M4.9 12.7l7.8-7.8a4.6 4.6 0 0 1 6.5 6.5l-7.8 7.8a4.6 4.6 0 0 1-6.5-6.5zM8.5 9.1l6.4 6.4",
            IconKind::Qr => "M3 3h7v7H3zM14 3h7v7h-7zM3 14h7v7H3zM14 14h3v3h-3zM18 18h3v3h-3zM6 6h1v1H6zM17 6h1v1h-1zM6 17h1v1H6z",
            IconKind::Gear => "M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7zM19.4 13a7.5 7.5 0 0 0 0-2l2-1.6-2-3.4-2.4 1a7.4 7.4 0 0 0-1.7-1L15 3.5h-4l-.4 2.5a7.4 7.4 0 0 0-1.7 1l-2.4-1-2 3.4L6.6 11a7.5 7.5 0 0 0 0 2l-2 1.6 2 3.4 2.4-1c.5.4 1.1.8 1.7 1l.4 2.5h4l.4-2.5c.6-.2 1.2-.6 1.7-1l2.4 1 2-3.4z",
            IconKind::Book => "M4 4h10a4 4 0 0 1 4 4v12H8a4 4 0 0 1-4-4zM18 8h2v12h-2M8 8h6M8 12h6",
        }
    }
}

/// A decorative icon: hidden from screen readers, since every icon sits beside a text label.
#[component]
pub fn Icon(kind: IconKind) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=kind.path() />
        </svg>
    }
}
