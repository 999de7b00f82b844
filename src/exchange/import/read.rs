//! Reading an export: a JSON document whole, a CSV file row by row on a thread
//! of its own; each case with the line it stood on.

use serde_json::Value;

use super::super::{FORMAT, ImportError};

/// One case to import: where it stood in the file, its number and portable events.
pub(super) struct Incoming {
    pub(super) line: usize,
    pub(super) number: String,
    pub(super) events: Vec<Value>,
    /// Exported without a supervisor: its confidential complainant is `***`.
    pub(super) masked: bool,
}

/// A case of the file, or why its row cannot be read (by line).
pub(super) type Row = Result<Incoming, (usize, String)>;

/// Cases read ahead of the writer, at a time.
pub(super) const READ_CHUNK: usize = 500;

pub(super) fn parse_json(text: &str) -> Result<(Vec<Row>, Value), ImportError> {
    let mut doc: Value = serde_json::from_str(text).map_err(|e| ImportError::Format(e.to_string()))?;
    if doc.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(ImportError::Format(format!("\"format\" is not \"{FORMAT}\"")));
    }
    let cases = match doc.get_mut("cases").map(Value::take) {
        Some(Value::Array(cases)) => cases,
        _ => Vec::new(),
    };
    let rows = cases
        .into_iter()
        .enumerate()
        .map(|(n, mut c)| {
            let number = c.get("number").and_then(Value::as_str).unwrap_or("").to_string();
            let masked = c.get("masked").and_then(Value::as_bool) == Some(true);
            match c.get_mut("events").map(Value::take) {
                Some(Value::Array(events)) if !number.is_empty() => Ok(Incoming {
                    line: n + 1,
                    number,
                    events,
                    masked,
                }),
                _ => Err((n + 1, "needs \"number\" and \"events\"".to_string())),
            }
        })
        .collect();
    Ok((rows, doc))
}

/// Reads a CSV export row by row on a thread of its own, a chunk at a time,
/// with how far into the file each chunk ends.
pub(super) fn read_csv(
    reader: impl std::io::Read + Send + 'static,
) -> Result<std::sync::mpsc::Receiver<(Vec<Row>, u64)>, ImportError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Format(e.to_string()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(num_col), Some(ev_col)) = (col("number"), col("events")) else {
        return Err(ImportError::Format(
            "CSV needs the columns \"number\" and \"events\"".into(),
        ));
    };
    let masked_col = col("masked");
    let (send, receive) = std::sync::mpsc::sync_channel(8);
    std::thread::spawn(move || {
        // The export made cells that start like a formula text with a `'`.
        let cell = |record: &csv::StringRecord, col: usize| {
            crate::words::terminal::cell_back(record.get(col).unwrap_or("")).to_string()
        };
        let mut chunk = Vec::with_capacity(READ_CHUNK);
        let mut record = csv::StringRecord::new();
        loop {
            let row = match reader.read_record(&mut record) {
                Ok(false) => break,
                Err(e) => Err((e.position().map_or(0, |p| p.line() as usize), e.to_string())),
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line() as usize);
                    let number = cell(&record, num_col).trim().to_string();
                    let masked = masked_col.is_some_and(|c| !record.get(c).unwrap_or("").trim().is_empty());
                    match serde_json::from_str::<Vec<Value>>(&cell(&record, ev_col)) {
                        Ok(events) if !number.is_empty() => Ok(Incoming {
                            line,
                            number,
                            events,
                            masked,
                        }),
                        Ok(_) => Err((line, "empty number".to_string())),
                        Err(e) => Err((line, format!("events: {e}"))),
                    }
                }
            };
            chunk.push(row);
            if chunk.len() == READ_CHUNK {
                let at = reader.position().byte();
                if send.send((std::mem::take(&mut chunk), at)).is_err() {
                    return;
                }
            }
        }
        let at = reader.position().byte();
        let _ = send.send((chunk, at));
    });
    Ok(receive)
}
