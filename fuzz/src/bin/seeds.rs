//! Writes the starting corpus of each target from the core's own generators (the books the
//! e2e fixtures are made of), so the seeds follow the formats as they change.
//!
//! Usage: seeds <out-dir>  (writes <out-dir>/{bundle,card_qr,identifiers}/*)

use std::fs;
use std::path::{Path, PathBuf};

use health_book::checkin::{CheckInPayload, CheckInVariant};
use health_book::fhir::{export_book_json, export_books_json};
use health_book::generate::{self, BookShape};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join(name), bytes)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::args().nth(1).ok_or("usage: seeds <out-dir>")?);

    let bundles = out.join("bundle");
    let small = generate::book(21, &BookShape::records(2));
    let child = generate::book(22, &BookShape::child(3));
    write(&bundles, "adult.json", export_book_json(&small).as_bytes())?;
    write(&bundles, "child.json", export_book_json(&child).as_bytes())?;
    write(
        &bundles,
        "two-books.json",
        export_books_json(&[small, child]).as_bytes(),
    )?;

    let cards = out.join("card_qr");
    write(
        &cards,
        "full.txt",
        "001090123456|012345678|Nguyễn Văn A|01011990|Nam|Số 5 Phố Huế, Hà Nội|15042021".as_bytes(),
    )?;
    write(
        &cards,
        "no-old-id.txt",
        "019190001234||Nguyễn Thị Ngọc Ánh|05072019|Nữ||".as_bytes(),
    )?;
    for seed in 0..3 {
        let profile = generate::profile(seed, &BookShape::records(0));
        for (variant, name) in [
            (CheckInVariant::Full, "full"),
            (CheckInVariant::Minimal, "minimal"),
        ] {
            let payload = CheckInPayload::from_profile(&profile, variant)?;
            write(
                &cards,
                &format!("generated-{seed}-{name}.txt"),
                payload.encode().as_bytes(),
            )?;
        }
    }

    // The first byte picks the validator (see oracles::check_identifier).
    let ids = out.join("identifiers");
    let samples: [(u8, &str); 8] = [
        (0, "001090123456"),
        (0, "001 090 123 456"),
        (1, "DN4010123456789"),
        (1, "dn 4 01 0123456789"),
        (1, "0123456789"),
        (2, "012345678"),
        (3, "01234abcdefg-c"),
        (4, "Nguyễn 0012"),
    ];
    for (i, (which, text)) in samples.iter().enumerate() {
        let mut bytes = vec![*which];
        bytes.extend_from_slice(text.as_bytes());
        write(&ids, &format!("{i}.bin"), &bytes)?;
    }
    Ok(())
}
