//! Rust-side checks of the C face: header drift, the boundary on every
//! export, status codes, the golden report.

use std::path::PathBuf;

use crate::status::{self, mg_status};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bless() -> bool {
    std::env::var_os("MINDGAP_BLESS").is_some()
}

/// build.rs regenerates the header on every build; the committed one must
/// be the same (`MINDGAP_BLESS=1 cargo test -p mindgap-ffi` rewrites it).
#[test]
fn committed_header_matches_the_generated_one() {
    let generated = std::fs::read_to_string(PathBuf::from(env!("OUT_DIR")).join("mindgap.h"))
        .expect("build.rs writes OUT_DIR/mindgap.h");
    let committed_path = manifest().join("include/mindgap.h");
    if bless() {
        std::fs::write(&committed_path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/mindgap.h differs from the header cbindgen generates now; \
         run MINDGAP_BLESS=1 cargo test -p mindgap-ffi and review the diff"
    );
}

/// Every `extern "C" fn` body is exactly one `boundary!` call, and every one
/// is exported and declared in the header.
#[test]
fn every_export_goes_through_the_boundary() {
    let header = std::fs::read_to_string(manifest().join("include/mindgap.h")).unwrap();
    let mut exports = Vec::new();
    for entry in std::fs::read_dir(manifest().join("src")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut rest = text.as_str();
        while let Some(i) = rest.find("extern \"C\" fn ") {
            let before = &rest[..i];
            let after = &rest[i + "extern \"C\" fn ".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = &after[after.find('{').unwrap() + 1..];
            assert!(
                body.trim_start().starts_with("boundary!("),
                "{}: {name} does not start its body with boundary!",
                path.display()
            );
            let attrs = before.rsplit("\n\n").next().unwrap_or("");
            assert!(
                attrs.contains("#[unsafe(no_mangle)]") && name.starts_with("mg_"),
                "{name}: exports are #[unsafe(no_mangle)] and named mg_*"
            );
            exports.push(name);
            rest = after;
        }
    }
    // The scan itself works: it found the functions it must find.
    for must in [
        "mg_version",
        "mg_diary_run",
        "mg_accumulator_merge",
        "mg_string_free",
    ] {
        assert!(exports.iter().any(|e| e == must), "{must} not found");
    }
    // …and the header declares exactly these functions.
    let mut declared: Vec<String> = header
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()) && !l.starts_with("typedef"))
        .filter_map(|l| l.split_once('(').map(|(head, _)| head))
        .filter_map(|head| head.rsplit([' ', '*']).next().map(str::to_owned))
        .collect();
    declared.sort();
    exports.sort();
    assert_eq!(declared, exports, "header functions vs Rust exports");
}

#[test]
fn status_codes_mirror_the_core_and_are_unique() {
    // The core's table of error kinds is the one source: every kind has its
    // status, with the same code and name, and every status from 10 up is one.
    for k in mindgap_core::ERROR_CODES {
        assert_eq!(status::from_code(k.code) as u32, k.code, "{}", k.kind);
        assert_eq!(status::kind(status::from_code(k.code)), k.kind);
    }
    for (s, _, kind) in status::ALL.iter().filter(|(s, _, _)| *s as u32 >= 10) {
        assert!(
            mindgap_core::ERROR_CODES
                .iter()
                .any(|k| k.code == *s as u32 && k.kind == *kind),
            "{kind}: not a core error kind"
        );
    }
    assert_eq!(status::from_code(99), mg_status::MG_UNKNOWN_ERROR);
    assert_eq!(status::from_code(1), mg_status::MG_UNKNOWN_ERROR);
    let mut values: Vec<i32> = status::ALL.iter().map(|(s, _, _)| *s as i32).collect();
    values.dedup();
    assert_eq!(values.len(), status::ALL.len());
    for (s, name, kind) in status::ALL {
        assert!(name.ends_with('\0') && name.starts_with("MG_"));
        assert_eq!(status::name(*s as i32), *name);
        assert_eq!(status::kind(*s), *kind);
    }
    let e = mindgap_core::Error::MissingField {
        at: Default::default(),
    };
    assert_eq!(status::kind(status::of_core(&e)), e.kind());
    assert_eq!(status::name(-7), "MG_UNKNOWN_STATUS\0");
}

#[test]
fn version_macros_match_the_package() {
    assert_eq!(
        format!(
            "{}.{}.{}",
            crate::MINDGAP_VERSION_MAJOR,
            crate::MINDGAP_VERSION_MINOR,
            crate::MINDGAP_VERSION_PATCH
        ),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(crate::diary::MG_NO_TIME, i64::MIN);
}

#[test]
fn a_panic_becomes_a_status_and_a_message() {
    fn explode() -> mg_status {
        boundary!({
            let v: Vec<u8> = Vec::new();
            if v.is_empty() {
                panic!("boom");
            }
            Ok(())
        })
    }
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let s = explode();
    std::panic::set_hook(prev);
    assert_eq!(s, mg_status::MG_PANIC);
    let msg = crate::boundary::last_error(|e| e.map(|e| e.message.clone())).unwrap();
    assert!(msg.contains("boom"), "{msg}");
}

#[test]
fn handles_are_send_and_sync() {
    fn both<T: Send + Sync>() {}
    both::<crate::mg_diary>();
    both::<crate::mg_accumulator>();
}

/// The golden report shared with the C suite: what the core gives for the
/// 300-row sample, exactly as `mindgap report --format json` prints it
/// (canonical JSON and a newline). `MINDGAP_BLESS=1` rewrites it.
#[test]
fn golden_sample_report() {
    let report =
        mindgap_core::report(&mindgap_core::sample::diary(300), &Default::default()).unwrap();
    let text = mindgap_core::api::to_json(&report) + "\n";
    let path = manifest().join("../../fixtures/golden/sample-300-report.json");
    if bless() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == text, "{} is stale; bless it", path.display());
}

/// The diary handle gives the golden report through the C entry points.
#[test]
fn the_c_entry_points_give_the_golden_report() {
    use std::ffi::CStr;
    let mut d = std::ptr::null_mut();
    let mut out = std::ptr::null_mut();
    let mut len = 0usize;
    unsafe {
        assert_eq!(
            crate::mg_diary_new_sample(300, std::ptr::null(), 0, &mut d),
            mg_status::MG_OK
        );
        let what = "report";
        assert_eq!(
            crate::mg_diary_run(
                d,
                what.as_ptr().cast(),
                what.len(),
                std::ptr::null(),
                0,
                &mut out,
                &mut len
            ),
            mg_status::MG_OK
        );
        let got = CStr::from_ptr(out).to_str().unwrap().to_owned();
        assert_eq!(got.len(), len);
        crate::mg_string_free(out);
        crate::mg_diary_free(d);
        let report =
            mindgap_core::report(&mindgap_core::sample::diary(300), &Default::default()).unwrap();
        assert_eq!(got, mindgap_core::api::to_json(&report));
    }
}

/// The tz data is chosen through the C entry points: the compiled copy by
/// name (these tests' default), and a choice that cannot be used is
/// MG_INVALID_OPTION naming it, leaving the data in use as it was.
#[test]
fn the_tz_data_is_chosen_and_named() {
    use std::ffi::CStr;
    let json = |out: *mut std::ffi::c_char| {
        let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
        unsafe { crate::mg_string_free(out) };
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let mut out = std::ptr::null_mut();
    let mut len = 0usize;
    unsafe {
        let choice = "compiled";
        assert_eq!(
            crate::mg_tzdata_set(choice.as_ptr().cast(), choice.len(), &mut out, &mut len),
            mg_status::MG_OK
        );
        let used = json(out);
        assert_eq!(used["source"], "compiled");
        assert_eq!(used["release"], chrono_tz_release());
        // Without an out-parameter too.
        assert_eq!(
            crate::mg_tzdata_set(
                choice.as_ptr().cast(),
                choice.len(),
                std::ptr::null_mut(),
                std::ptr::null_mut()
            ),
            mg_status::MG_OK
        );
        for bad in ["/no/such/tzdir", ""] {
            assert_eq!(
                crate::mg_tzdata_set(bad.as_ptr().cast(), bad.len(), &mut out, &mut len),
                mg_status::MG_INVALID_OPTION,
                "{bad:?}"
            );
            let msg = crate::boundary::last_error(|e| e.map(|e| e.message.clone())).unwrap();
            assert!(msg.contains("tzdata"), "{msg}");
        }
        assert_eq!(
            crate::mg_tzdata_set(std::ptr::null(), 0, &mut out, &mut len),
            mg_status::MG_NULL_ARGUMENT
        );
        assert_eq!(
            crate::mg_tzdata(&mut out, std::ptr::null_mut()),
            mg_status::MG_OK
        );
        assert_eq!(json(out)["source"], "compiled");
        assert_eq!(
            crate::mg_tzdata(std::ptr::null_mut(), std::ptr::null_mut()),
            mg_status::MG_NULL_ARGUMENT
        );
    }
}

/// The compiled copy's release, as the core names it.
fn chrono_tz_release() -> String {
    mindgap_core::set_tzdata(&mindgap_core::TzDataChoice::Compiled)
        .unwrap()
        .release
}

/// Merging an accumulator into itself doubles it: past
/// MG_ACCUMULATOR_MAX_VALUES values the merge is refused (checked on the
/// numbers: a real one would take a GiB).
#[test]
fn accumulator_merges_are_bounded() {
    use crate::zone::{MG_ACCUMULATOR_MAX_VALUES as MAX, room_for};
    let half = MAX / 2;
    let counts = (half as u64, 0, 0, 0);
    assert!(room_for(half, counts, 2 * half as u64, half).is_ok());
    let over = room_for(half + 1, (half as u64 + 1, 0, 0, 0), 0, half + 1);
    let Err(crate::Failure::Api(status, message)) = over else {
        panic!("{over:?}")
    };
    assert_eq!(status, mg_status::MG_LENGTH_OVERFLOW);
    assert!(message.contains("134217730 values"), "{message}");
    // Counts alone (observations without a value) stop at INT64_MAX.
    assert!(room_for(0, (i64::MAX as u64, 0, 0, 0), 1, 0).is_err());
    assert!(room_for(usize::MAX, (0, 0, 0, 0), 0, 1).is_err());
}
