//! Day names and clock times.

/// A day of the week; `Day as usize` is its calendar index (mon = 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
pub const ALL_DAYS: [Day; 7] = [
    Day::Mon,
    Day::Tue,
    Day::Wed,
    Day::Thu,
    Day::Fri,
    Day::Sat,
    Day::Sun,
];

impl Day {
    pub fn name(self) -> &'static str {
        DAY_NAMES[self as usize]
    }
    pub fn from_name(name: &str) -> Option<Day> {
        DAY_NAMES
            .iter()
            .position(|d| *d == name)
            .map(|i| ALL_DAYS[i])
    }
    pub fn index(self) -> usize {
        self as usize
    }
    /// A day written by a person: its short name (`mon`) or its full English
    /// name (`Monday`), in any case, spaces around ignored; nothing else
    /// (`monkey` is no day). The plan format itself takes only `from_name`.
    pub fn parse(text: &str) -> Option<Day> {
        let t = text.trim();
        ALL_DAYS.into_iter().find(|d| {
            t.eq_ignore_ascii_case(d.name()) || t.eq_ignore_ascii_case(FULL_NAMES[d.index()])
        })
    }
}

const FULL_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// "HH:MM" of minutes since midnight.
pub fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_takes_short_and_full_names_in_any_case() {
        for t in ["mon", "Mon", " MON ", "monday", "Monday"] {
            assert_eq!(Day::parse(t), Some(Day::Mon), "{t:?}");
        }
        assert_eq!(Day::parse("sunday"), Some(Day::Sun));
    }

    #[test]
    fn parse_refuses_words_that_merely_start_like_a_day() {
        for t in ["monkey", "mo", "tues", "sunny", "fridays", "", "m on"] {
            assert_eq!(Day::parse(t), None, "{t:?}");
        }
    }
}
