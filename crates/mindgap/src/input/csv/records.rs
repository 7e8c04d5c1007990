//! CSV records out of a byte stream, as the `csv` crate reads them, with the
//! line each starts on.
//!
//! A row without a quote — nearly every row a CRM exports — is split where it
//! lies in the input buffer: its end is found with `memchr3` (a newline, a
//! carriage return or a quote) and its fields with `memchr` (the delimiter),
//! nothing copied. A row with a quote is read by `csv_core` (quoted fields,
//! doubled quotes, newlines inside quotes), from where it starts.
//!
//! The grammar is the `csv` crate's defaults: `\n`, `\r\n` and a lone `\r`
//! end a record; empty lines are skipped; a field is quoted when it starts
//! with `"`; every record has the header's number of fields. Unlike the
//! `csv` crate's positions, a record's line is the line its first byte is
//! on, counting every line ending (`\r\n` once, a lone `\r` too), so errors
//! in files with Windows line endings or blank lines name the right line;
//! and a UTF-8 byte order mark at the start is passed over (the `csv` crate
//! keeps it in the first field, where it hides a quoted header's quote).

use std::io::{ErrorKind, Read};

use csv_core::ReadRecordResult;

/// Bytes read from the input at a time (the buffer grows for longer rows).
const READ: usize = 1 << 20;

/// Why a record could not be read.
#[derive(Debug)]
pub(crate) enum Fault {
    /// The input failed; nothing more is read.
    Io(std::io::Error),
    /// The record has `len` fields, the header `expected`; the record is
    /// passed over.
    Width { len: usize, expected: usize },
    /// A quoted field opened in the record never closes: the rest of the
    /// input, to line `to`, would be one field.
    Unclosed { to: u64 },
}

/// One record: its fields, as ranges of `data`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    /// The fields' bytes: the row as written (delimiters included) for a row
    /// without quotes, the fields unquoted and run together otherwise.
    pub data: &'a [u8],
    ranges: &'a [(usize, usize)],
    /// The line the record starts on (1-based).
    pub line: u64,
    /// Its offset in bytes from the start of the input.
    pub byte: u64,
}

impl<'a> Fields<'a> {
    /// How many fields.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Where field `i` is in `data`.
    pub fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.ranges.get(i).map(|&(a, b)| a..b)
    }

    /// Field `i`'s bytes.
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        self.data.get(self.range(i)?)
    }

    /// Every field's bytes, in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Reads records one at a time; see the [module documentation](self).
pub(crate) struct Records<R> {
    input: R,
    buf: Vec<u8>,
    /// The next byte not yet taken, and the end of what was read.
    at: usize,
    filled: usize,
    /// How many bytes from `at` on are known to hold no line ending or
    /// quote (a row longer than one read is not searched again from its
    /// start after each read).
    clean: usize,
    /// The input is at its end (or failed).
    eof: bool,
    delimiter: u8,
    /// For rows with quotes.
    core: csv_core::Reader,
    /// A quoted row's fields, unquoted, and where each ends.
    out: Vec<u8>,
    ends: Vec<usize>,
    /// The current record's fields.
    ranges: Vec<(usize, usize)>,
    /// The line and offset of `buf[at]`.
    line: u64,
    byte: u64,
    /// The last byte taken was a `\r` (a `\n` next ends the same line).
    after_cr: bool,
    /// The first record's number of fields.
    width: Option<usize>,
    /// A byte order mark at the start was looked for.
    past_bom: bool,
}

impl<R> std::fmt::Debug for Records<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Records")
            .field("line", &self.line)
            .field("byte", &self.byte)
            .finish_non_exhaustive()
    }
}

/// Where the row at the reading point ends.
enum Split {
    /// Its length and its line ending's (0 at the end of the input).
    Row(usize, usize),
    /// A quote comes first: `csv_core` reads it.
    Quoted,
    /// The row may go on past what was read.
    More,
}

impl<R: Read> Records<R> {
    /// Records of `input`, fields separated by `delimiter` (an ASCII byte
    /// other than a quote or a line ending).
    pub fn new(input: R, delimiter: u8) -> Records<R> {
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        // An empty line read first: `csv_core` passes over a byte order mark
        // only before its first read (the one at the start of the input is
        // passed over here; one at the start of a later quoted row is text).
        let _ = core.read_record(b"\n", &mut [], &mut []);
        Records {
            input,
            buf: Vec::new(),
            at: 0,
            filled: 0,
            clean: 0,
            eof: false,
            delimiter,
            core,
            out: Vec::new(),
            ends: Vec::new(),
            ranges: Vec::new(),
            line: 1,
            byte: 0,
            after_cr: false,
            width: None,
            past_bom: false,
        }
    }

    /// The next record; `Ok(None)` at the end. The first record sets the
    /// number of fields every other must have.
    #[allow(clippy::should_implement_trait)] // it lends: not an Iterator
    pub fn next(&mut self) -> Result<Option<Fields<'_>>, (Fault, u64)> {
        if !self.past_bom {
            self.skip_bom().map_err(|e| (Fault::Io(e), 1))?;
        }
        loop {
            if self.at == self.filled && !self.fill().map_err(|e| (Fault::Io(e), self.line))? {
                return Ok(None);
            }
            let (line, byte) = (self.line, self.byte);
            // Where the record's bytes are: in the buffer, or unquoted.
            let row = match self.split() {
                Split::More => {
                    self.fill().map_err(|e| (Fault::Io(e), line))?;
                    continue;
                }
                Split::Row(0, term) => {
                    // An empty line, or the `\n` of a `\r\n` whose `\r`
                    // ended a quoted row.
                    let counted = !(self.after_cr && self.buf.get(self.at) == Some(&b'\n'));
                    self.take(term, u64::from(counted));
                    continue;
                }
                Split::Row(len, term) => {
                    let start = self.at;
                    self.ranges.clear();
                    let row = self.buf.get(start..start + len).unwrap_or_default();
                    let mut from = 0;
                    for d in memchr::memchr_iter(self.delimiter, row) {
                        self.ranges.push((from, d));
                        from = d + 1;
                    }
                    self.ranges.push((from, len));
                    self.take(len + term, u64::from(term > 0));
                    Some(start..start + len)
                }
                Split::Quoted => {
                    let open = self.quoted().map_err(|e| (Fault::Io(e), line))?;
                    if self.ranges.is_empty() {
                        return Ok(None);
                    }
                    // Still inside quotes at the end of the input: a quote
                    // opened and never closed.
                    if open && self.eof && self.at >= self.filled {
                        return Err((Fault::Unclosed { to: self.line }, line));
                    }
                    None
                }
            };
            let len = self.ranges.len();
            let expected = *self.width.get_or_insert(len);
            if len != expected {
                return Err((Fault::Width { len, expected }, line));
            }
            let data = match row {
                Some(row) => self.buf.get(row),
                None => self.out.get(..self.ranges.last().map_or(0, |r| r.1)),
            };
            return Ok(Some(Fields {
                data: data.unwrap_or_default(),
                ranges: &self.ranges,
                line,
                byte,
            }));
        }
    }

    /// Passes over a UTF-8 byte order mark at the start of the input (what
    /// spreadsheets put before a CSV export), so that a quoted first header
    /// still reads as quoted.
    fn skip_bom(&mut self) -> std::io::Result<()> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        while self.filled - self.at < BOM.len() && !self.eof {
            self.fill()?;
        }
        if self
            .buf
            .get(self.at..self.filled)
            .is_some_and(|b| b.starts_with(BOM))
        {
            self.at += BOM.len();
            self.byte += BOM.len() as u64;
        }
        self.past_bom = true;
        Ok(())
    }

    /// Where the row at `at` ends.
    fn split(&mut self) -> Split {
        let rest = self.buf.get(self.at..self.filled).unwrap_or_default();
        let unknown = rest.get(self.clean..).unwrap_or_default();
        match memchr::memchr3(b'\n', b'\r', b'"', unknown).map(|i| i + self.clean) {
            Some(i) => match (rest.get(i), rest.get(i + 1)) {
                (Some(b'"'), _) => Split::Quoted,
                (Some(b'\r'), Some(b'\n')) => Split::Row(i, 2),
                // A `\r` last in the buffer: a `\n` may follow.
                (Some(b'\r'), None) if !self.eof => {
                    self.clean = i;
                    Split::More
                }
                _ => Split::Row(i, 1),
            },
            None if self.eof => Split::Row(rest.len(), 0),
            None => {
                self.clean = rest.len();
                Split::More
            }
        }
    }

    /// Takes `n` bytes that end `lines` lines.
    fn take(&mut self, n: usize, lines: u64) {
        self.clean = 0;
        self.at += n;
        self.byte += n as u64;
        self.line += lines;
        self.after_cr = false;
    }

    /// Reads a row with quotes with `csv_core`, from the start of the row;
    /// `ranges` is left empty when there was no record after all. Returns
    /// whether the row ended inside a quoted field (as `csv_core` reads:
    /// a quote opens one only at a field's start; `""` inside is a quote).
    fn quoted(&mut self) -> std::io::Result<bool> {
        let (mut inside, mut field_start, mut closed) = (false, true, false);
        // The reader stands at the start of a record: after its own last
        // record, or after rows split here (whole rows, line endings and
        // all).
        self.ranges.clear();
        let (mut nout, mut nend) = (0, 0);
        if self.out.is_empty() {
            self.out.resize(1024, 0);
            self.ends.resize(32, 0);
        }
        loop {
            let input = self.buf.get(self.at..self.filled).unwrap_or_default();
            let out = self.out.get_mut(nout..).unwrap_or_default();
            let ends = self.ends.get_mut(nend..).unwrap_or_default();
            let (result, nin, o, e) = self.core.read_record(input, out, ends);
            for &b in input.get(..nin).unwrap_or_default() {
                match b {
                    b'\r' => self.line += 1,
                    b'\n' if !self.after_cr => self.line += 1,
                    _ => {}
                }
                if inside {
                    inside = b != b'"';
                    closed = !inside;
                } else {
                    inside = b == b'"' && (field_start || closed);
                    closed = false;
                    field_start = matches!(b, b'\n' | b'\r') || b == self.delimiter;
                }
                self.after_cr = b == b'\r';
            }
            self.at += nin;
            self.clean = 0;
            self.byte += nin as u64;
            nout += o;
            nend += e;
            match result {
                ReadRecordResult::InputEmpty => {
                    self.fill()?;
                }
                ReadRecordResult::OutputFull => self.out.resize(self.out.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record => {
                    let mut from = 0;
                    for &end in self.ends.get(..nend).unwrap_or_default() {
                        self.ranges.push((from, end));
                        from = end;
                    }
                    return Ok(inside);
                }
                ReadRecordResult::End => return Ok(inside),
            }
        }
    }

    /// Moves what is left to the front and reads more after it; `false` at
    /// the end of the input with nothing left.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(self.at < self.filled);
        }
        self.buf.copy_within(self.at..self.filled, 0);
        self.filled -= self.at;
        self.at = 0;
        if self.buf.len() < self.filled + READ {
            self.buf.resize(self.filled + READ, 0);
        }
        loop {
            let room = self.buf.get_mut(self.filled..).unwrap_or_default();
            match self.input.read(room) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(self.at < self.filled);
                }
                Ok(n) => {
                    self.filled += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.at = self.filled;
                    return Err(e);
                }
            }
        }
    }
}

/// Records read ahead, their bytes and fields copied into a few buffers:
/// what a reading thread hands to the thread that makes records of them
/// (a batch's buffers are filled again, so nothing is allocated per row).
/// Each row's bytes are checked for UTF-8 here, on the reading thread.
#[cfg(any(feature = "parallel", test))]
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// The rows that are UTF-8, run together (the usual case: all).
    text: String,
    /// The others.
    bytes: Vec<u8>,
    ranges: Vec<(usize, usize)>,
    rows: Vec<Ahead>,
}

/// A record of a [`Batch`], or the fault met in its place.
#[cfg(any(feature = "parallel", test))]
#[derive(Debug)]
enum Ahead {
    Row {
        /// Where its bytes end in [`Batch::text`] (if UTF-8) or
        /// [`Batch::bytes`].
        end: usize,
        utf8: bool,
        /// Where its fields end in [`Batch::ranges`].
        ranges: usize,
        line: u64,
        byte: u64,
    },
    Fault((Fault, u64)),
}

/// A record given by [`Batch::each`]: its fields, and its bytes as text if
/// they are UTF-8.
#[cfg(any(feature = "parallel", test))]
pub(crate) type Given<'a> = Result<(Fields<'a>, Option<&'a str>), (Fault, u64)>;

#[cfg(any(feature = "parallel", test))]
impl Batch {
    /// Empties it and reads up to `rows` records (and faults) of `records`
    /// into it; `false` once the input is done (at its end, or failed).
    pub(crate) fn fill<R: Read>(&mut self, records: &mut Records<R>, rows: usize) -> bool {
        self.text.clear();
        self.bytes.clear();
        self.ranges.clear();
        self.rows.clear();
        while self.rows.len() < rows {
            match records.next() {
                Ok(None) => return false,
                Ok(Some(f)) => {
                    let (end, utf8) = match std::str::from_utf8(f.data) {
                        Ok(text) => {
                            self.text.push_str(text);
                            (self.text.len(), true)
                        }
                        Err(_) => {
                            self.bytes.extend_from_slice(f.data);
                            (self.bytes.len(), false)
                        }
                    };
                    self.ranges.extend_from_slice(f.ranges);
                    self.rows.push(Ahead::Row {
                        end,
                        utf8,
                        ranges: self.ranges.len(),
                        line: f.line,
                        byte: f.byte,
                    });
                }
                Err(fault) => {
                    let failed = matches!(fault.0, Fault::Io(_));
                    self.rows.push(Ahead::Fault(fault));
                    if failed {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// Gives `each` the records (and faults) in the order read, up to its
    /// first error; the batch is left empty, with its room.
    pub(crate) fn each<E>(
        &mut self,
        each: &mut dyn FnMut(Given<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rows = std::mem::take(&mut self.rows);
        // Where the next row starts in `text`, `bytes` and `ranges`.
        let (mut text, mut bytes, mut ranges) = (0, 0, 0);
        let mut given = Ok(());
        for ahead in rows.drain(..) {
            let record = match ahead {
                Ahead::Row {
                    end,
                    utf8,
                    ranges: r,
                    line,
                    byte,
                } => {
                    let (data, as_text) = if utf8 {
                        let t = self.text.get(text..end).unwrap_or_default();
                        text = end;
                        (t.as_bytes(), Some(t))
                    } else {
                        let b = self.bytes.get(bytes..end).unwrap_or_default();
                        bytes = end;
                        (b, None)
                    };
                    let fields = Fields {
                        data,
                        ranges: self.ranges.get(ranges..r).unwrap_or_default(),
                        line,
                        byte,
                    };
                    ranges = r;
                    Ok((fields, as_text))
                }
                Ahead::Fault(fault) => Err(fault),
            };
            given = each(record);
            if given.is_err() {
                break;
            }
        }
        self.rows = rows;
        given
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each record's fields, or its error.
    type Got = Vec<Result<Vec<Vec<u8>>, String>>;

    /// Every record as [`Records`] reads it, and its line, from a reader
    /// that gives at most `chunk` bytes a read.
    fn both(input: &[u8], chunk: usize) -> (Got, Vec<u64>) {
        struct Dribble<'a>(&'a [u8], usize);
        impl Read for Dribble<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut records = Records::new(Dribble(input, chunk), b',');
        let mut got = Vec::new();
        let mut lines = Vec::new();
        loop {
            match records.next() {
                Ok(None) => break,
                Ok(Some(f)) => {
                    got.push(Ok(f.iter().map(<[u8]>::to_vec).collect()));
                    lines.push(f.line);
                }
                Err((Fault::Width { len, expected }, line)) => {
                    got.push(Err(format!("{len} for {expected}")));
                    lines.push(line);
                }
                Err((Fault::Unclosed { .. }, line)) => {
                    got.push(Err("unclosed".into()));
                    lines.push(line);
                    break;
                }
                Err((Fault::Io(e), _)) => panic!("{e}"),
            }
        }
        (got, lines)
    }

    /// Every record as the `csv` crate reads it.
    fn csv_crate(input: &[u8]) -> Got {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(input);
        let mut record = csv::ByteRecord::new();
        let mut got = Vec::new();
        loop {
            match rdr.read_byte_record(&mut record) {
                Ok(false) => return got,
                Ok(true) => got.push(Ok(record.iter().map(<[u8]>::to_vec).collect())),
                Err(e) => match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => got.push(Err(format!("{len} for {expected_len}"))),
                    other => panic!("{other:?}"),
                },
            }
        }
    }

    /// The line each record starts on, counted independently: the number
    /// of line endings before its first byte, plus one.
    fn start_lines(input: &[u8], starts: &[u64]) -> Vec<u64> {
        starts
            .iter()
            .map(|&b| {
                let before = &input[..b as usize];
                let crlf = before.windows(2).filter(|w| w == b"\r\n").count();
                let ends = before.iter().filter(|&&c| c == b'\n' || c == b'\r').count();
                1 + (ends - crlf) as u64
            })
            .collect()
    }

    fn starts(input: &[u8]) -> Vec<u64> {
        let mut records = Records::new(input, b',');
        let mut got = Vec::new();
        loop {
            match records.next() {
                Ok(None) => return got,
                Ok(Some(f)) => got.push(f.byte),
                Err((Fault::Width { .. }, _)) => got.push(u64::MAX),
                Err((Fault::Unclosed { .. }, _)) => {
                    got.push(u64::MAX);
                    return got;
                }
                Err((Fault::Io(e), _)) => panic!("{e}"),
            }
        }
    }

    #[test]
    fn lines_are_where_records_start() {
        let input = b"h,x\r\na,1\r\n\r\n\"b\nc\",2\rd,3\n\ne,\"4\"\"\"";
        let (got, lines) = both(input, 3);
        assert_eq!(got, csv_crate(input));
        assert_eq!(lines, vec![1, 2, 4, 6, 8]);
        let (got, lines) = both(b"h,x\na\n\n", 1);
        assert_eq!(
            got,
            vec![
                Ok(vec![b"h".to_vec(), b"x".to_vec()]),
                Err("1 for 2".into())
            ]
        );
        assert_eq!(lines, vec![1, 2]);
    }

    #[test]
    fn a_byte_order_mark_is_passed_over() {
        for chunk in [1, 2, 3, 64] {
            let (got, lines) = both("\u{feff}\"id\",\"x\"\r\n1,2".as_bytes(), chunk);
            let want: Got = vec![
                Ok(vec![b"id".to_vec(), b"x".to_vec()]),
                Ok(vec![b"1".to_vec(), b"2".to_vec()]),
            ];
            assert_eq!(got, want, "reads of {chunk}");
            assert_eq!(lines, vec![1, 2]);
        }
        // Only at the start, and only whole.
        for input in ["a\n\u{feff}b", "a\n\u{feff}\"b\"", "\"a\"\r\n\u{feff}\"b\""] {
            let (got, _) = both(input.as_bytes(), 1);
            assert_eq!(got, csv_crate(input.as_bytes()), "{input:?}");
            assert!(got[1].as_ref().unwrap()[0].starts_with("\u{feff}".as_bytes()));
        }
        let (got, _) = both(b"\xEF\xBBa", 1);
        assert_eq!(got, vec![Ok(vec![b"\xEF\xBBa".to_vec()])]);
        assert_eq!(both(b"\xEF\xBB\xBF", 1).0, Got::new());
    }

    #[test]
    fn a_quote_never_closed_is_an_error_a_quote_inside_a_field_is_text() {
        let (got, lines) = both(b"h,x\na,\"b\nc,d\ne,f", 2);
        assert_eq!(got.last(), Some(&Err("unclosed".into())));
        assert_eq!(lines, vec![1, 2]);
        // A quote inside an unquoted field, last in the input: text.
        let (got, _) = both(b"h,x\na,5\" screen", 2);
        assert_eq!(got, csv_crate(b"h,x\na,5\" screen"));
        let (got, _) = both(b"h,x\n\"a\"\"\",b", 1);
        assert_eq!(got, csv_crate(b"h,x\n\"a\"\"\",b"));
    }

    #[test]
    fn long_rows_and_quoted_fields_over_reads() {
        let long = "x".repeat(3 * READ);
        let input = format!("a,b\n{long},\"{long}\"\"\n\"\r\nc,d");
        let (got, lines) = both(input.as_bytes(), READ / 3);
        assert_eq!(got, csv_crate(input.as_bytes()));
        assert_eq!(lines, vec![1, 2, 4]);
    }

    #[test]
    fn a_row_longer_than_a_read_is_searched_once() {
        // 64 MB without a line ending (a minified JSON file, say), read 1 MB
        // at a time: each search starts where the last one ended (from the
        // row's start each time, the searches would add up to 2 GB).
        let size = 64 * READ;
        let mut input = vec![b'x'; size];
        input.extend_from_slice(b"\r\nnext");
        let mut records = Records::new(input.as_slice(), b',');
        assert!(records.fill().unwrap());
        assert!(matches!(records.split(), Split::More));
        assert_eq!(records.clean, READ);
        assert!(records.fill().unwrap());
        assert!(matches!(records.split(), Split::More));
        assert_eq!(records.clean, 2 * READ);
        let mut records = Records::new(input.as_slice(), b',');
        let first = records.next().unwrap().unwrap();
        assert_eq!((first.len(), first.data.len(), first.line), (1, size, 1));
        let next = records.next().unwrap().unwrap();
        assert_eq!((next.data, next.line), (&b"next"[..], 2));
        assert!(records.next().unwrap().is_none());
    }

    #[test]
    fn a_failed_read_ends_the_records() {
        struct Fails(bool);
        impl Read for Fails {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                if std::mem::replace(&mut self.0, true) {
                    return Err(std::io::Error::other("gone"));
                }
                buf[..4].copy_from_slice(b"a,b\n");
                Ok(4)
            }
        }
        let mut records = Records::new(Fails(false), b',');
        assert_eq!(records.next().unwrap().unwrap().len(), 2);
        assert!(matches!(records.next(), Err((Fault::Io(_), 2))));
        assert!(matches!(records.next(), Ok(None)));
        // In a batch: the row, the failure, and no more.
        let mut batch = Batch::default();
        assert!(!batch.fill(&mut Records::new(Fails(false), b','), 10));
        let mut got = Vec::new();
        batch
            .each(&mut |r| {
                got.push(
                    r.map(|(f, _)| f.len())
                        .map_err(|(e, line)| (format!("{e:?}"), line)),
                );
                Ok::<(), ()>(())
            })
            .unwrap();
        assert!(matches!(&got[..], [Ok(2), Err((_, 2))]), "{got:?}");
    }

    /// A record as read: fields, line, offset and its text if UTF-8; or
    /// the fault and its line.
    type Seen = Result<(Vec<Vec<u8>>, u64, u64, Option<String>), (String, u64)>;

    fn seen(r: Result<(Fields<'_>, Option<&str>), (Fault, u64)>) -> Seen {
        r.map(|(f, text)| {
            let fields = f.iter().map(<[u8]>::to_vec).collect();
            (fields, f.line, f.byte, text.map(str::to_owned))
        })
        .map_err(|(e, line)| (format!("{e:?}"), line))
    }

    /// Every record of `input` read one at a time.
    fn one_by_one(input: &[u8]) -> Vec<Seen> {
        let mut records = Records::new(input, b',');
        let mut got = Vec::new();
        loop {
            match records.next() {
                Ok(None) => return got,
                Ok(Some(f)) => {
                    let text = std::str::from_utf8(f.data).ok();
                    got.push(seen(Ok((f, text))));
                }
                Err(e) => got.push(seen(Err(e))),
            }
        }
    }

    /// Every record of `input` read in batches of `rows`, one batch
    /// filled again and again.
    fn batched(input: &[u8], rows: usize) -> Vec<Seen> {
        let mut records = Records::new(input, b',');
        let mut batch = Batch::default();
        let mut got = Vec::new();
        loop {
            let more = batch.fill(&mut records, rows);
            batch
                .each(&mut |r| {
                    got.push(seen(r));
                    Ok::<(), ()>(())
                })
                .unwrap();
            if !more {
                return got;
            }
        }
    }

    #[test]
    fn a_batch_stops_giving_at_the_first_error() {
        let mut batch = Batch::default();
        assert!(batch.fill(&mut Records::new(&b"a,b\nc,d\ne,f\n"[..], b','), 2));
        let mut lines = Vec::new();
        let given = batch.each(&mut |r| {
            let line = r.map_err(|_| "fault")?.0.line;
            lines.push(line);
            if line == 1 { Err("stop") } else { Ok(()) }
        });
        assert_eq!((given, lines), (Err("stop"), vec![1]));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Any input of commas, quotes, line endings and text reads as the
        /// `csv` crate reads it, whatever the reads' sizes, and every record
        /// names the line it starts on.
        #[test]
        fn reads_as_the_csv_crate(
            input in proptest::collection::vec(
                prop_oneof![Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'a'), Just(b' ')],
                0..60,
            ),
            chunk in 1usize..8,
        ) {
            let (got, lines) = both(&input, chunk);
            let want = csv_crate(&input);
            if got.last() == Some(&Err("unclosed".into())) {
                // The csv crate takes the rest of the input as the field; here
                // it is an error, and the records before it are the same.
                prop_assert_eq!(got.len(), want.len());
                prop_assert_eq!(&got[..got.len() - 1], &want[..want.len() - 1]);
                // Closing the quote makes it a record like the csv crate's.
                let mut closed = input.clone();
                closed.push(b'"');
                prop_assert!(!both(&closed, chunk).0.contains(&Err("unclosed".into())));
            } else {
                prop_assert_eq!(&got, &want);
            }
            let starts = starts(&input);
            let known: Vec<u64> = starts.iter().copied().filter(|&b| b != u64::MAX).collect();
            let want = start_lines(&input, &known);
            let have: Vec<u64> = (lines.iter().zip(&starts))
                .filter(|(_, b)| **b != u64::MAX)
                .map(|(l, _)| *l)
                .collect();
            prop_assert_eq!(have, want);
        }

        /// Read in batches of any size, the records, their lines, offsets
        /// and texts (none for bytes that are not UTF-8) and the faults are
        /// those read one at a time.
        #[test]
        fn batches_give_the_records_read_one_at_a_time(
            input in proptest::collection::vec(
                prop_oneof![
                    Just(b','), Just(b'"'), Just(b'\n'), Just(b'\r'), Just(b'a'),
                    Just(0xD0), Just(0x96), Just(0xFF),
                ],
                0..80,
            ),
            rows in 1usize..5,
        ) {
            prop_assert_eq!(batched(&input, rows), one_by_one(&input));
        }
    }
}
