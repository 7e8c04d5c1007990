//! How a field is read from a file that is not in mindgap's own columns:
//! [`Column`] (a header, the first of several, a constant, a duration), the
//! feedback carried in a ticket's row ([`RowFeedback`]), and the import
//! profiles shipped with the crate ([`profile`]).

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};
use crate::model::FeedbackKind;

use super::CsvOptions;

/// The longest duration a column may hold: 100 years (a longer one is a
/// unit mistaken, and would put the instant past what can be written).
const MAX_DURATION_MS: i64 = 100 * 366 * 86_400_000;

/// The unit of a duration column: a number of them, or `hh:mm[:ss]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DurationUnit {
    /// Seconds.
    Seconds,
    /// Minutes ("First reply time in minutes").
    Minutes,
    /// Hours.
    Hours,
    /// Days of 24 hours.
    Days,
    /// `hh:mm:ss` or `hh:mm`, hours past 24 allowed (`102:24:00`).
    #[serde(rename = "hh:mm:ss")]
    Clock,
}

impl DurationUnit {
    /// Reads a duration in this unit as milliseconds (a decimal comma or
    /// point allowed in numbers); `None` when it is not one.
    pub(crate) fn millis(self, text: &str) -> Option<i64> {
        let text = text.trim();
        let per = match self {
            DurationUnit::Seconds => 1_000.0,
            DurationUnit::Minutes => 60_000.0,
            DurationUnit::Hours => 3_600_000.0,
            DurationUnit::Days => 86_400_000.0,
            DurationUnit::Clock => {
                let mut parts = text.split(':');
                let h: i64 = parts.next()?.trim().parse().ok()?;
                let m: i64 = parts.next()?.trim().parse().ok()?;
                let s: i64 = match parts.next() {
                    Some(s) => s.trim().parse().ok()?,
                    None => 0,
                };
                if parts.next().is_some() || h < 0 || !(0..60).contains(&m) || !(0..60).contains(&s)
                {
                    return None;
                }
                let ms = h
                    .checked_mul(3_600_000)?
                    .checked_add(m * 60_000 + s * 1_000)?;
                return (ms <= MAX_DURATION_MS).then_some(ms);
            }
        };
        let n: f64 = text.replace(',', ".").parse().ok()?;
        let ms = (n * per).round();
        (n.is_finite() && n >= 0.0 && ms <= MAX_DURATION_MS as f64).then_some(ms as i64)
    }

    pub(crate) fn expected(self) -> crate::words::Msg {
        use crate::words::Msg;
        match self {
            DurationUnit::Seconds => Msg::DurSeconds,
            DurationUnit::Minutes => Msg::DurMinutes,
            DurationUnit::Hours => Msg::DurHours,
            DurationUnit::Days => Msg::DurDays,
            DurationUnit::Clock => Msg::DurClock,
        }
    }
}

/// Where a field's value comes from. In JSON: a header name (`"Created
/// at"`), a list of header names of which the first the file has is read
/// (`["Requester email", "Requester"]`), or an object: `{"const":
/// "service"}` for a value every row shares, `{"column": "First reply time
/// in minutes", "unit": "minutes"}` for a duration counted from `opened_at`
/// (units: `seconds`, `minutes`, `hours`, `days`, `hh:mm:ss`). Headers match
/// without regard to case or surrounding spaces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Column {
    /// Header names, the first present in the file read.
    pub headers: Vec<String>,
    /// A value every row shares (no column read).
    pub constant: Option<String>,
    /// The column holds a duration from `opened_at`, in this unit.
    pub unit: Option<DurationUnit>,
}

impl Column {
    /// The column with this header.
    pub fn header(name: impl Into<String>) -> Column {
        Column {
            headers: vec![name.into()],
            ..Column::default()
        }
    }

    /// A value every row shares.
    pub fn constant(value: impl Into<String>) -> Column {
        Column {
            constant: Some(value.into()),
            ..Column::default()
        }
    }

    /// The header names, joined for messages.
    pub(crate) fn describe(&self) -> String {
        match (&self.constant, self.headers.as_slice()) {
            (Some(c), _) => format!("the constant {c:?}"),
            (None, []) => String::new(),
            (None, [one]) => one.clone(),
            (None, [a, b]) => format!("{a} or {b}"),
            (None, [a, b, ..]) => format!("{a} or {b} or …"),
        }
    }
}

impl From<&str> for Column {
    fn from(name: &str) -> Column {
        Column::header(name)
    }
}

impl Serialize for Column {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match (&self.constant, self.unit, self.headers.as_slice()) {
            (None, None, [one]) => s.serialize_str(one),
            (None, None, many) => many.serialize(s),
            (constant, unit, headers) => {
                let mut m = s.serialize_map(None)?;
                if let Some(c) = constant {
                    m.serialize_entry("const", c)?;
                }
                match headers {
                    [] => {}
                    [one] => m.serialize_entry("column", one)?,
                    many => m.serialize_entry("column", many)?,
                }
                if let Some(u) = unit {
                    m.serialize_entry("unit", &u)?;
                }
                m.end()
            }
        }
    }
}

/// Reads a [`Column`] in any of its forms, without buffering the value
/// (serde's untagged enums and `serde_json::Value` weigh ~40 KB in the
/// WebAssembly build).
struct ColumnVisitor;

/// Header names read from a sequence.
fn headers<'de, A: serde::de::SeqAccess<'de>>(
    mut seq: A,
) -> std::result::Result<Vec<String>, A::Error> {
    let mut list = Vec::new();
    while let Some(h) = seq.next_element::<String>()? {
        list.push(h);
    }
    check_headers(list)
}

fn check_headers<E: serde::de::Error>(list: Vec<String>) -> std::result::Result<Vec<String>, E> {
    if list.is_empty() {
        return Err(E::custom("an empty list of header names"));
    }
    if list.iter().any(|h| h.trim().is_empty()) {
        return Err(E::custom("a header name is empty"));
    }
    Ok(list)
}

/// A header or a list of them, as the `column` of an object.
struct Headers(Vec<String>);

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Headers, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a header name or a list of header names")
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> std::result::Result<Vec<String>, E> {
                check_headers(vec![v.to_owned()])
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<Vec<String>, A::Error> {
                headers(seq)
            }
        }
        d.deserialize_any(V).map(Headers)
    }
}

impl<'de> serde::de::Visitor<'de> for ColumnVisitor {
    type Value = Column;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a header name, a list of them, or an object with \"column\" or \"const\"")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Column, E> {
        Ok(Column {
            headers: check_headers(vec![v.to_owned()])?,
            ..Column::default()
        })
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        seq: A,
    ) -> std::result::Result<Column, A::Error> {
        Ok(Column {
            headers: headers(seq)?,
            ..Column::default()
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Column, A::Error> {
        let mut column = Column::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "column" if column.headers.is_empty() => {
                    column.headers = map.next_value::<Headers>()?.0
                }
                "const" if column.constant.is_none() => column.constant = Some(map.next_value()?),
                "unit" if column.unit.is_none() => column.unit = Some(map.next_value()?),
                "column" | "const" | "unit" => {
                    return Err(A::Error::custom(format!("{key:?} is given twice")));
                }
                other => {
                    return Err(A::Error::custom(format!(
                        "unknown field {other:?}; a column is {{\"column\": header, \"unit\": …}} or {{\"const\": value}}"
                    )));
                }
            }
        }
        match (&column.constant, column.headers.is_empty(), column.unit) {
            (Some(_), false, _) => Err(A::Error::custom(
                "a column has a \"column\" or a \"const\", not both",
            )),
            (Some(_), true, Some(_)) => Err(A::Error::custom("a \"const\" has no \"unit\"")),
            (None, true, _) => Err(A::Error::custom("a column needs \"column\" or \"const\"")),
            _ => Ok(column),
        }
    }
}

impl<'de> Deserialize<'de> for Column {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Column, D::Error> {
        d.deserialize_any(ColumnVisitor)
    }
}

/// Feedback carried in an interaction's row (Zendesk's "Satisfaction
/// Score", a CRM's rating column): each row whose score (or, for comments
/// and reasons, text) is present after the value maps gives one feedback
/// record, `<interaction id>-<kind>`, about that interaction and its
/// customer and stage, dated by `at` (default: the row's `resolved_at`, else
/// its `opened_at`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RowFeedback {
    /// The kind of the records made.
    pub kind: FeedbackKind,
    /// The score column (value map `score`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Column>,
    /// The top of the scale, for ratings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<u32>,
    /// A comment column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Column>,
    /// A reason column (value map `reason`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Column>,
    /// When it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Column>,
}

/// The import profiles shipped with the crate: name and mapping (JSON, the
/// form of [`CsvOptions`]), in `crates/mindgap/profiles/`. A copy edited is
/// a mapping of one's own (`--columns FILE`). Only with the `profiles`
/// feature (on by default; the npm package's report build, which reads no
/// CSV, leaves them out).
#[cfg(feature = "profiles")]
const PROFILES: [(&str, &str); 10] = [
    ("generic", include_str!("../../../profiles/generic.json")),
    ("zendesk", include_str!("../../../profiles/zendesk.json")),
    (
        "freshdesk",
        include_str!("../../../profiles/freshdesk.json"),
    ),
    ("jira-sm", include_str!("../../../profiles/jira-sm.json")),
    ("intercom", include_str!("../../../profiles/intercom.json")),
    ("hubspot", include_str!("../../../profiles/hubspot.json")),
    ("bitrix24", include_str!("../../../profiles/bitrix24.json")),
    ("amocrm", include_str!("../../../profiles/amocrm.json")),
    ("usedesk", include_str!("../../../profiles/usedesk.json")),
    ("omnidesk", include_str!("../../../profiles/omnidesk.json")),
];
#[cfg(not(feature = "profiles"))]
const PROFILES: [(&str, &str); 0] = [];

/// The names of the import profiles shipped with the crate: `generic`
/// (mindgap's columns with common English and Russian header names), then
/// helpdesks and CRMs.
pub fn profile_names() -> impl Iterator<Item = &'static str> {
    PROFILES.iter().map(|(name, _)| *name)
}

/// An import profile shipped with the crate, by name (case-insensitive):
/// the mapping that reads that product's export.
///
#[cfg_attr(feature = "profiles", doc = "```")]
#[cfg_attr(not(feature = "profiles"), doc = "```ignore")]
/// let zendesk = mindgap::profile("zendesk")?;
/// assert_eq!(zendesk.interaction_columns["opened_at"], mindgap::Column::header("Created at"));
/// assert!(mindgap::profile("excel").is_err());
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn profile(name: &str) -> Result<CsvOptions> {
    let wanted = name.trim().to_ascii_lowercase();
    let Some((_, json)) = PROFILES.iter().find(|(n, _)| *n == wanted) else {
        if PROFILES.is_empty() {
            return Err(Error::InvalidOption {
                option: "csv.from".into(),
                message: crate::words::Sentence::new(crate::words::Msg::ProfileNone)
                    .quoted("name", name),
            });
        }
        return Err(Error::InvalidOption {
            option: "csv.from".into(),
            message: crate::words::Sentence::new(crate::words::Msg::ProfileUnknown)
                .quoted("name", name)
                .value("profiles", profile_names().collect::<Vec<_>>().join(", ")),
        });
    };
    let mut options: CsvOptions = serde_json::from_str(json)
        .map_err(|e| Error::internal(format!("the {wanted} profile does not read: {e}")))?;
    options.from = None;
    Ok(options)
}

/// A value map compiled for lookups: keys in lower case.
#[derive(Debug, Clone, Default)]
pub(crate) struct ValueMap(rustc_hash::FxHashMap<String, String>);

impl ValueMap {
    pub(crate) fn new(map: &BTreeMap<String, String>) -> ValueMap {
        ValueMap(
            map.iter()
                .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
                .collect(),
        )
    }

    /// The value `cell` maps to (`Some("")` = absent), `None` when the map
    /// does not name it.
    pub(crate) fn get(&self, cell: &str) -> Option<&str> {
        let key = cell.trim();
        if let Some(v) = self.0.get(key) {
            return Some(v);
        }
        self.0.get(&key.to_lowercase()).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(not(feature = "profiles"))]
    fn without_profiles_every_from_is_refused_saying_why() {
        assert_eq!(profile_names().count(), 0);
        let e = profile("zendesk").unwrap_err();
        assert_eq!(e.code(), 23);
        assert!(
            e.to_string()
                .contains("built without its `profiles` feature"),
            "{e}"
        );
        let options: CsvOptions = serde_json::from_str(r#"{"from": "zendesk"}"#).unwrap();
        assert!(options.check().is_err());
    }

    #[test]
    #[cfg(feature = "profiles")]
    fn every_profile_reads() {
        for name in profile_names() {
            let p = profile(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            p.check().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.profile.as_deref(), Some(name));
        }
    }

    #[test]
    fn columns_read_in_every_form_and_write_back() {
        for (json, want) in [
            (r#""Created""#, Column::header("Created")),
            (
                r#"["Requester email", "Requester"]"#,
                Column {
                    headers: vec!["Requester email".into(), "Requester".into()],
                    ..Column::default()
                },
            ),
            (r#"{"const": "service"}"#, Column::constant("service")),
            (
                r#"{"column": "First reply time in minutes", "unit": "minutes"}"#,
                Column {
                    unit: Some(DurationUnit::Minutes),
                    ..Column::header("First reply time in minutes")
                },
            ),
        ] {
            let got: Column = serde_json::from_str(json).unwrap();
            assert_eq!(got, want, "{json}");
            let back: Column = serde_json::from_str(&serde_json::to_string(&got).unwrap()).unwrap();
            assert_eq!(back, want);
        }
        for (json, says) in [
            ("5", "a header name"),
            ("[]", "empty list"),
            (r#"{"const": "a", "column": "b"}"#, "not both"),
            (r#"{"unit": "minutes"}"#, "needs"),
            (r#"{"column": "x", "unit": "weeks"}"#, "unknown variant"),
            (r#"{"colum": "x"}"#, "unknown field"),
            (r#"{"column": "x", "column": "y"}"#, "twice"),
        ] {
            let e = serde_json::from_str::<Column>(json)
                .unwrap_err()
                .to_string();
            assert!(e.contains(says), "{json}: {e}");
        }
    }

    #[test]
    fn durations_read_in_their_units() {
        assert_eq!(DurationUnit::Minutes.millis("90"), Some(5_400_000));
        assert_eq!(DurationUnit::Hours.millis("1,5"), Some(5_400_000));
        assert_eq!(DurationUnit::Clock.millis("102:24:00"), Some(368_640_000));
        assert_eq!(DurationUnit::Clock.millis("01:30"), Some(5_400_000));
        for bad in [
            "-1",
            "x",
            "1:60:00",
            "NaN",
            "inf",
            "9999999999",
            "1e20",
            "1000000:00:00",
        ] {
            assert_eq!(
                DurationUnit::Minutes
                    .millis(bad)
                    .or(DurationUnit::Clock.millis(bad)),
                None,
                "{bad}"
            );
        }
    }
}
