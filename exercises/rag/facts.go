package rag

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The company every document is about.
const company = "Corvana"

// product is one product of the company with the facts that vary by product.
type product struct {
	Name, Code, Noun, Nouns string // e.g. "Ledgerline", "LDG", "invoice", "invoices"
	Integrations            []string
	Limits                  []limitRow // one row per limit kind, a value per plan
	SSOFrom, AuditFrom      int        // index of the first plan with SSO / audit log
	PriceUSD                [4]int     // monthly price per seat, Free..Business
	TrialDays               [2]int     // trial length: superseded, current
	Tasks                   []task
	Admin                   []adminFact
}

// limitRow is one limit of the comparison table.
type limitRow struct {
	Kind   limitKind
	Values [5]string // per plan
}

// limitKind names a limit the way documents and queries say it.
type limitKind struct {
	Name       string // table label
	Phrase     string // prose: "the maximum upload size"
	Paraphrase string // words a customer would use instead
	Unit       string
	Base       [4]int // Free..Business; Enterprise is "Unlimited" or Base*4
	Unlimited  bool   // Enterprise has no cap
}

var plans = []string{"Free", "Starter", "Team", "Business", "Enterprise"}

// region is a market with its own currency, tax and data center.
type region struct {
	Name, Short, Currency, Symbol, Tax, DataCenter, Hours string
	Rate                                                  float64 // price per USD
	TaxRate                                               int     // percent
}

var regions = []region{
	{"United States", "US", "USD", "$", "sales tax", "Ashburn, Virginia", "8:00 to 20:00 Eastern Time", 1, 0},
	{"European Union", "EU", "EUR", "€", "VAT", "Frankfurt, Germany", "8:00 to 18:00 Central European Time", 0.95, 21},
	{"United Kingdom", "UK", "GBP", "£", "VAT", "London, England", "8:00 to 18:00 UK time", 0.8, 20},
	{"India", "India", "INR", "₹", "GST", "Mumbai, India", "9:00 to 19:00 India Standard Time", 83, 18},
	{"Australia", "Australia", "AUD", "A$", "GST", "Sydney, Australia", "8:00 to 18:00 Sydney time", 1.5, 10},
}

var limitKinds = []limitKind{
	{"Seats", "the number of seats", "how many people can use it", "seats", [4]int{2, 5, 25, 100}, true},
	{"Storage", "included storage", "how much room there is for files", "GB", [4]int{1, 50, 250, 1000}, false},
	{"API requests per minute", "the API rate limit", "how often my scripts may call the service", "requests per minute", [4]int{60, 300, 1200, 6000}, false},
	{"Maximum upload size", "the maximum upload size", "how big a single file I send can be", "MB", [4]int{25, 100, 250, 1000}, false},
	{"History retention", "how long history is kept", "how far back old activity stays visible", "days", [4]int{30, 90, 365, 1095}, true},
	{"Automation runs per month", "the monthly automation run quota", "how many automatic workflows can fire each month", "runs", [4]int{100, 1000, 10000, 50000}, true},
	{"Custom domains", "the number of custom domains", "how many of my own web addresses I can attach", "domains", [4]int{0, 1, 3, 10}, false},
}

var productSeeds = []struct{ Name, Code, Noun, Nouns string }{
	{"Ledgerline", "LDG", "invoice", "invoices"},
	{"Shipwise", "SHW", "shipment", "shipments"},
	{"Pulsewatch", "PLW", "monitor", "monitors"},
	{"Helpnest", "HNT", "ticket", "tickets"},
	{"Formcraft", "FMC", "form", "forms"},
	{"Vaultsync", "VSY", "file", "files"},
	{"Shiftboard", "SFB", "shift", "shifts"},
	{"Mailpost", "MPT", "campaign", "campaigns"},
}

var integrationPool = []string{"Slack", "Salesforce", "Zapier", "Google Drive", "Jira", "HubSpot", "Microsoft Teams", "Dropbox", "QuickBooks", "Zendesk"}

// newProducts draws the products' varying facts from rng.
func newProducts(rng *rand.Rand) []*product {
	var out []*product
	for _, s := range productSeeds {
		p := &product{Name: s.Name, Code: s.Code, Noun: s.Noun, Nouns: s.Nouns}
		p.Integrations = pick(rng, integrationPool, 6)
		for _, k := range limitKinds {
			p.Limits = append(p.Limits, limitRow{Kind: k, Values: limitValues(rng, k)})
		}
		p.SSOFrom, p.AuditFrom = 2+rng.IntN(2), 2+rng.IntN(2)
		base := []int{8, 10, 12, 15, 19}[rng.IntN(5)]
		p.PriceUSD = [4]int{0, base, base*2 + rng.IntN(3)*2, base*4 + rng.IntN(4)*3}
		p.TrialDays = [2]int{14, []int{21, 30, 45}[rng.IntN(3)]}
		p.Tasks = newTasks(rng, p)
		p.Admin = newAdminFacts(rng, p)
		out = append(out, p)
	}
	return out
}

func limitValues(rng *rand.Rand, k limitKind) [5]string {
	mult := []int{1, 2, 3, 5}[rng.IntN(4)]
	var v [5]string
	for i, b := range k.Base {
		v[i] = num(b * mult)
	}
	if k.Unlimited {
		v[4] = "Unlimited"
	} else {
		v[4] = num(k.Base[3] * mult * 4)
	}
	return v
}

// valueWithUnit is how a limit's value reads in prose, e.g. "250 GB".
func valueWithUnit(k limitKind, v string) string {
	if v == "Unlimited" {
		return "unlimited " + k.Unit
	}
	return v + " " + k.Unit
}

// price is a plan's monthly price per seat in a region, e.g. "€19".
func (p *product) price(plan int, r region) string {
	if plan == 4 {
		return "custom"
	}
	return r.Symbol + num(regionalPrice(p.PriceUSD[plan], r))
}

// annual is the yearly price per seat (two months free).
func (p *product) annual(plan int, r region) string {
	return r.Symbol + num(regionalPrice(p.PriceUSD[plan], r)*10)
}

func regionalPrice(usd int, r region) int {
	v := float64(usd) * r.Rate
	if r.Rate > 10 {
		return int(v/10+0.5) * 10 // rupee prices end in zero
	}
	return int(v + 0.5)
}

// num formats n with thousands separators.
func num(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pick returns n distinct elements of pool in a random order.
func pick[T any](rng *rand.Rand, pool []T, n int) []T {
	idx := rng.Perm(len(pool))[:n]
	out := make([]T, n)
	for i, j := range idx {
		out[i] = pool[j]
	}
	return out
}

// one returns a random element.
func one[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }
