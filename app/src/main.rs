//! The release app: the library's shell with its later screens as split points (issue 17). Each
//! split point becomes a wasm module of its own (`scripts/wasm-split/wasm-bindgen` splits the
//! build), fetched the first time its screen opens. They live here, not in the library, so the
//! browser tests' wasm (the library, not split) has no split imports left unresolved.

use so_suc_khoe::routes::{later_views, LaterScreens, ScreenFuture, ScreenNotLoaded, ScreenView};

/// One split point per later screen, and the [`LaterScreens`] that loads each from its module.
macro_rules! split_points {
    ($($name:ident => $screen:path),* $(,)?) => {
        mod split {
            use super::*;
            $(
                // `fallible`: a module that cannot be fetched is an error the screen shows
                // (with a retry), not a panic that stops the whole app.
                #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
                pub fn $name() -> Result<ScreenView, ScreenNotLoaded> {
                    Ok(later_views::$name)
                }
            )*
        }

        fn later_screens() -> LaterScreens {
            LaterScreens {
                $($name: || -> ScreenFuture { Box::pin(split::$name()) },)*
            }
        }
    };
}

so_suc_khoe::later_screens!(split_points);

fn main() {
    so_suc_khoe::start_with(later_screens());
}
