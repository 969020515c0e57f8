//! One CSV file of a roster as header and rows, each row with its line, read
//! from a stream, after the checks every file gets: UTF-8 (a byte-order mark
//! is dropped), one header, the same number of fields on every row, no row
//! over the size cap.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

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

/// Reads the CSV file `file` from `input`; problems go to `problems` and the
/// rows that could be read are returned.
pub fn read(
    file: &str,
    input: &mut dyn Read,
    limits: &Limits,
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let mut reader = open(file, input, limits, problems)?;
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row(problems) {
        rows.push(row);
    }
    let mut table = reader.table;
    table.rows = rows;
    Some(table)
}

/// A file's rows one at a time, read from its stream.
pub struct Reader<'a> {
    /// The header (its `rows` stay empty).
    pub table: Table,
    limits: Limits,
    reader: csv::Reader<Tracked<'a>>,
    // One record, read into again and again (an iterator would copy each).
    record: csv::ByteRecord,
    breaks: Rc<RefCell<Breaks>>,
    /// Rows that are not UTF-8 text: where the first one's problem is, and
    /// how many more there are.
    not_utf8: Option<(usize, usize)>,
}

/// Opens `input` as the CSV file `file` (a byte-order mark is dropped) and
/// reads its header; a file with no header is a problem and `None`.
pub fn open<'a>(
    file: &str,
    input: &'a mut dyn Read,
    limits: &Limits,
    problems: &mut Vec<Problem>,
) -> Option<Reader<'a>> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let bom = matches!(input.fill_buf(), Ok(b) if b.starts_with(b"\xEF\xBB\xBF"));
    if bom {
        input.consume(3);
    }
    let breaks = Rc::new(RefCell::new(Breaks::default()));
    let tracked = Tracked {
        input,
        at: 0,
        breaks: breaks.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(tracked);
    let mut record = csv::ByteRecord::new();
    let headers: Vec<String> = match reader.read_byte_record(&mut record) {
        Ok(true) if std::str::from_utf8(record.as_slice()).is_err() => {
            problems.push(not_utf8(file, 1));
            return None;
        }
        Ok(true) => record
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect(),
        Err(e) if e.is_io_error() => return None,
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
        limits: *limits,
        reader,
        record,
        breaks,
        not_utf8: None,
    })
}

fn not_utf8(file: &str, line: usize) -> Problem {
    Problem::new(
        file,
        line,
        None,
        "the line is not UTF-8 text",
        "save the file as UTF-8 (in a spreadsheet: CSV UTF-8); one file must not mix encodings",
    )
}

impl Reader<'_> {
    /// The next good row; bad ones go to `problems` on the way. A stream
    /// that fails (a cap, or a read error) ends the rows: its reader says why.
    pub fn next_row(&mut self, problems: &mut Vec<Problem>) -> Option<Row> {
        let (file, record) = (&self.table.file, &mut self.record);
        loop {
            match self.reader.read_byte_record(record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) if e.is_io_error() => return None,
                Err(e) => {
                    // Lines are counted from byte offsets: the reader's own
                    // count lags one line behind (it takes a row's line
                    // break when it reads the next row).
                    let line = e
                        .position()
                        .map_or(0, |p| self.breaks.borrow_mut().line_at(p.byte()));
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
                .map_or(0, |p| self.breaks.borrow_mut().line_at(p.byte()));
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
            // Reported (the first line of a file, with how many more), and
            // still read, so its references do not show up as missing too.
            if std::str::from_utf8(record.as_slice()).is_err() {
                match self.not_utf8 {
                    Some((at, ref mut more)) => {
                        *more += 1;
                        if let Some(p) = problems.get_mut(at) {
                            let (s, are) = if *more == 1 { ("", "is") } else { ("s", "are") };
                            p.message = format!(
                                "the line is not UTF-8 text, and {more} more line{s} of the file {are} not"
                            );
                        }
                    }
                    None => {
                        self.not_utf8 = Some((problems.len(), 0));
                        problems.push(not_utf8(file, line));
                    }
                }
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

/// The stream under the CSV reader, noting where its line breaks are.
struct Tracked<'a> {
    input: BufReader<&'a mut dyn Read>,
    /// Bytes read so far (the CSV reader's offsets count from the same place).
    at: u64,
    breaks: Rc<RefCell<Breaks>>,
}

impl Read for Tracked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.input.read(buf)?;
        let mut breaks = self.breaks.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' || *b == b'\r' {
                breaks.ahead.push_back((self.at + i as u64, *b));
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}

/// The line breaks read but not yet passed, and the lines passed: only the
/// breaks between the row asked for and what the CSV reader has read ahead
/// are held.
#[derive(Default)]
struct Breaks {
    ahead: VecDeque<(u64, u8)>,
    lines: usize,
}

impl Breaks {
    /// The line of the row at byte `offset`, asked for in order.
    fn line_at(&mut self, offset: u64) -> usize {
        // The offset is where the reader stood: before the previous row's
        // line break, which (with any blank lines) belongs before the row.
        let mut at = offset;
        while let Some(&(o, b)) = self.ahead.front() {
            if o <= at {
                if o == at {
                    at += 1;
                }
                if b == b'\n' {
                    self.lines += 1;
                }
                self.ahead.pop_front();
            } else {
                break;
            }
        }
        self.lines + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream that gives one byte at a time: every row and line break
    /// straddles the CSV reader's reads.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            let Some(slot) = buf.first_mut() else {
                return Ok(0);
            };
            *slot = *first;
            self.0 = rest;
            Ok(1)
        }
    }

    /// (line, first field) of each row, and (line, message) of each problem.
    type Lines = Vec<(usize, String)>;

    fn lines(input: &mut dyn Read) -> (Lines, Lines) {
        let mut problems = Vec::new();
        let t = read("f.csv", input, &Limits::default(), &mut problems).expect("a header");
        let rows = t.rows.iter().map(|r| (r.line, r.fields[0].to_string()));
        let problems = problems.iter().map(|p| (p.line, p.message.clone()));
        (rows.collect(), problems.collect())
    }

    #[test]
    fn lines_are_counted_the_same_however_the_stream_comes() {
        // A BOM, CRLF, a blank line, a quoted line break, a row with a
        // field too many, a Latin-1 byte, and no final line break.
        let text: &[u8] = b"\xEF\xBB\xBFid,name\r\na,Ann\r\n\r\nb,\"two\r\nlines\"\r\nc,x,y\r\nd,Jos\xE9\r\ne,Ev\xE9";
        let expected_rows = vec![
            (2, "a".to_string()),
            (4, "b".into()),
            (7, "d".into()),
            (8, "e".into()),
        ];
        let whole = lines(&mut &text[..]);
        assert_eq!(whole.0, expected_rows);
        let at: Vec<usize> = whole.1.iter().map(|p| p.0).collect();
        assert_eq!(at, [6, 7], "{:?}", whole.1);
        // Both Latin-1 lines are read; the first is reported, with the count.
        assert!(whole.1[1].1.contains("UTF-8"), "{:?}", whole.1);
        assert!(whole.1[1].1.contains("1 more line of"), "{:?}", whole.1);
        assert_eq!(lines(&mut Trickle(text)), whole);
    }
}
