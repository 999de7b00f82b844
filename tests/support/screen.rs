//! The screens without a terminal: an [`App`] over a desk in a temp dir at a
//! fixed time, keys in, frames out as text (for asserts) or as a
//! `TestBackend` (for insta snapshots).

use casedesk::desk::Desk;
use casedesk::domain::{Actor, Role, Time};
use casedesk::paths::Paths;
use casedesk::ui::App;
use casedesk::ui::keymap::Action;
use casedesk::words::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{ADMIN, ADMIN_PIN, CLERK, CLERK_PIN, SUPERVISOR, SUPERVISOR_PIN, T0, at};

/// A desk and the app on it.
pub struct Screens {
    /// Where the desk lives.
    pub dir: tempfile::TempDir,
    /// The app.
    pub app: App,
}

/// The desk's file, policy and calendar in `dir` (none of them there yet).
pub fn paths(dir: &tempfile::TempDir) -> Paths {
    Paths {
        db: dir.path().join("desk.db"),
        policy: dir.path().join("none.toml"),
        calendar: dir.path().join("none-cal.toml"),
    }
}

impl Screens {
    /// A desk with no admin yet: the first-run screen.
    pub fn fresh(lang: Lang) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(&paths(&dir), lang, true).unwrap();
        desk.fixed_now = Some(at(T0));
        Self::over(dir, desk)
    }

    /// A desk with only its admin.
    pub fn bare(lang: Lang) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(&paths(&dir), lang, true).unwrap();
        desk.fixed_now = Some(at(T0));
        desk.init_desk(ADMIN, ADMIN_PIN).unwrap();
        Self::over(dir, desk)
    }

    /// A desk with the admin, the clerk, a supervisor, 护理部 and 收费处.
    pub fn staffed(lang: Lang) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut desk = Desk::open(&paths(&dir), lang, true).unwrap();
        desk.fixed_now = Some(at(T0));
        let admin = desk.init_desk(ADMIN, ADMIN_PIN).unwrap();
        desk.add_department(&admin, "护理部", Some("0755-1001")).unwrap();
        desk.add_department(&admin, "收费处", None).unwrap();
        desk.add_staff(&admin, CLERK, Role::Clerk, None, CLERK_PIN).unwrap();
        desk.add_staff(&admin, SUPERVISOR, Role::Supervisor, None, SUPERVISOR_PIN)
            .unwrap();
        Self::over(dir, desk)
    }

    /// The desk at `paths` (made through the command line), its clock at [`T0`].
    pub fn over_file(paths: &Paths, lang: Lang) -> Self {
        let mut desk = Desk::open(paths, lang, false).unwrap();
        desk.fixed_now = Some(at(T0));
        Self::over(tempfile::tempdir().unwrap(), desk)
    }

    fn over(dir: tempfile::TempDir, desk: Desk) -> Self {
        let mut app = App::new(desk);
        app.theme = casedesk::ui::theme::Theme { color: false };
        Self { dir, app }
    }

    /// The desk's clock.
    pub fn now(&self) -> Time {
        self.app.desk.now()
    }

    /// One key.
    pub fn key(&mut self, code: KeyCode) {
        self.key_with(code, KeyModifiers::NONE);
    }

    /// One key with modifiers.
    pub fn key_with(&mut self, code: KeyCode, mods: KeyModifiers) {
        self.app.handle_key(KeyEvent::new(code, mods), self.now());
    }

    /// `code` pressed `n` times.
    pub fn keys(&mut self, code: KeyCode, n: usize) {
        for _ in 0..n {
            self.key(code);
        }
    }

    /// Text typed one character at a time.
    pub fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    /// An action, as its key would.
    pub fn act(&mut self, a: Action) {
        self.app.apply(a, self.now());
    }

    /// Signs in by a name's initials and a PIN.
    pub fn sign_in(&mut self, initials: &str, pin: &str) {
        self.typed(initials);
        self.key(KeyCode::Enter);
        self.typed(pin);
        self.key(KeyCode::Enter);
        assert!(self.app.user.is_some(), "signed in: {:?}", self.app.message);
    }

    /// Who is signed in.
    pub fn user(&self) -> Actor {
        self.app.user.clone().expect("signed in")
    }

    /// The frame at `w`×`h`.
    pub fn frame(&self, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| casedesk::ui::render::draw(&self.app, f, self.now()))
            .unwrap();
        t
    }

    /// The frame at `w`×`h` as lines of text (wide characters once).
    pub fn text(&self, w: u16, h: u16) -> Vec<String> {
        app_lines(&self.app, w, h, self.now())
    }

    /// Where the terminal's cursor is in the frame at `w`×`h`.
    pub fn cursor(&self, w: u16, h: u16) -> (u16, u16) {
        let mut t = self.frame(w, h);
        let p = t.get_cursor_position().unwrap();
        (p.x, p.y)
    }
}

/// `app` drawn at `w`×`h` at `now`, as lines of text (wide characters once).
pub fn app_lines(app: &App, w: u16, h: u16, now: Time) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| casedesk::ui::render::draw(app, f, now)).unwrap();
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < w {
                let sym = buf[(x, y)].symbol();
                line.push_str(sym);
                x += u16::try_from(unicode_width::UnicodeWidthStr::width(sym).max(1)).unwrap();
            }
            line
        })
        .collect()
}
