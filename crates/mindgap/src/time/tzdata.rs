//! Which tz database the zones come from, and which release it is: the copy
//! compiled in (chrono-tz, feature `tzdb`), the system's (TZif files under
//! `$TZDIR` or `/usr/share/zoneinfo`), or a host's ([`crate::ZoneSource`]).
//!
//! The choice is process-wide, like the zone source: make it once, before
//! the first zone is named ([`set_tzdata`]). The library itself reads no
//! environment and no file until asked: its default is the compiled copy.
//! The CLI and the C library choose `auto` (the system's database when there
//! is one) unless `MINDGAP_TZDATA` or `--tzdata` says otherwise.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The environment variable the CLI and the C library read the choice from
/// ([`TzDataChoice::from_env`]).
pub const TZDATA_ENV: &str = "MINDGAP_TZDATA";

/// Where zone rules are read from (`MINDGAP_TZDATA`, `--tzdata`).
///
/// Spelt `auto`, `compiled`, `system`, or a directory of TZif files:
///
/// ```
/// use mindgap::TzDataChoice;
/// assert_eq!("compiled".parse(), Ok(TzDataChoice::Compiled));
/// assert_eq!(
///     "/opt/zoneinfo".parse(),
///     Ok(TzDataChoice::Dir("/opt/zoneinfo".into()))
/// );
/// assert!("".parse::<TzDataChoice>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TzDataChoice {
    /// The system's database when its directory is there and readable,
    /// else the compiled copy: what the CLI and the C library use by
    /// default.
    Auto,
    /// The copy compiled into this build (the same answers on every
    /// machine): the library's default.
    #[default]
    Compiled,
    /// The system's database (`$TZDIR`, else `/usr/share/zoneinfo`); an
    /// error if it is not there.
    System,
    /// TZif files in this directory (laid out like `/usr/share/zoneinfo`).
    Dir(PathBuf),
}

impl std::str::FromStr for TzDataChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<TzDataChoice, String> {
        Ok(match s.trim() {
            "auto" => TzDataChoice::Auto,
            "compiled" => TzDataChoice::Compiled,
            "system" => TzDataChoice::System,
            "" => {
                return Err(
                    "expected auto, compiled, system or a directory of TZif files".to_owned(),
                );
            }
            dir => TzDataChoice::Dir(dir.into()),
        })
    }
}

impl TzDataChoice {
    /// The choice `MINDGAP_TZDATA` names, `None` when it is unset or empty.
    pub fn from_env() -> Result<Option<TzDataChoice>, Error> {
        match std::env::var(TZDATA_ENV) {
            Err(std::env::VarError::NotPresent) => Ok(None),
            Ok(s) if s.trim().is_empty() => Ok(None),
            Ok(s) => s.parse().map(Some).map_err(|message| Error::InvalidOption {
                option: TZDATA_ENV.to_owned(),
                message: format!("{s:?}: {message}").into(),
            }),
            Err(e) => Err(Error::InvalidOption {
                option: TZDATA_ENV.to_owned(),
                message: e.to_string().into(),
            }),
        }
    }
}

/// The tz data a zone's rules come from, as a report names it (`tzdata`):
/// `{"source": "compiled", "release": "2025b"}`,
/// `{"source": "system", "release": "2025c", "path": "/usr/share/zoneinfo"}`,
/// or a host's (`{"source": "Intl", "release": "unknown"}` in a browser).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TzData {
    /// `compiled`, `system`, or the name a [`crate::ZoneSource`] gives.
    pub source: String,
    /// The IANA release (`2025b`), or `unknown` when the source does not
    /// say (a system database without `tzdata.zi` or `+VERSION`).
    pub release: String,
    /// The directory of a system database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl TzData {
    /// What a source says of itself: its name and release (`None`:
    /// `unknown`).
    pub fn new(source: impl Into<String>, release: Option<String>) -> TzData {
        TzData {
            source: source.into(),
            release: release.unwrap_or_else(|| "unknown".to_owned()),
            path: None,
        }
    }

    /// The copy compiled into this build.
    #[cfg(feature = "tzdb")]
    pub fn compiled() -> TzData {
        TzData::new("compiled", Some(chrono_tz::IANA_TZDB_VERSION.to_owned()))
    }
}

/// Chooses where zones named from now on are read from, and returns what
/// is in use: `auto` the system's database when its directory is there and
/// readable (else the compiled copy), `system` or a directory that database
/// (an error when it is not a readable directory), `compiled` the copy
/// compiled in.
///
/// A zone the chosen database does not have is read from the compiled copy
/// ([`crate::TimeZone::tzdata`] says which one a zone came from); a zone
/// file that cannot be read is an error naming the file
/// ([`crate::ZoneError`]). Zones named before the call keep their rules.
///
/// ```
/// use mindgap::{TzDataChoice, set_tzdata};
/// let used = set_tzdata(&TzDataChoice::Compiled)?;
/// assert_eq!(used.source, "compiled");
/// let err = set_tzdata(&TzDataChoice::Dir("/no/such/dir".into())).unwrap_err();
/// assert!(err.to_string().contains("/no/such/dir"));
/// # Ok::<(), mindgap::Error>(())
/// ```
pub fn set_tzdata(choice: &TzDataChoice) -> Result<TzData, Error> {
    backend::select(choice).map_err(|message| Error::InvalidOption {
        option: "tzdata".to_owned(),
        message: message.into(),
    })
}

/// The tz data zones named now are read from (see [`set_tzdata`]).
pub fn tzdata() -> TzData {
    backend::current()
}

/// The system database's directory: `$TZDIR`, else `/usr/share/zoneinfo`.
pub fn system_tzdir() -> PathBuf {
    std::env::var_os("TZDIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| PathBuf::from("/usr/share/zoneinfo"), PathBuf::from)
}

/// The release of the database in `dir`: the first line of `tzdata.zi`
/// (`# version 2025c`), else `+VERSION`.
pub fn release_of(dir: &std::path::Path) -> Option<String> {
    use std::io::BufRead as _;
    if let Ok(f) = std::fs::File::open(dir.join("tzdata.zi")) {
        let mut line = String::new();
        if std::io::BufReader::new(f).read_line(&mut line).is_ok() {
            if let Some(v) = line.trim().strip_prefix("# version ") {
                return Some(v.trim().to_owned()).filter(|v| !v.is_empty());
            }
        }
    }
    std::fs::read_to_string(dir.join("+VERSION"))
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() < 40)
}

#[cfg(not(feature = "tzdb"))]
mod backend {
    use super::{TzData, TzDataChoice};

    pub(super) fn select(choice: &TzDataChoice) -> Result<TzData, String> {
        match choice {
            TzDataChoice::Auto => Ok(current()),
            _ => Err(format!(
                "{choice:?}: this build has no tz database of its own (feature `tzdb`); \
                 its zones come from the host (ZoneSource)"
            )),
        }
    }

    pub(super) fn current() -> TzData {
        crate::time::tz::source_tzdata()
    }
}

/// The system's databases chosen so far, and the zones read from them.
#[cfg(feature = "tzdb")]
pub(crate) mod backend {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, PoisonError, RwLock};

    use super::{TzData, TzDataChoice};
    use crate::time::tzif::Tzif;

    /// A system database: its directory, its release, and the zones read
    /// from it by name (`None`: not there, so the compiled copy's).
    #[derive(Debug)]
    pub(crate) struct Db {
        pub(crate) dir: PathBuf,
        pub(crate) info: TzData,
        /// A B-tree rather than a hash map: it lives as long as the
        /// process, and a hash table's pointer into the middle of its
        /// block would look "possibly lost" to valgrind at exit.
        zones: Mutex<BTreeMap<Box<str>, Option<u16>>>,
    }

    /// A zone read from a system database.
    #[derive(Debug)]
    pub(crate) struct Loaded {
        pub(crate) name: &'static str,
        pub(crate) rules: Tzif,
        pub(crate) db: &'static Db,
    }

    /// The database in use (`None`: the compiled copy).
    static CHOSEN: RwLock<Option<&'static Db>> = RwLock::new(None);
    /// Every database chosen so far (one per directory, kept for the
    /// zones read from it).
    static DBS: Mutex<Vec<&'static Db>> = Mutex::new(Vec::new());
    /// Every zone read, by its number (see `tz::backend::Zone`).
    static LOADED: RwLock<Vec<&'static Loaded>> = RwLock::new(Vec::new());

    /// How many zones can be read from system databases in one process.
    pub(crate) const MAX_LOADED: usize = 0x7fff;

    pub(super) fn select(choice: &TzDataChoice) -> Result<TzData, String> {
        let dir = match choice {
            TzDataChoice::Compiled => None,
            TzDataChoice::Auto => Some(super::system_tzdir()).filter(|d| readable(d).is_ok()),
            TzDataChoice::System => {
                let d = super::system_tzdir();
                readable(&d).map_err(|e| {
                    format!(
                        "system: no tz database at {} ({e}); set TZDIR, name a directory, \
                         or choose compiled",
                        d.display()
                    )
                })?;
                Some(d)
            }
            TzDataChoice::Dir(d) => {
                readable(d).map_err(|e| {
                    format!(
                        "{}: {e} (expected auto, compiled, system or a directory of TZif files)",
                        d.display()
                    )
                })?;
                Some(d.clone())
            }
        };
        let db = dir.map(|d| db_for(&d));
        *CHOSEN.write().unwrap_or_else(PoisonError::into_inner) = db;
        Ok(current())
    }

    /// Whether `dir` is a directory this process can list.
    fn readable(dir: &Path) -> Result<(), String> {
        let meta = std::fs::metadata(dir).map_err(|e| e.to_string())?;
        if !meta.is_dir() {
            return Err("not a directory".into());
        }
        std::fs::read_dir(dir).map(drop).map_err(|e| e.to_string())
    }

    fn db_for(dir: &Path) -> &'static Db {
        let mut dbs = DBS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(db) = dbs.iter().find(|db| db.dir == dir) {
            return db;
        }
        let info = TzData {
            source: "system".to_owned(),
            release: super::release_of(dir).unwrap_or_else(|| "unknown".to_owned()),
            path: Some(dir.display().to_string()),
        };
        let db: &'static Db = Box::leak(Box::new(Db {
            dir: dir.to_owned(),
            info,
            zones: Mutex::default(),
        }));
        dbs.push(db);
        db
    }

    pub(super) fn current() -> TzData {
        match chosen() {
            Some(db) => db.info.clone(),
            None => TzData::compiled(),
        }
    }

    /// The system database in use, if one is.
    pub(crate) fn chosen() -> Option<&'static Db> {
        *CHOSEN.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The zone read by number `k`.
    pub(crate) fn loaded(k: usize) -> Option<&'static Loaded> {
        LOADED
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(k)
            .copied()
    }

    /// Whether `name` can name a file of the database: the IANA spelling
    /// (`Area/Location`, letters first, then letters, digits, `_`, `+`,
    /// `-`), so no `..`, no absolute path and none of the database's other
    /// files (`zone.tab`, `tzdata.zi`, `+VERSION`).
    fn zone_like(name: &str) -> bool {
        !name.is_empty()
            && name.len() < 256
            && name.split('/').all(|part| {
                part.starts_with(|c: char| c.is_ascii_alphabetic())
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'+' | b'-'))
            })
    }

    /// The zone `name` of database `db`: its number among the zones read,
    /// `None` when the database has no such file (the compiled copy is
    /// asked then), or an error naming the file that could not be read.
    pub(crate) fn zone(db: &'static Db, name: &str) -> Result<Option<u16>, (PathBuf, String)> {
        if !zone_like(name) {
            return Ok(None);
        }
        // Held while the file is read, so a zone is read once however many
        // threads name it.
        let mut zones = db.zones.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(known) = zones.get(name) {
            return Ok(*known);
        }
        let path = db.dir.join(name);
        let found = match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => {
                let bytes = std::fs::read(&path).map_err(|e| (path.clone(), e.to_string()))?;
                let rules = Tzif::parse(&bytes).map_err(|e| (path.clone(), e.0))?;
                let mut loaded = LOADED.write().unwrap_or_else(PoisonError::into_inner);
                if loaded.len() >= MAX_LOADED {
                    return Err((
                        path,
                        format!("more than {MAX_LOADED} zones read in one process"),
                    ));
                }
                let k = loaded.len() as u16;
                loaded.push(Box::leak(Box::new(Loaded {
                    name: Box::leak(name.into()),
                    rules,
                    db,
                })));
                Some(k)
            }
            // Not there (or a directory such as `America`): not this
            // database's zone.
            Ok(_) => None,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err((path, e.to_string())),
        };
        zones.insert(name.into(), found);
        Ok(found)
    }
}
