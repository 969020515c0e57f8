//! The text a family types or imports: availability patterns, time windows,
//! clock times, weekday sets, dates and curriculum files (CSV and TOML).
//! Nothing panics; what parses prints back to text that parses to the same.
#![no_main]

use brightpath_core::calendar::{Clock, Weekday, WeeklyAvailability, Window, parse_date};
use brightpath_core::services::curriculum::{self, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match which % 7 {
        0 => {
            if let Ok(a) = WeeklyAvailability::parse("hours", text) {
                let again = WeeklyAvailability::parse("hours", &a.to_string());
                assert_eq!(again.ok(), Some(a), "availability round trip");
            }
        }
        1 => {
            if let Ok(w) = Window::parse("window", text) {
                assert_eq!(Window::parse("window", &w.to_string()).ok(), Some(w));
            }
        }
        2 => {
            if let Ok(c) = Clock::parse("time", text) {
                assert_eq!(Clock::parse("time", &c.to_string()).ok(), Some(c));
            }
        }
        3 => {
            let _ = Weekday::parse_set("days", text);
        }
        4 => {
            let _ = parse_date("date", text);
        }
        5 => {
            let _ = curriculum::parse("fuzz.csv", Format::Csv, text);
        }
        _ => {
            let _ = curriculum::parse("fuzz.toml", Format::Toml, text);
        }
    }
});
