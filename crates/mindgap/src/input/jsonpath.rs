//! The JSON path of a serde_json error (`stages[2].touchpoints`, `.` for the
//! root, `?` for a key that could not be read), rebuilt from the line and
//! column serde_json reports by rescanning the text up to there. It replaces
//! wrapping every visitor to track the path as it goes (which cost the
//! WebAssembly build ~28 KB gzipped); it runs only when reading failed.
//!
//! serde_json gives the position where it noticed the error, and that is not
//! always inside the value at fault: a missing field is noticed at the `}` of
//! its object, an unknown field right after the key, a value that a custom
//! deserialiser rejects (a timestamp, a duration) only when its parent object
//! or array is left, after the whitespace that follows it and, when the value
//! was the last one, after the parent's closing bracket. [`error_path`] undoes
//! each of these, so that the path is the one tracking would have given.
//! `jsonpath_tests.rs` checks that on thousands of broken diaries and records.

use serde_json::error::Category;

/// Says whether a text fails to read as some type.
pub(crate) type Fails = fn(&str) -> bool;

/// What the text alone does not tell about the type being read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shape {
    /// Root keys whose value serde reads whole before deserialising it
    /// (internally tagged and untagged enums): an error found inside such a
    /// value is reported at its key. Each comes with a check that says whether
    /// a value fails on its own.
    pub buffered: &'static [(&'static str, Fails)],
    /// When set, only these root keys are read; the values of the others are
    /// skipped whole, and a syntax error inside one is reported at its key.
    pub only: Option<&'static [&'static str]>,
    /// Reads the type from another text, for a type that does not borrow:
    /// tells an object written where a plain enum's name belongs (whose
    /// broken syntax is reported at the enum) from a map or a struct.
    pub read: Option<fn(&str) -> Option<serde_json::Error>>,
}

impl Shape {
    /// Every value is read as it is met.
    pub(crate) const PLAIN: Shape = Shape {
        buffered: &[],
        only: None,
        read: None,
    };

    /// Every value read as it is met, and the type can be read again.
    pub(crate) fn owned<T: serde::de::DeserializeOwned>() -> Shape {
        Shape {
            read: Some(|text| serde_json::from_str::<T>(text).err()),
            ..Shape::PLAIN
        }
    }
}

/// The path of the value `err` was found in, as `serde_path_to_error` writes
/// it: keys joined by `.`, indices as `[i]`, `.` for the root.
pub(crate) fn error_path(text: &str, err: &serde_json::Error, shape: &Shape) -> String {
    let bytes = text.as_bytes();
    // Line 0: the error was raised after serde_json returned (the variant of a
    // tagged enum at the root), so no value of the text was being read.
    if err.line() == 0 {
        return ".".to_owned();
    }
    let at = offset(bytes, err.line(), err.column());
    let message = err.to_string();
    let segs = match err.classify() {
        Category::Syntax | Category::Eof => syntax_path(bytes, at, &message, err.is_eof(), shape),
        Category::Data | Category::Io => data_path(bytes, at, &message, shape),
    };
    render(bytes, &segs)
}

/// The byte offset of a 1-based line and a column that counts the bytes
/// before the position on its line.
fn offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut lines = 1;
    while lines < line {
        match bytes
            .get(start..)
            .and_then(|r| r.iter().position(|&b| b == b'\n'))
        {
            Some(i) => start += i + 1,
            None => break,
        }
        lines += 1;
    }
    (start + column).min(bytes.len())
}

/// One step of a path; keys are byte ranges of the text, decoded on output.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Seg {
    Key(usize, usize),
    Index(usize),
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Root,
    Object,
    Array,
}

/// Where the scanner is within a container.
#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Just after `{` or `[` (or at the start, for the root).
    Open,
    /// After a `,`: a key (object) or a value (array) comes next.
    Next,
    /// Inside a key string.
    Key,
    /// After a key, before its `:`.
    Colon,
    /// After a `:`, before the value.
    Value,
    /// Inside a string value.
    Str,
    /// Inside a number or a literal.
    Scalar,
    /// After a value, before `,` or the closing bracket.
    After,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    kind: Kind,
    state: State,
    /// The current key (object), as the range of its raw text.
    key: (usize, usize),
    /// The current index (array).
    index: usize,
    /// Where the current member's value starts.
    value_start: usize,
    /// Whether the container has a member so far.
    any: bool,
}

impl Frame {
    fn new(kind: Kind) -> Frame {
        Frame {
            kind,
            state: State::Open,
            key: (0, 0),
            index: 0,
            value_start: 0,
            any: false,
        }
    }

    /// The segment of the member being read.
    fn seg(&self) -> Option<Seg> {
        match self.kind {
            Kind::Root => None,
            Kind::Object => Some(Seg::Key(self.key.0, self.key.1)),
            Kind::Array => Some(Seg::Index(self.index)),
        }
    }
}

/// The state after scanning a prefix of the text.
struct Scan {
    stack: Vec<Frame>,
    /// The container closed last, and where its closing bracket is.
    closed: Option<(Frame, usize)>,
}

impl Scan {
    fn top(&self) -> Frame {
        self.stack.last().copied().unwrap_or(Frame::new(Kind::Root))
    }

    /// The path of the container of frame `depth` (the root's is empty).
    fn container(&self, depth: usize) -> Vec<Seg> {
        self.stack
            .iter()
            .take(depth)
            .filter_map(Frame::seg)
            .collect()
    }

    /// The path of the member being read in the innermost container.
    fn slot(&self) -> Vec<Seg> {
        self.container(self.stack.len())
    }

    /// The path of the innermost container.
    fn innermost(&self) -> Vec<Seg> {
        self.container(self.stack.len().saturating_sub(1))
    }
}

/// Scans `bytes[..end]`, reading strings as serde_json does (an escape takes
/// the next byte, `\u` the next five), so that a broken escape is seen from
/// inside its string as serde_json saw it.
fn scan(bytes: &[u8], end: usize) -> Scan {
    let mut s = Scan {
        stack: vec![Frame::new(Kind::Root)],
        closed: None,
    };
    let mut skip = 0usize;
    let mut i = 0;
    while i < end {
        let b = bytes.get(i).copied().unwrap_or(b' ');
        let Some(top) = s.stack.last_mut() else {
            break;
        };
        match top.state {
            State::Key | State::Str => {
                if skip > 0 {
                    skip -= 1;
                } else if b == b'\\' {
                    skip = if bytes.get(i + 1) == Some(&b'u') {
                        5
                    } else {
                        1
                    };
                } else if b == b'"' {
                    if top.state == State::Key {
                        top.key.1 = i;
                        top.state = State::Colon;
                    } else {
                        top.state = State::After;
                    }
                }
                i += 1;
                continue;
            }
            State::Scalar => {
                if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-') {
                    i += 1;
                    continue;
                }
                top.state = State::After;
                // The byte ends the scalar: read it again as what follows.
                continue;
            }
            _ => {}
        }
        if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
            i += 1;
            continue;
        }
        let awaits_key = top.kind == Kind::Object && matches!(top.state, State::Open | State::Next);
        let awaits_value = match top.kind {
            Kind::Object => top.state == State::Value,
            Kind::Array | Kind::Root => matches!(top.state, State::Open | State::Next),
        };
        match b {
            b'"' if awaits_key => {
                top.state = State::Key;
                top.key = (i + 1, i + 1);
                top.any = true;
            }
            b':' if top.state == State::Colon => top.state = State::Value,
            b',' if top.state == State::After => {
                top.state = State::Next;
                if top.kind == Kind::Array {
                    top.index += 1;
                }
            }
            b'}' | b']' if top.kind != Kind::Root => {
                let closed = *top;
                s.stack.pop();
                s.closed = Some((closed, i));
                if let Some(parent) = s.stack.last_mut() {
                    parent.state = State::After;
                }
            }
            _ if awaits_value => {
                top.value_start = i;
                top.any = true;
                match b {
                    b'"' => top.state = State::Str,
                    b'{' | b'[' => {
                        top.state = State::After;
                        s.stack.push(Frame::new(if b == b'{' {
                            Kind::Object
                        } else {
                            Kind::Array
                        }));
                    }
                    _ => top.state = State::Scalar,
                }
            }
            // A byte out of place: the error is at or before it.
            _ => {}
        }
        i += 1;
    }
    s
}

/// Messages raised inside a string, and inside a number or a literal.
const IN_STRING: &[&str] = &[
    "EOF while parsing a string",
    "invalid escape",
    "invalid unicode code point",
    "control character",
    "lone leading surrogate",
    "unexpected end of hex escape",
];
const IN_SCALAR: &[&str] = &["invalid number", "number out of range", "expected ident"];

fn starts(message: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| message.starts_with(p))
}

/// The path of a syntax or end-of-input error. serde_json reports these just
/// after the byte at fault (at the end, for the end of input).
fn syntax_path(bytes: &[u8], at: usize, message: &str, eof: bool, shape: &Shape) -> Vec<Seg> {
    let end = if eof {
        bytes.len()
    } else {
        at.saturating_sub(1)
    };
    let s = scan(bytes, end);
    let top = s.top();
    let mut segs = match top.state {
        State::Key => with(s.innermost(), Seg::Unknown),
        State::Str => s.slot(),
        State::Scalar
            if starts(message, IN_SCALAR) || message.starts_with("EOF while parsing a value") =>
        {
            s.slot()
        }
        _ if starts(message, IN_STRING) => s.slot(),
        // After a whole value: the scalar is done.
        State::Scalar | State::After => match top.kind {
            // Only an enum written as an object has no `,` here.
            Kind::Object if message.starts_with("expected value") => s.innermost(),
            Kind::Object => with(s.innermost(), Seg::Unknown),
            _ => s.innermost(),
        },
        State::Open | State::Next => match top.kind {
            Kind::Object if message.starts_with("expected value") => s.innermost(),
            Kind::Object => with(s.innermost(), Seg::Unknown),
            Kind::Array if message.starts_with("expected value") => s.slot(),
            Kind::Array => s.innermost(),
            Kind::Root => Vec::new(),
        },
        State::Colon => s.innermost(),
        State::Value => s.slot(),
    };
    if segs.last() == Some(&Seg::Unknown) && is_enum(bytes, &s, shape) {
        segs.pop();
    }
    if let (Some(only), Some(Seg::Key(a, b))) = (shape.only, segs.first().copied()) {
        if segs.len() > 1 && !only.iter().any(|k| key_is(bytes, (a, b), k)) {
            segs.truncate(1);
        }
    }
    segs
}

/// Whether the innermost object stands where the type has a plain enum (one
/// read from a name, or from an object with one member: serde_json reads
/// that object itself, so its syntax errors are reported at the enum). Found
/// by reading the type again with a bad name in the object's place, the
/// containers open around it closed: an enum says "unknown variant" there.
fn is_enum(bytes: &[u8], s: &Scan, shape: &Shape) -> bool {
    const NAME: &str = "\"\\u0000\"";
    let (Some(read), [.., parent, top]) = (shape.read, s.stack.as_slice()) else {
        return false;
    };
    if top.kind != Kind::Object {
        return false;
    }
    let start = parent.value_start;
    let Some(head) = bytes.get(..start).and_then(|h| std::str::from_utf8(h).ok()) else {
        return false;
    };
    let mut probe = String::with_capacity(start + NAME.len() + s.stack.len());
    probe.push_str(head);
    probe.push_str(NAME);
    for frame in s.stack.iter().rev().skip(1) {
        match frame.kind {
            Kind::Object => probe.push('}'),
            Kind::Array => probe.push(']'),
            Kind::Root => {}
        }
    }
    read(&probe).is_some_and(|e| {
        e.to_string().starts_with("unknown variant")
            && offset(probe.as_bytes(), e.line(), e.column()) == start + NAME.len()
    })
}

/// The path of an error in the data (a wrong type or value, a missing or
/// unknown field). serde_json reports these after the value was read, often
/// further on: see the module documentation.
fn data_path(bytes: &[u8], at: usize, message: &str, shape: &Shape) -> Vec<Seg> {
    // A container where a scalar was expected is reported at its bracket.
    if matches!(bytes.get(at), Some(b'{' | b'['))
        && (message.starts_with("invalid type: map")
            || message.starts_with("invalid type: sequence"))
    {
        return scan(bytes, at).slot();
    }
    // Back over what serde_json skipped looking for the end of the parent:
    // whitespace, and in an array a `,`.
    let ws = |e: usize| {
        let mut e = e;
        while e > 0 && matches!(bytes.get(e - 1), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            e -= 1;
        }
        e
    };
    let mut end = ws(at);
    if end > 0 && bytes.get(end - 1) == Some(&b',') {
        end = ws(end - 1);
    }
    let s = scan(bytes, end);
    let top = s.top();
    let last = end.checked_sub(1).and_then(|i| bytes.get(i)).copied();
    if let (Some((closed, close_at)), Some(b'}' | b']')) = (s.closed, last) {
        if close_at + 1 == end && top.state == State::After {
            return closed_path(bytes, &s, closed, close_at, end < at, message, shape);
        }
    }
    match top.state {
        // Right after a key: an unknown field (at the key), a duplicate one
        // (at its object), or an enum written as an object with an unknown
        // variant (at the enum).
        State::Colon
            if message.starts_with("duplicate field") || message.starts_with("unknown variant") =>
        {
            s.innermost()
        }
        _ => s.slot(),
    }
}

/// The path of a data error reported right after the container `closed`.
fn closed_path(
    bytes: &[u8],
    s: &Scan,
    closed: Frame,
    close_at: usize,
    skipped: bool,
    message: &str,
    shape: &Shape,
) -> Vec<Seg> {
    // The container's own path: the member being read in its parent.
    let own = s.slot();
    let root_key = match own.as_slice() {
        [Seg::Key(a, b)] => Some((*a, *b)),
        _ => None,
    };
    let is_buffered = |key: (usize, usize)| {
        shape
            .buffered
            .iter()
            .find(|(k, _)| key_is(bytes, key, k))
            .map(|(_, fails)| *fails)
    };
    // A buffered value fails after it was read whole, and the position is
    // that of its parent's frame: after the whitespace that follows it (or
    // right after it, when a `,` follows).
    if skipped || root_key.is_some_and(|k| is_buffered(k).is_some()) {
        return own;
    }
    let last_member = closed.seg().filter(|_| closed.any);
    if message.starts_with("missing field") || message.starts_with("invalid length") {
        // Missing in this container, unless its last member is a buffered
        // value that fails by itself (it is read first).
        if closed.kind == Kind::Object && s.stack.len() == 1 && closed.any {
            if let Some(fails) = is_buffered(closed.key) {
                let value = bytes
                    .get(closed.value_start..close_at)
                    .and_then(|v| std::str::from_utf8(v).ok())
                    .unwrap_or("");
                if fails(value.trim_end()) {
                    return with(own, Seg::Key(closed.key.0, closed.key.1));
                }
            }
        }
        return own;
    }
    // Otherwise the last member failed, and its parent's end was read before
    // the error got its position.
    match last_member {
        Some(seg) => with(own, seg),
        None => own,
    }
}

fn with(mut segs: Vec<Seg>, seg: Seg) -> Vec<Seg> {
    segs.push(seg);
    segs
}

/// Whether the raw key text at `range` reads as `key`.
fn key_is(bytes: &[u8], range: (usize, usize), key: &str) -> bool {
    let raw = bytes.get(range.0..range.1).unwrap_or_default();
    if raw.contains(&b'\\') {
        decode(raw) == key
    } else {
        raw == key.as_bytes()
    }
}

/// Writes a path as `serde_path_to_error` does.
fn render(bytes: &[u8], segs: &[Seg]) -> String {
    if segs.is_empty() {
        return ".".to_owned();
    }
    let mut out = String::new();
    for (n, seg) in segs.iter().enumerate() {
        if n > 0 && !matches!(seg, Seg::Index(_)) {
            out.push('.');
        }
        match *seg {
            Seg::Key(a, b) => out.push_str(&decode(bytes.get(a..b).unwrap_or_default())),
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Seg::Unknown => out.push('?'),
        }
    }
    out
}

/// The text of a JSON string body (escapes resolved). Only keys serde_json
/// read whole get here, so the escapes are valid; anything else is kept.
fn decode(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if !raw.contains(&b'\\') {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    let hex = |chars: &mut std::str::Chars<'_>| -> Option<u32> {
        let digits: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&digits, 16).ok()
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let Some(first) = hex(&mut chars) else {
                    continue;
                };
                let code = if (0xD800..0xDC00).contains(&first) {
                    let rest = chars.as_str();
                    match rest.strip_prefix("\\u") {
                        Some(r) => {
                            let mut next = r.chars();
                            match hex(&mut next) {
                                Some(low) if (0xDC00..0xE000).contains(&low) => {
                                    chars = next;
                                    0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00)
                                }
                                _ => first,
                            }
                        }
                        None => first,
                    }
                } else {
                    first
                };
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
#[path = "jsonpath_tests.rs"]
mod tests;
