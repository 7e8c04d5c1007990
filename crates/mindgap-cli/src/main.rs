//! `mindgap`: the expectations diary from the command line.
//!
//! Exit codes: 0 success; 1 the input has errors; 2 usage errors (bad flags,
//! unreadable files).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The CLI reads millions of small records: mimalloc allocates and frees
/// them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` and `mi_option_arena_eager_commit`
/// (their places in `mi_option_e`, the same in mimalloc 2 and 3; the `-sys`
/// crate names no constants for them). The test below checks the places by
/// the options' documented defaults.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// Keeps the allocator's resident memory to what is in use:
///
/// - freed memory goes back to the system at once: mimalloc 3 keeps it for
///   a second by default, which at a million interactions held ~50 MB more
///   at the peak (the feedback is read into growing vectors, then moved) for
///   no measurable speed;
/// - the arena is committed as it is used, not at once: committed at once
///   (where the system overcommits), the kernel backs it with transparent
///   huge pages, and every 2 MB page touched at all is resident whole: a
///   million-interaction report peaked at 155 MB instead of 121 MB, for about
///   3 % more time within the machine's noise (ten million: ~7 % in one run;
///   4 KB pages mean more page-table misses over its large tables).
///
/// The options must be set before mimalloc reserves its arena, at the first
/// allocation, which the Rust runtime makes before `main`: on Linux they are
/// set by a constructor the loader runs before the runtime starts (the call
/// in `main` covers other systems, where the first point applies).
fn tune_allocator() {
    // SAFETY: sets process-wide options by their documented indices;
    // mimalloc reads options atomically and 0 is valid for both.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

// Not in unit tests: they check the defaults, then the setting.
#[cfg(all(target_os = "linux", not(test)))]
#[used]
#[unsafe(link_section = ".init_array")]
static TUNE_ALLOCATOR_FIRST: extern "C" fn() = {
    extern "C" fn tune() {
        tune_allocator();
    }
    tune
};

mod closing;
mod engine;
mod import;
mod input;
mod out;
mod report;
mod sample;
mod trend;
mod usage;
mod validate;

/// Measure the gap between what customers expect and what they get.
#[derive(Debug, Parser)]
#[command(name = "mindgap", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Time-zone data: auto (the system's tz database, $TZDIR or
    /// /usr/share/zoneinfo, when there is one; else the copy compiled in),
    /// compiled, system, or a directory of TZif files. Default:
    /// $MINDGAP_TZDATA, else auto.
    #[arg(long, global = true, value_name = "auto|compiled|system|DIR")]
    tzdata: Option<String>,
}

/// Chooses the tz data zones are read from: `--tzdata`, else
/// `MINDGAP_TZDATA`, else `auto` (before any zone is named).
fn choose_tzdata(flag: Option<&str>) -> Result<(), Failure> {
    let (choice, from) = match flag {
        Some(text) => (
            text.parse()
                .map_err(|e| Failure::usage(format!("--tzdata {text:?}: {e}")))?,
            "--tzdata",
        ),
        None => match mindgap::TzDataChoice::from_env()? {
            Some(choice) => (choice, mindgap::TZDATA_ENV),
            None => (mindgap::TzDataChoice::Auto, "auto"),
        },
    };
    mindgap::set_tzdata(&choice)
        .map_err(|e| Failure::usage(format!("{from}: {e}")))
        .map(drop)
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the built-in sample: diary.json, interactions.csv, feedback.csv.
    Sample(sample::Args),
    /// The diary report: each stage and expectation, what actually happened,
    /// the gap, and a remark.
    Report(Box<report::Args>),
    /// Trends: series per stage, expectation, channel or employee with
    /// Mann–Kendall, Theil–Sen, p-charts and change points; expectation drift
    /// and staleness.
    Trend(Box<trend::Args>),
    /// Check diary files (JSON diary, CSV, JSON Lines) and print every error.
    Validate(validate::Args),
    /// Read a helpdesk's or CRM's export (--from PROFILE) and write
    /// mindgap's own interactions.csv and feedback.csv.
    Import(Box<import::Args>),
    /// Follow-ups opened by negative feedback: open, overdue and closed,
    /// with the customer's history and who is responsible.
    #[command(name = "followups")]
    FollowUps(Box<closing::FollowUpArgs>),
    /// The breach queue: every running clock (first reply, next reply,
    /// resolution, follow-up) with when it leaves the desired level and
    /// when it breaches the adequate one.
    Due(Box<closing::DueArgs>),
    /// The records behind a figure: an expectation's missed share, a stage,
    /// a channel, an employee.
    Drill(Box<closing::DrillArgs>),
    /// Employees (or teams) ranked by the share of observations met, by the
    /// lower bound of its interval.
    People(Box<closing::PeopleArgs>),
    /// Recurring problems (the same reason or category again and again) and
    /// the gap that goes with each complaint reason.
    Problems(Box<closing::ProblemArgs>),
}

impl Command {
    /// The language the command prints in (`--lang`).
    fn lang(&self) -> mindgap::Lang {
        match self {
            Command::Sample(a) => a.lang,
            Command::Report(a) => a.lang,
            Command::Trend(a) => a.lang,
            Command::Validate(a) => a.lang,
            Command::Import(a) => a.lang,
            Command::FollowUps(a) => a.lang.lang,
            Command::Due(a) => a.lang.lang,
            Command::Drill(a) => a.lang.lang,
            Command::People(a) => a.lang.lang,
            Command::Problems(a) => a.lang.lang,
        }
    }
}

/// A failure of a command: the message, and the exit code it maps to.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
    error: Option<mindgap::Error>,
}

impl Failure {
    /// Bad usage or unreadable files (exit code 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
            error: None,
        }
    }
    /// Whether this is a usage error (exit code 2).
    pub fn is_usage(&self) -> bool {
        self.code == 2
    }
    /// The library error behind it (an input error of the diary itself).
    pub fn into_error(self) -> mindgap::Error {
        self.error.unwrap_or(mindgap::Error::InvalidOption {
            option: "input".into(),
            message: self.message.into(),
        })
    }
    /// The message in `lang`: the core error's in that language, or the
    /// command's own.
    pub fn message_in(&self, lang: mindgap::Lang) -> String {
        match &self.error {
            Some(e) => e.message_in(lang),
            None => self.message.clone(),
        }
    }
    /// The input has errors (exit code 1).
    pub fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: 1,
            message: message.into(),
            error: None,
        }
    }
}

impl From<mindgap::Error> for Failure {
    fn from(e: mindgap::Error) -> Failure {
        let code = match e {
            mindgap::Error::Io { .. } | mindgap::Error::InvalidOption { .. } => 2,
            _ => 1,
        };
        Failure {
            code,
            message: e.to_string(),
            error: Some(e),
        }
    }
}

/// Prints a line on stdout. A closed pipe (`mindgap report | head`) ends the
/// output quietly instead of panicking.
pub fn emit(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}") {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("mindgap: cannot write the output: {e}");
        std::process::exit(2);
    }
}

/// Parses a flag value by the core type's own (serde) name, so the command
/// line accepts exactly the names of the JSON options.
pub fn named<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Named> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| Named(e.to_string()))
}

/// Why [`named`] refused a value: serde's message, printed without its
/// backquotes (and in Russian under `--lang ru`, see `usage.rs`).
#[derive(Debug)]
pub struct Named(pub String);

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.replace('`', ""))
    }
}

impl std::error::Error for Named {}

fn main() -> ExitCode {
    tune_allocator();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match usage::wants_russian(&args)
            .then(|| usage::russian(&e))
            .flatten()
        {
            Some(text) => {
                eprint!("{text}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    if let Err(f) = choose_tzdata(cli.tzdata.as_deref()) {
        eprintln!("mindgap: {}", f.message);
        return ExitCode::from(f.code);
    }
    let lang = cli.command.lang();
    let result = match cli.command {
        Command::Sample(args) => sample::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Trend(args) => trend::run(&args),
        Command::FollowUps(args) => closing::follow_ups(&args),
        Command::Due(args) => closing::due(&args),
        Command::Drill(args) => closing::drill(&args),
        Command::People(args) => closing::people(&args),
        Command::Problems(args) => closing::problems(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("mindgap: {}", f.message_in(lang));
            }
            ExitCode::from(f.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allocator_options_are_where_they_are_set() {
        // mimalloc 3's default purge delay is 1000 ms (mimalloc 2's, 10), the
        // arena's eager commit 2 ("where the system overcommits"): no other
        // option near them has these defaults. Unit tests do not run `main`,
        // so the defaults are still in place here.
        // SAFETY: reads options by index.
        let (delay, eager) = unsafe {
            (
                libmimalloc_sys::mi_option_get(PURGE_DELAY),
                libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT),
            )
        };
        assert!(
            delay == 1000 || delay == 10,
            "option {PURGE_DELAY} is {delay}"
        );
        assert_eq!(eager, 2, "option {ARENA_EAGER_COMMIT}");
        tune_allocator();
        // SAFETY: as above.
        unsafe {
            assert_eq!(libmimalloc_sys::mi_option_get(PURGE_DELAY), 0);
            assert_eq!(libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT), 0);
        }
    }
}
