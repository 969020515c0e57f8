//! Styles. With colour off (NO_COLOR) every style is built from modifiers only
//! (bold, reverse, dim), so nothing on screen depends on colour to be read.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn pick(&self, colored: Style, plain: Style) -> Style {
        if self.color { colored } else { plain }
    }

    pub fn title(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn tab_active(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        self.pick(
            Style::new().fg(Color::DarkGray),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn carried(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::Black)
                .bg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    }

    pub fn error(&self) -> Style {
        self.pick(
            Style::new()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn good(&self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }

    pub fn bad(&self) -> Style {
        self.pick(
            Style::new().fg(Color::LightRed),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }

    pub fn event(&self) -> Style {
        self.pick(
            Style::new().fg(Color::White).bg(Color::DarkGray),
            Style::new().add_modifier(Modifier::DIM | Modifier::ITALIC),
        )
    }

    pub fn off_day(&self) -> Style {
        self.pick(
            Style::new().fg(Color::Magenta),
            Style::new().add_modifier(Modifier::DIM),
        )
    }

    /// A session block, coloured by subject so a week reads at a glance.
    pub fn subject(&self, subject: &str) -> Style {
        if !self.color {
            return Style::new();
        }
        let bg = match subject.to_ascii_lowercase().as_str() {
            "math" => Color::Blue,
            "english" | "reading" | "language arts" => Color::Green,
            "science" => Color::Cyan,
            "history" | "social studies" => Color::Yellow,
            "music" | "art" => Color::Magenta,
            "spanish" | "french" | "latin" => Color::LightRed,
            "technology" => Color::LightBlue,
            other => {
                // Unknown subjects still get a stable colour of their own.
                const REST: [Color; 6] = [
                    Color::LightGreen,
                    Color::LightCyan,
                    Color::LightMagenta,
                    Color::LightYellow,
                    Color::Gray,
                    Color::Red,
                ];
                let h = other
                    .bytes()
                    .fold(0usize, |a, b| a.wrapping_mul(31) + b as usize);
                REST[h % REST.len()]
            }
        };
        Style::new().fg(Color::Black).bg(bg)
    }
}
