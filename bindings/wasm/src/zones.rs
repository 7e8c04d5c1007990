//! The package's time zones: the JavaScript runtime's own tz database,
//! through `Intl.DateTimeFormat`, installed as the core's zone source
//! ([`mindgap::ZoneSource`]) when the module loads. It keeps ~0.9 MB of
//! compiled tables out of the `.wasm`; the core asks each zone's offsets
//! once per UTC day and remembers them.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;
use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// JavaScript's `Date` range (± 8.64e15 ms).
const JS_LIMIT: i64 = 8_640_000_000_000_000;

/// One `Intl.DateTimeFormat` per zone name asked for (`None`: unknown).
#[derive(Default)]
struct Intl {
    formats: RefCell<HashMap<String, Option<Object>>>,
}

impl Intl {
    fn with_format<T>(&self, name: &str, f: impl FnOnce(Option<&Object>) -> T) -> T {
        let mut formats = self.formats.borrow_mut();
        let format = formats
            .entry(name.to_owned())
            .or_insert_with(|| formatter(name));
        f(format.as_ref())
    }
}

impl mindgap::ZoneSource for Intl {
    fn knows(&self, name: &str) -> bool {
        self.with_format(name, |f| f.is_some())
    }

    fn offset_secs(&self, name: &str, ms: i64) -> i32 {
        self.with_format(name, |f| f.map_or(0, |f| ask(f, ms)))
    }

    /// `Intl`, and the runtime's tz release where it says (Node's
    /// `process.versions.tz`; browsers do not say).
    fn tzdata(&self) -> mindgap::TzData {
        let release = Reflect::get(&js_sys::global(), &"process".into())
            .and_then(|p| Reflect::get(&p, &"versions".into()))
            .and_then(|v| Reflect::get(&v, &"tz".into()))
            .ok()
            .and_then(|tz| tz.as_string())
            .filter(|tz| !tz.is_empty() && tz.len() < 40);
        mindgap::TzData::new("Intl", release)
    }
}

thread_local! {
    static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs the runtime's time zones as the core's zone source (once; the
/// module's start function calls it, and so can a test).
pub fn install() {
    if !INSTALLED.replace(true) {
        mindgap::set_zone_source(Box::new(Intl::default()));
    }
}

/// `new Intl.DateTimeFormat("en-US", {timeZone: name, …})`, or `None` when
/// the runtime does not know the zone, or knows it only in another
/// spelling of letter case (the tz database's names are exact).
fn formatter(name: &str) -> Option<Object> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: Function = Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = Object::new();
    for (k, v) in [
        ("timeZone", name),
        ("hourCycle", "h23"),
        ("era", "short"),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
    ] {
        Reflect::set(&options, &k.into(), &v.into()).ok()?;
    }
    let args = Array::of2(&"en-US".into(), &options);
    let format: Object = Reflect::construct(&ctor, &args).ok()?.dyn_into().ok()?;
    let resolved: Function = Reflect::get(&format, &"resolvedOptions".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let resolved = resolved.call0(&format).ok()?;
    let canonical = Reflect::get(&resolved, &"timeZone".into())
        .ok()?
        .as_string()?;
    // The runtime may answer with the canonical name of an alias
    // (Asia/Calcutta → Asia/Kolkata), but a name only spelt in another
    // case is refused, as the tz database's names are exact.
    if canonical != name && canonical.eq_ignore_ascii_case(name) {
        return None;
    }
    Some(format)
}

/// The offset at `ms` asked of the runtime (to the second).
fn ask(format: &Object, ms: i64) -> i32 {
    let s = ms.clamp(-JS_LIMIT, JS_LIMIT).div_euclid(1000) * 1000;
    let parts = Reflect::get(format, &"formatToParts".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| {
            f.call1(format, &Date::new(&JsValue::from_f64(s as f64)))
                .ok()
        })
        .and_then(|a| a.dyn_into::<Array>().ok());
    let Some(parts) = parts else { return 0 };
    let (mut y, mut mo, mut d, mut h, mut mi, mut sec, mut bc) = (1, 1, 1, 0, 0, 0, false);
    for part in parts.iter() {
        let get = |k: &str| {
            Reflect::get(&part, &k.into())
                .ok()
                .and_then(|v| v.as_string())
        };
        let (Some(kind), Some(value)) = (get("type"), get("value")) else {
            continue;
        };
        let n = value.parse::<u32>().unwrap_or(0);
        match kind.as_str() {
            "year" => y = n as i32,
            "month" => mo = n,
            "day" => d = n,
            "hour" => h = n % 24,
            "minute" => mi = n,
            "second" => sec = n,
            "era" => bc = value.starts_with('B'),
            _ => {}
        }
    }
    if bc {
        y = 1 - y;
    }
    let local = NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|date| date.and_hms_opt(h, mi, sec))
        .map(|t| t.and_utc().timestamp_millis());
    local.map_or(0, |l| i32::try_from((l - s) / 1000).unwrap_or(0))
}
