//! Property tests of the text parsers people and scripts feed: they never
//! panic, and what they accept prints back to the same value.

use brightpath_core::calendar::{
    Clock, Weekday, WeeklyAvailability, Window, parse_date, parse_week, parse_windows,
};
use brightpath_core::services::curriculum::{Format, parse};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn calendar_parsers_never_panic(text in "\\PC{0,60}") {
        let _ = WeeklyAvailability::parse("f", &text);
        let _ = Window::parse("f", &text);
        let _ = parse_windows("f", &text);
        let _ = parse_week("f", &text);
        let _ = parse_date("f", &text);
        let _ = Weekday::parse_set("f", &text);
        let _ = Clock::parse("f", &text);
    }

    #[test]
    fn near_miss_availability_never_panics(
        days in "(mon|tue|wed|thu|fri|sat|sun|weekdays|[a-z]{1,4})(-(mon|fri|sun))?",
        h1 in 0u32..30, m1 in 0u32..70, h2 in 0u32..30, m2 in 0u32..70,
    ) {
        let text = format!("{days} {h1:02}:{m1:02}-{h2:02}:{m2:02}");
        if let Ok(a) = WeeklyAvailability::parse("f", &text) {
            for ws in a.0.values() {
                for w in ws {
                    prop_assert!(w.start < w.end && w.end.0 <= 1440);
                }
            }
        }
    }

    #[test]
    fn availability_round_trips(
        spans in proptest::collection::btree_map(0usize..7, (0u16..280, 1u16..8, 0u16..40, 1u16..8), 1..7)
    ) {
        // Two non-overlapping windows per chosen day, on the 5-minute grid.
        let mut map = std::collections::BTreeMap::new();
        for (d, (a, len1, gap, len2)) in spans {
            let s1 = a * 5;
            let e1 = s1 + len1 * 5;
            let s2 = e1 + gap * 5;
            let e2 = (s2 + len2 * 5).min(1440);
            let mut ws = vec![Window { start: Clock(s1), end: Clock(e1) }];
            if s2 < e2 && s2 > e1 {
                ws.push(Window { start: Clock(s2), end: Clock(e2) });
            }
            map.insert(Weekday::ALL[d], ws);
        }
        let a = WeeklyAvailability(map);
        let back = WeeklyAvailability::parse("f", &a.to_string()).expect("own output parses");
        prop_assert_eq!(back, a);
    }

    #[test]
    fn curriculum_parsers_never_panic(text in "\\PC{0,200}") {
        let _ = parse("f.csv", Format::Csv, &text);
        let _ = parse("f.toml", Format::Toml, &text);
    }

    #[test]
    fn csv_rows_are_kept_in_order(titles in proptest::collection::vec("[A-Za-z][A-Za-z ]{0,20}", 1..30), minutes in 1u32..600) {
        let mut text = String::from("title,minutes\n");
        for t in &titles {
            text.push_str(&format!("\"{t}\",{minutes}\n"));
        }
        let (_, rows) = parse("f.csv", Format::Csv, &text).expect("valid CSV");
        let got: Vec<String> = rows.iter().map(|r| r.title.clone()).collect();
        let want: Vec<String> = titles.iter().map(|t| t.trim().to_string()).collect();
        prop_assert_eq!(got, want);
    }
}
