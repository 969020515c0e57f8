//! One CSV file of a roster as header and rows, each row with its line, after
//! the checks every file gets: UTF-8 (a byte-order mark is dropped), one
//! header, the same number of fields on every row, no row over the size cap.

use super::super::report::Problem;
use super::source::Limits;
use crate::services::roster::spec::Text;

#[derive(Debug, Clone)]
pub struct Row {
    /// The line the row starts on (the header is line 1).
    pub line: usize,
    pub fields: Vec<Text>,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub file: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    /// The index of a column, by its name in any letter case.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// Reads `bytes` as the CSV file `file`; problems go to `problems` and the
/// rows that could be read are returned.
pub fn read(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let mut reader = open(file, bytes, limits, problems)?;
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row(problems) {
        rows.push(row);
    }
    let mut table = reader.table;
    table.rows = rows;
    Some(table)
}

/// A file's rows one at a time, for a file too big to hold as rows.
pub struct Reader<'a> {
    /// The header (its `rows` stay empty).
    pub table: Table,
    bytes: &'a [u8],
    limits: Limits,
    reader: csv::Reader<&'a [u8]>,
    // One record, read into again and again (an iterator would copy each).
    record: csv::ByteRecord,
    lines: LineCounter,
}

/// Opens `bytes` as the CSV file `file` and reads its header; a file that
/// is not UTF-8, or has no header, is a problem and `None`.
pub fn open<'a>(
    file: &str,
    bytes: &'a [u8],
    limits: &Limits,
    problems: &mut Vec<Problem>,
) -> Option<Reader<'a>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        problems.push(Problem::new(
            file,
            line,
            None,
            format!("byte {} is not UTF-8 text", at + 1),
            "save the file as UTF-8 (in a spreadsheet: CSV UTF-8); one file must not mix encodings",
        ));
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let headers: Vec<String> = match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect(),
        Err(e) => {
            problems.push(Problem::new(
                file,
                1,
                None,
                e.to_string(),
                "the first line names the columns",
            ));
            return None;
        }
        Ok(false) => {
            problems.push(Problem::new(
                file,
                1,
                None,
                "the file is empty",
                "the first line names the columns, e.g. sourcedId,status,dateLastModified,…",
            ));
            return None;
        }
    };
    Some(Reader {
        table: Table {
            file: file.to_string(),
            headers,
            rows: Vec::new(),
        },
        bytes,
        limits: *limits,
        reader,
        record,
        lines: LineCounter::default(),
    })
}

impl Reader<'_> {
    /// The next good row; bad ones go to `problems` on the way.
    pub fn next_row(&mut self, problems: &mut Vec<Problem>) -> Option<Row> {
        let (file, bytes, record) = (&self.table.file, self.bytes, &mut self.record);
        loop {
            match self.reader.read_byte_record(record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    // Lines are counted from byte offsets: the reader's own
                    // count lags one line behind (it takes a row's line
                    // break when it reads the next row).
                    let line = e
                        .position()
                        .map_or(0, |p| self.lines.at(bytes, p.byte() as usize));
                    problems.push(Problem::new(
                        file,
                        line,
                        None,
                        e.to_string(),
                        "check the quotes on this line",
                    ));
                    continue;
                }
            };
            let line = record
                .position()
                .map_or(0, |p| self.lines.at(bytes, p.byte() as usize));
            if record.as_slice().len() > self.limits.row_bytes {
                problems.push(Problem::new(
                    file,
                    line,
                    None,
                    format!(
                        "the row is {} bytes long, more than {}",
                        record.as_slice().len(),
                        self.limits.row_bytes
                    ),
                    "a quote left open makes the rest of the file one field: close it",
                ));
                continue;
            }
            if record.len() == 1 && record.as_slice().is_empty() {
                continue;
            }
            if record.len() != self.table.headers.len() {
                problems.push(Problem::new(
                    file,
                    line,
                    None,
                    format!(
                        "{} fields where the header has {}",
                        record.len(),
                        self.table.headers.len()
                    ),
                    "every row needs one field per column; quote fields that hold commas",
                ));
                continue;
            }
            let fields = record
                .iter()
                .map(|f| Text::from(String::from_utf8_lossy(f).trim()))
                .collect();
            return Some(Row { line, fields });
        }
    }
}

/// The line of a byte offset, counted forward from the last one asked for.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    line: usize,
}

impl LineCounter {
    fn at(&mut self, bytes: &[u8], offset: usize) -> usize {
        let mut at = offset.min(bytes.len());
        // The offset is where the reader stood: before the previous row's line break.
        while at < bytes.len() && (bytes[at] == b'\r' || bytes[at] == b'\n') {
            at += 1;
        }
        if at >= self.byte {
            self.line += bytes[self.byte..at].iter().filter(|b| **b == b'\n').count();
            self.byte = at;
        }
        self.line + 1
    }
}
