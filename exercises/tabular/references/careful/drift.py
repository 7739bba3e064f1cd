"""The weekly two-sample tests: a handful, Bonferroni-corrected.

Following Rabanser et al. (Failing Loudly, 2019) the main test is on the
model's output (BBSDs): a KS test of this week's predicted scores against
the scores of the training rows, and a z-test of their mean, the locally
most powerful test of a prior (label) shift when the scores are calibrated.
Four input tests on the most telling features help tell a change in the
customer mix (covariate) from a change in who churns (label)."""
import numpy as np
from scipy.stats import chi2_contingency, ks_2samp, norm

ALPHA = 0.05  # family-wise, per week; an alarm also needs the same test two weeks running
STRONG = 1e-6  # ... unless a p-value is this small
SCORE_TESTS = ["score_ks", "score_mean"]
FEATURE_TESTS = {"plan": "chi2", "contract_type": "chi2", "tenure_months": "ks", "logins_30d": "ks"}


def reference(X, scores):
    """What the tests compare against, from the training rows: every cleaned
    feature ("x_" and its name, missing values kept), the category counts
    and the scores."""
    arrays = {"scores": np.asarray(scores, dtype=float)}
    arrays.update({"x_" + col: X[col].to_numpy(dtype=float) for col in X.columns})
    counts = {col: _counts(arrays["x_" + col], int(np.nanmax(arrays["x_" + col])) + 1)
              for col, test in FEATURE_TESTS.items() if test == "chi2"}
    return arrays, counts


def _counts(codes, k):
    """Rows per category code 0..k-1, then the missing or unknown ones."""
    return [int(np.sum(codes == c)) for c in range(k)] + [int(np.sum(np.isnan(codes) | (codes >= k)))]


def pvalues(X, scores, arrays, counts):
    """p-values of every test for one week."""
    ref = arrays["scores"]
    z = (np.mean(scores) - ref.mean()) / (ref.std() / np.sqrt(len(scores)))
    out = {"score_ks": ks_2samp(scores, ref).pvalue, "score_mean": 2 * norm.sf(abs(z))}
    for col, test in FEATURE_TESTS.items():
        v = X[col].to_numpy(dtype=float)
        if test == "ks":
            ref = arrays["x_" + col]
            out[col] = ks_2samp(v[~np.isnan(v)], ref[~np.isnan(ref)]).pvalue
        else:
            out[col] = _chi2(_counts(v, len(counts[col]) - 1), counts[col])
    return {k: float(p) for k, p in out.items()}


def _chi2(week, ref):
    """Chi-squared test of a week's category counts against the training
    rows' (both are samples), categories empty in both left out."""
    table = np.array([week, ref], dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    return chi2_contingency(table, correction=False)[1] if table.shape[1] > 1 else 1.0


def significant(pvals):
    """The tests below the Bonferroni threshold."""
    return sorted(k for k, p in pvals.items() if p < ALPHA / len(pvals))
