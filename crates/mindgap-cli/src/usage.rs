//! Command-line mistakes (clap's errors) said in Russian under `--lang ru`:
//! clap speaks English only, so its error is rebuilt from what it carries
//! (the argument, the value, the suggestion, the usage line). Help and
//! version output, and errors of kinds not listed here, stay clap's.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// Whether the command line asks for Russian (`--lang ru`, `--lang=ru`),
/// read before clap has parsed it.
pub fn wants_russian(args: &[std::ffi::OsString]) -> bool {
    let mut previous_is_lang = false;
    for a in args {
        let a = a.to_string_lossy();
        if a == "--" {
            return false;
        }
        if (previous_is_lang && a == "ru") || a == "--lang=ru" {
            return true;
        }
        previous_is_lang = a == "--lang";
    }
    false
}

/// The error in Russian, as clap lays its own out (`error:`, a hint, the
/// usage line, where to read more); `None` for what clap prints as it is.
pub fn russian(e: &clap::Error) -> Option<String> {
    let text = |kind| e.get(kind).map(ContextValue::to_string);
    let quoted = |v: &str| format!("«{v}»");
    let list = |kind| match e.get(kind) {
        Some(ContextValue::Strings(v)) => {
            Some(v.iter().map(|s| quoted(s)).collect::<Vec<_>>().join(", "))
        }
        Some(ContextValue::String(s)) => Some(quoted(s)),
        _ => None,
    };
    let what = match e.kind() {
        ErrorKind::UnknownArgument => format!(
            "неизвестный аргумент {}",
            quoted(&text(ContextKind::InvalidArg)?)
        ),
        ErrorKind::InvalidSubcommand => {
            format!(
                "неизвестная команда {}",
                quoted(&text(ContextKind::InvalidSubcommand)?)
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = text(ContextKind::InvalidArg)?;
            let value = text(ContextKind::InvalidValue)?;
            let mut s = if value.is_empty() {
                format!("у аргумента {} нет значения", quoted(&arg))
            } else {
                format!(
                    "недопустимое значение {} аргумента {}",
                    quoted(&value),
                    quoted(&arg)
                )
            };
            if let Some(valid) = list(ContextKind::ValidValue) {
                s.push_str(&format!("; допустимо: {valid}"));
            }
            if e.kind() == ErrorKind::ValueValidation {
                if let Some(source) = std::error::Error::source(e) {
                    let said = match source.downcast_ref::<crate::Named>() {
                        Some(named) => {
                            mindgap::text::Sentence::parser(&named.0).text(mindgap::Lang::Ru)
                        }
                        None => source.to_string(),
                    };
                    s.push_str(&format!(": {said}"));
                }
            }
            s
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "не указаны обязательные аргументы: {}",
                list(ContextKind::InvalidArg)?
            )
        }
        ErrorKind::ArgumentConflict => {
            let arg = text(ContextKind::InvalidArg)?;
            match list(ContextKind::PriorArg) {
                Some(prior) => format!(
                    "аргумент {} нельзя указывать вместе с {prior}",
                    quoted(&arg)
                ),
                None => format!("аргумент {} указан больше одного раза", quoted(&arg)),
            }
        }
        ErrorKind::NoEquals => {
            format!(
                "у аргумента {} значение пишется через «=»",
                quoted(&text(ContextKind::InvalidArg)?)
            )
        }
        ErrorKind::TooManyValues => format!(
            "лишнее значение {} аргумента {}",
            quoted(&text(ContextKind::InvalidValue)?),
            quoted(&text(ContextKind::InvalidArg)?)
        ),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!(
            "у аргумента {} не то число значений",
            quoted(&text(ContextKind::InvalidArg)?)
        ),
        ErrorKind::MissingSubcommand => "не указана команда".to_owned(),
        ErrorKind::InvalidUtf8 => "аргумент не в кодировке UTF-8".to_owned(),
        _ => return None,
    };
    let mut out = format!("ошибка: {what}\n");
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        if let Some(similar) = list(kind) {
            out.push_str(&format!("\n  подсказка: есть похожий: {similar}\n"));
        }
    }
    if let Some(usage) = text(ContextKind::Usage) {
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage);
        out.push_str(&format!("\nИспользование: {usage}\n"));
    }
    out.push_str("\nПодробнее: --help\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn error(args: &[&str]) -> clap::Error {
        match crate::Cli::try_parse_from(args) {
            Err(e) => e,
            Ok(_) => panic!("{args:?} parsed"),
        }
    }

    #[test]
    fn lang_is_found_before_parsing() {
        let os = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert!(wants_russian(&os(&[
            "mindgap", "report", "--lang", "ru", "--x"
        ])));
        assert!(wants_russian(&os(&["mindgap", "report", "--lang=ru"])));
        assert!(!wants_russian(&os(&["mindgap", "report", "--lang", "en"])));
        assert!(!wants_russian(&os(&[
            "mindgap", "report", "--", "--lang", "ru"
        ])));
        assert!(!wants_russian(&os(&["mindgap", "report", "ru"])));
    }

    #[test]
    fn mistakes_in_russian() {
        let ru = |args: &[&str]| {
            let mut all = vec!["mindgap"];
            all.extend_from_slice(args);
            all.extend_from_slice(&["--lang", "ru"]);
            russian(&error(&all)).unwrap_or_else(|| panic!("{args:?}: not said"))
        };
        for (args, said) in [
            (
                &["report", "--sample", "--frobnicate"][..],
                "неизвестный аргумент «--frobnicate»\n",
            ),
            (&["reprot"], "неизвестная команда «reprot»"),
            (
                &["report", "--sample", "--format", "yaml"],
                "недопустимое значение «yaml» аргумента «--format <FORMAT>»; допустимо: «",
            ),
            (
                &["report", "--sample", "--by", "chanel"],
                "недопустимое значение «chanel» аргумента «--by <DIMENSION>»: неизвестное значение `chanel`, допустимо: одно из `stage`",
            ),
            (
                &["report", "--sample", "--format="],
                "у аргумента «--format <FORMAT>» нет значения",
            ),
        ] {
            let s = ru(args);
            assert!(s.starts_with(&format!("ошибка: {said}")), "{args:?}: {s}");
            assert!(s.ends_with("\nПодробнее: --help\n"), "{args:?}: {s}");
            // No English words but the command's own names.
            for english in [
                "error",
                "Usage",
                "tip",
                "similar",
                "unexpected",
                "information",
                "invalid",
            ] {
                assert!(!s.contains(english), "{english} in {s}");
            }
        }
        assert!(
            ru(&["report", "--sample", "--frobnicate"]).contains("Использование: mindgap report")
        );
        assert!(ru(&["reprot"]).contains("подсказка: есть похожий: «report»"));
    }

    #[test]
    fn help_and_version_stay_clap_s() {
        assert!(russian(&error(&["mindgap", "--help"])).is_none());
        assert!(russian(&error(&["mindgap", "--version"])).is_none());
    }
}
