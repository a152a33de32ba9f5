//! The app binary's wasm keeps the linker's relocations: `wasm-split-cli` reads them to move each
//! later screen's functions into a module of its own (issue 17, `scripts/wasm-split/`). Only the
//! app binary and only for wasm: the data worker, the library and its tests link as before.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=so-suc-khoe=--emit-relocs");
    }
}
