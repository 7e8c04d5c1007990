//! The TypeScript option interfaces in `src/types.d.ts` name exactly the
//! fields the core's options structs read: a field added to one face and
//! not the other fails here. The Rust field names come from serde itself
//! (the names `deserialize_struct` is given), so renames count.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::{self, Visitor};

/// A deserializer that only records the field names of the struct asked for.
struct Fields(Vec<&'static str>);

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stop")
    }
}
impl std::error::Error for Stop {}
impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> de::Deserializer<'de> for &mut Fields {
    type Error = Stop;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0.extend(fields);
        Err(Stop)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

fn rust_fields<T: for<'de> Deserialize<'de>>() -> BTreeSet<String> {
    let mut f = Fields(Vec::new());
    let _ = T::deserialize(&mut f);
    f.0.iter().map(|s| (*s).to_owned()).collect()
}

/// The field names of `export interface name { … }` in types.d.ts.
fn ts_fields(types: &str, name: &str) -> BTreeSet<String> {
    let head = format!("export interface {name} {{");
    let start = types
        .find(&head)
        .unwrap_or_else(|| panic!("no interface {name}"));
    let body = &types[start + head.len()..];
    let body = &body[..body.find("\n}").unwrap()];
    let mut out = BTreeSet::new();
    let mut comment = false;
    for line in body.lines().map(str::trim) {
        if line.starts_with("/*") {
            comment = !line.contains("*/");
            continue;
        }
        if comment {
            comment = !line.contains("*/");
            continue;
        }
        if let Some((field, _)) = line.split_once(':') {
            out.insert(field.trim_end_matches('?').to_owned());
        }
    }
    out
}

#[test]
fn typescript_options_name_the_rust_fields() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/types.d.ts");
    let types = std::fs::read_to_string(path).unwrap();
    let cases = [
        ("ReportOptions", rust_fields::<mindgap::ReportOptions>()),
        ("TrendOptions", rust_fields::<mindgap::TrendOptions>()),
        ("FollowUpOptions", rust_fields::<mindgap::FollowUpOptions>()),
        ("DueOptions", rust_fields::<mindgap::DueOptions>()),
        ("Filters", rust_fields::<mindgap::Filters>()),
        ("DrillOptions", rust_fields::<mindgap::DrillOptions>()),
        ("PeopleOptions", rust_fields::<mindgap::PeopleOptions>()),
        ("ProblemOptions", rust_fields::<mindgap::ProblemOptions>()),
        ("CsvOptions", rust_fields::<mindgap::CsvOptions>()),
    ];
    let mut faults = Vec::new();
    for (name, rust) in cases {
        assert!(!rust.is_empty(), "{name}: no fields read from serde");
        let ts = ts_fields(&types, name);
        if ts != rust {
            faults.push(format!(
                "{name}: only in Rust {:?}, only in TypeScript {:?}",
                rust.difference(&ts).collect::<Vec<_>>(),
                ts.difference(&rust).collect::<Vec<_>>()
            ));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
