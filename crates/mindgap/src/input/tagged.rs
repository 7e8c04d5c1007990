//! Reading one record (`{"type": "interaction", …}`) without serde's
//! buffering of internally tagged enums.
//!
//! The derived `Deserialize` of [`Record`] reads every record whole into
//! serde's private `Content` tree before it looks at `type`, and then reads
//! the record's type from that tree: a second copy of every record type's
//! deserialiser (and of every type inside), 13–15 KB gzipped of the
//! WebAssembly build. Here the record is read from its text only:
//!
//! - `type` first (what our writers and most producers write): the rest of
//!   the object is read straight into the record's type, in one pass;
//! - `type` elsewhere: a scan finds it, the member is blanked out of the
//!   text (spaces, lines kept) and the record's type is read from that.
//!
//! The results are the derived ones, errors included (the tests compare both
//! on every kind of broken record): when reading fails, the scan buffers the
//! values as serde does (so a broken value anywhere wins, at its position),
//! and an error of the record's own fields has no position, as serde's
//! buffered error has none.

use std::cell::Cell;
use std::fmt;

use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, Expected, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::model::{Expectation, Feedback, FollowUpRecord, Interaction, Observation, Record};

/// The record types, as `type` names them (the variants of [`Record`]).
#[derive(Debug, Clone, Copy)]
enum Kind {
    Interaction,
    Feedback,
    Expectation,
    Observation,
    FollowUp,
}

/// The names of the variants, in the order serde's derive lists them.
const VARIANTS: &[&str] = &[
    "interaction",
    "feedback",
    "expectation",
    "observation",
    "follow_up",
];
/// The tag.
const TAG: &str = "type";

/// Reads a record from JSON text as `Record::deserialize` on
/// `serde_json::Deserializer::from_str(text)` followed by its `end()`
/// would: the same record, or the same error, told apart by where it arose.
pub(crate) fn record(text: &str) -> Result<Record, Failed> {
    // Natively the derived reader is compiled anyway (the model's public
    // `Deserialize`), and with `type` elsewhere than first it is faster
    // than the scan here (one pass instead of three): the scan is for the
    // WebAssembly build, where the derived reader is left out.
    #[cfg(not(target_arch = "wasm32"))]
    if !type_first(text) {
        let mut de = serde_json::Deserializer::from_str(text);
        let r = Record::deserialize(&mut de).map_err(Failed::Read)?;
        de.end().map_err(Failed::End)?;
        return Ok(r);
    }
    from_text(text)
}

/// Whether the text is an object whose first key is `type`, written
/// plainly (a cheap look at its first bytes).
#[cfg(not(target_arch = "wasm32"))]
fn type_first(text: &str) -> bool {
    const WS: [char; 4] = [' ', '\t', '\n', '\r'];
    text.trim_start_matches(WS)
        .strip_prefix('{')
        .is_some_and(|rest| rest.trim_start_matches(WS).starts_with("\"type\""))
}

/// [`record`] without the derived reader: `type` first read directly,
/// elsewhere found by a scan.
fn from_text(text: &str) -> Result<Record, Failed> {
    let mut de = serde_json::Deserializer::from_str(text);
    let filled = Cell::new(false);
    let read = de.deserialize_any(RecordVisitor {
        direct: true,
        filled: &filled,
    });
    match read {
        Ok(Read::Record(r)) => {
            de.end().map_err(Failed::End)?;
            Ok(r)
        }
        Ok(Read::Tag(kind) | Read::Seq(kind, _)) => {
            // `type` was not first: read the record's type from the text
            // without its `type` member.
            let blanked = blank_tag(text).map_err(Failed::Read)?;
            let mut de = serde_json::Deserializer::from_str(&blanked);
            let r = read_kind(kind, &mut de).map_err(|e| Failed::Read(unplaced(e)))?;
            de.end().map_err(Failed::End)?;
            Ok(r)
        }
        Err(direct) => {
            // Buffered, serde would have read the whole text first: an error
            // there comes first and keeps its position; otherwise the
            // record's own error has none.
            let mut de = serde_json::Deserializer::from_str(text);
            let scan = RecordVisitor {
                direct: false,
                filled: &Cell::new(false),
            };
            match de.deserialize_any(scan) {
                Err(e) => Err(Failed::Read(e)),
                // A record written as an array whose type read all it
                // wanted: what failed is the elements left over, which
                // serde's buffered sequence counts.
                Ok(Read::Seq(kind, len)) if filled.get() => {
                    let fields = field_count(kind);
                    Err(Failed::Read(de::Error::invalid_length(len, &InSeq(fields))))
                }
                Ok(_) => Err(Failed::Read(unplaced(direct))),
            }
        }
    }
}

/// Why a record did not read.
#[derive(Debug)]
pub(crate) enum Failed {
    /// Reading the record.
    Read(serde_json::Error),
    /// After it: what follows the record's value.
    End(serde_json::Error),
}

/// What the visitor read: the record (`type` first, read directly), or only
/// its kind (the values were skipped), and for an array, how many elements
/// followed the tag.
// Returned once per record and unpacked at once: boxing the record would
// cost an allocation per record for nothing.
#[allow(clippy::large_enum_variant)]
enum Read {
    Record(Record),
    Tag(Kind),
    Seq(Kind, usize),
}

/// The error as serde's buffered reading raises it: the same message, no
/// position (it is raised after serde_json returned).
fn unplaced(e: serde_json::Error) -> serde_json::Error {
    if e.line() == 0 {
        return e;
    }
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    <serde_json::Error as de::Error>::custom(message)
}

fn read_kind<'de, D: Deserializer<'de>>(kind: Kind, d: D) -> Result<Record, D::Error> {
    Ok(match kind {
        Kind::Interaction => Record::Interaction(Interaction::deserialize(d)?),
        Kind::Feedback => Record::Feedback(Feedback::deserialize(d)?),
        Kind::Expectation => Record::Expectation(Expectation::deserialize(d)?),
        Kind::Observation => Record::Observation(Observation::deserialize(d)?),
        Kind::FollowUp => Record::FollowUp(FollowUpRecord::deserialize(d)?),
    })
}

/// The number of fields of the record's type (what a record written as an
/// array may hold after its tag), as serde's derive declares them.
fn field_count(kind: Kind) -> usize {
    let mut probe = FieldCount(0);
    // The probe answers every call with an error once it has the count.
    let _ = match kind {
        Kind::Interaction => Interaction::deserialize(&mut probe).map(drop),
        Kind::Feedback => Feedback::deserialize(&mut probe).map(drop),
        Kind::Expectation => Expectation::deserialize(&mut probe).map(drop),
        Kind::Observation => Observation::deserialize(&mut probe).map(drop),
        Kind::FollowUp => FollowUpRecord::deserialize(&mut probe).map(drop),
    };
    probe.0
}

/// A deserialiser that only notes how many fields a struct declares.
struct FieldCount(usize);

impl<'de> Deserializer<'de> for &mut FieldCount {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields.len();
        Err(de::Error::custom("counted"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// Reads a record: `type` first and `direct`, the record itself; otherwise
/// the tag only, every other value read as serde buffers it (any JSON, so
/// the same syntax and number errors at the same places).
struct RecordVisitor<'f> {
    direct: bool,
    /// Set when a record written as an array was read whole (what remains
    /// is elements left over).
    filled: &'f Cell<bool>,
}

impl<'de> Visitor<'de> for RecordVisitor<'_> {
    type Value = Read;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("internally tagged enum Record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read, A::Error> {
        let mut tag = None;
        let mut first = true;
        while let Some(is_tag) = map.next_key_seed(IsTag)? {
            if is_tag {
                if tag.is_some() {
                    return Err(de::Error::duplicate_field(TAG));
                }
                let kind = map.next_value_seed(TagSeed)?;
                if first && self.direct {
                    return read_kind(kind, MapAccessDeserializer::new(map)).map(Read::Record);
                }
                tag = Some(kind);
            } else {
                map.next_value::<serde_json::Value>()?;
            }
            first = false;
        }
        match tag {
            Some(kind) => Ok(Read::Tag(kind)),
            None => Err(de::Error::missing_field(TAG)),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Read, A::Error> {
        let Some(kind) = seq.next_element_seed(TagSeed)? else {
            return Err(de::Error::missing_field(TAG));
        };
        if !self.direct {
            let mut len = 0;
            while seq.next_element::<serde_json::Value>()?.is_some() {
                len += 1;
            }
            return Ok(Read::Seq(kind, len));
        }
        // Elements left over fail after this, at serde_json's end of the
        // array (see `record`).
        let record = read_kind(kind, SeqAccessDeserializer::new(seq))?;
        self.filled.set(true);
        Ok(Read::Record(record))
    }
}

/// serde's words for the length a sequence should have had.
struct InSeq(usize);

impl Expected for InSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 1 {
            f.write_str("1 element in sequence")
        } else {
            write!(f, "{} elements in sequence", self.0)
        }
    }
}

/// Whether a key is the tag.
struct IsTag;

impl<'de> DeserializeSeed<'de> for IsTag {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for IsTag {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a type tag `{TAG}` or any other value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        Ok(v == TAG)
    }
}

/// The tag's value: a variant name, as serde's derive reads it.
struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = Kind;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for TagSeed {
    type Value = Kind;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("variant identifier")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
        Ok(match v {
            "interaction" => Kind::Interaction,
            "feedback" => Kind::Feedback,
            "expectation" => Kind::Expectation,
            "observation" => Kind::Observation,
            "follow_up" => Kind::FollowUp,
            _ => return Err(de::Error::unknown_variant(v, VARIANTS)),
        })
    }
}

/// The text with its top-level `type` member (and the `,` before it)
/// replaced by spaces, line breaks kept: the record's own members at the
/// same lines and columns. Only called when `type` is present and not
/// first.
fn blank_tag(text: &str) -> Result<String, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let spans = de.deserialize_map(SpansVisitor { text })?;
    let mut out = text.as_bytes().to_vec();
    if let (Some(start), Some(end)) = (spans.before_tag, spans.tag_end) {
        for b in out.get_mut(start..end).unwrap_or_default() {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    }
    // Only ASCII bytes became spaces, and none inside a multi-byte character
    // (the span runs from the end of a value to the end of the tag's value).
    String::from_utf8(out).map_err(de::Error::custom)
}

/// Where the tag's member is: from the end of the value before it to the end
/// of its own value (byte offsets).
#[derive(Default)]
struct Spans {
    before_tag: Option<usize>,
    tag_end: Option<usize>,
}

struct SpansVisitor<'t> {
    text: &'t str,
}

impl<'de> Visitor<'de> for SpansVisitor<'_> {
    type Value = Spans;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spans, A::Error> {
        let base = self.text.as_ptr() as usize;
        let mut spans = Spans::default();
        let mut last_end = None;
        while let Some(is_tag) = map.next_key_seed(IsTag)? {
            let value: &RawValue = map.next_value()?;
            let start = (value.get().as_ptr() as usize).saturating_sub(base);
            let end = start + value.get().len();
            if is_tag && spans.tag_end.is_none() {
                spans.before_tag = last_end;
                spans.tag_end = Some(end);
            }
            last_end = Some(end);
        }
        Ok(spans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde's derive gives: the record, or the error's message and
    /// position, and whether it arose after the record.
    type Outcome = Result<Record, (bool, String, usize, usize)>;

    fn derived(text: &str) -> Outcome {
        let mut de = serde_json::Deserializer::from_str(text);
        let e = match Record::deserialize(&mut de) {
            Ok(r) => match de.end() {
                Ok(()) => return Ok(r),
                Err(e) => (true, e),
            },
            Err(e) => (false, e),
        };
        Err((e.0, e.1.to_string(), e.1.line(), e.1.column()))
    }

    fn ours(text: &str) -> Outcome {
        from_text(text).map_err(|f| {
            let (end, e) = match f {
                Failed::Read(e) => (false, e),
                Failed::End(e) => (true, e),
            };
            (end, e.to_string(), e.line(), e.column())
        })
    }

    fn texts() -> Vec<String> {
        let d = crate::sample::diary(40);
        let mut records: Vec<Record> = Vec::new();
        records.extend(
            d.interactions
                .iter()
                .take(6)
                .cloned()
                .map(Record::Interaction),
        );
        records.extend(d.feedback.iter().take(6).cloned().map(Record::Feedback));
        records.extend(d.expectations.iter().cloned().map(Record::Expectation));
        records.extend(d.observations.iter().cloned().map(Record::Observation));
        records.extend(d.follow_ups.iter().take(4).cloned().map(Record::FollowUp));
        let mut out = Vec::new();
        for r in &records {
            let first = serde_json::to_string(r).unwrap();
            let pretty = serde_json::to_string_pretty(r).unwrap();
            // `type` last and in the middle, from the serialised value.
            let serde_json::Value::Object(map) = serde_json::to_value(r).unwrap() else {
                panic!("a record is an object");
            };
            let members: Vec<String> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "type")
                .map(|(k, v)| format!("{}: {v}", serde_json::Value::String(k.clone())))
                .collect();
            let tag = format!("\"type\": {}", map["type"]);
            let last = format!("{{{}, {tag}}}", members.join(", "));
            let mid = members.len() / 2;
            let middle = format!(
                "{{\n  {},\n  {tag},\n  {}\n}}",
                members[..mid].join(",\n  "),
                members[mid..].join(",\n  ")
            );
            out.extend([first, pretty, last, middle]);
        }
        out
    }

    #[test]
    fn the_same_records_as_serde() {
        let texts = texts();
        assert!(texts.len() > 40);
        for t in &texts {
            let o = ours(t);
            assert!(o.is_ok(), "{t}: {o:?}");
            assert_eq!(o, derived(t), "{t}");
        }
    }

    #[test]
    fn the_same_errors_as_serde_on_every_cut() {
        let mut n = 0;
        for t in texts().iter().step_by(3) {
            for cut in 0..t.len() {
                if let Some(head) = t.get(..cut) {
                    assert_eq!(ours(head), derived(head), "{head}");
                    n += 1;
                }
            }
        }
        assert!(n > 1000);
    }

    #[test]
    fn the_same_errors_as_serde_on_broken_records() {
        let edits: &[(&str, &str)] = &[
            ("\"id\": ", "\"id\": 5, \"id\": "),
            ("\"id\": ", "\"idx\": 1e400, \"id\": "),
            ("\"id\": ", "\"extra\": 1, \"id\": "),
            ("\"id\": ", "\"type\": \"feedback\", \"id\": "),
            ("\"id\": ", "\"type\": 5, \"id\": "),
            ("\"id\": ", "\"id\": [1, {\"a\": 1e999}], \"id\": "),
            ("\"type\": \"interaction\"", "\"type\": \"meeting\""),
            ("\"type\": \"interaction\"", "\"type\": null"),
            ("\"type\": \"interaction\"", "\"kind\": \"interaction\""),
            ("\"opened_at\": \"", "\"opened_at\": \"x"),
            ("\"channel\": \"", "\"channel\": \"fax"),
            ("\"channel\": ", "\"channel\": 5, \"z\": "),
            ("\"stage\": ", "\"stage\": {}, \"stage\": "),
            ("}", "} x"),
            ("}", "}, 1"),
            ("}", ",}"),
            ("\"score\": ", "\"score\": -1, \"q\": "),
            ("\"metric\": {", "\"metric\": {\"kind\": \"flag\", "),
            ("\"metric\": {", "\"metric\": {\"x\": 1, "),
            ("\"value\": ", "\"value\": \"PT\", \"n\": "),
            ("\"desired\": ", "\"desired\": true, \"desired\": "),
        ];
        let mut n = 0;
        for t in texts() {
            // The pretty form has `": "` too; edits apply to every form.
            for (from, to) in edits {
                if t.contains(from) {
                    let broken = t.replacen(from, to, 1);
                    assert_eq!(ours(&broken), derived(&broken), "{broken}");
                    n += 1;
                }
            }
        }
        assert!(n > 100, "{n}");
        for odd in [
            "5",
            "null",
            "\"interaction\"",
            "[]",
            "{}",
            "[\"interaction\"]",
            "[\"meeting\", 1]",
            "[5]",
            "[\"interaction\", \"i1\", \"2026-01-05T10:00:00Z\", \"chat\", \"s\"]",
            "[\"observation\", \"o1\", \"e\", \"2026-01-05T10:00:00Z\", true, null, null, 1, 2]",
            "[\"observation\", \"o1\", \"e\", \"2026-01-05T10:00:00Z\", true, null, null, 1e999]",
            "{\"type\": \"interaction\"}",
            "{\"id\": \"i1\"}",
            "{\"id\": \"i1\", \"type\": \"interaction\"}",
            "{\"typ\\u0065\": \"interaction\", \"id\": \"i1\"}",
            "{\"id\": \"i1\", \"typ\\u0065\": \"interaction\"}",
            "  {\"type\": \"follow_up\"}  ",
            "{\"type\": \"follow_up\"} {}",
        ] {
            assert_eq!(ours(odd), derived(odd), "{odd}");
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn natively_type_first_is_told_by_the_first_key() {
        assert!(type_first(
            " {\n  \"type\": \"interaction\", \"id\": \"i1\"}"
        ));
        assert!(!type_first("{\"id\": \"i1\", \"type\": \"interaction\"}"));
        assert!(!type_first("[\"interaction\"]"));
        // Either way the record reads as the derived reader reads it.
        for t in texts().iter().step_by(7) {
            let native = record(t).map_err(|e| format!("{e:?}"));
            assert_eq!(native.ok(), derived(t).ok(), "{t}");
        }
    }

    #[test]
    fn records_written_as_arrays_read_as_serde_reads_them() {
        let full = "[\"interaction\", \"i1\", \"2026-01-05T10:00:00Z\", null, null, [], [], \"chat\", \"s\"]";
        let Ok(Record::Interaction(i)) = ours(full) else {
            panic!("{:?}", ours(full));
        };
        assert_eq!((i.id.as_str(), i.stage.as_str()), ("i1", "s"));
        // Elements left over: counted as serde's buffered sequence counts them.
        let over =
            "[\"observation\", \"o1\", \"e\", \"2026-01-05T10:00:00Z\", true, null, null, 1, 2]";
        let Err((false, message, 0, 0)) = ours(over) else {
            panic!("{:?}", ours(over));
        };
        assert_eq!(message, "invalid length 8, expected 6 elements in sequence");
        assert_eq!(ours(over), derived(over));
    }
}
