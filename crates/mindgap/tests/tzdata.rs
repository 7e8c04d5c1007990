//! The system's tz database as a zone source (`set_tzdata`): chosen, named
//! in the zones it gives, the compiled copy for what it lacks, bad files
//! named in the error, and the same offsets as the compiled copy where both
//! hold the same data.
//!
//! The choice is process-wide: each test makes its own under one lock (this
//! file is its own process, so the library's other tests keep the compiled
//! default).

// Compares with the compiled copy: a build with `tzdb` only.
#![cfg(feature = "tzdb")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use mindgap::{TimeZone, TzDataChoice, set_tzdata};
use proptest::prelude::*;

static LOCK: Mutex<()> = Mutex::new(());

fn choose(choice: TzDataChoice) -> MutexGuard<'static, ()> {
    let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    set_tzdata(&choice).unwrap();
    guard
}

/// The system's database, when this machine has one with New York in it.
fn system() -> Option<PathBuf> {
    let dir = mindgap::system_tzdir();
    dir.join("America/New_York").is_file().then_some(dir)
}

fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .timestamp_millis()
}

#[test]
fn the_system_zone_follows_its_rule_past_2099() {
    let Some(dir) = system() else {
        eprintln!("skipped: no system tz database");
        return;
    };
    let _g = choose(TzDataChoice::System);
    let ny = TimeZone::from_name("America/New_York").unwrap();
    let used = ny.tzdata();
    assert_eq!(used.source, "system");
    assert_eq!(
        used.path.as_deref(),
        Some(dir.display().to_string().as_str())
    );
    assert_eq!(
        Some(used.release),
        mindgap::release_of(&dir).or(Some("unknown".into()))
    );
    assert_eq!(ny.name(), "America/New_York");
    assert_eq!(
        ny.offset_at(ms("2100-07-05T12:00:00Z")).local_minus_utc(),
        -4 * 3600
    );
    assert_eq!(
        ny.offset_at(ms("2100-01-05T12:00:00Z")).local_minus_utc(),
        -5 * 3600
    );
    // The change of that spring, found to the millisecond, and local
    // times around it.
    let change = ny
        .next_change(ms("2100-03-01T00:00:00Z"), ms("2100-04-01T00:00:00Z"))
        .unwrap();
    assert_eq!(change, ms("2100-03-14T07:00:00Z"));
    let local = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    assert_eq!(
        ny.from_local(&local("2100-03-14 02:30")),
        chrono::LocalResult::None
    );
    let chrono::LocalResult::Single(noon) = ny.from_local(&local("2100-07-05 12:00")) else {
        panic!("noon exists")
    };
    assert_eq!(noon.timestamp_millis(), ms("2100-07-05T16:00:00Z"));
    // UTC is the same everywhere, and names the data in use.
    assert_eq!(TimeZone::from_name("UTC"), Some(TimeZone::UTC));
    assert_eq!(TimeZone::UTC.tzdata().source, "system");
    // Named again: the same zone (read once).
    assert_eq!(TimeZone::from_name("America/New_York"), Some(ny));
    // Back to the compiled copy: new names come from it.
    set_tzdata(&TzDataChoice::Compiled).unwrap();
    let compiled = TimeZone::from_name("America/New_York").unwrap();
    assert_eq!(compiled.tzdata().source, "compiled");
    assert_eq!(compiled.tzdata().release, chrono_tz::IANA_TZDB_VERSION);
    assert_ne!(compiled, ny);
    assert_eq!(TimeZone::UTC.tzdata().source, "compiled");
}

/// A directory of zone files made for a test.
fn dir_with(files: &[(&str, &[u8])], version: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    if let Some(v) = version {
        std::fs::write(
            dir.path().join("tzdata.zi"),
            format!("# version {v}\n# more\n"),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_directory_missing_a_zone_falls_back_and_bad_files_are_named() {
    let Some(sys) = system() else {
        eprintln!("skipped: no system tz database");
        return;
    };
    let berlin = std::fs::read(sys.join("Europe/Berlin")).unwrap();
    let dir = dir_with(
        &[
            ("Europe/Berlin", &berlin),
            ("Europe/Broken", b"TZif2 not really"),
            ("Europe/Empty", b""),
        ],
        Some("2099z"),
    );
    let _g = choose(TzDataChoice::Dir(dir.path().into()));
    assert_eq!(mindgap::tzdata().release, "2099z");
    let b = TimeZone::from_name("Europe/Berlin").unwrap();
    assert_eq!(b.tzdata().release, "2099z");
    assert_eq!(
        b.offset_at(ms("2026-07-01T00:00:00Z")).local_minus_utc(),
        7200
    );
    // Not in the directory: the compiled copy's.
    let tokyo = TimeZone::from_name("Asia/Tokyo").unwrap();
    assert_eq!(tokyo.tzdata().source, "compiled");
    // A bad file: an error naming it, from `parse` and from a diary.
    for name in ["Europe/Broken", "Europe/Empty"] {
        let e = name.parse::<TimeZone>().unwrap_err().to_string();
        let file = dir.path().join(name).display().to_string();
        assert!(e.contains(&file), "{e}");
        assert!(TimeZone::from_name(name).is_none());
    }
    let e = "Europe/Broken".parse::<TimeZone>().unwrap_err().to_string();
    assert!(e.contains("truncated"), "{e}");
    // Names that are not zone files are unknown, not read.
    for name in [
        "tzdata.zi",
        "../Europe/Berlin",
        "/etc/passwd",
        "Europe",
        "",
        "Europe/",
    ] {
        let e = name.parse::<TimeZone>().unwrap_err().to_string();
        assert!(e.contains("expected an IANA time zone name"), "{name}: {e}");
    }
    // Without a version file: unknown.
    let bare = dir_with(&[("Europe/Berlin", &berlin)], None);
    set_tzdata(&TzDataChoice::Dir(bare.path().into())).unwrap();
    assert_eq!(mindgap::tzdata().release, "unknown");
    // Choices that cannot be used say why and change nothing.
    let e = set_tzdata(&TzDataChoice::Dir(dir.path().join("nope"))).unwrap_err();
    assert!(e.to_string().contains("nope"), "{e}");
    let file = dir.path().join("Europe/Berlin");
    let e = set_tzdata(&TzDataChoice::Dir(file)).unwrap_err();
    assert!(e.to_string().contains("not a directory"), "{e}");
    assert_eq!(mindgap::tzdata().release, "unknown");
    set_tzdata(&TzDataChoice::Compiled).unwrap();
}

#[test]
fn auto_is_the_system_database_when_there_is_one() {
    let _g = choose(TzDataChoice::Auto);
    let used = mindgap::tzdata();
    if Path::new(&mindgap::system_tzdir()).is_dir() {
        assert_eq!(used.source, "system");
    } else {
        assert_eq!(used.source, "compiled");
    }
    set_tzdata(&TzDataChoice::Compiled).unwrap();
}

/// Zones that have had the same rules since 1970 in every release from
/// 2016 on: compared when the system's release differs from the compiled
/// copy's.
const STABLE: [&str; 8] = [
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Europe/London",
    "Africa/Johannesburg",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// Where the system's database is the compiled copy's release, every
    /// Area/Location zone of it gives the same offsets from 1970 to 2099 (the footer
    /// rule past the files' last transition against chrono-tz's tables);
    /// where the releases differ, only the zones in [`STABLE`] are
    /// compared. Zones missing from the system are skipped.
    #[test]
    fn the_system_and_compiled_copies_agree(
        z in 0..chrono_tz::TZ_VARIANTS.len(),
        k in 0..STABLE.len(),
        t in 0i64..4_102_444_800_000, // 1970..2100
    ) {
        let Some(_) = system() else { return Ok(()) };
        let _g = choose(TzDataChoice::System);
        let same_release = mindgap::tzdata().release == chrono_tz::IANA_TZDB_VERSION;
        let name = if same_release { chrono_tz::TZ_VARIANTS[z].name() } else { STABLE[k] };
        // The old System V names may differ at the same release (see
        // every_shared_zone_agrees_on_a_grid_when_the_releases_match).
        if !name.contains('/') {
            return Ok(());
        }
        let sys = TimeZone::from_name(name);
        let compiled = TimeZone::from(name.parse::<chrono_tz::Tz>().unwrap());
        if let Some(sys) = sys.filter(|s| s.tzdata().source == "system") {
            prop_assert_eq!(
                sys.offset_at(t),
                compiled.offset_at(t),
                "{} at {} (system {}, compiled {})",
                name,
                t,
                sys.tzdata().release,
                chrono_tz::IANA_TZDB_VERSION
            );
        }
        set_tzdata(&TzDataChoice::Compiled).unwrap();
    }
}

/// Every zone of the compiled copy that the system's database has, on a
/// grid of instants from 1970 to 2100 (every 23 days and 7 hours) and on
/// both sides of each change the compiled zone has in 2024–2040: the same
/// offsets, when the two are the same release (else skipped, said on
/// stderr), except the old System V names (below). Says how many zones it
/// compared and which differ.
#[test]
fn every_shared_zone_agrees_on_a_grid_when_the_releases_match() {
    let Some(_) = system() else {
        eprintln!("skipped: no system tz database");
        return;
    };
    let _g = choose(TzDataChoice::System);
    let release = mindgap::tzdata().release;
    if release != chrono_tz::IANA_TZDB_VERSION {
        eprintln!(
            "skipped: system release {release}, compiled {}",
            chrono_tz::IANA_TZDB_VERSION
        );
        set_tzdata(&TzDataChoice::Compiled).unwrap();
        return;
    }
    let (start, end) = (0i64, 4_102_444_800_000i64);
    let step = (23 * 24 + 7) * 3_600_000;
    let (mut compared, mut differ) = (0, Vec::new());
    for tz in chrono_tz::TZ_VARIANTS {
        let Some(sys) = TimeZone::from_name(tz.name()).filter(|z| z.tzdata().source == "system")
        else {
            continue;
        };
        let compiled = TimeZone::from(tz);
        let mut diff = None;
        let mut t = start;
        while t < end && diff.is_none() {
            if sys.offset_at(t) != compiled.offset_at(t) {
                diff = Some(t);
            }
            t += step;
        }
        // The changes of 2024–2040, to the millisecond (a file's footer
        // rule takes over in these years or before).
        let (mut after, until) = (1_704_067_200_000, 2_208_988_800_000);
        while let (None, Some(c)) = (diff, compiled.next_change(after, until)) {
            for t in [c - 1, c] {
                if sys.offset_at(t) != compiled.offset_at(t) {
                    diff = Some(t);
                }
            }
            if diff.is_none() && sys.next_change(c - 1, until) != Some(c) {
                diff = Some(c);
            }
            after = c;
        }
        if let Some(t) = diff {
            let (s, c) = (sys.offset_at(t), compiled.offset_at(t));
            eprintln!("{tz} at {t}: system {s}, compiled {c}");
            differ.push(tz.name());
        }
        compared += 1;
    }
    eprintln!("{compared} zones compared (release {release}), differing: {differ:?}");
    assert!(compared > 0);
    // The same release is not always the same data: 2024b made the old
    // System V names (EET, WET, CET, MET, EST5EDT…) links to cities, and
    // some distributions keep their old rules (Debian 12's 2025b gives WET
    // +00:00 in 1970 and EET no 1975 summer time, where chrono-tz follows
    // the links). Every name of the Area/Location kind must agree.
    assert!(differ.iter().all(|n| !n.contains('/')), "{differ:?}");
    set_tzdata(&TzDataChoice::Compiled).unwrap();
}
