// Package classify computes binary classification metrics with the
// semantics of scikit-learn 1.2 (see /work/shared/METRICS.md), reads a
// candidate's predictions file and bootstraps confidence intervals.
//
// Labels y are bools (true = positive class 1), scores p are probabilities
// in [0, 1]; y and p must have the same length (a mismatch panics, as it is
// a programming error). Conventions, each matched to scikit-learn 1.2.1 to
// 1e-9 by the fixtures in testdata (made by testdata/make_fixtures.py):
//
//   - ROCAUC is roc_auc_score: the trapezoid over distinct thresholds, so a
//     tied positive/negative pair counts 1/2 (Mann–Whitney U). It is
//     undefined (ok=false) when only one class is present, never 0 or 0.5.
//   - AveragePrecision is average_precision_score: Σ (R_n − R_{n−1}) P_n
//     over distinct thresholds, no interpolation. It is undefined when there
//     is no positive (scikit-learn returns 0 with a warning); with positives
//     only it is 1, as in scikit-learn.
//   - LogLoss is log_loss: p clipped to [eps, 1−eps], eps = 2^-52, natural
//     log, mean over rows. Brier is brier_score_loss: mean of (y − p)².
//   - Calibrate is calibration_curve(strategy="uniform") plus ECE; see its
//     comment for how values on bin edges are placed.
//   - ROCCurve is roc_curve(drop_intermediate=True) and PRCurve is
//     precision_recall_curve, point for point and in the same order.
package classify
