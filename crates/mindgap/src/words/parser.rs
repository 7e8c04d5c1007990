//! The messages of serde and serde_json (`invalid type: integer `5`,
//! expected a string`, `EOF while parsing an object`…) as sentences of the
//! catalogue, so that a Russian error says them in Russian: serde carries
//! only English text, so the text is recognised by its shape.
//!
//! What is not recognised stays as it is. The English sentence is always
//! the parser's text to the byte: a recognised shape that would write
//! anything else is given up for the text itself.

use super::message::{Msg, Sentence};

impl Sentence {
    /// A message of serde or serde_json, as a sentence of the catalogue
    /// when its shape is known (its English text is then the message, to the
    /// byte), else as it is. The npm package, which says its errors in
    /// English, leaves the recognition out (WebAssembly builds keep the text
    /// as it is: ~4 KB gzipped less).
    ///
    /// ```
    /// use mindgap::{Lang, text::Sentence};
    /// let m = Sentence::parser("invalid type: integer `5`, expected a string at line 1 column 9");
    /// assert_eq!(m.text(Lang::En), "invalid type: integer `5`, expected a string at line 1 column 9");
    /// assert_eq!(m.text(Lang::Ru), "неверный тип: целое число `5`, ожидалось: строка (строка 1, столбец 9)");
    /// assert_eq!(Sentence::parser("EOF while parsing an object").text(Lang::Ru), "текст оборвался внутри объекта");
    /// assert_eq!(Sentence::parser("something else").text(Lang::Ru), "something else");
    /// ```
    pub fn parser(text: &str) -> Sentence {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(s) = recognise::message(text).filter(|s| s.to_string() == text) {
            return s;
        }
        Sentence::verbatim(text)
    }

    /// [`Sentence::parser`] of `text` followed by ` (column {column})`.
    pub(crate) fn parser_at_column(text: &str, column: usize) -> Sentence {
        Sentence::new(Msg::ParColumn)
            .with("message", Sentence::parser(text))
            .value("column", column)
    }
}

/// Recognising serde's shapes (not in WebAssembly builds).
#[cfg(not(target_arch = "wasm32"))]
mod recognise {
    use super::super::message::{Msg, Sentence};

    /// The whole message: a known shape, with serde_json's position if any.
    pub(super) fn message(text: &str) -> Option<Sentence> {
        if let Some((head, line, column)) = at_line_column(text) {
            return Some(
                Sentence::new(Msg::ParAtLineColumn)
                    .with("message", Sentence::parser(head))
                    .value("line", line)
                    .value("column", column),
            );
        }
        if let Some(key) = plain(text) {
            return Some(Sentence::new(key));
        }
        for (prefix, key) in [
            ("invalid type: ", Msg::ParInvalidType),
            ("invalid value: ", Msg::ParInvalidValue),
        ] {
            if let Some(rest) = text.strip_prefix(prefix) {
                // The unexpected value may itself hold ", expected " (a string):
                // the first split whose left side is a value serde writes.
                return rest.match_indices(", expected ").find_map(|(i, sep)| {
                    let unexpected = unexpected(rest.get(..i)?)?;
                    let expected = expected(rest.get(i + sep.len()..)?);
                    Some(
                        Sentence::new(key)
                            .with("unexpected", unexpected)
                            .with("expected", expected),
                    )
                });
            }
        }
        if let Some(rest) = text.strip_prefix("invalid length ") {
            let (len, expected_text) = rest.split_once(", expected ")?;
            if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            return Some(
                Sentence::new(Msg::ParInvalidLength)
                    .value("len", len)
                    .with("expected", expected(expected_text)),
            );
        }
        if let Some(rest) = text.strip_prefix("unknown variant `") {
            if let Some(variant) = rest.strip_suffix("`, there are no variants") {
                return Some(Sentence::new(Msg::ParNoVariants).value("variant", variant));
            }
            let (variant, alternatives) = rest.rsplit_once("`, expected ")?;
            return Some(
                Sentence::new(Msg::ParUnknownVariant)
                    .value("variant", variant)
                    .with("expected", one_of(alternatives)),
            );
        }
        if let Some(field) = text
            .strip_prefix("duplicate field `")
            .and_then(|r| r.strip_suffix('`'))
        {
            return Some(Sentence::new(Msg::ParDuplicateField).value("field", field));
        }
        None
    }

    /// serde_json's ` at line L column C` at the end of a message.
    fn at_line_column(text: &str) -> Option<(&str, u64, u64)> {
        let (head, position) = text.rsplit_once(" at line ")?;
        let (line, column) = position.split_once(" column ")?;
        Some((head, number(line)?, number(column)?))
    }

    fn number(text: &str) -> Option<u64> {
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }

    /// serde_json's syntax messages (no placeholders).
    fn plain(text: &str) -> Option<Msg> {
        const PLAIN: &[Msg] = &[
            Msg::ParEofList,
            Msg::ParEofObject,
            Msg::ParEofString,
            Msg::ParEofValue,
            Msg::ParColon,
            Msg::ParCommaBracket,
            Msg::ParCommaBrace,
            Msg::ParIdent,
            Msg::ParValue,
            Msg::ParQuote,
            Msg::ParEscape,
            Msg::ParNumber,
            Msg::ParRange,
            Msg::ParCodePoint,
            Msg::ParControl,
            Msg::ParKeyString,
            Msg::ParSurrogate,
            Msg::ParTrailingComma,
            Msg::ParTrailing,
            Msg::ParHexEnd,
            Msg::ParRecursion,
        ];
        let en = super::super::Lang::En.words();
        PLAIN.iter().copied().find(|&k| (en.message)(k) == text)
    }

    /// What serde says it found (`serde::de::Unexpected`, serde_json's `null`).
    fn unexpected(text: &str) -> Option<Sentence> {
        for (prefix, key) in [
            ("boolean `", Msg::ParBool),
            ("integer `", Msg::ParInteger),
            ("floating point `", Msg::ParFloat),
            ("character `", Msg::ParChar),
        ] {
            if let Some(value) = text.strip_prefix(prefix).and_then(|r| r.strip_suffix('`')) {
                return Some(Sentence::new(key).value("value", value));
            }
        }
        if let Some(quoted) = text.strip_prefix("string ") {
            return (quoted.len() >= 2 && quoted.starts_with('"') && quoted.ends_with('"'))
                .then(|| Sentence::new(Msg::ParString).value("value", quoted));
        }
        let key = match text {
            "null" => Msg::ParNull,
            "byte array" => Msg::ParBytes,
            "unit value" => Msg::ParUnitValue,
            "Option value" => Msg::ParOptionValue,
            "sequence" => Msg::ParSequence,
            "map" => Msg::ParMap,
            "enum" => Msg::ParEnum,
            _ => return None,
        };
        Some(Sentence::new(key))
    }

    /// What serde says it expected: serde's own visitors' words, the derived
    /// types' (`struct Expectation`), one of a list of names, or the
    /// catalogue's (mindgap's own visitors), else as it is.
    fn expected(text: &str) -> Sentence {
        let key = match text {
            "a string" => Some(Msg::ParAString),
            "a borrowed string" => Some(Msg::ParABorrowedString),
            "a boolean" => Some(Msg::ParABoolean),
            "a sequence" => Some(Msg::ParASequence),
            "a map" => Some(Msg::ParAMap),
            "a character" => Some(Msg::ParACharacter),
            "unit" => Some(Msg::ParUnit),
            "option" => Some(Msg::ParOption),
            _ => None,
        };
        if let Some(key) = key {
            return Sentence::new(key);
        }
        for (prefix, key) in [
            ("internally tagged enum ", Msg::ParTaggedEnum),
            ("tuple struct ", Msg::ParTupleStruct),
            ("struct ", Msg::ParStruct),
            ("enum ", Msg::ParEnumNamed),
        ] {
            if let Some(name) = text.strip_prefix(prefix) {
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    return Sentence::new(key).value("name", name);
                }
            }
        }
        match text {
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
            | "i128" | "isize" => return Sentence::new(Msg::ParIntegerType).value("type", text),
            "f32" | "f64" => return Sentence::new(Msg::ParFloatType).value("type", text),
            _ => {}
        }
        if text.starts_with('`') {
            return one_of(text);
        }
        Sentence::recognised(text)
    }

    /// serde's list of names: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``.
    fn one_of(text: &str) -> Sentence {
        if let Some(list) = text.strip_prefix("one of ") {
            return Sentence::new(Msg::ParOneOf).value("list", list);
        }
        if let Some((a, b)) = text.split_once("` or `") {
            if a.starts_with('`') && b.ends_with('`') {
                return Sentence::new(Msg::ParOr)
                    .value("a", format!("{a}`"))
                    .value("b", format!("`{b}"));
            }
        }
        Sentence::verbatim(text)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Lang;
    use super::*;

    /// Real messages, from serde_json reading mindgap's types and plain ones.
    fn messages() -> Vec<String> {
        use crate::model::{Diary, Expectation, Interaction, Metric};
        let mut out = Vec::new();
        let mut push = |r: Result<(), serde_json::Error>| {
            if let Err(e) = r {
                out.push(e.to_string());
            }
        };
        for text in [
            r#"{"id": 5}"#,
            r#"{"id": "i", "opened_at": true}"#,
            r#"{"id": "i", "opened_at": 1.5}"#,
            r#"{"id": "i", "opened_at": null}"#,
            r#"{"id": "i", "opened_at": []}"#,
            r#"{"id": "i", "opened_at": {}}"#,
            r#"{"id": "i", "id": "j"}"#,
            r#"{"id": "i", "channel": "pigeon"}"#,
            r#"{"id": "i", "tags": "x"}"#,
            r#"["i"]"#,
            r#"{"id": "i""#,
            r#"{"id": "i" "x"}"#,
            r#"{"id" "i"}"#,
            r#"{"id": tru}"#,
            r#"{"id": "\q"}"#,
            r#"{"id": 1e999999}"#,
            r#"{"id": "a, expected x"}"#,
            r#"{"id": -}"#,
            r#"{"id": "i",}"#,
            r#"{5: 1}"#,
            r#"{"id": "i"} x"#,
            r#""#,
            "[",
            "\"\u{1}\"",
        ] {
            push(serde_json::from_str::<Interaction>(text).map(drop));
        }
        for text in [
            r#"{"kind": "bogus"}"#,
            r#"{"kind": 5}"#,
            r#"{"desired": "PT1H"}"#,
        ] {
            push(serde_json::from_str::<Metric>(text).map(drop));
        }
        push(serde_json::from_str::<Expectation>(r#"{"id": "e", "importance": "x"}"#).map(drop));
        push(serde_json::from_str::<Diary>("[]").map(drop));
        push(serde_json::from_str::<Diary>("5").map(drop));
        push(serde_json::from_str::<u32>("-1").map(drop));
        push(serde_json::from_str::<u8>("300").map(drop));
        push(serde_json::from_str::<f64>("\"x\"").map(drop));
        push(serde_json::from_str::<(u8, u8)>("[1]").map(drop));
        push(serde_json::from_str::<char>("\"ab\"").map(drop));
        push(serde_json::from_str::<bool>("1").map(drop));
        push(serde_json::from_str::<Option<u8>>("\"x\"").map(drop));
        out
    }

    #[test]
    fn english_is_the_parser_text_and_russian_has_no_english_left() {
        let mut recognised = 0;
        for text in messages() {
            let s = Sentence::parser(&text);
            assert_eq!(s.text(Lang::En), text);
            if s.key().is_some() {
                recognised += 1;
                let ru = s.text(Lang::Ru);
                assert_ne!(ru, text, "{text}");
                for english in [
                    "expected",
                    "invalid",
                    "while parsing",
                    "at line",
                    "integer",
                    "string ",
                ] {
                    assert!(!ru.contains(english), "{text:?} -> {ru:?}");
                }
            }
        }
        assert!(recognised >= 30, "{recognised} recognised");
    }

    #[test]
    fn each_shape_in_russian() {
        let ru = |t: &str| Sentence::parser(t).text(Lang::Ru);
        assert_eq!(
            ru("invalid value: string \"x, expected y\", expected struct Diary at line 2 column 3"),
            "недопустимое значение: строка \"x, expected y\", ожидалось: объект Diary (строка 2, столбец 3)"
        );
        assert_eq!(
            ru("invalid length 1, expected tuple struct P"),
            "неверная длина 1, ожидалось: массив P"
        );
        assert_eq!(
            ru("unknown variant `x`, expected one of `a`, `b`, `c`"),
            "неизвестное значение `x`, допустимо: одно из `a`, `b`, `c`"
        );
        assert_eq!(
            ru("unknown variant `x`, expected `a` or `b`"),
            "неизвестное значение `x`, допустимо: `a` или `b`"
        );
        assert_eq!(
            ru("unknown variant `x`, expected `a`"),
            "неизвестное значение `x`, допустимо: `a`"
        );
        assert_eq!(ru("duplicate field `id`"), "поле `id` указано дважды");
        assert_eq!(
            ru("invalid type: null, expected u32"),
            "неверный тип: null, ожидалось: целое число (u32)"
        );
        assert_eq!(
            ru("invalid type: floating point `1.5`, expected internally tagged enum Metric"),
            "неверный тип: дробное число `1.5`, ожидалось: объект Metric с полем типа"
        );
        assert_eq!(
            Sentence::parser_at_column("expected `,` or `}`", 49).text(Lang::Ru),
            "ожидалось `,` или `}` (столбец 49)"
        );
        assert_eq!(
            Sentence::parser_at_column("expected `,` or `}`", 49).text(Lang::En),
            "expected `,` or `}` (column 49)"
        );
        // Near misses stay as they are.
        for t in [
            "invalid type: x, expected y",
            "invalid length x, expected y",
            "at line 1 column x",
        ] {
            assert_eq!(ru(t), t);
        }
    }
}
