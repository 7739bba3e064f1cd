package classify

// Report is the headline metrics of one set of predictions. ROCAUC and
// AveragePrecision are nil when undefined (see their functions).
type Report struct {
	N                int      `json:"n"`
	Positives        int      `json:"positives"`
	ROCAUC           *float64 `json:"roc_auc"`
	AveragePrecision *float64 `json:"average_precision"`
	LogLoss          float64  `json:"log_loss"`
	Brier            float64  `json:"brier"`
}

// Evaluate computes the Report, sorting the rows once for both areas. y
// must not be empty (the losses would be NaN).
func Evaluate(y []bool, p []float64) Report {
	c := newCurve(sortDesc(y, p))
	r := Report{N: len(y), LogLoss: LogLoss(y, p), Brier: Brier(y, p)}
	if len(c.thr) > 0 {
		r.Positives = int(c.positives())
	}
	if v, ok := c.auc(); ok {
		r.ROCAUC = &v
	}
	if v, ok := c.ap(); ok {
		r.AveragePrecision = &v
	}
	return r
}

// Conventions states, for reports, how the metrics are computed.
const Conventions = "scikit-learn 1.2 semantics. roc_auc: trapezoid over distinct thresholds, tied scores count 1/2; " +
	"undefined (null) with a single class. average_precision: sum of (R_n - R_n-1) * P_n over distinct thresholds, " +
	"no interpolation; undefined without positives. log_loss: probabilities clipped to [eps, 1-eps], eps = 2.220446049250313e-16, " +
	"natural log, mean. brier: mean of (y - p)^2. calibration: 10 uniform bins closed on the right ((0.1, 0.2]; " +
	"p = 0 in the first bin), empty bins omitted, ece = sum of count/n * |fraction positive - mean predicted|. " +
	"roc_auc_ci95: 2.5th/97.5th percentiles of the AUC over bootstrap resamples of the rows (fixed seed): each resample " +
	"is n rows drawn with replacement; with tied scores its counts per tie group and class are drawn directly by " +
	"sequential binomials, the same distribution. Resamples with a single class are skipped. Predictions are joined to labels by id; row order does not matter."
