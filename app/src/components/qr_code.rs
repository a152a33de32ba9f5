use health_book::checkin::QrMatrix;
use leptos::prelude::*;

/// A QR symbol as crisp inline SVG, black on white whatever the theme, quiet zone included, scaled
/// to the width of its box. Built as DOM nodes from the module matrix (never as an HTML string).
#[component]
pub fn QrCode(
    matrix: QrMatrix,
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let n = matrix.size_with_quiet_zone();
    let view_box = format!("0 0 {n} {n}");
    view! {
        <svg
            class="qr-code"
            role="img"
            aria-label=move || label.get()
            data-testid=test_id
            data-version=matrix.version
            viewBox=view_box
            shape-rendering="crispEdges"
            xmlns="http://www.w3.org/2000/svg"
        >
            <rect width=n height=n fill="#ffffff" />
            <path fill="#000000" d=matrix.svg_path() />
        </svg>
    }
}
