//! The data worker: a second wasm module, run in a Web Worker, for the work that brings data in.
//!
//! Kept out of the first load on purpose (issue 17): the code and tables of that work are large
//! and only needed on first use. It reads QR codes with rqrr where the browser has no
//! `BarcodeDetector` (rqrr's Galois-field tables alone are 128 KB that do not compress), and
//! reads FHIR files (the page never links the FHIR reader for a file, nor holds its bytes). Trunk
//! builds it from `src/bin/data-worker.rs` (`data-type="worker"` in index.html) into the unhashed
//! files `data-worker_loader.js`, `data-worker.js` and `data-worker_bg.wasm`, which the service
//! worker precaches with the rest of the build.
//!
//! - `protocol`: the typed messages both sides exchange;
//! - `serve`: the worker's side (the page's side is `crate::browser::data_worker`), dispatching
//!   each request to its capability's file;
//! - `qr`: QR codes in a camera frame;
//! - `import`: a FHIR file read, mapped and checked, its books handed back in pieces;
//! - `sync`: the sync with a FHIR server (fetch, parse, map), reporting its progress.

pub mod import;
pub mod protocol;
pub mod qr;
pub mod serve;
pub mod sync;
