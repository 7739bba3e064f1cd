package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// Columns are the columns of train.csv, in order; test.csv has all but the
// last.
var Columns = []string{
	"id", "customer_id", "snapshot_date", "tenure_months", "plan", "country",
	"seats", "monthly_fee", "contract_type", "payment_method", "acquisition_channel",
	"logins_30d", "days_since_last_login", "support_tickets_90d", "payment_failures_6m",
	"nps_score", "discount_pct", "features_used", "account_number",
	"retention_offer_sent", "segment_churn_rate", LabelColumn,
}

// LabelColumn is the target in train.csv.
const LabelColumn = "churned"

// LeakyColumns are the planted leaks that have a column of their own, in
// the order their probes run.
var LeakyColumns = []string{"retention_offer_sent", "segment_churn_rate", "account_number"}

// Spellings the CRM and the billing export use for the same category.
var spellings = map[string][]string{
	"basic": {"Basic", "basic", "BASIC", " basic"}, "pro": {"Pro", "pro", "PRO", "Professional"},
	"team": {"Team", "team", "Teams"}, "enterprise": {"Enterprise", "enterprise", "ENT", "Enterprise "},
	"monthly": {"monthly", "Monthly", "month-to-month", "M2M"}, "annual": {"annual", "Annual", "yearly", "12 months"},
	"card": {"card", "Card", "credit card", "CC"}, "invoice": {"invoice", "Invoice", "bank transfer"},
	"paypal": {"paypal", "PayPal", "Paypal"},
	"US":     {"US", "USA", "United States", "us"}, "DE": {"DE", "Germany", "germany"},
	"GB": {"GB", "UK", "United Kingdom"}, "FR": {"FR", "France"}, "BR": {"BR", "Brazil"},
	"IN": {"IN", "India"}, "JP": {"JP", "Japan"}, "AU": {"AU", "Australia"}, "CA": {"CA", "Canada"},
	"ES": {"ES", "Spain"}, "NL": {"NL", "Netherlands", "Holland"}, "SG": {"SG", "Singapore"},
	"organic": {"organic", "Organic"}, "paid": {"paid", "Paid Search", "ads"},
	"referral": {"referral", "Referral"}, "partner": {"partner", "Partner"},
	"studio": {"Studio", "studio", "STUDIO", "Studio+"}, // the post-history tier (monitor_scenarios.go)
}

// spell picks one spelling, the canonical-looking first one most often.
func spell(r *rand.Rand, canonical string) string {
	s := spellings[canonical]
	if r.Float64() < 0.6 {
		return s[0]
	}
	return s[r.IntN(len(s))]
}

// snapshotDate is the last day of month m (month 1 is January 2023), in one
// of the formats the export mixes.
func snapshotDate(r *rand.Rand, m int) string {
	return dateCell(r, time.Date(2023, time.Month(m+1), 0, 0, 0, 0, 0, time.UTC))
}

// accountDate is an account's snapshot date as the export writes it: its
// own day for a weekly monitor row, else the end of its month.
func accountDate(r *rand.Rand, a account) string {
	if a.date.IsZero() {
		return snapshotDate(r, a.month)
	}
	return dateCell(r, a.date)
}

// dateCell writes day d in one of the formats the export mixes.
func dateCell(r *rand.Rand, d time.Time) string {
	switch u := r.Float64(); {
	case u < 0.55:
		return d.Format("2006-01-02")
	case u < 0.75:
		return d.Format("01/02/2006")
	case u < 0.87:
		return d.Format("02 Jan 2006")
	case u < 0.95:
		return d.Format("2006/01/02")
	default:
		return d.Format("Jan 2, 2006")
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// num formats a number or returns "" for NaN.
func num(x float64, decimals int) string {
	if math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'f', decimals, 64)
}

// blank returns "" with probability p, otherwise s.
func blank(r *rand.Rand, p float64, s string) string {
	if r.Float64() < p {
		return ""
	}
	return s
}

// cells renders an account as the export shows it: inconsistent spellings,
// missing values (some at random, some telling), outliers and mixed dates.
// The label is not included.
func cells(r *rand.Rand, id, customer string, a account) []string {
	tenure := itoa(a.tenure)
	if r.Float64() < 0.004 {
		tenure = "-1" // the CRM's "unknown"
	}
	seats := itoa(a.seats)
	if r.Float64() < 0.003 {
		seats = []string{"9999", "0"}[r.IntN(2)]
	}
	fee := a.fee
	switch u := r.Float64(); {
	case u < 0.004:
		fee *= 100 // entered in cents
	case u < 0.007:
		fee = -fee // a refund month
	}
	discount := fmt.Sprintf("%g", a.discount)
	switch u := r.Float64(); {
	case a.discount == 0 && u < 0.5:
		discount = "" // no discount is often left blank
	case a.discount > 0 && u < 0.1:
		discount += "%"
	}
	return []string{
		id, customer, accountDate(r, a), tenure,
		spell(r, a.plan), blank(r, 0.02, spell(r, a.country)), seats,
		blank(r, 0.04, num(fee, 2)), spell(r, a.contract), spell(r, a.payment),
		blank(r, 0.08, spell(r, a.channel)),
		blank(r, 0.05, num(a.logins, 0)), num(a.sinceLogin, 0),
		itoa(a.tickets), itoa(a.failures), num(a.nps, 0), discount, itoa(a.features),
		itoa(a.acctNo), offerCell(r, a), segRateCell(a),
	}
}

func offerCell(r *rand.Rand, a account) string {
	if a.offerNA {
		return ""
	}
	if a.offer {
		return []string{"yes", "Yes", "Y"}[r.IntN(3)]
	}
	return []string{"no", "No", "N"}[r.IntN(3)]
}

func segRateCell(a account) string {
	if a.segRateN {
		return ""
	}
	return num(a.segRate, 3)
}
