//! Conditional expectations: which interactions an expectation reads beyond
//! its stage, touchpoint, channel and segment, as a helpdesk's SLA policy
//! picks tickets by priority, category, tags or custom fields.
//!
//! An expectation's `when` is a map from a field to a [`Condition`]; an
//! interaction is covered when every condition holds:
//!
//! ```json
//! "when": {"priority": ["urgent", "high"], "tags": {"not": "spam"}, "field:Region": "EU"}
//! ```
//!
//! The fields ([`Selectable`]): `priority`, `category`, `tags`, `team`,
//! `employee`, `customer`, `channel`, `touchpoint`, `segment` and any custom
//! field as `field:<name>` ([`crate::Interaction::fields`]). Values are
//! compared ignoring case and surrounding spaces. A rating expectation reads
//! feedback through its interaction: feedback not linked to one has every
//! field absent.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field a `when` selector reads.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Selectable {
    /// [`crate::Interaction::priority`].
    Priority,
    /// [`crate::Interaction::category`].
    Category,
    /// [`crate::Interaction::tags`] (several values: a condition holds when
    /// one of the tags makes it hold, `not` when none is excluded).
    Tags,
    /// The employee's team.
    Team,
    /// The responsible employee.
    Employee,
    /// The customer.
    Customer,
    /// The channel.
    Channel,
    /// The touchpoint.
    Touchpoint,
    /// The customer segment (the interaction's, else the customer's).
    Segment,
    /// A custom field, written `field:<name>` (the name as the input gives
    /// it, case-sensitive).
    Field(String),
}

/// The names of the fixed fields, for error messages.
pub const SELECTABLE: [&str; 9] = [
    "priority",
    "category",
    "tags",
    "team",
    "employee",
    "customer",
    "channel",
    "touchpoint",
    "segment",
];

impl Selectable {
    /// Parses a `when` key.
    ///
    /// ```
    /// use mindgap::Selectable;
    /// assert_eq!(Selectable::parse("priority"), Some(Selectable::Priority));
    /// assert_eq!(Selectable::parse("field:Region"), Some(Selectable::Field("Region".into())));
    /// assert_eq!(Selectable::parse("prio"), None);
    /// assert_eq!(Selectable::parse("field:"), None);
    /// ```
    pub fn parse(key: &str) -> Option<Selectable> {
        Some(match key {
            "priority" => Selectable::Priority,
            "category" => Selectable::Category,
            "tags" => Selectable::Tags,
            "team" => Selectable::Team,
            "employee" => Selectable::Employee,
            "customer" => Selectable::Customer,
            "channel" => Selectable::Channel,
            "touchpoint" => Selectable::Touchpoint,
            "segment" => Selectable::Segment,
            _ => {
                let name = key.strip_prefix("field:")?;
                if name.trim().is_empty() {
                    return None;
                }
                Selectable::Field(name.to_owned())
            }
        })
    }
}

/// What a field must be for a `when` selector to hold. Every test given
/// must hold; written as a string (`"urgent"`: is that value), a list
/// (`["urgent", "high"]`: is one of them) or an object of tests
/// (`{"not": ["low"], "present": true}`).
///
/// ```
/// use mindgap::Condition;
/// let c: Condition = serde_json::from_str(r#"["urgent", "high"]"#).unwrap();
/// assert!(c.holds(&["High"]) && !c.holds(&["low"]) && !c.holds(&[]));
/// let not: Condition = serde_json::from_str(r#"{"not": "spam"}"#).unwrap();
/// assert!(not.holds(&["vip"]) && not.holds(&[]) && !not.holds(&["vip", "SPAM"]));
/// let bad = serde_json::from_str::<Condition>(r#"{"none": "x"}"#).unwrap_err();
/// assert!(bad.to_string().contains("unknown test \"none\""));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Condition {
    /// The field is one of these (`"x"`, `["x", "y"]` or `{"any": [...]}`;
    /// tags: one of the tags is).
    pub any: Vec<String>,
    /// Tags: every one of these is among the tags (`{"all": [...]}`; a
    /// one-valued field: it is each of them).
    pub all: Vec<String>,
    /// The field is none of these (`{"not": "x"}` or `{"not": [...]}`; an
    /// absent field is none of them; tags: no tag is).
    pub not: Vec<String>,
    /// The field contains this text (`{"contains": "vip"}`; tags: one of
    /// them does).
    pub contains: Option<String>,
    /// The field has a value, or has none (`{"present": false}`; tags: at
    /// least one).
    pub present: Option<bool>,
}

/// `a` and `b` equal, ignoring case and surrounding spaces.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a.eq_ignore_ascii_case(b)
        || (!(a.is_ascii() && b.is_ascii()) && a.to_lowercase() == b.to_lowercase())
}

impl Condition {
    /// A condition that holds when the field is `value`.
    pub fn is(value: impl Into<String>) -> Condition {
        Condition {
            any: vec![value.into()],
            ..Condition::default()
        }
    }

    /// Whether it holds for a field with these values (none: absent; one
    /// for most fields; the tags for `tags`).
    pub fn holds(&self, values: &[&str]) -> bool {
        let values = || values.iter().map(|v| v.trim()).filter(|v| !v.is_empty());
        let has = |x: &str| values().any(|v| same(v, x));
        (self.any.is_empty() || self.any.iter().any(|x| has(x)))
            && self.all.iter().all(|x| has(x))
            && !self.not.iter().any(|x| has(x))
            && self.contains.as_deref().is_none_or(|x| {
                let x = x.trim().to_lowercase();
                values().any(|v| v.to_lowercase().contains(&x))
            })
            && self.present.is_none_or(|p| p == values().next().is_some())
    }

    /// What is wrong with it, if anything: no test, an empty list or value.
    pub fn problem(&self) -> Option<&'static str> {
        let texts = self.any.iter().chain(&self.all).chain(&self.not);
        if self.any.is_empty()
            && self.all.is_empty()
            && self.not.is_empty()
            && self.contains.is_none()
            && self.present.is_none()
        {
            Some(
                "a value, a list of values or an object of tests (any, all, not, contains, present)",
            )
        } else if texts
            .chain(self.contains.as_ref())
            .any(|t| t.trim().is_empty())
        {
            Some("values that are not blank")
        } else {
            None
        }
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let only_any = self.all.is_empty()
            && self.not.is_empty()
            && self.contains.is_none()
            && self.present.is_none();
        if only_any {
            return match self.any.as_slice() {
                [one] => s.serialize_str(one),
                many => many.serialize(s),
            };
        }
        let mut m = s.serialize_map(None)?;
        for (key, list) in [("any", &self.any), ("all", &self.all), ("not", &self.not)] {
            if !list.is_empty() {
                m.serialize_entry(key, list)?;
            }
        }
        if let Some(c) = &self.contains {
            m.serialize_entry("contains", c)?;
        }
        if let Some(p) = &self.present {
            m.serialize_entry("present", p)?;
        }
        m.end()
    }
}

/// One value or a list of them.
struct Values(Vec<String>);

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Values, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Values;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text or a list of texts")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Values, E> {
                Ok(Values(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Values, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element::<String>()? {
                    out.push(v);
                }
                Ok(Values(out))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Condition, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Condition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a value, a list of values, or an object of tests (any, all, not, contains, present)",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Condition, E> {
                Ok(Condition::is(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Condition, A::Error> {
                let Values(any) = Values::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(Condition {
                    any,
                    ..Condition::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Condition, A::Error> {
                let mut c = Condition::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "any" => c.any = map.next_value::<Values>()?.0,
                        "all" => c.all = map.next_value::<Values>()?.0,
                        "not" => c.not = map.next_value::<Values>()?.0,
                        "contains" => c.contains = Some(map.next_value()?),
                        "present" => c.present = Some(map.next_value()?),
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown test {other:?}; the tests are any, all, not, contains, present"
                            )));
                        }
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_any(V)
    }
}

/// An expectation's `when`: a map from a field ([`Selectable`]: `priority`,
/// `category`, `tags`, `team`, `employee`, `customer`, `channel`,
/// `touchpoint`, `segment`, `field:<name>`) to a [`Condition`]; every
/// condition must hold. Keys are checked when the diary is read
/// ([`Selectable::parse`]). A rating expectation reads its feedback's
/// interaction; feedback linked to none has every field absent.
pub type When = BTreeMap<String, Condition>;

#[cfg(test)]
mod tests {
    use super::*;

    fn c(json: &str) -> Condition {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn tests_combine_and_round_trip() {
        for json in [
            r#""urgent""#,
            r#"["a","b"]"#,
            r#"{"not":["spam"],"present":true}"#,
            r#"{"all":["vip","eu"]}"#,
            r#"{"contains":"VIP"}"#,
        ] {
            assert_eq!(serde_json::to_string(&c(json)).unwrap(), json);
        }
        let vip = c(r#"{"contains": "vip", "not": "spam"}"#);
        assert!(vip.holds(&["gold-VIP"]));
        assert!(!vip.holds(&["gold-VIP", "spam"]));
        assert!(!vip.holds(&[]));
        let all = c(r#"{"all": ["vip", "eu"]}"#);
        assert!(all.holds(&["EU", "vip", "x"]) && !all.holds(&["vip"]));
        let absent = c(r#"{"present": false}"#);
        assert!(absent.holds(&[]) && absent.holds(&["  "]) && !absent.holds(&["x"]));
        assert!(c(r#""Срочный""#).holds(&[" срочный "]));
        assert!(!c(r#""high""#).holds(&["highest"]));
    }

    #[test]
    fn problems_are_named() {
        assert!(c("{}").problem().is_some());
        assert!(c("[]").problem().is_some());
        assert!(c(r#"["x", " "]"#).problem().is_some());
        assert!(c(r#""x""#).problem().is_none());
        assert!(serde_json::from_str::<Condition>("5").is_err());
        assert!(serde_json::from_str::<Condition>(r#"{"present": "yes"}"#).is_err());
    }
}
