//! The keymap's own checks.

use super::*;

fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

#[test]
fn shift_tab_goes_back_a_field_however_the_terminal_reports_it() {
    for mods in [KeyModifiers::SHIFT, KeyModifiers::NONE] {
        let ev = KeyEvent::new(KeyCode::BackTab, mods);
        assert_eq!(lookup(Scope::Form, &ev), Some(Action::PrevField), "{mods:?}");
    }
}

#[test]
fn conventional_keys_hold() {
    let k = |c| key(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(lookup(Scope::Queue, &k('?')), Some(Action::Help));
    assert_eq!(lookup(Scope::Queue, &k('/')), Some(Action::Search));
    assert_eq!(lookup(Scope::Queue, &k('n')), Some(Action::NewCase));
    assert_eq!(lookup(Scope::Queue, &k('q')), Some(Action::Quit));
    assert_eq!(
        lookup(Scope::Form, &key(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        Some(Action::Save)
    );
    assert_eq!(
        lookup(Scope::Form, &key(KeyCode::Esc, KeyModifiers::NONE)),
        Some(Action::Back)
    );
    // While typing, letters are text, not commands.
    assert_eq!(lookup(Scope::Form, &k('q')), None);
    assert_eq!(lookup(Scope::Search, &k('n')), None);
    // Shifted letters are their own keys on the case page.
    assert_eq!(
        lookup(Scope::Case, &key(KeyCode::Char('R'), KeyModifiers::SHIFT)),
        Some(Action::Step(StepKind::Reopen))
    );
    assert_eq!(lookup(Scope::Case, &k('r')), Some(Action::Step(StepKind::Reply)));
}

#[test]
fn no_key_is_bound_twice_in_one_scope() {
    for (i, a) in BINDINGS.iter().enumerate() {
        for b2 in &BINDINGS[i + 1..] {
            let clash =
                a.key == b2.key && (a.scope == b2.scope || a.scope == Scope::Global || b2.scope == Scope::Global);
            assert!(
                !clash,
                "{} bound twice ({:?} / {:?})",
                a.key.label(),
                a.action,
                b2.action
            );
        }
    }
}
