//! The real terminal: raw mode and the alternate screen on the way in, and
//! always the way back out: on return, on error, on panic, and on SIGTERM/SIGHUP.

use std::io::{self, Stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::UnboundedSender;

use crate::msg::Msg;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back as it was. Safe to call more than once.
pub fn restore() {
    // Best effort: on the way out there is nobody left to report a failure to.
    let _ = disable_raw_mode();
    // Clearing first: tmux 3.3 otherwise copies the alternate screen's top row
    // onto the shell's screen when the window was resized while we ran.
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        Clear(ClearType::All),
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped, so an early `?` return cleans up too.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// A panic prints its message onto the normal screen, not into raw mode.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Raw mode, the alternate screen and, if `mouse`, mouse capture.
pub fn enter(mouse: bool) -> io::Result<(Term, Guard)> {
    enable_raw_mode()?;
    let guard = Guard;
    execute!(io::stdout(), EnterAlternateScreen)?;
    // Clicks and the wheel are a convenience; every action has a key. Terminals
    // still select text with Shift held while the mouse is captured.
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    let terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((terminal, guard))
}

/// Reads terminal input on its own thread (crossterm's reads block) and posts
/// it to the loop. Stops when `stop` is set or the loop has gone.
pub fn spawn_input(out: UnboundedSender<Msg>, stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            // Poll with a timeout so the thread notices `stop` promptly.
            let msg = match event::poll(Duration::from_millis(100)) {
                Ok(false) => continue,
                Ok(true) => match event::read() {
                    Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                    Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                    Ok(Event::Mouse(m)) => Msg::Mouse(m),
                    Ok(_) => continue,
                    Err(_) => Msg::Quit,
                },
                Err(_) => Msg::Quit,
            };
            let quit = matches!(msg, Msg::Quit);
            if out.send(msg).is_err() || quit {
                break;
            }
        }
    });
}

/// SIGTERM, SIGHUP and SIGINT end the planner through the normal path, which restores
/// the terminal (a kill without it would leave the shell in raw mode).
pub fn spawn_signals(out: UnboundedSender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        // SIGINT too: in raw mode Ctrl-C is a key, so a SIGINT comes from `kill`.
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
            _ = int.recv() => {}
        }
        let _ = out.send(Msg::Quit);
    });
    #[cfg(not(unix))]
    drop(out);
}
