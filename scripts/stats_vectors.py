#!/usr/bin/env python3
"""Generate fixtures/stats/vectors.json: test vectors for crates/mindgap/src/stats.

Independent implementations the Rust code is checked against (versions used to
generate the committed file; the script records the versions it ran with in
the JSON "meta" block):

    Python 3.11.7, numpy 2.4.6, scipy 1.17.1, statsmodels 0.15.0,
    pymannkendall 1.4.3, pandas 3.1.1

    pip install --quiet scipy pymannkendall numpy statsmodels   # pandas comes with statsmodels

Run from the repository root:  python3 scripts/stats_vectors.py
The output is deterministic (fixed seeds); re-running with the same versions
gives a byte-identical file.

What is compared with what:
  normal cdf/sf/ppf   scipy.stats.norm
  student t sf        scipy.stats.t.sf
  wilson              statsmodels.stats.proportion.proportion_confint(method="wilson")
  percentile          numpy.percentile (default method="linear")
  ols                 scipy.stats.linregress
  theil_sen           scipy.stats.theilslopes (default method="separate" in SciPy 1.17)
  mann_kendall        pymannkendall.original_test
  proportion_change   statsmodels.stats.proportion.proportions_ztest([k_cur, k_prev], [n_cur, n_prev])
  ewma                pandas Series.ewm(alpha=lam, adjust=False).mean()
  nps, p_chart, ewma_chart, change_point
                      no library implements these as specified; they are written
                      here again from the formulas, independently of the Rust code
                      (the change point by brute-force SSE of every split instead
                      of the CUSUM identity used in Rust).

Cases the Rust side must refuse are recorded with "insufficient": <reason>
(the serde tag of mindgap::stats::Insufficient), e.g. n < 3 -> "not_enough_data".
"""
import json
import math
import sys
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd
import pymannkendall as mk
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

warnings.simplefilter("ignore")
rng = np.random.RandomState(20240607)


def f(v):
    """A plain float, or None for NaN (so JSON stays valid)."""
    v = float(v)
    return None if math.isnan(v) else v


def r2(a):
    return [round(float(v), 2) for v in a]


# ---------------------------------------------------------------- distributions
normal = []
for x in [-37.5, -30.0, -20.0, -10.0, -8.0, -5.0, -4.1, -3.9, -1.959963984540054, -1.0, -0.5,
          -0.46875, -0.1, -1e-10, 0.0, 1e-10, 0.3, 0.46875, 0.5, 1.0, 2.0, 3.9, 4.0, 4.1, 5.0,
          8.0, 10.0, 20.0, 26.0, 37.0]:
    normal.append({"x": x, "cdf": f(stats.norm.cdf(x)), "sf": f(stats.norm.sf(x))})

ppf = []
for p in [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.3, 0.4, 0.5,
          0.6, 0.7, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10]:
    ppf.append({"p": p, "x": f(stats.norm.ppf(p))})

t_sf = []
for t, df in [(0.0, 1), (0.5, 1), (2.0, 1), (-2.0, 3), (1.0, 3), (2.228138851986274, 10),
              (3.5, 10), (10.0, 10), (50.0, 48), (-0.3, 48), (2.0, 198), (8.0, 198),
              (1e5, 5), (0.01, 100), (3.0, 250), (3.0, 5e5), (6.0, 2e7), (3.0, 1e12)]:
    t_sf.append({"t": t, "df": df, "sf": f(stats.t.sf(t, df))})

# ---------------------------------------------------------------- shares and NPS
wilson = []
for k, n, c in [(0, 1, 0.95), (1, 1, 0.95), (0, 10, 0.95), (10, 10, 0.95), (8, 10, 0.95),
                (1, 2, 0.9), (37, 120, 0.95), (37, 120, 0.99), (37, 120, 0.8),
                (5, 1000, 0.95), (99_999, 100_000, 0.95), (12_345, 54_321, 0.95)]:
    lo, hi = proportion_confint(k, n, alpha=1 - c, method="wilson")
    wilson.append({"k": k, "n": n, "confidence": c, "lower": f(lo), "upper": f(hi)})
for k, n, reason in [(0, 0, "not_enough_data"), (3, 2, "count_exceeds_total")]:
    wilson.append({"k": k, "n": n, "confidence": 0.95, "insufficient": reason})


def nps_ref(pro, pas, det, c):
    n = pro + pas + det
    z = stats.norm.isf((1 - c) / 2)
    score = 100.0 * (pro - det) / n
    n_adj = n + 3
    p_adj = (pro + 0.75) / n_adj
    d_adj = (det + 0.75) / n_adj
    diff = p_adj - d_adj
    half = z * math.sqrt((p_adj + d_adj - diff * diff) / n_adj)
    # clamp to [-100, 100] and widen to the point estimate (documented in Rust)
    lower = min(max(100 * (diff - half), -100.0), score)
    upper = max(min(100 * (diff + half), 100.0), score)
    return score, lower, upper


nps = []
for pro, pas, det, c in [(50, 30, 20, 0.95), (5, 0, 0, 0.95), (0, 0, 1, 0.95), (0, 4, 0, 0.95),
                         (120, 45, 80, 0.9), (3, 1, 2, 0.99), (900, 50, 50, 0.95)]:
    s, lo, hi = nps_ref(pro, pas, det, c)
    nps.append({"promoters": pro, "passives": pas, "detractors": det, "confidence": c,
                "nps": s, "lower": lo, "upper": hi})
nps.append({"promoters": 0, "passives": 0, "detractors": 0, "confidence": 0.95,
            "insufficient": "not_enough_data"})

ztest = []
for kc, nc, kp, np_ in [(60, 100, 40, 100), (40, 100, 60, 100), (5, 10, 50, 100),
                        (130, 1000, 100, 1000), (1, 3, 2, 3), (900, 1000, 700, 1000),
                        (3, 50, 0, 20), (5000, 10000, 4000, 10000)]:
    z, p = proportions_ztest([kc, kp], [nc, np_])
    ztest.append({"current": [kc, nc], "previous": [kp, np_], "z": f(z), "p_value": f(p)})
ztest.append({"current": [0, 5], "previous": [0, 9], "insufficient": "constant"})
ztest.append({"current": [5, 5], "previous": [9, 9], "insufficient": "constant"})
ztest.append({"current": [1, 2], "previous": [0, 0], "insufficient": "not_enough_data"})

# ---------------------------------------------------------------- percentiles
percentile = []
ps = [0.0, 1.0, 10.0, 25.0, 33.3, 50.0, 66.7, 75.0, 90.0, 95.0, 99.0, 99.9, 100.0]
for name, values in [
    ("single", [4.2]),
    ("two", [3.0, -1.0]),
    ("ties", [1.0, 2.0, 2.0, 2.0, 3.0, 3.0, 7.0, 7.0, 7.0, 7.0]),
    ("all_equal", [5.5] * 7),
    ("n50", r2(rng.normal(100, 15, 50))),
    ("n200_skewed", r2(rng.exponential(3.0, 200))),
    ("negative_zero", [0.0, -0.0, 1.0, -1.0]),
]:
    percentile.append({"name": name, "values": values, "percent": ps,
                       "result": [f(v) for v in np.percentile(np.array(values), ps)]})

# ---------------------------------------------------------------- trend series
series = []


def add(name, x, y):
    series.append({"name": name, "x": [float(v) for v in x], "y": [float(v) for v in y]})


add("empty", [], [])
add("n1", [0], [1.5])
add("n2", [0, 1], [1.0, 2.0])
add("n3", [0, 1, 2], [2.0, 1.0, 4.0])
add("n3_gap", [0, 5, 6], [10.0, 7.5, 7.0])
add("constant", range(10), [4.0] * 10)
add("identical_x", [3.0] * 6, [1, 2, 3, 4, 5, 6])
add("ties_y", range(20), rng.randint(1, 6, 20))
add("ties_xy", [0, 0, 1, 2, 2, 2, 3, 5, 5, 8, 9, 9], [3, 4, 4, 5, 3, 6, 6, 7, 7, 7, 9, 8])
x_gap = np.sort(rng.choice(np.arange(100), 30, replace=False))
add("gaps_x", x_gap, r2(0.05 * x_gap + rng.normal(0, 1, 30)))
add("negative_n50", range(50), r2(80 - 0.3 * np.arange(50) + rng.normal(0, 2, 50)))
add("flat_noise_n50", range(50), r2(rng.normal(10, 1, 50)))
add("n200", range(200), r2(0.01 * np.arange(200) + rng.normal(0, 1, 200)))
add("n200_strong", range(200), r2(0.5 * np.arange(200) + rng.normal(0, 3, 200)))
add("csat_weekly", [0, 1, 2, 3, 5, 6, 7, 9, 10, 11, 12, 13],
    [0.81, 0.79, 0.83, 0.78, 0.76, 0.77, 0.74, 0.75, 0.72, 0.73, 0.70, 0.71])


def reason_for(x, y):
    n = len(y)
    if n < 3:
        return "not_enough_data"
    return None


ols, theil, mkt = [], [], []
for s in series:
    x, y = np.array(s["x"]), np.array(s["y"])
    base = {"name": s["name"], "x": s["x"], "y": s["y"]}
    reason = reason_for(x, y)
    # OLS
    o = dict(base)
    if reason:
        o["insufficient"] = reason
    elif np.all(x == x[0]):
        o["insufficient"] = "identical_x"  # linregress raises ValueError
    elif np.all(y == y[0]):
        o["insufficient"] = "constant"  # linregress gives r = p = NaN
    else:
        res = stats.linregress(x, y)
        o.update(slope=f(res.slope), intercept=f(res.intercept), r=f(res.rvalue),
                 p_value=f(res.pvalue), slope_stderr=f(res.stderr),
                 intercept_stderr=f(res.intercept_stderr))
    ols.append(o)
    # Theil-Sen
    t = dict(base, confidence=0.95)
    if reason:
        t["insufficient"] = reason
    elif np.all(x == x[0]):
        t["insufficient"] = "identical_x"  # theilslopes warns and returns NaN
    else:
        res = stats.theilslopes(y, x, alpha=0.95)
        t.update(slope=f(res.slope), intercept=f(res.intercept),
                 low_slope=f(res.low_slope), high_slope=f(res.high_slope))
    theil.append(t)
    # Mann-Kendall on y in x order (x is ascending in every case)
    m = {"name": s["name"], "y": s["y"]}
    if reason:
        m["insufficient"] = reason
    else:
        res = mk.original_test(y)
        m.update(s=int(res.s), var_s=f(res.var_s), z=f(res.z), p_value=f(res.p), tau=f(res.Tau))
    mkt.append(m)

# a second confidence level for Theil-Sen
for name in ["negative_n50", "ties_xy"]:
    s = next(v for v in series if v["name"] == name)
    res = stats.theilslopes(np.array(s["y"]), np.array(s["x"]), alpha=0.9)
    theil.append({"name": name + "_90", "x": s["x"], "y": s["y"], "confidence": 0.9,
                  "slope": f(res.slope), "intercept": f(res.intercept),
                  "low_slope": f(res.low_slope), "high_slope": f(res.high_slope)})
# the trend's --alpha 0.01 asks for Sen's interval at confidence 0.99
s = next(v for v in series if v["name"] == "negative_n50")
res = stats.theilslopes(np.array(s["y"]), np.array(s["x"]), alpha=0.99)
theil.append({"name": "negative_n50_99", "x": s["x"], "y": s["y"], "confidence": 0.99,
              "slope": f(res.slope), "intercept": f(res.intercept),
              "low_slope": f(res.low_slope), "high_slope": f(res.high_slope)})

# ---------------------------------------------------------------- control charts
ewma = []
for lam, values in [(0.2, r2(rng.normal(5, 1, 30))), (0.5, [1.0, 3.0, 2.0, 8.0]), (1.0, [2.0, 4.0])]:
    out = pd.Series(values).ewm(alpha=lam, adjust=False).mean().tolist()
    ewma.append({"lambda": lam, "values": values, "ewma": [f(v) for v in out]})


def ewma_chart_ref(values, lam, width, target=None, sigma=None):
    v = np.array(values)
    center = float(np.mean(v)) if target is None else target
    if sigma is None:
        sigma = float(np.mean(np.abs(np.diff(v)))) / (2 / math.sqrt(math.pi))
    z, pts = center, []
    for t, xv in enumerate(v, start=1):
        z = lam * xv + (1 - lam) * z
        half = width * sigma * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
        lo, hi = center - half, center + half
        sig = "above" if z > hi else ("below" if z < lo else "within")
        pts.append({"ewma": z, "lower": lo, "upper": hi, "signal": sig})
    return center, sigma, pts


ewma_chart = []
shift = r2(np.concatenate([rng.normal(10, 1, 20), rng.normal(12, 1, 10)]))
for values, lam, width, target, sigma in [(shift, 0.2, 3.0, None, None), (shift, 0.1, 2.7, 10.0, 1.0),
                                          ([1.0, 2.0, 1.5, 9.0], 0.5, 3.0, None, None)]:
    c, s, pts = ewma_chart_ref(values, lam, width, target, sigma)
    ewma_chart.append({"values": values, "lambda": lam, "width": width, "target": target,
                       "sigma_in": sigma, "center": c, "sigma": s, "points": pts})

p_chart = []
for buckets in [[(10, 100), (0, 0), (40, 100), (1, 10)],
                [(int(k), int(n)) for k, n in zip(rng.binomial(80, 0.2, 15), [80] * 15)] + [(30, 60)],
                [(0, 5), (0, 7)], [(3, 3), (9, 9)]]:
    K = sum(k for k, _ in buckets)
    N = sum(n for _, n in buckets)
    pbar = K / N
    pts = []
    for k, n in buckets:
        if n == 0:
            pts.append({"share": None, "lower": None, "upper": None, "signal": "no_data"})
            continue
        half = 3 * math.sqrt(pbar * (1 - pbar) / n)
        lo, hi = max(pbar - half, 0.0), min(pbar + half, 1.0)
        sh = k / n
        sig = "above" if sh > hi else ("below" if sh < lo else "within")
        pts.append({"share": sh, "lower": lo, "upper": hi, "signal": sig})
    p_chart.append({"buckets": buckets, "center": pbar, "points": pts})


def change_point_ref(values, min_segment=2, penalty=None):
    v = np.array(values, dtype=float)
    n = len(v)
    sse0 = float(np.sum((v - v.mean()) ** 2))
    best_i, best_sse = None, None
    for i in range(min_segment, n - min_segment + 1):
        a, b = v[:i], v[i:]
        sse = float(np.sum((a - a.mean()) ** 2) + np.sum((b - b.mean()) ** 2))
        if best_sse is None or sse < best_sse - 1e-12 * sse0:
            best_i, best_sse = i, sse
    sse1 = max(best_sse, sse0 * sys.float_info.epsilon)
    stat = n * math.log(sse0 / sse1)
    pen = 3 * math.log(n) if penalty is None else penalty
    return {"index": best_i, "mean_before": float(v[:best_i].mean()),
            "mean_after": float(v[best_i:].mean()), "statistic": stat, "penalty": pen,
            "detected": stat > pen}


change_point = []
for name, values in [
    ("step_up_n40", r2(np.concatenate([rng.normal(5, 0.5, 25), rng.normal(6.5, 0.5, 15)]))),
    ("step_down_n200", r2(np.concatenate([rng.normal(0.8, 0.05, 80), rng.normal(0.7, 0.05, 120)]))),
    ("noise_n60", r2(rng.normal(3, 1, 60))),
    ("exact_step", [1.0, 1.0, 1.0, 4.0, 4.0]),
    ("late_step", r2(np.concatenate([rng.normal(10, 1, 28), [15.0, 15.5]]))),
    ("mirror_tie", [0.0, 1.0, 1.0, 1.0, 1.0, 0.0]),  # B(2) = B(4) exactly: the first wins
]:
    change_point.append(dict(name=name, values=values, **change_point_ref(values)))

out = {
    "meta": {
        "generator": "scripts/stats_vectors.py",
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "statsmodels": statsmodels.__version__,
        "pymannkendall": version("pymannkendall"),
        "pandas": pd.__version__,
        "theilslopes_method": "separate (SciPy default)",
    },
    "normal": normal, "ppf": ppf, "t_sf": t_sf, "wilson": wilson, "nps": nps,
    "proportion_change": ztest, "percentile": percentile, "ols": ols,
    "theil_sen": theil, "mann_kendall": mkt, "ewma": ewma, "ewma_chart": ewma_chart,
    "p_chart": p_chart, "change_point": change_point,
}
with open("fixtures/stats/vectors.json", "w") as fh:
    json.dump(out, fh, indent=1, allow_nan=False)
    fh.write("\n")
print("wrote fixtures/stats/vectors.json")
