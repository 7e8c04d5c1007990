//! Each result enum's `as_str` (and so its `Display`) is the name serde
//! writes for it in JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mindgap::api::FileKind;
use mindgap::{DriftDirection, Outcome, RecordKind, ValueUnit};

fn same<T: serde::Serialize + std::fmt::Display>(values: &[T], as_str: fn(&T) -> &'static str) {
    for v in values {
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(json, format!("\"{}\"", as_str(v)));
        assert_eq!(v.to_string(), as_str(v));
        assert_eq!(format!("{v:>12}").trim_start(), as_str(v), "Display pads");
    }
}

#[test]
fn names_are_the_json_names() {
    use RecordKind as R;
    same(
        &[R::Feedback, R::FollowUp, R::Interaction, R::Observation],
        |v| v.as_str(),
    );
    use FileKind as F;
    same(&[F::Diary, F::Interactions, F::Feedback, F::Records], |v| {
        v.as_str()
    });
    same(
        &[ValueUnit::Seconds, ValueUnit::Points, ValueUnit::Flag],
        |v| v.as_str(),
    );
    use Outcome as O;
    same(&[O::Exceeded, O::Within, O::Missed, O::Pending], |v| {
        v.as_str()
    });
    #[cfg(feature = "analyses")]
    same(
        &[mindgap::ProblemKind::Category, mindgap::ProblemKind::Reason],
        |v| v.as_str(),
    );
    use DriftDirection as D;
    same(
        &[D::Tightening, D::Loosening, D::Unchanged, D::Mixed],
        |v| v.as_str(),
    );
}
