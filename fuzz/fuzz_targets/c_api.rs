//! The C entry points, driven as a C program would: a sequence of calls on
//! one diary and one accumulator with arbitrary arguments (strings that are
//! not UTF-8 or hold NULs, any time in the record structs, any options).
//! No call may panic (MG_PANIC), reading the last error must always work, and
//! the diary the library prints must read back through mg_diary_new_json.
#![no_main]
use std::ffi::{CStr, c_char};
use std::ptr::{null, null_mut};

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use mindgap_ffi::*;

#[derive(Arbitrary, Debug)]
enum Op {
    ReadCsv(Vec<u8>),
    ReadJsonl(Vec<u8>),
    AddJson(Vec<u8>),
    AddInteraction {
        id: Vec<u8>,
        stage: u8,
        channel: Vec<u8>,
        priority: Vec<u8>,
        opened: i64,
        first: Option<i64>,
        resolved: Option<i64>,
        offset: i32,
    },
    AddFeedback {
        id: Vec<u8>,
        kind: u8,
        score: f64,
        scale: u32,
        flags: u32,
        interaction: Vec<u8>,
        at: i64,
        offset: i32,
    },
    Link,
    Run {
        what: u8,
        options: Vec<u8>,
    },
    AccAdd(i64),
    AccAddMany(Vec<i64>),
    AccPending,
    AccMissed,
    AccMergeSelf,
    AccRoundTrip,
    AccDeserialize(Vec<u8>),
    Batch {
        direction: u32,
        desired: i64,
        adequate: i64,
        values: Vec<i64>,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    diary: Option<Vec<u8>>,
    options: Vec<u8>,
    rows: u8,
    zone: (u32, u32, i64, i64),
    ops: Vec<Op>,
}

const STAGES: [&str; 5] = ["attraction", "purchase", "service", "repeat", "nowhere"];
const KINDS: [&str; 7] = ["nps", "csat", "ces", "rating", "comment", "reason", "bogus"];
const ANALYSES: [&str; 11] = [
    "validate",
    "report",
    "trend",
    "follow_ups",
    "drill",
    "people",
    "problems",
    "diary",
    "due",
    "duplicates",
    "",
];

fn s(bytes: &[u8]) -> mg_str {
    mg_str {
        ptr: bytes.as_ptr().cast(),
        len: bytes.len(),
    }
}

/// A status must never be MG_PANIC; after a failure the last error reads.
fn ok(status: mg_status) -> bool {
    assert!(status != mg_status::MG_PANIC, "MG_PANIC: {}", last_error());
    if status != mg_status::MG_OK {
        let _ = last_error();
    }
    status == mg_status::MG_OK
}

fn last_error() -> String {
    let mut out: *mut c_char = null_mut();
    let status = unsafe { mg_last_error_message(&mut out, null_mut()) };
    assert!(status == mg_status::MG_OK, "reading the last error failed");
    let text = unsafe { CStr::from_ptr(out) }
        .to_string_lossy()
        .into_owned();
    unsafe { mg_string_free(out) };
    text
}

fn take(out: *mut c_char, len: usize) -> Vec<u8> {
    let bytes = unsafe { std::slice::from_raw_parts(out.cast::<u8>(), len) }.to_vec();
    unsafe { mg_string_free(out) };
    bytes
}

unsafe fn run(d: *const mg_diary, what: &str, options: &[u8]) -> Option<Vec<u8>> {
    let (mut out, mut len) = (null_mut(), 0usize);
    let status = unsafe {
        mg_diary_run(
            d,
            what.as_ptr().cast(),
            what.len(),
            options.as_ptr().cast(),
            options.len(),
            &mut out,
            &mut len,
        )
    };
    ok(status).then(|| take(out, len))
}

fuzz_target!(|input: Input| {
    let mut d: *mut mg_diary = null_mut();
    let created = unsafe {
        match &input.diary {
            Some(json) => mg_diary_new_json(
                c"fuzz.json".as_ptr(),
                9,
                json.as_ptr(),
                json.len(),
                input.options.as_ptr().cast(),
                input.options.len(),
                &mut d,
            ),
            None => mg_diary_new_sample(
                usize::from(input.rows % 16),
                input.options.as_ptr().cast(),
                input.options.len(),
                &mut d,
            ),
        }
    };
    if !ok(created) {
        assert!(d.is_null(), "an output written on failure");
        return;
    }
    let mut acc: *mut mg_accumulator = null_mut();
    let (dir, unit, desired, adequate) = input.zone;
    ok(unsafe { mg_accumulator_new(dir % 3, unit % 4, desired, adequate, &mut acc) });
    for op in &input.ops {
        unsafe {
            match op {
                Op::ReadCsv(b) => {
                    ok(mg_diary_read_csv(
                        d,
                        c"f.csv".as_ptr(),
                        5,
                        b.as_ptr(),
                        b.len(),
                        null_mut(),
                    ));
                }
                Op::ReadJsonl(b) => {
                    ok(mg_diary_read_jsonl(
                        d,
                        c"f.jsonl".as_ptr(),
                        7,
                        b.as_ptr(),
                        b.len(),
                    ));
                }
                Op::AddJson(b) => {
                    ok(mg_diary_add_json(d, b.as_ptr().cast(), b.len()));
                }
                Op::AddInteraction {
                    id,
                    stage,
                    channel,
                    priority,
                    opened,
                    first,
                    resolved,
                    offset,
                } => {
                    let mut i = std::mem::zeroed::<mg_interaction>();
                    ok(mg_interaction_init(&mut i, MG_INTERACTION_VERSION));
                    let st = STAGES[usize::from(*stage) % STAGES.len()];
                    i.id = s(id);
                    i.stage = s(st.as_bytes());
                    i.channel = s(channel);
                    i.priority = s(priority);
                    i.opened_at_ms = *opened;
                    i.first_response_at_ms = first.unwrap_or(MG_NO_TIME);
                    i.resolved_at_ms = resolved.unwrap_or(MG_NO_TIME);
                    i.utc_offset_minutes = *offset;
                    ok(mg_diary_add_interaction(d, &i));
                }
                Op::AddFeedback {
                    id,
                    kind,
                    score,
                    scale,
                    flags,
                    interaction,
                    at,
                    offset,
                } => {
                    let mut f = std::mem::zeroed::<mg_feedback>();
                    ok(mg_feedback_init(&mut f, MG_FEEDBACK_VERSION));
                    f.id = s(id);
                    f.kind = s(KINDS[usize::from(*kind) % KINDS.len()].as_bytes());
                    f.score = *score;
                    f.scale = *scale;
                    f.flags = *flags;
                    f.interaction = s(interaction);
                    f.stage = s(b"service");
                    f.at_ms = *at;
                    f.utc_offset_minutes = *offset;
                    ok(mg_diary_add_feedback(d, &f));
                }
                Op::Link => {
                    ok(mg_diary_link(d));
                }
                Op::Run { what, options } => {
                    let _ = run(d, ANALYSES[usize::from(*what) % ANALYSES.len()], options);
                }
                Op::AccAdd(v) => {
                    ok(mg_accumulator_add(acc, *v, null_mut()));
                }
                Op::AccAddMany(v) => {
                    ok(mg_accumulator_add_many(acc, v.as_ptr(), v.len()));
                }
                Op::AccPending => {
                    ok(mg_accumulator_add_pending(acc));
                }
                Op::AccMissed => {
                    ok(mg_accumulator_add_missed(acc));
                }
                Op::AccMergeSelf => {
                    // Doubling is bounded by MG_ACCUMULATOR_MAX_VALUES (1 GiB), more
                    // than libFuzzer's memory limit: stop well before (the bound
                    // has its own tests).
                    let mut counts = std::mem::zeroed::<mg_counts>();
                    if ok(mg_accumulator_counts(acc, &mut counts)) && counts.valued < 1 << 16 {
                        ok(mg_accumulator_merge(acc, acc));
                    }
                }
                Op::AccRoundTrip => {
                    let (mut bytes, mut len) = (null_mut(), 0usize);
                    if ok(mg_accumulator_serialize(acc, &mut bytes, &mut len)) {
                        let mut back = null_mut();
                        assert!(
                            ok(mg_accumulator_deserialize(bytes, len, &mut back)),
                            "serialized bytes refused"
                        );
                        let (mut a, mut b) = (null_mut(), null_mut());
                        let fa = ok(mg_accumulator_figures(acc, 0.95, &mut a, null_mut()));
                        let fb = ok(mg_accumulator_figures(back, 0.95, &mut b, null_mut()));
                        assert_eq!(fa, fb);
                        if fa {
                            assert!(
                                CStr::from_ptr(a) == CStr::from_ptr(b),
                                "figures differ after a round trip"
                            );
                            mg_string_free(a);
                            mg_string_free(b);
                        }
                        mg_accumulator_free(back);
                        mg_bytes_free(bytes);
                    }
                }
                Op::AccDeserialize(b) => {
                    let mut back = null_mut();
                    if ok(mg_accumulator_deserialize(b.as_ptr(), b.len(), &mut back)) {
                        let mut counts = std::mem::zeroed::<mg_counts>();
                        ok(mg_accumulator_counts(back, &mut counts));
                        ok(mg_accumulator_merge(acc, back));
                        mg_accumulator_free(back);
                    }
                }
                Op::Batch {
                    direction,
                    desired,
                    adequate,
                    values,
                } => {
                    let mut out = std::mem::zeroed::<mg_batch_result>();
                    let mut positions = vec![0f64; values.len()];
                    ok(mg_score_batch(
                        *direction % 3,
                        *desired,
                        *adequate,
                        values.as_ptr(),
                        values.len(),
                        positions.as_mut_ptr(),
                        &mut out,
                    ));
                }
            }
        }
    }
    // What the library prints, it reads back.
    if let Some(printed) = unsafe { run(d, "diary", b"") } {
        let mut back = null_mut();
        let status = unsafe {
            mg_diary_new_json(
                c"printed.json".as_ptr(),
                12,
                printed.as_ptr(),
                printed.len(),
                null(),
                0,
                &mut back,
            )
        };
        assert!(
            ok(status),
            "the library rejects its own diary: {}\n{}",
            last_error(),
            String::from_utf8_lossy(&printed)
        );
        unsafe { mg_diary_free(back) };
    }
    unsafe {
        mg_accumulator_free(acc);
        mg_diary_free(d);
    }
});
