package rag

import "testing"

func TestNumericParseQuantity(t *testing.T) {
	tests := []struct {
		in    string
		value float64
		unit  string
		ok    bool
	}{
		{"30 days", 30, "day", true},
		{"30-day refund window", 30, "day", true},
		{"fourteen days", 14, "day", true},
		{"Twenty seats", 20, "seat", true},
		{"thirty days", 0, "", false}, // word numbers stop at twenty
		{"someone has 5 seats", 5, "seat", true},
		{"10k requests", 10000, "request", true},
		{"10K", 10000, "", true},
		{"1.5k runs", 1500, "run", true},
		{"10,000 requests", 10000, "request", true},
		{"1,000,000", 1e6, "", true},
		{"10kb", 10, "kb", true},
		{"250GB of storage", 250, "gb", true},
		{"250 gigabytes", 250, "gb", true},
		{"25 megabytes", 25, "mb", true},
		{"$12 per seat per month", 12, "usd per month per seat", true},
		{"12 USD", 12, "usd", true},
		{"USD12", 12, "usd", true},
		{"EUR 19", 19, "eur", true},
		{"19 euros", 19, "eur", true},
		{"19 €", 19, "eur", true},
		{"€19/mo", 19, "eur per month", true},
		{"€19 per user per month", 19, "eur per month per seat", true},
		{"£15 monthly", 15, "gbp per month", true},
		{"A$23 a month", 23, "aud per month", true},
		{"₹1,580", 1580, "inr", true},
		{"$12.50/seat/month", 12.5, "usd per month per seat", true},
		{"99.9%", 99.9, "%", true},
		{"99.9 percent uptime", 99.9, "%", true},
		{"21 per cent", 21, "%", true},
		{"every 15 minutes", 15, "minute", true},
		{"15 mins", 15, "minute", true},
		{"24h", 24, "hour", true},
		{"60 requests per minute", 60, "request per minute", true},
		{"runs 3 times a day", 3, "time per day", true},
		{"20 seats on the Business plan", 20, "seat", true},
		{"In 2023 the window was 30 days", 2023, "", true}, // the first number wins
		{"2023, then 30 days", 2023, "", true},
		{"Ledgerline v2 costs $8", 8, "usd", true},
		{"The refund window is 30 days.", 30, "day", true},
		{"Unlimited", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, ok := parseQuantity(tt.in)
			if ok != tt.ok || (ok && (q.Value != tt.value || q.unit() != tt.unit)) {
				t.Errorf("parseQuantity(%q) = %v %q %v, want %v %q %v", tt.in, q.Value, q.unit(), ok, tt.value, tt.unit, tt.ok)
			}
		})
	}
}
