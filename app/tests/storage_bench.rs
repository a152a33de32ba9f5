//! How the storage behaves with 500 books of 250 records each, in headless Chromium.
//!
//! Prints medians (not asserted: timings depend on the machine) as `BENCH name=value` lines, next
//! to a vanilla-JS IndexedDB baseline measured in the same run on the same database (plain
//! `getAll` and `JSON.parse`, no Rust): the ratio is what our typed layer costs. Ignored by the
//! test run (it takes half a minute and ~90 MB); `bench/run` runs it:
//! `CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=900 cargo test -p so-suc-khoe \
//!   --target wasm32-unknown-unknown --test storage_bench -- --include-ignored --nocapture`

use health_book::generate::{self, BookShape};
use health_book::HealthBook;
use so_suc_khoe::storage::{storage_estimate, BookStore};
use std::collections::HashSet;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// The baseline: what a hand-written JS page would do with the same stores (see storage/mod.rs for
// the schema: envelopes `{f, b}` with JSON text in `b`).
#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
function open(name) {
  return new Promise((ok, fail) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
}
function all(db, store, range) {
  return new Promise((ok, fail) => {
    const r = db.transaction(store, 'readonly').objectStore(store).getAll(range);
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
}
export async function jsListBooks(name) {
  const db = await open(name);
  const rows = await all(db, 'books');
  const out = rows.map((e) => {
    const h = JSON.parse(e.b);
    return { id: h.profile.citizen_id, name: h.profile.full_name };
  });
  db.close();
  return out.length;
}
export async function jsLoadBook(name, id) {
  const db = await open(name);
  const range = IDBKeyRange.bound([id], [id, []]);
  const [header, v, p] = await Promise.all([
    all(db, 'books', id), all(db, 'vaccinations', range), all(db, 'prescriptions', range),
  ]);
  const n = header.length + v.map((e) => JSON.parse(e.b)).length + p.map((e) => JSON.parse(e.b)).length;
  db.close();
  return n;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = jsListBooks)]
    async fn js_list_books(name: &str) -> wasm_bindgen::JsValue;
    #[wasm_bindgen(js_name = jsLoadBook)]
    async fn js_load_book(name: &str, id: &str) -> wasm_bindgen::JsValue;
}

const BOOKS: usize = 500;
const RECORDS: usize = 250;
const RUNS: usize = 7;
const CHUNK: usize = 20;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn report(name: &str, value: impl std::fmt::Display) {
    let line = format!("BENCH {name}={value}");
    console_log!("{line}");
}

async fn time_runs<F, Fut, T>(name: &str, mut run: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut samples = Vec::with_capacity(RUNS);
    let mut last = None;
    for _ in 0..RUNS {
        let start = now_ms();
        let out = run().await;
        samples.push(now_ms() - start);
        last = Some(out);
    }
    report(
        &format!("{name}_median_ms"),
        format!("{:.1}", median(samples.clone())),
    );
    report(
        &format!("{name}_min_max_ms"),
        format!(
            "{:.1}/{:.1}",
            samples.iter().copied().fold(f64::INFINITY, f64::min),
            samples.iter().copied().fold(0.0, f64::max)
        ),
    );
    last.expect("at least one run")
}

/// Wasm linear memory and (Chromium only) JS heap, in MiB.
fn report_memory(when: &str) {
    let wasm_bytes = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| b.byte_length())
                .unwrap_or(0)
        })
        .unwrap_or(0);
    report(
        &format!("{when}_wasm_memory_mib"),
        format!("{:.1}", f64::from(wasm_bytes) / 1048576.0),
    );
    let heap = web_sys::window()
        .and_then(|w| w.performance())
        .and_then(|p| js_sys::Reflect::get(&p, &"memory".into()).ok())
        .filter(|m| !m.is_undefined())
        .and_then(|m| js_sys::Reflect::get(&m, &"usedJSHeapSize".into()).ok())
        .and_then(|v| v.as_f64());
    match heap {
        Some(bytes) => report(
            &format!("{when}_js_heap_used_mib"),
            format!("{:.1}", bytes / 1048576.0),
        ),
        None => report(&format!("{when}_js_heap_used_mib"), "unavailable"),
    }
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: run by bench/run"]
async fn five_hundred_books_of_250_records() {
    let name = "bench-500x250";
    BookStore::delete_database(name).await.expect("clean");
    let store = BookStore::open_named(name).await.expect("open");

    report_memory("baseline");

    // Books are generated and saved a chunk at a time, so the generator's output never sits in
    // memory all at once and the memory numbers below are the storage's, not the fixture's.
    let shape = BookShape::records(RECORDS);
    let mut seen = HashSet::new();
    let mut target: Option<HealthBook> = None;
    let mut save_times = Vec::with_capacity(BOOKS);
    let mut records = 0;
    let start = now_ms();
    let mut chunk_seed = 20_260_115;
    while seen.len() < BOOKS {
        chunk_seed += 1;
        for book in generate::books(chunk_seed, CHUNK, &shape) {
            if seen.len() == BOOKS || !seen.insert(book.citizen_id().clone()) {
                continue;
            }
            records += book.vaccinations.len() + book.prescriptions.len();
            let t = now_ms();
            store.save_book(&book).await.expect("save");
            save_times.push(now_ms() - t);
            if seen.len() == BOOKS / 2 {
                target = Some(book);
            }
        }
    }
    let target = target.expect("a book in the middle");
    report(
        "seed_500_books_total_ms (generation included)",
        format!("{:.0}", now_ms() - start),
    );
    report(
        "save_one_book_median_ms",
        format!("{:.1}", median(save_times)),
    );
    report("records_total", records);
    assert_eq!(records, BOOKS * RECORDS);
    if let Ok(Some(estimate)) = storage_estimate().await {
        report(
            "storage_used_mib",
            format!("{:.1}", estimate.used_bytes as f64 / 1048576.0),
        );
    }
    report_memory("after_seeding");

    let js_count = time_runs("baseline_js_list_500_books", || async {
        js_list_books(name).await
    })
    .await;
    assert_eq!(js_count.as_f64(), Some(BOOKS as f64));
    let list = time_runs("list_500_books", || async {
        store.list_books().await.expect("list")
    })
    .await;
    assert_eq!(list.books.len(), BOOKS);
    assert!(list.skipped.is_empty());

    // A name fragment without diacritics, as the book list searches: list every summary, then
    // rank in memory with the core's Query (one measurement: list + in-memory search).
    let first_name: String = target
        .profile
        .full_name
        .split(' ')
        .next_back()
        .unwrap_or("a")
        .to_owned();
    let query = health_book::text::fold_for_search(&format!(
        "{} {}",
        target.profile.full_name.split(' ').next().unwrap_or(""),
        first_name
    ));
    let hits = time_runs("find_by_name", || async {
        store.list_books().await.expect("list").search(&query)
    })
    .await;
    assert!(
        hits.iter().any(|b| b.citizen_id == *target.citizen_id()),
        "{query} finds the book"
    );
    report("find_by_name_hits", hits.len());

    let by_id = target.citizen_id().as_str().to_owned();
    let found = time_runs("find_by_citizen_id", || async {
        store.list_books().await.expect("list").search(&by_id)
    })
    .await;
    assert_eq!(found.len(), 1);

    // Searching a list already in memory (search as you type).
    let mut in_memory = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = now_ms();
        let n = list.search(&query).len();
        in_memory.push(now_ms() - t);
        assert!(n >= 1);
    }
    report(
        "search_loaded_list_median_ms",
        format!("{:.2}", median(in_memory)),
    );

    let target_id = target.citizen_id().as_str().to_owned();
    let js_records = time_runs("baseline_js_load_one_book_250_records", || async {
        js_load_book(name, &target_id).await
    })
    .await;
    assert_eq!(js_records.as_f64(), Some((RECORDS + 1) as f64));
    let loaded = time_runs("load_one_book_250_records", || async {
        store
            .load_book(target.citizen_id())
            .await
            .expect("load")
            .expect("exists")
    })
    .await;
    assert_eq!(loaded.book, target);
    report_memory("after_list_search_load");

    // Holding every book in memory at once, as a worst case (the app loads one at a time).
    let start = now_ms();
    let mut all = Vec::with_capacity(BOOKS);
    for summary in &list.books {
        all.push(
            store
                .load_book(&summary.citizen_id)
                .await
                .expect("load")
                .expect("exists"),
        );
    }
    report("load_all_500_books_ms", format!("{:.0}", now_ms() - start));
    report_memory("holding_all_500_books");
    assert_eq!(all.len(), BOOKS);
    drop(all);

    store.close();
    BookStore::delete_database(name).await.expect("delete");
}

/// Encryption at rest: unlocking (PBKDF2 at the slot's 600,000 rounds, then the keys), and
/// opening the 40-year book (60 vaccinations, 400 prescriptions) encrypted against plain, in the
/// same run. The issue's target is encrypted within 1.3x of plain; printed, never asserted.
#[wasm_bindgen_test]
#[ignore = "a benchmark: run by bench/run"]
async fn unlock_and_the_40_year_book_encrypted_against_plain() {
    use health_book::device::DeviceMode;
    const PASSPHRASE: &str = "mật khẩu đo thời gian";
    let book = generate::book(40, &BookShape::adult_with_history(40));
    let id = book.citizen_id().clone();

    let mut opened = Vec::new();
    for (name, encrypted) in [("bench-open-plain", false), ("bench-open-sealed", true)] {
        BookStore::delete_database(name).await.expect("no leftover");
        let store = BookStore::open_named(name).await.expect("opens");
        store.save_book(&book).await.expect("saved");
        if encrypted {
            store
                .enable_encryption(DeviceMode::Shared, Some("Bench"), PASSPHRASE)
                .await
                .expect("encrypted");
        }
        let label = if encrypted { "encrypted" } else { "plain" };
        time_runs(&format!("save_40_year_book_{label}"), || {
            let store = store.clone();
            let book = book.clone();
            async move { store.save_book(&book).await.expect("saved") }
        })
        .await;
        let median_of = time_runs(&format!("open_40_year_book_{label}"), || {
            let store = store.clone();
            let id = id.clone();
            async move {
                let start = now_ms();
                let loaded = store.load_book(&id).await.expect("loads").expect("exists");
                assert_eq!(loaded.book.prescriptions.len(), 400);
                now_ms() - start
            }
        })
        .await;
        opened.push(median_of);
        if encrypted {
            time_runs("unlock_600k_pbkdf2", || {
                let store = store.clone();
                async move {
                    store.lock();
                    store.unlock(PASSPHRASE).await.expect("unlocks");
                }
            })
            .await;
        }
        store.close();
        BookStore::delete_database(name).await.expect("deleted");
    }
    report(
        "open_40_year_book_encrypted_over_plain_last_run",
        format!("{:.2}", opened[1] / opened[0]),
    );
}
