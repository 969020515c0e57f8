//! Roster files as a co-op admin's system exports them, or worse: a CSV file
//! of any kind beside a valid manifest, or the bytes as a zip. Nothing
//! panics, and every problem names a file.
#![no_main]

use brightpath_core::services::roster::{Files, Limits, Source, oneroster};
use libfuzzer_sys::fuzz_target;

const NAMES: &[&str] = &[
    "users.csv", "enrollments.csv", "classes.csv", "orgs.csv", "academicSessions.csv",
    "courses.csv", "roles.csv", "manifest.csv", "class_meetings.csv", "family_time_zones.csv",
];
const MANIFEST: &[u8] = b"propertyName,value\noneroster.version,1.2\nfile.users,bulk\nfile.enrollments,delta\nfile.classes,bulk\nfile.orgs,bulk\nfile.academicSessions,bulk\nfile.courses,bulk\nfile.roles,bulk\n";

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let limits = Limits { total_bytes: 1 << 20, max_ratio: 50, row_bytes: 4096, sort_bytes: 4096 };
    if which == 255 {
        // As a zip: refused or read, never a panic, never more than the cap
        // (read whole, and streamed as an import reads it).
        if let Ok(files) = oneroster::source::read_zip(rest, "fuzz", &limits) {
            let total: usize = files.files.values().map(Vec::len).sum();
            assert!(total as u64 <= limits.total_bytes);
        }
        if let Ok(opened) = Source::Zip(rest.to_vec()).open(&limits) {
            let _ = oneroster::parse(&opened, &limits);
        }
        return;
    }
    let mut files = Files::default();
    files.files.insert("manifest.csv".into(), MANIFEST.to_vec());
    files.files.insert(NAMES[usize::from(which) % NAMES.len()].into(), rest.to_vec());
    let parsed = oneroster::parse(&files.into(), &limits);
    assert!(parsed.problems.iter().all(|p| !p.file.is_empty() && !p.fix.is_empty()));
});
