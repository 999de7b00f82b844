//! Choosing from a list by typing: characters or pinyin initials (`hl` finds 护理部).

use pinyin::ToPinyin;

/// One choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice<T> {
    /// What is shown.
    pub label: String,
    /// Lower-case pinyin initials of the label (`zxm` for 张小明), plus its ASCII.
    pub initials: String,
    /// The value chosen.
    pub value: T,
}

impl<T> Choice<T> {
    /// A choice labelled `label`.
    pub fn new(label: impl Into<String>, value: T) -> Self {
        let label = label.into();
        Self {
            initials: initials(&label),
            label,
            value,
        }
    }
}

/// Pinyin initials of Chinese characters; ASCII letters and digits kept, lower-cased.
#[must_use]
pub fn initials(text: &str) -> String {
    text.chars()
        .filter_map(|c| {
            if c.is_ascii_alphanumeric() {
                Some(c.to_ascii_lowercase())
            } else {
                c.to_pinyin().and_then(|p| p.first_letter().chars().next())
            }
        })
        .collect()
}

/// Whether `choice` matches what was typed: its characters in the label, or a
/// prefix of (or the whole of) its initials.
#[must_use]
pub fn matches(label: &str, label_initials: &str, typed: &str) -> bool {
    let typed = typed.trim();
    if typed.is_empty() {
        return true;
    }
    let lower = typed.to_lowercase();
    label.contains(typed) || label.to_lowercase().contains(&lower) || label_initials.contains(&lower)
}

/// How well a choice matches what was typed, best first: the whole label or
/// its whole initials (`ly` is 刘洋), then a prefix of either, then the rest.
fn rank(label: &str, label_initials: &str, typed: &str) -> u8 {
    let typed = typed.trim().to_lowercase();
    let label = label.to_lowercase();
    if label == typed || label_initials == typed {
        0
    } else if label.starts_with(&typed) || label_initials.starts_with(&typed) {
        1
    } else {
        2
    }
}

/// A list filtered by what is typed, with a selection.
#[derive(Clone, Debug)]
pub struct Picker<T> {
    all: Vec<Choice<T>>,
    /// What has been typed.
    pub filter: String,
    /// Index into the filtered list.
    pub selected: usize,
}

impl<T: Clone> Picker<T> {
    /// A picker over `choices`.
    #[must_use]
    pub fn new(choices: Vec<Choice<T>>) -> Self {
        Self {
            all: choices,
            filter: String::new(),
            selected: 0,
        }
    }

    /// The choices that match the filter.
    #[must_use]
    pub fn visible(&self) -> Vec<&Choice<T>> {
        let mut shown: Vec<&Choice<T>> = self
            .all
            .iter()
            .filter(|c| matches(&c.label, &c.initials, &self.filter))
            .collect();
        // A stable sort: within a rank, the list's own order.
        shown.sort_by_key(|c| rank(&c.label, &c.initials, &self.filter));
        shown
    }

    /// Sets the filter and keeps the selection in range.
    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.selected = 0;
    }

    /// Moves the selection.
    pub fn move_by(&mut self, delta: isize) {
        let n = self.visible().len();
        if n == 0 {
            self.selected = 0;
        } else {
            self.selected = self.selected.saturating_add_signed(delta).min(n - 1);
        }
    }

    /// The selected choice.
    #[must_use]
    pub fn current(&self) -> Option<&Choice<T>> {
        self.visible().get(self.selected).copied()
    }

    /// Selects the choice whose value is `value`, clearing the filter.
    pub fn select_value(&mut self, value: &T)
    where
        T: PartialEq,
    {
        self.filter.clear();
        self.selected = self.all.iter().position(|c| &c.value == value).unwrap_or(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_names_exact_initials_come_first_then_prefixes_then_the_rest() {
        let names = ["系统管理员", "陆阳", "刘洋", "李云"];
        let mut p = Picker::new(names.iter().map(|n| Choice::new(*n, *n)).collect());
        p.set_filter("ly");
        let shown: Vec<&str> = p.visible().iter().map(|c| c.value).collect();
        assert_eq!(shown, ["陆阳", "刘洋", "李云", "系统管理员"]);
        assert_eq!(p.current().map(|c| c.value), Some("陆阳"));
    }

    #[test]
    fn pinyin_initials_find_names_and_departments() {
        assert_eq!(initials("张小明"), "zxm");
        assert_eq!(initials("护理部"), "hlb");
        let mut p = Picker::new(vec![
            Choice::new("护理部", 1),
            Choice::new("收费处", 2),
            Choice::new("门诊部", 3),
        ]);
        p.set_filter("hl");
        assert_eq!(p.visible().iter().map(|c| c.value).collect::<Vec<_>>(), vec![1]);
        p.set_filter("部");
        assert_eq!(p.visible().len(), 2);
        p.set_filter("sfc");
        assert_eq!(p.current().map(|c| c.value), Some(2));
        p.set_filter("zzz");
        assert!(p.current().is_none());
    }
}
