//! JSON in, JSON out: the entry points every face uses — the CLI's
//! `--format json`, the C library and the WebAssembly package — so that they
//! print the same bytes for the same input.
//!
//! Output is [`to_json`]: pretty-printed JSON, keys in a fixed order, no
//! trailing newline. Options are JSON objects; unknown option names are
//! rejected with the list of known ones.

pub(crate) mod journal;
pub(crate) mod partial;

use serde::{Deserialize, Serialize};

pub use crate::input::sources::{FileKind, FileSummary, Format, Source, load, open};

pub use journal::Journal;

#[cfg(feature = "analyses")]
use crate::analysis::drill::{
    Drill, DrillOptions, People, PeopleOptions, ProblemOptions, Problems,
};
#[cfg(feature = "analyses")]
use crate::analysis::due::{DueList, DueOptions};
#[cfg(feature = "analyses")]
use crate::analysis::followup::{FollowUpList, FollowUpOptions};
use crate::analysis::report::Report;
use crate::analysis::trend::{TrendOptions, TrendReport};
#[cfg(feature = "analyses")]
use crate::engine::Prepared;
use crate::engine::ReportOptions;
use crate::error::{Error, ErrorReport, Location, Result};
use crate::input::read::Loaded;
use crate::model::Diary;
use crate::words::{Msg, Sentence};

/// Record counts of a diary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Stages.
    pub stages: usize,
    /// Expectation records.
    pub expectations: usize,
    /// Interactions.
    pub interactions: usize,
    /// Feedback records.
    pub feedback: usize,
    /// Manual observations.
    pub observations: usize,
    /// Follow-up records.
    pub follow_ups: usize,
}

impl Counts {
    /// The counts of `diary`.
    pub fn of(diary: &Diary) -> Counts {
        Counts {
            stages: diary.stages.len(),
            expectations: diary.expectations.len(),
            interactions: diary.interactions.len(),
            feedback: diary.feedback.len(),
            observations: diary.observations.len(),
            follow_ups: diary.follow_ups.len(),
        }
    }
}

/// The validation report (`mindgap validate --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// No errors at all.
    pub ok: bool,
    /// The fatal error that stopped reading, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fatal: Option<ErrorReport>,
    /// The files read.
    pub files: Vec<FileSummary>,
    /// What was accepted.
    pub counts: Option<Counts>,
    /// Every rejected record, in input order.
    pub errors: Vec<ErrorReport>,
    /// Notes that are not errors.
    pub notes: Vec<String>,
}

impl ValidationReport {
    /// The report of a finished read (`Ok`) or of a read stopped by a fatal
    /// error (`Err`).
    pub fn new(result: &Result<(Loaded, Vec<FileSummary>)>) -> ValidationReport {
        Self::new_in(result, crate::words::Lang::En)
    }

    /// [`new`](ValidationReport::new) with the messages of the errors and
    /// the notes in `lang` (codes, kinds and locations are the same in
    /// every language).
    pub fn new_in(
        result: &Result<(Loaded, Vec<FileSummary>)>,
        lang: crate::words::Lang,
    ) -> ValidationReport {
        match result {
            Ok((loaded, files)) => ValidationReport {
                ok: loaded.skipped.is_empty(),
                fatal: None,
                files: files.clone(),
                counts: Some(Counts::of(&loaded.diary)),
                errors: (loaded.skipped.iter())
                    .map(|e| e.to_report_in(lang))
                    .collect(),
                notes: loaded.notes.iter().map(|n| n.text(lang)).collect(),
            },
            Err(e) => ValidationReport {
                ok: false,
                fatal: Some(e.to_report_in(lang)),
                files: Vec::new(),
                counts: None,
                errors: Vec::new(),
                notes: Vec::new(),
            },
        }
    }
}

/// The canonical JSON of any result: pretty-printed, no trailing newline.
///
/// ```
/// let at = mindgap::Location::file("a.csv").with_line(3);
/// assert_eq!(mindgap::api::to_json(&at), "{\n  \"file\": \"a.csv\",\n  \"line\": 3\n}");
/// ```
pub fn to_json<T: Serialize>(value: &T) -> String {
    // Serialising these plain data types cannot fail: no maps with non-string
    // keys, no custom serialisers that error.
    serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
}

/// Parses options given as JSON text (`""` or `"null"` give the defaults).
///
/// ```
/// use mindgap::{Dimension, ReportOptions, api};
/// let o: ReportOptions = api::options(r#"{"by": ["channel"], "confidence": 0.9}"#, "report")?;
/// assert_eq!(o, ReportOptions::default().with_by(Dimension::Channel).with_confidence(0.9));
/// assert_eq!(api::options::<ReportOptions>("null", "report")?, ReportOptions::default());
/// let e = api::options::<ReportOptions>(r#"{"confidnce": 0.9}"#, "report").unwrap_err();
/// assert_eq!(e.code(), 23);
/// assert!(e.to_string().contains("report.confidnce"), "{e}");
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn options<T: for<'de> Deserialize<'de> + Default>(json: &str, what: &str) -> Result<T> {
    let text = json.trim();
    if text.is_empty() || text == "null" {
        return Ok(T::default());
    }
    if !text.starts_with('{') {
        // serde would read an array as the fields in order.
        return Err(Error::InvalidOption {
            option: what.to_owned(),
            message: Sentence::new(Msg::ApiObject)
                .value("example", r#"{"as_of": "2026-11-09T11:00:00+03:00"}"#)
                .value("text", crate::error::excerpt(text)),
        });
    }
    crate::input::read::from_json_text(
        text,
        Location::default().with_path(what),
        1,
        &crate::input::jsonpath::Shape::owned::<T>(),
    )
    .map_err(|e| match e {
        Error::UnknownField {
            field, expected, ..
        } => Error::InvalidOption {
            option: format!("{what}.{field}"),
            message: Sentence::new(Msg::ApiUnknownOption).value("options", expected),
        },
        other => Error::InvalidOption {
            option: what.to_owned(),
            message: other.sentence(),
        },
    })
}

/// The charts of a report given as its JSON (what `run(…, "report", …)`
/// gives): the SVG every face shows ([`Charts`](crate::Charts)), as JSON, so
/// the command line's HTML report and the web widget draw the same.
pub fn charts(report_json: &str) -> Result<String> {
    let report: Report = serde_json::from_str(report_json).map_err(|e| Error::InvalidOption {
        option: "charts.report".to_owned(),
        message: format!("not a mindgap report: {e}").into(),
    })?;
    Ok(to_json(&crate::render::charts(&report)))
}

/// The charts of the report a journal gives for these options (JSON, as
/// [`run`] takes them for `report`): what the WebAssembly face's
/// `Diary.charts` returns.
pub fn charts_of(journal: &Journal, options_json: &str) -> Result<String> {
    let o: ReportOptions = options(options_json, "report")?;
    Ok(to_json(&crate::render::charts(&journal.report(&o)?)))
}

/// An analysis of files ([`Files`](crate::Files)), streamed, with its
/// options as JSON: `what` is `report` ([`ReportOptions`] → [`Report`]),
/// `trend` ([`TrendOptions`] → [`TrendReport`]), or with the `analyses`
/// feature `follow_ups`, `drill`, `people` or `problems`. Returns the result
/// as canonical JSON — the bytes [`run`] gives for the diary loaded whole —
/// and the records skipped (lenient mode), in input order.
pub fn run_files(
    files: &crate::run::files::Files,
    what: &str,
    options_json: &str,
) -> Result<(String, Vec<ErrorReport>)> {
    // Every analysis but those that stream nothing: the checks, the breach
    // queue (clocks running now need every row at once) and the diary.
    const NOT_STREAMED: &[&str] = &["validate", "due", "diary"];
    let streamed: Vec<&str> = (ANALYSES.iter().copied())
        .filter(|a| !NOT_STREAMED.contains(a))
        .collect();
    // Other names are refused by the request's parser (unknown, or not in
    // this build).
    if NOT_STREAMED.contains(&what) {
        return Err(Error::InvalidOption {
            option: "what".into(),
            message: Sentence::new(Msg::ApiNotStreamed)
                .quoted("what", what)
                .value("streamed", streamed.join(", ")),
        });
    }
    let request = Request::parse(what, options_json)?;
    fn done<T: Serialize>(d: crate::run::stream::Streamed<T>) -> (String, Vec<Error>) {
        (to_json(&d.result), d.skipped)
    }
    let (json, skipped) = match &request {
        Request::Report(o) => done(files.report(o)?),
        Request::Trend(o) => done(files.trend(o)?),
        #[cfg(feature = "analyses")]
        Request::FollowUps(o) => done(files.follow_ups(o)?),
        #[cfg(feature = "analyses")]
        Request::Drill(o) => done(files.drill(o)?),
        #[cfg(feature = "analyses")]
        Request::People(o) => done(files.people(o)?),
        #[cfg(feature = "analyses")]
        Request::Problems(o) => done(files.problems(o)?),
        other => {
            return Err(Error::internal(format!(
                "{} is not streamed from files",
                other.name()
            )));
        }
    };
    Ok((json, skipped.iter().map(Error::to_report).collect()))
}

/// The analyses [`Request`] knows, by name (in this build: without the
/// `trend` feature trends, without `analyses` the closed loop and
/// drill-down are left out, and [`LEFT_OUT`] lists them).
pub const ANALYSES: &[&str] = &[
    "validate",
    "report",
    #[cfg(feature = "trend")]
    "trend",
    #[cfg(feature = "analyses")]
    "follow_ups",
    #[cfg(feature = "analyses")]
    "due",
    #[cfg(feature = "analyses")]
    "drill",
    #[cfg(feature = "analyses")]
    "people",
    #[cfg(feature = "analyses")]
    "problems",
    "diary",
];

/// The analyses of the full build that this build was compiled without
/// (the `trend` and `analyses` features of the core): asked for by name,
/// they are refused with an error that says so, not as unknown names.
pub const LEFT_OUT: &[&str] = &[
    #[cfg(not(feature = "trend"))]
    "trend",
    #[cfg(not(feature = "analyses"))]
    "follow_ups",
    #[cfg(not(feature = "analyses"))]
    "due",
    #[cfg(not(feature = "analyses"))]
    "drill",
    #[cfg(not(feature = "analyses"))]
    "people",
    #[cfg(not(feature = "analyses"))]
    "problems",
];

/// An analysis to run over a [`Journal`], with its options: what the faces
/// send. As JSON, `{"analysis": "report", "options": {…}}`; the C and
/// JavaScript faces pass the name and the options' JSON apart
/// ([`Request::parse`]).
///
/// | analysis | options | [`Response`] |
/// |---|---|---|
/// | `validate` | none | [`ValidationReport`] of what was read so far |
/// | `report` | [`ReportOptions`] | [`Report`] |
/// | `trend` | [`TrendOptions`] | [`TrendReport`] |
/// | `follow_ups` | [`FollowUpOptions`] | [`FollowUpList`] |
/// | `due` | [`DueOptions`] | [`DueList`] (the breach queue) |
/// | `drill` | [`DrillOptions`] | [`Drill`] |
/// | `people` | [`PeopleOptions`] | [`People`] |
/// | `problems` | [`ProblemOptions`] | [`Problems`] |
/// | `diary` | none | the [`Diary`] as accepted so far (schema `mindgap/1`) |
///
/// ```
/// use mindgap::api::{Request, Response};
/// let request = Request::parse("report", r#"{"by": ["channel"]}"#).unwrap();
/// assert_eq!(request.name(), "report");
/// let journal = mindgap::Journal::new(mindgap::sample::diary(200), Default::default()).unwrap();
/// let Response::Report(report) = journal.respond(&request).unwrap() else { unreachable!() };
/// assert_eq!(report.breakdowns.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "analysis", content = "options", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Request {
    /// What was read so far: files, counts, skipped records, notes.
    Validate,
    /// The gap report.
    Report(ReportOptions),
    /// Trends.
    Trend(TrendOptions),
    /// The follow-up list.
    #[cfg(feature = "analyses")]
    FollowUps(FollowUpOptions),
    /// The breach queue: every running clock with its warning and breach
    /// instants.
    #[cfg(feature = "analyses")]
    Due(DueOptions),
    /// The records behind a figure.
    #[cfg(feature = "analyses")]
    Drill(DrillOptions),
    /// Employees or teams ranked.
    #[cfg(feature = "analyses")]
    People(PeopleOptions),
    /// Recurring problems and the gap per complaint reason.
    #[cfg(feature = "analyses")]
    Problems(ProblemOptions),
    /// The diary as accepted so far.
    Diary,
}

impl Request {
    /// The request for the analysis `name` (one of [`ANALYSES`]) with its
    /// options as JSON (`""` or `"null"` for the defaults; unknown option
    /// names are refused with the list of known ones).
    pub fn parse(name: &str, options_json: &str) -> Result<Request> {
        Ok(match name {
            "validate" => {
                no_options(options_json, name)?;
                Request::Validate
            }
            "report" => Request::Report(options(options_json, name)?),
            #[cfg(feature = "trend")]
            "trend" => Request::Trend(options(options_json, name)?),
            #[cfg(feature = "analyses")]
            "follow_ups" => Request::FollowUps(options(options_json, name)?),
            #[cfg(feature = "analyses")]
            "due" => Request::Due(options(options_json, name)?),
            #[cfg(feature = "analyses")]
            "drill" => Request::Drill(options(options_json, name)?),
            #[cfg(feature = "analyses")]
            "people" => Request::People(options(options_json, name)?),
            #[cfg(feature = "analyses")]
            "problems" => Request::Problems(options(options_json, name)?),
            "diary" => {
                no_options(options_json, name)?;
                Request::Diary
            }
            other if LEFT_OUT.contains(&other) => {
                return Err(Error::InvalidOption {
                    option: "analysis".into(),
                    message: Sentence::new(Msg::ApiLeftOut)
                        .value("name", other)
                        .value("analyses", ANALYSES.join(", ")),
                });
            }
            other => {
                return Err(Error::InvalidOption {
                    option: "analysis".into(),
                    message: Sentence::new(Msg::ApiUnknownAnalysis)
                        .value("name", crate::error::excerpt(other))
                        .value("analyses", ANALYSES.join(", ")),
                });
            }
        })
    }

    /// The request written as JSON, `{"analysis": "report", "options":
    /// {…}}` (`options` may be left out or `null` for the defaults): the
    /// same rules and errors as [`Request::parse`].
    ///
    #[cfg_attr(feature = "analyses", doc = "```")]
    #[cfg_attr(not(feature = "analyses"), doc = "```ignore")]
    /// use mindgap::api::Request;
    /// let json = r#"{"analysis": "follow_ups", "options": {"show": "overdue"}}"#;
    /// assert_eq!(Request::from_json(json)?, Request::parse("follow_ups", r#"{"show": "overdue"}"#)?);
    /// let bare = Request::from_json(r#"{"analysis": "report"}"#)?;
    /// assert_eq!(bare, Request::Report(Default::default()));
    /// assert!(Request::from_json(r#"{"analysis": "reprot"}"#).is_err());
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Request> {
        let raw: RawRequest = serde_json::from_str(json).map_err(|e| Error::InvalidOption {
            option: "request".into(),
            message: Sentence::parser(&e.to_string()),
        })?;
        raw.parse()
    }

    /// The analysis's name, as in [`ANALYSES`].
    ///
    /// ```
    /// use mindgap::api::{ANALYSES, Request};
    /// for name in ANALYSES {
    ///     assert_eq!(Request::parse(name, "")?.name(), *name);
    /// }
    /// # Ok::<(), mindgap::Error>(())
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Request::Validate => "validate",
            Request::Report(_) => "report",
            Request::Trend(_) => "trend",
            #[cfg(feature = "analyses")]
            Request::FollowUps(_) => "follow_ups",
            #[cfg(feature = "analyses")]
            Request::Due(_) => "due",
            #[cfg(feature = "analyses")]
            Request::Drill(_) => "drill",
            #[cfg(feature = "analyses")]
            Request::People(_) => "people",
            #[cfg(feature = "analyses")]
            Request::Problems(_) => "problems",
            Request::Diary => "diary",
        }
    }
}

/// A request as it is written, before its options are read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    analysis: String,
    #[serde(default)]
    options: Option<serde_json::Value>,
}

impl RawRequest {
    fn parse(self) -> Result<Request> {
        let options = self.options.map(|o| o.to_string()).unwrap_or_default();
        Request::parse(&self.analysis, &options)
    }
}

/// Reads a request as [`Request::from_json`] does (defaults for absent
/// options, `{}` for an analysis that takes none).
impl<'de> Deserialize<'de> for Request {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Request, D::Error> {
        RawRequest::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The result of a [`Request`]. It serialises as the result itself (no tag),
/// so [`to_json`] of a response is the JSON of the report, the trend….
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
// Without the closed loop the validation report is the one large variant
// left; boxing it would change the API of the full build for nothing.
#[cfg_attr(not(feature = "analyses"), allow(clippy::large_enum_variant))]
pub enum Response<'j> {
    /// For [`Request::Validate`].
    Validation(ValidationReport),
    /// For [`Request::Report`].
    Report(Box<Report>),
    /// For [`Request::Trend`].
    Trend(Box<TrendReport>),
    /// For [`Request::FollowUps`].
    #[cfg(feature = "analyses")]
    FollowUps(FollowUpList),
    /// For [`Request::Due`].
    #[cfg(feature = "analyses")]
    Due(DueList),
    /// For [`Request::Drill`].
    #[cfg(feature = "analyses")]
    Drill(Drill),
    /// For [`Request::People`].
    #[cfg(feature = "analyses")]
    People(People),
    /// For [`Request::Problems`].
    #[cfg(feature = "analyses")]
    Problems(Problems),
    /// For [`Request::Diary`]: the journal's own diary.
    Diary(&'j Diary),
}

/// Answers a request over a journal (see [`Journal::respond`]).
pub(crate) fn respond<'j>(journal: &'j Journal, request: &Request) -> Result<Response<'j>> {
    Ok(match request {
        Request::Validate => Response::Validation(ValidationReport {
            ok: journal.skipped().is_empty(),
            fatal: None,
            files: journal.files().to_vec(),
            counts: Some(Counts::of(journal.diary())),
            errors: journal.skipped().iter().map(Error::to_report).collect(),
            notes: journal.notes().iter().map(ToString::to_string).collect(),
        }),
        Request::Report(o) => Response::Report(Box::new(journal.report(o)?)),
        Request::Trend(o) => Response::Trend(Box::new(journal.trend(o)?)),
        #[cfg(feature = "analyses")]
        Request::FollowUps(o) => {
            Response::FollowUps(Prepared::new(journal.diary())?.follow_ups(o)?)
        }
        #[cfg(feature = "analyses")]
        Request::Due(o) => Response::Due(Prepared::new(journal.diary())?.due(o)?),
        #[cfg(feature = "analyses")]
        Request::Drill(o) => Response::Drill(Prepared::new(journal.diary())?.drill(o)?),
        #[cfg(feature = "analyses")]
        Request::People(o) => Response::People(Prepared::new(journal.diary())?.people(o)?),
        #[cfg(feature = "analyses")]
        Request::Problems(o) => Response::Problems(Prepared::new(journal.diary())?.problems(o)?),
        Request::Diary => Response::Diary(journal.diary()),
    })
}

/// Runs an analysis of a journal by name, with its options as JSON, and
/// returns the result as canonical JSON ([`to_json`]): [`Request::parse`],
/// then [`Journal::respond`]. Every face (CLI, C, JavaScript) goes through
/// here, so a new analysis reaches all of them at once.
///
/// ```
/// use mindgap::api::{self, Request};
/// let journal = mindgap::Journal::new(mindgap::sample::diary(200), Default::default())?;
/// let json = api::run(&journal, "validate", "")?;
/// assert_eq!(json, api::to_json(&journal.respond(&Request::Validate)?));
/// assert!(json.contains(r#""ok": true"#));
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn run(journal: &Journal, what: &str, options_json: &str) -> Result<String> {
    let request = Request::parse(what, options_json)?;
    Ok(to_json(&journal.respond(&request)?))
}

fn no_options(json: &str, what: &str) -> Result<()> {
    let t = json.trim();
    if t.is_empty() || t == "null" || t == "{}" {
        Ok(())
    } else {
        Err(Error::InvalidOption {
            option: what.to_owned(),
            message: Sentence::new(Msg::ApiNoOptions)
                .value("what", what)
                .value("empty", "{}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_read_from_json_as_by_name() {
        for name in ANALYSES {
            let by_name = Request::parse(name, "").unwrap();
            assert_eq!(by_name.name(), *name);
            // Written and read back: the same request.
            let json = serde_json::to_string(&by_name).unwrap();
            assert_eq!(Request::from_json(&json).unwrap(), by_name, "{json}");
            // Options left out or null: the defaults; {} for those that take none.
            let bare = format!(r#"{{"analysis": "{name}"}}"#);
            assert_eq!(Request::from_json(&bare).unwrap(), by_name);
            let null = format!(r#"{{"analysis": "{name}", "options": null}}"#);
            assert_eq!(Request::from_json(&null).unwrap(), by_name);
            let empty = format!(r#"{{"analysis": "{name}", "options": {{}}}}"#);
            assert_eq!(Request::from_json(&empty).unwrap(), by_name);
            let via_serde: Request = serde_json::from_str(&empty).unwrap();
            assert_eq!(via_serde, by_name);
        }
        let e = Request::from_json(r#"{"analysis": "report", "options": {"bye": 1}}"#).unwrap_err();
        assert_eq!(e.code(), 23);
        assert!(e.to_string().contains("report.bye"), "{e}");
        let e = Request::from_json(r#"{"analysis": "reprot"}"#).unwrap_err();
        assert!(e.to_string().contains("unknown analysis"), "{e}");
        let e = Request::from_json(r#"{"analysis": "report", "extra": 1}"#).unwrap_err();
        assert_eq!(e.code(), 23);
    }

    #[test]
    fn analyses_left_out_of_the_build_are_refused_by_name() {
        // Every analysis is in the build or named as left out, never both.
        assert_eq!(ANALYSES.len() + LEFT_OUT.len(), 9);
        assert!(ANALYSES.iter().all(|a| !LEFT_OUT.contains(a)));
        assert_eq!(
            LEFT_OUT.len(),
            usize::from(cfg!(not(feature = "trend")))
                + 5 * usize::from(cfg!(not(feature = "analyses")))
        );
        for name in LEFT_OUT {
            let e = Request::parse(name, "").unwrap_err();
            assert_eq!(e.code(), 23);
            assert!(
                e.to_string()
                    .contains(&format!("{name} is not in this build of mindgap")),
                "{e}"
            );
        }
        let e = Request::parse("reprot", "").unwrap_err();
        assert!(e.to_string().contains("unknown analysis"), "{e}");
    }

    #[test]
    fn options_are_an_object_never_fields_in_order() {
        for bad in ["[0.9]", "[]", "5", "\"report\""] {
            let e = options::<ReportOptions>(bad, "report").unwrap_err();
            assert_eq!(e.code(), 23, "{bad}: {e}");
            assert!(e.to_string().contains("JSON object"), "{e}");
        }
    }

    #[test]
    fn options_reject_unknown_names_and_accept_empty() {
        let o: ReportOptions = options("", "report").unwrap();
        assert_eq!(o, ReportOptions::default());
        let e = options::<ReportOptions>(r#"{"confidnce": 0.9}"#, "report").unwrap_err();
        assert_eq!(e.code(), 23);
        assert!(e.to_string().contains("report.confidnce"), "{e}");
        let o: ReportOptions = options(r#"{"by": ["channel"], "lang": "ru"}"#, "report").unwrap();
        assert_eq!(o.by, [crate::engine::Dimension::Channel]);
    }

    #[test]
    fn format_from_name() {
        assert_eq!(Format::from_name("a/b/feedback.CSV"), Some(Format::Csv));
        assert_eq!(Format::from_name("x.ndjson"), Some(Format::Jsonl));
        assert_eq!(Format::from_name("diary.json"), None);
        assert_eq!(Format::from_name("noext"), None);
    }
}
