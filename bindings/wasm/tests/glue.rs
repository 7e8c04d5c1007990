//! The glue, tested inside a real JS engine: `cargo test --target
//! wasm32-unknown-unknown --tests` runs it in Node, and with
//! `WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver` in headless
//! Chromium. Thrown values are real `Error`s with the core's code; results are
//! plain objects and arrays (never `Map`s); the class agrees with the
//! one-shot functions.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use js_sys::{Array, JSON, Object, Reflect, Uint8Array};
use mindgap_wasm::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |v, k| {
        Reflect::get(&v, &JsValue::from_str(k)).unwrap()
    })
}

fn input<T: JsCast>(v: JsValue) -> T {
    v.unchecked_into()
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn is_plain_object(v: &JsValue) -> bool {
    let plain = Object::get_prototype_of(&Object::new());
    v.is_object() && Object::get_prototype_of(v) == plain
}

fn rows(n: u32) -> Option<NumberArg> {
    Some(JsValue::from(n).unchecked_into())
}

fn sample_text(n: u32) -> String {
    String::from(JSON::stringify(&sample_diary(rows(n)).unwrap()).unwrap())
}

fn expect_error(e: JsValue, code: u32, kind: &str) -> String {
    let err = e.dyn_ref::<js_sys::Error>().expect("a real Error object");
    assert_eq!(String::from(err.name()), "MindgapError");
    assert_eq!(
        get(&e, "code").as_f64(),
        Some(f64::from(code)),
        "{:?}",
        err.message()
    );
    assert_eq!(get(&e, "kind").as_string().as_deref(), Some(kind));
    assert!(get(&e, "location").is_object());
    err.message().into()
}

#[wasm_bindgen_test]
fn results_are_plain_objects_and_arrays() {
    let diary = sample_diary(rows(50)).unwrap();
    assert!(is_plain_object(&diary));
    let report = gap_report(&input(diary.into()), None).unwrap();
    assert!(is_plain_object(&report));
    assert_eq!(
        get(&report, "schema").as_string().unwrap(),
        "mindgap/report/1"
    );
    let stages = get(&report, "stages");
    assert!(Array::is_array(&stages));
    assert!(is_plain_object(&Array::from(&stages).get(0)));
    assert!(is_plain_object(&get(&report, "options")));
    assert!(!get(&report, "options").is_instance_of::<js_sys::Map>());
}

#[wasm_bindgen_test]
fn text_object_and_bytes_give_the_same_report() {
    let text = sample_text(80);
    let a = gap_report(&input(JsValue::from_str(&text)), None).unwrap();
    let b = gap_report(&input(json(&text)), None).unwrap();
    let c = gap_report(&input(Uint8Array::from(text.as_bytes()).into()), None).unwrap();
    let s = |v: &JsValue| String::from(JSON::stringify(v).unwrap());
    assert_eq!(s(&a), s(&b));
    assert_eq!(s(&a), s(&c));
}

#[wasm_bindgen_test]
fn errors_are_error_objects_with_the_core_code() {
    let e = gap_report(&input(JsValue::from_str("{\"schema\": ")), None).unwrap_err();
    let message = expect_error(e, 11, "syntax");
    assert!(
        message.starts_with("diary.json line 1, at schema: malformed input"),
        "{message}"
    );
    let e = gap_report(&input(Uint8Array::from(&[b'{', 0xff][..]).into()), None).unwrap_err();
    expect_error(e, 14, "invalid_utf8");
    let diary: DiaryInput = input(json(&sample_text(10)));
    let e = gap_report(&diary, Some(input(json(r#"{"confidnce": 0.9}"#)))).unwrap_err();
    let message = expect_error(e, 23, "invalid_option");
    assert!(message.contains("report.confidnce"), "{message}");
    let e = gap_report(&input(JsValue::from_f64(3.0)), None).unwrap_err();
    expect_error(e, 23, "invalid_option");
}

#[wasm_bindgen_test]
fn trend_follow_ups_drill_people_and_problems_return_their_schemas() {
    let diary: DiaryInput = input(json(&sample_text(60)));
    for (name, out) in [
        ("mindgap/trend/1", trend(&diary, None).map(JsValue::from)),
        (
            "mindgap/follow-ups/1",
            follow_ups(&diary, None).map(JsValue::from),
        ),
        (
            "mindgap/drill/1",
            drill_down(&diary, None).map(JsValue::from),
        ),
        ("mindgap/people/1", people(&diary, None).map(JsValue::from)),
        (
            "mindgap/problems/1",
            problems(&diary, None).map(JsValue::from),
        ),
    ] {
        let out = out.unwrap();
        assert_eq!(get(&out, "schema").as_string().as_deref(), Some(name));
    }
    let bad: DrillOptionsInput = json(r#"{"class": "late"}"#).unchecked_into();
    let message = expect_error(
        drill_down(&diary, Some(bad)).unwrap_err(),
        23,
        "invalid_option",
    );
    assert!(message.contains("drill"), "{message}");
    let names = Array::from(&analyses());
    for n in [
        "report",
        "trend",
        "follow_ups",
        "drill",
        "people",
        "problems",
    ] {
        assert!(names.includes(&n.into(), 0), "{n}");
    }
}

#[wasm_bindgen_test]
fn the_class_adds_records_and_agrees_with_the_one_shot_report() {
    let text = sample_text(60);
    let mut diary = JsDiary::new(&input(JsValue::from_str(&text)), None).unwrap();
    let before = f64::from(
        get(&diary.counts().unwrap(), "interactions")
            .as_f64()
            .unwrap() as u32,
    );
    // A Date is sent as UTC text.
    let opened = js_sys::Date::new(&"2026-05-02T09:00:00Z".into());
    let record = Object::new();
    for (k, v) in [
        ("id", JsValue::from("added-1")),
        ("opened_at", opened.into()),
        ("channel", "chat".into()),
        ("stage", "service".into()),
    ] {
        Reflect::set(&record, &k.into(), &v).unwrap();
    }
    diary
        .add_interaction(&input(record.clone().into()))
        .unwrap();
    // The caller's object is not changed.
    assert!(get(&record, "type").is_undefined());
    let counts = diary.counts().unwrap();
    assert_eq!(get(&counts, "interactions").as_f64(), Some(before + 1.0));
    let e = diary.add_interaction(&input(record.into())).unwrap_err();
    let message = expect_error(e, 19, "duplicate");
    assert!(message.contains("\"added-1\""), "{message}");
    let whole = diary.to_json().unwrap();
    let s = |v: &JsValue| String::from(JSON::stringify(v).unwrap());
    assert_eq!(
        s(&diary.report(None).unwrap()),
        s(&gap_report(&input(whole.into()), None).unwrap())
    );
    let validation = diary.validation().unwrap();
    assert_eq!(get(&validation, "ok").as_bool(), Some(true));
}

#[wasm_bindgen_test]
fn validate_lists_every_bad_row_and_throws_only_for_bad_arguments() {
    let defs = sample_text(0);
    let csv = "id,opened_at,channel,stage\n\
               i1,2026-01-05T10:00:00+03:00,email,attraction\n\
               i2,not a time,email,attraction\n\
               i3,2026-01-05T10:00:00+03:00,email,nowhere\n";
    let file = Object::new();
    Reflect::set(&file, &"name".into(), &"i.csv".into()).unwrap();
    Reflect::set(&file, &"content".into(), &csv.into()).unwrap();
    let files: FileInputs = input(Array::of1(&file).into());
    let report = validate(&input(JsValue::from_str(&defs)), Some(files), None).unwrap();
    assert_eq!(get(&report, "ok").as_bool(), Some(false));
    assert_eq!(Array::from(&get(&report, "errors")).length(), 2);
    assert_eq!(get(&report, "counts.interactions").as_f64(), Some(1.0));
    Reflect::set(&file, &"name".into(), &"i.xlsx".into()).unwrap();
    let files: FileInputs = input(Array::of1(&file).into());
    let e = validate(&input(JsValue::from_str(&defs)), Some(files), None).unwrap_err();
    let message = expect_error(e, 23, "invalid_option");
    assert!(message.contains("files[0].format"), "{message}");
}
