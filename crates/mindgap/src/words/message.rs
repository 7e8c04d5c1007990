//! Sentences mindgap says about the input (errors, skip reasons, loader
//! notes) as data: a template key of the catalogue and its arguments, so one
//! [`Sentence`] is written in every language from the templates of each
//! catalogue (`en.rs`, `ru.rs`).

use std::fmt;

use super::{Lang, Words};

/// Declares the template keys: the enum, the list of all of them and their
/// names.
macro_rules! keys {
    ($( $key:ident, )*) => {
        /// The key of a message template. Each language's catalogue has one
        /// template per key (an exhaustive `match`: a key without a text
        /// does not compile); `{name}` placeholders are filled from the
        /// message's arguments, `{name|one|few|many}` picks the plural form
        /// of the count `name` by the language's rule (English gives two
        /// forms, `one|other`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Msg {
            $(
                #[doc = concat!("The template `", stringify!($key), "`.")]
                $key,
            )*
        }

        impl Msg {
            /// Every key, for checks over the catalogues.
            pub const ALL: &'static [Msg] = &[$(Msg::$key,)*];

            /// The key's name (`"MissingField"`).
            pub fn name(self) -> &'static str {
                match self {
                    $(Msg::$key => stringify!($key),)*
                }
            }
        }
    };
}

keys! {
    // Locations.
    LocLine,
    LocPath,
    LocRecord,
    LocField,
    LocColumn,
    LocFile,
    LocParts,
    // The error kinds' own sentences.
    ErrSyntax,
    ErrUnknownSchema,
    ErrMissingColumns,
    ErrInvalidUtf8,
    ErrInvalidValue,
    ErrMissingField,
    ErrUnknownField,
    ErrUnknownReference,
    ErrDuplicate,
    ErrInvertedZone,
    ErrCalendar,
    ErrInvalidOption,
    ErrInternal,
    ErrMany,
    // serde's and serde_json's own messages (words/parser.rs).
    ParInvalidType,
    ParInvalidValue,
    ParInvalidLength,
    ParUnknownVariant,
    ParNoVariants,
    ParDuplicateField,
    ParAtLineColumn,
    ParColumn,
    ParOneOf,
    ParOr,
    ParBool,
    ParInteger,
    ParFloat,
    ParChar,
    ParString,
    ParBytes,
    ParUnitValue,
    ParOptionValue,
    ParSequence,
    ParMap,
    ParEnum,
    ParNull,
    ParAString,
    ParABorrowedString,
    ParABoolean,
    ParASequence,
    ParAMap,
    ParACharacter,
    ParUnit,
    ParOption,
    ParStruct,
    ParTaggedEnum,
    ParEnumNamed,
    ParTupleStruct,
    ParIntegerType,
    ParFloatType,
    ParEofList,
    ParEofObject,
    ParEofString,
    ParEofValue,
    ParColon,
    ParCommaBracket,
    ParCommaBrace,
    ParIdent,
    ParValue,
    ParQuote,
    ParEscape,
    ParNumber,
    ParRange,
    ParCodePoint,
    ParControl,
    ParKeyString,
    ParSurrogate,
    ParTrailingComma,
    ParTrailing,
    ParHexEnd,
    ParRecursion,
    Lower,
    Higher,
    // Kinds of records a reference or an id names.
    KindStage,
    KindTouchpoint,
    KindCalendar,
    KindHolidayList,
    KindCustomer,
    KindExpectation,
    KindExpectationRecord,
    KindInteraction,
    KindFeedback,
    KindObservation,
    KindFollowUp,
    KindProfile,
    KindRecord,
    // Duration metrics, by their JSON name.
    MetricFirstResponse,
    MetricNextResponse,
    MetricResolution,
    // Reading CSV.
    TsAny,
    TsFormat,
    TsOneFormat,
    TsFormats,
    TsAmbiguous,
    TsSkipped,
    DurSeconds,
    DurMinutes,
    DurHours,
    DurDays,
    DurClock,
    NumAny,
    NumScale,
    CsvMessages,
    CsvMessageKind,
    CsvStatuses,
    CsvWidth,
    CsvUnclosed,
    CsvEmpty,
    HintHeader,
    HintProfile,
    HintGeneric,
    HintNote,
    Three,
    // Values parsed through serde (recognised by their English text).
    ExpTimestamp,
    ExpDate,
    ExpFeedbackKind,
    ExpSentiment,
    ExpBool,
    ExpZone,
    // Checks of the records (validate).
    VFlagWhen,
    VWhenField,
    VInstant,
    VAboveZero,
    VNeedCalendar,
    VSunCalendar,
    VSameShape,
    VBeforeOpened,
    VStatusBeforeOpened,
    VStatusOrder,
    VMessageBeforeOpened,
    VMessageOrder,
    VNoScaleFor,
    VScale,
    VDismissedScore,
    VWholeFromTo,
    VNumberFromTo,
    VNoScoreFor,
    VFlagValue,
    VRatingValue,
    VDurationValue,
    VFromOneTo,
    VNonNegative,
    VPlainText,
    VInteractionStage,
    VAfterFeedback,
    VScoreFromTo,
    VReasonCode,
    VSameKindLevel,
    VLevelFromOneTo,
    VScoredKinds,
    // Business calendars.
    CalMembersCompile,
    CalTwice,
    CalNoHours,
    CalHolidayWorking,
    CalNeverMet,
    CalNeverMetPeriods,
    CalChangeDate,
    CalRange,
    CalOverlap,
    CalShift,
    CalOn,
    CalSunOwn,
    CalSelf,
    CalNoMember,
    CalSunItself,
    CalNoMembers,
    // Options of the analyses.
    OptNoExpectation,
    OptNoRecordNames,
    OptOutsideCalendar,
    OptMinCount,
    OptProblemsBy,
    OptSpan,
    OptNonNegative,
    OptAfterQueue,
    OptNoTrend,
    OptAlpha,
    OptLambda,
    OptFeedbackByExpectation,
    OptUnitsDiffer,
    OptUntil,
    OptUnknownStage,
    OptConfidence,
    VLevelsOneKind,
    VSunCalendarShort,
    VSelectors,
    // Reading files.
    ReadFollowUpsFirst,
    ReadNotFeedback,
    ReadChanged,
    ReadNotInteractions,
    ReadConstantStage,
    ReadSkimmed,
    EncNotUtf8Said,
    EncUtf8Only,
    EncBom,
    EncSixteen,
    EncIsUtf8,
    EncGuessed,
    CsvDelimiter,
    CsvDurationField,
    CsvKindUnknown,
    CsvUnknownField,
    CsvUnknownValueField,
    CsvRowFeedback,
    // Profiles and files.
    ProfileNone,
    ProfileUnknown,
    FilesNotCsv,
    FilesFormat,
    FilesChanged,
    OptLabels,
    ClockStatusBeforeOpened,
    ClockStatusOrder,
    // The request API.
    LocPrefix,
    ApiObject,
    ApiUnknownOption,
    ApiNotStreamed,
    ApiLeftOut,
    ApiUnknownAnalysis,
    ApiNoOptions,
    WhenTests,
    WhenBlank,
    // Loader notes.
    SkippedCount,
    NoteUnmeasured,
    NoteUnmeasuredGroup,
    NoteUnreached,
    NoteUnreachedItem,
    NoteStatuses,
    NoteStatusItem,
    NoteMore,
    NoteIgnoredColumns,
    NoteAbsentColumns,
}

/// A value that fills a placeholder of a [`Sentence`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A value of the data or of the caller (an id, a field, a file name,
    /// the offending value): printed as it is, in every language.
    Value(String),
    /// A whole number (plain digits in every language, like the line
    /// numbers beside it); `{name|…}` picks its plural form.
    Count(u64),
    /// A phrase of the catalogue, in the message's language.
    Sentence(Sentence),
    /// Several phrases, joined by `, `.
    List(Vec<Sentence>),
}

/// A sentence mindgap says: a template of the catalogue ([`Msg`]) and the
/// values of its placeholders, or a text from outside mindgap (a parser's,
/// the system's) kept as it is. [`Display`](fmt::Display) writes it in
/// English; [`text`](Sentence::text) in any language.
///
/// ```
/// use mindgap::{Lang, text::{Sentence, Msg}};
/// let m = Sentence::new(Msg::ErrMissingField);
/// assert_eq!(m.to_string(), "missing required field");
/// assert_eq!(m.text(Lang::Ru), "не заполнено обязательное поле");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    key: Option<Msg>,
    verbatim: String,
    args: Vec<(&'static str, Arg)>,
}

impl Sentence {
    /// The message of a template, its placeholders to be given with
    /// [`value`](Sentence::value), [`quoted`](Sentence::quoted),
    /// [`count`](Sentence::count) and [`with`](Sentence::with).
    pub fn new(key: Msg) -> Sentence {
        Sentence {
            key: Some(key),
            verbatim: String::new(),
            args: Vec::new(),
        }
    }

    /// A text from outside mindgap (a parser's or the system's message, a
    /// caller's), printed as it is in every language.
    pub fn verbatim(text: impl Into<String>) -> Sentence {
        Sentence {
            key: None,
            verbatim: text.into(),
            args: Vec::new(),
        }
    }

    /// A text that came through a parser as English (serde carries only
    /// strings): the template whose English text it is, when one without
    /// placeholders is, else the text as it is.
    ///
    /// ```
    /// use mindgap::{Lang, text::Sentence};
    /// let said = Sentence::recognised(mindgap::SENTIMENT_EXPECTED);
    /// assert_eq!(said.text(Lang::Ru), "negative, neutral или positive");
    /// assert_eq!(Sentence::recognised("other words").text(Lang::Ru), "other words");
    /// ```
    pub fn recognised(text: &str) -> Sentence {
        let en = Lang::En.words();
        match Msg::ALL
            .iter()
            .find(|&&k| (en.message)(k) == text && !text.contains('{'))
        {
            Some(&key) => Sentence::new(key),
            None => Sentence::verbatim(text),
        }
    }

    /// The template's key (`None` for a verbatim text).
    pub fn key(&self) -> Option<Msg> {
        self.key
    }

    /// Fills `{name}` with a value of the data, as it is.
    #[must_use]
    pub fn value(mut self, name: &'static str, value: impl fmt::Display) -> Sentence {
        self.args.push((name, Arg::Value(value.to_string())));
        self
    }

    /// Fills `{name}` with a value of the data, quoted as Rust quotes a
    /// string (`"i-17"`).
    #[must_use]
    pub fn quoted(mut self, name: &'static str, value: &str) -> Sentence {
        self.args.push((name, Arg::Value(format!("{value:?}"))));
        self
    }

    /// Fills `{name}` with a count; `{name|one|few|many}` with its word.
    #[must_use]
    pub fn count(mut self, name: &'static str, n: u64) -> Sentence {
        self.args.push((name, Arg::Count(n)));
        self
    }

    /// Fills `{name}` with a phrase of the catalogue.
    #[must_use]
    pub fn with(mut self, name: &'static str, phrase: Sentence) -> Sentence {
        self.args.push((name, Arg::Sentence(phrase)));
        self
    }

    /// Fills `{name}` with phrases joined by `, `.
    #[must_use]
    pub fn list(mut self, name: &'static str, phrases: Vec<Sentence>) -> Sentence {
        self.args.push((name, Arg::List(phrases)));
        self
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        self.write(lang.words(), &mut out);
        out
    }

    /// Writes the message with the words of one language.
    pub(crate) fn write(&self, w: &Words, out: &mut String) {
        let Some(key) = self.key else {
            out.push_str(&self.verbatim);
            return;
        };
        let mut rest = (w.message)(key);
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            let hole = &after[..close];
            rest = &after[close + 1..];
            let (name, forms) = match hole.split_once('|') {
                Some((name, forms)) => (name, Some(forms)),
                None => (hole, None),
            };
            let arg = self.args.iter().find(|(k, _)| *k == name).map(|(_, a)| a);
            match (arg, forms) {
                (Some(Arg::Count(n)), Some(forms)) => out.push_str(w.plural_form(*n, forms)),
                // Plain digits, as the line numbers beside them.
                (Some(Arg::Count(n)), None) => out.push_str(&n.to_string()),
                (Some(Arg::Value(v)), _) => out.push_str(v),
                (Some(Arg::Sentence(m)), _) => m.write(w, out),
                (Some(Arg::List(list)), _) => {
                    for (i, m) in list.iter().enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        m.write(w, out);
                    }
                }
                (None, _) => {
                    out.push('{');
                    out.push_str(hole);
                    out.push('}');
                }
            }
        }
        out.push_str(rest);
    }
}

impl fmt::Display for Sentence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl From<Msg> for Sentence {
    fn from(key: Msg) -> Sentence {
        Sentence::new(key)
    }
}

/// A caller's own text (a binding's, a parser's): kept as it is.
impl From<String> for Sentence {
    fn from(text: String) -> Sentence {
        Sentence::verbatim(text)
    }
}

/// A caller's own text (a binding's, a parser's): kept as it is.
impl From<&str> for Sentence {
    fn from(text: &str) -> Sentence {
        Sentence::verbatim(text)
    }
}

/// Serialised as its English text (the JSON of notes keeps its strings).
impl serde::Serialize for Sentence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The placeholders of a template: each name once, sorted, with the number
/// of plural forms it gives (0 for a plain value).
#[cfg(test)]
fn holes(template: &str) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = template
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(h, _)| h))
        .map(|h| match h.split_once('|') {
            Some((name, forms)) => (name.to_owned(), forms.split('|').count()),
            None => (h.to_owned(), 0),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_text_with_the_same_placeholders_in_every_language() {
        let en = Lang::En.words();
        for &key in Msg::ALL {
            // The values each language prints; a count may also be used
            // only for a word's form (English `column(s)` needs no count).
            let names = |w: &Words| -> Vec<String> {
                (holes((w.message)(key)).into_iter())
                    .filter(|h| h.1 == 0)
                    .map(|h| h.0)
                    .collect()
            };
            for lang in Lang::ALL {
                let w = lang.words();
                let text = (w.message)(key);
                assert!(!text.trim().is_empty(), "{lang:?} {key:?} is empty");
                assert_eq!(names(w), names(en), "{lang:?} {key:?}: {text}");
                // A plural hole gives the language's forms: two in English
                // (one, other), three in Russian (one, few, many).
                let want = match lang {
                    Lang::En => 2,
                    Lang::Ru => 3,
                };
                for (name, forms) in holes(text) {
                    // Literal braces are given as values, never written.
                    assert!(
                        !name.is_empty()
                            && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                        "{lang:?} {key:?}: {{{name}}}"
                    );
                    assert!(
                        forms == 0 || forms == want,
                        "{lang:?} {key:?} {{{name}|…}}: {forms} forms"
                    );
                }
            }
        }
    }

    #[test]
    fn texts_that_come_through_serde_are_recognised() {
        let en = Lang::En.words();
        for (key, text) in [
            (Msg::ExpTimestamp, crate::model::TIMESTAMP_EXPECTED),
            (Msg::ExpDate, crate::words::date::DATE_EXPECTED),
            (Msg::ExpFeedbackKind, crate::model::FEEDBACK_KIND_EXPECTED),
            (Msg::ExpSentiment, crate::model::SENTIMENT_EXPECTED),
            (
                Msg::WhenTests,
                crate::model::Condition::default()
                    .problem()
                    .unwrap_or_default(),
            ),
            (
                Msg::WhenBlank,
                serde_json::from_str::<crate::model::Condition>("\"  \"")
                    .ok()
                    .and_then(|c| c.problem())
                    .unwrap_or_default(),
            ),
        ] {
            assert_eq!((en.message)(key), text);
            assert_eq!(Sentence::recognised(text).key(), Some(key));
        }
        let zone = crate::time::tz::UnknownZone("x".into()).to_string();
        let expected = zone.split_once("expected ").map(|p| p.1);
        assert_eq!(expected, Some((en.message)(Msg::ExpZone)));
    }

    #[test]
    fn plural_holes_follow_the_count() {
        let m = |n| {
            Sentence::new(Msg::ErrMany)
                .count("n", n)
                .with("first", Sentence::new(Msg::ErrMissingField))
        };
        let ru: Vec<String> = [1, 2, 5, 11, 21, 22, 25, 101]
            .map(|n| m(n).text(Lang::Ru))
            .to_vec();
        assert_eq!(
            ru,
            [
                "1 ошибка; первая: не заполнено обязательное поле",
                "2 ошибки; первая: не заполнено обязательное поле",
                "5 ошибок; первая: не заполнено обязательное поле",
                "11 ошибок; первая: не заполнено обязательное поле",
                "21 ошибка; первая: не заполнено обязательное поле",
                "22 ошибки; первая: не заполнено обязательное поле",
                "25 ошибок; первая: не заполнено обязательное поле",
                "101 ошибка; первая: не заполнено обязательное поле",
            ]
        );
        assert_eq!(
            m(2).to_string(),
            "2 error(s); the first: missing required field"
        );
    }

    /// One message of each family, in both languages.
    #[test]
    fn each_family_reads_in_both_languages() {
        let both = |m: &Sentence| (m.to_string(), m.text(Lang::Ru));
        // Loader notes: the verb and the noun agree with their counts.
        let note = |total, seen| {
            Sentence::new(Msg::NoteUnmeasured)
                .count("total", total)
                .count("seen", seen)
                .list(
                    "groups",
                    vec![
                        Sentence::new(Msg::NoteUnmeasuredGroup)
                            .count("n", total)
                            .value("stage", "purchase")
                            .quoted("channel", "web"),
                    ],
                )
                .value("more", "")
                .value("example", "X")
        };
        assert_eq!(
            both(&note(1, 1)),
            (
                "1 of 1 interaction(s) no duration expectation measures: 1 in stage purchase by \
                 channel \"web\" (add an expectation for them, or map the values: X)"
                    .to_owned(),
                "1 из 1 обращения не попадает ни под одно ожидание по времени: 1 — этап purchase, \
                 канал \"web\" (добавьте для них ожидание или сопоставьте значения: X)"
                    .to_owned()
            )
        );
        assert!(
            note(21, 600)
                .text(Lang::Ru)
                .starts_with("21 из 600 обращений не попадает")
        );
        assert!(
            note(22, 22)
                .text(Lang::Ru)
                .starts_with("22 из 22 обращений не попадают")
        );
        let columns = |n| {
            Sentence::new(Msg::NoteIgnoredColumns)
                .value("file", "f.csv")
                .count("n", n)
                .value("columns", "A")
                .text(Lang::Ru)
        };
        assert_eq!(columns(1), "f.csv: не используется столбец: A");
        assert_eq!(columns(3), "f.csv: не используются столбцы: A");
        // Reading CSV: a row's width.
        let width = |len| {
            Sentence::new(Msg::CsvWidth)
                .count("len", len)
                .count("expected", 20)
                .text(Lang::Ru)
        };
        assert_eq!(
            [1, 2, 5, 21].map(width),
            [
                "в строке 1 поле, а в заголовке 20",
                "в строке 2 поля, а в заголовке 20",
                "в строке 5 полей, а в заголовке 20",
                "в строке 21 поле, а в заголовке 20",
            ]
        );
        // Calendars: a phrase within a phrase.
        let shift = Sentence::new(Msg::CalShift)
            .value("prev", "fri")
            .value("i", 0)
            .value("next", "sat")
            .value("j", 1)
            .with("on", Sentence::new(Msg::CalOn).value("date", "2026-06-05"));
        assert_eq!(
            both(&shift),
            (
                "the shift fri[0] crosses midnight and overlaps sat[1] on 2026-06-05".to_owned(),
                "смена fri[0] переходит через полночь и пересекается с sat[1] в день 2026-06-05"
                    .to_owned()
            )
        );
        // Options of the analyses.
        let option = Sentence::new(Msg::OptNoExpectation).quoted("id", "x");
        assert_eq!(
            both(&option),
            (
                "the diary has no expectation \"x\"".to_owned(),
                "в дневнике нет ожидания \"x\"".to_owned()
            )
        );
        // Reading files: an encoding said by its mark.
        let bom = Sentence::new(Msg::EncBom)
            .value("file", "f.csv")
            .value("found", "UTF-16LE")
            .value("said", "windows-1251");
        assert_eq!(
            bom.text(Lang::Ru),
            "f.csv: прочитан как UTF-16LE, как указывает его метка порядка байтов, а не как \
             windows-1251"
        );
        // Checks of the records: what a value should have been.
        let score = Sentence::new(Msg::VWholeFromTo)
            .value("lo", 0)
            .value("hi", 10)
            .value("kind", "nps");
        assert_eq!(
            both(&score),
            (
                "a whole number from 0 to 10 for nps".to_owned(),
                "целое число от 0 до 10 для nps".to_owned()
            )
        );
        // Files and their changes: plural of the first count.
        let changed = Sentence::new(Msg::FilesChanged)
            .value("files", "f.csv")
            .count("first", 3)
            .count("then", 4);
        assert_eq!(
            changed.text(Lang::Ru),
            "f.csv: отзывы изменились во время чтения (они читаются дважды: 3 записи, затем 4)"
        );
    }

    #[test]
    fn counts_are_plain_digits_in_every_language() {
        let m = Sentence::new(Msg::SkippedCount).count("n", 12_345);
        assert_eq!(m.to_string(), "12345 record(s) skipped");
        assert_eq!(m.text(Lang::Ru), "пропущено 12345 записей");
        let m = Sentence::new(Msg::SkippedCount).count("n", 1);
        assert_eq!(m.text(Lang::Ru), "пропущена 1 запись");
    }

    #[test]
    fn a_verbatim_text_and_a_missing_argument_stay_as_written() {
        assert_eq!(Sentence::from("as is {x}").text(Lang::Ru), "as is {x}");
        assert_eq!(Sentence::new(Msg::LocLine).text(Lang::En), "line {line}");
    }
}
