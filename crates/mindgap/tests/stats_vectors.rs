//! Checks `mindgap::stats` against the vectors that `scripts/stats_vectors.py`
//! produced with SciPy 1.17.1, statsmodels 0.15.0, NumPy 2.4.6,
//! pymannkendall 1.4.3 and pandas 3.1.1 (`fixtures/stats/vectors.json`).
//!
//! Tolerances:
//! - distribution functions (normal cdf/sf/ppf, Student t sf): relative 1e-9
//!   (the far tails are compared relatively, so 1e-300 must be matched to 9
//!   digits, not merely be "small");
//! - everything else: |rust − ref| ≤ 1e-9·max(1, |ref|), i.e. relative for
//!   values above 1 and absolute below. p-values are therefore compared
//!   absolutely: pymannkendall computes p = 2·(1 − Φ(|z|)), which is exact only
//!   to ~1e-16 absolute (it is 0 where the true p is 1e-30), while mindgap
//!   computes the tail directly. No looser tolerance is needed anywhere.
//!
//! With SciPy 1.17.1 every value here in fact agrees to 1e-13 (the worst is a
//! normal CDF at x = −37.5, 9e-14 relative, from scaling x by 1/√2); 1e-9 is
//! the contract, leaving room for other platforms' libm.

// Test-only helpers outside #[test] functions: clippy's allow-*-in-tests does
// not reach them, and a failed expectation here must abort the test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mindgap::stats::{self, ChangePointOptions, Counts, EwmaOptions, Insufficient, Signal};
use serde_json::Value;

const TOL: f64 = 1e-9;

fn load() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/stats/vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("fixtures/stats/vectors.json is readable");
    serde_json::from_str(&text).expect("vectors.json is valid JSON")
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

fn u(v: &Value) -> u64 {
    v.as_u64().expect("a non-negative integer")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn name(v: &Value) -> String {
    v["name"].as_str().unwrap_or("?").to_string()
}

#[track_caller]
fn assert_close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() <= TOL * want.abs().max(1.0),
        "{what}: got {got:e}, want {want:e}, diff {:e}",
        (got - want).abs()
    );
}

/// Relative comparison; returns the relative error for reporting.
#[track_caller]
fn assert_rel(what: &str, got: f64, want: f64) -> f64 {
    let err = if want == 0.0 {
        got.abs()
    } else {
        ((got - want) / want).abs()
    };
    assert!(
        err <= TOL,
        "{what}: got {got:e}, want {want:e}, rel err {err:e}"
    );
    if err > 1e-13 {
        eprintln!("{what}: rel err {err:e}");
    }
    err
}

/// The expected refusal, if the vector records one.
fn expected_reason(v: &Value) -> Option<&str> {
    v.get("insufficient").and_then(Value::as_str)
}

#[track_caller]
fn assert_reason(what: &str, err: Insufficient, want: &str) {
    let json = serde_json::to_value(err).expect("Insufficient serialises");
    assert_eq!(json["reason"].as_str(), Some(want), "{what}: got {err:?}");
}

#[track_caller]
fn check_refusal<T: std::fmt::Debug>(what: &str, res: &Result<T, Insufficient>, want: &str) {
    match res {
        Ok(v) => panic!("{what}: expected {want}, got {v:?}"),
        Err(e) => assert_reason(what, *e, want),
    }
}

#[test]
fn normal_distribution() {
    let d = load();
    let mut worst: f64 = 0.0;
    for v in d["normal"].as_array().expect("normal") {
        let x = num(v, "x");
        worst = worst.max(assert_rel(
            &format!("cdf({x})"),
            stats::normal_cdf(x).expect("cdf"),
            num(v, "cdf"),
        ));
        worst = worst.max(assert_rel(
            &format!("sf({x})"),
            stats::normal_sf(x).expect("sf"),
            num(v, "sf"),
        ));
    }
    for v in d["ppf"].as_array().expect("ppf") {
        let p = num(v, "p");
        worst = worst.max(assert_rel(
            &format!("ppf({p})"),
            stats::normal_ppf(p).expect("ppf"),
            num(v, "x"),
        ));
    }
    for v in d["t_sf"].as_array().expect("t_sf") {
        let (t, df) = (num(v, "t"), num(v, "df"));
        worst = worst.max(assert_rel(
            &format!("t.sf({t}, {df})"),
            stats::student_t_sf(t, df).expect("t sf"),
            num(v, "sf"),
        ));
    }
    eprintln!("distributions: worst relative error {worst:e}");
}

#[test]
fn wilson_and_nps() {
    let d = load();
    for v in d["wilson"].as_array().expect("wilson") {
        let (k, n, c) = (u(&v["k"]), u(&v["n"]), num(v, "confidence"));
        let res = stats::wilson(k, n, c);
        let what = format!("wilson({k}, {n}, {c})");
        if let Some(r) = expected_reason(v) {
            check_refusal(&what, &res, r);
            continue;
        }
        let ci = res.expect("wilson");
        assert_close(&what, ci.lower, num(v, "lower"));
        assert_close(&what, ci.upper, num(v, "upper"));
    }
    for v in d["nps"].as_array().expect("nps") {
        let (p, q, dd, c) = (
            u(&v["promoters"]),
            u(&v["passives"]),
            u(&v["detractors"]),
            num(v, "confidence"),
        );
        let res = stats::nps(p, q, dd, c);
        let what = format!("nps({p}, {q}, {dd}, {c})");
        if let Some(r) = expected_reason(v) {
            check_refusal(&what, &res, r);
            continue;
        }
        let e = res.expect("nps");
        assert_close(&what, e.nps, num(v, "nps"));
        assert_close(&what, e.lower, num(v, "lower"));
        assert_close(&what, e.upper, num(v, "upper"));
    }
}

#[test]
fn two_proportion_z() {
    let d = load();
    for v in d["proportion_change"]
        .as_array()
        .expect("proportion_change")
    {
        let cur = Counts::new(u(&v["current"][0]), u(&v["current"][1]));
        let prev = Counts::new(u(&v["previous"][0]), u(&v["previous"][1]));
        let what = format!("{prev:?} -> {cur:?}");
        let res = stats::proportion_change(prev, cur);
        if let Some(r) = expected_reason(v) {
            check_refusal(&what, &res, r);
            continue;
        }
        let c = res.expect("proportion_change");
        assert_close(&what, c.z, num(v, "z"));
        assert_close(&what, c.p_value, num(v, "p_value"));
    }
}

#[test]
fn percentiles() {
    let d = load();
    for v in d["percentile"].as_array().expect("percentile") {
        let values = floats(&v["values"]);
        let percents = floats(&v["percent"]);
        let want = floats(&v["result"]);
        let qs: Vec<f64> = percents.iter().map(|p| p / 100.0).collect();
        let all = stats::quantiles(&values, &qs).expect("quantiles");
        for ((q, w), a) in qs.iter().zip(&want).zip(&all) {
            let what = format!("{} q={q}", name(v));
            assert_close(&what, stats::quantile(&values, *q).expect("quantile"), *w);
            assert_close(&what, *a, *w);
        }
    }
}

#[test]
fn ols_matches_linregress() {
    let d = load();
    let mut checked = 0;
    for v in d["ols"].as_array().expect("ols") {
        let (x, y) = (floats(&v["x"]), floats(&v["y"]));
        let what = name(v);
        let res = stats::ols(&x, &y);
        if let Some(r) = expected_reason(v) {
            check_refusal(&what, &res, r);
            continue;
        }
        let fit = res.expect("ols");
        assert_close(&format!("{what} slope"), fit.slope, num(v, "slope"));
        assert_close(
            &format!("{what} intercept"),
            fit.intercept,
            num(v, "intercept"),
        );
        assert_close(&format!("{what} r"), fit.r, num(v, "r"));
        assert_close(&format!("{what} p"), fit.p_value, num(v, "p_value"));
        assert_close(
            &format!("{what} se"),
            fit.slope_stderr,
            num(v, "slope_stderr"),
        );
        assert_close(
            &format!("{what} se(a)"),
            fit.intercept_stderr,
            num(v, "intercept_stderr"),
        );
        checked += 1;
    }
    assert!(checked >= 8);
}

#[test]
fn theil_sen_matches_theilslopes() {
    let d = load();
    for v in d["theil_sen"].as_array().expect("theil_sen") {
        let (x, y) = (floats(&v["x"]), floats(&v["y"]));
        let what = name(v);
        let res = stats::theil_sen(&x, &y, num(v, "confidence"));
        if let Some(r) = expected_reason(v) {
            check_refusal(&what, &res, r);
            continue;
        }
        let ts = res.expect("theil_sen");
        assert_close(&format!("{what} slope"), ts.slope, num(v, "slope"));
        assert_close(
            &format!("{what} intercept"),
            ts.intercept,
            num(v, "intercept"),
        );
        let ci = ts.interval.expect("interval");
        assert_close(&format!("{what} low"), ci.low, num(v, "low_slope"));
        assert_close(&format!("{what} high"), ci.high, num(v, "high_slope"));
    }
}

#[test]
fn mann_kendall_matches_pymannkendall() {
    let d = load();
    for v in d["mann_kendall"].as_array().expect("mann_kendall") {
        let y = floats(&v["y"]);
        let what = name(v);
        let res = stats::mann_kendall(&y);
        if let Some(r) = expected_reason(v) {
            check_refusal(&what, &res, r);
            continue;
        }
        let m = res.expect("mann_kendall");
        assert_eq!(m.s, v["s"].as_i64().expect("s"), "{what} S");
        assert_close(&format!("{what} var"), m.var_s, num(v, "var_s"));
        assert_close(&format!("{what} z"), m.z, num(v, "z"));
        assert_close(&format!("{what} p"), m.p_value, num(v, "p_value"));
        assert_close(&format!("{what} tau"), m.tau, num(v, "tau"));
    }
}

fn signal(s: &str) -> Signal {
    match s {
        "above" => Signal::Above,
        "below" => Signal::Below,
        "within" => Signal::Within,
        "no_data" => Signal::NoData,
        other => panic!("unknown signal {other}"),
    }
}

#[test]
fn control_charts() {
    let d = load();
    for v in d["ewma"].as_array().expect("ewma") {
        let got = stats::ewma(&floats(&v["values"]), num(v, "lambda")).expect("ewma");
        for (g, w) in got.iter().zip(floats(&v["ewma"])) {
            assert_close("ewma", *g, w);
        }
    }
    for v in d["ewma_chart"].as_array().expect("ewma_chart") {
        let mut opts = EwmaOptions::default()
            .with_lambda(num(v, "lambda"))
            .with_width(num(v, "width"));
        if let Some(t) = v["target"].as_f64() {
            opts = opts.with_target(t);
        }
        if let Some(s) = v["sigma_in"].as_f64() {
            opts = opts.with_sigma(s);
        }
        let chart = stats::ewma_chart(&floats(&v["values"]), &opts).expect("chart");
        assert_close("center", chart.center, num(v, "center"));
        assert_close("sigma", chart.sigma, num(v, "sigma"));
        let want = v["points"].as_array().expect("points");
        assert_eq!(chart.points.len(), want.len());
        for (p, w) in chart.points.iter().zip(want) {
            assert_close("ewma", p.ewma, num(w, "ewma"));
            assert_close("lower", p.lower, num(w, "lower"));
            assert_close("upper", p.upper, num(w, "upper"));
            assert_eq!(p.signal, signal(w["signal"].as_str().expect("signal")));
        }
    }
    for v in d["p_chart"].as_array().expect("p_chart") {
        let buckets: Vec<Counts> = v["buckets"]
            .as_array()
            .expect("buckets")
            .iter()
            .map(|b| Counts::new(u(&b[0]), u(&b[1])))
            .collect();
        let chart = stats::p_chart(&buckets).expect("p chart");
        assert_close("p bar", chart.center, num(v, "center"));
        for (p, w) in chart
            .points
            .iter()
            .zip(v["points"].as_array().expect("points"))
        {
            assert_eq!(p.signal, signal(w["signal"].as_str().expect("signal")));
            for (got, key) in [(p.share, "share"), (p.lower, "lower"), (p.upper, "upper")] {
                match (got, w[key].as_f64()) {
                    (Some(g), Some(e)) => assert_close(key, g, e),
                    (None, None) => {}
                    other => panic!("{key}: {other:?}"),
                }
            }
        }
    }
}

#[test]
fn change_points() {
    let d = load();
    for v in d["change_point"].as_array().expect("change_point") {
        let what = name(v);
        let cp = stats::change_point(&floats(&v["values"]), &ChangePointOptions::default())
            .expect("change point");
        assert_eq!(cp.index as u64, u(&v["index"]), "{what}");
        assert_eq!(
            cp.detected,
            v["detected"].as_bool().expect("bool"),
            "{what}"
        );
        assert_close(&what, cp.mean_before, num(v, "mean_before"));
        assert_close(&what, cp.mean_after, num(v, "mean_after"));
        assert_close(&what, cp.penalty, num(v, "penalty"));
        // D is a log of a ratio of sums of squares: computed by the CUSUM
        // identity here and by brute force in Python, it agrees to ~1e-12.
        assert_close(&what, cp.statistic, num(v, "statistic"));
    }
}
