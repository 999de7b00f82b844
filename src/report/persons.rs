//! Complaints per person complained about (被投诉人员): who, where, listed
//! in the people directory or not, and how many — names only for a
//! supervisor who asks (staff names in records are not published, 003).

use super::PersonLine;
use crate::store::report::PersonCount;

/// The report's lines from the store's counts: most complaints first, then
/// by department and name.
/// Without `names` a name shows only its first character and no job number.
#[must_use]
pub fn person_lines(counts: Vec<PersonCount>, names: bool) -> Vec<PersonLine> {
    let mut lines: Vec<PersonLine> = counts
        .into_iter()
        .map(|c| PersonLine {
            name: if names { c.name } else { mask(&c.name) },
            job_number: c.job_number.filter(|_| names),
            dept: c.dept,
            listed: c.listed,
            complaints: c.complaints,
        })
        .collect();
    lines.sort_by(|a, b| {
        b.complaints
            .cmp(&a.complaints)
            .then(a.dept.cmp(&b.dept))
            .then(a.name.cmp(&b.name))
            .then(a.job_number.cmp(&b.job_number))
    });
    lines
}

/// A name shown without giving it away: its first character.
fn mask(name: &str) -> String {
    name.trim()
        .chars()
        .next()
        .map_or_else(String::new, |c| format!("{c}**"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_job_numbers_only_for_names_most_complaints_first() {
        let count = |name: &str, job: Option<&str>, dept: &str, listed, complaints| PersonCount {
            name: name.into(),
            job_number: job.map(Into::into),
            dept: Some(dept.into()),
            listed,
            complaints,
        };
        let counts = vec![
            count("孙丽", Some("N0012"), "护理部", true, 1),
            count("赵师傅", None, "总务科", false, 3),
        ];
        let masked = person_lines(counts.clone(), false);
        assert_eq!(masked[0].name, "赵**");
        assert_eq!(masked[1].name, "孙**");
        assert_eq!(masked[1].job_number, None);
        let named = person_lines(counts, true);
        assert_eq!(named[1].name, "孙丽");
        assert_eq!(named[1].job_number.as_deref(), Some("N0012"));
        assert!(!named[0].listed);
    }
}
