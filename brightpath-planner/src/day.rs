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
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// "HH:MM" of minutes since midnight.
pub fn hhmm(minutes: i64) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}
