//! The people directory from a CSV file: a header row (`name,dept,job_number`
//! or `姓名,部门,工号`, in any order; the job number column may be left out),
//! then one person a row. Every bad row is named by its line, and nothing is
//! saved while one is bad.

use std::collections::HashMap;

use super::ImportError;
use crate::domain::subject::{Entry, person_entry};
use crate::words::Words;

/// Which column a heading names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Dept,
    JobNumber,
}

/// A heading of the header row, in either language.
fn column(heading: &str) -> Option<Column> {
    let h = heading.trim().trim_start_matches('\u{feff}').trim().to_lowercase();
    match h.as_str() {
        "name" | "姓名" => Some(Column::Name),
        "dept" | "department" | "部门" | "科室" => Some(Column::Dept),
        "job_number" | "job number" | "工号" => Some(Column::JobNumber),
        _ => None,
    }
}

/// The people of a CSV text, or every bad line and why (in the clerk's language).
pub fn parse_people(text: &str, words: Words) -> Result<Vec<Entry>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(ImportError::Rows(vec![(1, e.to_string())])),
        None => return Err(ImportError::Rows(vec![(1, words.t("cli.people_header"))])),
    };
    let mut at: HashMap<usize, Column> = HashMap::new();
    let mut bad = Vec::new();
    for (i, heading) in header.iter().enumerate() {
        match column(heading) {
            Some(c) if at.values().any(|&seen| seen == c) => {
                bad.push((
                    1,
                    words.tf("cli.people_heading_twice", &[("heading", heading.trim().to_string())]),
                ));
            }
            Some(c) => {
                at.insert(i, c);
            }
            None => bad.push((
                1,
                words.tf("cli.people_heading", &[("heading", heading.trim().to_string())]),
            )),
        }
    }
    if !bad.is_empty() || ![Column::Name, Column::Dept].iter().all(|c| at.values().any(|v| v == c)) {
        if bad.is_empty() {
            bad.push((1, words.t("cli.people_header")));
        }
        return Err(ImportError::Rows(bad));
    }
    let mut people = Vec::new();
    let mut job_lines: HashMap<String, usize> = HashMap::new();
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                bad.push((line, e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() > header.len() {
            bad.push((line, words.tf("cli.people_cells", &[("n", header.len().to_string())])));
            continue;
        }
        let cell = |c: Column| {
            at.iter()
                .find(|(_, v)| **v == c)
                .and_then(|(i, _)| record.get(*i))
                .map(|s| crate::words::terminal::cell_back(s).to_string())
                .unwrap_or_default()
        };
        let job = cell(Column::JobNumber);
        match person_entry(&cell(Column::Name), &cell(Column::Dept), Some(&job)) {
            Err(e) => bad.push((line, words.rule(&e))),
            Ok(entry) => {
                if let Some(j) = &entry.job_number {
                    if let Some(first) = job_lines.get(j) {
                        bad.push((
                            line,
                            words.tf(
                                "cli.people_job_twice",
                                &[("job", j.clone()), ("line", first.to_string())],
                            ),
                        ));
                        continue;
                    }
                    job_lines.insert(j.clone(), line);
                }
                people.push(entry);
            }
        }
    }
    if bad.is_empty() {
        Ok(people)
    } else {
        Err(ImportError::Rows(bad))
    }
}
