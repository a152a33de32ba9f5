//! The data worker's module (see `so_suc_khoe::worker`): Trunk builds this bin as a Web Worker
//! (`data-type="worker"`), loaded by the page on first use, never on the first screen.

fn main() {
    so_suc_khoe::worker::serve::run();
}
